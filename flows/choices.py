"""What the buttons of each question do (a press, or typed text naming a button).

Each function handles the buttons of one step (see the table in `flows/steps.py`); it
changes the draft and returns `answered(...)` when the question is answered, `goto(...)`
for any other move, or a short answer that keeps the step open.
"""

from __future__ import annotations

from datetime import datetime

from flows import texts
from flows.buttons import Choice, is_number
from flows.codes import parse_code
from flows.effects import FileReport, FindSimilar, Keyboard, Notice, Reply, Support
from flows.errors import UnknownBodyError
from flows.navigation import (
    Outcome,
    answered,
    clear,
    goto,
    missing_step,
    new_report,
    with_draft,
)
from flows.place_step import place_from_story
from flows.prompts import description_ok
from flows.report import TRIAGE, Privacy
from flows.rules import Rules
from flows.state import Conversation, Step


def choose_role(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    if choice.action == "self":
        conv = with_draft(
            conv,
            for_neighbour=False,
            reporter_name=None,
            neighbour_name=None,
            neighbour_phone=None,
            consent=False,
        )
    elif choice.action == "kader":
        assert conv.draft is not None
        kader = conv.kader
        conv = with_draft(
            conv,
            for_neighbour=True,
            reporter_name=kader.name if kader else None,
            phone=(kader.phone if kader else None) or conv.draft.phone,
        )
    else:
        return conv, [Notice(texts.invalid_button())]
    return answered(conv, Step.ROLE)


def choose_neighbour_phone(
    conv: Conversation, choice: Choice, now: datetime, rules: Rules
) -> Outcome:
    if choice.action != "skip":
        return conv, [Notice(texts.invalid_button())]
    return answered(with_draft(conv, neighbour_phone=None), Step.NEIGHBOUR_PHONE)


def choose_consent(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    if choice.action == "yes":
        return answered(with_draft(conv, consent=True), Step.CONSENT)
    name = (conv.draft.neighbour_name if conv.draft else None) or texts.SOMEONE
    return with_draft(conv, consent=False), [Reply(texts.consent_needed(name))]


def choose_next(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    assert conv.draft is not None
    if choice.action == "kader" and conv.step is Step.DESCRIPTION:
        return choose_role(conv, choice, now, rules)  # the story's question: "Saya kader"
    if choice.action != "next":
        return conv, [Notice(texts.invalid_button())]
    if conv.step is Step.DESCRIPTION:
        if not description_ok(conv.draft.description, rules):
            return conv, [Reply(texts.description_too_short())]
        conv = _classified(conv, rules)
    return answered(conv, conv.step)


def _classified(conv: Conversation, rules: Rules) -> Conversation:
    """The draft with the classifier's proposal for its (final) description."""
    assert conv.draft is not None
    result = rules.classifier.classify(conv.draft.description)
    proposed = tuple(candidate.body_id for candidate in result.candidates[:3])
    conv = with_draft(
        conv, proposed=proposed, confident=result.confident, kind=result.kind, body=None
    )
    assert conv.draft is not None
    return conv.model_copy(update={"draft": place_from_story(conv.draft, rules)})


def choose_body(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """BODY and BODY_LIST: a body, "tidak tahu", the full list, or back."""
    if choice.action == "list":
        return goto(conv, Step.BODY_LIST)
    if choice.action == "back":
        return goto(conv, Step.BODY)
    if choice.action != "body":
        return conv, [Notice(texts.invalid_button())]
    if choice.value == TRIAGE:
        return answered(with_draft(conv, body=TRIAGE), conv.step)
    try:
        body = rules.catalogue.body(choice.value)
    except UnknownBodyError:
        return conv, [Notice(texts.invalid_button())]
    conv = with_draft(conv, body=body.id)
    if body.outside:
        return goto(conv, Step.OUTSIDE)
    return answered(conv, conv.step)


def choose_outside(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """An outside body was chosen: record anyway, choose another, or cancel."""
    if choice.action == "keep":
        return answered(conv, Step.OUTSIDE)
    if choice.action == "list":
        return goto(with_draft(conv, body=None), Step.BODY_LIST)
    if choice.action == "cancel":
        return clear(conv), [Reply(texts.cancelled(), keyboard=Keyboard.REMOVE)]
    return conv, [Notice(texts.invalid_button())]


def choose_kind(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    if choice.action != "kind" or choice.value not in {k.id for k in rules.catalogue.kinds}:
        return conv, [Notice(texts.invalid_button())]
    return answered(with_draft(conv, kind=choice.value), Step.KIND)


def choose_similar(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """Support one of the similar open reports, or file the draft anyway."""
    draft = conv.draft
    assert draft is not None
    if choice.action == "new":
        return clear(conv), [FileReport(draft)]
    code = parse_code(choice.value) if choice.action == "sup" else None
    if code is None or not any(line.startswith(code) for line in draft.similar):
        return conv, [Notice(texts.invalid_button())]
    return clear(conv), [Support(code)]


def choose_kecamatan(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    index = int(choice.value) if is_number(choice.value) else -1
    if choice.action != "kec" or not 0 <= index < len(rules.places.kecamatan):
        return conv, [Notice(texts.invalid_button())]
    name = rules.places.kecamatan[index].name
    conv = with_draft(conv, kecamatan=name, kelurahan=None, place_confirmed=False)
    return answered(conv, Step.KECAMATAN)


def choose_kelurahan(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    assert conv.draft is not None
    if choice.action == "back":
        return goto(conv, Step.KECAMATAN)
    kecamatan = rules.places.kecamatan_named(conv.draft.kecamatan or "")
    index = int(choice.value) if is_number(choice.value) else -1
    if choice.action != "kel" or kecamatan is None or not 0 <= index < len(kecamatan.kelurahan):
        return conv, [Notice(texts.invalid_button())]
    chosen = with_draft(conv, kelurahan=kecamatan.kelurahan[index], place_confirmed=True)
    return answered(chosen, Step.KELURAHAN)


def choose_privacy(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    if choice.action != "priv" or choice.value not in {p.value for p in Privacy}:
        return conv, [Notice(texts.invalid_button())]
    return answered(with_draft(conv, privacy=Privacy(choice.value)), Step.PRIVACY)


def choose_summary(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    draft = conv.draft
    assert draft is not None
    if choice.action == "send":
        missing = missing_step(draft, rules)
        if missing is not None:
            return goto(conv, missing, editing=True)
        if not draft.similar_checked:
            return conv, [FindSimilar(draft)]
        return clear(conv), [FileReport(draft)]
    if choice.action == "edit":
        return goto(conv, Step.EDIT_MENU)
    if choice.action == "cancel":
        return clear(conv), [Reply(texts.cancelled(), keyboard=Keyboard.REMOVE)]
    return conv, [Notice(texts.invalid_button())]


def choose_discard(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    if choice.action == "discard":
        return new_report(clear(conv), now)
    if choice.action == "keep":
        return goto(conv, conv.paused or Step.ROLE, paused=None)
    return conv, [Notice(texts.invalid_button())]
