"""Names as officers see them: Telegram display names neutralised for cards.

A Telegram name is whatever its owner typed, including Unicode's invisible formatting
characters. A right-to-left override (U+202E) or an isolate (U+2066-U+2069) reorders
everything after it on the card, so "Siti\u202eabc" can make the phone number or the
report's text read backwards; zero-width and other format characters hide text or
make two names look alike. `shown_name` drops them (and control characters), keeping
the joiners that emoji sequences and some scripts need, and collapses whitespace.
"""

from __future__ import annotations

import unicodedata

HIDDEN_NAME = "(tanpa nama)"
"""What a name that was nothing but invisible characters shows as."""
_KEPT_FORMAT = frozenset({"\u200c", "\u200d"})  # zero-width (non-)joiner: emoji, scripts
_AS_SPACE = frozenset({"Zl", "Zp", "Zs"})
_BLANK_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})
"""Characters that are letters (or a symbol) to Unicode but show nothing: a "blank" name."""


def shown_name(name: str) -> str:
    """`name` without bidirectional controls, other invisible format characters (Unicode
    category Cf, except the joiners), control characters (Cc) and blank "letters";
    line and paragraph separators become spaces, runs of spaces one. Plain text: escape
    it for HTML after."""
    kept: list[str] = []
    for ch in name:
        category = unicodedata.category(ch)
        if category in _AS_SPACE or ch in "\t\n\r":
            kept.append(" ")
        elif not _invisible(ch, category):
            kept.append(ch)
    shown = " ".join("".join(kept).split())
    return shown if shown.strip("".join(_KEPT_FORMAT)) else HIDDEN_NAME


def _invisible(ch: str, category: str) -> bool:
    if category == "Cf":
        return ch not in _KEPT_FORMAT
    return ch in _BLANK_LETTERS or category in ("Cc", "Cs", "Co")
