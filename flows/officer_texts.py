"""Texts officers read in their chats (Indonesian, Telegram HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from flows.names import shown_name
from flows.prompts import body_label
from flows.report import TRIAGE, Report
from flows.rules import Rules
from flows.texts import STATUS_LABELS, esc


class KaderView(Protocol):
    """What `kader_list` reads of a kader (storage's KaderRecord has these)."""

    @property
    def user_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def kelurahan(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def reports(self) -> int: ...


def officer_help(central: bool) -> str:
    lines = [
        "<b>Perintah petugas</b>",
        "/antrian – laporan terbuka chat ini, yang terlama di atas",
        "/cari KODE atau kata – cari laporan",
        "/laporan [bulan] – rekap bulanan, grafik, CSV dan XLSX (misal: /laporan 2026-11)",
    ]
    if central:
        lines += [
            "/undang_kader NAMA KELURAHAN – tautan undangan kader",
            "/kader – daftar kader terverifikasi",
            "/kader_nonaktif ID, /kader_aktif ID – ubah status kader",
        ]
    lines += [
        "",
        "Tombol di kartu laporan mengubah status. <b>Balas (reply) kartu</b> untuk menjawab "
        "pelapor atas nama unit. Panduan lengkap: docs/panduan-petugas.md.",
    ]
    return "\n".join(lines)


def body_short(body_id: str, rules: Rules) -> str:
    """The office's short name for lists (DLH, DPUPR; Triase before routing)."""
    if body_id == TRIAGE:
        return "Triase"
    names = {body.id: body.short_name for body in rules.catalogue.bodies}
    return names.get(body_id, body_id)


def queue_line(report: Report, deadline: str | None, rules: Rules) -> str:
    here = report.filed_at.astimezone(rules.timezone)
    body = body_label(report.body, rules) if report.body != "triage" else "Triase"
    line = (
        f"<b>{report.code}</b> · {here:%d/%m} · {STATUS_LABELS[report.status]} · {esc(body)} · "
        f"Kel. {esc(report.place.kelurahan)}"
    )
    return f"{line}\n   ⏳ {deadline}" if deadline else line


def queue(lines: Sequence[str]) -> str:
    if not lines:
        return "Tidak ada laporan terbuka untuk chat ini. 🎉"
    return f"<b>Antrean laporan terbuka</b> ({len(lines)}), terlama di atas:\n" + "\n".join(lines)


def search_usage() -> str:
    return "Cara pakai: /cari SW-7K3M-Q9XA atau /cari kata kunci"


def not_found(code: str) -> str:
    return f"Laporan {code} tidak ditemukan di antrean chat ini."


def search_results(words: str, lines: Sequence[str]) -> str:
    if not lines:
        return f"Tidak ada laporan yang memuat “{esc(words)}”."
    return f"<b>Hasil pencarian “{esc(words)}”</b>:\n" + "\n".join(lines)


def month_usage(earliest: int, latest: int) -> str:
    return (
        "Bulan tidak dikenali. Contoh: /laporan, /laporan 11, /laporan 2026-11, "
        f"/laporan november. Tahun yang bisa dipilih: {earliest} sampai {latest}."
    )


def central_only() -> str:
    return "Perintah ini hanya untuk chat pengaduan pusat."


def invite_usage() -> str:
    return (
        "Cara pakai: /undang_kader NAMA KELURAHAN (misal: /undang_kader Siti Aminah Ketileng). "
        "Nama paling banyak 64 huruf; kelurahan harus ada di daftar wilayah bot."
    )


def invite_link(name: str, kelurahan: str, link: str) -> str:
    return (
        f"Tautan undangan untuk kader <b>{esc(name)}</b> (Kel. {esc(kelurahan)}), "
        f"sekali pakai:\n{esc(link)}\nKirimkan tautan ini langsung kepada yang bersangkutan."
    )


def kader_list(kaders: Sequence[KaderView]) -> str:
    if not kaders:
        return "Belum ada kader terverifikasi. Undang dengan /undang_kader NAMA KELURAHAN."
    lines = ["<b>Kader terverifikasi</b>"]
    current = None
    for kader in kaders:
        if kader.kelurahan != current:
            current = kader.kelurahan
            lines.append(f"\n<b>Kel. {esc(current)}</b>")
        state = "" if kader.active else " (nonaktif)"
        name = esc(shown_name(kader.name))
        lines.append(f"• {name}{state} – {kader.reports} laporan – ID {kader.user_id}")
    return "\n".join(lines)


def kader_usage(active: bool) -> str:
    command = "kader_aktif" if active else "kader_nonaktif"
    return f"Cara pakai: /{command} ID (angka ID Telegram kader, lihat /kader)"


def kader_changed(target: str, active: bool, changed: bool) -> str:
    if not changed:
        return f"Kader dengan ID {esc(target)} tidak ditemukan. Lihat ID di /kader."
    return f"Kader ID {esc(target)} kini {'aktif' if active else 'nonaktif'}."


def group_unreachable(unit: str, chat_id: int) -> str:
    """To the central chat: the bot may no longer post in an officers' group."""
    return (
        f"⚠️ Bot tidak dapat mengirim pesan ke grup {esc(unit)} (ID {chat_id}): bot "
        "dikeluarkan dari grup atau tidak diizinkan mengirim pesan.\n"
        "Kartu laporan dan pesan untuk grup itu <b>tidak hilang</b>: disimpan dan dikirim "
        "otomatis setelah bot ditambahkan kembali ke grup dengan izin mengirim pesan."
    )


def update_given_up(update_id: int) -> str:
    """To an officers' chat: its message or button press failed again and again."""
    return (
        "Maaf, pesan atau tombol ini tidak dapat diproses karena gangguan teknis dan "
        f"dilewati (nomor pembaruan {update_id}). Silakan coba lagi dengan cara lain; "
        "laporkan nomor itu kepada tim teknis bila terulang."
    )


def dead_letters_notice(count: int, attempts: int, days: int) -> str:
    """To the central chat: updates were given up on (no content: only how many)."""
    return (
        f"⚠️ Ada pesan dari Telegram yang gagal diproses {attempts} kali lalu dilewati, "
        "agar pesan lain tetap terlayani. Pengirimnya sudah diberi tahu bila memungkinkan.\n"
        f"Jumlah pesan yang dilewati dalam {days} hari terakhir: <b>{count}</b>. "
        "Mohon sampaikan kepada tim teknis (rincian tanpa data pribadi ada di tabel "
        "dead_letters)."
    )
