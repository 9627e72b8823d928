"""Sample data and small helpers for the storage tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from flows.report import Neighbour, NewReport, Place, Privacy, Reporter

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


def query(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the file directly with sqlite3, as a second process would."""
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.execute(sql, params).fetchall())
