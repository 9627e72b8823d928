"""Officers' and housekeeping queries: queues, the monthly facts, the open reports'
progress and reminders already sent, follow-ups, retention, and the partial indexes
(m008) those queries are written to use."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from flows.codes import format_code
from flows.deadlines import Progress
from flows.monthly import ReportFacts
from flows.report import Status
from storage import open_store
from storage.base import Store, Transaction
from storage.postgres.core import numbered
from storage.queries.officers import OPEN_PROGRESS
from storage.queries.privacy import ERASED
from storage.queries.routing import CLOSED_VALUES
from storage.sqlite import SqliteStore
from storage.sqlite_overrides import PAST_RETENTION
from tests.factories import BU_RINA, NOW, SITI, WIB, make_report
from tests.storage.helpers import fetch, is_postgres, query

DAY = timedelta(days=1)


async def file_report(
    tx: Transaction, number: int, *, days_ago: float = 0, body: str = "dlh", **changes: Any
) -> int:
    """File report `number`, `days_ago` days before NOW; returns its id."""
    new = make_report(
        format_code(number), filed_at=NOW - days_ago * DAY, body=body, photos=(), **changes
    )
    return (await tx.insert_report(new)).id


async def close(tx: Transaction, report_id: int, status: Status, decided_at: datetime) -> None:
    await tx.set_status(report_id, status, actor="petugas:1", at=decided_at)
    await tx.stamp(report_id, "decided_at", decided_at)


async def test_open_queue_is_oldest_first_and_only_open_reports(db: Store) -> None:
    async with db.transaction() as tx:
        newer = await file_report(tx, 1, days_ago=1)
        older = await file_report(tx, 2, days_ago=3, body="dpupr")
        done = await file_report(tx, 3, days_ago=5)
        await close(tx, done, Status.SELESAI, NOW)
        oldest = await file_report(tx, 4, days_ago=4)

    async with db.transaction() as tx:
        central = [r.id for r in await tx.open_queue(None)]
        dlh = [r.id for r in await tx.open_queue(["dlh"])]
        first = [r.id for r in await tx.open_queue(None, limit=1)]

    assert central == [oldest, older, newer]
    assert dlh == [oldest, newer]
    assert first == [oldest]


async def test_report_facts_are_those_of_the_month_oldest_first(db: Store) -> None:
    start = datetime(2024, 4, 1, tzinfo=WIB)
    end = datetime(2024, 5, 1, tzinfo=WIB)
    async with db.transaction() as tx:
        await file_report(tx, 1, days_ago=45)  # March
        await file_report(tx, 2, days_ago=20, kind="sampah-liar", reporter=BU_RINA)
        early = await file_report(tx, 3, days_ago=25, body="dpupr")
        await tx.stamp(early, "first_answer_at", NOW - 24 * DAY)
        await close(tx, early, Status.SELESAI, NOW - 22 * DAY)
        # 30 April 17:00 UTC is already 1 May in WIB: next month.
        await tx.insert_report(make_report(format_code(4), filed_at=end.astimezone(UTC)))

    async with db.transaction() as tx:
        every = await tx.report_facts_between(start, end)
        dpupr = await tx.report_facts_between(start, end, ["dpupr"])
        nobody = await tx.report_facts_between(start, end, [])

    place = make_report().place
    assert every == [
        ReportFacts(
            code=format_code(3),
            body="dpupr",
            kind=None,
            kecamatan=place.kecamatan,
            kelurahan=place.kelurahan,
            status=Status.SELESAI,
            filed_at=NOW - 25 * DAY,
            first_answer_at=NOW - 24 * DAY,
            decided_at=NOW - 22 * DAY,
        ),
        ReportFacts(
            code=format_code(2),
            body="dlh",
            kind="sampah-liar",
            kecamatan=place.kecamatan,
            kelurahan=place.kelurahan,
            status=Status.DITERIMA,
            filed_at=NOW - 20 * DAY,
        ),
    ]
    assert all(fact.filed_at.tzinfo is not None for fact in every)
    assert all(isinstance(fact.status, Status) for fact in every)
    assert dpupr == every[:1]
    assert nobody == []


async def test_open_report_progress_pages_through_open_reports_by_id(db: Store) -> None:
    async with db.transaction() as tx:
        ids = [await file_report(tx, n, days_ago=10 - n) for n in range(1, 8)]
        await close(tx, ids[2], Status.DITOLAK, NOW)
        await tx.set_status(ids[4], Status.DIVERIFIKASI, actor="petugas:1", at=NOW)
        await tx.stamp(ids[4], "verified_at", NOW - DAY)
        await tx.stamp(ids[4], "first_answer_at", NOW)

    async with db.transaction() as tx:
        first = await tx.open_report_progress(0, limit=3)
        second = await tx.open_report_progress(first[-1].report_id, limit=3)
        rest = await tx.open_report_progress(second[-1].report_id, limit=3)

    open_ids = [i for i in ids if i != ids[2]]
    assert [p.report_id for p in first + second + rest] == open_ids
    assert len(rest) == 0
    assert first[0] == Progress(report_id=ids[0], filed_at=NOW - 9 * DAY)
    assert second[0] == Progress(
        report_id=ids[4], filed_at=NOW - 5 * DAY, verified_at=NOW - DAY, first_answer_at=NOW
    )


async def test_reminders_sent_are_read_for_many_reports_at_once(db: Store) -> None:
    async with db.transaction() as tx:
        siti = await file_report(tx, 1)
        rina = await file_report(tx, 2, reporter=BU_RINA)
        quiet = await file_report(tx, 3)
        assert await tx.claim_reminder(siti, "jawaban", "pengingat", NOW)
        assert await tx.claim_reminder(siti, "jawaban", "terlambat", NOW)
        assert await tx.claim_reminder(rina, "verifikasi", "terlambat", NOW)
        assert not await tx.claim_reminder(siti, "jawaban", "pengingat", NOW + DAY)

    # More ids than one statement binds on SQLite; unknown ids are simply not found.
    many = [*range(10_000, 11_200), siti, rina, quiet]
    async with db.transaction() as tx:
        sent = await tx.reminders_sent(many)
        nothing = await tx.reminders_sent([])

    assert sent == {
        siti: {("jawaban", "pengingat"), ("jawaban", "terlambat")},
        rina: {("verifikasi", "terlambat")},
    }
    assert nothing == {}


async def test_due_followups_are_the_solved_reports_not_asked_yet(db: Store) -> None:
    async with db.transaction() as tx:
        due = await file_report(tx, 1)
        asked = await file_report(tx, 2)
        later = await file_report(tx, 3)
        for report_id, when in ((due, NOW - DAY), (asked, NOW - DAY), (later, NOW + DAY)):
            await close(tx, report_id, Status.SELESAI, NOW - 2 * DAY)
            await tx.stamp(report_id, "followup_due_at", when)
        await tx.stamp(asked, "followup_asked_at", NOW - DAY)

    async with db.transaction() as tx:
        assert [r.id for r in await tx.due_followups(NOW)] == [due]


async def test_retention_anonymises_in_batches_oldest_decisions_only(db: Store) -> None:
    cutoff = NOW - 365 * DAY
    async with db.transaction() as tx:
        old = [await file_report(tx, n, days_ago=500) for n in range(1, 6)]
        for report_id in old:
            await close(tx, report_id, Status.SELESAI, cutoff - DAY)
        recent = await file_report(tx, 10, days_ago=500)
        await close(tx, recent, Status.DITOLAK, cutoff + DAY)
        still_open = await file_report(tx, 11, days_ago=500)

    async with db.transaction() as tx:
        first = await tx.anonymise_closed_before(cutoff, limit=3)
        second = await tx.anonymise_closed_before(cutoff, limit=3)
        third = await tx.anonymise_closed_before(cutoff, limit=3)

    assert len(first) == 3 and first == sorted(first)
    assert sorted(first + second) == old
    assert third == []
    names = dict(await fetch(db, "SELECT id, reporter_name FROM reports"))
    assert {names[i] for i in old} == {ERASED}
    assert names[recent] == names[still_open] == SITI.name


async def test_the_open_reports_page_uses_its_partial_index(db_location: str) -> None:
    if not is_postgres(db_location):
        store = await SqliteStore.open(db_location)
        await store.close()
        plan = query(store.path, f"EXPLAIN QUERY PLAN {OPEN_PROGRESS}", (0, 1000))
        assert "reports_open" in str(plan)
        return
    await (await open_store(db_location)).close()
    conn = await asyncpg.connect(db_location)
    try:
        async with conn.transaction():
            # On an empty table a scan would do; without one only a provable index can.
            await conn.execute("SET LOCAL enable_seqscan = off")
            await conn.execute("SET LOCAL enable_bitmapscan = off")
            pg_plan = await conn.fetch(f"EXPLAIN {numbered(OPEN_PROGRESS)}", 0, 1000)
    finally:
        await conn.close()
    assert "reports_open" in str(pg_plan)


async def test_retention_on_sqlite_uses_the_index_of_live_reports(
    sqlite_db: SqliteStore,
) -> None:
    plan = query(
        sqlite_db.path,
        f"EXPLAIN QUERY PLAN {PAST_RETENTION}",
        (*CLOSED_VALUES, "2024-01-01T00:00:00.000000Z", 100),
    )
    assert "reports_live" in str(plan)


async def test_search_reports_finds_words_of_visible_bodies_and_escapes_wildcards(
    db: Store,
) -> None:
    async with db.transaction() as tx:
        bridge = await file_report(tx, 1, days_ago=2, body="dpupr", description="Jembatan retak")
        newer = await file_report(
            tx, 2, days_ago=1, body="dpupr", description="Pagar JEMBATAN hilang"
        )
        await file_report(tx, 3, body="dlh", description="Sampah dekat jembatan")
        percent = await file_report(tx, 4, body="dlh", description="Diskon 50% pungli_loket")
        await file_report(tx, 5, body="dlh", description="Diskon 50 persen pungliXloket")

    async with db.transaction() as tx:
        everywhere = [r.id for r in await tx.search_reports("jembatan", None)]
        dpupr = [r.id for r in await tx.search_reports("jembatan", ["dpupr"])]
        first = [r.id for r in await tx.search_reports("jembatan", ["dpupr"], limit=1)]
        nowhere = await tx.search_reports("jembatan", ())
        literal = [r.id for r in await tx.search_reports("50% pungli_", None)]
        wildcard_only = [r.id for r in await tx.search_reports("%", None)]

    assert len(everywhere) == 3
    assert dpupr == [newer, bridge]  # newest first, DLH's report left out
    assert first == [newer]
    assert nowhere == []
    assert literal == [percent] and wildcard_only == [percent]  # % and _ match themselves


async def test_lock_reports_makes_a_crossing_decision_see_the_first(db: Store) -> None:
    async with db.transaction() as tx:
        x = await file_report(tx, 1)
        y = await file_report(tx, 2)

    async def crossing() -> Status:
        async with db.transaction() as tx:
            _, fresh_x = await tx.lock_reports([y, x])  # the other officer: Y → X
            return fresh_x.status

    async with db.transaction() as tx:
        locked = await tx.lock_reports([x, y])  # one officer: X → Y
        await tx.set_status(x, Status.DUPLIKAT, actor="petugas:1", at=NOW)
        second = asyncio.create_task(crossing())
        await asyncio.sleep(0.2)  # it reaches the lock and waits there
        assert not second.done()
    assert [report.id for report in locked] == [x, y]
    assert await second is Status.DUPLIKAT  # it saw X closed, so it can refuse
