"""The outbox payload's keyboard is the flows `Keyboard` enum, stored as its value, and
payloads written before it was an enum read back the same."""

from __future__ import annotations

import json

import pytest

from flows.effects import Button, Keyboard, Reply
from service.outgoing import Outgoing, from_reply


@pytest.mark.parametrize("keyboard", list(Keyboard), ids=[k.value for k in Keyboard])
def test_keyboard_round_trips_as_its_value(keyboard: Keyboard) -> None:
    out = Outgoing(text="Halo", keyboard=keyboard)
    stored = json.loads(out.to_json())
    assert stored.get("keyboard", "keep") == keyboard.value
    assert Outgoing.from_json(out.to_json()).keyboard is keyboard


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param('{"text": "Terima kasih"}', Keyboard.KEEP, id="no-keyboard-is-keep"),
        pytest.param('{"text": "Kode", "keyboard": "remove"}', Keyboard.REMOVE, id="remove"),
        pytest.param('{"text": "Nomor?", "keyboard": "contact"}', Keyboard.CONTACT, id="contact"),
        pytest.param(
            '{"text": "Catatan", "keyboard": "force_reply"}', Keyboard.FORCE_REPLY, id="force"
        ),
    ],
)
def test_payloads_written_as_strings_still_read(raw: str, expected: Keyboard) -> None:
    assert Outgoing.from_json(raw).keyboard is expected


def test_a_reply_keeps_its_keyboard_in_the_outbox() -> None:
    reply = Reply("Bagikan nomor", ((Button("Lewati", "3:skip"),),), keyboard=Keyboard.CONTACT)
    assert from_reply(reply) == Outgoing(
        text="Bagikan nomor", buttons=((("Lewati", "3:skip"),),), keyboard=Keyboard.CONTACT
    )
