"""Carrying out an officer's decision (`flows.officer.Decision`) inside the caller's
transaction: store it, keep the privacy protections, tell the reporter, update the
card. No Telegram here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flows import notices
from flows.kind_texts import kind_changed_note
from flows.office import Office
from flows.officer import Decision
from flows.prompts import kind_label
from flows.report import Report
from flows.rules import Rules
from service.cards import Cards
from service.messages import tell_reporter
from storage.base import Transaction


@dataclass
class Decisions:
    """Applies decisions; `cards` keeps the report's cards up to date."""

    rules: Rules
    office: Office
    cards: Cards = field(init=False)

    def __post_init__(self) -> None:
        self.cards = Cards(self.rules, self.office)

    async def apply(
        self,
        tx: Transaction,
        report: Report,
        decision: Decision,
        *,
        actor: str,
        unit: str,
        now: datetime,
    ) -> Report:
        """Carry out an officer's decision: store it, tell the reporter, update the card.
        Returns the report as it is now. This writes."""
        moved_from = None
        if decision.body is not None and decision.body != report.body:
            moved_from = report.body
            report = await tx.set_body(report.id, decision.body, report.kind, actor=actor, at=now)
        for stamp, at in decision.stamps:
            await tx.stamp(report.id, stamp, at, keep_first=decision.keep_first_stamps)
        if decision.reject_reason is not None:
            await tx.set_outcome(
                report.id, reject_reason=decision.reject_reason, duplicate_of=report.duplicate_of
            )
        await self._protect(tx, report, decision, actor=actor, now=now)
        if decision.kind is not None and decision.kind != report.kind:
            report = await self._correct_kind(tx, report, decision.kind, actor=actor, now=now)
        if decision.learn:
            # Stored only: every worker learns it once committed (`service.learning`).
            await tx.add_routing_example(report.description, report.body, now, report.id)
        if decision.to_status is not None and decision.to_status is not report.status:
            report = await tx.set_status(report.id, decision.to_status, actor=actor, at=now)
        else:
            report = await tx.get_report_by_id(report.id)
        if moved_from is not None:
            await self.cards.move_card(tx, report, moved_from, now)
        else:
            await self.cards.refresh_card(tx, report, now, decision.keyboard)
        if decision.to_status is not None or moved_from is not None:
            page = self.office.report_page(report)
            news = notices.report_news(report, unit, self.rules, page)
            await tell_reporter(tx, report, news, now)
        return report

    async def _correct_kind(
        self, tx: Transaction, report: Report, kind: str, *, actor: str, now: datetime
    ) -> Report:
        """The officer's kind of problem, noted in the history and kept as a lesson."""
        note = kind_changed_note(
            kind_label(report.kind, self.rules), kind_label(kind, self.rules)
        )
        report = await tx.set_kind(report.id, kind, actor=actor, at=now, note=note)
        await tx.add_kind_example(report.description, kind, now, report.id)
        return report

    async def _protect(
        self, tx: Transaction, report: Report, decision: Decision, *, actor: str, now: datetime
    ) -> None:
        """Officers' privacy decisions: add a protection (never remove one), approve the
        public text (verification), make the photos public."""
        if decision.protect is not None:
            wanted = report.privacy.adding(
                anonymous=decision.protect == "anonim",
                confidential=decision.protect == "rahasia",
            )
            if wanted is not report.privacy:
                await tx.add_protection(report.id, wanted, actor=actor, at=now)
        if report.privacy.confidential:
            return
        if decision.publish and report.public_at is None:
            await tx.stamp(report.id, "public_at", now, keep_first=True)
        if decision.photos_public and report.photos:
            await tx.set_photos_public(report.id, actor=actor, at=now)
