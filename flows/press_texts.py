"""What an officer is told when a press comes before its card is recorded."""

from __future__ import annotations


def card_not_recorded_yet() -> str:
    """Toast for a press on a message the bot has just sent and not yet recorded (it
    was waited for a few seconds): nothing changed, pressing again works."""
    return "Kartu ini baru saja terkirim dan belum tercatat. Mohon tekan tombolnya lagi."
