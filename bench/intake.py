"""Figures 1 and 5: intake throughput and latency end to end, and memory.

One emulator process (`bench.emulator`, with the simulated residents) serves, in turn:
the bare echo bot (`bench.echo`), then the real bot (`bench.botproc`, i.e.
`bot.runner.run_bot` from a TOML file) with SQLite synchronous=FULL and NORMAL, each
on a fresh database, then a bot for the memory figure. Every bot gets a warm-up walk
first; CPU time of the bot and the emulator is read from /proc during each walk, so the
report says which side was busy. The emulator's flood limits are off and the bot's
sender limits raised (`SENDER`): this figure is about the bot, not Telegram's pace.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.procs import Child, Control, CpuMeter
from bench.report import Row, ms, percentile
from bench.stores import remove_database

ADMIN_CHAT = -100777
SENDER = {"messages_per_second": 2000, "private_chat_per_second": 100, "group_per_minute": 100000}
STEP_TARGET = 0.1
RATIO_TARGET = 0.5
MEMORY_TARGET_MB = 200.0


@dataclass(frozen=True)
class IntakeSize:
    """How big each walk is."""

    chats: int = 200
    rate: float = 100.0
    memory_chats: int = 10_000
    concurrency: int = 500
    warmup: int = 20


@dataclass(frozen=True)
class Walked:
    """What one walk measured."""

    updates: int
    seconds: float
    latencies: list[float]
    lost: int
    cpu: dict[str, float]
    cpu_seconds: float  # of the bot under test
    loop_seconds: float  # of its main thread (the event loop; the rest is SQLite's thread)

    @property
    def cpu_per_update(self) -> float:
        return self.cpu_seconds / self.updates if self.updates else 0.0

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def steps(self) -> str:
        lat = self.latencies
        return f"step p50 {ms(percentile(lat, 0.5))}, p99 {ms(percentile(lat, 0.99))}"

    def load(self) -> str:
        """CPU shares of one core: the bot, the emulator, the rest of the machine."""
        shares = ", ".join(f"{name.split('.')[-1]} {share:.0%}" for name, share in self.cpu.items())
        loop = self.loop_seconds / self.updates if self.updates else 0.0
        return (
            f"{shares}; bot {ms(self.cpu_per_update)} CPU per update ({ms(loop)} in its event loop)"
        )


class Bench:
    """The emulator process and what runs against it."""

    def __init__(
        self, emulator: Child, info: dict[str, Any], workdir: Path, experiment: str | None
    ) -> None:
        self.emulator = emulator
        self.experiment = experiment  # one of bench.experiments
        self.info = info
        self.control = Control(str(info["control"]))
        self.workdir = workdir
        self._next_user = 1_000_001

    async def walk(
        self, child: Child, walk: str, chats: int, rate: float = 0.0, concurrency: int = 0
    ) -> Walked:
        """`chats` fresh residents walk `walk` against the bot in `child`."""
        first, self._next_user = self._next_user, self._next_user + chats
        meter = CpuMeter(child, self.emulator)
        meter.start()
        got = await self.control.call(
            "walk",
            walk=walk,
            first_user=first,
            chats=chats,
            rate=rate,
            concurrency=concurrency or None,
        )
        shares = meter.stop()
        return Walked(
            got["updates"],
            got["seconds"],
            got["latencies"],
            got["lost"],
            shares,
            meter.seconds[child.name],
            meter.main_thread[child.name],
        )

    async def start(self, module: str, *args: str, name: str) -> Child:
        """Start a bot and wait until it polls."""
        # An environment fix (sniffio) applies to the yardstick too; a change of the
        # bot's code (aiohttp) does not.
        if self.experiment and (module == "bench.botproc" or self.experiment == "sniffio"):
            args = (*args, "--experiment", self.experiment)
        await self.control.call("reset")
        child = await Child.start(module, *args, log=self.workdir / f"{name}.log")
        waiting = asyncio.ensure_future(self.control.call("wait_polling", timeout=60))
        done, _ = await asyncio.wait(
            {waiting, asyncio.ensure_future(child.proc.wait())},
            return_when=asyncio.FIRST_COMPLETED,
        )
        if waiting not in done:
            waiting.cancel()
            raise RuntimeError(f"{name} exited at start:\n{child.tail()}")
        return child

    def config(self, name: str, synchronous: str) -> tuple[Path, Path]:
        """A config file for the bot and its fresh database."""
        db = self.workdir / f"{name}.sqlite3"
        remove_database(db)
        info = self.info
        sender = "\n".join(f"{key} = {value}" for key, value in SENDER.items())
        text = f"""[telegram]
