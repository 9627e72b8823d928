"""Texts of closing with evidence (Indonesian): the officer is asked what was done, the
central verifier confirms or sends back, the reporter reads the note."""

from __future__ import annotations

from flows.texts import esc

NOTE_LIMIT = 500
"""Characters of a closing note kept: it travels in a photo caption (1,024 at most)."""

CONFIRM = "✅ Setujui selesai"
SEND_BACK = "↩️ Kembalikan ke OPD"


def ask_done(code: str) -> str:
    return (
        f"🏁 Menutup laporan: <b>{code}</b> akan dinyatakan selesai.\n"
        "<b>Balas (reply) pesan ini</b> dengan catatan singkat apa yang sudah dikerjakan "
        '(misalnya: "Lubang jalan sudah ditambal tanggal 3"). Boleh juga membalas dengan '
        "foto <i>sesudah</i> pengerjaan, catatannya ditulis di keterangan foto. "
        "Catatan dan foto dikirim ke pelapor."
    )


def note_needed(code: str) -> str:
    return (
        f"Catatan untuk laporan {code} belum ada. Balas pesan permintaan tadi dengan "
        "tulisan singkat apa yang sudah dikerjakan (untuk foto: tulis di keterangannya)."
    )


def already_pending(code: str) -> str:
    return f"Laporan {code} sudah dinyatakan selesai dan sedang menunggu validasi pusat."


def waiting_validation(code: str) -> str:
    return (
        f"⏳ Penyelesaian {code} <b>menunggu validasi</b> petugas pusat. "
        "Pelapor dikabari setelah divalidasi."
    )


def card_line_pending(unit: str) -> str:
    """The card's line while a closing waits for the central check."""
    return f"⏳ <b>Menunggu validasi</b>: dinyatakan selesai oleh {esc(unit)}"


def validation_request(code: str, unit: str, note: str, photo: bool) -> str:
    shown = "\n(Foto sesudah pengerjaan terlampir di atas.)" if photo else ""
    return (
        f"🔎 <b>Validasi penyelesaian</b> laporan <b>{code}</b>\n"
        f"{esc(unit)} menyatakan laporan ini selesai.\n"
        f"Yang dikerjakan: {esc(note)}{shown}\n\n"
        "Setujui agar pelapor dikabari, atau kembalikan ke OPD dengan alasan."
    )


def validated(code: str) -> str:
    return f"✅ Penyelesaian laporan {code} sudah divalidasi; pelapor sudah dikabari."


def validated_to_opd(code: str) -> str:
    return f"✅ Petugas pusat memvalidasi penyelesaian laporan {code}; pelapor sudah dikabari."


def ask_send_back_reason(code: str) -> str:
    return (
        f"↩️ Penyelesaian <b>{code}</b> akan dikembalikan ke OPD. <b>Balas (reply) pesan ini</b> "
        'dengan alasannya (misalnya: "Foto belum menunjukkan hasil perbaikan").'
    )


def reason_needed(code: str) -> str:
    return f"Alasan pengembalian laporan {code} belum ada. Balas pesan permintaan tadi."


def sent_back(code: str) -> str:
    return f"↩️ Penyelesaian {code} dikembalikan ke OPD."


def sent_back_to_opd(code: str, reason: str) -> str:
    return (
        f"↩️ <b>Penyelesaian laporan {code} dikembalikan</b> oleh petugas pusat.\n"
        f"Alasan: {esc(reason)}\nSilakan tindak lanjuti, lalu tekan 🏁 Selesai lagi."
    )


def nothing_to_validate(code: str) -> str:
    return f"Tidak ada penyelesaian laporan {code} yang menunggu validasi."


def central_only() -> str:
    return "Validasi hanya dilakukan petugas di chat pusat."


def closing_to_reporter(code: str, unit: str, note: str) -> str:
    return (
        f"📝 <b>{esc(unit)}</b> menuliskan apa yang sudah dikerjakan untuk laporan "
        f"<b>{code}</b>:\n{esc(note)}"
    )


def after_photo_caption(code: str) -> str:
    return f"📷 Foto sesudah pengerjaan · {code}"


def followup_note_line(note: str) -> str:
    """Added to the follow-up question: what the officers said they did."""
    return f"Menurut petugas, yang sudah dikerjakan: <i>{esc(note)}</i>"


def history_pending(unit: str, note: str) -> str:
    return f"{unit} menyatakan selesai (menunggu validasi): {note}"


def history_done(note: str) -> str:
    return f"Yang dikerjakan: {note}"


def history_sent_back(reason: str) -> str:
    return f"Penyelesaian dikembalikan ke OPD: {reason}"
