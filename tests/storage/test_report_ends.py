"""The ends of a report in storage, on SQLite and PostgreSQL: handed over (dilimpahkan)
and withdrawn (dicabut) are stored, keep their note, and are closed everywhere the
store asks for open reports (queues, reminders, similar reports) and for retention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.report import Status
from storage.base import Store
from tests.factories import NOW, SUKAJADI
from tests.storage.test_officers import DAY, close, file_report

ENDS = [Status.DILIMPAHKAN, Status.DICABUT]


@pytest.mark.parametrize("status", ENDS)
async def test_an_ended_report_keeps_its_status_and_note(db: Store, status: Status) -> None:
    async with db.transaction() as tx:
        report_id = await file_report(tx, 1, body="pln")
        await tx.set_end_note(report_id, "Sudah diperbaiki warga sendiri")
        await close(tx, report_id, status, NOW)

    async with db.transaction() as tx:
        report = await tx.get_report_by_id(report_id)
        history = await tx.history(report_id)

    assert report.status is status and report.closed
    assert report.end_note == "Sudah diperbaiki warga sendiri"
    assert report.decided_at == NOW
    assert history[-1].to_status is status


@pytest.mark.parametrize("status", ENDS)
async def test_ended_reports_leave_every_open_list(db: Store, status: Status) -> None:
    async with db.transaction() as tx:
        still_open = await file_report(tx, 1, days_ago=2)
        ended = await file_report(tx, 2, days_ago=3)
        await close(tx, ended, status, NOW)

    async with db.transaction() as tx:
        queue = [r.id for r in await tx.open_queue(None)]
        reminders = [p.report_id for p in await tx.open_report_progress(0)]
        near = await tx.open_reports_near(SUKAJADI.kelurahan, "dlh", NOW - 10 * DAY)

    assert queue == [still_open]
    assert reminders == [still_open]  # no reminder, no escalation on day 70
    assert [r.id for r in near] == [still_open]  # never offered to support


async def test_retention_anonymises_ended_reports_too(db: Store) -> None:
    async with db.transaction() as tx:
        handed = await file_report(tx, 1, days_ago=400)
        withdrawn = await file_report(tx, 2, days_ago=400)
        recent = await file_report(tx, 3, days_ago=10)
        await close(tx, handed, Status.DILIMPAHKAN, NOW - 390 * DAY)
        await close(tx, withdrawn, Status.DICABUT, NOW - 390 * DAY)
        await close(tx, recent, Status.DICABUT, NOW - 5 * DAY)

    async with db.transaction() as tx:
        anonymised = await tx.anonymise_closed_before(NOW - timedelta(days=365))

    assert anonymised == sorted([handed, withdrawn])


async def test_the_end_note_can_be_cleared(db: Store) -> None:
    async with db.transaction() as tx:
        report_id = await file_report(tx, 1)
        await tx.set_end_note(report_id, "catatan")
        await tx.set_end_note(report_id, None)
        report = await tx.get_report_by_id(report_id)
    assert report.end_note is None
