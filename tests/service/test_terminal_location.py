"""The terminal's stand-in for the one-tap location button: a typed pin."""

from __future__ import annotations

import math

import pytest

from flows.events import Location
from service.terminal import location_typed


@pytest.mark.parametrize(
    ("line", "pin"),
    [
        pytest.param("-6.01, 106.05", (-6.01, 106.05), id="comma"),
        pytest.param("  -6.01 106.05\n", (-6.01, 106.05), id="space"),
    ],
)
def test_a_typed_pin(line: str, pin: tuple[float, float]) -> None:
    assert location_typed(line) == Location(*pin)


@pytest.mark.parametrize("line", ["", "di depan masjid", "-6.01", "1, 2, 3"])
def test_an_unreadable_pin_is_an_impossible_one(line: str) -> None:
    typed = location_typed(line)
    assert math.isnan(typed.latitude) and math.isnan(typed.longitude)
