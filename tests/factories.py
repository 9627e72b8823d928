"""Factories for what tests would otherwise build by hand: Telegram updates as the Bot API
sends them (like PTB's ``make_message`` in ``tests/auxil/build_messages.py``), and reports
as storage receives them, with friendly sample people and places."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flows.report import Neighbour, NewReport, Place, Privacy, Reporter

JSON = dict[str, Any]

NOW = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
WIB = timezone(timedelta(hours=7), "WIB")

SITI = Reporter(user_id=1001, chat_id=1001, name="Siti Aminah", username="siti_a", phone=None)
BU_RINA = Reporter(user_id=1002, chat_id=1002, name="Bu Rina", username=None, phone="0812-555-0142")
PAK_BUDI = Neighbour(name="Pak Budi", phone="0813-555-0199")
SUKAJADI = Place(
    kecamatan="Sukajadi",
    kelurahan="Pasteur",
    latitude=-6.8915,
    longitude=107.5931,
    address="Jl. Dr. Djunjunan, depan warung Bu Yati",
)


def make_report(
    code: str = "SW-7K3M-Q9XA",
    *,
    reporter: Reporter = SITI,
    filed_at: datetime = NOW,
    **changes: Any,
) -> NewReport:
    """A plausible new report; keyword arguments replace fields."""
    fields: dict[str, Any] = {
        "code": code,
        "filed_at": filed_at,
        "reporter": reporter,
        "description": "Lampu jalan mati sejak tiga malam, gelap sekali.",
        "photos": ("AgACAgUAAxkBAAIBa", "AgACAgUAAxkBAAIBb"),
        "place": SUKAJADI,
        "privacy": Privacy.BIASA,
    }
    fields.update(changes)
    return NewReport(**fields)


# -- Telegram updates (Bot API JSON) ----------------------------------------------------


def make_chat(chat_id: int, kind: str = "private", **fields: Any) -> JSON:
    """A Chat: ``private`` (a user's chat with the bot), ``group``, ``channel``..."""
    return {"id": chat_id, "type": kind, **fields}


def make_message(
    chat: JSON | int, text: str | None = None, *, message_id: int = 1, date: int = 0, **fields: Any
) -> JSON:
    """A Message in `chat` (a Chat, or the id of a private chat); `fields` add to it
    (``from``, ``dice``...: pass them as ``**{"from": ...}`` where a name is a keyword)."""
    message: JSON = {
        "message_id": message_id,
        "date": date,
        "chat": chat if isinstance(chat, dict) else make_chat(chat),
        **fields,
    }
    if text is not None:
        message["text"] = text
    return message


def make_update(body: JSON, kind: str = "message") -> JSON:
    """An update (without its id: the emulator numbers what it queues) carrying `body`."""
    return {kind: body}
