"""Officers' lessons for the classifier, on both backends: numbered in commit order,
read back by range, gone with a rolled-back transaction; a kind correction and its
internal history line; PostgreSQL tells listeners when a lesson commits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from flows.report import HistoryEntry, Status
from storage import open_store
from storage.base import Lesson, Store
from storage.migrations import MIGRATIONS as SQLITE_MIGRATIONS
from storage.postgres import PostgresStore
from storage.postgres.migrations import MIGRATIONS as POSTGRES_MIGRATIONS
from storage.queries.runner import Runner
from storage.sqlite import SqliteStore
from tests.factories import NOW, make_report
from tests.storage.helpers import is_postgres

LATER = NOW + timedelta(hours=2)


class Refused(Exception):
    """Raised inside a transaction to roll it back."""


async def test_lessons_are_numbered_and_read_back_by_range(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.learning_version() == 0
        report = await tx.insert_report(make_report())
        first = await tx.add_routing_example("Sampah menumpuk di TPS", "dlh", NOW, report.id)
        second = await tx.add_kind_example("Sampah menumpuk di TPS", "sarana_rusak", NOW)
    async with db.transaction() as tx:
        third = await tx.add_routing_example("Lampu jalan mati", "dishub", LATER)
        newest = await tx.learning_version()
        everything = await tx.lessons(0, newest)
        after_first = await tx.lessons(first, newest)
        newest_only = await tx.lessons(0, newest, limit=1)
        up_to_second = await tx.lessons(0, second)

    assert (first, second, third, newest) == (1, 2, 3, 3)
    assert everything == [
        Lesson(1, "Sampah menumpuk di TPS", "dlh", None),
        Lesson(2, "Sampah menumpuk di TPS", None, "sarana_rusak"),
        Lesson(3, "Lampu jalan mati", "dishub", None),
    ]
    assert after_first == everything[1:]
    assert newest_only == everything[2:]
    assert up_to_second == everything[:2]


async def test_a_rolled_back_lesson_leaves_no_trace(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.add_kind_example("Petugas minta uang rokok", "permintaan_imbalan", NOW)
    with pytest.raises(Refused):
        async with db.transaction() as tx:
            await tx.add_kind_example("Petugas kasar", "tidak_patut", NOW)
            raise Refused
    async with db.transaction() as tx:
        assert await tx.learning_version() == 1
        assert [lesson.kind for lesson in await tx.lessons(0, 10)] == ["permintaan_imbalan"]
        assert await tx.add_routing_example("Jalan berlubang", "dpupr", LATER) == 2


async def test_set_kind_corrects_the_kind_and_notes_it_internally(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report(kind="sarana_rusak"))
        corrected = await tx.set_kind(
            report.id, "permintaan_imbalan", actor="petugas:7", at=LATER, note="jenis: a → b"
        )
        history = await tx.history(report.id)
        facts = await tx.report_facts_between(NOW - timedelta(days=1), LATER)

    assert (corrected.kind, corrected.updated_at, corrected.body) == (
        "permintaan_imbalan",
        LATER,
        report.body,
    )
    assert history[-1] == HistoryEntry(
        at=LATER,
        actor="petugas:7",
        from_status=Status.DITERIMA,
        to_status=Status.DITERIMA,
        note="jenis: a → b",
        kind="kind",
        public=False,
    )
    assert [fact.kind for fact in facts if fact.code == report.code] == ["permintaan_imbalan"]


async def test_postgres_tells_listeners_when_a_lesson_commits(pg_db: PostgresStore) -> None:
    wake = asyncio.Event()
    async with pg_db.learning_wakeups(wake):
        async with pg_db.transaction() as tx:
            await tx.add_routing_example("Sampah menumpuk di TPS", "dlh", NOW)
            await asyncio.sleep(0)
            assert not wake.is_set()  # NOTIFY is delivered at commit, not before
        await asyncio.wait_for(wake.wait(), 10)


async def test_examples_stored_before_m016_become_the_first_lessons(db_location: str) -> None:
    before: Store
    location = db_location
    if is_postgres(location):
        older_pg = [m for m in POSTGRES_MIGRATIONS if m.__name__ != "m016_learning"]
        before = await PostgresStore.open(location, migrations=older_pg)
    else:
        older = [m for m in SQLITE_MIGRATIONS if m.__name__ != "m016_learning"]
        before = await SqliteStore.open(Path(location), migrations=older)
    try:
        async with before.transaction() as tx:
            assert isinstance(tx, Runner)
            for text, body in (("Sampah menumpuk", "dlh"), ("Lampu jalan mati", "dishub")):
                await tx._execute(
                    "an example stored by an older version",
                    "INSERT INTO routing_examples (text, body, added_at) VALUES (?, ?, ?)",
                    (text, body, tx._encode_time(NOW)),
                )
    finally:
        await before.close()

    store = await open_store(location)
    try:
        async with store.transaction() as tx:
            newest = await tx.learning_version()
            lessons = await tx.lessons(0, newest)
            after = await tx.add_kind_example("Petugas kasar", "tidak_patut", NOW)
    finally:
        await store.close()
    assert [(lesson.text, lesson.body) for lesson in lessons] == [
        ("Sampah menumpuk", "dlh"),
        ("Lampu jalan mati", "dishub"),
    ]
    assert [lesson.version for lesson in lessons] == [1, 2] and newest == 2 and after == 3
