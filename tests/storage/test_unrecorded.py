"""Whether a pressed message may be a card on its way (sent, not yet recorded), on
each backend: only newer than every message linked in its chat, and only while a new
message about a report waits there (an edit makes no new message)."""

from __future__ import annotations

from storage.base import Store
from tests.factories import NOW, make_report

GROUP = -100777
OTHER_GROUP = -100888


async def test_a_message_may_be_unrecorded_only_while_a_card_is_on_its_way(db: Store) -> None:
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report("SW-CCCC-0001"))
        shown = await tx.enqueue(GROUP, "{}", now=NOW, report_id=report.id, purpose="card")
        await tx.mark_sent(shown, telegram_message_id=30, now=NOW)
        idle = await tx.message_may_be_unrecorded(GROUP, 31)
        await tx.enqueue(GROUP, "{}", now=NOW, report_id=report.id, purpose="card_edit")
        editing = await tx.message_may_be_unrecorded(GROUP, 31)
        await tx.enqueue(GROUP, "{}", now=NOW, purpose="reminder")
        unlinked = await tx.message_may_be_unrecorded(GROUP, 31)
        card = await tx.enqueue(GROUP, "{}", now=NOW, report_id=report.id, purpose="card")
        newer = await tx.message_may_be_unrecorded(GROUP, 31)
        older = await tx.message_may_be_unrecorded(GROUP, 29)
        elsewhere = await tx.message_may_be_unrecorded(OTHER_GROUP, 31)
        await tx.mark_sent(card, telegram_message_id=31, now=NOW)
        recorded = await tx.message_may_be_unrecorded(GROUP, 31)
    assert not idle and not editing and not unlinked  # nothing new about a report waits
    assert newer  # a card waits and the message is newer than every one linked
    assert not older and not elsewhere
    assert not recorded
