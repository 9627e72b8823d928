"""Putting payloads in the outbox, cut to Telegram's limits.

The engine calls `enqueue` inside the transaction of an update, so the parts of a
message commit (or vanish) together with the state change that produced them.
"""

from __future__ import annotations

from datetime import datetime

from bot.outgoing import Outgoing, split_parts
from storage.base import Transaction


async def enqueue(
    tx: Transaction,
    chat_id: int,
    out: Outgoing,
    *,
    now: datetime,
    report_id: int | None = None,
    purpose: str = "reply",
) -> list[int]:
    """Queue `out` as one outbox row per part (`split_parts`), in order; returns their ids.

    Every part carries `report_id` and `purpose`, so each sent part is linked to the
    report. An edit stays one row: the sender spreads its parts over the messages sent.
    This writes.
    """
    parts = [out] if out.edit is not None else split_parts(out)
    return await enqueue_parts(tx, chat_id, parts, now=now, report_id=report_id, purpose=purpose)


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
                first_part=ids[0] if ids else None,
            )
        )
    return ids
