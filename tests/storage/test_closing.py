"""Closing with evidence and the Ombudsman notices, stored on both backends (m015)."""

from __future__ import annotations

from datetime import timedelta

from flows.closing import Closing
from storage.base import Store
from tests.factories import NOW, make_report


def closing_of(report_id: int, *, pending: bool, note: str = "Got sudah dikuras") -> Closing:
    return Closing(
        report_id=report_id,
        note=note,
        photo="after-photo-1",
        unit="Petugas Dinas Lingkungan Hidup",
        actor="petugas:9002",
        said_at=NOW,
        pending=pending,
    )


async def test_a_pending_closing_is_confirmed_once(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        assert await tx.closing(report.id) is None
        await tx.save_closing(closing_of(report.id, pending=True))
    async with db.transaction() as tx:
        stored = await tx.closing(report.id)
        assert stored == closing_of(report.id, pending=True)
        assert await tx.confirm_closing(report.id)
        assert not await tx.confirm_closing(report.id)  # nothing pending any more
        confirmed = await tx.closing(report.id)
    assert confirmed is not None and not confirmed.pending
    assert confirmed.said_at == NOW and confirmed.photo == "after-photo-1"


async def test_a_closing_sent_back_is_gone_and_a_new_one_replaces_it(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        await tx.save_closing(closing_of(report.id, pending=True))
        assert await tx.drop_closing(report.id)
        assert not await tx.drop_closing(report.id)
        assert await tx.closing(report.id) is None
        await tx.save_closing(closing_of(report.id, pending=True, note="Pertama"))
        await tx.save_closing(closing_of(report.id, pending=False, note="Kedua"))
        again = await tx.closing(report.id)
    assert again is not None and again.note == "Kedua" and not again.pending


async def test_the_ombudsman_notice_is_claimed_once_per_report(db: Store) -> None:
    async with db.transaction() as tx:
        first = await tx.insert_report(make_report("SW-AAAA-0001"))
        second = await tx.insert_report(make_report("SW-AAAA-0002"))
        assert await tx.claim_ombudsman_notice(first.id, "jawaban", NOW)
        assert not await tx.claim_ombudsman_notice(first.id, "belum", NOW + timedelta(days=1))
        told = await tx.ombudsman_notices([first.id, second.id])
    assert told == {first.id: "jawaban"}


async def test_resetting_the_follow_up_lets_the_reporter_be_asked_again(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        await tx.stamp(report.id, "followup_due_at", NOW)
        await tx.stamp(report.id, "followup_asked_at", NOW)
        await tx.set_followup(report.id, answer="belum", rating=2)
        await tx.reset_followup(report.id)
        again = await tx.get_report_by_id(report.id)
    assert again.followup_due_at is None and again.followup_asked_at is None
    assert again.followup_answer is None and again.rating == 2  # her rating stays
