"""Tracking codes: 40 random bits in Crockford base32, grouped to read aloud.

`SW-7K3M-Q9XA`: 8 symbols without I, L, O or U, so a code read over the phone or
copied by hand survives the usual confusions (O→0, I/L→1). The randomness comes from
the caller (`secrets.randbits(CODE_BITS)`), which keeps this module pure.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BITS = 40
PREFIX = "SW"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.")


def format_code(number: int) -> str:
    """Render a number below 2**40 as `SW-XXXX-XXXX`."""
    if not 0 <= number < 1 << CODE_BITS:
        raise ValueError(f"code number out of range: {number}")
    symbols = "".join(ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{PREFIX}-{symbols[:4]}-{symbols[4:]}"


def parse_code(text: str) -> str | None:
    """Return the canonical code for what a person typed (any case, dashes optional), or None."""
    compact = text.strip().upper().translate(_SEPARATORS)
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    compact = compact.translate(_CONFUSABLE)
    if len(compact) != 8 or any(ch not in ALPHABET for ch in compact):
        return None
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"


def typed_as_code(text: str) -> bool:
    """Whether `text` reads as a tracking code rather than a word: it parses as one and
    carries a digit, the SW prefix or a separator ("jembatan" parses, but is a word)."""
    typed = text.strip().upper()
    if parse_code(typed) is None:
        return False
    return typed.startswith(PREFIX) or any(ch.isdigit() or ch in " -_." for ch in typed)
