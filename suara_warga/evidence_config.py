"""The `[evidence]` section: what a report keeps besides photos (`flows.evidence`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flows.evidence import (
    DEFAULT_DOCUMENT_TYPES,
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_MAX_EVIDENCE,
    DEFAULT_MAX_VIDEO_BYTES,
    DEFAULT_MAX_VOICE_SECONDS,
    MEGABYTE,
    EvidenceLimits,
)

TELEGRAM_BOT_DOWNLOAD_MB = 20
"""Bots may download files up to 20 MB; larger ones could never be checked later."""


class EvidenceConfig(BaseModel):
    """Voice notes, videos and files (images, PDFs) kept as evidence, and their limits.

    >>> EvidenceConfig(max_items=3).limits().max_items
    3
    """

    model_config = ConfigDict(extra="forbid")

    max_items: int = Field(default=DEFAULT_MAX_EVIDENCE, ge=0, le=20)
    max_voice_minutes: int = Field(default=DEFAULT_MAX_VOICE_SECONDS // 60, ge=1, le=60)
    max_video_mb: int = Field(
        default=DEFAULT_MAX_VIDEO_BYTES // MEGABYTE, ge=1, le=TELEGRAM_BOT_DOWNLOAD_MB
    )
    max_document_mb: int = Field(
        default=DEFAULT_MAX_DOCUMENT_BYTES // MEGABYTE, ge=1, le=TELEGRAM_BOT_DOWNLOAD_MB
    )
    document_types: tuple[str, ...] = DEFAULT_DOCUMENT_TYPES

    @field_validator("document_types")
    @classmethod
    def _mime_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if item.count("/") != 1 or " " in item:
                raise ValueError(f"not a MIME type: {item!r} (e.g. 'image/*', 'application/pdf')")
        return value

    def limits(self) -> EvidenceLimits:
        """The limits `flows.evidence` applies."""
        return EvidenceLimits(
            max_items=self.max_items,
            max_voice_seconds=self.max_voice_minutes * 60,
            max_video_bytes=self.max_video_mb * MEGABYTE,
            max_document_bytes=self.max_document_mb * MEGABYTE,
            document_types=self.document_types,
        )
