"""The Ombudsman route, carried out inside the caller's transaction: tell a reporter
once of her right to complain to the Ombudsman, and send her the dossier of her report
(an HTML document through the outbox). Decided in `flows.ombudsman`, the page built in
`flows.dossier`; no Telegram here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows import ombudsman_texts, report_texts
from flows.dossier import build_dossier, dossier_file_name, render_dossier
from flows.effects import Reply
from flows.office import Office
from flows.ombudsman import notice
from flows.report import Report
from flows.rules import Rules
from service.outbox import enqueue
from service.outgoing import upload
from service.reporter import own_report
from storage.base import Transaction

NOTICE = "ombudsman"
"""The outbox purpose of the notice (a reply to it reaches the officers, see RELAYABLE)."""


@dataclass(frozen=True)
class Ombudsman:
    """See the module docstring."""

    rules: Rules
    office: Office

    async def offer(self, tx: Transaction, report: Report, reason: str, now: datetime) -> bool:
        """Tell the reporter of her right to complain to the Ombudsman, once per report
        (a reporter without a chat is not told); True if told now. This writes."""
        if not report.reachable:
            return False
        if not await tx.claim_ombudsman_notice(report.id, reason, now):
            return False
        office = self.rules.city.ombudsman_contact
        told = notice(report.code, reason, office, self.office.deadlines)
        await enqueue(
            tx, report.reporter.chat_id, told, now=now, report_id=report.id, purpose=NOTICE
        )
        return True

    async def send_dossier(
        self, tx: Transaction, user_id: int, chat_id: int, code: str, now: datetime
    ) -> None:
        """The dossier of her report, to the person who filed it only (others' codes
        look unknown). This writes (the outbox)."""
        report = await own_report(tx, user_id, code)
        if report is None:
            await enqueue(tx, chat_id, Reply(report_texts.report_not_found(code)), now=now)
            return
        dossier = build_dossier(
            report,
            await tx.history(report.id),
            self.office.deadlines_of(report, self.rules),
            self.rules,
            self.office.deadlines,
            self.rules.city.ombudsman_contact,
            now,
        )
        page = render_dossier(dossier).encode("utf-8")
        document = upload(
            dossier_file_name(report.code), page, ombudsman_texts.dossier_caption(report.code)
        )
        await enqueue(tx, chat_id, document, now=now, report_id=report.id, purpose="dossier")
