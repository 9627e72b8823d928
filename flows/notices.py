"""Texts about a report after filing: to the reporter, and to officers (Indonesian)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flows import end_texts
from flows.deadlines import Deadline, describe_short
from flows.officer import REJECT_REASONS
from flows.public_view import hide_identity
from flows.report import Report, Status
from flows.rules import Rules
from flows.texts import STATUS_LABELS, esc, local_time

DIGEST_LISTED = 100
"""Codes a reminder digest lists at most; the others are only counted."""

_STATUS_NEWS = {
    Status.DIVERIFIKASI: "sudah diperiksa dan diverifikasi petugas.",
    Status.DITERUSKAN: "diteruskan ke {unit} untuk ditangani.",
    Status.DIPROSES: "sedang diproses oleh {unit}.",
    Status.SELESAI: (
        "dinyatakan <b>selesai</b> oleh {unit}. Dalam beberapa hari kami akan bertanya "
        "apakah masalahnya benar-benar sudah beres."
    ),
    Status.DITOLAK: "tidak dapat ditindaklanjuti. Alasan: {reason}.",
    Status.DUPLIKAT: (
        "digabung dengan laporan {other} yang membahas masalah yang sama. Anda akan "
        "mendapat kabar dari laporan itu."
    ),
}


def status_changed(report: Report, unit: str, body_name: str, page: str | None = None) -> str:
    """The reporter's news when the status changes (with its public page, if any)."""
    news = _STATUS_NEWS.get(report.status, f"berstatus {STATUS_LABELS[report.status]}.")
    reason = dict(REJECT_REASONS).get(report.reject_reason or "", "lainnya").lower()
    text = news.format(
        unit=esc(body_name if report.status is Status.DITERUSKAN else unit),
        reason=reason,
        other=report.duplicate_of or "-",
    )
    news = f"🔔 Kabar laporan <b>{report.code}</b>: laporan Anda {text}"
    return news if page is None else f"{news}\nLihat di papan publik: {esc(page)}"


def rerouted_outside(report: Report, body_name: str, contact: str) -> str:
    return (
        f"🔔 Kabar laporan <b>{report.code}</b>: menurut petugas, masalah ini kewenangan "
        f"<b>{esc(body_name)}</b>. Anda dapat menghubungi mereka: {esc(contact)}."
    )


def officer_reply(report: Report, unit: str, text: str) -> str:
    return (
        f"💬 <b>{esc(unit)}</b> menjawab laporan <b>{report.code}</b>:\n{esc(text)}\n\n"
        "<i>Balas (reply) pesan ini untuk menjawab petugas.</i>"
    )


def reporter_relay(report: Report, text: str) -> str:
    """A reporter's message, relayed to the officers (never with her name; for an
    *anonim* report, her name and numbers in the text are masked too)."""
    shown = hide_identity(report, text) if report.privacy.anonymous else text
    return f"💬 <b>Pesan pelapor {report.code}</b>:\n{esc(shown)}"


def reporter_relay_batch(report: Report, texts: Sequence[str]) -> str:
    """Several of a reporter's messages, held back by the relay limit, as one."""
    lines = "\n".join(f"• {esc(text)}" for text in texts)
    return (
        f"💬 <b>{len(texts)} pesan pelapor {report.code}</b> (digabung agar grup tidak "
        f"kebanjiran pesan):\n{lines}"
    )


def reporter_photo(report: Report, caption: str) -> str:
    """The caption of a reporter's photo relayed to the officers (never her name)."""
    head = f"📷 <b>Foto dari pelapor {report.code}</b>"
    return f"{head}\n{esc(caption)}" if caption else head


def relays_held() -> str:
    """To the resident, once, when her messages to officers start to wait."""
    return (
        "Anda mengirim banyak pesan dalam waktu singkat. Pesan ini dan pesan berikutnya "
        "<b>tetap kami simpan</b> dan kami teruskan ke petugas sekaligus dalam beberapa "
        "menit, supaya laporan warga lain tidak tertahan. Terima kasih atas kesabarannya."
    )


def relayed() -> str:
    return "Pesan Anda sudah diteruskan ke petugas. Terima kasih."


def report_closed_no_relay(code: str) -> str:
    return f"Laporan {code} sudah ditutup. Untuk masalah baru, silakan /lapor."


def ask_message(code: str) -> str:
    return f"Silakan tulis pesan untuk petugas tentang laporan <b>{code}</b>:"


