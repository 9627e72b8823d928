"""Pins and the city's boundary: plausible coordinates, point in polygon, the nearest
kelurahan centre. Pure arithmetic on (latitude, longitude) pairs in degrees."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

Point = tuple[float, float]
"""(latitude, longitude) in degrees."""


def plausible_pin(latitude: float, longitude: float) -> bool:
    """A point a phone could really send: finite, in range, and not 0,0 (the point an
    unset location defaults to, in the Gulf of Guinea)."""
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90.0 <= latitude <= 90.0
        and -180.0 <= longitude <= 180.0
        and (latitude, longitude) != (0.0, 0.0)
    )


def inside(point: Point, polygon: Sequence[Point]) -> bool:
    """Whether `point` lies inside `polygon` (its corners in order; ray casting, even-odd).
    A city is small enough for degrees to be treated as plane coordinates."""
    lat, lon = point
    found = False
    corners = len(polygon)
    for i in range(corners):
        (lat1, lon1), (lat2, lon2) = polygon[i], polygon[(i + 1) % corners]
        if (lat1 > lat) != (lat2 > lat):
            crossing = lon1 + (lat - lat1) * (lon2 - lon1) / (lat2 - lat1)
            if lon < crossing:
                found = not found
    return found


def distance_km(a: Point, b: Point) -> float:
    """Distance on the Earth's surface (equirectangular; exact enough within a city)."""
    mean = math.radians((a[0] + b[0]) / 2)
    dlat = math.radians(b[0] - a[0])
    dlon = math.radians(b[1] - a[1]) * math.cos(mean)
    return 6371.0 * math.hypot(dlat, dlon)


def nearest(point: Point, centres: Mapping[str, Point]) -> str | None:
    """The name whose centre is nearest to `point` (None without centres)."""
    if not centres:
        return None
    return min(centres, key=lambda name: distance_km(point, centres[name]))
