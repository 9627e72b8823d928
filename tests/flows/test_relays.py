"""Residents' messages to officers: what a release sends within the room left."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from flows.relays import Release, plan_release, room_left


@dataclass(frozen=True)
class Message:
    id: int
    text: str
    photo: str | None = None


T1, T2, T3 = Message(1, "satu"), Message(2, "dua"), Message(3, "tiga")
P4, P5 = Message(4, "", "AgAC-4"), Message(5, "lihat ini", "AgAC-5")


@pytest.mark.parametrize(
    ("held", "room", "release"),
    [
        pytest.param([], 5, Release(), id="nothing-held"),
        pytest.param([T1], 1, Release((1,), ("satu",)), id="one-text"),
        pytest.param(
            [T1, T2, T3], 1, Release((1, 2, 3), ("satu", "dua", "tiga")), id="texts-share-one"
        ),
        pytest.param([T1, T2], 0, Release(), id="no-room"),
        pytest.param([P4, P5], 1, Release((4,), (), (("AgAC-4", ""),)), id="one-photo-per-room"),
        pytest.param(
            [T1, P4, T2, P5],
            3,
            Release((1, 4, 2, 5), ("satu", "dua"), (("AgAC-4", ""), ("AgAC-5", "lihat ini"))),
            id="texts-and-photos",
        ),
        pytest.param([T1, P4, T2], 1, Release((1,), ("satu",)), id="order-kept-photo-waits"),
        pytest.param(
            [P4, T1], 1, Release((4,), (), (("AgAC-4", ""),)), id="text-after-photo-waits"
        ),
    ],
)
def test_plan_release(held: list[Message], room: int, release: Release) -> None:
    planned = plan_release(held, room)
    assert planned == release
    assert planned.messages <= room


@pytest.mark.parametrize(
    ("sent", "limit", "room"),
    [
        pytest.param(0, 6, 6, id="fresh"),
        pytest.param(6, 6, 0, id="full"),
        pytest.param(9, 6, 0, id="over"),
    ],
)
def test_room_left(sent: int, limit: int, room: int) -> None:
    assert room_left(sent, limit) == room
