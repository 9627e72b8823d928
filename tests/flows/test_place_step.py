"""The short conversation as a table: the place step (a place the story names or a pin
proposes, confirmed with one tap; the one-tap location button; pins outside the city or
impossible), the kader's way in from the story's question, and answers to presses shown
in the pressed message."""

from __future__ import annotations

import math
from typing import Any

import pytest

from flows import Step
from flows.card import officer_card
from flows.city_pack import load_city_pack
from flows.effects import Effect, Keyboard, Reply
from flows.events import Command, Event, Location, Press, Text
from flows.keyboard_texts import PICK_PLACE_LABEL, SHARE_LOCATION_LABEL
from flows.rules import Rules
from flows.state import Conversation
from tests.flows.helpers import READY, at, button_data, run, texts_of
from tests.flows.test_filing import DRAFT, stored

OPEN: dict[str, Any] = {**READY, "kecamatan": None, "kelurahan": None, "place_confirmed": False}
PROPOSED: dict[str, Any] = {**READY, "place_confirmed": False}  # Kel. Rawa Arum, Kec. Grogol
JAKARTA = Location(-6.2, 106.8)
IN_GROGOL = Location(-6.0153, 106.0512)
CONTOH = Rules.for_city(load_city_pack("contoh"))


def replies(effects: list[Effect]) -> list[Reply]:
    return [e for e in effects if isinstance(e, Reply)]


# (start, event, expected step, a text the reply contains, expected draft fields)
PLACES = [
    pytest.param(
        at(Step.PLACE, **PROPOSED),
        Press("5:yes"),
        Step.PRIVACY,
        "identitas pelapor",
        {"place_confirmed": True, "kelurahan": "Rawa Arum"},
        id="proposal-confirmed-with-one-tap",
    ),
    pytest.param(
        at(Step.PLACE, **PROPOSED),
        Text("ya"),
        Step.PRIVACY,
        "identitas pelapor",
        {"place_confirmed": True},
        id="proposal-confirmed-typed",
    ),
    pytest.param(
        at(Step.PLACE, **PROPOSED),
        Press("5:other"),
        Step.KECAMATAN,
        "kecamatan",
        {"kelurahan": None, "place_confirmed": False},
        id="proposal-wrong-opens-the-lists",
    ),
    pytest.param(
        at(Step.PLACE, **OPEN),
        Text(PICK_PLACE_LABEL),
        Step.KECAMATAN,
        "kecamatan",
        {},
        id="reply-keyboard-list-button",
    ),
    pytest.param(
        at(Step.PLACE, **OPEN),
        Text("deringo"),
        Step.PLACE,
        "Kel. Dringo, Kec. Citangkil",
        {"kelurahan": "Dringo", "kecamatan": "Citangkil", "place_confirmed": False},
        id="typed-kelurahan-proposed",
    ),
    pytest.param(
        at(Step.PLACE, **OPEN),
        Text("pulo merak"),
        Step.KELURAHAN,
        "Kecamatan Pulomerak",
        {"kecamatan": "Pulomerak"},
        id="typed-kecamatan-asks-its-kelurahan",
    ),
    pytest.param(
        at(Step.PLACE, **OPEN),
        Text("xyz qwerty"),
        Step.PLACE,
        "tidak saya kenali",
        {"kelurahan": None},
        id="typed-unknown-place",
    ),
    pytest.param(
        at(Step.PLACE, **PROPOSED),
        Text("depan masjid Al-Ikhlas, RT 02"),
        Step.PLACE,
        "Alamat/patokan: depan masjid",
        {"address": "depan masjid Al-Ikhlas, RT 02", "place_confirmed": False},
        id="typed-address-kept-with-the-proposal",
    ),
    pytest.param(
        at(Step.PLACE, **OPEN),
        Text(SHARE_LOCATION_LABEL),
        Step.PLACE,
        "📎 → Lokasi",
        {"latitude": None},
        id="location-button-label-as-text",
    ),
    pytest.param(
        at(Step.PLACE, **OPEN),
        IN_GROGOL,
        Step.PLACE,
        "Titik lokasi sudah saya simpan",
        {"latitude": -6.0153, "outside_city": False, "kelurahan": None},
        id="pin-inside-cilegon-checked-not-placed",
    ),
    pytest.param(
        at(Step.PLACE, **OPEN),
        JAKARTA,
        Step.OUTSIDE_CITY,
        "Lokasi ini di luar Kota Cilegon, tetap kirim?",
        {"latitude": -6.2, "outside_city": False},
        id="pin-outside-asks",
    ),
    pytest.param(
        at(Step.OUTSIDE_CITY, **{**PROPOSED, "latitude": -6.2, "longitude": 106.8}),
        Press("5:keep"),
        Step.PLACE,
        "(di luar Kota Cilegon)",
        {"outside_city": True, "latitude": -6.2},
        id="pin-outside-kept-flagged",
    ),
    pytest.param(
        at(Step.OUTSIDE_CITY, **{**OPEN, "latitude": -6.2, "longitude": 106.8}),
        Press("5:other"),
        Step.PLACE,
        SHARE_LOCATION_LABEL,
        {"outside_city": False, "latitude": None},
        id="pin-outside-replaced",
    ),
    pytest.param(
        at(Step.DESCRIPTION, **{**OPEN, "description": ""}),
        JAKARTA,
        Step.DESCRIPTION,
        "di luar Kota Cilegon",
        {"outside_city": True, "latitude": -6.2},
        id="pin-outside-while-telling-the-story-noted",
    ),
    pytest.param(
        at(Step.BODY, **{**OPEN, "body": None}, proposed=("dpupr",), confident=True),
        Press("5:body:dpupr"),
        Step.PLACE,
        SHARE_LOCATION_LABEL,
        {"body": "dpupr"},
        id="no-place-known-asks-with-the-location-button",
    ),
]


