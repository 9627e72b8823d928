"""Messages about a report to the people concerned, inside the caller's transaction:
its reporter (and the residents supporting it), or the officers' chat handling it.
Everything goes through the outbox. No Telegram here."""

from __future__ import annotations

from datetime import datetime

from flows.report import Report
from flows.roles import Roles
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.base import Transaction


async def tell_reporter(
    tx: Transaction,
    report: Report,
    text: str,
    now: datetime,
    *,
    photo: str | None = None,
    purpose: str = "status",
    supporters_too: bool = True,
) -> None:
    """A message about the report to its reporter (and the residents supporting it);
    an erased reporter has no chat and gets nothing. This writes."""
    chats = [report.reporter.chat_id] if report.reachable else []
    if supporters_too:
        chats += [c for c in await tx.supporter_chats(report.id) if c not in chats]
    for chat in chats:
        if photo is not None:
            await enqueue(
                tx,
                chat,
                Outgoing(text="", photo=photo),
                now=now,
                report_id=report.id,
                purpose=purpose,
            )
        await enqueue(tx, chat, Outgoing(text=text), now=now, report_id=report.id, purpose=purpose)


async def tell_officers(
    tx: Transaction, roles: Roles, report: Report, text: str, now: datetime, photo: str = ""
) -> None:
    """A message about the report to the chat handling it, as a reply to the report's
    card (and linked as a "relay", so officers can answer by replying to it); with a
    `photo` (its file id), one photo message with the text as its caption. This writes."""
    chat = roles.chat_for(report.body)
    if chat is None:
        return
    relay = Outgoing(text=text, photo=photo or None, reply_to=(report.id, "card"))
    await enqueue(tx, chat, relay, now=now, report_id=report.id, purpose="relay")
