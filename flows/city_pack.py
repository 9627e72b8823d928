"""Reading a city pack: a built-in one (`flows/data/<name>/`) or a folder, checked whole.

Theory of operation: `load_city_pack` reads the pack's files as text (the only I/O here,
as `load_catalogue` does for the catalogue alone) and `build_city_pack` turns the texts
into a `CityPack`, collecting every problem it finds. Any problem stops start-up with one
`CityPackError` that names the pack, the file and the key or line, so an operator can fix
a pack without reading code.

    city.toml     required   name, kota/kabupaten, province, time zone, Ombudsman office
    bodies.toml   required   the routing catalogue (see flows/data/cilegon/bodies.toml)
    places.toml   required   kecamatan and kelurahan
    lexicon.toml  optional   local words, merged over the shared flows/data/lexicon.toml
    examples.tsv  optional   labelled complaints (body, kind, text) for the learned layer
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from flows.catalogue import Catalogue, CatalogueError, parse_catalogue
from flows.city import City, CityPack
from flows.city_schema import CityFile, PlacesFile, catalogue_problems, describe, merge_lexicon
from flows.errors import FlowError
from flows.labelled_examples import LabelledExample, parse_examples
from flows.normalize import Lexicon, default_lexicon
from flows.places import Places

__all__ = [
    "DEFAULT_PACK",
    "CityPackError",
    "build_city_pack",
    "built_in_packs",
    "load_city_pack",
]

DEFAULT_PACK = "cilegon"
"""The pack used when the configuration names none."""

REQUIRED_FILES = ("city.toml", "bodies.toml", "places.toml")
OPTIONAL_FILES = ("lexicon.toml", "examples.tsv")


T = TypeVar("T")


class CityPackError(FlowError, ValueError):
    """A city pack is missing, or one of its files is unreadable or invalid."""


def built_in_packs() -> tuple[str, ...]:
    """Names of the packs shipped in `flows/data/` (folders with a city.toml)."""
    data = resources.files("flows").joinpath("data")
    return tuple(
        sorted(d.name for d in data.iterdir() if d.is_dir() and d.joinpath("city.toml").is_file())
    )


def load_city_pack(source: str | Path = DEFAULT_PACK, places: Path | None = None) -> CityPack:
    """Read and check a pack: a built-in name ("cilegon") or a folder's path; `places`
    replaces the pack's places.toml.

    >>> load_city_pack().city.name
    'Kota Cilegon'
    """
    folder = _folder(source)
    texts: dict[str, str | None] = {}
    for name in REQUIRED_FILES + OPTIONAL_FILES:
        file: Traversable = places if name == "places.toml" and places else folder.joinpath(name)
        if not file.is_file():
            if name in REQUIRED_FILES:
                raise CityPackError(
                    f"city pack {source}: {file} is missing "
                    f"(a pack needs {', '.join(REQUIRED_FILES)})"
                )
            texts[name] = None
            continue
        try:
            texts[name] = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CityPackError(f"city pack {source}: cannot read {file}: {exc}") from exc
    return build_city_pack(texts, f"{source} (places: {places})" if places else str(source))


def _folder(source: str | Path) -> Traversable:
    """The built-in pack of that name, else the folder at that path."""
    if isinstance(source, str) and source in built_in_packs():
        return resources.files("flows").joinpath("data", source)
    path = Path(source)
    if not path.is_dir():
        raise CityPackError(
            f"city pack {source}: not a folder, nor a built-in pack ({', '.join(built_in_packs())})"
        )
    return path


def build_city_pack(texts: Mapping[str, str | None], source: str) -> CityPack:
    """The pack from its files' texts (None: an optional file left out); pure."""
    problems: list[str] = []
    city = _checked(texts, "city.toml", problems, _city)
    catalogue = _checked(texts, "bodies.toml", problems, _catalogue)
    name = city.name if city else None
    places = _checked(texts, "places.toml", problems, lambda data: _places(data, name))
    lexicon = default_lexicon()
    if texts.get("lexicon.toml") is not None:
        lexicon = _checked(texts, "lexicon.toml", problems, _lexicon) or lexicon
    examples: tuple[LabelledExample, ...] = ()
    if catalogue is not None and texts.get("examples.tsv") is not None:
        examples, wrong = parse_examples(texts.get("examples.tsv") or "", catalogue)
        problems += [f"examples.tsv: {line}" for line in wrong]
    if problems or city is None or catalogue is None or places is None:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise CityPackError(f"city pack {source} is invalid:\n{lines}")
    return CityPack(source, city, catalogue, places, lexicon, examples)


def _checked(
    texts: Mapping[str, str | None],
    name: str,
    problems: list[str],
    build: Callable[[dict[str, Any]], T],
) -> T | None:
    """`build` over one file's parsed TOML; its problems go to `problems`, prefixed."""
    try:
        data = tomllib.loads(texts.get(name) or "")
        return build(data)
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{name}: not valid TOML: {exc}")
    except ValidationError as exc:
        problems += [f"{name}: {line}" for line in describe(exc)]
    except _Problems as exc:
        problems += [f"{name}: {line}" for line in exc.lines]
    except (CatalogueError, ValueError) as exc:
        problems.append(f"{name}: {exc}")
    return None


class _Problems(Exception):
    """Several problems in one file."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


def _city(data: dict[str, Any]) -> City:
    return CityFile.model_validate(data).city()


def _catalogue(data: dict[str, Any]) -> Catalogue:
    catalogue = parse_catalogue(data)
    problems = catalogue_problems(catalogue)
    if problems:
        raise _Problems(problems)
    return catalogue


def _places(data: dict[str, Any], city: str | None) -> Places:
    places = PlacesFile.model_validate(data)
    problems = places.problems(city)
    if problems:
        raise _Problems(problems)
    return places.places(city or "")


def _lexicon(data: dict[str, Any]) -> Lexicon:
    return merge_lexicon(default_lexicon(), data)
