"""The engine: one event of one resident's chat, processed as one transaction.

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
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flows import report_texts
from flows.codes import CODE_BITS, format_code
from flows.effects import (
    AnswerFollowUp,
    CheckWithdrawal,
    ClaimInvite,
    Effect,
    EraseMyData,
    FileReport,
    FindSimilar,
    Keyboard,
    Notice,
    Rate,
    RelayToOfficers,
    Reply,
    SendDossier,
    ShowMyData,
    ShowReport,
    ShowReports,
    Support,
    Withdraw,
)
from flows.events import (
    Event,
    Expire,
    InviteChecked,
    Photo,
    SimilarFound,
    Text,
    WithdrawalChecked,
)
from flows.filing import new_report
from flows.intake import step
from flows.office import Office
from flows.ombudsman import second_belum
from flows.public_view import PublicReport
from flows.report import TRIAGE, Report, Reporter
from flows.rules import Rules
from flows.similar import pick_similar, similar_views
from flows.state import Conversation, Draft
from service import reporter, withdrawals
from service.backpressure import tell_if_busy
from service.clock import utc_now
from service.dead_letters import DEAD_LETTER_MEMORY
from service.decisions import Decisions
from service.ombudsman import Ombudsman
from service.outbox import enqueue, lane_of, parts_of
from service.outgoing import Outgoing
from service.reporter import Sender
from service.unit_of_work import unit_of_work
from storage.base import Store, Transaction
from storage.errors import CodeTakenError

__all__ = ["RELAYABLE", "Engine", "Sender", "random_code", "utc_now"]

log = logging.getLogger(__name__)

_CODE_ATTEMPTS = 5
UPDATE_MEMORY = timedelta(days=7)
RELAYABLE = frozenset(
    {"filed", "status", "officer_reply", "detail", "support", "followup", "ombudsman"}
)
"""Bot messages about a report that a resident may reply to, to reach the officers."""


def random_code() -> str:
    """A fresh, unguessable tracking code."""
    return format_code(secrets.randbits(CODE_BITS))


@dataclass
class Engine:
    """Runs flows against storage; see the module docstring."""

    store: Store
    rules: Rules
    office: Office = field(default_factory=Office)
    clock: Callable[[], datetime] = utc_now
    new_code: Callable[[], str] = random_code
    on_commit: Callable[[], None] = lambda: None
    work: Decisions = field(init=False)
    ombudsman: Ombudsman = field(init=False)

    def __post_init__(self) -> None:
        self.work = Decisions(self.rules, self.office)
        self.ombudsman = Ombudsman(self.rules, self.office)

    async def handle(self, who: Sender, event: Event, update_id: int | None = None) -> list[Notice]:
        """Process one event; returns the notices to show for a button press.

        A replayed update (same `update_id`) changes nothing and returns no notice.
        """
        now = self.clock()
        async with unit_of_work(
            self.store, update_id, now, self.on_commit, chat_id=who.chat_id
        ) as tx:
            if tx is None:
                return []
            # Her queue and her conversation in one read (on PostgreSQL one round trip).
            queue, state = await tx.open_chat(who.chat_id)
            if not isinstance(event, Expire):  # she acted: a long wait is worth a word
                await tell_if_busy(tx, who.chat_id, self.office.backlog, now, queue)
            if await self._reply_to_officers(tx, who, event, now):
                notices: list[Notice] = []
            else:
                notices = await self._run(tx, who, event, now, state)
        return notices

    async def expire_drafts(self) -> int:
        """Drop drafts untouched for longer than the rules allow; returns how many."""
        now = self.clock()
        async with self.store.transaction() as tx:
            chats = await tx.stale_drafts(now - self.rules.draft_ttl)
        for chat_id in chats:
            await self.handle(Sender(user_id=chat_id, chat_id=chat_id, name=""), Expire())
        return len(chats)

    async def prune_updates(self, keep: timedelta = UPDATE_MEMORY) -> int:
        """Forget processed update ids older than `keep` (Telegram keeps updates 24 h),
        and failures older than `DEAD_LETTER_MEMORY`."""
        now = self.clock()
        async with self.store.transaction() as tx:
            await tx.prune_dead_letters(now - DEAD_LETTER_MEMORY)
            return await tx.prune_updates(now - keep)

    async def _reply_to_officers(
        self, tx: Transaction, who: Sender, event: Event, now: datetime
    ) -> bool:
        """A Telegram reply to a bot message about a report goes to its officers."""
        if not isinstance(event, Text | Photo) or event.reply_to is None:
            return False
        link = await tx.report_for_message(who.chat_id, event.reply_to)
        if link is None or link[1] not in RELAYABLE:
            return False
        report = await tx.get_report_by_id(link[0])
        text, photo = (
            (event.text, None) if isinstance(event, Text) else (event.caption, event.file_id)
        )
        await reporter.relay(tx, self.work, who.user_id, who.chat_id, report.code, text, photo, now)
        return True

    async def _run(
        self, tx: Transaction, who: Sender, event: Event, now: datetime, state: str | None
    ) -> list[Notice]:
        conv = Conversation.from_json(state)
        conv, effects = step(conv, event, now, self.rules)
        notices: list[Notice] = []
        replies: list[Reply] = []  # her answers not queued yet: with the save, at the end
        while effects:
            effect = effects.pop(0)
            if isinstance(effect, Reply):
                replies.append(effect)
                continue
            if not isinstance(effect, Notice):  # it may queue to her chat: hers go first
                for reply in replies:
                    await enqueue(tx, who.chat_id, reply, now=now)
                replies.clear()
            if isinstance(effect, FindSimilar | ClaimInvite | CheckWithdrawal):
                # The flow asks for data; its answer is one more event, same transaction.
                answer = await self._answer(tx, who, effect, now)
                conv, more = step(conv, answer, now, self.rules)
                effects[:0] = more
            elif isinstance(effect, Notice):
                notices.append(effect)
            else:
                await self._apply(tx, who, effect, now)
        draft_at = conv.updated_at if conv.draft is not None else None
        await tx.save_step(  # on PostgreSQL one round trip (`storage.postgres.steps`)
            who.chat_id,
            conv.to_json(),
            updated_at=now,
            draft_updated_at=draft_at,
            replies=[[part.to_json() for part in parts_of(reply)] for reply in replies],
            purpose="reply",
            lane=lane_of("reply"),
            now=now,
        )
        return notices

    async def _answer(
        self,
        tx: Transaction,
        who: Sender,
        effect: FindSimilar | ClaimInvite | CheckWithdrawal,
        now: datetime,
    ) -> Event:
        if isinstance(effect, CheckWithdrawal):
            refusal = await withdrawals.withdrawal_refusal_for(tx, who.user_id, effect.code)
            return WithdrawalChecked(effect.code, refusal)
        if isinstance(effect, FindSimilar):
            recent = await tx.count_reports_since(who.user_id, now - timedelta(days=1))
            return SimilarFound(await self._similar(tx, who, effect.draft, now), recent)
        kader = await tx.use_kader_invite(effect.token, who.user_id, now)
        return InviteChecked(kader.name, kader.kelurahan) if kader else InviteChecked(None)

    async def _apply(self, tx: Transaction, who: Sender, effect: Effect, now: datetime) -> None:
        user, chat = who.user_id, who.chat_id
        match effect:
            case Reply():
                await enqueue(tx, chat, effect, now=now)
            case FileReport(draft=draft):
                await self._file(tx, who, draft, now)
            case Support(code=code):
                await reporter.support(tx, self.work, user, chat, code, now)
            case RelayToOfficers(code=code, text=text, photo=photo):
                await reporter.relay(tx, self.work, user, chat, code, text, photo, now)
            case AnswerFollowUp(code=code, answer=answer):
                reopened = await reporter.answer_followup(
                    tx, self.work, user, chat, code, answer, now
                )
                if reopened is not None and second_belum(await tx.history(reopened.id)):
                    await self.ombudsman.offer(tx, reopened, "belum", now)
            case SendDossier(code=code):
                await self.ombudsman.send_dossier(tx, user, chat, code, now)
            case Rate(code=code, rating=rating):
                await reporter.rate(tx, user, chat, code, rating, now)
            case ShowMyData(kader=kader, draft=draft):
                await reporter.show_my_data(tx, who, kader, draft, now, self.rules)
            case EraseMyData():
                erased = await tx.erase_person(user, chat)
                await tx.forget_evidence(erased)  # a voice or a face tells who reported
                for report_id in erased:  # officers' cards no longer name her
                    report = await tx.get_report_by_id(report_id)
                    await self.work.cards.refresh_card(tx, report, now)
                await enqueue(tx, chat, Outgoing(text=report_texts.erased(len(erased))), now=now)
            case ShowReports():
                await reporter.show_reports(tx, user, chat, now, self.rules)
            case ShowReport(code=code):
                await reporter.show_report(tx, user, chat, code, now, self.rules)
            case Withdraw(code=code, reason=reason):
                await withdrawals.withdraw(tx, self.work, user, chat, code, reason, now)

    async def _similar(
        self, tx: Transaction, who: Sender, draft: Draft, now: datetime
    ) -> tuple[PublicReport, ...]:
        """Others' open reports like this draft (same kelurahan and body, recent), as
        other residents may see them."""
        if not draft.kelurahan or not draft.body or draft.body == TRIAGE:
            return ()
        since = now - self.rules.similar_window
        near = await tx.open_reports_near(draft.kelurahan, draft.body, since)
        others = [report for report in near if report.reporter.user_id != who.user_id]
        picked = pick_similar(draft.description, others)
        supporters = {r.id: len(await tx.supporter_chats(r.id)) for r in picked}
        return similar_views(picked, supporters)

    async def file_for_partner(self, partner: str, name: str, draft: Draft) -> Report:
        """File a partner's report (Open311 POST, `flows.partner`) as a resident's is
        filed, in one unit of work, its card to the officers. It has no Telegram reporter
        (ids 0: `Report.reachable` is False, so no news or follow-up is queued for it)."""
        now = self.clock()
        async with unit_of_work(self.store, None, now, self.on_commit) as tx:
            assert tx is not None  # nothing to claim without an update id
            person = Reporter(user_id=0, chat_id=0, name=name)
            report = await self._insert(tx, draft, person, now, actor=f"mitra:{partner}")
            await self.work.cards.post_card(tx, report, now)
        return report

    async def _insert(
        self,
        tx: Transaction,
        draft: Draft,
        person: Reporter,
        now: datetime,
        *,
        verified: bool = False,
        actor: str = "pelapor",
    ) -> Report:
        """Store the draft as a report under a fresh code."""
        for _ in range(_CODE_ATTEMPTS):
            new = new_report(draft, person, self.new_code(), now, kader_verified=verified)
            try:
                return await tx.insert_report(new, actor=actor)
            except CodeTakenError:
                log.warning("tracking code collision, drawing another")
        raise RuntimeError("could not draw a free tracking code")

    async def _file(self, tx: Transaction, who: Sender, draft: Draft, now: datetime) -> None:
        """Store the report under a fresh code; tell the reporter; post the card."""
        person = Reporter(
            user_id=who.user_id, chat_id=who.chat_id, name=who.name, username=who.username
        )
        kader = await tx.kader(who.user_id)
        verified = kader is not None and kader.active
        report = await self._insert(tx, draft, person, now, verified=verified)
        await tx.add_evidence(report.id, draft.evidence)
        filed = Outgoing(
            text=report_texts.report_filed(report, self.rules.timezone), keyboard=Keyboard.REMOVE
        )
        await enqueue(tx, who.chat_id, filed, now=now, report_id=report.id, purpose="filed")
        await self.work.cards.post_card(tx, report, now)
