"""`mark_sent_many`: the sender's records of a batch (one statement on PostgreSQL) do
what `mark_sent` of each does: sent, linked to the report, erased reporters forgotten."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.base import Store
from storage.errors import NotFoundError
from tests.factories import NOW, make_report
from tests.storage.helpers import fetch

SITI_CHAT = 1001
RINA_CHAT = 1002
OFFICERS = -7001
SOON = NOW + timedelta(seconds=3)


async def test_a_batch_is_marked_sent_and_linked(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        receipt = await tx.enqueue(SITI_CHAT, "{}", now=NOW, report_id=report.id, purpose="receipt")
        card = await tx.enqueue(OFFICERS, "{}", now=NOW, report_id=report.id, purpose="card")
        card_part = await tx.enqueue(
            OFFICERS, "{}", now=NOW, report_id=report.id, purpose="card", first_part=card
        )
        plain = await tx.enqueue(RINA_CHAT, "{}", now=NOW)
        edit = await tx.enqueue(OFFICERS, "{}", now=NOW, report_id=report.id, purpose="card")

    async with db.transaction() as tx:
        await tx.mark_sent_many(
            [(receipt, 501, SOON), (card, 90, SOON), (plain, 7, NOW), (edit, None, SOON)]
        )
    async with db.transaction() as tx:
        await tx.mark_sent_many([(card_part, 91, SOON)])
        await tx.mark_sent_many([])

    assert await fetch(db, "SELECT id, state, telegram_message_id FROM outbox ORDER BY id") == [
        (receipt, "sent", 501),
        (card, "sent", 90),
        (card_part, "sent", 91),
        (plain, "sent", 7),
        (edit, "sent", None),
    ]
    async with db.transaction() as tx:
        assert await tx.report_for_message(SITI_CHAT, 501) == (report.id, "receipt")
        assert await tx.report_for_message(RINA_CHAT, 7) is None  # no report, no link
        assert await tx.message_copies(report.id, "card", OFFICERS) == [[90, 91]]
        assert await tx.due_messages(SOON) == []


async def test_an_erased_reporters_card_keeps_no_payload(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        card = await tx.enqueue(
            OFFICERS, '{"text": "Siti"}', now=NOW, report_id=report.id, purpose="card"
        )
        reply = await tx.enqueue(RINA_CHAT, '{"text": "halo"}', now=NOW)
    async with db.transaction() as tx:
        await tx.erase_person(report.reporter.user_id, report.reporter.chat_id)

    async with db.transaction() as tx:
        await tx.mark_sent_many([(card, 90, SOON), (reply, 8, SOON)])

    assert await fetch(db, "SELECT payload FROM outbox ORDER BY id") == [
        ("{}",),
        ('{"text": "halo"}',),
    ]


async def test_a_missing_message_fails_the_batch(db: Store) -> None:
    async with db.transaction() as tx:
        sent = await tx.enqueue(SITI_CHAT, "{}", now=NOW)
    with pytest.raises(NotFoundError):
        async with db.transaction() as tx:
            await tx.mark_sent_many([(sent, 11, SOON), (404, 12, SOON)])
    assert await fetch(db, "SELECT state FROM outbox") == [("pending",)]
