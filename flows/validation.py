"""Checks and clean-ups of what people type: names, phone numbers, free text."""

from __future__ import annotations

import math
import re
import unicodedata

_INVISIBLE = {"Cf", "Cc", "Co", "Cs"}  # format (zero-width, RTL marks), control, private, surrogate
_SPACES = re.compile(r"[ \t]+")
_PHONE_JUNK = re.compile(r"[\s\-().]")


def clean_text(text: str) -> str:
    """Drop invisible characters (zero-width, direction marks, controls) but keep newlines."""
    kept = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in _INVISIBLE)
    lines = (_SPACES.sub(" ", line).strip() for line in kept.split("\n"))
    return "\n".join(line for line in lines if line)


def clean_name(text: str, max_length: int = 80) -> str | None:
    """A person's name on one line, or None if it does not look like a name."""
    name = " ".join(clean_text(text).split())
    if not 2 <= len(name) <= max_length or not any(ch.isalpha() for ch in name):
        return None
    if name.startswith("/"):
        return None
    return name


def normalize_phone(text: str) -> str | None:
    """An Indonesian phone number in international form (+62...), or None.

    Accepts 0812..., 62812..., +62 812-..., and international numbers in + form.
    """
    raw = _PHONE_JUNK.sub("", text.strip())
    if raw.startswith("+"):
        digits = raw[1:]
    elif raw.startswith("62"):
        digits = raw
    elif raw.startswith("0"):
        digits = "62" + raw[1:]
    elif raw.startswith("8"):
        digits = "62" + raw
    else:
        return None
    if not (digits.isascii() and digits.isdecimal()) or not 9 <= len(digits) <= 15:
        return None
    return "+" + digits


def words(text: str) -> int:
    """How many words a text has."""
    return len(text.split())


def valid_coordinates(latitude: float, longitude: float) -> bool:
    """True for a real point on Earth."""
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90.0 <= latitude <= 90.0
        and -180.0 <= longitude <= 180.0
    )
