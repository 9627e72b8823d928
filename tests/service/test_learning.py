"""Officers' corrections teach the classifier only once committed, on both backends:
a correction rolled back (a failure after it inside the unit of work) teaches nothing;
a committed one reaches every worker's classifier when it catches up; an erased one
leaves it at the next catch-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.office import Office
from flows.officer import Decision
from flows.report import Report
from flows.rules import Rules
from service.decisions import Decisions
from service.learning import Learning
from service.unit_of_work import unit_of_work
from storage import Store, open_store
from tests.factories import BU_RINA, NOW, SITI, make_report
from tests.postgres_cluster import BACKENDS

STORY = "Petugas kelurahan minta uang rokok dua ratus ribu buat surat pengantar"
ALIKE = "Petugas kelurahan minta uang rokok dua ratus ribu untuk surat pengantar"
RINAS = "Lampu jalan di depan musala gang kenanga mati sudah tiga minggu"
RINAS_ALIKE = "Lampu jalan di depan musala gang kenanga mati sudah tiga pekan"


class PowerCut(Exception):
    """A failure after the correction, inside the same unit of work."""


@pytest.fixture(params=BACKENDS)
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where two workers' stores point: one SQLite file or one PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


async def filed(store: Store) -> Report:
    async with store.transaction() as tx:
        return await tx.insert_report(make_report(description=STORY, kind="sarana_rusak"))


def other_kind(rules: Rules, text: str) -> str:
    """A kind the classifier does not give `text` now."""
    now = rules.classifier.classify(text).kind
    return next(k.id for k in rules.catalogue.kinds if k.id not in (now, "sarana_rusak"))


async def correct(store: Store, decisions: Decisions, report: Report, decision: Decision) -> None:
    async with unit_of_work(store, None, NOW) as tx:
        assert tx is not None
        await decisions.apply(tx, report, decision, actor="petugas:7", unit="DLH", now=NOW)


async def test_a_rolled_back_correction_teaches_nothing(shared: str) -> None:
    rules = Rules()
    store = await open_store(shared)
    try:
        learning = Learning(store, rules.classifier)
        await learning.catch_up()
        decisions = Decisions(rules, Office())
        report = await filed(store)
        kind = other_kind(rules, ALIKE)
        body_before = rules.classifier.classify(ALIKE).candidates[0].body_id
        with pytest.raises(PowerCut):
            async with unit_of_work(store, None, NOW) as tx:
                assert tx is not None
                for decision in (Decision(kind=kind), Decision(body="dishub", learn=True)):
                    await decisions.apply(
                        tx, report, decision, actor="petugas:7", unit="DLH", now=NOW
                    )
                raise PowerCut

        assert rules.classifier.classify(ALIKE).kind != kind  # nothing learned in memory
        assert await learning.catch_up() == 0  # nor stored
        assert rules.classifier.classify(ALIKE).kind != kind
        assert rules.classifier.classify(ALIKE).candidates[0].body_id == body_before
        async with store.transaction() as tx:
            assert (await tx.get_report_by_id(report.id)).kind == "sarana_rusak"
    finally:
        await store.close()


async def test_a_committed_correction_reaches_every_worker(shared: str) -> None:
    here, there = Rules(), Rules()
    first, second = await open_store(shared), await open_store(shared)
    try:
        mine, theirs = Learning(first, here.classifier), Learning(second, there.classifier)
        await mine.catch_up()
        await theirs.catch_up()
        report = await filed(first)
        kind = other_kind(there, ALIKE)
        await correct(first, Decisions(here, Office()), report, Decision(kind=kind))

        assert there.classifier.classify(ALIKE).kind != kind  # not before it catches up
        assert await theirs.catch_up() == 1
        assert there.classifier.classify(ALIKE).kind == kind
        assert await theirs.catch_up() == 0  # each lesson once
        assert theirs.version == await mine_version(first)
    finally:
        await first.close()
        await second.close()


async def mine_version(store: Store) -> int:
    async with store.transaction() as tx:
        return await tx.learning_version()


async def test_erased_lessons_leave_a_running_workers_memory(shared: str) -> None:
    here, there = Rules(), Rules()
    first, second = await open_store(shared), await open_store(shared)
    try:
        mine, theirs = Learning(first, here.classifier), Learning(second, there.classifier)
        await mine.catch_up()
        await theirs.catch_up()
        decisions = Decisions(here, Office())
        sitis = await filed(first)
        kind = other_kind(there, ALIKE)
        await correct(first, decisions, sitis, Decision(kind=kind))
        async with first.transaction() as tx:
            other = make_report("SW-RINA1-Q9XA", reporter=BU_RINA, description=RINAS)
            rinas = await tx.insert_report(other)
        rinas_kind = other_kind(there, RINAS_ALIKE)
        await correct(first, decisions, rinas, Decision(kind=rinas_kind))
        assert await theirs.catch_up() == 2
        assert there.classifier.classify(ALIKE).kind == kind

        async with first.transaction() as tx:
            await tx.erase_person(SITI.user_id, SITI.chat_id)
        assert await theirs.catch_up() == 1  # Bu Rina's lesson, learned again
        assert there.classifier.classify(ALIKE).kind != kind  # Siti's words are gone
        assert there.classifier.classify(RINAS_ALIKE).kind == rinas_kind
        assert await theirs.catch_up() == 0
    finally:
        await first.close()
        await second.close()
