"""The engine: one event of one chat, processed as one transaction.

Load the chat's conversation, run `flows.step`, carry out its effects (new reports,
queries, outgoing messages into the outbox) and save the new state, all in a single
database transaction together with the update id. A crash at any point either keeps
everything or nothing; a redelivered update finds its id claimed and changes nothing.
Sending is left to the outbox sender. This module does not import Telegram, so the
terminal chat and the Telegram bot share it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.outgoing import Outgoing, from_reply
from flows import texts
from flows.codes import CODE_BITS, format_code
from flows.effects import (
    Effect,
    FileReport,
    FindSimilar,
    Notice,
    Reply,
    ShowReport,
    ShowReports,
    Support,
)
from flows.events import Event, Expire, SimilarFound
from flows.filing import admin_card, new_report
from flows.intake import step
from flows.prompts import start_button, status_buttons
from flows.report import TRIAGE, Report, Reporter
from flows.rules import Rules
from flows.similar import pick_similar
from flows.state import Conversation, Draft
from storage.base import Store, Transaction
from storage.errors import CodeTakenError, NotFoundError

log = logging.getLogger(__name__)

_CODE_ATTEMPTS = 5
UPDATE_MEMORY = timedelta(days=7)


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def random_code() -> str:
    """A fresh, unguessable tracking code."""
    return format_code(secrets.randbits(CODE_BITS))


async def learn_from_storage(store: Store, rules: Rules) -> int:
    """Teach the classifier every routing officers confirmed so far; returns how many."""
    async with store.transaction() as tx:
        examples = await tx.routing_examples()
    for text, body in examples:
        rules.classifier.learn(text, body)
    return len(examples)


@dataclass(frozen=True)
class Sender:
    """Who sent an update, and in which (private) chat."""

    user_id: int
    chat_id: int
    name: str
    username: str | None = None


@dataclass
class Engine:
    """Runs flows against storage; see the module docstring."""

    store: Store
    rules: Rules
    admin_chat_id: int | None = None
    clock: Callable[[], datetime] = utc_now
    new_code: Callable[[], str] = random_code
    on_commit: Callable[[], None] = lambda: None

    async def handle(self, who: Sender, event: Event, update_id: int | None = None) -> list[Notice]:
        """Process one event; returns the notices to show for a button press.

        A replayed update (same `update_id`) changes nothing and returns no notice.
        """
        now = self.clock()
        async with self.store.transaction() as tx:
            if update_id is not None and not await tx.claim_update(update_id, now):
                log.info("update %s already processed, skipped", update_id)
                return []
            notices = await self._run(tx, who, event, now)
        self.on_commit()
        return notices

    async def apologise(self, chat_id: int, update_id: int | None) -> None:
        """After an unexpected error: consume the update and tell the person, state untouched."""
        now = self.clock()
        async with self.store.transaction() as tx:
            if update_id is not None and not await tx.claim_update(update_id, now):
                return
            await tx.enqueue(chat_id, Outgoing(text=texts.sorry_error()).to_json(), now=now)
        self.on_commit()

    async def expire_drafts(self) -> int:
        """Drop drafts untouched for longer than the rules allow; returns how many."""
        now = self.clock()
        async with self.store.transaction() as tx:
            chats = await tx.stale_drafts(now - self.rules.draft_ttl)
        for chat_id in chats:
            await self.handle(Sender(user_id=chat_id, chat_id=chat_id, name=""), Expire())
        return len(chats)

    async def prune_updates(self, keep: timedelta = UPDATE_MEMORY) -> int:
        """Forget processed update ids older than `keep` (Telegram keeps updates 24 h)."""
        async with self.store.transaction() as tx:
            return await tx.prune_updates(self.clock() - keep)

    async def _run(self, tx: Transaction, who: Sender, event: Event, now: datetime) -> list[Notice]:
        conv = Conversation.from_json(await tx.load_conversation(who.chat_id))
        conv, effects = step(conv, event, now, self.rules)
        notices: list[Notice] = []
        while effects:
            effect = effects.pop(0)
            if isinstance(effect, FindSimilar):
                # The flow asks for data; its answer is one more event, same transaction.
                found = await self._similar(tx, who, effect.draft, now)
                conv, more = step(conv, SimilarFound(found), now, self.rules)
                effects[:0] = more
            elif isinstance(effect, Notice):
                notices.append(effect)
            else:
                await self._apply(tx, who, effect, now)
        draft_at = conv.updated_at if conv.draft is not None else None
        await tx.save_conversation(
            who.chat_id, conv.to_json(), updated_at=now, draft_updated_at=draft_at
        )
        return notices

    async def _apply(self, tx: Transaction, who: Sender, effect: Effect, now: datetime) -> None:
        match effect:
            case Reply():
                await tx.enqueue(who.chat_id, from_reply(effect).to_json(), now=now)
            case FileReport(draft=draft):
                reporter = Reporter(
                    user_id=who.user_id, chat_id=who.chat_id, name=who.name, username=who.username
                )
                report = await self._file(tx, draft, reporter, now)
                await self._announce(tx, report, now)
            case Support(code=code):
                await self._support(tx, who, code, now)
            case ShowReports():
                await self._show_reports(tx, who, now)
            case ShowReport(code=code):
                await self._show_report(tx, who, code, now)

    async def _similar(
        self, tx: Transaction, who: Sender, draft: Draft, now: datetime
    ) -> tuple[Report, ...]:
        """Others' open reports like this draft (same kelurahan and body, recent)."""
        if not draft.kelurahan or not draft.body or draft.body == TRIAGE:
            return ()
        since = now - self.rules.similar_window
        near = await tx.open_reports_near(draft.kelurahan, draft.body, since)
        others = [report for report in near if report.reporter.user_id != who.user_id]
        return tuple(pick_similar(draft.description, others))

    async def _support(self, tx: Transaction, who: Sender, code: str, now: datetime) -> None:
        """The person follows an existing report; officers see one more supporter."""
        report = await tx.get_report(code)
        if report.reporter.user_id == who.user_id:
            text = texts.support_own(code)
        else:
            await tx.add_supporter(report.id, who.user_id, who.chat_id, now)
            await self._refresh_card(tx, report, now)
            text = texts.supporting(code)
        await tx.enqueue(
            who.chat_id,
            Outgoing(text=text).to_json(),
            now=now,
            report_id=report.id,
            purpose="support",
        )

    async def _refresh_card(self, tx: Transaction, report: Report, now: datetime) -> None:
        """Edit the report's card in the officers' chat to show its current state."""
        if self.admin_chat_id is None:
            return
        supporters = len(await tx.supporter_chats(report.id))
        card = Outgoing(
            text=admin_card(report, self.rules, supporters=supporters), edit=(report.id, "card")
        )
        await tx.enqueue(
            self.admin_chat_id, card.to_json(), now=now, report_id=report.id, purpose="card_edit"
        )

    async def _file(
        self, tx: Transaction, draft: Draft, reporter: Reporter, now: datetime
    ) -> Report:
        """Store the report under a fresh code (drawing again on the rare collision)."""
        for _ in range(_CODE_ATTEMPTS):
            try:
                return await tx.insert_report(new_report(draft, reporter, self.new_code(), now))
            except CodeTakenError:
                log.warning("tracking code collision, drawing another")
        raise RuntimeError("could not draw a free tracking code")

    async def _announce(self, tx: Transaction, report: Report, now: datetime) -> None:
        """Tell the reporter the code; post the card (and photos) to the officers."""
        tz = self.rules.timezone
        filed = Outgoing(text=texts.report_filed(report, tz), keyboard="remove")
        await tx.enqueue(
            report.reporter.chat_id, filed.to_json(), now=now, report_id=report.id, purpose="filed"
        )
        if self.admin_chat_id is None:
            return
        card = Outgoing(text=admin_card(report, self.rules))
        await tx.enqueue(
            self.admin_chat_id, card.to_json(), now=now, report_id=report.id, purpose="card"
        )
        for number, file_id in enumerate(report.photos, start=1):
            caption = f"Foto {number}/{len(report.photos)} · {report.code}"
            photo = Outgoing(text=caption, photo=file_id)
            await tx.enqueue(
                self.admin_chat_id,
                photo.to_json(),
                now=now,
                report_id=report.id,
                purpose="card_photo",
            )

    async def _show_reports(self, tx: Transaction, who: Sender, now: datetime) -> None:
        reports = await tx.reports_by_reporter(who.user_id)
        if not reports:
            reply = Reply(texts.no_reports(), start_button())
        else:
            text = texts.report_list(reports, self.rules.timezone)
            reply = Reply(text, status_buttons([r.code for r in reports]))
        await tx.enqueue(who.chat_id, from_reply(reply).to_json(), now=now)

    async def _show_report(self, tx: Transaction, who: Sender, code: str, now: datetime) -> None:
        try:
            report = await tx.get_report(code)
        except NotFoundError:
            report = None
        if report is None or report.reporter.user_id != who.user_id:
            # Someone else's code looks exactly like a code that does not exist.
            text = texts.report_not_found(code)
        else:
            history = await tx.history(report.id)
            text = texts.report_detail(report, history, self.rules.timezone)
        await tx.enqueue(who.chat_id, Outgoing(text=text).to_json(), now=now)
