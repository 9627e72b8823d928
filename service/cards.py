"""A report's card in the officers' chats: posted once, edited in place ever after.

Each copy of a card (the chat handling the report, and wherever `/cari` showed it)
is linked to the report, so every change reaches every copy. Everything goes through
the outbox in the caller's transaction. No Telegram here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from flows import closing_texts, notices
from flows.card import officer_card
from flows.office import Office
from flows.officer import card_buttons
from flows.report import Report
from flows.rules import Rules
from service.backpressure import digest_if_due
from service.evidence import post_evidence
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.base import Transaction


def outgoing_card(
    report: Report,
    rules: Rules,
    office: Office,
    now: datetime,
    *,
    supporters: int,
    keyboard: str = "main",
) -> Outgoing:
    """The card as a message (text and the buttons of `keyboard`)."""
    text = officer_card(
        report,
        rules,
        supporters=supporters,
        deadline=office.next_deadline_line(report, rules, now),
    )
    buttons = card_buttons(report, keyboard, rules, office.templates)
    return Outgoing(
        text=text, buttons=tuple(tuple((b.label, b.data) for b in row) for row in buttons)
    )


@dataclass(frozen=True)
class Cards:
    """Posting, refreshing and moving cards; see the module docstring."""

    rules: Rules
    office: Office

    async def post_card(self, tx: Transaction, report: Report, now: datetime) -> None:
        """Post the card (then its photos and other evidence) to the chat responsible for
        the report's body; a group with too many waiting gets a digest instead
        (`digest_if_due`)."""
        chat = self.office.roles.chat_for(report.body)
        if chat is None:
            return
        await self._queue_card(tx, chat, report, now, with_copies=True)
        await digest_if_due(tx, chat, self.rules, self.office.backlog, now)

    async def show_card(self, tx: Transaction, chat: int, report: Report, now: datetime) -> None:
        """Post the card on demand (`/cari KODE`) in `chat`; with its photos and other
        evidence where a digest replaced them (the chat has not seen them)."""
        digested = await tx.card_digested(report.id, chat)
        await self._queue_card(tx, chat, report, now, with_copies=digested)

    async def _queue_card(
        self, tx: Transaction, chat: int, report: Report, now: datetime, *, with_copies: bool
    ) -> None:
        """Queue the card to `chat`, then (`with_copies`) its photos and evidence."""
        supporters = len(await tx.supporter_chats(report.id))
        card = outgoing_card(report, self.rules, self.office, now, supporters=supporters)
        await enqueue(tx, chat, card, now=now, report_id=report.id, purpose="card")
        if not with_copies:
            return
        for number, file_id in enumerate(report.photos, start=1):
            caption = notices.card_photo_caption(number, len(report.photos), report.code)
            photo = Outgoing(text=caption, photo=file_id)
            await enqueue(tx, chat, photo, now=now, report_id=report.id, purpose="card_photo")
        await post_evidence(tx, chat, report, now)

    async def refresh_card(
        self,
        tx: Transaction,
        report: Report,
        now: datetime,
        keyboard: str = "main",
        *,
        skip: Collection[int] = (),
    ) -> None:
        """Edit every copy of the card in place to show the report as it is now: in the
        chat handling it and wherever else it was shown (`/cari`), except in `skip`."""
        chats = set(await tx.chats_showing(report.id, "card"))
        handling = self.office.roles.chat_for(report.body)
        if handling is not None and (
            handling in chats or not await tx.card_digested(report.id, handling)
        ):  # a card replaced by a digest is not there to edit
            chats.add(handling)
        chats -= set(skip)
        if not chats:
            return
        supporters = len(await tx.supporter_chats(report.id))
        card = outgoing_card(
            report, self.rules, self.office, now, supporters=supporters, keyboard=keyboard
        )
        text = card.text
        closing = await tx.closing(report.id)
        if closing is not None and closing.pending and not report.closed:
            text += "\n\n" + closing_texts.card_line_pending(closing.unit)
        edit = Outgoing(text=text, buttons=card.buttons, edit=(report.id, "card"))
        for chat in sorted(chats):
            await enqueue(tx, chat, edit, now=now, report_id=report.id, purpose="card_edit")

    async def move_card(
        self, tx: Transaction, report: Report, old_body: str, now: datetime
    ) -> None:
        """Re-routed: the old chat's copies say where it went and stop being its card
        there (`relink`); the new chat gets a fresh card; copies elsewhere follow."""
        old_chat = self.office.roles.chat_for(old_body)
        new_chat = self.office.roles.chat_for(report.body)
        if old_chat is not None and old_chat != new_chat:
            moved = notices.moved_card(report, notices.handler_name(report.body, self.rules))
            edit = Outgoing(text=moved, edit=(report.id, "card"), relink="card_moved")
            await enqueue(tx, old_chat, edit, now=now, report_id=report.id, purpose="card_edit")
            await self.post_card(tx, report, now)
            skip = {old_chat} if new_chat is None else {old_chat, new_chat}
            await self.refresh_card(tx, report, now, skip=skip)
        else:
            await self.refresh_card(tx, report, now)
