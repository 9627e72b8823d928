"""Tracking codes: format, parse, and what people type."""

from __future__ import annotations

import secrets

import pytest

from flows.codes import ALPHABET, CODE_BITS, format_code, parse_code, typed_as_code


def test_format_is_grouped_crockford() -> None:
    code = format_code(0)
    assert code == "SW-0000-0000"
    assert format_code((1 << CODE_BITS) - 1) == "SW-ZZZZ-ZZZZ"


@pytest.mark.parametrize("number", [0, 1, 31, 32, 123456789, (1 << CODE_BITS) - 1])
def test_round_trip(number: int) -> None:
    assert parse_code(format_code(number)) == format_code(number)


def test_random_codes_use_only_unambiguous_symbols() -> None:
    for _ in range(200):
        code = format_code(secrets.randbits(CODE_BITS))
        assert all(ch in ALPHABET for ch in code[3:].replace("-", ""))
        assert not set(code[3:]) & set("ILOU")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        pytest.param("sw-7k3m-q9xa", "SW-7K3M-Q9XA", id="lowercase"),
        pytest.param("SW7K3MQ9XA", "SW-7K3M-Q9XA", id="no-dashes"),
        pytest.param("7K3M Q9XA", "SW-7K3M-Q9XA", id="no-prefix"),
        pytest.param("SW-7K3M-Q9XO", "SW-7K3M-Q9X0", id="letter-o-is-zero"),
        pytest.param("SW-IK3M-Q9XL", "SW-1K3M-Q9X1", id="i-and-l-are-one"),
    ],
)
def test_parse_forgives_how_people_type(typed: str, canonical: str) -> None:
    assert parse_code(typed) == canonical


@pytest.mark.parametrize(
    "typed", ["", "SW-", "SW-7K3M", "SW-7K3M-Q9XA-1", "SW-7K3M-Q9U!", "halo pak"]
)
def test_parse_rejects_non_codes(typed: str) -> None:
    assert parse_code(typed) is None


def test_out_of_range_number_is_an_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        format_code(1 << CODE_BITS)


@pytest.mark.parametrize(
    ("typed", "is_code"),
    [
        pytest.param("SW-7K3M-Q9XA", True, id="full-code"),
        pytest.param("sw7k3mq9xa", True, id="lowercase-no-dashes"),
        pytest.param("7K3M-Q9XA", True, id="no-prefix-with-dash"),
        pytest.param("7k3mq9xa", True, id="no-prefix-with-digits"),
        pytest.param("SW-JEMB-ATAN", True, id="prefixed-word-is-a-code"),
        pytest.param("jembatan", False, id="word-of-eight-code-letters"),
        pytest.param("sampahhh", False, id="word-that-does-not-parse"),
        pytest.param("pkh", False, id="short-word"),
        pytest.param("lampu jalan", False, id="two-words"),
    ],
)
def test_typed_as_code_tells_codes_from_words(typed: str, is_code: bool) -> None:
    assert typed_as_code(typed) is is_code
