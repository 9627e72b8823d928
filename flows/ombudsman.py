"""The Ombudsman route, decided purely: when a reporter is told of her right to complain
to the Ombudsman (UU 25/2009), and what her dossier holds.

Theory of operation
-------------------
A reporter is told once per report (the shell claims the notice in storage), when:

* the answer (``jawaban``) or decision (``keputusan``) deadline passes without it: the
  reminders pass escalates it to the central chat at the same moment
  (`reason_of_escalation`);
* she answers "belum" to "is it really solved?" for the second time (`second_belum`).

The notice carries the office's channels (`flows.city.OmbudsmanOffice`, city pack data)
and a button for her dossier. The dossier (`flows.dossier`) is hers alone: the shell
gives it only to the person who filed the report (a kader for her neighbour included).
"""

from __future__ import annotations

from collections.abc import Sequence

from flows import notices, ombudsman_texts
from flows.buttons import button
from flows.city import OmbudsmanOffice
from flows.deadlines import Deadline, DeadlineRules
from flows.effects import Reply
from flows.report import HistoryEntry

LATE_KINDS = frozenset({"jawaban", "keputusan"})
"""Missed deadlines that open the Ombudsman route (verification is internal)."""
BELUM = notices.followup_note("belum")


def reason_of_escalation(kind: str, level: str) -> str | None:
    """The notice's reason when a deadline escalation is claimed (None: no notice)."""
    return kind if level == "terlambat" and kind in LATE_KINDS else None


def second_belum(history: Sequence[HistoryEntry]) -> bool:
    """Whether the reporter said "belum" (not solved) at least twice."""
    said = [e for e in history if e.kind == "followup" and e.note == BELUM]
    return len(said) >= 2


def notice(code: str, reason: str, office: OmbudsmanOffice, rules: DeadlineRules) -> Reply:
    """The reporter's notice of her right, with the dossier button."""
    text = ombudsman_texts.ombudsman_notice(
        code, reason, office, rules.answer_days, rules.decide_days
    )
    short = code.replace("-", "")
    return Reply(text, ((button(ombudsman_texts.DOSSIER_BUTTON, None, "berkas", short),),))


def maladministration(
    deadlines: Sequence[Deadline], history: Sequence[HistoryEntry], now_missed: Sequence[str]
) -> tuple[str, ...]:
    """Kinds of maladministration the record suggests (the Ombudsman's forms): no
    answer in time, undue delay, a solved report the reporter twice said is not."""
    by_kind = {d.kind: d for d in deadlines}
    found: list[str] = []
    answer = by_kind.get("jawaban")
    if answer is not None and "jawaban" in now_missed and answer.met_at is None:
        found.append("tidak_memberikan_pelayanan")
    if any(kind in LATE_KINDS for kind in now_missed):
        found.append("penundaan_berlarut")
    if second_belum(history):
        found.append("tidak_patut")
    return tuple(ombudsman_texts.MALADMINISTRATION[key] for key in found)
