"""Kecamatan and kelurahan of the city, and matching what residents type to them.

The list is data (`data/<city>/places.toml`); typed names are matched with rapidfuzz
so that "gerogol", "deringo" or "pulo merak" find their place. The same file may give
the city's boundary (a polygon, perhaps approximate) and kelurahan centres: a pin is
then checked against the boundary and proposes the nearest kelurahan (`flows.geo`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from flows.geo import Point, inside, nearest

_CUTOFF = 80.0


@dataclass(frozen=True)
class Kecamatan:
    """A kecamatan and its kelurahan, in the official order."""

    name: str
    kelurahan: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Places:
    """All kecamatan of one city, with fuzzy lookup of typed names."""

    city: str
    kecamatan: tuple[Kecamatan, ...]
    kelurahan_aliases: dict[str, tuple[str, ...]]
    boundary: tuple[Point, ...] = ()  # the city's outline; empty: not known
    boundary_approximate: bool = False
    centres: dict[str, Point] = field(default_factory=dict)  # kelurahan -> its centre

    def inside_city(self, point: Point) -> bool | None:
        """Whether a point lies within the city's boundary (None: no boundary known)."""
        return inside(point, self.boundary) if len(self.boundary) >= 3 else None

    def kelurahan_near(self, point: Point) -> str | None:
        """The kelurahan whose centre is nearest to a point inside the city (None
        without centres, or outside the boundary)."""
        if self.inside_city(point) is False:
            return None
        return nearest(point, self.centres)

    def kelurahan_in(self, story: str) -> str | None:
        """The one kelurahan a story names word for word (official name or alias);
        None when it names none, or several."""
        words = f" {utils.default_process(story)} "
        found = {
            name
            for kecamatan in self.kecamatan
            for name in kecamatan.kelurahan
            for spelling in (name, *self.kelurahan_aliases.get(name, ()))
            if f" {utils.default_process(spelling)} " in words
        }
        return found.pop() if len(found) == 1 else None

    def kecamatan_named(self, name: str) -> Kecamatan | None:
        """The kecamatan with exactly this official name."""
        return next((k for k in self.kecamatan if k.name == name), None)

    def kecamatan_of(self, kelurahan: str) -> Kecamatan | None:
        """The kecamatan a kelurahan belongs to."""
        return next((k for k in self.kecamatan if kelurahan in k.kelurahan), None)

    def match_kecamatan(self, typed: str) -> Kecamatan | None:
        """The kecamatan a typed name most likely means, or None when unsure."""
        choices = {k.name: k.name for k in self.kecamatan}
        choices.update({alias: k.name for k in self.kecamatan for alias in k.aliases})
        found = _best(typed, choices)
        return self.kecamatan_named(found) if found else None

    def match_kelurahan(self, typed: str, within: Kecamatan | None = None) -> str | None:
        """The kelurahan a typed name most likely means (optionally within one kecamatan)."""
        pool = (
            within.kelurahan if within else tuple(k for kc in self.kecamatan for k in kc.kelurahan)
        )
        choices = {name: name for name in pool}
        for name in pool:
            choices.update({alias: name for alias in self.kelurahan_aliases.get(name, ())})
        return _best(typed, choices)


def _best(typed: str, choices: dict[str, str]) -> str | None:
    """The value whose key matches `typed` best, if the match is clear."""
    query = utils.default_process(typed)
    if not query:
        return None
    keys = list(choices)
    found = process.extract(
        query, keys, scorer=fuzz.ratio, processor=utils.default_process, limit=2
    )
    if not found or found[0][1] < _CUTOFF:
        return None
    best_key, best_score, _ = found[0]
    if len(found) > 1 and choices[found[1][0]] != choices[best_key] and found[1][1] == best_score:
        return None  # a tie between two different places: ask again
    return choices[best_key]


def load_places(path: Path | None = None, city: str = "") -> Places:
    """Read a places file (the default: the packaged Cilegon list); `city` names the
    city when the file does not. A whole city pack is read by `flows.city_pack`."""
    if path is None:
        raw = resources.files("flows").joinpath("data/cilegon/places.toml").read_bytes()
    else:
        raw = path.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    kecamatan = tuple(
        Kecamatan(k["name"], tuple(k["kelurahan"]), tuple(k.get("aliases", ())))
        for k in data["kecamatan"]
    )
    aliases = {name: tuple(names) for name, names in data.get("kelurahan_aliases", {}).items()}
    boundary, approximate = boundary_of(data.get("boundary"))
    centres = {n: (float(p[0]), float(p[1])) for n, p in data.get("kelurahan_centres", {}).items()}
    return Places(data.get("city", city), kecamatan, aliases, boundary, approximate, centres)


def boundary_of(table: dict[str, Any] | None) -> tuple[tuple[Point, ...], bool]:
    """The `[boundary]` table of a places file: its points, and whether approximate."""
    if not table:
        return (), False
    points = tuple((float(lat), float(lon)) for lat, lon in table.get("points", ()))
    return points, bool(table.get("approximate", False))
