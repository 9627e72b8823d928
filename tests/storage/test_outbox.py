"""The outbox: strict order per chat, retries, failures, blocked chats, message links."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from storage.base import OutboxMessage, OutboxStats, SentMark, Store
from storage.errors import NotFoundError
from tests.factories import BU_RINA, NOW, SITI, make_report
from tests.storage.helpers import fetch

SITI_CHAT = 1001
RINA_CHAT = 1002
OFFICERS_CHAT = -100777
CENTRAL_COPY_CHAT = -100888
SOON = NOW + timedelta(seconds=30)


async def due_ids(db: Store, now: datetime = SOON) -> list[int]:
    """Ids of the messages a sender would pick up at `now`."""
    async with db.transaction() as tx:
        return [m.id for m in await tx.due_messages(now)]


async def test_an_enqueued_message_is_due_with_its_fields(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        outbox_id = await tx.enqueue(
            SITI_CHAT,
            '{"text": "Laporan diterima"}',
            now=NOW,
            report_id=report.id,
            purpose="receipt",
        )
        due = await tx.due_messages(NOW)

    assert due == [
        OutboxMessage(
            id=outbox_id,
            chat_id=SITI_CHAT,
            payload='{"text": "Laporan diterima"}',
            attempts=0,
            created_at=NOW,
            next_attempt_at=NOW,
            report_id=report.id,
            purpose="receipt",
        )
    ]


async def test_only_the_oldest_message_of_each_chat_is_due(db: Store) -> None:
    async with db.transaction() as tx:
        siti_1 = await tx.enqueue(SITI_CHAT, '{"text": "satu"}', now=NOW)
        rina_1 = await tx.enqueue(RINA_CHAT, '{"text": "halo Bu Rina"}', now=NOW)
        siti_2 = await tx.enqueue(SITI_CHAT, '{"text": "dua"}', now=NOW)
        siti_3 = await tx.enqueue(SITI_CHAT, '{"text": "tiga"}', now=NOW)

    assert await due_ids(db) == [siti_1, rina_1]

    async with db.transaction() as tx:
        await tx.mark_sent(siti_1, telegram_message_id=11, now=SOON)
    assert await due_ids(db) == [rina_1, siti_2]

    async with db.transaction() as tx:
        await tx.mark_failed(siti_2, error="400 Bad Request: message is too long", now=SOON)
    assert await due_ids(db) == [rina_1, siti_3]


async def test_a_message_waiting_for_retry_holds_back_its_chat(db: Store) -> None:
    retry_at = NOW + timedelta(minutes=2)
    async with db.transaction() as tx:
        first = await tx.enqueue(SITI_CHAT, '{"text": "satu"}', now=NOW)
        second = await tx.enqueue(SITI_CHAT, '{"text": "dua"}', now=NOW)
        await tx.mark_retry(first, error="429 Too Many Requests", next_attempt_at=retry_at)

    assert await due_ids(db, NOW + timedelta(minutes=1)) == []  # not `second` either
    async with db.transaction() as tx:
        [due] = await tx.due_messages(retry_at)
    assert (due.id, due.attempts, due.next_attempt_at) == (first, 1, retry_at)

    async with db.transaction() as tx:
        await tx.mark_retry(first, error="timeout", next_attempt_at=retry_at + timedelta(minutes=4))
        [again] = await tx.due_messages(retry_at + timedelta(minutes=4))
    assert (again.id, again.attempts) == (first, 2)
    assert second not in await due_ids(db, retry_at + timedelta(minutes=4))


async def test_due_messages_are_ordered_by_id_and_limited(db: Store) -> None:
    async with db.transaction() as tx:
        ids = [await tx.enqueue(chat_id, "{}", now=NOW) for chat_id in range(2000, 2010)]

    async with db.transaction() as tx:
        assert [m.id for m in await tx.due_messages(NOW, limit=3)] == ids[:3]
        assert [m.id for m in await tx.due_messages(NOW)] == ids
        assert await tx.due_messages(NOW - timedelta(seconds=1)) == []


async def test_skipped_chats_are_left_out_before_the_limit(db: Store) -> None:
    async with db.transaction() as tx:
        ids = [await tx.enqueue(chat_id, "{}", now=NOW) for chat_id in range(2000, 2010)]
        waits = (timedelta(0), timedelta(seconds=30))  # lane cutoffs come after the skip
        in_flight = [2000, 2002, 2003]

    async with db.transaction() as tx:
        due = await tx.due_messages(NOW, limit=3, lane_waits=waits, skip_chats=in_flight)
        assert [m.id for m in due] == [ids[1], ids[4], ids[5]]
        everyone = await tx.due_messages(NOW, lane_waits=waits, skip_chats=[])
        assert [m.id for m in everyone] == ids


async def test_lower_lanes_are_due_first_and_each_chat_keeps_its_order(db: Store) -> None:
    async with db.transaction() as tx:
        card = await tx.enqueue(-100777, "{}", now=NOW, lane=2)
        notice = await tx.enqueue(RINA_CHAT, "{}", now=NOW, lane=1)
        siti_notice = await tx.enqueue(SITI_CHAT, "{}", now=NOW, lane=1)
        siti_answer = await tx.enqueue(SITI_CHAT, "{}", now=NOW, lane=0)
        answer = await tx.enqueue(2000, "{}", now=NOW, lane=0)

    async with db.transaction() as tx:
        due = await tx.due_messages(SOON)
    assert [m.id for m in due] == [answer, notice, siti_notice, card]
    assert [m.lane for m in due] == [0, 1, 1, 2]
    assert siti_answer not in [m.id for m in due]  # behind Siti's own earlier notice


async def test_a_message_passed_over_too_long_counts_as_an_answer(db: Store) -> None:
    waits = (timedelta(0), timedelta(seconds=30), timedelta(seconds=60))
    async with db.transaction() as tx:
        old_card = await tx.enqueue(-100777, "{}", now=NOW, lane=2)
        notice = await tx.enqueue(RINA_CHAT, "{}", now=NOW + timedelta(seconds=50), lane=1)
        answer = await tx.enqueue(SITI_CHAT, "{}", now=NOW + timedelta(seconds=55), lane=0)
        routine = await tx.enqueue(-100888, "{}", now=NOW, lane=3)  # no wait given: stays

    async def order(at: datetime) -> list[int]:
        async with db.transaction() as tx:
            return [m.id for m in await tx.due_messages(at, lane_waits=waits)]

    assert await order(NOW + timedelta(seconds=59)) == [answer, notice, old_card, routine]
    assert await order(NOW + timedelta(seconds=60)) == [old_card, answer, notice, routine]


async def test_finished_messages_are_not_reopened(db: Store) -> None:
    async with db.transaction() as tx:
        sent = await tx.enqueue(SITI_CHAT, "{}", now=NOW)
        await tx.mark_sent(sent, telegram_message_id=11, now=NOW)
        # A late retry or failure report for a delivered message changes nothing.
        await tx.mark_retry(sent, error="timeout", next_attempt_at=NOW)
        await tx.mark_failed(sent, error="400", now=NOW)

    assert await fetch(db, "SELECT state, attempts, last_error FROM outbox") == [("sent", 0, None)]


async def test_marks_go_together_and_a_missing_message_is_skipped(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        card = await tx.enqueue(7001, "{}", now=NOW, report_id=report.id, purpose="officer")
        answer = await tx.enqueue(SITI_CHAT, "{}", now=NOW)
    gone = answer + 1000  # e.g. erased while it was on the wire
    marks = [SentMark(card, 88, SOON), SentMark(gone, 89, SOON), SentMark(answer, 502, SOON)]

    await db.mark_all_sent(marks)
    await db.mark_all_sent([])

    assert await due_ids(db) == []  # both sent
    async with db.transaction() as tx:
        assert await tx.report_for_message(7001, 88) == (report.id, "officer")
        assert await tx.report_for_message(SITI_CHAT, 502) is None  # no report: no link
        assert await tx.outbox_stats(SOON) == OutboxStats(0, None, 0)


async def test_marking_a_missing_message_raises_not_found(db: Store) -> None:
    async with db.transaction() as tx:
        with pytest.raises(NotFoundError):
            await tx.mark_sent(404, telegram_message_id=1, now=NOW)
        with pytest.raises(NotFoundError):
            await tx.mark_retry(404, error="timeout", next_attempt_at=NOW)
        with pytest.raises(NotFoundError):
            await tx.mark_failed(404, error="400", now=NOW)


async def test_a_blocked_chat_fails_its_messages_and_new_ones(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.enqueue(SITI_CHAT, '{"text": "satu"}', now=NOW)
        await tx.enqueue(SITI_CHAT, '{"text": "dua"}', now=NOW)
        rina = await tx.enqueue(RINA_CHAT, '{"text": "halo"}', now=NOW)

    async with db.transaction() as tx:
        assert await tx.mark_chat_blocked(SITI_CHAT, now=SOON) == 2
        assert await tx.is_chat_blocked(SITI_CHAT)
        assert not await tx.is_chat_blocked(RINA_CHAT)
        await tx.enqueue(SITI_CHAT, '{"text": "tiga"}', now=SOON)
        assert await tx.mark_chat_blocked(SITI_CHAT, now=SOON) == 0

    assert await due_ids(db) == [rina]
    assert (
        await fetch(db, "SELECT state, last_error FROM outbox WHERE chat_id = ?", (SITI_CHAT,))
        == [("failed", "blocked")] * 3
    )

    async with db.transaction() as tx:
        assert await tx.unblock_chat(SITI_CHAT) is True
        assert await tx.unblock_chat(SITI_CHAT) is False
        again = await tx.enqueue(SITI_CHAT, '{"text": "selamat datang kembali"}', now=SOON)
    assert await due_ids(db) == [rina, again]


async def test_sent_report_messages_are_linked_to_their_report(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        receipt = await tx.enqueue(SITI_CHAT, "{}", now=NOW, report_id=report.id, purpose="receipt")
        to_officer = await tx.enqueue(7001, "{}", now=NOW, report_id=report.id, purpose="officer")
        to_officer_2 = await tx.enqueue(7002, "{}", now=NOW, report_id=report.id, purpose="officer")
        chat = await tx.enqueue(SITI_CHAT, "{}", now=NOW)  # no report: no link

    async with db.transaction() as tx:
        await tx.mark_sent(receipt, telegram_message_id=501, now=SOON)
        await tx.mark_sent(to_officer_2, telegram_message_id=90, now=SOON)
        await tx.mark_sent(to_officer, telegram_message_id=88, now=SOON)
        await tx.mark_sent(chat, telegram_message_id=502, now=SOON)

    async with db.transaction() as tx:
        assert await tx.report_for_message(SITI_CHAT, 501) == (report.id, "receipt")
        assert await tx.report_for_message(7001, 88) == (report.id, "officer")
        assert await tx.report_for_message(SITI_CHAT, 502) is None
        assert await tx.report_for_message(7001, 501) is None
        assert await tx.messages_for_report(report.id, "officer") == [(7002, 90), (7001, 88)]
        assert await tx.messages_for_report(report.id, "receipt") == [(SITI_CHAT, 501)]
        assert await tx.messages_for_report(report.id, "update") == []


async def test_outbox_stats_count_pending_and_failed(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.outbox_stats(NOW) == OutboxStats(
            pending=0, oldest_pending_age_seconds=None, failed=0
        )
        first = await tx.enqueue(SITI_CHAT, "{}", now=NOW)
        await tx.enqueue(SITI_CHAT, "{}", now=NOW + timedelta(seconds=10))
        await tx.enqueue(RINA_CHAT, "{}", now=NOW + timedelta(seconds=20))
        failed = await tx.enqueue(3003, "{}", now=NOW)
        await tx.mark_failed(failed, error="400", now=NOW)
        await tx.mark_sent(first, telegram_message_id=1, now=NOW)

        stats = await tx.outbox_stats(NOW + timedelta(seconds=70))

    assert stats == OutboxStats(pending=2, oldest_pending_age_seconds=60.0, failed=1)


async def test_recent_sends_are_the_sent_messages_since_oldest_first(db: Store) -> None:
    later = NOW + timedelta(seconds=50)
    async with db.transaction() as tx:
        old = await tx.enqueue(SITI_CHAT, "{}", now=NOW)
        await tx.mark_sent(old, telegram_message_id=1, now=NOW - timedelta(seconds=61))
        group_card = await tx.enqueue(OFFICERS_CHAT, "{}", now=NOW)
        reply = await tx.enqueue(RINA_CHAT, "{}", now=NOW)
        await tx.mark_all_sent([SentMark(group_card, 7, later), SentMark(reply, 8, NOW)])
        failed = await tx.enqueue(RINA_CHAT, "{}", now=NOW)
        await tx.mark_failed(failed, error="400", now=NOW)
        await tx.enqueue(SITI_CHAT, "{}", now=NOW)  # pending

    async with db.reading() as tx:
        sends = await tx.recent_sends(NOW - timedelta(seconds=60))

    assert sends == [(RINA_CHAT, NOW), (OFFICERS_CHAT, later)]


async def test_pruning_the_outbox_keeps_pending_messages_and_links(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        sent = await tx.enqueue(SITI_CHAT, "{}", now=NOW, report_id=report.id, purpose="receipt")
        await tx.mark_sent(sent, telegram_message_id=501, now=NOW)
        failed = await tx.enqueue(RINA_CHAT, "{}", now=NOW)
        await tx.mark_failed(failed, error="400", now=NOW)
        recent = await tx.enqueue(RINA_CHAT, "{}", now=NOW)
        await tx.mark_sent(recent, telegram_message_id=9, now=NOW + timedelta(days=2))
        pending = await tx.enqueue(SITI_CHAT, "{}", now=NOW)

    async with db.transaction() as tx:
        assert await tx.prune_outbox(NOW + timedelta(days=1)) == 2
        assert await tx.report_for_message(SITI_CHAT, 501) == (report.id, "receipt")

    assert await fetch(db, "SELECT id FROM outbox ORDER BY id") == [(recent,), (pending,)]


async def send_all(db: Store, chat_id: int, first_message_id: int) -> None:
    """Mark every pending message of the chat sent, numbering Telegram ids from here."""
    message_id = first_message_id
    while True:
        async with db.transaction() as tx:
            due = [m for m in await tx.due_messages(SOON) if m.chat_id == chat_id]
            if not due:
                return
            await tx.mark_sent(due[0].id, telegram_message_id=message_id, now=SOON)
        message_id += 1


async def test_copies_of_a_long_card_are_told_apart_and_relinked(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        first = await tx.enqueue(OFFICERS_CHAT, "{}", now=NOW, report_id=report.id, purpose="card")
        await tx.enqueue(
            OFFICERS_CHAT, "{}", now=NOW, report_id=report.id, purpose="card", first_part=first
        )
        await tx.enqueue(OFFICERS_CHAT, "{}", now=NOW, report_id=report.id, purpose="card")
        await tx.enqueue(CENTRAL_COPY_CHAT, "{}", now=NOW, report_id=report.id, purpose="card")
        assert await tx.chats_showing(report.id, "card") == [CENTRAL_COPY_CHAT, OFFICERS_CHAT]
    await send_all(db, OFFICERS_CHAT, 11)
    await send_all(db, CENTRAL_COPY_CHAT, 21)

    async with db.transaction() as tx:
        copies = await tx.message_copies(report.id, "card", OFFICERS_CHAT)
        moved = await tx.relink_messages(OFFICERS_CHAT, report.id, "card", "card_moved")
        after = await tx.message_copies(report.id, "card", OFFICERS_CHAT)
        retired = await tx.message_copies(report.id, "card_moved", OFFICERS_CHAT)
        elsewhere = await tx.message_copies(report.id, "card", CENTRAL_COPY_CHAT)
        chats = await tx.chats_showing(report.id, "card")
        link = await tx.report_for_message(OFFICERS_CHAT, 12)

    assert copies == [[11, 12], [13]]  # the two parts of one copy, then another copy
    assert moved == 3 and after == [] and retired == [[11, 12], [13]]
    assert elsewhere == [[21]] and chats == [CENTRAL_COPY_CHAT]
    assert link == (report.id, "card_moved")


async def test_erasure_forgets_sent_messages_about_her_reports(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        other = await tx.insert_report(make_report("SW-AAAA-0002", reporter=BU_RINA))
        for about in (report, other):
            await tx.enqueue(OFFICERS_CHAT, '{"text": "Pelapor: ..."}', now=NOW, report_id=about.id)
    await send_all(db, OFFICERS_CHAT, 11)
    async with db.transaction() as tx:
        pending = await tx.enqueue(OFFICERS_CHAT, "{}", now=NOW, report_id=report.id)
        erased = await tx.erase_person(SITI.user_id, SITI.chat_id)
        left = await tx.due_messages(SOON)

    assert erased == [report.id]
    assert [m.id for m in left] == [pending]  # still to go; nothing sent about her is kept
    rows = await fetch(db, "SELECT report_id FROM outbox ORDER BY id")
    assert rows == [(other.id,), (report.id,)]


async def test_relays_are_counted_per_resident_and_held_ones_released_once(db: Store) -> None:
    async with db.transaction() as tx:
        first = await tx.insert_report(make_report())
        second = await tx.insert_report(make_report("SW-AAAA-0002"))
        rinas = await tx.insert_report(make_report("SW-AAAA-0003", reporter=BU_RINA))
        for report, at in ((first, NOW), (second, NOW), (first, NOW - timedelta(hours=1))):
            await tx.enqueue(OFFICERS_CHAT, "{}", now=at, report_id=report.id, purpose="relay")
        await tx.enqueue(OFFICERS_CHAT, "{}", now=NOW, report_id=first.id, purpose="card")
        await tx.enqueue(OFFICERS_CHAT, "{}", now=NOW, report_id=rinas.id, purpose="relay")
        recent = await tx.count_relays_since(SITI.user_id, NOW - timedelta(minutes=10))
        text = await tx.hold_relay(second.id, "Tambahan", None, NOW)
        photo = await tx.hold_relay(second.id, "", "AgAC-1", NOW)
        await tx.hold_relay(rinas.id, "Bu Rina juga", None, SOON)
        waiting = await tx.reports_with_held_relays()
        held = await tx.held_relays(second.id)
        released = await tx.release_held_relays([text])
        left = await tx.held_relays(second.id)

    assert recent == 2  # hers, in the window, relays only
    assert waiting == [second.id, rinas.id]
    assert [(h.id, h.text, h.photo, h.held_at) for h in held] == [
        (text, "Tambahan", None, NOW),
        (photo, "", "AgAC-1", NOW),
    ]
    assert released == 1 and [h.id for h in left] == [photo]


async def test_a_card_queued_before_erasure_keeps_no_payload_once_sent(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        other = await tx.insert_report(make_report("SW-AAAA-0002", reporter=BU_RINA))
        card = await tx.enqueue(
            OFFICERS_CHAT, '{"text": "Pelapor: Siti"}', now=NOW, report_id=report.id
        )
        edit = await tx.enqueue(
            OFFICERS_CHAT, '{"text": "Pelapor: Siti"}', now=NOW, report_id=report.id
        )
        kept = await tx.enqueue(
            OFFICERS_CHAT, '{"text": "Pelapor: Bu Rina"}', now=NOW, report_id=other.id
        )
        await tx.erase_person(SITI.user_id, SITI.chat_id)  # the card is still queued
    async with db.transaction() as tx:
        await tx.mark_sent(card, telegram_message_id=11, now=SOON)
        await tx.mark_failed(edit, error="400", now=SOON)
        await tx.mark_sent(kept, telegram_message_id=12, now=SOON)
    rows = await fetch(db, "SELECT id, payload FROM outbox ORDER BY id")
    assert rows == [(card, "{}"), (edit, "{}"), (kept, '{"text": "Pelapor: Bu Rina"}')]
