"""Officer commands in officers' chats: queue, search, monthly report, kader registry."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flows import export_texts, notices, officer_texts
from flows.codes import parse_code, typed_as_code
from flows.desk import central_refusal
from flows.monthly import month_bounds, monthly_summary, summary_text
from flows.office import Office
from flows.officer_arguments import (
    EARLIEST_YEAR,
    latest_year,
    parse_kader_invite,
    parse_month,
    parse_user_id,
)
from flows.report import Report
from flows.rules import Rules
from service.cards import Cards
from service.outbox import enqueue
from service.outgoing import Outgoing, upload
from storage.base import Transaction
from storage.errors import NotFoundError


@dataclass
class OfficerCommands:
    """Runs one officer command inside the desk's transaction."""

    rules: Rules
    office: Office
    bot_username: str

    def known(self, name: str) -> bool:
        """Whether `name` is an officer command."""
        return name in _COMMANDS

    async def run(
        self, tx: Transaction, chat_id: int, user_id: int, name: str, arg: str, now: datetime
    ) -> None:
        """Run the command; unknown commands get the officers' help."""
        handler = _COMMANDS.get(name, OfficerCommands.help)
        await handler(self, tx, chat_id, user_id, arg, now)

    async def help(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        central = chat_id == self.office.roles.central_chat
        await _say(tx, chat_id, officer_texts.officer_help(central), now)

    async def queue(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        """`/antrian`: this chat's open reports, oldest first, with the next deadline."""
        reports = await tx.open_queue(self.office.roles.bodies_of_chat(chat_id), limit=30)
        lines = [
            officer_texts.queue_line(
                r, self.office.next_deadline_line(r, self.rules, now), self.rules
            )
            for r in reports
        ]
        await _say(tx, chat_id, officer_texts.queue(lines), now)

    async def search(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        """`/cari KODE` posts that report's card here; `/cari kata` lists matching reports."""
        if not arg.strip():
            await _say(tx, chat_id, officer_texts.search_usage(), now)
            return
        roles = self.office.roles
        words = arg.strip()
        code = parse_code(words)
        if code is not None:
            try:
                report: Report | None = await tx.get_report(code)
            except NotFoundError:
                report = None
            if report is not None and roles.may_handle(chat_id, report):
                await Cards(self.rules, self.office).show_card(tx, chat_id, report, now)
                return
            if typed_as_code(words):
                await _say(tx, chat_id, officer_texts.not_found(code), now)
                return
        # A word, even one spelled with code letters only ("jembatan"): search the text.
        found = await tx.search_reports(words, roles.bodies_of_chat(chat_id))
        lines = [officer_texts.queue_line(r, None, self.rules) for r in found]
        await _say(tx, chat_id, officer_texts.search_results(words, lines), now)

    async def monthly(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        """`/laporan [bulan]`: the month's figures, a chart, and CSV and XLSX exports."""
        # matplotlib and openpyxl take ~0.6 s to import: only when a report is asked for.
        from service.exports import reports_csv, reports_xlsx, summary_chart_png

        tz = self.rules.timezone
        today = now.astimezone(tz).date()
        month = parse_month(arg, today)
        if month is None:
            usage = officer_texts.month_usage(EARLIEST_YEAR, latest_year(today))
            await _say(tx, chat_id, usage, now)
            return
        year, number = month
        start, end = month_bounds(year, number, tz)
        bodies = self.office.roles.bodies_of_chat(chat_id)
        facts = await tx.report_facts_between(start, end, bodies)
        summary = monthly_summary(
            facts,
            year,
            number,
            tz,
            self.office.deadlines,
            self.office.holidays,
            as_of=min(now, end),
        )
        names = {b.id: b.short_name for b in self.rules.catalogue.bodies}
        names["triage"] = notices.TRIAGE_SHORT
        kinds = {k.id: k.label for k in self.rules.catalogue.kinds}
        await _say(tx, chat_id, summary_text(summary, names, kinds), now)
        stem = export_texts.file_stem(year, number)
        for message in (
            upload(f"{stem}.png", summary_chart_png(summary, names)),
            upload(f"{stem}.csv", reports_csv(facts, tz)),
            upload(f"{stem}.xlsx", reports_xlsx(facts, summary, tz)),
        ):
            await enqueue(tx, chat_id, message, now=now, purpose="export")

    async def invite_kader(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        """`/undang_kader NAMA KELURAHAN` (central chat): a one-time invitation link."""
        if await self._refused_outside_central(tx, chat_id, now):
            return
        parsed = parse_kader_invite(arg, self.rules.places.match_kelurahan)
        if parsed is None:
            await _say(tx, chat_id, officer_texts.invite_usage(), now)
            return
        name, kelurahan = parsed
        token = secrets.token_urlsafe(12)
        await tx.create_kader_invite(token, name, kelurahan, created_by=user_id, at=now)
        link = f"https://t.me/{self.bot_username}?start={token}"
        await _say(tx, chat_id, officer_texts.invite_link(name, kelurahan, link), now)

    async def list_kaders(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        """`/kader`: verified kader per kelurahan, with their report counts."""
        await _say(tx, chat_id, officer_texts.kader_list(await tx.kaders()), now)

    async def deactivate_kader(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        """`/kader_nonaktif ID` (central chat): a kader's reports are no longer marked."""
        await self._set_kader(tx, chat_id, arg, False, now)

    async def activate_kader(
        self, tx: Transaction, chat_id: int, user_id: int, arg: str, now: datetime
    ) -> None:
        """`/kader_aktif ID` (central chat): undo a deactivation."""
        await self._set_kader(tx, chat_id, arg, True, now)

    async def _set_kader(
        self, tx: Transaction, chat_id: int, arg: str, active: bool, now: datetime
    ) -> None:
        if await self._refused_outside_central(tx, chat_id, now):
            return
        target = parse_user_id(arg)
        if target is None:
            await _say(tx, chat_id, officer_texts.kader_usage(active), now)
            return
        changed = await tx.set_kader_active(target, active)
        await _say(tx, chat_id, officer_texts.kader_changed(str(target), active, changed), now)


    async def _refused_outside_central(self, tx: Transaction, chat_id: int, now: datetime) -> bool:
        """A command of the central chat given elsewhere: refused, with the reason."""
        refusal = central_refusal(self.office, chat_id)
        if refusal is not None:
            await _say(tx, chat_id, refusal, now)
        return refusal is not None


_COMMANDS = {
    "antrian": OfficerCommands.queue,
    "cari": OfficerCommands.search,
    "laporan": OfficerCommands.monthly,
    "undang_kader": OfficerCommands.invite_kader,
    "kader": OfficerCommands.list_kaders,
    "kader_nonaktif": OfficerCommands.deactivate_kader,
    "kader_aktif": OfficerCommands.activate_kader,
    "bantuan": OfficerCommands.help,
    "start": OfficerCommands.help,
}


async def _say(tx: Transaction, chat_id: int, text: str, now: datetime) -> None:
    await enqueue(tx, chat_id, Outgoing(text=text), now=now)
