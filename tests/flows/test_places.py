"""Kecamatan and kelurahan: the full list, and typed names with typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.places import load_places

PLACES = load_places()


def test_cilegon_has_8_kecamatan_and_43_kelurahan() -> None:
    assert len(PLACES.kecamatan) == 8
    assert sum(len(k.kelurahan) for k in PLACES.kecamatan) == 43
    assert PLACES.city == "Kota Cilegon"


@pytest.mark.parametrize(
    ("typed", "kecamatan"),
    [
        ("gerogol", "Grogol"),
        ("Pulo Merak", "Pulomerak"),
        ("cilegon", "Cilegon"),
        ("citangkl", "Citangkil"),
        ("PURWAKARTA", "Purwakarta"),
    ],
)
def test_kecamatan_typed(typed: str, kecamatan: str) -> None:
    found = PLACES.match_kecamatan(typed)
    assert found is not None and found.name == kecamatan


@pytest.mark.parametrize(
    ("typed", "kelurahan"),
    [
        ("deringo", "Dringo"),
        ("banjarnegara", "Banjar Negara"),
        ("lebak gede", "Lebakgede"),
        ("cikerasi", "Cikerai"),
        ("jombang wetan", "Jombang Wetan"),
        ("rawa arum", "Rawa Arum"),
    ],
)
def test_kelurahan_typed(typed: str, kelurahan: str) -> None:
    assert PLACES.match_kelurahan(typed) == kelurahan


@pytest.mark.parametrize("typed", ["", "   ", "jakarta", "xx", "🙂"])
def test_unknown_places_are_not_guessed(typed: str) -> None:
    assert PLACES.match_kecamatan(typed) is None
    assert PLACES.match_kelurahan(typed) is None


def test_kelurahan_within_kecamatan() -> None:
    grogol = PLACES.kecamatan_named("Grogol")
    assert grogol is not None
    assert PLACES.match_kelurahan("grogol", grogol) == "Grogol"
    assert PLACES.kecamatan_of("Gerem") == grogol


def test_another_city_replaces_the_file(tmp_path: Path) -> None:
    other = tmp_path / "places.toml"
    other.write_text(
        'city = "Kota Serang"\n[[kecamatan]]\nname = "Serang"\n'
        'kelurahan = ["Cimuncang", "Kagungan"]\n',
        encoding="utf-8",
    )
    places = load_places(other)
    assert places.city == "Kota Serang"
    assert places.match_kelurahan("kagungan") == "Kagungan"
