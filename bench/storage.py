"""Figure 4, storage at scale: the bot's queries on a database of many reports.

For each backend (SQLite with synchronous=FULL; PostgreSQL when one answers): build
the database (`bench.dataset`), reach the steady state (one housekeeping pass), then
time each operation as the bot runs it, its transaction included. An operation over
its target is run once more with its statements captured, and those are re-timed and
EXPLAINed, so the report says which statement is slow and why.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.dataset import ADMIN_CHAT
from bench.report import Row, ms
from bench.stores import (
    Capture,
    Hooked,
    build_postgres,
    build_sqlite,
    drop_postgres,
    explain,
    postgres_size,
    sqlite_size,
    timed,
)
from bot.casework import Casework
from bot.desk import Desk
from bot.engine import random_code
from bot.officer_commands import facts_of
from bot.runner import office_of
from flows.monthly import month_bounds, monthly_summary
from flows.office import Office
from flows.report import NewReport, Place, Privacy, Reporter
from flows.rules import Rules
from storage import open_store
from storage.base import Store
from suara_warga.config import Config

OPD_CHAT = -100501
RETENTION = timedelta(days=365)
Work = Callable[[Store], Awaitable[object]]


@dataclass(frozen=True)
class Operation:
    """One thing the bot asks of storage, with its target."""

    label: str
    target: float | None  # seconds; None: for information
    repeat: int
    work: Work
    parts: dict[str, list[float]] = field(default_factory=dict)  # filled by `work`


def operations(rules: Rules, office: Office, now: datetime) -> list[Operation]:
    """The timed operations (see the module docstring)."""
    tz = rules.timezone
    local = now.astimezone(tz)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    start, end = month_bounds(year, month, tz)
    work = Casework(rules, office)

    async def create(store: Store) -> None:
        new = NewReport(
            code=random_code(),
            filed_at=now,
            reporter=Reporter(user_id=123456789, chat_id=123456789, name="Siti Aminah"),
            description="Jalan berlubang besar di depan SDN 2, sudah tiga bulan tidak diperbaiki",
            place=Place(kecamatan="Cilegon", kelurahan="Ketileng", address="depan SDN 2"),
            privacy=Privacy.BIASA,
            body="dpupr",
        )
        async with store.transaction() as tx:
            await tx.insert_report(new)

    def read(query: Callable[..., Awaitable[object]], *args: object) -> Work:
        async def run(store: Store) -> None:
            async with store.transaction() as tx:
                await query(tx, *args)

        return run

    async def reminders(store: Store) -> None:
        async with store.transaction() as tx:
            await work.send_reminders(tx, now)

    async def housekeeping(store: Store) -> None:
        await Desk(store, rules, office, clock=lambda: now).housekeeping(RETENTION)

    parts: dict[str, list[float]] = {"reading": [], "summary": []}

    async def monthly(store: Store) -> None:
        started = time.perf_counter()
        async with store.transaction() as tx:
            reports = await tx.reports_filed_between(start, end)
        read = time.perf_counter()
        facts = [facts_of(r) for r in reports]
        monthly_summary(facts, year, month, tz, office.deadlines, office.holidays, as_of=now)
        parts["reading"].append(read - started)
        parts["summary"].append(time.perf_counter() - read)

    since = now - rules.similar_window
    return [
        Operation("create a report (insert_report, commit)", 0.05, 30, create),
        Operation(
            "similar open reports at filing (open_reports_near)",
            0.05,
            30,
            read(lambda tx: tx.open_reports_near("Ketileng", "dpupr", since)),
        ),
        Operation(
            "an OPD chat's open queue (open_queue([dpupr], 30))",
            0.05,
            20,
            read(lambda tx: tx.open_queue(["dpupr"], 30)),
        ),
        Operation(
            "central open queue (open_queue(None, 30))",
            0.05,
            20,
            read(lambda tx: tx.open_queue(None, 30)),
        ),
        Operation(
            "overdue reports (reports_needing_attention)",
            0.05,
            10,
            read(lambda tx: tx.reports_needing_attention()),
        ),
        Operation("deadline reminders (Casework.send_reminders)", 0.05, 5, reminders),
        Operation("housekeeping pass (Desk.housekeeping)", None, 3, housekeeping),
        Operation(
            f"monthly report {year}-{month:02d} (filed_between + summary)", 1.0, 5, monthly, parts
        ),
    ]


def setting(now: datetime) -> tuple[Rules, Office]:
    """Rules and office as the bot would have them: a central chat, DPUPR's chat."""
    config = Config(
        telegram={"admin_chat_id": ADMIN_CHAT},
        officers={"opd": {"dpupr": {"chat_id": OPD_CHAT}}},
    )
    return config.rules(), office_of(config, now)


