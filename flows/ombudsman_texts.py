"""Texts of the Ombudsman route (Indonesian): the reporter's right to complain, her
dossier's caption and refusals, and the labels of the dossier itself."""

from __future__ import annotations

from flows.city import OmbudsmanOffice
from flows.texts import esc

DOSSIER_BUTTON = "📄 Minta berkas laporan"

_REASONS = {
    "jawaban": "batas waktu jawaban pertama ({answer_days} hari) sudah lewat tanpa jawaban",
    "keputusan": "batas waktu penyelesaian ({decide_days} hari) sudah lewat",
    "belum": "Anda sudah dua kali menyatakan masalahnya belum beres",
}

DEADLINE_LABELS = {
    "verifikasi": "Verifikasi ({days} hari kerja)",
    "jawaban": "Jawaban pertama ({days} hari)",
    "keputusan": "Penyelesaian ({days} hari)",
}

MALADMINISTRATION = {
    "tidak_memberikan_pelayanan": (
        "Tidak memberikan pelayanan (tidak ada jawaban dalam batas waktu)"
    ),
    "penundaan_berlarut": "Penundaan berlarut (batas waktu terlewat)",
    "tidak_patut": (
        "Tidak memberikan pelayanan sebagaimana mestinya (dinyatakan selesai, tetapi menurut "
        "pelapor belum beres)"
    ),
}


def contact_lines(office: OmbudsmanOffice) -> list[str]:
    """The office's channels, one per line (plain text; escape for HTML)."""
    fields = (
        ("Telepon", office.phone),
        ("WhatsApp", office.whatsapp),
        ("Email", office.email),
        ("Situs", office.website),
        ("Alamat", office.address),
    )
    lines = [f"{label}: {value}" for label, value in fields if value]
    if not office.confirmed:
        lines.append("(Kontak ini belum dikonfirmasi; mohon periksa kembali sebelum menghubungi.)")
    return lines


def ombudsman_notice(
    code: str, reason: str, office: OmbudsmanOffice, answer_days: int, decide_days: int
) -> str:
    why = _REASONS[reason].format(answer_days=answer_days, decide_days=decide_days)
    contact = "\n".join(esc(line) for line in contact_lines(office))
    return (
        f"⚖️ Laporan <b>{code}</b>: mohon maaf, {why}.\n\n"
        "Menurut UU No. 25 Tahun 2009 tentang Pelayanan Publik, Anda berhak menyampaikan "
        f"pengaduan ke <b>{esc(office.name)}</b>. Pengaduan ini tidak dipungut biaya, dan "
        "laporan Anda kepada kami tetap berjalan.\n"
        f"{contact}\n\n"
        "Anda bisa meminta <b>berkas laporan</b> (riwayat dan batas waktu yang terlewat) untuk "
        f"dilampirkan: tekan tombol di bawah, atau ketik /berkas {code}."
    )


def dossier_caption(code: str) -> str:
    return (
        f"📄 Berkas laporan <b>{code}</b>. Buka berkas ini di browser; Anda bisa mencetaknya "
        "atau melampirkannya saat mengadu ke Ombudsman."
    )


def dossier_usage() -> str:
    return "Ketik /berkas diikuti kode laporan Anda, misalnya /berkas SW-7K3M-Q9XA."


def history_what(kind: str, note: str) -> str:
    """A public history line of the dossier (the note already masked)."""
    if kind == "reply":
        return f"Jawaban petugas — {note}"
    if kind == "reporter":
        return f"Pesan pelapor: {note}"
    if kind == "followup":
        return f"Konfirmasi pelapor: {note.removeprefix('konfirmasi pelapor: ')}"
    if kind == "route":
        return "Dialihkan ke instansi yang berwenang"
    if kind == "closing":
        return f"Penyelesaian menurut petugas — {note}"
    return note


NO_MISSED = "Tidak ada batas waktu yang terlewat sampai tanggal berkas ini dibuat."
NO_MALADMINISTRATION = "Belum ada dugaan maladministrasi menurut catatan sistem."
IDENTITY_NOTE = (
    "Berkas ini sengaja tidak memuat nama, nomor telepon, atau data pribadi siapa pun "
    "(termasuk Anda dan petugas). Saat mengadu ke Ombudsman, sertakan identitas Anda sendiri."
)
ASSESSMENT_NOTE = (
    "Dugaan bentuk maladministrasi di atas disusun otomatis dari catatan laporan; "
    "penilaiannya tetap menjadi wewenang Ombudsman."
)