def followup_question(report: Report, tz: ZoneInfo) -> str:
    when = local_time(report.decided_at or report.updated_at, tz)
    return (
        f"Laporan <b>{report.code}</b> dinyatakan selesai pada {when}.\n"
        "Apakah masalahnya sudah benar-benar beres?"
    )


def followup_thanks(answer: str) -> str:
    if answer == "belum":
        return (
            "Terima kasih sudah memberi tahu. Laporan kami buka kembali dan petugas sudah "
            "kami kabari. Berapa nilai Anda untuk penanganannya sejauh ini?"
        )
    return (
        "Terima kasih! Berapa nilai Anda untuk penanganan laporan ini (1 = buruk, 5 = sangat baik)?"
    )


def rating_thanks(rating: int) -> str:
    return (
        f"Terima kasih atas nilai {rating} dari Anda. "
        "Masukan ini membantu kami memperbaiki layanan."
    )


def followup_to_officers(report: Report, answer: str) -> str:
    label = {
        "belum": "BELUM selesai — laporan dibuka kembali",
        "sebagian": "baru SEBAGIAN selesai",
        "ya": "sudah selesai",
    }[answer]
    return f"🔁 Pelapor {report.code} menyatakan masalahnya {label}."


def reminder(report: Report, deadline_line: str, late: bool) -> str:
    head = "⚠️ <b>TERLAMBAT</b>" if late else "⏰ <b>Pengingat</b>"
    return f"{head} laporan <b>{report.code}</b> ({STATUS_LABELS[report.status]})\n{deadline_line}"


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One reminder in a digest: the report, its deadline, whether it is missed, and
    (in the central chat) the short name of the office handling it."""

    code: str
    deadline: Deadline
    late: bool
    office: str | None = None


_DIGEST_KINDS = ("verifikasi", "jawaban", "keputusan")


def reminder_digest(items: Sequence[DigestItem], now: datetime, tz: ZoneInfo) -> str:
    """One message instead of many reminders to one chat: how many reports, grouped by
    missed then upcoming deadline of each kind, oldest first, at most `DIGEST_LISTED`
    codes (the rest counted). Not a reply target: it points to /cari and /antrian."""
    reports = len({item.code for item in items})
    late = [item.late for item in items]
    if all(late):
        head, what = "⚠️", "melewati batas waktu"
    elif any(late):
        head, what = "⚠️", "mendekati atau melewati batas waktu"
    else:
        head, what = "⏰", "mendekati batas waktu"
    lines = [
        f"{head} <b>{reports} laporan</b> {what}. Agar grup tidak dibanjiri pesan, "
        "pengingatnya dikirim dalam satu ringkasan ini, yang terlama di atas."
    ]
    room = DIGEST_LISTED
    for missed in (True, False):
        for kind in _DIGEST_KINDS:
            group = sorted(
                (i for i in items if i.late is missed and i.deadline.kind == kind),
                key=lambda i: (i.deadline.due_at, i.code),
            )
            if not group:
                continue
            title = "Melewati" if missed else "Mendekati"
            lines += ["", f"<b>{title} batas {kind}</b> ({len(group)}):"]
            lines += [_digest_line(item, now, tz) for item in group[:room]]
            if len(group) > room:
                lines.append(f"… dan {len(group) - room} lainnya")
            room = max(room - len(group), 0)
    lines += [
        "",
        "Ketik /cari KODE untuk menampilkan kartu laporan, lalu balas (reply) kartu itu "
        "untuk menjawab pelapor. Semua laporan terbuka: /antrian.",
    ]
    return "\n".join(lines)


def _digest_line(item: DigestItem, now: datetime, tz: ZoneInfo) -> str:
    office = f" · {esc(item.office)}" if item.office else ""
    return f"• <code>{item.code}</code>{office} · {describe_short(item.deadline, now, tz)}"


def not_officer() -> str:
    return "Maaf, hanya petugas yang terdaftar yang dapat melakukan ini."


def not_this_chat() -> str:
    return "Laporan ini ditangani chat lain."


def ask_note(code: str) -> str:
    return (
        f"📝 Balas (reply) pesan ini dengan catatan internal untuk <b>{code}</b>. "
        "Pelapor tidak melihatnya."
    )


def ask_duplicate(code: str) -> str:
    return (
        f"🔗 Balas (reply) pesan ini dengan kode laporan yang sama dengan <b>{code}</b> "
        "(contoh: SW-7K3M-Q9XA)."
    )


def ask_public_text(code: str, current: str | None) -> str:
    shown = esc(current) if current else "<i>(kosong)</i>"
    return (
        f"✏️ Balas (reply) pesan ini dengan <b>teks publik</b> baru untuk <b>{code}</b>: "
        "yang boleh dibaca warga lain dan umum. Hapus nama orang, alamat rumah pribadi, "
        "dan tuduhan kepada orang yang disebut namanya. Nomor telepon, NIK/KK, e-mail dan "
        f"nama pelapor disamarkan otomatis.\n\nTeks publik sekarang:\n{shown}"
    )


def public_text_saved(code: str, verified: bool) -> str:
    if verified:
        return f"🌐 Teks publik {code} tersimpan dan kini boleh tampil untuk umum."
    return (
        f"🌐 Teks publik {code} tersimpan. Teks ini tampil untuk umum setelah laporan diverifikasi."
    )


def public_text_refused(code: str) -> str:
    return (
        f"Teks publik {code} tidak diubah: laporan rahasia tidak pernah tampil untuk umum, "
        "dan teks publik tidak boleh kosong."
    )


def note_saved(code: str) -> str:
    return f"📝 Catatan untuk {code} tersimpan."


def reply_sent(code: str) -> str:
    return f"✉️ Jawaban untuk {code} sudah dikirim ke pelapor."


def reporter_unreachable(code: str) -> str:
    """To officers: an answer to a reporter whose personal data is erased was not sent."""
    return (
        f"⚠️ Jawaban untuk {code} tidak terkirim: data pribadi pelapor sudah dihapus "
        "(atas permintaannya atau karena masa simpan habis), sehingga pelapor tidak dapat "
        "dihubungi lagi lewat bot."
    )


def moved_card(report: Report, body_name: str) -> str:
    return f"↪️ Laporan <b>{report.code}</b> dialihkan ke {esc(body_name)}."


def unknown_button() -> str:
    """Toast for a press on a button the desk does not know (or not on a card)."""
    return "Tombol ini tidak dikenali."


def text_or_photo(text: str) -> str:
    """What a message said, as stored and shown: its text, or that it was a photo."""
    return text or "(foto)"


def officer_answer_note(unit: str, text: str) -> str:
    """The history line of an officer's answer to the reporter."""
    return f"{unit}: {text_or_photo(text)}"


