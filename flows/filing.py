"""Turning a finished draft into a report, and the card officers see of it.

The card respects the reporter's privacy choice: *anonim* and *rahasia* never show the
reporter's (or the kader's, or the neighbour's) name, username or phone.
"""

from __future__ import annotations

from datetime import datetime

from flows.prompts import body_label, kind_label
from flows.report import TRIAGE, Neighbour, NewReport, Place, Privacy, Report, Reporter
from flows.rules import Rules
from flows.state import Draft
from flows.texts import PRIVACY_LABELS, STATUS_LABELS, esc, local_time


class IncompleteDraftError(ValueError):
    """A draft without a required part was asked to become a report."""


def new_report(draft: Draft, reporter: Reporter, code: str, now: datetime) -> NewReport:
    """The report to store for a finished draft, filed by `reporter`."""
    if not (draft.kecamatan and draft.kelurahan and draft.privacy and draft.description):
        raise IncompleteDraftError("draft is missing a required part")
    neighbour = None
    if draft.for_neighbour:
        if not draft.neighbour_name or not draft.consent:
            raise IncompleteDraftError("a neighbour's report needs a name and consent")
        neighbour = Neighbour(name=draft.neighbour_name, phone=draft.neighbour_phone)
    who = reporter.model_copy(
        update={"name": draft.reporter_name or reporter.name, "phone": draft.phone}
    )
    place = Place(
        kecamatan=draft.kecamatan,
        kelurahan=draft.kelurahan,
        latitude=draft.latitude,
        longitude=draft.longitude,
        address=draft.address,
    )
    return NewReport(
        code=code,
        filed_at=now,
        reporter=who,
        neighbour=neighbour,
        description=draft.description,
        photos=draft.photos,
        place=place,
        privacy=draft.privacy,
        body=draft.body or TRIAGE,
        kind=draft.kind,
    )


def reporter_line(report: Report) -> str:
    """Who reported, as far as the privacy choice allows officers to see."""
    if report.privacy is not Privacy.BIASA:
        hidden = "disembunyikan (anonim)" if report.privacy is Privacy.ANONIM else "dirahasiakan"
        return f"Pelapor: <i>{hidden}</i>"
    who = report.reporter
    parts = [esc(who.name)]
    if who.username:
        parts.append(f"@{esc(who.username)}")
    if who.phone:
        parts.append(esc(who.phone))
    line = "Pelapor: " + ", ".join(parts)
    if report.neighbour:
        line = f"Pelapor: kader {', '.join(parts)}\nUntuk warga: {esc(report.neighbour.name)}"
        if report.neighbour.phone:
            line += f", {esc(report.neighbour.phone)}"
    return line


def admin_card(report: Report, rules: Rules, *, supporters: int = 0) -> str:
    """The report card posted to the officers' chat."""
    place = report.place
    body = "Antrean triase pusat" if report.body == TRIAGE else body_label(report.body, rules)
    lines = [
        f"📥 <b>Laporan {report.code}</b> · {STATUS_LABELS[report.status]}",
        f"Waktu: {local_time(report.filed_at, rules.timezone)}",
        f"Tujuan: {esc(body)}",
        f"Jenis: {esc(kind_label(report.kind, rules))}",
        f"Lokasi: Kel. {esc(place.kelurahan)}, Kec. {esc(place.kecamatan)}",
    ]
    if place.address:
        lines.append(f"Alamat/patokan: {esc(place.address)}")
    if place.latitude is not None and place.longitude is not None:
        lat, lon = place.latitude, place.longitude
        lines.append(
            f'Titik: <a href="https://www.openstreetmap.org/?mlat={lat:.6f}&amp;mlon={lon:.6f}">'
            f"{lat:.5f}, {lon:.5f}</a>"
        )
    lines.append(f"Privasi: {PRIVACY_LABELS[report.privacy]}")
    lines.append(reporter_line(report))
    if report.photos:
        lines.append(f"Foto: {len(report.photos)} (dikirim di bawah)")
    if supporters:
        lines.append(f"👍 Didukung {supporters} warga lain")
    lines.append(f"\n{esc(report.description)}")
    return "\n".join(lines)
