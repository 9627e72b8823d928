"""A named road under another authority takes over the model's vote as it takes over
the keyword evidence (`flows.blend.take_over_margins`), without making the answer sure
when the place decided against the model."""

from __future__ import annotations

from flows.blend import DEFAULT_BLEND as BLEND
from flows.blend import blend_with_places, take_over_margins
from flows.city_pack import load_city_pack
from flows.classify import Classifier
from flows.labelled_examples import LabelledExample

PACK = load_city_pack()


def test_the_taken_bodys_vote_goes_to_the_place() -> None:
    margins = {"dishub": 1.2, "provinsi": -0.4, "dlh": -0.9}
    moved = take_over_margins(margins, {("dishub", "provinsi")})
    assert moved == {"dishub": -0.4, "provinsi": 1.2, "dlh": -0.9}
    assert take_over_margins(margins, set()) == margins


def test_a_place_already_ahead_keeps_the_margins() -> None:
    margins = {"dishub": -1.0, "nasional": 0.5}
    assert take_over_margins(margins, {("dishub", "nasional")}) == margins


def test_street_lights_on_the_provinces_road_go_to_the_province_for_officers_to_confirm() -> None:
    # A model that learned street lights as Dishub's (examples written for this test).
    lights = [
        LabelledExample("dishub", "sarana_rusak", f"lampu penerangan jalan {place} mati semua")
        for place in ("di gang melati", "dekat masjid", "di perumahan", "depan sekolah")
    ]
    others = [
        LabelledExample("pdam", "tidak_memberikan_pelayanan", "air pdam mati dari pagi"),
        LabelledExample("dlh", "tidak_memberikan_pelayanan", "sampah belum diangkut"),
    ]
    classifier = Classifier(PACK.catalogue, lexicon=PACK.lexicon, labelled=lights + others)
    anyer = classifier.classify("lampu penerangan jalan di jalan raya anyer mati semua")
    assert anyer.candidates[0].body_id == "provinsi"
    assert not anyer.confident
    town = classifier.classify("lampu penerangan jalan di gang mawar mati semua")
    assert town.candidates[0].body_id == "dishub"


def test_the_blend_is_not_sure_when_the_place_decided_against_the_model() -> None:
    bodies = ("dishub", "provinsi", "dlh")
    scores = {0: (0.6, ["lampu penerangan jalan"]), 1: (2.0, ["Jalan Raya Anyer"])}
    margins = {"dishub": 1.5, "provinsi": -0.8, "dlh": -1.2}
    ranked, sure = blend_with_places(scores, margins, {("dishub", "provinsi")}, bodies, BLEND)
    assert bodies[ranked[0][0]] == "provinsi"
    assert not sure
    agreed = {"dishub": -0.9, "provinsi": 1.5, "dlh": -1.2}
    ranked, sure = blend_with_places(scores, agreed, {("dishub", "provinsi")}, bodies, BLEND)
    assert bodies[ranked[0][0]] == "provinsi"
    assert sure
