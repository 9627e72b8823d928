"""Typed answers and attachments: names, phone numbers, the story, places, photos, pins."""

from __future__ import annotations

from rapidfuzz import fuzz, utils

from flows import place_texts, texts
from flows.buttons import Choice, parse_choice
from flows.effects import Effect, Keyboard, Reply
from flows.events import Contact, Photo
from flows.geo import plausible_pin
from flows.navigation import (
    ASK,
    Advance,
    Ask,
    Outcome,
    answered,
    goto,
    is_skip,
    reprompt,
    with_draft,
)
from flows.place_step import on_pin
from flows.prompts import description_ok, start_button
from flows.rules import Rules
from flows.state import Conversation, KaderProfile, Step
from flows.validation import clean_name, clean_text, normalize_phone

_TYPED_CHOICE_CUTOFF = 85.0
_DONE_WORDS = ("lanjut", "selesai", "sudah")  # typed instead of pressing "Lanjut"


def typed_choice(question: Reply, text: str) -> Choice | None:
    """The button of `question` whose label the typed text clearly names."""
    query = utils.default_process(text)
    if len(query) < 2:
        return None
    scored: list[tuple[float, Choice]] = []
    for row in question.buttons:
        for item in row:
            choice = parse_choice(item.data)
            label = utils.default_process(item.label)
            if choice is not None and label:
                scored.append((_label_score(query, label), choice))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if not scored or scored[0][0] < _TYPED_CHOICE_CUTOFF:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def _label_score(query: str, label: str) -> float:
    """How clearly a typed answer names a button: whole label, its start, one of its
    words, or the whole label with a typo (never a fragment of a word: "ya" ≠ "yang")."""
    if query == label:
        return 100.0
    if label.startswith(query + " "):
        return 95.0
    if query in label.split():
        return 90.0
    return fuzz.ratio(query, label)


def text_kader_name(conv: Conversation, text: str, rules: Rules) -> Outcome:
    name = clean_name(text)
    if name is None:
        return conv, [Reply(texts.name_invalid())]
    phone = conv.kader.phone if conv.kader else None
    conv = conv.model_copy(update={"kader": KaderProfile(name=name, phone=phone)})
    return answered(with_draft(conv, reporter_name=name), Step.KADER_NAME)


def text_neighbour_name(conv: Conversation, text: str, rules: Rules) -> Outcome:
    name = clean_name(text)
    if name is None:
        return conv, [Reply(texts.name_invalid())]
    return answered(with_draft(conv, neighbour_name=name), Step.NEIGHBOUR_NAME)


def text_phone(conv: Conversation, text: str, rules: Rules) -> Outcome:
    """KADER_PHONE, NEIGHBOUR_PHONE and CONTACT: a typed number, or "lewati"."""
    if is_skip(text):
        ack: list[Effect | Ask | Advance] = [Reply(texts.skipped(), keyboard=Keyboard.REMOVE)]
        if conv.step is Step.NEIGHBOUR_PHONE:
            ack = []
        conv, more = answered(conv, conv.step)
        return conv, ack + more
    phone = normalize_phone(text)
    if phone is None:
        return conv, [Reply(texts.phone_invalid())]
    return _take_phone(conv, phone, rules)


def _take_phone(conv: Conversation, phone: str, rules: Rules) -> Outcome:
    """Store a phone number given in a phone step, and move on."""
    if conv.step is Step.NEIGHBOUR_PHONE:
        return answered(with_draft(conv, neighbour_phone=phone), Step.NEIGHBOUR_PHONE)
    if conv.step is Step.KADER_PHONE and conv.kader is not None:
        conv = conv.model_copy(update={"kader": conv.kader.model_copy(update={"phone": phone})})
    done = conv.step
    conv, more = answered(with_draft(conv, phone=phone), done)
    return conv, [Reply(texts.contact_saved(), keyboard=Keyboard.REMOVE), *more]


def text_description(conv: Conversation, text: str, rules: Rules) -> Outcome:
    conv, error = _append_description(conv, text, rules)
    return conv, [error or _description_status(conv, rules)]


def _append_description(
    conv: Conversation, text: str, rules: Rules
) -> tuple[Conversation, Reply | None]:
    """Add text to the description; a reply explaining the limit when it does not fit."""
    draft = conv.draft
    assert draft is not None
    joined = f"{draft.description}\n{text}" if draft.description else text
    if len(joined) > rules.max_description:
        return conv, Reply(texts.too_long(rules.max_description, len(draft.description)))
    return with_draft(conv, description=joined), None


