"""The complaint unit's settings that officers' work depends on (pure data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flows.backlog import Backlog
from flows.deadlines import (
    Deadline,
    DeadlineRules,
    Progress,
    deadlines_for,
    describe,
    next_deadline,
    reminders_due,
)
from flows.report import Report
from flows.roles import Roles
from flows.rules import Rules

DEFAULT_FOLLOWUP_AFTER = timedelta(days=3)


@dataclass(frozen=True)
class Office:
    """Chats and officers, canned answers, deadlines, the follow-up delay and the
    sender's pace (`Backlog`: when residents hear the bot is busy, groups get digests)."""

    roles: Roles = field(default_factory=Roles)
    templates: tuple[str, ...] = ()
    followup_after: timedelta = DEFAULT_FOLLOWUP_AFTER
    deadlines: DeadlineRules = field(default_factory=DeadlineRules)
    holidays: frozenset[date] = frozenset()
    public_url: str = ""  # the public board ([web] public_url); "" when it has no address
    central_check: bool = False  # an OPD's Selesai waits for the central verifier
    backlog: Backlog = field(default_factory=Backlog)  # the sender's pace, for backpressure

    def report_page(self, report: Report) -> str | None:
        """The report's page on the public board; None without an address, and for a
        rahasia report (its page answers 404)."""
        if not self.public_url or report.privacy.confidential:
            return None
        return f"{self.public_url}/laporan/{report.code}"

    def unit_name(self, chat_id: int, rules: Rules) -> str:
        """How officers of this chat sign to residents ("Petugas Dinas ...")."""
        body = self.roles.body_of_chat(chat_id)
        if body is None:
            return f"Petugas Pengaduan {rules.places.city}"
        return f"Petugas {rules.catalogue.body(body).name}"

    def deadlines_of(self, report: Report | Progress, rules: Rules) -> tuple[Deadline, ...]:
        """The report's three legal deadlines."""
        return deadlines_for(
            report.filed_at,
            report.verified_at,
            report.first_answer_at,
            report.decided_at,
            self.deadlines,
            self.holidays,
            rules.timezone,
        )

    def reminders_of(
        self, report: Report | Progress, rules: Rules, now: datetime, sent: set[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        """The reminders to send about the report now, given those `sent` already."""
        return reminders_due(self.deadlines_of(report, rules), now, self.deadlines, sent)

    def next_deadline_line(self, report: Report, rules: Rules, now: datetime) -> str | None:
        """The next unmet deadline, described for the card."""
        upcoming = next_deadline(self.deadlines_of(report, rules))
        return None if upcoming is None else describe(upcoming, now, rules.timezone)