def followup_note(answer: str) -> str:
    """The history line of the reporter's answer to "is it really solved?"."""
    return f"konfirmasi pelapor: {answer}"


def card_photo_caption(number: int, total: int, code: str) -> str:
    """The caption of a report's photo posted under its card."""
    return f"Foto {number}/{total} · {code}"


def handler_name(body_id: str, rules: Rules) -> str:
    """Who handles a report, as residents read it: the OPD's name, or the complaint
    unit while it is in triage."""
    if body_id in {body.id for body in rules.catalogue.bodies}:
        return rules.catalogue.body(body_id).name
    return f"petugas pengaduan {rules.places.city}"


def report_news(report: Report, unit: str, rules: Rules, page: str | None = None) -> str:
    """The reporter's news after an officer's decision: where to turn when the report
    was routed outside the city government, else its new status (with its `page` on the
    public board, `flows.office.Office.report_page`, when it has one)."""
    known = report.body in {body.id for body in rules.catalogue.bodies}
    body = rules.catalogue.body(report.body) if known else None
    if report.status is Status.DICABUT:
        return end_texts.withdrawn_news(report)
    if body is not None and body.outside and report.status is Status.DILIMPAHKAN:
        return end_texts.handover_news(report, body.name, body.contact or "-", rules.places.city)
    if body is not None and body.outside:
        return rerouted_outside(report, body.name, body.contact or "-")
    return status_changed(report, unit, handler_name(report.body, rules), page)


TRIAGE_SHORT = "Triase"
"""The monthly report's name for reports still in triage."""

FOLLOWUP_ANSWERS = (("✅ Ya, sudah", "ya"), ("❌ Belum", "belum"), ("〰 Sebagian", "sebagian"))
"""The buttons under "is it really solved?": label and answer."""

MESSAGE_OFFICERS = "💬 Kirim pesan ke petugas"
"""The button under a report's detail that writes to its officers."""