@pytest.mark.parametrize(("start", "event", "expected", "says", "fields"), PLACES)
def test_place_step(
    start: Conversation, event: Event, expected: Step, says: str, fields: dict[str, Any]
) -> None:
    conv, effects = run(start, event)
    assert conv.step is expected
    assert says in texts_of(effects)
    assert conv.draft is not None
    for name, value in fields.items():
        assert getattr(conv.draft, name) == value, name


@pytest.mark.parametrize(
    "pin",
    [
        pytest.param(Location(0.0, 0.0), id="null-island"),
        pytest.param(Location(math.nan, 106.0), id="nan"),
        pytest.param(Location(-6.0, 200.0), id="out-of-range"),
    ],
)
def test_impossible_pins_are_refused_politely(pin: Location) -> None:
    start = at(Step.PLACE, **OPEN)
    conv, effects = run(start, pin)
    assert conv.step is Step.PLACE and conv.draft == start.draft
    assert "tidak mungkin benar" in texts_of(effects)


def test_the_open_place_question_offers_the_one_tap_location_button() -> None:
    _, effects = run(at(Step.BODY, **{**OPEN, "body": None}), Press("5:body:triage"))
    (question,) = replies(effects)
    assert question.keyboard is Keyboard.LOCATION and question.buttons == ()


def test_a_story_naming_its_kelurahan_proposes_it() -> None:
    story = {**OPEN, "description": "Got mampet di Kepuh, bau sekali kalau hujan", "body": None}
    conv, _ = run(at(Step.DESCRIPTION, **story), Press("5:next"))
    assert conv.draft is not None
    assert (conv.draft.kecamatan, conv.draft.kelurahan) == ("Ciwandan", "Kepuh")
    assert not conv.draft.place_confirmed
    conv, effects = run(conv, Press(f"{conv.menu}:body:triage"))
    assert conv.step is Step.PLACE and "Kel. Kepuh, Kec. Ciwandan" in texts_of(effects)
    assert {d.split(":")[1] for d in button_data(effects)} == {"yes", "other"}


def test_a_pin_proposes_the_nearest_kelurahan_where_the_data_has_centres() -> None:
    start = at(Step.PLACE, **{**OPEN, "kecamatan": None})
    conv, effects = run(start, Location(-7.079, 110.049), rules=CONTOH)
    assert conv.step is Step.PLACE and conv.draft is not None
    assert (conv.draft.kecamatan, conv.draft.kelurahan) == ("Pesisir Damai", "Karang Baru")
    assert "Kel. Karang Baru" in texts_of(effects) and not conv.draft.place_confirmed


def test_a_kelurahan_never_confirmed_is_asked_before_sending() -> None:
    conv, effects = run(at(Step.SUMMARY, **PROPOSED), Press("5:send"))
    assert conv.step is Step.PLACE and "Lokasinya di" in texts_of(effects)


def test_the_story_question_lets_a_kader_in_and_a_story_closes_that_door() -> None:
    conv, effects = run(at(Step.IDLE), Command("lapor"))
    assert conv.step is Step.DESCRIPTION and button_data(effects) == [f"{conv.menu}:kader"]
    conv, effects = run(conv, Text("Sampah numpuk di TPS sudah seminggu"))
    assert all(not d.endswith(":kader") for d in button_data(effects))


# --- answers to presses shown in the pressed message ----------------------------------


def test_the_next_question_replaces_the_pressed_message() -> None:
    _, effects = run(at(Step.PLACE, **PROPOSED), Press("5:yes", message_id=77))
    (question,) = replies(effects)
    assert "identitas pelapor" in question.text and question.replace == 77


@pytest.mark.parametrize(
    ("start", "event"),
    [
        pytest.param(
            at(Step.BODY, **{**OPEN, "body": None}),
            Press("5:body:triage", message_id=77),
            id="a-question-with-a-reply-keyboard-comes-new",
        ),
        pytest.param(at(Step.IDLE), Press("g:lapor", message_id=77), id="the-welcome-stays"),
        pytest.param(
            at(Step.CONSENT, **{**READY, "for_neighbour": True, "neighbour_name": "Pak Darto"}),
            Press("5:no", message_id=77),
            id="an-answer-that-is-no-question-comes-new",
        ),
        pytest.param(at(Step.PLACE, **PROPOSED), Text("ya"), id="typed-answers-come-new"),
        pytest.param(at(Step.PLACE, **PROPOSED), Press("5:yes"), id="without-the-pressed-message"),
    ],
)
def test_other_answers_come_as_new_messages(start: Conversation, event: Event) -> None:
    _, effects = run(start, event)
    assert replies(effects) and all(r.replace is None for r in replies(effects))


def test_a_stale_press_changes_nothing_and_edits_nothing() -> None:
    start = at(Step.PLACE, **PROPOSED)
    conv, effects = run(start, Press("4:yes", message_id=70))
    assert conv.draft == start.draft and replies(effects) == []


# --- the officers' card -----------------------------------------------------------------


def test_the_card_flags_a_pin_outside_the_city() -> None:
    outside = stored(DRAFT.model_copy(update={"latitude": -6.2, "longitude": 106.8}))
    inside = stored(DRAFT.model_copy(update={"latitude": -6.0153, "longitude": 106.0512}))
    no_pin = stored(DRAFT.model_copy(update={"latitude": None, "longitude": None}))
    rules = Rules()
    flag = "⚠️ Titik lokasi di luar Kota Cilegon (batas wilayah perkiraan)"
    assert flag in officer_card(outside, rules)
    assert "di luar" not in officer_card(inside, rules)
    assert "di luar" not in officer_card(no_pin, rules)
