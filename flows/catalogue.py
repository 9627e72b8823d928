"""The routing catalogue: which bodies (OPD) a report can go to, and the kinds of problem.

The catalogue is data (`data/<city>/bodies.toml`): another city replaces the file, a
config may point to a different one. Ids are fixed because reports store them; names,
descriptions and keywords may be edited freely.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from flows.errors import FlowError, UnknownBodyError

__all__ = [
    "Body",
    "Catalogue",
    "CatalogueError",
    "Kind",
    "OutsidePlace",
    "UnknownBodyError",
    "load_catalogue",
    "parse_catalogue",
]


DEFAULT_CATALOGUE = "data/cilegon/bodies.toml"
"""The packaged catalogue, relative to the `flows` package."""

FALLBACK_KIND = "lainnya"
"""The kind given when nothing in a report names a kind of problem."""


class CatalogueError(FlowError, ValueError):
    """The catalogue file is malformed."""


@dataclass(frozen=True)
class Body:
    """A body a report can be routed to; `outside` ones are not the city's authority."""

    id: str
    name: str
    short_name: str
    description: str
    keywords: tuple[str, ...]
    acronyms: tuple[str, ...] = ()
    outside: bool = False
    contact: str | None = None
    strong_keywords: tuple[str, ...] = ()
    weak_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """A kind of problem (a form of maladministration, a broken facility, a question)."""

    id: str
    label: str
    keywords: tuple[str, ...]
    strong_keywords: tuple[str, ...] = ()
    weak_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutsidePlace:
    """A road or site in the city under another body's authority ("Jalan Raya Merak").

    When a report names it, the evidence for the city bodies in `takes_over` (roads,
    street lights) goes to `body` instead. `unconfirmed` marks data nobody has checked
    with the authority yet: officers may edit it.
    """

    id: str
    name: str
    names: tuple[str, ...]
    body: str
    takes_over: tuple[str, ...]
    authority: str = ""
    unconfirmed: bool = False


@dataclass(frozen=True)
class Catalogue:
    """All bodies and kinds of one city, in file order.

    `neutral` phrases name no body although they contain keywords (place names such as
    "Kebon Dalem", idioms such as "siang bolong"); the classifier skips them.
    """

    bodies: tuple[Body, ...]
    kinds: tuple[Kind, ...]
    neutral: tuple[str, ...] = ()
    outside_places: tuple[OutsidePlace, ...] = ()
    kind_precedence: tuple[str, ...] = ()
    """Kind ids in the order the labelling guide applies its rules (the first that fits
    wins); kinds not listed come after, in file order."""

    def body(self, body_id: str) -> Body:
        """The body with this id; raises `UnknownBodyError` if there is none."""
        for body in self.bodies:
            if body.id == body_id:
                return body
        raise UnknownBodyError(body_id)

    def kind(self, kind_id: str) -> Kind:
        """The kind with this id; raises `KeyError` if there is none."""
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    def city_bodies(self) -> tuple[Body, ...]:
        """Bodies within the city's authority."""
        return tuple(body for body in self.bodies if not body.outside)

    def outside_bodies(self) -> tuple[Body, ...]:
        """Bodies outside the city's authority (the resident is told where to go)."""
        return tuple(body for body in self.bodies if body.outside)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read a catalogue file; the default is the packaged Cilegon catalogue."""
    if path is None:
        raw = resources.files("flows").joinpath(DEFAULT_CATALOGUE).read_bytes()
    else:
        raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        return parse_catalogue(data)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"catalogue {path or DEFAULT_CATALOGUE}: {exc}") from exc


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    """Build a catalogue from the parsed TOML: tables `bodies`, `kinds`, `outside_places`,
    arrays `neutral` and `kind_precedence`."""
    try:
        bodies = tuple(_body(key, table) for key, table in data["bodies"].items())
        neutral = _strings(data.get("neutral", ()))
        kinds = tuple(
            Kind(
                key,
                table["label"],
                _strings(table.get("keywords", ())),
                _strings(table.get("strong_keywords", ())),
                _strings(table.get("weak_keywords", ())),
            )
            for key, table in data.get("kinds", {}).items()
        )
        places = tuple(_place(key, table) for key, table in data.get("outside_places", {}).items())
        precedence = _strings(data.get("kind_precedence", ()))
    except (KeyError, TypeError, AttributeError) as exc:
        raise CatalogueError(f"catalogue entry is missing or wrong: {exc!r}") from exc
    if not bodies:
        raise CatalogueError("catalogue has no bodies")
    if FALLBACK_KIND not in {kind.id for kind in kinds}:
        kinds += (Kind(FALLBACK_KIND, "Lainnya", ()),)
    for body in bodies:
        if body.outside and not body.contact:
            raise CatalogueError(f"outside body {body.id!r} needs a contact")
    ids = {body.id for body in bodies}
    for place in places:
        unknown = ({place.body} | set(place.takes_over)) - ids
        if unknown:
            raise CatalogueError(f"outside place {place.id!r} names unknown bodies {unknown}")
    unknown_kinds = set(precedence) - {kind.id for kind in kinds}
    if unknown_kinds:
        raise CatalogueError(f"kind_precedence names unknown kinds {sorted(unknown_kinds)}")
    return Catalogue(bodies, kinds, neutral, places, precedence)


def _body(key: str, table: dict[str, Any]) -> Body:
    """One `[bodies.<id>]` table."""
    contact = table.get("contact")
    return Body(
        id=key,
        name=str(table["name"]),
        short_name=str(table.get("short_name", table["name"])),
        description=str(table.get("description", "")),
        keywords=_strings(table.get("keywords", ())),
        acronyms=_strings(table.get("acronyms", ())),
        outside=bool(table.get("outside", False)),
        contact=str(contact) if contact is not None else None,
        strong_keywords=_strings(table.get("strong_keywords", ())),
        weak_keywords=_strings(table.get("weak_keywords", ())),
    )


def _place(key: str, table: dict[str, Any]) -> OutsidePlace:
    """One `[outside_places.<id>]` table."""
    return OutsidePlace(
        id=key,
        name=str(table["name"]),
        names=_strings(table["names"]),
        body=str(table["body"]),
        takes_over=_strings(table.get("takes_over", ())),
        authority=str(table.get("authority", "")),
        unconfirmed=bool(table.get("unconfirmed", False)),
    )


def _strings(values: Any) -> tuple[str, ...]:
    """A TOML array of strings as a tuple; anything else is an error."""
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"expected a list of strings, got {values!r}")
    return tuple(values)
