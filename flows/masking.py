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
from itertools import pairwise

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
# Runs of digits with separators (a phone as people write it) and their digit groups.
_DIGIT_RUN = re.compile(r"\+?\d+(?:[ .-]{1,2}\d+)*")
_NUMBER_PART = re.compile(r"\d+")
_WORD = re.compile(r"\w+")
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
    forms = {form for number in numbers for form in _number_forms(number)}
    if forms:
        masked = _DIGIT_RUN.sub(
            lambda run: _mask_spans(run[0], _NUMBER_PART, forms, NUMBER), masked
        )
    names = list(names)
    if names:
        masked = _mask_spans(masked, _WORD, _name_forms(names), NAME)
    return masked


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits if len(digits) >= MIN_NAME_PART else ""


def _number_forms(number: str) -> list[str]:
    """The digits of a number as people write it; a +62 phone also as 0..."""
    digits = _digits(number)
    if not digits:
        return []
    return [digits] + (["0" + digits[2:]] if digits.startswith("62") else [])


def _name_forms(names: Iterable[str]) -> set[str]:
    """Each name as lower-case words joined by one space, and each of its words long
    enough to be a name on its own (not an honorific)."""
    forms: set[str] = set()
    for name in names:
        words = [word.casefold() for word in _WORD.findall(name)]
        if words:
            forms.add(" ".join(words))
            forms.update(w for w in words if len(w) >= MIN_NAME_PART and w not in HONORIFICS)
    return forms


def _mask_spans(text: str, token: re.Pattern[str], forms: set[str], mask: str) -> str:
    """`text` with every longest run of adjacent tokens that spells one of `forms`
    (numbers: digits joined; names: words joined by a space) replaced by `mask`.

    Tokens must be separated by at most a few separators, and a token inside a mask
    already ("[nama]" of someone named Nama) is left alone. No pattern is compiled per
    person, so masking stays fast for many reports of different people.
    """
    joiner = "" if token is _NUMBER_PART else " "
    found = [t for t in token.finditer(text) if text[t.start() - 1 : t.start()] != "["]
    longest = max(len(form.split(" ")) if joiner else len(form) for form in forms)
    out, done, i = [], 0, 0
    while i < len(found):
        for j in range(min(len(found), i + longest), i, -1):
            span = found[i:j]
            gaps = (text[a.end() : b.start()] for a, b in pairwise(span))
            if all(0 < len(gap) <= 2 and not gap.strip(" .-") for gap in gaps):
                spelled = joiner.join(t[0].casefold() for t in span)
                if spelled in forms:
                    before = text[done : span[0].start()]
                    out += [before.removesuffix("+") if not joiner else before, mask]
                    done, i = span[-1].end(), j
                    break
        else:
            i += 1
    return "".join([*out, text[done:]])
