"""The Ombudsman route, decided purely: when the reporter is told of her right, the
notice's contents, the /berkas command and button, and the dossier's contents (the
code, dates, missed deadlines, the kinds of maladministration; nobody's personal data)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from flows import ombudsman_texts
from flows.city import OmbudsmanOffice
from flows.deadlines import DeadlineRules, deadlines_for
from flows.dossier import build_dossier, render_dossier
from flows.effects import Reply, SendDossier
from flows.events import Command, Press
from flows.ombudsman import maladministration, notice, reason_of_escalation, second_belum
from flows.report import HistoryEntry, Neighbour, Privacy, Report, Reporter, Status
from flows.state import Conversation
from tests.flows.helpers import RULES, T0, run
from tests.flows.test_officer import report

DEADLINES = DeadlineRules()
OFFICE = OmbudsmanOffice("Ombudsman RI Perwakilan Banten", phone="137", website="ombudsman.go.id")


@pytest.mark.parametrize(
    ("kind", "level", "expected"),
    [
        ("jawaban", "terlambat", "jawaban"),
        ("keputusan", "terlambat", "keputusan"),
        ("verifikasi", "terlambat", None),  # internal: no notice
        ("jawaban", "pengingat", None),  # not missed yet
    ],
)
def test_which_escalations_open_the_route(kind: str, level: str, expected: str | None) -> None:
    assert reason_of_escalation(kind, level) == expected


def entry(kind: str, note: str | None, days: int = 0, **more: Any) -> HistoryEntry:
    return HistoryEntry(
        at=T0 + timedelta(days=days),
        actor=more.pop("actor", "pelapor"),
        from_status=None,
        to_status=more.pop("to_status", Status.DIPROSES),
        note=note,
        kind=kind,
        **more,
    )


def test_the_second_belum_opens_the_route() -> None:
    belum = entry("followup", "konfirmasi pelapor: belum")
    assert not second_belum([belum])
    assert not second_belum([belum, entry("followup", "konfirmasi pelapor: sebagian")])
    assert second_belum([belum, entry("reply", "ok"), belum])


def test_the_notice_names_the_office_its_channels_and_the_dossier() -> None:
    told = notice("SW-7K3M-Q9XA", "jawaban", OFFICE, DEADLINES)
    assert "Ombudsman RI Perwakilan Banten" in told.text and "137" in told.text
    assert "14 hari" in told.text and "/berkas SW-7K3M-Q9XA" in told.text
    assert "belum dikonfirmasi" in told.text  # unchecked contact data says so
    assert [b.data for row in told.buttons for b in row] == ["g:berkas:SW7K3MQ9XA"]
    checked = notice("SW-7K3M-Q9XA", "belum", OmbudsmanOffice("X", confirmed=True), DEADLINES)
    assert "dua kali" in checked.text and "belum dikonfirmasi" not in checked.text


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        pytest.param(Command("berkas", "sw-7k3m-q9xa"), SendDossier("SW-7K3M-Q9XA"), id="cmd"),
        pytest.param(Press("g:berkas:SW7K3MQ9XA"), SendDossier("SW-7K3M-Q9XA"), id="button"),
        pytest.param(
            Command("berkas", ""), Reply(ombudsman_texts.dossier_usage()), id="no-code"
        ),
    ],
)
def test_asking_for_the_dossier(event: Any, expected: object) -> None:
    _, effects = run(Conversation(updated_at=T0), event)
    assert effects == [expected]


def kader_report(**changes: Any) -> Report:
    fields: dict[str, Any] = {
        "reporter": Reporter(
            user_id=1001, chat_id=1001, name="Siti Aminah", phone="0812-3456-7890"
        ),
        "neighbour": Neighbour(name="Pak Darmo", phone="0813-555-0199"),
        "description": "Pak Darmo (0813-555-0199) belum dapat bansos, NIK 3672012345678901",
        "status": Status.DIPROSES,
        "privacy": Privacy.ANONIM,
    }
    fields.update(changes)
    return report(**fields)


def dossier_html(rep: Report, history: list[HistoryEntry], days_later: int) -> str:
    now = T0 + timedelta(days=days_later)
    deadlines = deadlines_for(
        rep.filed_at, rep.verified_at, rep.first_answer_at, rep.decided_at,
        DEADLINES, frozenset(), RULES.timezone,
    )  # fmt: skip
    return render_dossier(build_dossier(rep, history, deadlines, RULES, DEADLINES, OFFICE, now))


def test_the_dossier_holds_the_record_and_the_missed_deadlines() -> None:
    rep = kader_report(verified_at=T0 + timedelta(days=1))
    history = [
        entry("status", None, to_status=Status.DITERIMA),
        entry("status", None, 1, to_status=Status.DIVERIFIKASI, actor="petugas:9002"),
        entry("reporter", "Kapan ditindaklanjuti? Hubungi 0812-3456-7890", 5),
        entry("note", "Internal: pak Andi cek besok", 6, actor="petugas:9002", public=False),
    ]
    page = dossier_html(rep, history, 20)
    assert "SW-7K3M-Q9XA" in page
    assert "23/11/2026" in page and "28/11/2026" in page  # filed, her message (WIB)
    assert "Jawaban pertama (14 hari)" in page and "TERLAMBAT" in page
    assert "Penundaan berlarut" in page and "Tidak memberikan pelayanan" in page
    assert "Ombudsman RI Perwakilan Banten" in page and "137" in page
    # Nobody's personal data: not hers, not the neighbour's, no officer, no internal note.
    for private in (
        "Siti", "Aminah", "0812", "3456-7890", "Darmo", "0813", "3672012345678901",
        "9002", "petugas:", "Andi", "Internal",
    ):  # fmt: skip
        assert private not in page, private
    assert "[nomor telepon]" in page and "[NIK/KK]" in page


def test_a_dossier_on_time_says_nothing_was_missed() -> None:
    rep = kader_report(verified_at=T0, first_answer_at=T0 + timedelta(days=2))
    page = dossier_html(rep, [entry("status", None, to_status=Status.DITERIMA)], 3)
    assert ombudsman_texts.NO_MISSED in page and ombudsman_texts.NO_MALADMINISTRATION in page


def test_resident_text_cannot_inject_markup_into_the_dossier() -> None:
    page = dossier_html(kader_report(description="<script>alert(1)</script> jalan rusak"), [], 1)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_maladministration_of_a_solved_report_said_not_solved_twice() -> None:
    belum = entry("followup", "konfirmasi pelapor: belum")
    found = maladministration((), [belum, belum], [])
    assert found == (ombudsman_texts.MALADMINISTRATION["tidak_patut"],)
