"""Cleaning what people type."""

from __future__ import annotations

import pytest

from flows.validation import clean_name, clean_text, normalize_phone, valid_coordinates


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(0254) 391234", "+62254391234"),
    ],
)
def test_phone_numbers_normalised(typed: str, phone: str) -> None:
    assert normalize_phone(typed) == phone


@pytest.mark.parametrize("typed", ["", "12", "halo", "0812abc", "+" + "9" * 20, "-"])
def test_not_phone_numbers(typed: str) -> None:
    assert normalize_phone(typed) is None


def test_invisible_characters_are_dropped() -> None:
    assert clean_text("jalan\u200b rusak\u202e  parah\x00\n\n  lagi ") == "jalan rusak parah\nlagi"


@pytest.mark.parametrize(
    ("typed", "name"), [("  Siti   Aminah ", "Siti Aminah"), ("Bu Rina\u200d", "Bu Rina")]
)
def test_names(typed: str, name: str) -> None:
    assert clean_name(typed) == name


@pytest.mark.parametrize("typed", ["", "a", "123", "/lapor", "x" * 81])
def test_not_names(typed: str) -> None:
    assert clean_name(typed) is None


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [
        (-6.0, 106.05, True),
        (90.0, 180.0, True),
        (91.0, 0.0, False),
        (0.0, -181.0, False),
        (float("nan"), 0.0, False),
        (0.0, float("inf"), False),
    ],
)
def test_coordinates(lat: float, lon: float, ok: bool) -> None:
    assert valid_coordinates(lat, lon) is ok
