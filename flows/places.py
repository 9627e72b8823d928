"""Kecamatan and kelurahan of the city, and matching what residents type to them.

The list is data (`data/<city>/places.toml`); typed names are matched with rapidfuzz
so that "gerogol", "deringo" or "pulo merak" find their place.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process, utils

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
    return Places(data.get("city", city), kecamatan, aliases)
