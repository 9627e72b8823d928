"""Backpressure in storage, on each backend: a chat's queue and its busy notice, and
the cards a digest replaces (never the first in line, nor an edit of a card shown),
with the photos and evidence copies that follow them."""

from __future__ import annotations

from datetime import timedelta

from storage.base import Store, Transaction
from tests.factories import NOW, make_report

GROUP = -100777
SITI_CHAT = 1001


async def test_a_chat_queue_counts_its_waiting_messages_and_remembers_the_notice(
    db: Store,
) -> None:
    async with db.transaction() as tx:
        empty = await tx.chat_queue(SITI_CHAT)
        await tx.enqueue(SITI_CHAT, '{"text": "satu"}', now=NOW)
        await tx.enqueue(SITI_CHAT, '{"text": "dua"}', now=NOW + timedelta(seconds=5))
        await tx.enqueue(GROUP, '{"text": "lain"}', now=NOW)
        await tx.remember_busy_notice(SITI_CHAT, NOW)
        told = await tx.chat_queue(SITI_CHAT)
        await tx.forget_busy_notice(SITI_CHAT)
        forgotten = await tx.chat_queue(SITI_CHAT)
    assert (empty.queued, empty.oldest, empty.told) == (0, None, False)
    assert (told.queued, told.oldest, told.told) == (2, NOW, True)
    assert not forgotten.told


async def test_a_digest_replaces_the_waiting_cards_but_not_the_first_in_line(db: Store) -> None:
    async with db.transaction() as tx:
        reports = [
            await tx.insert_report(make_report(f"SW-AAAA-000{n}")) for n in range(1, 5)
        ]
        first, second, third, shown = reports
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=first.id, purpose="card")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=second.id, purpose="card")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=second.id, purpose="card_photo")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=second.id, purpose="card_evidence")
        await tx.enqueue(GROUP, "{}", now=NOW, purpose="reminder")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=third.id, purpose="card")
        sent = await tx.enqueue(GROUP, "{}", now=NOW, report_id=shown.id, purpose="card")
        await tx.mark_sent(sent, telegram_message_id=77, now=NOW)
        edit = await tx.enqueue(GROUP, "{}", now=NOW, report_id=shown.id, purpose="card_edit")
        waiting = await tx.group_queue(GROUP)
        replaced = await tx.replace_waiting_cards(GROUP, NOW)
        after = await tx.group_queue(GROUP)
        digested = [await tx.card_digested(r.id, GROUP) for r in reports]
        due = await tx.due_messages(NOW + timedelta(seconds=1))
    assert waiting == (7, 2)  # six waiting; the first card (first in line) not counted
    assert replaced == [second.id, third.id]
    assert after == (3, 0)  # the first card, the reminder, the edit of a card shown
    assert digested == [False, True, True, False]
    assert [m.report_id for m in due if m.chat_id == GROUP] == [first.id]
    async with db.transaction() as tx:
        stats = await tx.outbox_stats(NOW)
    assert stats.failed == 0  # replaced cards are no failures
    assert edit > sent


async def test_a_digest_takes_the_evidence_of_the_cards_it_replaces_and_no_other(
    db: Store,
) -> None:
    async with db.transaction() as tx:
        first, again, later = [
            await tx.insert_report(make_report(f"SW-BBBB-000{n}")) for n in range(1, 4)
        ]
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=first.id, purpose="card")
        # `again`'s card was shown; its evidence is still on its way, then `/cari`
        # queues its card once more, with evidence of its own.
        shown = await tx.enqueue(GROUP, "{}", now=NOW, report_id=again.id, purpose="card")
        await tx.mark_sent(shown, telegram_message_id=78, now=NOW)
        owed = await tx.enqueue(GROUP, "{}", now=NOW, report_id=again.id, purpose="card_evidence")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=again.id, purpose="card")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=again.id, purpose="card_evidence")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=later.id, purpose="card")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=later.id, purpose="card_photo")
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=later.id, purpose="card_evidence")
        replaced = await tx.replace_waiting_cards(GROUP, NOW)
        delivered = await deliver_all(tx, GROUP)
    assert replaced == [again.id, later.id]
    assert delivered == [(first.id, "card"), (again.id, "card_evidence")]
    assert owed > shown


async def deliver_all(tx: Transaction, chat_id: int) -> list[tuple[int | None, str]]:
    """Send (mark sent) what the chat is due, in turn, until nothing is; returns what
    went out as (report id, purpose)."""
    out: list[tuple[int | None, str]] = []
    later = NOW + timedelta(hours=1)
    while due := [m for m in await tx.due_messages(later) if m.chat_id == chat_id]:
        await tx.mark_sent(due[0].id, telegram_message_id=100 + len(out), now=NOW)
        out.append((due[0].report_id, due[0].purpose))
    return out
