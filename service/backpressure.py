"""Honest backpressure inside a unit of work (`flows.backlog` decides).

* `tell_if_busy`: before a resident's update is carried out, a long queue to her chat
  gets her one busy notice, queued ahead of this update's answers, once per backlog
  (a queue found empty ends it).
* `digest_if_due`: after a card is queued for an officers' group, a group with more
  waiting than its pace sends in a few minutes (and enough cards among them) gets one
  digest listing the waiting reports; their cards, with the photos and evidence copies
  under them, leave the queue (kept as "digested") and officers post any of them on
  demand with `/cari KODE` (`Cards.show_card`, which brings those copies). Every
  report stays in `/antrian` and `/cari`.
"""

from __future__ import annotations

from datetime import datetime

from flows.backlog import Backlog
from flows.backlog_texts import busy_notice, card_digest_head, digest_line
from flows.rules import Rules
from service.outbox import enqueue, enqueue_parts
from service.outgoing import Outgoing, packed_lines, split_parts
from storage.base import ChatQueue, Transaction

DIGEST_PURPOSE = "card_digest"


async def tell_if_busy(
    tx: Transaction,
    chat_id: int,
    backlog: Backlog,
    now: datetime,
    queue: ChatQueue | None = None,
) -> bool:
    """Queue the busy notice if the chat's answers will be slow and it was not told in
    this backlog; True if queued. `queue`: the chat's, if read already (`open_chat`).
    Writes only when something changes."""
    if queue is None:
        queue = await tx.chat_queue(chat_id)
    if queue.queued == 0:
        if queue.told:
            await tx.forget_busy_notice(chat_id)
        return False
    age = None if queue.oldest is None else now - queue.oldest
    if not backlog.tell_busy(queue.queued, age, queue.told):
        return False
    await tx.remember_busy_notice(chat_id, now)
    await enqueue(tx, chat_id, Outgoing(text=busy_notice()), now=now, purpose="busy")
    return True


async def digest_if_due(
    tx: Transaction, chat_id: int, rules: Rules, backlog: Backlog, now: datetime
) -> int:
    """Replace the cards waiting for the group by one digest if more messages wait than
    its pace allows; returns how many reports the digest lists (0: none sent)."""
    if not backlog.digest_due(*await tx.group_queue(chat_id)):
        return 0
    report_ids = await tx.replace_waiting_cards(chat_id, now)
    if not report_ids:
        return 0
    lines = [digest_line(await tx.get_report_by_id(rid), rules) for rid in report_ids]
    # Cut between the reports' lines, which is cheap: this runs in the transaction.
    texts = packed_lines([card_digest_head(len(lines)), *lines])
    parts = [part for text in texts for part in split_parts(Outgoing(text=text))]
    await enqueue_parts(tx, chat_id, parts, now=now, purpose=DIGEST_PURPOSE)
    return len(report_ids)
