"""Figures 1 and 5: intake throughput and latency end to end, and memory.

One emulator process (`bench.emulator`, with the simulated residents) serves, in turn:
the bare echo bot (`bench.echo`), then the real bot (`bench.botproc`, i.e.
`suara_warga.launch.run_bot` from a TOML file) with SQLite synchronous=FULL and NORMAL, each
on a fresh database, then a bot for the memory figure. Every bot gets a warm-up walk
first; CPU time of the bot and the emulator is read from /proc during each walk, so the
report says which side was busy. The emulator's flood limits are off and the bot's
sender limits raised (`SENDER`): this figure is about the bot, not Telegram's pace.
With a PostgreSQL server, `bench.workers` adds one polling worker and 1 and 2
webhook workers sharing it.
The harness (`Bench`) is in `bench.harness`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bench.harness import (
    ADMIN_CHAT,
    MEMORY_TARGET_MB,
    SENDER,
    SQLITE_RATIO_TARGET,
    Bench,
    IntakeSize,
    Layout,
    Walked,
    walk_rows,
)
from bench.procs import Child
from bench.report import Row
from bench.workers import run_workers


async def run_intake(
    size: IntakeSize,
    workdir: Path,
    profile: Path | None = None,
    experiment: str | None = None,
    dsn: str | None = None,
) -> tuple[list[Row], list[str]]:
    """Figures 1 and 5 (and, with `profile`, a pyinstrument profile of the bot); with
    `dsn` (a PostgreSQL server that answers), also the workers on PostgreSQL."""
    emulator = await Child.start("bench.emulator", log=workdir / "emulator.log")
    bench = Bench(emulator, await emulator.ready(), workdir, experiment)
    try:
        await bench.control.call("setup", groups=[ADMIN_CHAT])
        return await _figures(bench, size, profile, dsn)
    finally:
        await bench.control.close()
        await emulator.stop()


async def _figures(
    bench: Bench, size: IntakeSize, profile: Path | None, dsn: str | None
) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    echoes = [await _echo(bench, size)]

    async def rows_of(layout: Layout) -> list[Row]:
        """The layout's rows, against the echo bot walked just before it and again just
        after (the machine's speed drifts over the minutes of the figure)."""
        echoes.append(await _echo(bench, size))
        return walk_rows(layout, size, echoes[-2:])

    notes = [
        f"Intake: emulator flood limits off; bot [sender] {SENDER}; "
        f"{size.chats} residents filing a whole report each (11-12 updates), "
        f"after a warm-up of {size.warmup}; CPU shares are of one core. Each layout is "
        "compared with the echo bot walked just before and just after it."
    ]
    for sync in ("FULL", "NORMAL"):
        layout, note = await _intake(bench, size, sync)
        rows += await rows_of(layout)
        notes.append(note)
    if dsn is not None:
        more, written = await run_workers(bench, size, rows_of, dsn)
        rows += more
        notes += written
    rates = [walked.rate for walked in echoes]
    cpu = [walked.cpu_per_update * 1000 for walked in echoes]
    rows.insert(
        0,
        Row(
            f"Echo bot (bare PTB run_polling), {size.chats} chats x 11 messages, "
            f"walked {len(echoes)} times",
            f"{min(rates):,.0f}-{max(rates):,.0f} updates/s, {min(cpu):.2f}-{max(cpu):.2f} ms "
            f"CPU per update; first: {echoes[0].steps()}; CPU {echoes[0].load()}",
        ),
    )
    rows.append(await _memory(bench, size))
    if profile is not None:
        notes.append(await _profile(bench, size, profile))
    return rows, notes


async def _echo(bench: Bench, size: IntakeSize) -> Walked:
    """The bare echo bot's walk after a warm-up."""
    info = bench.info
    echo = await bench.start(
        "bench.echo", info["base_url"], info["base_file_url"], info["token"], name="echo"
    )
    try:
        await bench.walk(echo, "echo", size.warmup)
        return await bench.walk(echo, "echo", size.chats)
    finally:
        await echo.stop()


async def _intake(bench: Bench, size: IntakeSize, sync: str) -> tuple[Layout, str]:
    config, db = bench.config(f"intake-{sync.lower()}", sync)
    bot = await bench.start("bench.botproc", str(config), name=f"bot-{sync.lower()}")
    try:
        await bench.walk(bot, "report", size.warmup)
        full = await bench.walk(bot, "report", size.chats)
        paced = await bench.walk(bot, "report", size.chats, rate=size.rate)
    finally:
        await bot.stop()
    layout = Layout(f"SQLite {sync}, polling", full, paced, SQLITE_RATIO_TARGET)
    return layout, f"{sync}: {_database(db)}"


def _database(db: Path) -> str:
    """What the bot stored: reports, outbox rows and their bytes per report."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        rows, size, pending = conn.execute(
            "SELECT count(*), sum(length(payload)), sum(state = 'pending') FROM outbox"
        ).fetchone()
    finally:
        conn.close()
    per = (size or 0) / max(reports, 1) / 1024
    return (
        f"{reports} reports filed; outbox keeps {rows} rows ({pending} pending), "
        f"{per:.1f} KiB of payload per report"
    )


async def _memory(bench: Bench, size: IntakeSize) -> Row:
    config, db = bench.config("memory", "NORMAL")
    bot = await bench.start("bench.botproc", str(config), name="bot-memory")
    try:
        await bench.walk(bot, "middle", size.warmup)
        start, _ = bot.memory_mb()
        walked = await bench.walk(bot, "middle", size.memory_chats, concurrency=size.concurrency)
        await asyncio.sleep(2.0)  # the sender's last replies
        rss, peak = bot.memory_mb()
    finally:
        await bot.stop()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        drafts = conn.execute(
            "SELECT count(*) FROM conversations WHERE draft_updated_at IS NOT NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    return Row(
        f"Memory: bot RSS with {size.memory_chats:,} reports in progress",
        f"{rss:.0f} MB (after warm-up {start:.0f} MB, peak {peak:.0f} MB); {drafts:,} drafts "
        f"stored; driven at {walked.rate:,.0f} updates/s (SQLite NORMAL), lost {walked.lost}",
        f"< {MEMORY_TARGET_MB:.0f} MB",
        rss < MEMORY_TARGET_MB and walked.lost == 0,
    )


async def _profile(bench: Bench, size: IntakeSize, out: Path) -> str:
    config, _ = bench.config("profile", "FULL")
    bot = await bench.start("bench.botproc", str(config), "--profile", str(out), name="profile")
    try:
        await bench.walk(bot, "report", size.warmup)
        walked = await bench.walk(bot, "report", size.chats)
    finally:
        await bot.stop(timeout=60)
    return (
        f"Profile (pyinstrument, SQLite FULL, {size.chats} chats at once): {out}; "
        f"{walked.rate:,.0f} updates/s under the profiler"
    )
