"""Figure 6, a flood day (issue #17): 1,000 residents file within ten minutes against
the emulator with Telegram's flood limits on and 5% of Bot API calls failing, while
officers work the cards in their groups; on SQLite (polling) and on PostgreSQL with two
webhook workers.

The residents and officers run inside the emulator process (`bench.surge_walk`); the
bot runs as in production (`bench.botproc`, default `[sender]` limits). After the last
resident filed, the bench waits until the outbox is empty, then reads what arrived
where. Checked: every report filed once, no message lost (outbox empty, nothing failed
but digested cards) or doubled, no 429 from the flood limits. Measured: reports per
minute against the ceiling Telegram's 30 messages a second allow at the messages a
report cost, new bot messages and resident actions per report, step latency, when the
last report reached its group (a card or a digest), and, on SQLite, the longest
transaction (`storage.sqlite` logs it at the stop).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bench.harness import ADMIN_CHAT, Bench
from bench.procs import Child
from bench.report import Row, ms, percentile
from bench.stores import drop_database, fresh_database, remove_database
from bench.workers import MAX_CONNECTIONS, SECRET, free_port, hook_url, start_workers

TELEGRAM_PER_SECOND = 30.0
STEP_P99_TARGET = 3.0
FAULTS = {"error": 0.02, "drop": 0.01, "too_many": 0.01, "slow": 0.01}
"""5% of Bot API calls fail: 500, connection dropped, an injected 429, or 0.5 s late."""
JITTER = 0.5
"""Seconds of network jitter the emulator's flood limits forgive: the injected slow
calls arrive 0.5 s late, which a strict count would charge to the bot's pacing."""
LIMITS = {"messages_per_second": 29.5, "private_chat_per_second": 1.0, "group_per_minute": 20}
OPD_GROUPS = {"dpupr": -100801, "dlh": -100802, "pdam": -100803, "dishub": -100804}
"""OPDs with a group of their own; every other report goes to the central chat."""
FIRST_OFFICER = 8_000_001
DRAIN_TIMEOUT = 1800.0
DATABASE = "suara_warga_bench_surge"


@dataclass(frozen=True)
class SurgeSize:
    """How many residents arrive over how many seconds, and how people pace themselves."""

    residents: int = 1000
    span: float = 600.0
    think: float = 2.0  # seconds between a resident's steps, at least
    officer_every: float = 6.0  # seconds between an officer's actions in a group
    digest_minutes: float = 3.0  # [sender] digest_after_minutes


QUICK = SurgeSize(residents=20, span=10.0, officer_every=15.0, digest_minutes=0.5)
"""Small enough for under a minute per layout; digests come sooner to keep it short."""


def officers_config() -> str:
    """The [officers] section: one officer in the central chat and in each OPD group."""
    lines = ["[officers]", f"central = [{FIRST_OFFICER}]"]
    for number, (body, chat) in enumerate(OPD_GROUPS.items(), 1):
        lines.append(f"[officers.opd.{body}]")
        lines.append(f"chat_id = {chat}")
        lines.append(f"officers = [{FIRST_OFFICER + number}]")
    return "\n" + "\n".join(lines) + "\n"


async def run_surge(
    size: SurgeSize, workdir: Path, dsn: str | None
) -> tuple[list[Row], list[str]]:
    """The surge on SQLite, and with `dsn` on PostgreSQL with two webhook workers."""
    rows: list[Row] = []
    notes = [
        f"Surge: {size.residents} residents arriving over {size.span:.0f} s, "
        f">= {size.think:.0f} s between steps; officers act every {size.officer_every:.0f} s "
        f"per group; emulator flood limits on (forgiving {JITTER} s of jitter); "
        f"faults {FAULTS}; bot [sender] {LIMITS}; "
        f"groups: central + {', '.join(OPD_GROUPS)}; digests after {size.digest_minutes} min."
    ]
    layouts: list[tuple[str, str | None]] = [("SQLite, polling", None)]
    if dsn is not None:
        layouts.append(("PostgreSQL, 2 webhook workers", dsn))
    for label, server in layouts:
        more, note = await _layout(label, size, workdir, server)
        rows += more
        notes += note
    return rows, notes


