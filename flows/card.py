"""The card officers see of a report, and what they see of the reporter.

The card respects the reporter's protections: *anonim* never shows the reporter's (or
the kader's, or the neighbour's) name, username or phone, even to the handling
officers; the card also shows what of the story may become public (`public_line`).
"""

from __future__ import annotations

from flows.names import shown_name
from flows.officer import REJECT_REASONS
from flows.place_texts import card_outside_flag
from flows.prompts import body_label, kind_label
from flows.public_view import hide_identity, is_public
from flows.report import TRIAGE, Report
from flows.report_ends import card_lines
from flows.rules import Rules
from flows.texts import PRIVACY_LABELS, STATUS_LABELS, esc, local_time


def reporter_line(report: Report) -> str:
    """Who reported, as far as the privacy choice allows officers to see."""
    if report.privacy.anonymous:
        return "Pelapor: <i>disembunyikan (anonim)</i>"
    who = report.reporter
    parts = [esc(shown_name(who.name))]
    if who.username:
        parts.append(f"@{esc(shown_name(who.username))}")
    if who.phone:
        parts.append(esc(who.phone))
    line = "Pelapor: " + ", ".join(parts)
    if report.neighbour:
        mark = "terverifikasi" if report.kader_verified else "belum terverifikasi"
        neighbour = esc(shown_name(report.neighbour.name))
        line = f"Pelapor: kader ({mark}) {', '.join(parts)}\nUntuk warga: {neighbour}"
        if report.neighbour.phone:
            line += f", {esc(report.neighbour.phone)}"
    return line


def officer_card(
    report: Report, rules: Rules, *, supporters: int = 0, deadline: str | None = None
) -> str:
    """The report card posted to the officers' chat (edited in place as it moves on)."""
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
        places = rules.places
        if places.inside_city((lat, lon)) is False:
            lines.append(card_outside_flag(places.city, places.boundary_approximate))
    if report.reject_reason:
        reason = dict(REJECT_REASONS).get(report.reject_reason, report.reject_reason)
        lines.append(f"Alasan: {esc(reason)}")
    if report.duplicate_of:
        lines.append(f"Sama dengan: {report.duplicate_of}")
    lines += card_lines(report, rules)
    if deadline and not report.closed:
        lines.append(f"⏳ {deadline}")
    lines.append(f"Privasi: {PRIVACY_LABELS[report.privacy]}")
    lines.append(reporter_line(report))
    if report.photos:
        lines.append(f"Foto: {len(report.photos)} (dikirim di bawah)")
    if supporters:
        lines.append(f"👍 Didukung {supporters} warga lain")
    story = hide_identity(report, report.description) if report.privacy.anonymous else None
    lines.append(f"\n{esc(story or report.description)}")
    lines.append(public_line(report))
    return "\n".join(lines)


def public_line(report: Report) -> str:
    """What of the story other residents and the public may see, as officers read it."""
    if report.privacy.confidential:
        return "\n🔒 <i>Rahasia: isi laporan tidak pernah ditampilkan kepada umum.</i>"
    text = esc(report.public_text) if report.public_text else "<i>(kosong)</i>"
    if is_public(report):
        state = "tampil untuk umum"
    elif report.public_at is not None:
        state = "disetujui, tampil setelah diverifikasi"
    else:
        state = "usulan, belum tampil"
    photos = ""
    if report.photos:
        photos = "\nFoto untuk umum: " + ("ya" if report.photos_public else "tidak")
    return f"\n🌐 <b>Teks publik</b> ({state}):\n{text}{photos}"
