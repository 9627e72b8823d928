"""Releasing a resident's held messages to the officers, within the relay limit.

`flows.relays` decides what fits; this queues it in the caller's transaction and
forgets what it queued, so every held message goes exactly once. No Telegram here.
"""

from __future__ import annotations

from datetime import datetime

from flows import notices
from flows.relays import plan_release, room_left
from flows.report import Report
from flows.roles import Roles
from flows.rules import Rules
from service.messages import tell_officers
from storage.base import Transaction


async def release_held(
    tx: Transaction, rules: Rules, roles: Roles, report: Report, now: datetime
) -> tuple[int, int]:
    """Send the report's held messages that the reporter's room allows (texts as one
    message, each photo as one); returns how many were sent and how many are still
    held. This writes."""
    held = await tx.held_relays(report.id)
    if not held:
        return 0, 0
    sent = await tx.count_relays_since(report.reporter.user_id, now - rules.relay_window)
    release = plan_release(held, room_left(sent, rules.max_relays))
    if release.texts:
        text = (
            notices.reporter_relay(report, release.texts[0])
            if len(release.texts) == 1
            else notices.reporter_relay_batch(report, release.texts)
        )
        await tell_officers(tx, roles, report, text, now)
    for photo, caption in release.photos:
        await tell_officers(
            tx, roles, report, notices.reporter_photo(report, caption), now, photo=photo
        )
    await tx.release_held_relays(release.ids)
    return len(release.ids), len(held) - len(release.ids)
