"""Masking personal data in a story before any of it may become public text.

`mask_personal_data` replaces e-mail addresses, NIK/KK numbers (16 digits), phone
numbers, @usernames and the given names (whole words, any case; each part of a name
too, except honorifics such as "Ibu") with a bracketed word a reader understands.
It is what the officer sees as the proposed public text, and it runs again on every
public view, so a name an officer typed back into the text is masked there too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NAME = "[nama]"
PHONE = "[nomor telepon]"
ID_NUMBER = "[NIK/KK]"
EMAIL = "[email]"
ACCOUNT = "[akun]"
NUMBER = "[nomor]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 16 digits, optionally in groups ("3672 0123 4567 8901"): NIK and KK numbers.
_ID_NUMBER = re.compile(r"(?<![\d])\d(?:[ .-]?\d){15}(?!\d)")
# Indonesian phones: mobile or landline, +62/62/0, spaces, dots, dashes, (area code).
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|\(?0)[ .-]?\d{1,4}\)?(?:[ .-]?\d){5,11}(?!\d)")
_ACCOUNT = re.compile(r"(?<![\w.@])@\w{3,32}")
HONORIFICS = frozenset((
    "ibu", "bu", "bapak", "pak", "bpk", "mas", "mbak", "mba", "teh", "kang", "aa", "neng",
    "bang", "abang", "kak", "adik", "dik", "haji", "hj", "h", "nyai", "eyang", "mbah",
    "kakek", "nenek", "bunda", "ayah", "umi", "abi",
))  # fmt: skip
"""Words in a name that are not the name (never masked on their own)."""
MIN_NAME_PART = 3


def mask_personal_data(
    text: str, names: Iterable[str] = (), numbers: Iterable[str] = (), *, contacts: bool = True
) -> str:
    """`text` with the given `names` and `numbers` (Telegram ids, phones as stored,
    written with or without separators) masked, and with `contacts`, every e-mail
    address, NIK/KK number, phone number and @username too."""
    masked = text
    if contacts:
        masked = _EMAIL.sub(EMAIL, masked)
        masked = _ID_NUMBER.sub(ID_NUMBER, masked)
        masked = _PHONE.sub(PHONE, masked)
        masked = _ACCOUNT.sub(ACCOUNT, masked)
    for number in numbers:
        masked = _number_pattern(number).sub(NUMBER, masked) if _digits(number) else masked
    for pattern in _name_patterns(names):
        masked = pattern.sub(NAME, masked)
    return masked


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits if len(digits) >= MIN_NAME_PART else ""


def _number_pattern(number: str) -> re.Pattern[str]:
    """The number's digits, with or without separators; a +62 phone also as 0..."""
    digits = _digits(number)
    forms = [digits] + (["0" + digits[2:]] if digits.startswith("62") else [])
    spelled = "|".join(r"[ .-]?".join(form) for form in forms)
    return re.compile(rf"(?<!\d)\+?(?:{spelled})(?!\d)")


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Whole names first (longest first), then their parts."""
    wholes: set[str] = set()
    parts: set[str] = set()
    for name in names:
        words = [w for w in re.split(r"[^\w'’-]+", name.strip()) if w]
        if not words:
            continue
        wholes.add(" ".join(words))
        parts.update(w for w in words if len(w) >= MIN_NAME_PART and w.casefold() not in HONORIFICS)
    found = sorted(wholes, key=len, reverse=True) + sorted(parts, key=len, reverse=True)
    return [
        re.compile(
            # Not inside a mask already ("[nama]" of someone named Nama).
            r"(?<![\w\[])" + r"\s+".join(re.escape(w) for w in item.split(" ")) + r"(?![\w\]])",
            re.IGNORECASE,
        )
        for item in found
    ]
