"""A reporter's dossier for the Ombudsman: her report, its public history with dates,
its deadlines (those missed marked), the kinds of maladministration the record
suggests and how to reach the Ombudsman, as one HTML page in Indonesian.

Privacy: the dossier names nobody. The story and every history note are masked as a
public text is (`flows.public_view.masked_public_text`: the report's people, phone and
NIK/KK numbers, e-mail addresses, @accounts); history lines show what happened, never
who did it (officers sign as their office); internal notes are left out; supporters,
the neighbour's name and the reporter's own identity are not in it. Pure: the page is
rendered from a template string, no file or clock is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment

from flows import ombudsman_texts as t
from flows.city import OmbudsmanOffice
from flows.deadlines import Deadline, DeadlineRules, describe
from flows.ombudsman import maladministration
from flows.prompts import body_label, kind_label
from flows.public_view import masked_public_text
from flows.report import HistoryEntry, Report
from flows.rules import Rules
from flows.texts import PRIVACY_LABELS, STATUS_LABELS, local_time


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline as the dossier lists it."""

    label: str
    text: str
    missed: bool


@dataclass(frozen=True)
class Dossier:
    """Everything the page shows, as plain text (the template escapes it)."""

    code: str
    city: str
    made_at: str
    facts: tuple[tuple[str, str], ...]
    story: str
    history: tuple[tuple[str, str], ...]
    deadlines: tuple[DeadlineRow, ...]
    maladministration: tuple[str, ...]
    office: str
    contact: tuple[str, ...]


def build_dossier(
    report: Report,
    history: Sequence[HistoryEntry],
    deadlines: Sequence[Deadline],
    rules: Rules,
    deadline_rules: DeadlineRules,
    office: OmbudsmanOffice,
    now: datetime,
) -> Dossier:
    """The dossier of `report` with its public `history` and its `deadlines` as of `now`."""
    tz = rules.timezone
    place = report.place
    facts = (
        ("Kode laporan", report.code),
        ("Tanggal laporan", local_time(report.filed_at, tz)),
        ("Instansi tujuan", body_label(report.body, rules)),
        ("Jenis masalah", kind_label(report.kind, rules)),
        ("Lokasi", f"Kel. {place.kelurahan}, Kec. {place.kecamatan}"),
        ("Status saat ini", STATUS_LABELS[report.status]),
        ("Pilihan privasi", PRIVACY_LABELS[report.privacy]),
    )
    public = [entry for entry in history if entry.public]
    lines = tuple((local_time(entry.at, tz), _history_what(report, entry)) for entry in public)
    missed = [d.kind for d in deadlines if d.missed(now)]
    rows = tuple(
        DeadlineRow(_deadline_label(d.kind, deadline_rules), describe(d, now, tz), d.missed(now))
        for d in deadlines
    )
    return Dossier(
        code=report.code,
        city=rules.city.name,
        made_at=local_time(now, tz),
        facts=facts,
        story=masked_public_text(report, report.description),
        history=lines,
        deadlines=rows,
        maladministration=maladministration(deadlines, public, missed),
        office=office.name,
        contact=tuple(t.contact_lines(office)),
    )


def _history_what(report: Report, entry: HistoryEntry) -> str:
    note = masked_public_text(report, entry.note or "")
    if entry.kind == "status":
        label = STATUS_LABELS[entry.to_status]
        return f"Status: {label}" + (f" — {note}" if note else "")
    return t.history_what(entry.kind, note)


def _deadline_label(kind: str, rules: DeadlineRules) -> str:
    days = {
        "verifikasi": rules.verify_working_days,
        "jawaban": rules.answer_days,
        "keputusan": rules.decide_days,
    }[kind]
    return t.DEADLINE_LABELS[kind].format(days=days)


def dossier_file_name(code: str) -> str:
    """The document's name: `berkas-SW-7K3M-Q9XA.html`."""
    return f"berkas-{code}.html"


def render_dossier(dossier: Dossier) -> str:
    """The dossier as a self-contained HTML page (autoescaped: nothing is trusted)."""
    env = Environment(autoescape=True, keep_trailing_newline=True)
    return env.from_string(_TEMPLATE).render(
        d=dossier,
        no_missed=t.NO_MISSED,
        no_maladministration=t.NO_MALADMINISTRATION,
        identity_note=t.IDENTITY_NOTE,
        assessment_note=t.ASSESSMENT_NOTE,
    )


_TEMPLATE = """<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>Berkas laporan {{ d.code }}</title>
<style>
body { font-family: sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.45; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
.missed { color: #a00; font-weight: bold; }
</style>
</head>
<body>
<h1>Berkas laporan {{ d.code }}</h1>
<p>Layanan pengaduan {{ d.city }} · dibuat {{ d.made_at }} · untuk pengaduan ke {{ d.office }}</p>

<h2>Ringkasan</h2>
<table>
{% for label, value in d.facts %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>

<h2>Isi laporan</h2>
<p>{{ d.story }}</p>

<h2>Riwayat</h2>
<table>
<tr><th>Waktu</th><th>Peristiwa</th></tr>
{% for when, what in d.history %}<tr><td>{{ when }}</td><td>{{ what }}</td></tr>
{% endfor %}</table>

<h2>Batas waktu</h2>
<table>
<tr><th>Tahap</th><th>Keadaan</th></tr>
{% for row in d.deadlines %}<tr{% if row.missed %} class="missed"{% endif %}>
<td>{{ row.label }}</td><td>{{ row.text }}{% if row.missed %} (terlewat){% endif %}</td></tr>
{% endfor %}</table>
{% if not d.deadlines|selectattr("missed")|list %}<p>{{ no_missed }}</p>{% endif %}

<h2>Dugaan bentuk maladministrasi</h2>
{% if d.maladministration %}<ul>
{% for item in d.maladministration %}<li>{{ item }}</li>
{% endfor %}</ul>
<p><small>{{ assessment_note }}</small></p>{% else %}<p>{{ no_maladministration }}</p>{% endif %}

<h2>Hak Anda</h2>
<p>Menurut UU No. 25 Tahun 2009 tentang Pelayanan Publik, Anda berhak mengadukan
penyelenggara pelayanan publik kepada {{ d.office }}.</p>
<ul>
{% for line in d.contact %}<li>{{ line }}</li>
{% endfor %}</ul>
<p><small>{{ identity_note }}</small></p>
</body>
</html>
"""
