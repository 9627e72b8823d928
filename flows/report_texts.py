"""Texts about a resident's reports: the code, the list, the history, similar reports,
kader invitations and personal data (Indonesian, Telegram HTML)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flows.public_view import PublicReport
from flows.report import HistoryEntry, Report
from flows.texts import STATUS_LABELS, esc, local_time


def similar_reports(lines: tuple[str, ...]) -> str:
    listed = "\n".join(f"• {line}" for line in lines)
    return (
        "Sudah ada laporan serupa di kelurahan ini yang sedang ditangani:\n"
        f"{listed}\n\n"
        "Anda bisa <b>mendukung</b> laporan itu agar ikut mendapat kabar perkembangannya, "
        "atau tetap mengirim laporan baru."
    )


def similar_line(report: PublicReport, kind: str, tz: ZoneInfo) -> str:
    """One similar report as another resident may see it (`kind`: its kind's label):
    its public text once an officer approved it, else only the facts. The line starts
    with the code (the support buttons are made from it)."""
    here = report.filed_at.astimezone(tz)
    facts = [f"{here:%d/%m}", STATUS_LABELS[report.status], kind]
    if report.supporters:
        facts.append(f"didukung {report.supporters} warga")
    line = f"{report.code} ({esc(', '.join(facts))})"
    if report.text:
        snippet = report.text if len(report.text) <= 80 else report.text[:80] + "…"
        line += f": {esc(snippet)}"
    return line


def supporting(code: str) -> str:
    return (
        f"Terima kasih! Anda kini mendukung laporan <b>{code}</b> dan akan mendapat kabar "
        "setiap ada perkembangan. Draf Anda tidak dikirim sebagai laporan baru."
    )


def support_own(code: str) -> str:
    return f"Laporan {code} adalah laporan Anda sendiri; kabar perkembangannya tetap Anda terima."


def report_filed(report: Report, tz: ZoneInfo) -> str:
    return (
        "✅ Laporan Anda sudah kami terima. Terima kasih!\n"
        f"Kode laporan: <b>{report.code}</b>\n"
        f"Waktu: {local_time(report.filed_at, tz)}\n"
        "Simpan kode ini. Kami akan mengabari Anda di sini setiap ada perkembangan. "
        f"Cek kapan saja dengan /status {report.code}"
    )


def invite_invalid() -> str:
    return "Maaf, tautan undangan kader ini tidak berlaku atau sudah dipakai."


def kader_welcome(name: str, kelurahan: str) -> str:
    return (
        f"Selamat datang, {esc(name)}! Anda kini terdaftar sebagai kader "
        f"Kelurahan {esc(kelurahan)}. Laporan yang Anda buat untuk tetangga akan ditandai "
        "sebagai laporan kader terverifikasi. Ketik /lapor untuk mulai."
    )


def too_many_reports(limit: int) -> str:
    return (
        f"Maaf, satu orang paling banyak mengirim {limit} laporan dalam 24 jam. "
        "Draf Anda tetap tersimpan; silakan kirim lagi besok dengan /lapor."
    )


_SENT_COPIES = (
    "Mohon maklum: pesan, foto, dan bukti yang sudah terkirim ke grup petugas di "
    "Telegram tidak dapat kami tarik kembali dari percakapan mereka. Yang kami simpan "
    "(isi, keterangan, dan tautan berkasnya) tetap dihapus, dan kartu laporan di grup "
    "petugas diubah sehingga tidak lagi menampilkan identitas Anda."
)
"""What /hapusdata cannot take back, said before and after it."""


def erase_confirm() -> str:
    return (
        "Hapus data pribadi Anda? Nama, username, nomor HP, dan akun Telegram Anda "
        "(juga nama dan nomor tetangga yang Anda laporkan) akan dihapus, begitu pula "
        "semua yang Anda tulis dan kirim: isi laporan, alamat, pesan kepada petugas, "
        "alasan pencabutan, foto, dan bukti lain. Laporan tetap tercatat tanpa identitas "
        "(OPD, jenis masalah, status, tanggal, dan pekerjaan petugas), dan Anda tidak "
        "akan menerima kabar lagi.\n\n" + _SENT_COPIES
    )


def erase_cancelled() -> str:
    return "Baik, data Anda tidak dihapus."


def erased(reports: int) -> str:
    return (
        f"Data pribadi Anda sudah dihapus. {reports} laporan Anda tetap tercatat tanpa "
        "identitas dan tanpa isi tulisan Anda.\n\n" + _SENT_COPIES + "\n\nTerima kasih "
        "sudah menggunakan Suara Warga."
    )


def invalid_code() -> str:
    return "Kode laporan tidak dikenali. Contoh kode: SW-7K3M-Q9XA."


def report_not_found(code: str) -> str:
    return f"Laporan {esc(code)} tidak ditemukan di antara laporan Anda."


def no_reports() -> str:
    return "Anda belum punya laporan. Ketik /lapor untuk membuat laporan."


def report_line(report: Report, tz: ZoneInfo) -> str:
    """One line of `/status`: code, date, status, and the neighbour for a kader."""
    here = report.filed_at.astimezone(tz)
    line = f"<b>{report.code}</b> · {here:%d/%m/%Y} · {STATUS_LABELS[report.status]}"
    if report.neighbour:
        line += f" · untuk {esc(report.neighbour.name)}"
    return line


def report_list(reports: list[Report], tz: ZoneInfo) -> str:
    lines = [report_line(r, tz) for r in reports]
    return (
        "<b>Laporan Anda</b> (terbaru di atas)\n"
        + "\n".join(lines)
        + ("\n\nTekan salah satu kode untuk melihat riwayatnya.")
    )


def report_detail(report: Report, history: list[HistoryEntry], tz: ZoneInfo) -> str:
    """One report with its whole history."""
    snippet = (
        report.description if len(report.description) <= 300 else (report.description[:300] + "…")
    )
    lines = [
        f"<b>Laporan {report.code}</b>",
        f"Status: <b>{STATUS_LABELS[report.status]}</b>",
        f"Lokasi: Kel. {esc(report.place.kelurahan)}, Kec. {esc(report.place.kecamatan)}",
        f"Kejadian: {esc(snippet)}",
    ]
    if report.neighbour:
        lines.append(f"Untuk: {esc(report.neighbour.name)}")
    lines.append("\n<b>Riwayat</b>")
    for entry in history:
        lines.append(f"{local_time(entry.at, tz)}: {history_line(entry)}")
    return "\n".join(lines)


def history_line(entry: HistoryEntry) -> str:
    """One public history line, as the reporter reads it."""
    note = esc(entry.note or "")
    if entry.kind == "reply":
        return f"💬 {note}"
    if entry.kind == "reporter":
        return f"Pesan Anda: {note}"
    if entry.kind == "followup":
        return f"Konfirmasi Anda: {note.removeprefix('konfirmasi pelapor: ')}"
    if entry.kind == "route":
        return "Dialihkan ke instansi yang berwenang"
    return STATUS_LABELS[entry.to_status] + (f" – {note}" if note else "")
