"""Putting payloads in the outbox, cut to Telegram's limits.

The engine calls `enqueue` inside the transaction of an update, so the parts of a
message commit (or vanish) together with the state change that produced them. Each
message gets a `Lane` from its purpose: the sender serves lower lanes first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from enum import IntEnum

from flows.effects import Reply
from service.outgoing import Outgoing, from_reply, split_parts
from storage.base import Transaction


class Lane(IntEnum):
    """A message's priority among chats (a chat's own messages always keep their order)."""

    REPLY = 0  # the answer to whoever just acted: a resident's step, an officer's command
    NOTICE = 1  # news of a report to its reporter and supporters
    DESK = 2  # officers' cards, their edits, residents' messages relayed to officers
    ROUTINE = 3  # reminders and digests


LANE_OF_PURPOSE = {
    "status": Lane.NOTICE,
    "followup": Lane.NOTICE,
    "officer_reply": Lane.NOTICE,
    "card": Lane.DESK,
    "card_photo": Lane.DESK,
    "card_evidence": Lane.DESK,
    "card_edit": Lane.DESK,
    "card_digest": Lane.DESK,
    "relay": Lane.DESK,
    "reminder": Lane.ROUTINE,
    "reminder_digest": Lane.ROUTINE,
}
"""Purposes not listed ("reply", "filed", "detail", "support", prompts) are answers."""

LANE_WAITS = (
    timedelta(0),
    timedelta(seconds=30),
    timedelta(seconds=60),
    timedelta(seconds=120),
)
"""How long a message of each lane may be passed over before it counts as an answer."""


def lane_of(purpose: str) -> Lane:
    """The lane of a message with this purpose."""
    return LANE_OF_PURPOSE.get(purpose, Lane.REPLY)


async def enqueue(
    tx: Transaction,
    chat_id: int,
    out: Outgoing | Reply,
    *,
    now: datetime,
    report_id: int | None = None,
    purpose: str = "reply",
) -> list[int]:
    """Queue `out` (a flow's `Reply` as its payload) as one outbox row per part
    (`split_parts`), in order; returns their ids.

    Every part carries `report_id` and `purpose`, so each sent part is linked to the
    report. An edit stays one row: the sender spreads its parts over the messages sent.
    This writes.
    """
    parts = parts_of(out)
    return await enqueue_parts(tx, chat_id, parts, now=now, report_id=report_id, purpose=purpose)


def parts_of(out: Outgoing | Reply) -> list[Outgoing]:
    """The outbox rows `enqueue` makes of `out`, in order."""
    if isinstance(out, Reply):
        out = from_reply(out)
    parts = [out] if out.edit is not None else split_parts(out)
    if len(parts) > 1 and out.replace is not None:  # one pressed message cannot hold them
        parts = [replace(part, replace=None) for part in parts]
    return parts


def edit_parts(out: Outgoing) -> list[Outgoing]:
    """The new contents of the messages an edit replaces: its text cut exactly as
    `enqueue` cut the message when it was first sent (`split_parts`), part i for sent
    message i. The sender calls this when it performs the edit."""
    return split_parts(replace(out, edit=None, relink=None))


async def enqueue_parts(
    tx: Transaction,
    chat_id: int,
    parts: list[Outgoing],
    *,
    now: datetime,
    report_id: int | None = None,
    purpose: str = "reply",
) -> list[int]:
    """Queue parts already cut by `split_parts`, in order; returns their ids. For a long
    text cut before the transaction (cutting takes milliseconds). Later parts name the
    first, so each copy of a message is known as a whole. This writes."""
    ids: list[int] = []
    for part in parts:
        ids.append(
            await tx.enqueue(
                chat_id,
                part.to_json(),
                now=now,
                report_id=report_id,
                purpose=purpose,
                lane=lane_of(purpose),
                first_part=ids[0] if ids else None,
            )
        )
    return ids
