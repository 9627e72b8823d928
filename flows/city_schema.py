"""What the files of a city pack must hold, checked before anything uses them.

`city.toml` and `places.toml` are pydantic models (unknown keys are errors, so typos
never pass silently); the catalogue keeps its own parser (`flows/catalogue.py`) and gets
the checks that span files here; a city's `lexicon.toml` may only hold the keys of the
shared lexicon. Every problem becomes one line naming the file and the key.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import fields
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from flows.catalogue import Catalogue
from flows.city import City, Level, OmbudsmanOffice
from flows.geo import inside, plausible_pin
from flows.normalize import Lexicon
from flows.places import Kecamatan, Places
from flows.report import TRIAGE

__all__ = ["CityFile", "PlacesFile", "catalogue_problems", "describe", "merge_lexicon"]

BODY_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
"""Body ids travel in button data (64 bytes at most) and are stored with every report."""


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OmbudsmanOfficeTable(_File):
    """`[ombudsman_office]` of `city.toml`: the office's channels, each optional."""

    name: str = Field(min_length=1)
    address: str = ""
    phone: str = Field(default="", pattern=r"^[0-9 +()-]*$")
    whatsapp: str = Field(default="", pattern=r"^[0-9 +()-]*$")
    email: str = Field(default="", pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")
    website: str = ""
    confirmed: bool = False

    def office(self) -> OmbudsmanOffice:
        """As flows uses it."""
        return OmbudsmanOffice(**self.model_dump())


class CityFile(_File):
    """`city.toml`."""

    name: str = Field(min_length=1)
    level: Level
    province: str = Field(min_length=1)
    timezone: str
    ombudsman: str = Field(min_length=1)
    example: bool = False
    ombudsman_office: OmbudsmanOfficeTable | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    def city(self) -> City:
        """The validated facts as flows uses them."""
        office = None if self.ombudsman_office is None else self.ombudsman_office.office()
        return City(
            self.name,
            self.level,
            self.province,
            self.timezone,
            self.ombudsman,
            self.example,
            office,
        )


class KecamatanEntry(_File):
    """One `[[kecamatan]]` of `places.toml`."""

    name: str = Field(min_length=1)
    kelurahan: list[str] = Field(min_length=1)
    aliases: list[str] = []


class BoundaryEntry(_File):
    """`[boundary]` of `places.toml`: the city's outline as [latitude, longitude] corners
    in order; `approximate` says it was drawn by hand, `source` where it comes from."""

    approximate: bool
    source: str = Field(min_length=1)
    points: list[tuple[float, float]] = Field(min_length=3)


class PlacesFile(_File):
    """`places.toml`: kecamatan with their kelurahan, other spellings of kelurahan, and
    optionally the city's boundary and the kelurahan centres (`flows.geo`)."""

    city: str | None = None
    kecamatan: list[KecamatanEntry] = Field(min_length=1)
    kelurahan_aliases: dict[str, list[str]] = {}
    boundary: BoundaryEntry | None = None
    kelurahan_centres: dict[str, tuple[float, float]] = {}

    def problems(self, city: str | None) -> list[str]:
        """What is wrong across entries (duplicates, aliases of unknown kelurahan) and
        against the name in city.toml (None: not known)."""
        found: list[str] = []
        if self.city is not None and city is not None and self.city != city:
            found.append(f"city {self.city!r} is not the city.toml name {city!r}")
        names = Counter(k.name.casefold() for k in self.kecamatan)
        found += [f"kecamatan {name!r} is listed twice" for name, n in names.items() if n > 1]
        owners: dict[str, list[str]] = {}
        for kecamatan in self.kecamatan:
            for kelurahan in kecamatan.kelurahan:
                owners.setdefault(kelurahan.casefold(), []).append(kecamatan.name)
        found += [
            # A typed kelurahan name must tell the bot its kecamatan.
            f"kelurahan {name!r} is listed more than once (in {', '.join(where)}); "
            "names must be unique in the city"
            for name, where in owners.items()
            if len(where) > 1
        ]
        found += [
            f"kelurahan_aliases: {name!r} is not a kelurahan of any kecamatan"
            for name in self.kelurahan_aliases
            if name.casefold() not in owners
        ]
        return found + self._map_problems(owners)

    def _map_problems(self, owners: dict[str, list[str]]) -> list[str]:
        """Impossible corners or centres, centres of unknown kelurahan or outside the city."""
        corners = self.boundary.points if self.boundary else []
        found = [
            f"boundary: corner {lat}, {lon} is not a real point"
            for lat, lon in corners
            if not plausible_pin(lat, lon)
        ]
        for name, (lat, lon) in self.kelurahan_centres.items():
            if name.casefold() not in owners:
                found.append(f"kelurahan_centres: {name!r} is not a kelurahan of any kecamatan")
            elif not plausible_pin(lat, lon):
                found.append(f"kelurahan_centres: {name!r} is not a real point")
            elif len(corners) >= 3 and not inside((lat, lon), corners):
                found.append(f"kelurahan_centres: {name!r} lies outside the boundary")
        return found

    def places(self, city: str) -> Places:
        """The validated places of the city named `city`, as flows uses them."""
        kecamatan = tuple(
            Kecamatan(k.name, tuple(k.kelurahan), tuple(k.aliases)) for k in self.kecamatan
        )
        aliases = {name: tuple(names) for name, names in self.kelurahan_aliases.items()}
        boundary = self.boundary
        return Places(
            city,
            kecamatan,
            aliases,
            tuple(boundary.points) if boundary else (),
            boundary.approximate if boundary else False,
            dict(self.kelurahan_centres),
        )


def catalogue_problems(catalogue: Catalogue) -> list[str]:
    """Checks of `bodies.toml` beyond its parser: ids and the names on buttons."""
    found = [
        f"body id {body.id!r} must be 1-32 lowercase letters, digits or _, starting with a letter"
        for body in catalogue.bodies
        if not BODY_ID.match(body.id)
    ]
    if any(body.id == TRIAGE for body in catalogue.bodies):
        found.append(f"body id {TRIAGE!r} is reserved for the central triage queue")
    shorts = Counter(body.short_name.casefold() for body in catalogue.bodies)
    found += [
        f"short_name {name!r} is used by more than one body (residents choose by it)"
        for name, n in shorts.items()
        if n > 1
    ]
    if not catalogue.city_bodies():
        found.append("every body is outside = true; the city needs at least one of its own")
    return found


def merge_lexicon(shared: Lexicon, data: Mapping[str, Any]) -> Lexicon:
    """The shared lexicon with a city's additions (its words win); raises ValueError."""
    known = {f.name: getattr(shared, f.name) for f in fields(Lexicon)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ValueError(f"unknown key {key!r} (known: {', '.join(sorted(known))})")
        if isinstance(known[key], Mapping):
            changes[key] = {**known[key], **_words(key, value)}
        else:
            changes[key] = known[key] | frozenset(_string_list(key, value))
    return Lexicon(**{**known, **changes})


def _words(key: str, value: Any) -> dict[str, tuple[str, ...]]:
    """A `[words]` table: each word rewritten as one or more words."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.split() for k, v in value.items()
    ):
        raise ValueError(f'{key} must be a table of word = "replacement words"')
    return {word: tuple(text.split()) for word, text in value.items()}


def _string_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings")
    return value


def describe(exc: ValidationError) -> list[str]:
    """One line per pydantic error: `key.path: what is wrong`."""
    return [
        f"{'.'.join(str(part) for part in error['loc']) or '(file)'}: {error['msg']}"
        for error in exc.errors()
    ]