token = "{info["token"]}"
base_url = "{info["base_url"]}"
base_file_url = "{info["base_file_url"]}"
admin_chat_id = {ADMIN_CHAT}
poll_timeout = 10

[storage]
path = "{db}"
synchronous = "{synchronous}"

[sender]
{sender}
"""
        path = self.workdir / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path, db


async def run_intake(
    size: IntakeSize, workdir: Path, profile: Path | None = None, experiment: str | None = None
) -> tuple[list[Row], list[str]]:
    """Figures 1 and 5 (and, with `profile`, a pyinstrument profile of the bot)."""
    emulator = await Child.start("bench.emulator", log=workdir / "emulator.log")
    bench = Bench(emulator, await emulator.ready(), workdir, experiment)
    try:
        await bench.control.call("setup", groups=[ADMIN_CHAT])
        return await _figures(bench, size, profile)
    finally:
        await bench.control.close()
        await emulator.stop()


async def _figures(
    bench: Bench, size: IntakeSize, profile: Path | None
) -> tuple[list[Row], list[str]]:
    info = bench.info
    echo = await bench.start(
        "bench.echo", info["base_url"], info["base_file_url"], info["token"], name="echo"
    )
    await bench.walk(echo, "echo", size.warmup)
    yardstick = await bench.walk(echo, "echo", size.chats)
    await echo.stop()
    rows = [
        Row(
            f"Echo bot (bare PTB run_polling), {size.chats} chats x 11 messages",
            f"{yardstick.rate:,.0f} updates/s; {yardstick.steps()}; CPU {yardstick.load()}",
        )
    ]
    notes = [
        f"Intake: emulator flood limits off; bot [sender] {SENDER}; "
        f"{size.chats} residents filing a whole report each (11-12 updates), "
        f"after a warm-up of {size.warmup}; CPU shares are of one core."
    ]
    for sync in ("FULL", "NORMAL"):
        more, note = await _intake(bench, size, sync, yardstick)
        rows += more
        notes.append(note)
    rows.append(await _memory(bench, size))
    if profile is not None:
        notes.append(await _profile(bench, size, profile))
    return rows, notes


async def _intake(
    bench: Bench, size: IntakeSize, sync: str, yardstick: Walked
) -> tuple[list[Row], str]:
    config, db = bench.config(f"intake-{sync.lower()}", sync)
    bot = await bench.start("bench.botproc", str(config), name=f"bot-{sync.lower()}")
    try:
        await bench.walk(bot, "report", size.warmup)
        full = await bench.walk(bot, "report", size.chats)
        paced = await bench.walk(bot, "report", size.chats, rate=size.rate)
    finally:
        await bot.stop()
    ratio = full.rate / yardstick.rate if yardstick.rate else 0.0
    p99 = percentile(paced.latencies, 0.99)
    rows = [
        Row(
            f"Intake throughput, SQLite {sync}, {size.chats} chats at once "
            "(bot's sender limits raised, emulator's flood limits off)",
            f"{full.rate:,.0f} updates/s = {ratio:.2f} x echo; {full.steps()}; "
            f"CPU {full.load()}; lost {full.lost}",
            f">= {RATIO_TARGET} x echo",
            ratio >= RATIO_TARGET and full.lost == 0,
        ),
        Row(
            f"Intake latency per step, SQLite {sync}, paced at {size.rate:.0f} updates/s "
            "(same settings)",
            f"{paced.steps()} ({paced.rate:,.0f} updates/s achieved; CPU {paced.load()}; "
            f"lost {paced.lost})",
            f"p99 < {ms(STEP_TARGET)}",
            p99 < STEP_TARGET and paced.lost == 0,
        ),
    ]
    return rows, f"{sync}: {_database(db)}"


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
