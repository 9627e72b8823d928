"""The board's GET filters: parsed, checked, and refused politely when they make no sense.

Every value must be one the board offers (an OPD id of the catalogue, a kecamatan or
kelurahan of the city, a status, a month as YYYY-MM, a page number); anything else is a
`BadRequest` with a message in Indonesian, never a database error. Unknown parameters
are ignored (links from elsewhere carry their own).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flows.monthly import month_bounds, month_label
from flows.report import CLOSED, Status
from flows.rules import Rules
from storage.public import ReportFilter

MAX_VALUE = 100
"""The longest filter value accepted (names and ids are far shorter)."""
MAX_PAGE = 1000
OPEN = "terbuka"
"""The status filter for every report not decided yet."""
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class BadRequest(ValueError):
    """A request the board cannot answer; the message is for people (Indonesian)."""


@dataclass(frozen=True)
class Filters:
    """The filters as given (for the form and links), and as a storage filter."""

    opd: str = ""
    kecamatan: str = ""
    kelurahan: str = ""
    status: str = ""
    bulan: str = ""
    page: int = 1

    def given(self) -> dict[str, str]:
        """Every filter (empty when not given), page excluded: for the form."""
        return {
            "opd": self.opd,
            "kecamatan": self.kecamatan,
            "kelurahan": self.kelurahan,
            "status": self.status,
            "bulan": self.bulan,
        }

    def query(self) -> dict[str, str]:
        """The non-empty filters, for links (page excluded)."""
        return {key: value for key, value in self.given().items() if value}


def value_of(query: Mapping[str, str], key: str) -> str:
    """A parameter's value, stripped; BadRequest when it is absurdly long."""
    value = query.get(key, "").strip()
    if len(value) > MAX_VALUE:
        raise BadRequest(f"Nilai '{key}' terlalu panjang.")
    return value


def parse_page(query: Mapping[str, str], key: str = "halaman") -> int:
    """A 1-based page number (default 1)."""
    raw = value_of(query, key)
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdecimal() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"Halaman harus angka 1 sampai {MAX_PAGE}.")
    return int(raw)


def parse_filters(query: Mapping[str, str], rules: Rules) -> Filters:
    """The board's filters from a query string; BadRequest for a value it does not offer."""
    opd, kecamatan, kelurahan, status, bulan = (
        value_of(query, key) for key in ("opd", "kecamatan", "kelurahan", "status", "bulan")
    )
    if opd and opd not in {body.id for body in rules.catalogue.bodies}:
        raise BadRequest("OPD itu tidak kami kenal. Pilih dari daftar.")
    places = rules.places
    if kecamatan and places.kecamatan_named(kecamatan) is None:
        raise BadRequest("Kecamatan itu tidak ada di daftar kota ini.")
    if kelurahan:
        home = places.kecamatan_of(kelurahan)
        if home is None or (kecamatan and home.name != kecamatan):
            raise BadRequest("Kelurahan itu tidak ada di daftar (atau bukan di kecamatan itu).")
    if status and status != OPEN and status not in {s.value for s in Status}:
        raise BadRequest("Status itu tidak dikenal. Pilih dari daftar.")
    if bulan:
        parse_month(bulan)
    return Filters(opd, kecamatan, kelurahan, status, bulan, parse_page(query))


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of `YYYY-MM`; BadRequest otherwise."""
    found = _MONTH.fullmatch(text)
    if found is None or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise BadRequest("Bulan harus berbentuk TTTT-BB, misalnya 2026-03.")
    return int(found[1]), int(found[2])


def report_filter(filters: Filters, tz: ZoneInfo) -> ReportFilter:
    """The storage filter of the board's filters."""
    statuses: tuple[Status, ...] = ()
    if filters.status == OPEN:
        statuses = tuple(s for s in Status if s not in CLOSED)
    elif filters.status:
        statuses = (Status(filters.status),)
    start: datetime | None = None
    end: datetime | None = None
    if filters.bulan:
        start, end = month_bounds(*parse_month(filters.bulan), tz)
    return ReportFilter(
        body=filters.opd or None,
        kecamatan=filters.kecamatan or None,
        kelurahan=filters.kelurahan or None,
        statuses=statuses,
        filed_from=start,
        filed_before=end,
    )


def month_options(months: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """(value, label) of the months a filter offers, newest first."""
    return [(f"{y:04d}-{m:02d}", month_label(y, m)) for y, m in reversed(months)]
