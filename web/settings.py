"""What the board runs with, handed in by `suara_warga` (which reads and validates the
configuration's `[web]` section): web/ never imports the configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© kontributor OpenStreetMap"


@dataclass(frozen=True)
class Partner:
    """An app or city web form allowed to file reports through Open311."""

    name: str  # the reporter on the officers' card when a request names none
    api_key: str
    per_hour: int = 60  # reports it may file per hour


@dataclass(frozen=True)
class WebSettings:
    """Where the board listens, its public address, the map's tiles, Open311 partners."""

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""  # without a trailing slash; "" when it has no public address
    tiles_url: str = OSM_TILES
    tiles_attribution: str = OSM_ATTRIBUTION
    partners: Mapping[str, Partner] = field(default_factory=dict)
