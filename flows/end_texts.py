"""Texts about the two ends of a report that are neither solved nor rejected: handed over
to a body outside the city's authority (*dilimpahkan*), or withdrawn by its reporter
(*dicabut*). Indonesian, Telegram HTML."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flows.report import Report
from flows.texts import STATUS_LABELS, esc, local_time

HANDOVER_NOTE_MAX = 500
"""The longest note an officer may add to a handover (a reference number, an office)."""
WITHDRAW_REASON_MAX = 500
"""The longest reason a reporter may give for withdrawing (longer ones are cut)."""

WITHDRAW_BUTTON = "↩️ Cabut laporan ini"
WITHDRAW_NO_REASON = "Cabut tanpa alasan"
WITHDRAW_KEEP = "Batal, jangan dicabut"


# -- handover to an outside body -----------------------------------------------------------


def handover_button(short_name: str) -> str:
    """The card's one-tap handover of a report filed for an outside body."""
    return f"🤝 Limpahkan ke {short_name}"


def handover_news(report: Report, body_name: str, contact: str, city: str) -> str:
    """The reporter's news: who is responsible, how to reach them; closed here."""
    return (
        f"🔔 Kabar laporan <b>{report.code}</b>: menurut petugas, masalah ini bukan "
        f"kewenangan pemerintah {esc(city)}, melainkan kewenangan <b>{esc(body_name)}</b>. "
        "Laporan Anda kami catat sebagai <i>diteruskan ke instansi berwenang</i> dan "
        "ditutup di sini.\n"
        f"Cara menghubungi mereka: {esc(contact)}"
    )


def ask_handover_note(code: str, body_name: str) -> str:
    """Asked of the officer after a handover: a short note for the reporter, optional."""
    return (
        f"🤝 Pelimpahan laporan {code} ke {esc(body_name)} tercatat; pelapor sudah diberi "
        "kontaknya.\n"
        "Ingin menambah catatan singkat untuk pelapor (mis. nomor pengaduan atau kantor "
        "yang dituju)? <b>Balas (reply) pesan ini</b>. Jika tidak, abaikan saja."
    )


def handover_note_to_reporter(report: Report, unit: str, body_name: str, note: str) -> str:
    return (
        f"💬 Catatan <b>{esc(unit)}</b> tentang laporan <b>{report.code}</b> yang "
        f"diteruskan ke {esc(body_name)}:\n{esc(note)}"
    )


def handover_note_sent(code: str) -> str:
    return f"✅ Catatan pelimpahan laporan {code} sudah dikirim ke pelapor."


def handover_note_empty() -> str:
    return "Catatan kosong tidak dikirim. Balas lagi pesan tadi dengan teks catatannya."


def handover_note_too_long() -> str:
    return (
        f"Catatan terlalu panjang: paling banyak {HANDOVER_NOTE_MAX} karakter. "
        "Balas lagi pesan tadi dengan catatan yang lebih singkat."
    )


def handover_note_refused(report: Report) -> str:
    return (
        f"Laporan {report.code} tidak sedang berstatus "
        f"{STATUS_LABELS[report.status].lower()} ke instansi lain; catatan tidak dikirim."
    )


def card_outside_line(body_name: str, contact: str, city: str) -> str:
    """On the card of an open report at an outside body: what to do with it."""
    return (
        f"⚠️ Bukan kewenangan pemerintah {esc(city)}, melainkan {esc(body_name)}. "
        f"Kontak: {esc(contact)}\n"
        "Pelapor sudah diberi kontaknya. Tekan 🤝 Limpahkan untuk menutupnya, atau "
        "↪️ Alihkan bila ternyata urusan OPD."
    )


def card_handover_line(body_name: str, contact: str, note: str | None) -> str:
    """On the card of a handed-over report."""
    line = f"🤝 Dilimpahkan ke {esc(body_name)}. Kontak untuk pelapor: {esc(contact)}"
    return line if not note else f"{line}\nCatatan untuk pelapor: {esc(note)}"


# -- withdrawal by the reporter ------------------------------------------------------------


def withdraw_usage() -> str:
    return (
        "Untuk mencabut laporan, tulis /tarik diikuti kodenya, misalnya "
        "<code>/tarik ABCD-2345</code>. Kode laporan Anda ada di /status."
    )


def ask_withdraw_reason(code: str) -> str:
    return (
        f"Anda akan <b>mencabut</b> laporan <b>{code}</b>: petugas tidak akan "
        "menindaklanjutinya lagi.\n"
        "Boleh tuliskan alasannya singkat (misalnya: sudah beres sendiri), atau tekan "
        f"<b>{WITHDRAW_NO_REASON}</b>."
    )


def withdraw_kept(code: str) -> str:
    return f"Baik, laporan {code} tidak dicabut dan tetap ditangani."


def already_withdrawn(code: str) -> str:
    return f"Laporan {code} sudah Anda cabut sebelumnya."


def not_withdrawable(report: Report) -> str:
    return (
        f"Maaf, laporan {report.code} sudah diputuskan "
        f"({STATUS_LABELS[report.status]}), jadi tidak bisa dicabut lagi. Jika masih ada "
        "masalah, Anda bisa membuat laporan baru dengan /lapor."
    )


def withdrawn_news(report: Report) -> str:
    """To the reporter and the residents supporting the report."""
    return (
        f"🔔 Kabar laporan <b>{report.code}</b>: laporan ini sudah <b>dicabut</b> atas "
        "permintaan pelapor dan tidak ditindaklanjuti lagi oleh petugas. Jika masalahnya "
        "masih ada, silakan buat laporan baru dengan /lapor."
    )


def withdrawn_to_officers(code: str, reason: str | None) -> str:
    """To the chat handling the report (the reason already masked for an anonim one)."""
    shown = esc(reason) if reason else "<i>(tanpa alasan)</i>"
    return (
        f"↩️ <b>Pelapor mencabut</b> laporan {code}. Alasan: {shown}\n"
        "Tenggat waktunya berhenti; laporan tidak perlu ditindaklanjuti lagi."
    )


def card_withdrawn_line(report: Report, reason: str | None, tz: ZoneInfo) -> str:
    """On the card of a withdrawn report."""
    when = local_time(report.decided_at or report.updated_at, tz)
    shown = esc(reason) if reason else "<i>(tanpa alasan)</i>"
    return f"↩️ Dicabut pelapor pada {when}. Alasan: {shown}"


# -- figures -------------------------------------------------------------------------------


def monthly_ends(handed_over: int, withdrawn: int) -> list[str]:
    """The monthly report's lines for the reports that ended neither solved nor open."""
    lines = []
    if handed_over:
        lines.append(f"Diteruskan ke instansi berwenang (bukan kewenangan): {handed_over}")
    if withdrawn:
        lines.append(f"Dicabut pelapor: {withdrawn}")
    return lines


def detail_handover(body_name: str, contact: str, note: str | None) -> str:
    """Under the reporter's `/status KODE` of a handed-over report."""
    line = f"🤝 Kewenangan <b>{esc(body_name)}</b>. Hubungi: {esc(contact)}"
    return line if not note else f"{line}\nCatatan petugas: {esc(note)}"


def detail_withdrawn(reason: str | None) -> str:
    """Under the reporter's `/status KODE` of a withdrawn report."""
    return "↩️ Anda mencabut laporan ini." + (f" Alasan: {esc(reason)}" if reason else "")
