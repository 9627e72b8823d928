"""What residents and officers read about evidence beyond photos, in Indonesian."""

from __future__ import annotations

from collections.abc import Sequence

from flows.evidence import MEGABYTE, Evidence, EvidenceKind, EvidenceLimits, Refusal

KIND_NAMES = {
    EvidenceKind.VOICE: "pesan suara",
    EvidenceKind.VIDEO: "video",
    EvidenceKind.VIDEO_NOTE: "video bulat",
    EvidenceKind.DOCUMENT: "berkas",
}
UNSUPPORTED_MEDIA = {
    "sticker": "stiker",
    "animation": "GIF",
    "audio": "berkas musik/rekaman",
}
"""Media kinds answered with `not_evidence` (what is accepted instead)."""
ACCEPTED = "foto, pesan suara, video, serta berkas gambar atau PDF"


def megabytes(size: int) -> str:
    """`3,2 MB` (Indonesian decimal comma)."""
    return f"{size / MEGABYTE:.1f} MB".replace(".", ",")


def size_text(size: int) -> str:
    """`3,2 MB`, or `640 KB` below a megabyte."""
    if size < MEGABYTE:
        return f"{max(1, round(size / 1024))} KB"
    return megabytes(size)


def duration(seconds: int) -> str:
    """`1:05` (minutes:seconds)."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def describe(item: Evidence) -> str:
    """`pesan suara 0:45`, `video 3,2 MB`, `berkas PDF 1,0 MB`."""
    name = KIND_NAMES[item.kind]
    if item.kind is EvidenceKind.DOCUMENT:
        mime = (item.mime_type or "").lower()
        name += " PDF" if mime == "application/pdf" else " gambar" if "image/" in mime else ""
    details = []
    if item.duration:
        details.append(duration(item.duration))
    if item.size and item.kind is not EvidenceKind.VOICE:
        details.append(size_text(item.size))
    return " ".join([name, *details])


def limits_text(limits: EvidenceLimits) -> str:
    """The limits, stated once in plain words."""
    return (
        f"Paling banyak {limits.max_items} bukti selain foto per laporan; pesan suara "
        f"paling lama {limits.max_voice_seconds // 60} menit; video paling besar "
        f"{limits.max_video_bytes // MEGABYTE} MB; berkas (gambar atau PDF) paling besar "
        f"{limits.max_document_bytes // MEGABYTE} MB."
    )


def evidence_kept(item: Evidence, count: int, limits: EvidenceLimits) -> str:
    """An item was kept (its number among the report's evidence)."""
    return (
        f"Terima kasih, {describe(item)} sudah saya simpan sebagai bukti ke-{count} "
        f"(paling banyak {limits.max_items})."
    )


def voice_needs_text() -> str:
    """A voice note while the story is told: welcome, and a few written words please."""
    return (
        "Terima kasih, pesan suara Anda sudah saya simpan sebagai bukti dan akan "
        "didengar petugas 🙏\nAgar laporan bisa diteruskan ke instansi yang tepat, "
        "mohon tuliskan juga beberapa kata, misalnya: <i>jalan berlubang dekat pasar</i>."
    )


def media_needs_text() -> str:
    """Another item while the story is told, without text yet."""
    return "Bukti sudah saya simpan. Mohon tulis juga ceritanya dengan singkat ya."


def refused(item: Evidence, why: Refusal, limits: EvidenceLimits) -> str:
    """Why an item was not kept, with the limit; nothing else of the report is lost."""
    name = KIND_NAMES[item.kind]
    reason = {
        Refusal.TOO_MANY: f"satu laporan paling banyak {limits.max_items} bukti selain foto",
        Refusal.TOO_LONG: (
            f"pesan suara paling lama {limits.max_voice_seconds // 60} menit "
            f"(yang ini {duration(item.duration or 0)})"
        ),
        Refusal.TOO_LARGE: _too_large(item, limits),
        Refusal.WRONG_TYPE: "berkas yang bisa saya simpan hanya gambar (foto) atau PDF",
    }[why]
    return f"Maaf, {name} ini tidak saya simpan: {reason}. Laporan Anda yang lain tetap tersimpan."


def _too_large(item: Evidence, limits: EvidenceLimits) -> str:
    if item.kind is EvidenceKind.DOCUMENT:
        limit = limits.max_document_bytes
        return f"berkas paling besar {limit // MEGABYTE} MB (yang ini {megabytes(item.size or 0)})"
    limit = limits.max_video_bytes
    return f"paling besar {limit // MEGABYTE} MB (yang ini {megabytes(item.size or 0)})"


def not_evidence(kind: str) -> str:
    """A sticker, GIF or music file: not kept, and what is."""
    name = UNSUPPORTED_MEDIA.get(kind, "pesan jenis ini")
    return f"Maaf, {name} tidak bisa saya simpan sebagai bukti. Yang bisa: {ACCEPTED}."


def not_relayed() -> str:
    """Evidence sent while writing a message to officers about a filed report."""
    return (
        "Maaf, untuk pesan kepada petugas saya hanya bisa meneruskan teks dan foto. "
        "Mohon tuliskan pesannya ya."
    )


def idle_evidence() -> str:
    """Evidence sent with no report open."""
    return (
        "Terima kasih. Untuk melapor, tekan <b>Buat laporan</b> dulu, lalu kirim ulang "
        f"buktinya saat bercerita. Yang bisa saya simpan: {ACCEPTED}."
    )


def card_caption(number: int, total: int, code: str, item: Evidence) -> str:
    """The caption of a report's evidence posted under its card."""
    return f"Bukti {number}/{total} laporan {code}: {describe(item)}"


def my_evidence(items: Sequence[Evidence]) -> str:
    """One line of `/dataku` listing a report's evidence, or "" without any."""
    if not items:
        return ""
    return "  bukti: " + "; ".join(describe(item) for item in items)
