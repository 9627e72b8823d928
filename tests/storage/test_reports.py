"""Reports: round trip, codes, per-reporter lists, status and routing history."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from flows.report import TRIAGE, HistoryEntry, NewReport, Privacy, Status
from storage.base import Store
from storage.errors import CodeTakenError, NotFoundError
from tests.factories import BU_RINA, NOW, PAK_BUDI, SITI, WIB, make_report
from tests.storage.helpers import fetch


async def test_a_report_round_trips_with_photos_in_order(db: Store) -> None:
    photos = ("AgAC-foto-3", "AgAC-foto-1", "AgAC-foto-2")
    new = make_report(
        reporter=BU_RINA,
        neighbour=PAK_BUDI,
        photos=photos,
        privacy=Privacy.RAHASIA,
        body="dinas-pupr",
        kind="jalan-rusak",
    )
    async with db.transaction() as tx:
        inserted = await tx.insert_report(new)

    async with db.transaction() as tx:
        by_code = await tx.get_report(new.code)
        by_id = await tx.get_report_by_id(inserted.id)

    assert by_code == by_id == inserted
    assert inserted.status is Status.DITERIMA
    assert inserted.updated_at == new.filed_at
    stored = inserted.model_dump(include=set(NewReport.model_fields))
    assert stored == new.model_dump()
    assert inserted.photos == photos
    assert inserted.neighbour == PAK_BUDI
    assert inserted.place.address == "Jl. Dr. Djunjunan, depan warung Bu Yati"
    assert inserted.privacy is Privacy.RAHASIA


async def test_a_minimal_report_round_trips(db: Store) -> None:
    new = make_report(photos=(), place=make_report().place.model_copy(update={"latitude": None}))
    async with db.transaction() as tx:
        report = await tx.insert_report(new)

    assert report.photos == ()
    assert report.neighbour is None
    assert report.place.latitude is None
    assert report.body == TRIAGE
    assert report.kind is None


async def test_personal_data_lives_in_plain_columns(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.insert_report(make_report(reporter=BU_RINA, neighbour=PAK_BUDI))

    assert await fetch(
        db, "SELECT reporter_name, reporter_phone, neighbour_name, kelurahan FROM reports"
    ) == [("Bu Rina", "0812-555-0142", "Pak Budi", "Pasteur")]


async def test_times_come_back_as_the_same_instant_in_utc(db: Store) -> None:
    filed_at = NOW.astimezone(WIB)
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report(filed_at=filed_at))

    assert report.filed_at == filed_at
    assert report.filed_at.tzinfo is UTC


async def test_a_taken_code_is_refused_and_the_transaction_stays_usable(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.insert_report(make_report("SW-7K3M-Q9XA"))

    async with db.transaction() as tx:
        with pytest.raises(CodeTakenError) as caught:
            await tx.insert_report(make_report("SW-7K3M-Q9XA", reporter=BU_RINA))
        retried = await tx.insert_report(make_report("SW-7K3M-Q9XB", reporter=BU_RINA))

    assert caught.value.code == "SW-7K3M-Q9XA"
    async with db.transaction() as tx:
        assert (await tx.get_report("SW-7K3M-Q9XA")).reporter == SITI
        assert await tx.get_report("SW-7K3M-Q9XB") == retried
        assert len(await tx.history(retried.id)) == 1


async def test_missing_reports_raise_not_found(db: Store) -> None:
    async with db.transaction() as tx:
        with pytest.raises(NotFoundError, match="SW-0000-0000"):
            await tx.get_report("SW-0000-0000")
        with pytest.raises(NotFoundError):
            await tx.get_report_by_id(404)
        with pytest.raises(NotFoundError):
            await tx.history(404)
        with pytest.raises(NotFoundError):
            await tx.set_status(404, Status.SELESAI, actor="petugas", at=NOW)


async def test_reports_by_reporter_are_newest_first_and_only_theirs(db: Store) -> None:
    async with db.transaction() as tx:
        for n, hours_ago in enumerate([5, 1, 30, 3]):
            await tx.insert_report(
                make_report(f"SW-0000-000{n}", filed_at=NOW - timedelta(hours=hours_ago))
            )
        await tx.insert_report(make_report("SW-RINA-0001", reporter=BU_RINA, filed_at=NOW))

    async with db.transaction() as tx:
        siti = await tx.reports_by_reporter(SITI.user_id)
        latest_two = await tx.reports_by_reporter(SITI.user_id, limit=2)
        rina = await tx.reports_by_reporter(BU_RINA.user_id)
        nobody = await tx.reports_by_reporter(9999)

    assert [r.code for r in siti] == [
        "SW-0000-0001",
        "SW-0000-0003",
        "SW-0000-0000",
        "SW-0000-0002",
    ]
    assert [r.code for r in latest_two] == ["SW-0000-0001", "SW-0000-0003"]
    assert all(r.photos == make_report().photos for r in siti)
    assert [r.code for r in rina] == ["SW-RINA-0001"]
    assert nobody == []


async def test_count_reports_since_counts_only_that_reporter_from_then_on(db: Store) -> None:
    async with db.transaction() as tx:
        for n, hours_ago in enumerate([0, 2, 24, 25]):
            await tx.insert_report(
                make_report(f"SW-0000-000{n}", filed_at=NOW - timedelta(hours=hours_ago))
            )
        await tx.insert_report(make_report("SW-RINA-0001", reporter=BU_RINA))

    async with db.transaction() as tx:
        assert await tx.count_reports_since(SITI.user_id, NOW - timedelta(hours=24)) == 3
        assert await tx.count_reports_since(SITI.user_id, NOW + timedelta(seconds=1)) == 0
        assert await tx.count_reports_since(BU_RINA.user_id, NOW - timedelta(days=7)) == 1


async def test_set_status_appends_history(db: Store) -> None:
    later = NOW + timedelta(hours=2)
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report(), actor="warga:1001")
        await tx.set_status(report.id, Status.DIVERIFIKASI, actor="petugas:Andi", at=later)
        done = await tx.set_status(
            report.id,
            Status.SELESAI,
            actor="petugas:Andi",
            at=later + timedelta(days=1),
            note="Lampu sudah diganti.",
        )

    assert done.status is Status.SELESAI
    assert done.updated_at == later + timedelta(days=1)
    assert done.filed_at == NOW
    async with db.transaction() as tx:
        assert await tx.history(report.id) == [
            HistoryEntry(at=NOW, actor="warga:1001", from_status=None, to_status=Status.DITERIMA),
            HistoryEntry(
                at=later,
                actor="petugas:Andi",
                from_status=Status.DITERIMA,
                to_status=Status.DIVERIFIKASI,
            ),
            HistoryEntry(
                at=later + timedelta(days=1),
                actor="petugas:Andi",
                from_status=Status.DIVERIFIKASI,
                to_status=Status.SELESAI,
                note="Lampu sudah diganti.",
            ),
        ]


async def test_set_body_routes_the_report_and_notes_it(db: Store) -> None:
    later = NOW + timedelta(hours=1)
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        routed = await tx.set_body(
            report.id, "dinas-perhubungan", "lampu-jalan", actor="triase:Dewi", at=later
        )
        history = await tx.history(report.id)

    assert (routed.body, routed.kind, routed.updated_at) == (
        "dinas-perhubungan",
        "lampu-jalan",
        later,
    )
    assert routed.status is Status.DITERIMA
    assert history[-1] == HistoryEntry(
        at=later,
        actor="triase:Dewi",
        from_status=Status.DITERIMA,
        to_status=Status.DITERIMA,
        note="body: triage → dinas-perhubungan",
        kind="route",
    )
