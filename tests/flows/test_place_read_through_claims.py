"""A road or site under another authority is read even when a catalogue phrase has
already claimed a word of its name (`flows.phrases.unclaimed_places`): "lampu
penerangan di Jalan Raya Anyer" matches Dishub's "lampu penerangan jalan" across "di",
claiming the road's "jalan", yet the report still names the province's road."""

from __future__ import annotations

import pytest

from flows.city_pack import load_city_pack
from flows.classify import Classifier

PACK = load_city_pack()
KEYWORDS = Classifier(PACK.catalogue, lexicon=PACK.lexicon)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("lampu penerangan di Jalan Raya Anyer mati semua", "provinsi"),
        ("lampu penerangan jalan mati di Jalan Raya Anyer", "provinsi"),
        ("LAMPU PENERANGAN DI JALAN RAYA SERANG CILEGON MATI SEMUA", "nasional"),
        ("lampu penerangan di jalan raya merak mati, gelap", "nasional"),
        ("lampu penerangan di jalan raya bojonegara mati total", "nasional"),
        ("lampu penerangan di jalan tol tangerang merak mati", "nasional"),
    ],
)
def test_the_roads_authority_is_read_through_the_street_light_phrase(text: str, body: str) -> None:
    result = KEYWORDS.classify(text)
    assert result.candidates[0].body_id == body
    assert any("belum dipastikan" in label for label in result.candidates[0].matched)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("lampu penerangan di jalan Sultan Ageng Tirtayasa mati", "dishub"),
        ("lampu penerangan jalan mati di Jalan Lingkar Selatan", "dishub"),
        ("jalan berlubang di jalan KH Wasyid, aspal rusak parah", "dpupr"),
    ],
)
def test_a_city_street_stays_with_the_city(text: str, body: str) -> None:
    assert KEYWORDS.classify(text).candidates[0].body_id == body


def test_the_blend_follows_the_place_without_being_sure() -> None:
    blended = Classifier(PACK.catalogue, lexicon=PACK.lexicon, labelled=PACK.examples)
    result = blended.classify("lampu penerangan di Jalan Raya Anyer mati semua")
    assert result.candidates[0].body_id == "provinsi"
    assert not result.confident  # the model read it as Dishub's: officers confirm