async def measure(
    store: Store, backend: str, now: datetime, sqlite: Path | None, postgres: str | None
) -> tuple[list[Row], list[str]]:
    """Time every operation on an open store; rows and EXPLAIN notes."""
    rules, office = setting(now)
    steady = Desk(store, rules, office, clock=lambda: now)
    await steady.housekeeping(RETENTION)  # reminders of the steady state are sent
    rows, notes = [], []
    for op in operations(rules, office, now):
        times = await timed(lambda op=op: op.work(store), op.repeat)  # type: ignore[misc]
        median = statistics.median(times)
        passed = None if op.target is None else median < op.target
        target = "—" if op.target is None else f"< {ms(op.target)}"
        measured = f"p50 {ms(median)} (max {ms(max(times))}, {op.repeat} runs)"
        if op.parts:
            split = ", ".join(f"{k} {ms(statistics.median(v))}" for k, v in op.parts.items())
            measured += f"; {split}"
        rows.append(Row(f"{backend}: {op.label}", measured, target, passed))
        if passed is False or op.target is None:
            notes += await _why(op, store, backend, sqlite, postgres, median)
    return rows, notes


async def _why(
    op: Operation,
    store: Store,
    backend: str,
    sqlite: Path | None,
    postgres: str | None,
    median: float,
) -> list[str]:
    """Which statements the operation runs, how long they take alone, their plans."""
    capture = Capture()
    await op.work(Hooked(store, capture))
    found = await explain(capture, sqlite, postgres)
    total = sum(s.count for s in found)
    sql = sum(s.seconds for s in found)
    notes = [
        f"{backend}, {op.label}: p50 {ms(median)}, of which its {total} SELECTs "
        f"({len(found)} shapes) take {ms(sql)} alone; the rest is Python and writes"
    ]
    for statement in found[:2]:
        shape = " ".join(statement.template.split())
        notes.append(
            f"  {statement.count} x {ms(statement.seconds / statement.count)} "
            f"(total {ms(statement.seconds)}): {shape[:220]}"
        )
        notes += ["    " + line for line in statement.plan.splitlines()[:12]]
    return notes


async def run_storage(n: int, workdir: Path, postgres: str | None) -> tuple[list[Row], list[str]]:
    """Figure 4 on SQLite, and on PostgreSQL if `postgres` (a DSN) is given."""
    now = datetime.now(UTC)
    epoch = int(now.timestamp())
    rows, notes = [], []
    path = workdir / f"reports-{n}.sqlite3"
    built = await build_sqlite(path, n, epoch)
    store = await open_store(path, synchronous="FULL")
    try:
        more, why = await measure(store, "SQLite", now, path, None)
    finally:
        await store.close()
    size = sqlite_size(path)
    rows.append(_size_row("SQLite", n, size, built))
    rows += more
    notes += why
    if postgres is not None:
        url, built = await build_postgres(postgres, n, epoch)
        store = await open_store(url)
        try:
            more, why = await measure(store, "PostgreSQL", now, None, url)
        finally:
            await store.close()
        size, settings = await postgres_size(url)
        await drop_postgres(postgres)
        rows.append(_size_row("PostgreSQL", n, size, built))
        notes.append(f"PostgreSQL server: {settings} (commits cost less than in production)")
        rows += more
        notes += why
    return rows, notes


def _size_row(backend: str, n: int, size: int, built: float) -> Row:
    per = size / n
    return Row(
        f"{backend}: database of {n:,} reports",
        f"{size / 2**20:,.0f} MiB, {per / 1024:.1f} KiB per report (built in {built:.0f} s)",
    )
