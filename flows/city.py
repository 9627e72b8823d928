"""A city pack: everything the bot knows about one kota or kabupaten, as data.

A pack is a folder of TOML files: `city.toml` (the name residents read, kota or
kabupaten, time zone, the Ombudsman office), `bodies.toml` (the routing catalogue),
`places.toml` (kecamatan and kelurahan), an optional `lexicon.toml` of local words
merged over the shared lexicon and an optional `examples.tsv` of labelled complaints.
`flows/city_pack.py` reads and validates one; the rest of
`flows/` only sees the `CityPack` value, so no code assumes a particular city.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flows.catalogue import Catalogue
from flows.labelled_examples import LabelledExample
from flows.normalize import Lexicon
from flows.places import Places

__all__ = ["City", "CityPack", "Level", "OmbudsmanOffice"]

Level = Literal["kota", "kabupaten"]


@dataclass(frozen=True)
class OmbudsmanOffice:
    """How residents reach the Ombudsman office for the city (UU 25/2009 Pasal 40), as
    the reporter is told when her report is overdue. Empty fields are left out of
    messages; `confirmed` is False until someone checked the channels with the office.
    """

    name: str
    address: str = ""
    phone: str = ""
    whatsapp: str = ""
    email: str = ""
    website: str = ""
    confirmed: bool = False


@dataclass(frozen=True)
class City:
    """The facts about the city itself that texts and dates depend on.

    >>> City("Kota Contoh", "kota", "Contoh", "Asia/Jakarta", "Ombudsman RI ...").name
    'Kota Contoh'
    """

    name: str
    """As residents read it: "Kota Cilegon", "Kabupaten Serang"."""
    level: Level
    """"kota" or "kabupaten", in phrases such as "pemerintah kota"."""
    province: str
    timezone: str
    """The IANA zone of dates shown to people (WIB, WITA or WIT)."""
    ombudsman: str
    """Where residents may complain when the city does not answer (UU 25/2009 Pasal 40)."""
    example: bool = False
    """An example pack (made-up data), never to be deployed."""
    ombudsman_office: OmbudsmanOffice | None = None
    """Its channels, item by item (`[ombudsman_office]`); None: only `ombudsman`."""

    @property
    def ombudsman_contact(self) -> OmbudsmanOffice:
        """The Ombudsman office's channels (just its name when the pack lists none)."""
        return self.ombudsman_office or OmbudsmanOffice(self.ombudsman)


@dataclass(frozen=True)
class CityPack:
    """One city's data, read and validated together."""

    source: str
    """Where the pack came from: a built-in name ("cilegon") or a folder."""
    city: City
    catalogue: Catalogue
    places: Places
    lexicon: Lexicon
    examples: tuple[LabelledExample, ...] = ()
    """Labelled complaints (`examples.tsv`) the learned layer trains on; may be empty."""
