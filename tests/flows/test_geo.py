"""Pins against the city's map: plausible points, the boundary, the nearest kelurahan."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from flows.city_pack import CityPackError, load_city_pack
from flows.geo import distance_km, inside, nearest, plausible_pin
from flows.places import load_places
from tests.flows.test_city_pack import copy_pack, edit

SQUARE = ((0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0))


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [
        pytest.param(-6.0153, 106.0512, True, id="cilegon"),
        pytest.param(0.0, 0.0, False, id="null-island"),
        pytest.param(91.0, 106.0, False, id="latitude-out-of-range"),
        pytest.param(-6.0, 181.0, False, id="longitude-out-of-range"),
        pytest.param(math.nan, 106.0, False, id="nan"),
        pytest.param(-6.0, math.inf, False, id="infinite"),
        pytest.param(0.0, 106.0, True, id="equator-is-real"),
    ],
)
def test_plausible_pins(lat: float, lon: float, ok: bool) -> None:
    assert plausible_pin(lat, lon) is ok


def test_point_in_polygon() -> None:
    assert inside((0.5, 0.5), SQUARE)
    assert not inside((1.5, 0.5), SQUARE)
    assert not inside((0.5, -0.1), SQUARE)
    concave = ((0.0, 0.0), (0.0, 2.0), (2.0, 2.0), (2.0, 1.5), (0.5, 1.0), (2.0, 0.5), (2.0, 0.0))
    assert inside((0.25, 1.0), concave) and not inside((1.5, 1.0), concave)


def test_nearest_centre() -> None:
    centres = {"A": (-7.02, 110.02), "B": (-7.08, 110.08)}
    assert nearest((-7.03, 110.03), centres) == "A"
    assert nearest((-7.07, 110.09), centres) == "B"
    assert nearest((0.0, 0.0), {}) is None
    assert 6.0 < distance_km((-7.02, 110.02), (-7.08, 110.02)) < 7.0


def test_cilegon_has_an_approximate_boundary_and_no_centres() -> None:
    places = load_places()
    assert places.boundary_approximate and len(places.boundary) >= 3
    assert places.inside_city((-6.0153, 106.0512)) is True  # Grogol
    assert places.inside_city((-6.1200, 106.1500)) is False  # Kota Serang
    assert places.kelurahan_near((-6.0153, 106.0512)) is None  # no centres: checked only


def test_example_pack_proposes_the_nearest_kelurahan() -> None:
    places = load_city_pack("contoh").places
    assert places.kelurahan_near((-7.079, 110.049)) == "Karang Baru"
    assert places.kelurahan_near((-6.5, 110.05)) is None  # outside its boundary


@pytest.mark.parametrize(
    ("story", "kelurahan"),
    [
        pytest.param("Jalan rusak di Ketileng sudah lama", "Ketileng", id="named"),
        pytest.param("got mampet di deringo rt 3", "Dringo", id="alias"),
        pytest.param("jalan berlubang di dringo dan ketileng", None, id="two-places"),
        pytest.param("lampu pju mati gelap gulita", None, id="none"),
        pytest.param("sampah di Ketilengan numpuk", None, id="part-of-a-word"),
    ],
)
def test_kelurahan_named_in_a_story(story: str, kelurahan: str | None) -> None:
    assert load_places().kelurahan_in(story) == kelurahan


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        pytest.param(
            "[-7.00, 110.00], [-7.00, 110.10]",
            "[0.0, 0.0], [-7.00, 110.10]",
            "is not a real point",
            id="impossible-corner",
        ),
        pytest.param(
            "'Sukamaju' = [-7.02, 110.02]",
            "'Sukamaju' = [-6.50, 110.02]",
            "'Sukamaju' lies outside the boundary",
            id="centre-outside",
        ),
        pytest.param(
            "'Sukamaju' = [",
            "'Sukamukti' = [",
            "'Sukamukti' is not a kelurahan",
            id="centre-of-unknown-kelurahan",
        ),
        pytest.param("approximate = true\n", "", "approximate", id="approximate-must-be-said"),
        pytest.param(", [-7.10, 110.10], [-7.10, 110.00]]", "]", "points", id="two-corners"),
    ],
)
def test_a_bad_map_is_refused(tmp_path: Path, old: str, new: str, says: str) -> None:
    folder = copy_pack("contoh", tmp_path)
    edit(folder, "places.toml", old, new)
    with pytest.raises(CityPackError, match=says):
        load_city_pack(folder)
