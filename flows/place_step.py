"""The place step: where the problem is, confirmed with one tap when the story or a pin
tells, else asked with Telegram's one-tap location button (or typed, or picked from the
lists of KECAMATAN and KELURAHAN).

A kelurahan named word for word in the story, or the kelurahan centre nearest to a pin
(when the places data has centres), is proposed: `place_confirmed` stays False until she
says "Ya, benar". A pin is checked first: impossible coordinates are refused, and a pin
outside the city's boundary (when the data has one) gets a question at the place step
(OUTSIDE_CITY); sent at another step, it is kept with a note saying so. Kept, it is
flagged on the officers' card (computed from the pin, `flows.card`).
"""

from __future__ import annotations

from datetime import datetime

from rapidfuzz import utils

from flows import place_texts, texts
from flows.buttons import Choice, button
from flows.effects import Keyboard, Notice, Reply
from flows.keyboard_texts import PICK_PLACE_LABEL, SHARE_LOCATION_LABEL
from flows.navigation import ASK, Outcome, answered, goto, with_draft
from flows.rules import Rules
from flows.state import Conversation, Draft, Step

_YES_WORDS = ("ya", "benar", "ya benar", "betul", "lanjut", "sudah", "selesai")


def ask_place(conv: Conversation, rules: Rules) -> Reply:
    """PLACE: the proposed place with its one-tap confirmation, or the question where."""
    draft, m = conv.draft, conv.menu
    assert draft is not None
    if draft.kelurahan and draft.kecamatan:
        outside = rules.places.city if draft.outside_city else None
        text = place_texts.confirm_place(
            draft.kelurahan,
            draft.kecamatan,
            has_pin=draft.latitude is not None,
            address=draft.address,
            outside=outside,
        )
        choices = ((button(place_texts.CONFIRM_PLACE, m, "yes"),),)
        other = ((button(place_texts.OTHER_PLACE, m, "other"),),)
        return Reply(text, (*choices, *other))
    return Reply(place_texts.ask_place(draft.latitude is not None), keyboard=Keyboard.LOCATION)


def ask_outside_city(conv: Conversation, rules: Rules) -> Reply:
    m = conv.menu
    return Reply(
        place_texts.ask_outside_city(rules.places.city),
        (
            (button(place_texts.KEEP_OUTSIDE, m, "keep"),),
            (button(place_texts.OTHER_PIN, m, "other"),),
        ),
    )


def choose_place(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """PLACE: the proposed place is right, or she chooses another from the lists."""
    if choice.action == "yes" and conv.draft is not None and conv.draft.kelurahan:
        return answered(with_draft(conv, place_confirmed=True), Step.PLACE)
    if choice.action == "other":
        unset = with_draft(conv, kecamatan=None, kelurahan=None, place_confirmed=False)
        return goto(unset, Step.KECAMATAN)
    return conv, [Notice(texts.invalid_button())]


def choose_outside_city(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """OUTSIDE_CITY: keep the pin (flagged), or send another."""
    if choice.action == "keep":
        return answered(with_draft(conv, outside_city=True), Step.OUTSIDE_CITY)
    if choice.action == "other":
        return goto(with_draft(conv, latitude=None, longitude=None, outside_city=False), Step.PLACE)
    return conv, [Notice(texts.invalid_button())]


def text_place(conv: Conversation, text: str, rules: Rules) -> Outcome:
    """PLACE, typed: the list, a yes, a kelurahan or kecamatan, or an address."""
    draft = conv.draft
    assert draft is not None
    typed = utils.default_process(text)
    if typed == utils.default_process(PICK_PLACE_LABEL):
        return goto(with_draft(conv, kelurahan=None, place_confirmed=False), Step.KECAMATAN)
    if typed == utils.default_process(SHARE_LOCATION_LABEL):
        return conv, [Reply(place_texts.location_by_menu()), ASK]
    if draft.kelurahan and typed in _YES_WORDS:
        return answered(with_draft(conv, place_confirmed=True), Step.PLACE)
    places = rules.places
    kelurahan = places.match_kelurahan(text)
    if kelurahan is not None:
        owner = places.kecamatan_of(kelurahan)
        assert owner is not None
        return with_draft(conv, kecamatan=owner.name, kelurahan=kelurahan), [ASK]
    kecamatan = places.match_kecamatan(text)
    if kecamatan is not None:
        picked = with_draft(conv, kecamatan=kecamatan.name, kelurahan=None)
        return goto(picked, Step.KELURAHAN)
    if not draft.kelurahan:
        return conv, [Reply(place_texts.place_unknown()), ASK]
    if len(text) > rules.max_address:
        return conv, [Reply(texts.address_too_long(rules.max_address))]
    return with_draft(conv, address=text), [ASK]


def place_from_story(draft: Draft, rules: Rules) -> Draft:
    """The draft with the kelurahan its story names proposed, if no place is set yet."""
    if draft.kelurahan:
        return draft
    kelurahan = rules.places.kelurahan_in(draft.description)
    owner = rules.places.kecamatan_of(kelurahan) if kelurahan else None
    if owner is None:
        return draft
    return draft.model_copy(
        update={"kecamatan": owner.name, "kelurahan": kelurahan, "place_confirmed": False}
    )


def on_pin(conv: Conversation, latitude: float, longitude: float, rules: Rules) -> Outcome:
    """A plausible pin: kept, checked against the boundary, and proposing the nearest
    kelurahan when the place is still open (the caller refused impossible pins)."""
    draft = conv.draft
    assert draft is not None
    point = (latitude, longitude)
    outside = rules.places.inside_city(point) is False
    conv = with_draft(conv, latitude=latitude, longitude=longitude, outside_city=outside)
    at_place = conv.step is Step.PLACE
    near = rules.places.kelurahan_near(point)
    if near is not None and (at_place or not draft.place_confirmed):
        owner = rules.places.kecamatan_of(near)
        assert owner is not None
        conv = with_draft(conv, kecamatan=owner.name, kelurahan=near, place_confirmed=False)
    if at_place and outside:
        return goto(with_draft(conv, outside_city=False), Step.OUTSIDE_CITY)
    if at_place or conv.step is Step.PLACE_DETAIL:
        return conv, [ASK]
    if outside:
        return conv, [Reply(place_texts.pin_outside_noted(rules.places.city)), ASK]
    return conv, [Reply(texts.location_saved()), ASK]
