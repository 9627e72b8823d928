"""Every text a resident reads, in plain, polite Indonesian (Telegram HTML).

User-supplied text is always passed through `esc` before it is put in a message, so a
report saying `<b>x</b>` shows literally and can never break the markup.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from flows.report import Privacy, Status
from flows.state import Draft

BOT_NAME = "Suara Warga"
SOMEONE = "warga"  # a neighbour whose name is not known yet

COMMANDS: tuple[tuple[str, str], ...] = (
    ("lapor", "Buat laporan baru"),
    ("status", "Lihat laporan saya"),
    ("tarik", "Cabut laporan saya yang belum diputuskan"),
    ("batal", "Batalkan laporan yang sedang dibuat"),
    ("bantuan", "Bantuan dan cara melapor"),
    ("dataku", "Lihat data saya yang disimpan"),
    ("hapusdata", "Hapus data pribadi saya"),
    ("berkas", "Berkas laporan untuk mengadu ke Ombudsman"),
)

PRIVACY_LABELS = {
    Privacy.BIASA: "Biasa",
    Privacy.ANONIM: "Anonim",
    Privacy.RAHASIA: "Rahasia",
    Privacy.ANONIM_RAHASIA: "Anonim + Rahasia",
}
PRIVACY_EXPLAINED = {
    Privacy.BIASA: (
        "petugas yang menangani tahu nama Anda; isi laporan boleh tampil untuk umum "
        "setelah diperiksa petugas, tanpa nama dan nomor Anda."
    ),
    Privacy.ANONIM: "petugas membaca laporan, tetapi tidak tahu siapa pengirimnya.",
    Privacy.RAHASIA: (
        "isi laporan hanya dibaca petugas yang menangani, tidak pernah ditampilkan "
        "kepada warga lain atau umum."
    ),
    Privacy.ANONIM_RAHASIA: "nama Anda disembunyikan dan isi laporan tidak pernah dipublikasikan.",
}
STATUS_LABELS = {
    Status.DITERIMA: "Diterima",
    Status.DIVERIFIKASI: "Diverifikasi",
    Status.DITERUSKAN: "Diteruskan ke OPD",
    Status.DIPROSES: "Sedang diproses",
    Status.SELESAI: "Selesai",
    Status.DITOLAK: "Ditolak",
    Status.DUPLIKAT: "Duplikat",
    Status.DILIMPAHKAN: "Diteruskan ke instansi berwenang",
    Status.DICABUT: "Dicabut pelapor",
}
UNSUPPORTED_NAMES = {
    "sticker": "stiker",
    "voice": "pesan suara",
    "audio": "rekaman suara",
    "video": "video",
    "video_note": "video bulat",
    "animation": "GIF",
    "document": "berkas",
    "poll": "polling",
    "dice": "dadu",
    "edited": "pesan yang diubah (kirim sebagai pesan baru ya)",
}


def esc(text: str) -> str:
    """Escape user text for Telegram HTML."""
    return escape(text, quote=False)


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """`23/11/2026 10:05 WIB` style (the zone's abbreviation)."""
    here = moment.astimezone(tz)
    return f"{here:%d/%m/%Y %H:%M} {here.tzname()}"


def welcome(city: str, level: str) -> str:
    return (
        f"Halo, selamat datang di <b>{BOT_NAME}</b> {esc(city)} 👋\n"
        "Di sini Anda bisa melaporkan masalah layanan publik: jalan rusak, sampah, "
        "KTP, bansos, puskesmas, dan lainnya. Laporan dibaca petugas pengaduan "
        f"pemerintah {esc(level)}, dan identitas Anda bisa dirahasiakan.\n\n" + command_list()
    )


def command_list() -> str:
    return "\n".join(f"/{name} – {about.lower()}" for name, about in COMMANDS)


def help_text(ombudsman: str) -> str:
    return (
        "<b>Cara melapor</b>\n"
        "1. Ketik /lapor, lalu jawab pertanyaannya satu per satu.\n"
        "2. Ceritakan masalahnya, kirim foto bila ada, dan pilih lokasinya.\n"
        "3. Periksa ringkasan, lalu tekan <b>Kirim laporan</b>.\n"
        "Anda akan mendapat kode laporan dan kabar setiap ada perkembangan.\n"
        "Bila laporan Anda tidak ditanggapi, Anda juga berhak mengadu ke "
        f"{esc(ombudsman)}.\n\n" + command_list()
    )


def draft_pending() -> str:
    return "Anda masih punya laporan yang belum selesai. Kita lanjutkan ya:"


def ask_role() -> str:
    return "Laporan ini untuk siapa?"


def ask_kader_name() -> str:
    return (
        "Terima kasih sudah membantu tetangga 🙏\n"
        "Siapa nama lengkap Anda (kader)? Cukup ditanyakan sekali."
    )


def ask_kader_phone() -> str:
    return (
        "Nomor HP Anda untuk dihubungi petugas? Tekan tombol <b>Bagikan nomor saya</b>, "
        "ketik nomornya, atau pilih <b>Lewati</b>."
    )


def ask_neighbour_name() -> str:
    return "Siapa nama warga yang Anda bantu laporkan?"


def ask_neighbour_phone(name: str) -> str:
    return f"Nomor HP {esc(name)} (boleh dikosongkan)? Ketik nomornya atau tekan <b>Lewati</b>."


def ask_consent(name: str) -> str:
    return f"Apakah {esc(name)} sudah setuju masalahnya Anda laporkan?"


def consent_needed(name: str) -> str:
    return (
        f"Mohon minta persetujuan {esc(name)} dulu ya. Draf ini tetap tersimpan; "
        "tekan <b>Sudah setuju</b> bila sudah, atau /batal untuk membatalkan."
    )


def ask_description() -> str:
    return (
        "Ceritakan masalahnya: apa yang terjadi, sejak kapan, dan siapa yang terdampak. "
        "Boleh juga kirim foto, pesan suara, video, atau berkas PDF sebagai bukti."
    )


def description_saved(photos: int) -> str:
    extra = f" ({photos} foto)" if photos else ""
    return (
        f"Sudah saya catat{extra}. Anda boleh menambah keterangan atau foto lagi. "
        "Jika sudah cukup, tekan <b>Lanjut</b>."
    )


def description_too_short() -> str:
    return "Ceritanya masih terlalu singkat. Mohon tulis paling tidak satu kalimat ya."


def photo_added(count: int) -> str:
    return f"Foto ke-{count} sudah saya simpan untuk laporan ini."


def photo_needs_text() -> str:
    return "Foto sudah saya simpan. Mohon tulis juga ceritanya dengan singkat ya."


def too_many_photos(limit: int) -> str:
    return f"Maaf, satu laporan paling banyak {limit} foto. Foto ini tidak saya simpan."


def too_long(limit: int, have: int) -> str:
    room = max(limit - have, 0)
    return (
        f"Maaf, ceritanya terlalu panjang. Satu laporan paling banyak {limit} karakter "
        f"(sisa {room}). Mohon dipersingkat lalu kirim lagi; yang sudah tersimpan aman."
    )


def body_proposal(name: str, about: str) -> str:
    return f"Sepertinya ini urusan <b>{esc(name)}</b> ({esc(about)}). Benar?"


def body_unsure() -> str:
    return (
        "Saya belum yakin ini urusan instansi mana. Pilih yang paling sesuai, "
        "atau <b>Tidak tahu</b> agar petugas pusat yang memilihkan:"
    )


def body_list() -> str:
    return "Pilih instansi yang menurut Anda bertanggung jawab:"


def outside_body(name: str, contact: str, city: str, level: str) -> str:
    return (
        f"Masalah ini biasanya kewenangan <b>{esc(name)}</b>, bukan pemerintah "
        f"{esc(city)}. Cara menghubungi: {esc(contact)}.\n"
        f"Anda tetap boleh mencatatkan laporan di sini agar petugas {esc(level)} "
        "mengetahuinya."
    )


def ask_kind() -> str:
    return "Masalahnya termasuk jenis apa?"


TRIAGE_LABEL = "Belum tahu – petugas pusat akan memilihkan"


def ask_kecamatan() -> str:
    return "Di kecamatan mana masalahnya? Pilih tombol atau ketik namanya."


def ask_kelurahan(kecamatan: str) -> str:
    return f"Di kelurahan mana (Kecamatan {esc(kecamatan)})?"


def place_not_found() -> str:
    return "Maaf, nama tempat itu tidak saya kenali. Silakan pilih dari tombol ya."


def ask_place_detail() -> str:
    return (
        "Tambahkan detail lokasi bila ada: kirim <b>titik lokasi</b> (📎 → Lokasi) "
        "dan/atau tulis alamat atau patokan (misal: depan SDN 2, RT 03/RW 01). "
        "Tekan <b>Lanjut</b> jika sudah atau ingin melewati."
    )


def location_saved() -> str:
    return "Titik lokasi sudah saya simpan."


def place_detail_saved(pin: bool, address: bool) -> str:
    saved = " dan ".join(
        part for part, has in (("titik lokasi", pin), ("alamat/patokan", address)) if has
    )
    return (
        f"Sudah saya simpan: {saved}. Anda boleh menambah atau mengganti; "
        "tekan <b>Lanjut</b> jika sudah."
    )


def address_too_long(limit: int) -> str:
    return f"Alamatnya terlalu panjang (maks. {limit} karakter). Mohon dipersingkat."


def ask_privacy() -> str:
    lines = [f"• <b>{PRIVACY_LABELS[p]}</b>: {PRIVACY_EXPLAINED[p]}" for p in Privacy]
    return (
        "Bagaimana identitas pelapor dan isi laporan dilindungi? Apa pun pilihannya, nama dan "
        "nomor Anda tidak pernah ditampilkan kepada warga lain atau umum.\n" + "\n".join(lines)
    )


def ask_contact() -> str:
    return (
        "Boleh kami minta nomor HP untuk tindak lanjut? Tekan <b>Bagikan nomor saya</b> "
        "di bawah, atau <b>Lewati</b>. Kabar laporan tetap dikirim lewat chat ini."
    )


def contact_saved() -> str:
    return "Terima kasih, nomor sudah disimpan."


def skipped() -> str:
    return "Baik, dilewati."


def contact_not_own() -> str:
    return "Mohon bagikan nomor Anda sendiri dengan tombol <b>Bagikan nomor saya</b>."


def phone_invalid() -> str:
    return "Nomor itu sepertinya kurang tepat. Contoh: 0812 3456 7890. Atau tekan Lewati."


def name_invalid() -> str:
    return "Mohon tulis namanya dengan huruf (2–80 karakter)."


def summary(draft: Draft, kader_name: str | None, body: str, kind: str) -> str:
    """The whole draft, to check before sending (`body` and `kind` already as labels)."""
    if draft.for_neighbour:
        who = f"Kader {esc(kader_name or '-')} untuk {esc(draft.neighbour_name or '-')}"
        if draft.neighbour_phone:
            who += f" ({esc(draft.neighbour_phone)})"
    else:
        who = "Anda sendiri"
    place = f"Kel. {esc(draft.kelurahan or '-')}, Kec. {esc(draft.kecamatan or '-')}"
    details = [
        "<b>Ringkasan laporan</b>",
        f"👤 Pelapor: {who}",
        f"📝 Kejadian: {esc(draft.description)}",
        f"📷 Foto: {len(draft.photos) or 'tidak ada'}",
        *([f"🎙 Bukti lain: {len(draft.evidence)}"] if draft.evidence else []),
        f"🏢 Tujuan: {esc(body)}",
        f"🏷 Jenis masalah: {esc(kind)}",
        f"📍 Lokasi: {place}",
    ]
    if draft.address:
        details.append(f"🏠 Alamat/patokan: {esc(draft.address)}")
    if draft.latitude is not None:
        details.append("🗺 Titik lokasi: terlampir")
    if draft.privacy:
        details.append(
            f"🔒 Privasi: {PRIVACY_LABELS[draft.privacy]} – {PRIVACY_EXPLAINED[draft.privacy]}"
        )
    details.append(f"📞 Kontak: {esc(draft.phone) if draft.phone else 'tidak diisi'}")
    details.append("\nSudah benar? Tekan <b>Kirim laporan</b>, atau ubah bagian yang perlu.")
    return "\n".join(details)


def ask_edit_part() -> str:
    return "Bagian mana yang ingin diubah?"


def ask_discard() -> str:
    return "Anda masih punya laporan yang belum dikirim. Buang draf itu dan mulai yang baru?"


def cancelled() -> str:
    return "Baik, laporan dibatalkan dan drafnya sudah dihapus. Ketik /lapor kapan saja."


def nothing_to_cancel() -> str:
    return "Tidak ada laporan yang sedang dibuat. Ketik /lapor untuk membuat laporan."


def draft_expired(ttl_hours: int) -> str:
    return (
        f"Draf laporan Anda sudah kami hapus karena tidak dilanjutkan selama {ttl_hours} jam. "
        "Silakan ketik /lapor untuk membuat laporan lagi."
    )


def unsupported(kind: str) -> str:
    name = UNSUPPORTED_NAMES.get(kind, "pesan jenis ini")
    return f"Maaf, saya belum bisa membaca {name}. Mohon tuliskan dengan teks ya 🙏"


def unknown_command(name: str) -> str:
    shown = name if len(name) <= 32 else name[:32] + "…"
    return f"Maaf, perintah /{esc(shown)} tidak saya kenal.\n" + command_list()


def finish_draft_first() -> str:
    return "Anda sedang membuat laporan. Selesaikan atau /batal dulu, lalu coba lagi."


def choose_button() -> str:
    return "Silakan pilih salah satu tombol di bawah ini ya."


def idle_hint() -> str:
    return "Mau melaporkan masalah layanan publik? Tekan <b>Buat laporan</b> atau ketik /lapor."


def idle_attachment() -> str:
    return (
        "Terima kasih. Untuk melapor, tekan <b>Buat laporan</b> dulu, "
        "lalu kirim ulang foto atau lokasinya di langkah yang diminta."
    )


def stale_button() -> str:
    return "Tombol ini sudah tidak berlaku. Silakan pakai pesan terbaru."


def invalid_button() -> str:
    return "Tombol ini tidak dikenali."


def update_given_up() -> str:
    """To a resident whose message failed again and again and was set aside."""
    return (
        "Maaf, pesan Anda tidak dapat kami proses karena gangguan teknis, jadi kami lewati. "
        "Petugas sudah diberi tahu. Silakan kirim lagi dengan kata-kata lain, atau ketik "
        "/bantuan."
    )
