"""Arguments of the officers' commands, parsed and checked before any query runs.

Each parser takes the text typed after a command and returns a value the desk can use
as it is, or None when the text is not one; the desk then answers with the command's
usage (`flows.officer_texts`). No parser raises, whatever it is given: a property test
feeds each of them arbitrary text. Checking here keeps impossible values (the year
10000, a user id beyond 64 bits) away from the calendar and the database, where they
used to fail the whole update.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

MONTHS = (
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
)
EARLIEST_YEAR = 2000
"""No monthly report before this year (the bot did not exist)."""
MAX_USER_ID = 2**63 - 1
"""Telegram user ids are stored as 64-bit integers."""
MAX_ARGUMENT = 200
"""Longer arguments are refused before any matching (fuzzy matching is not free)."""
MAX_KADER_NAME = 64


def latest_year(today: date) -> int:
    """The last year a monthly report may be asked for: next year."""
    return today.year + 1


def parse_month(text: str, today: date) -> tuple[int, int] | None:
    """`""` (this month), `11`, `2026-11`, `11/2026`, `november`, `nov 2026` → (year, month).

    None when the text names no month, or a year before `EARLIEST_YEAR` or after next year.
    """
    if len(text) > MAX_ARGUMENT:
        return None
    words = text.strip().lower().replace("/", " ").replace("-", " ").split()
    if not words:
        return today.year, today.month
    year, month = today.year, None
    for word in words:
        if word.isdecimal() and len(word) == 4:
            year = int(word)
        elif word.isdecimal() and len(word) <= 2 and 1 <= int(word) <= 12:
            month = int(word)
        else:
            found = [i for i, name in enumerate(MONTHS, 1) if name.startswith(word[:3])]
            if len(word) < 3 or len(found) != 1:
                return None
            month = found[0]
    if month is None or not EARLIEST_YEAR <= year <= latest_year(today):
        return None
    return year, month


def parse_user_id(text: str) -> int | None:
    """A Telegram user id as typed (`123456789`), or None."""
    typed = text.strip()
    if not typed.isdecimal() or len(typed) > len(str(MAX_USER_ID)):
        return None
    value = int(typed)
    return value if 0 < value <= MAX_USER_ID else None


def parse_kader_invite(
    text: str, match_kelurahan: Callable[[str], str | None]
) -> tuple[str, str] | None:
    """"Siti Aminah Ketileng" → ("Siti Aminah", "Ketileng"): a name, then a kelurahan
    that `match_kelurahan` knows (the last words). The name is at most `MAX_KADER_NAME`
    characters, printable (no control or direction-changing characters)."""
    if len(text) > MAX_ARGUMENT:
        return None
    words = re.sub(r"\s+", " ", text.strip()).split(" ")
    for cut in range(1, len(words)):
        kelurahan = match_kelurahan(" ".join(words[cut:]))
        if kelurahan is not None:
            name = " ".join(words[:cut])
            if len(name) > MAX_KADER_NAME or not name.isprintable():
                return None
            return name, kelurahan
    return None
