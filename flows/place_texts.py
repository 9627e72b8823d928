"""Texts of the place step and the short conversation: the one-tap location button, the
proposed place, pins outside the city or impossible, and the kader's way in from the
first question. Bahasa Indonesia, plain and polite."""

from __future__ import annotations

from flows.keyboard_texts import PICK_PLACE_LABEL, SHARE_LOCATION_LABEL
from flows.texts import esc

KADER_BUTTON = "🤝 Saya kader, melapor untuk tetangga"
CONFIRM_PLACE = "✅ Ya, benar"
OTHER_PLACE = "🗺 Pilih lokasi lain"
KEEP_OUTSIDE = "✅ Ya, tetap kirim"
OTHER_PIN = "📍 Kirim lokasi lain"


def ask_story() -> str:
    """The first question of a report: her own story (a kader presses the button)."""
    return (
        "Ceritakan masalahnya: apa yang terjadi, di mana (kelurahan), sejak kapan, dan siapa "
        "yang terdampak. Boleh juga kirim foto, pesan suara, video, atau berkas PDF sebagai "
        "bukti.\n\n"
        "<i>Kader yang melapor untuk tetangga: tekan tombol di bawah.</i>"
    )


def ask_place(has_pin: bool) -> str:
    """Where is it, when neither the story nor a pin told."""
    first = "Titik lokasi sudah saya simpan. " if has_pin else ""
    return (
        f"{first}📍 Di kelurahan mana masalahnya?\n"
        f"• Sedang di tempat kejadian? Tekan <b>{SHARE_LOCATION_LABEL}</b> di bawah.\n"
        "• Atau ketik nama kelurahan/kecamatannya.\n"
        f"• Atau tekan <b>{PICK_PLACE_LABEL}</b>."
    )


def confirm_place(
    kelurahan: str, kecamatan: str, *, has_pin: bool, address: str | None, outside: str | None
) -> str:
    """The proposed (or chosen) place, to confirm with one tap."""
    lines = [f"📍 Lokasinya di <b>Kel. {esc(kelurahan)}, Kec. {esc(kecamatan)}</b>?"]
    if has_pin:
        lines.append("Titik lokasi: tersimpan" + (f" (di luar {esc(outside)})" if outside else ""))
    if address:
        lines.append(f"Alamat/patokan: {esc(address)}")
    lines.append(
        "Boleh tambahkan alamat atau patokan (ketik saja, misal: depan SDN 2, RT 03/RW 01) "
        "atau kirim titik lokasi (📎 → Lokasi) sebelum menekan <b>Ya, benar</b>."
    )
    return "\n".join(lines)


def ask_outside_city(city: str) -> str:
    return (
        f"Lokasi ini di luar {esc(city)}, tetap kirim?\n"
        f"Laporan ini ditangani Pemerintah {esc(city)}; untuk tempat di luar wilayahnya, "
        "petugas mungkin perlu meneruskannya. Jika titiknya keliru, kirim lokasi lain."
    )


def pin_outside_noted(city: str) -> str:
    return (
        f"Titik lokasi sudah saya simpan. Catatan: titik ini di luar {esc(city)}; "
        "petugas akan melihat catatan itu."
    )


def pin_impossible() -> str:
    return (
        "Maaf, titik lokasi itu tidak mungkin benar (koordinatnya tidak valid). "
        f"Silakan tekan <b>{SHARE_LOCATION_LABEL}</b> lagi atau kirim dari menu 📎 → Lokasi."
    )


def location_by_menu() -> str:
    """Her app sent the button's label instead of a pin (e.g. an old or desktop app)."""
    return (
        "Aplikasi Telegram Anda belum bisa mengirim lokasi dengan tombol itu. "
        "Kirim dari menu 📎 → Lokasi, atau ketik nama kelurahannya."
    )


def place_unknown() -> str:
    return (
        "Maaf, nama tempat itu tidak saya kenali. Ketik nama kelurahan atau kecamatan, "
        f"atau tekan <b>{PICK_PLACE_LABEL}</b>."
    )


def card_outside_flag(city: str, approximate: bool) -> str:
    """The officers' card: the reporter's pin lies outside the city's boundary."""
    rough = " (batas wilayah perkiraan)" if approximate else ""
    return f"⚠️ Titik lokasi di luar {esc(city)}{rough}"