append_description = _append_description  # captions of other evidence (evidence_intake)


def _description_status(conv: Conversation, rules: Rules) -> Reply | Ask:
    """ "Lanjut" once the description is long enough, else ask for a sentence."""
    assert conv.draft is not None
    if description_ok(conv.draft.description, rules):
        return ASK
    return Reply(texts.description_too_short())


def text_kecamatan(conv: Conversation, text: str, rules: Rules) -> Outcome:
    kecamatan = rules.places.match_kecamatan(text)
    if kecamatan is not None:
        conv = with_draft(conv, kecamatan=kecamatan.name, kelurahan=None, place_confirmed=False)
        return answered(conv, Step.KECAMATAN)
    return text_kelurahan(conv, text, rules)


def text_kelurahan(conv: Conversation, text: str, rules: Rules) -> Outcome:
    assert conv.draft is not None
    places = rules.places
    current = places.kecamatan_named(conv.draft.kecamatan or "")
    kelurahan = places.match_kelurahan(text, current) if current else None
    kelurahan = kelurahan or places.match_kelurahan(text)
    if kelurahan is not None:
        owner = places.kecamatan_of(kelurahan)
        assert owner is not None
        conv = with_draft(conv, kecamatan=owner.name, kelurahan=kelurahan, place_confirmed=True)
        return answered(conv, Step.KELURAHAN)
    kecamatan = places.match_kecamatan(text)
    if kecamatan is not None:
        return goto(with_draft(conv, kecamatan=kecamatan.name, kelurahan=None), Step.KELURAHAN)
    return conv, [Reply(texts.place_not_found()), ASK]


def text_address(conv: Conversation, text: str, rules: Rules) -> Outcome:
    if is_skip(text) or utils.default_process(text) in _DONE_WORDS:
        return answered(conv, Step.PLACE_DETAIL)
    if len(text) > rules.max_address:
        return conv, [Reply(texts.address_too_long(rules.max_address))]
    conv = with_draft(conv, address=text)
    return conv, [ASK]


# --- attachments ---------------------------------------------------------------------


def on_photo(conv: Conversation, photo: Photo, rules: Rules) -> Outcome:
    draft = conv.draft
    if draft is None:
        return conv, [Reply(texts.idle_attachment(), start_button())]
    if len(draft.photos) >= rules.max_photos:
        return conv, [Reply(texts.too_many_photos(rules.max_photos)), *reprompt(conv)]
    conv = with_draft(conv, photos=(*draft.photos, photo.file_id))
    effects: list[Effect | Ask | Advance] = []
    caption = clean_text(photo.caption)
    if caption:
        conv, error = _append_description(conv, caption, rules)
        effects += [error] if error else []
    assert conv.draft is not None
    if conv.step is Step.DESCRIPTION:
        if description_ok(conv.draft.description, rules):
            return conv, [*effects, ASK]
        return conv, [*effects, Reply(texts.photo_needs_text())]
    count = len(conv.draft.photos)
    return conv, [*effects, Reply(texts.photo_added(count)), *reprompt(conv)]


def on_location(conv: Conversation, latitude: float, longitude: float, rules: Rules) -> Outcome:
    if conv.draft is None:
        return conv, [Reply(texts.idle_attachment(), start_button())]
    if not plausible_pin(latitude, longitude):
        return conv, [Reply(place_texts.pin_impossible())]
    return on_pin(conv, latitude, longitude, rules)


def on_contact(conv: Conversation, contact: Contact, rules: Rules) -> Outcome:
    if conv.draft is None:
        return conv, [Reply(texts.idle_attachment(), start_button())]
    phone = normalize_phone(contact.phone)
    if phone is None:
        return conv, [Reply(texts.phone_invalid())]
    if conv.step is Step.NEIGHBOUR_PHONE:
        return _take_phone(conv, phone, rules)
    if not contact.is_own:
        return conv, [Reply(texts.contact_not_own()), *reprompt(conv)]
    if conv.step in (Step.KADER_PHONE, Step.CONTACT):
        return _take_phone(conv, phone, rules)
    conv = with_draft(conv, phone=phone)
    return conv, [Reply(texts.contact_saved()), *reprompt(conv)]
