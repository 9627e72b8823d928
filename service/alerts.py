"""Alerts to the central officers' chat about the bot's own trouble."""

from __future__ import annotations

import logging
from datetime import datetime

from flows.office import Office
from flows.officer_texts import group_unreachable
from flows.rules import Rules
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.base import Store

log = logging.getLogger(__name__)


async def alert_group_unreachable(
    store: Store, office: Office, rules: Rules, chat_id: int, now: datetime
) -> bool:
    """Tell the central chat that the bot may not post in group `chat_id`; False (and
    only a log line) when that group is the central chat itself or there is none."""
    central = office.roles.central_chat
    if central is None or central == chat_id:
        log.error("the bot may not post in the central officers' chat %s", chat_id)
        return False
    text = group_unreachable(office.unit_name(chat_id, rules), chat_id)
    async with store.transaction() as tx:
        await enqueue(tx, central, Outgoing(text=text), now=now)
    return True