async def _layout(
    label: str, size: SurgeSize, workdir: Path, dsn: str | None
) -> tuple[list[Row], list[str]]:
    emulator = await Child.start("bench.emulator", log=workdir / "emulator-surge.log")
    bench = Bench(emulator, await emulator.ready(), workdir, None)
    url = await fresh_database(dsn, DATABASE) if dsn else None
    try:
        groups = [ADMIN_CHAT, *OPD_GROUPS.values()]
        await bench.control.call("setup", groups=groups)
        bots, pending = await _start(bench, url, size)
        try:
            await bench.control.call("flood", on=True, slack=JITTER)
            await bench.control.call("chaos", **FAULTS)
            started = time.perf_counter()
            walked = await bench.control.call(
                "surge",
                first_user=1_000_001,
                residents=size.residents,
                span=size.span,
                think=size.think,
                groups=groups,
                first_officer=FIRST_OFFICER,
                officer_every=size.officer_every,
            )
            drained = await _drain(pending)
            seen = await bench.control.call("surge_end")
            took = time.perf_counter() - started
        finally:
            await asyncio.gather(*(bot.stop() for bot in bots))
            if url:
                await bench.control.call("webhook")
        stored = await _stored(url or str(workdir / "surge.sqlite3"))
        logs = "\n".join(bot.log.read_text(errors="replace") for bot in bots)
    finally:
        await bench.control.close()
        await emulator.stop()
        if dsn:
            await drop_database(dsn, DATABASE)
    return _rows(label, size, walked, seen, stored, logs, drained, took)


async def _start(bench: Bench, url: str | None, size: SurgeSize) -> tuple[list[Child], Any]:
    """The bot(s), and a function counting the messages still waiting in the outbox."""
    limits = {**LIMITS, "digest_after_minutes": size.digest_minutes}
    if url is None:
        db = bench.workdir / "surge.sqlite3"
        remove_database(db)
        storage = f'path = "{db}"\nsynchronous = "NORMAL"'
        config = bench.write_config("surge", storage, officers_config(), limits)
        bot = await bench.start("bench.botproc", str(config), name="surge-bot")
        return [bot], lambda: _pending_sqlite(db)
    ports = [free_port(), free_port()]
    workers = await start_workers(bench, url, ports, limits, officers_config())
    hooks = [hook_url(port) for port in ports]
    await bench.control.call("webhook", urls=hooks, secret=SECRET, max_connections=MAX_CONNECTIONS)
    return workers, lambda: _pending_postgres(url)


