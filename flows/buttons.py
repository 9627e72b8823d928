"""Callback data of inline buttons: short, versioned, parsed defensively.

A button of the open question carries the conversation's `menu` number
(`"7:kec:3"`), so a press on a button of an older question, or a second tap on the
same button, is recognised as stale instead of being applied twice. Buttons valid at
any time (e.g. "Buat laporan", a report in `/status`) carry `g` instead of a number.
Everything fits Telegram's 64-byte limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.effects import Button

GLOBAL = "g"
MAX_DATA_BYTES = 64


@dataclass(frozen=True)
class Choice:
    """A parsed press: which menu it belongs to (None for global) and what it means."""

    menu: int | None
    action: str
    value: str = ""


def button(label: str, menu: int | None, action: str, value: str = "") -> Button:
    """An inline button for `action` in menu `menu` (None: valid at any time)."""
    prefix = GLOBAL if menu is None else str(menu)
    data = f"{prefix}:{action}:{value}" if value else f"{prefix}:{action}"
    if len(data.encode()) > MAX_DATA_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return Button(label, data)


def parse_choice(data: str) -> Choice | None:
    """Parse callback data; None for anything we did not make (forged or garbled)."""
    parts = data.split(":", 2)
    if len(parts) < 2 or not parts[1].isascii() or not parts[1].isalpha():
        return None
    value = parts[2] if len(parts) == 3 else ""
    if parts[0] == GLOBAL:
        return Choice(None, parts[1], value)
    if not is_number(parts[0]) or len(parts[0]) > 9:
        return None
    return Choice(int(parts[0]), parts[1], value)


def is_number(text: str) -> bool:
    """ASCII digits only ("²" and "٣" are digits to `str.isdigit` but not to `int`)."""
    return text.isascii() and text.isdecimal()
