"""What the terminal chat (`service.terminal`) says about itself (Indonesian)."""

from __future__ import annotations

HELP = """\
Ketik seperti di Telegram. Angka [1], [2], ... menekan tombol.
Pengganti lampiran:  :foto [keterangan]   :lokasi -6.0 106.05   :kontak 081234567890
                     :stiker   :suara
Peran:  :petugas  jadi petugas pusat (angka menekan tombol kartu terbaru, teks biasa
                  membalas pesan terbaru di chat petugas, /antrian /cari /laporan)
        :warga    kembali jadi warga
Waktu:  :maju 3   majukan jam 3 hari (pengingat dan pertanyaan tindak lanjut dikirim)
        :keluar
"""

RESIDENT_NAME = "Warga Terminal"
OFFICER_NAME = "Petugas Terminal"
OFFICER_MESSAGE = "pesan di chat petugas"
CARD_UPDATED = "kartu diperbarui"
PHOTO = "foto"
PHONE_PROMPT = "Nomor HP Anda: "
LOCATION_PROMPT = "Titik lokasi (lintang, bujur), misal -6.01, 106.05: "


NO_OFFICER_MODE = "Mode petugas tidak tersedia di sini."
CLOCK_FIXED = "Waktu tidak bisa dimajukan di sini."
SKIP_DAYS_USAGE = "Contoh: :maju 3  (1 sampai 365 hari)"
NOTHING_TO_REPLY = "Belum ada pesan di chat petugas untuk dibalas."
LOCATION_USAGE = "Contoh: :lokasi -6.0 106.05"


def now_playing(as_officer: bool) -> str:
    """Said on `:petugas` and `:warga`."""
    who = "petugas pusat" if as_officer else "warga"
    return f"— Anda sekarang {who}. —"


def days_passed(count: float) -> str:
    """Said on `:maju N`."""
    return f"— {count:g} hari berlalu. —"