async def _pending_sqlite(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        row = conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()
        return int(row[0])


async def _pending_postgres(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE state = 'pending'"))
    finally:
        await conn.close()


async def _drain(pending: Any) -> float:
    """Wait until the outbox is empty; the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < DRAIN_TIMEOUT:
        if await pending() == 0:
            break
        await asyncio.sleep(2.0)
    return time.perf_counter() - started


async def _stored(where: str) -> dict[str, int]:
    """Reports (and distinct codes), and the outbox's rows by outcome."""
    queries = {
        "reports": "SELECT count(*) FROM reports",
        "codes": "SELECT count(DISTINCT code) FROM reports",
        "pending": "SELECT count(*) FROM outbox WHERE state = 'pending'",
        "failed": "SELECT count(*) FROM outbox WHERE state = 'failed' "
        "AND (last_error IS NULL OR last_error <> 'digested')",
        "digested": "SELECT count(*) FROM outbox WHERE last_error = 'digested'",
        "busy_notices": "SELECT count(*) FROM outbox WHERE purpose = 'busy'",
    }
    if where.startswith("postgresql://"):
        conn = await asyncpg.connect(where)
        try:
            return {key: int(await conn.fetchval(sql)) for key, sql in queries.items()}
        finally:
            await conn.close()
    with sqlite3.connect(f"file:{where}?mode=ro", uri=True) as db:
        return {key: int(db.execute(sql).fetchone()[0]) for key, sql in queries.items()}


def _longest_transaction(logs: str) -> tuple[float | None, int]:
    """The longest SQLite transaction (ms) and how many were over 50 ms, from the log."""
    found = re.findall(r"longest ([0-9.]+) ms, ([0-9]+) over", logs)
    if not found:
        return None, 0
    return max(float(a) for a, _ in found), sum(int(b) for _, b in found)


def _rows(
    label: str,
    size: SurgeSize,
    walked: dict[str, Any],
    seen: dict[str, Any],
    stored: dict[str, int],
    logs: str,
    drained: float,
    took: float,
) -> tuple[list[Row], list[str]]:
    filed = int(walked["filed"])
    offered = size.residents / size.span * 60
    reports = max(stored["reports"], 1)
    per_report = seen["sends_ok"] / reports
    ceiling = TELEGRAM_PER_SECOND * 60 / per_report if per_report else 0.0
    achieved = filed / (float(walked["seconds"]) / 60) if walked["seconds"] else 0.0
    new = seen["new_messages"]
    new_per = sum(new) / len(new) if new else 0.0
    actions = walked["updates"] / max(filed, 1)
    lat = seen["latencies"]
    p99 = percentile(lat, 0.99)
    locked = len(re.findall(r"database is locked|database busy", logs))
    longest, slow = _longest_transaction(logs)
    whole = (
        filed == size.residents
        and walked["lost"] == 0
        and stored["reports"] == stored["codes"] == filed
        and stored["pending"] == 0
        and stored["failed"] == 0
        and seen["duplicated"] == 0
        and seen["not_reached"] == 0
        and seen["flood_429"] == 0
    )
    last = max(seen["reach_delays"], default=0.0)
    rows = [
        Row(
            f"Surge, {label}: {size.residents:,} residents in {size.span / 60:.0f} min, "
            "Telegram limits, 5% faults, officers working",
            f"{filed:,} filed once each ({stored['reports']:,} reports); lost steps "
            f"{walked['lost']}; messages failed {stored['failed']}, doubled "
            f"{seen['duplicated']}, not in a group {seen['not_reached']}; 429s from limits "
            f"{seen['flood_429']}; {achieved:.0f} reports/min (offered {offered:.0f}) "
            f"vs ceiling {ceiling:.0f}/min at {per_report:.1f} messages per report",
            "all filed once, none lost or doubled, no 429",
            whole,
        ),
        Row(
            f"Surge, {label}: per report and waits",
            f"{new_per:.1f} new bot messages and {actions:.1f} actions per resident; step "
            f"p50 {ms(percentile(lat, 0.5))}, p99 {ms(p99)}; last report in its group "
            f"{last:.0f} s after filing ({seen['digests']} digests); "
            + (
                f"longest transaction {longest:.1f} ms ({slow} over 50 ms), 'locked' {locked}"
                if longest is not None
                else f"'locked' {locked}"
            ),
            "p99 < 3 s" + (", no transaction > 50 ms, never locked" if longest is not None else ""),
            p99 < STEP_P99_TARGET and locked == 0 and (longest is None or longest <= 50.0),
        ),
    ]
    notes = [
        f"Surge, {label}: residents done in {walked['seconds']:.0f} s, outbox drained "
        f"{drained:.0f} s later ({took:.0f} s in all); officers pressed {seen['presses']}, "
        f"searched {seen['searches']}; {stored['digested']} card rows replaced by digests; "
        f"{stored['busy_notices']} busy notices; faults injected {seen['injected']}"
        + (f"; lost: {walked['why']}" if walked["why"] else "")
    ]
    return rows, notes
