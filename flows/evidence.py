"""Evidence beyond photos: voice notes, videos, video notes, and files (documents).

A resident may send these while writing a report; each is kept by its Telegram file id
(never downloaded), with its kind, size and duration, and sent to the officers under
the card. Limits (`EvidenceLimits`) are stated to the resident when one is exceeded:
how many items a report keeps, how long a voice note, how large a video or file, and
which files are accepted (images and PDFs). Evidence is never public: the board and
Open311 show only photos an officer marked public (`flows.public_view`).

`refusal` is the one pure decision: which limit an item breaks, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.report import Frozen

MEGABYTE = 1024 * 1024
DEFAULT_MAX_EVIDENCE = 5
DEFAULT_MAX_VOICE_SECONDS = 300
DEFAULT_MAX_VIDEO_BYTES = 20 * MEGABYTE
DEFAULT_MAX_DOCUMENT_BYTES = 20 * MEGABYTE
DEFAULT_DOCUMENT_TYPES = ("image/*", "application/pdf")


class EvidenceKind(StrEnum):
    """What was sent; the value names the Bot API field and send method (sendVoice...)."""

    VOICE = "voice"
    VIDEO = "video"
    VIDEO_NOTE = "video_note"
    DOCUMENT = "document"


class Evidence(Frozen):
    """One piece of evidence as Telegram describes it (sizes in bytes, durations in
    seconds; None when Telegram did not say)."""

    kind: EvidenceKind
    file_id: str
    size: int | None = None
    duration: int | None = None
    mime_type: str | None = None


@dataclass(frozen=True)
class EvidenceLimits:
    """What a report keeps besides photos (photos have `Rules.max_photos`).

    >>> limits = EvidenceLimits(max_items=3, max_voice_seconds=120)
    """

    max_items: int = DEFAULT_MAX_EVIDENCE
    max_voice_seconds: int = DEFAULT_MAX_VOICE_SECONDS
    max_video_bytes: int = DEFAULT_MAX_VIDEO_BYTES
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    document_types: tuple[str, ...] = DEFAULT_DOCUMENT_TYPES  # "image/*" matches any image


class Refusal(StrEnum):
    """Why an item is not kept."""

    TOO_MANY = "too_many"
    TOO_LONG = "too_long"
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"


def refusal(item: Evidence, kept: int, limits: EvidenceLimits) -> Refusal | None:
    """The limit `item` breaks when `kept` items are already kept, or None to keep it.
    A size or duration Telegram did not give is not held against the resident."""
    if item.kind is EvidenceKind.DOCUMENT and not accepted_type(item.mime_type, limits):
        return Refusal.WRONG_TYPE
    if kept >= limits.max_items:
        return Refusal.TOO_MANY
    if item.kind is EvidenceKind.VOICE and (item.duration or 0) > limits.max_voice_seconds:
        return Refusal.TOO_LONG
    if (item.size or 0) > max_bytes(item.kind, limits):
        return Refusal.TOO_LARGE
    return None


def accepted_type(mime_type: str | None, limits: EvidenceLimits) -> bool:
    """Whether a document of this MIME type is kept ("image/*" accepts every image)."""
    kind = (mime_type or "").lower().strip()
    for allowed in limits.document_types:
        allowed = allowed.lower()
        if kind == allowed or (allowed.endswith("/*") and kind.startswith(allowed[:-1])):
            return True
    return False


def max_bytes(kind: EvidenceKind, limits: EvidenceLimits) -> int:
    """The largest file of this kind kept (voice notes: the video limit, as a bound)."""
    return limits.max_document_bytes if kind is EvidenceKind.DOCUMENT else limits.max_video_bytes
