"""Figure 4, storage at scale: the bot's queries on a database of many reports.

For each backend (SQLite with synchronous=FULL; PostgreSQL when one answers): build
the database (`bench.dataset`), reach the steady state (one housekeeping pass, timed:
it sends the reminders the generated data never got), then time each operation as the
bot runs it, its transaction included. Housekeeping runs as many short transactions;
its target is on the longest one (what a resident may wait behind on SQLite), the whole
pass is shown beside it. An operation over its target is run once more with its
statements captured, and those are re-timed and EXPLAINed, so the report says which
statement is slow and why.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
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
from flows.monthly import month_bounds, monthly_summary
from flows.office import Office
from flows.report import NewReport, Place, Privacy, Reporter
from flows.rules import Rules
from service.engine import random_code
from service.housekeeping import Housekeeping
from storage import open_store
from storage.base import SentMark, Store, Transaction
from suara_warga.config import Config
from suara_warga.launch import office_of

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
    per_transaction: bool = False  # the target is on the longest transaction


class TimedStore:
    """A store that notes how long each of its transactions took."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.durations: list[float] = []

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Transaction]:
        started = time.perf_counter()
        try:
            async with self.store.transaction() as tx:
                yield tx
        finally:
            self.durations.append(time.perf_counter() - started)

    def reading(self) -> AbstractAsyncContextManager[Transaction]:
        return self.store.reading()

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        await self.store.mark_sent(outbox_id, telegram_message_id=telegram_message_id, now=now)

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        await self.store.mark_all_sent(marks)

    def outbox_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        return self.store.outbox_wakeups(wake)

    def learning_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        return self.store.learning_wakeups(wake)

    async def close(self) -> None:
        await self.store.close()


def operations(rules: Rules, office: Office, now: datetime) -> list[Operation]:
    """The timed operations (see the module docstring)."""
    tz = rules.timezone
    local = now.astimezone(tz)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    start, end = month_bounds(year, month, tz)

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

    async def deadline_page(tx: Transaction) -> None:
        page = await tx.open_report_progress(0, 1000)
        await tx.reminders_sent([p.report_id for p in page])

    async def reminders(store: Store) -> None:
        await Housekeeping(store, rules, office, clock=lambda: now).send_reminders(now)

    async def housekeeping(store: Store) -> None:
        await Housekeeping(store, rules, office, clock=lambda: now).run(RETENTION)

    parts: dict[str, list[float]] = {"reading": [], "summary": []}

    async def monthly(store: Store) -> None:
        started = time.perf_counter()
        async with store.transaction() as tx:
            facts = await tx.report_facts_between(start, end)
        read = time.perf_counter()
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
            "open reports' deadlines, a page (open_report_progress + reminders_sent, 1,000)",
            0.05,
            10,
            read(deadline_page),
        ),
        Operation(
            "deadline reminders, every open report (Housekeeping.send_reminders)",
            0.05,
            3,
            reminders,
            per_transaction=True,
        ),
        Operation(
            "housekeeping pass (Housekeeping.run)", 0.05, 3, housekeeping, per_transaction=True
        ),
        Operation(
            f"monthly report {year}-{month:02d} (report_facts_between + summary)",
            1.0,
            5,
            monthly,
            parts,
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
    first = TimedStore(store)
    started = time.perf_counter()
    reminders, _ = await Housekeeping(first, rules, office, clock=lambda: now).run(RETENTION)
    rows = [
        Row(
            f"{backend}: first housekeeping pass (reminders the generated data never got)",
            f"{ms(time.perf_counter() - started)} in {len(first.durations):,} transactions, "
            f"longest {ms(max(first.durations))}; {reminders:,} reminders",
        )
    ]
    notes: list[str] = []
    for op in operations(rules, office, now):
        row, runs = await _measure(op, store, backend)
        rows.append(row)
        if row.passed is False or op.target is None:
            notes += await _why(op, store, backend, sqlite, postgres, statistics.median(runs))
    return rows, notes


async def _measure(op: Operation, store: Store, backend: str) -> tuple[Row, list[float]]:
    """Time `op`; its row, and the seconds of each run."""
    timer = TimedStore(store)
    longest: list[float] = []
    counts: list[int] = []

    async def run() -> None:
        timer.durations.clear()
        await op.work(timer)
        longest.append(max(timer.durations))
        counts.append(len(timer.durations))

    times = await timed(run, op.repeat)
    median = statistics.median(times)
    judged = statistics.median(longest) if op.per_transaction else median
    passed = None if op.target is None else judged < op.target
    target = "—" if op.target is None else f"< {ms(op.target)}"
    if op.per_transaction:
        target += " per transaction"
        measured = (
            f"longest transaction p50 {ms(judged)} (max {ms(max(longest))}); whole pass "
            f"p50 {ms(median)} in {statistics.median(counts):,.0f} transactions "
            f"({op.repeat} runs)"
        )
    else:
        measured = f"p50 {ms(median)} (max {ms(max(times))}, {op.repeat} runs)"
    if op.parts:
        split = ", ".join(f"{k} {ms(statistics.median(v))}" for k, v in op.parts.items())
        measured += f"; {split}"
    return Row(f"{backend}: {op.label}", measured, target, passed), times


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
    # As the bot does after start-up (bot/runner.py): what lives as long as the process
    # (catalogue, classifier, imported modules) leaves the collector's full passes, so a
    # collection pause landing inside a measured transaction is as short as in the bot.
    gc.collect()
    gc.freeze()
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
