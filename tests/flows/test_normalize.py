"""Normalising residents' text: case, emoji, stretched letters, slang and local words."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.normalize import load_lexicon, normalize, squeeze, tokens


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        pytest.param(
            "Jln rusak PARAHHH kyk kubangan!!!",
            "jalan rusak parah kayak kubangan",
            id="slang-and-shouting",
        ),
        pytest.param("sampah numpuk 😡😡", "sampah menumpuk", id="emoji-dropped"),
        pytest.param("air\u200b pdam\u200d mati", "air pdam mati", id="zero-width-dropped"),
        pytest.param("Pelayanan sangat buruk.", "pelayanan sangat buruk", id="punctuation"),
        pytest.param("café", "cafe", id="accents-stripped"),
        pytest.param("ktp blm jadi, blangko hbs", "ktp belum jadi blanko habis", id="ktp-slang"),
        pytest.param("bansos ga cair", "bansos tidak cair", id="ga-is-tidak"),
        pytest.param(
            "wis bosen lapor ore ditanggapi", "sudah bosan lapor tidak ditanggapi", id="jawa-serang"
        ),
        pytest.param("cai teu ngocor", "air tidak mengalir", id="sunda"),
        pytest.param("aer mati udh 3 hari", "air mati sudah 3 hari", id="aer-is-air"),
        pytest.param("lampu2 pju mati", "lampu lampu pju mati", id="reduplication-with-2"),
        pytest.param("gorong-gorong mampet", "gorong gorong mampet", id="hyphen-reduplication"),
        pytest.param("dimintai uang rokok bgt", "dimintai uang rokok banget", id="bgt"),
    ],
)
def test_normalize(typed: str, normalised: str) -> None:
    assert normalize(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("KK sy hilang", ["kk", "saya", "hilang"], id="kk-stays-kartu-keluarga"),
        pytest.param("di kel. Ramanuju", ["di", "kelurahan", "ramanuju"], id="kel-is-kelurahan"),
        pytest.param("PJU mati", ["pju", "mati"], id="acronym-kept"),
    ],
)
def test_domain_abbreviations(typed: str, expected: list[str]) -> None:
    assert tokens(typed) == expected


@pytest.mark.parametrize(
    ("typed", "squeezed"),
    [
        pytest.param("parahh", "parah", id="trailing-double"),
        pytest.param("parahhhh", "parah", id="long-run"),
        pytest.param("maaaaf", "maaf", id="real-double-kept"),
        pytest.param("tungguuu", "tunggu", id="inner-double-kept"),
        pytest.param("gelapp", "gelap", id="gelap"),
        pytest.param("tolooong", "tolong", id="stretched-vowel"),
        pytest.param("kk", "kk", id="short-token-kept"),
        pytest.param("saat", "saat", id="saat"),
    ],
)
def test_squeeze(typed: str, squeezed: str) -> None:
    assert squeeze(typed) == squeezed


def test_empty_and_symbol_only_texts_give_no_tokens() -> None:
    assert tokens("") == []
    assert tokens("?!... 🙏") == []


def test_a_custom_lexicon_replaces_the_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('protected = ["kk"]\n[words]\nkk = "kakak"\nbgt = "sekali"\n', "utf-8")
    lexicon = load_lexicon(path)
    assert normalize("kk bgt", lexicon) == "kk sekali"
