"""What each button of each question does (presses, and typed text naming a button)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flows import texts
from flows.buttons import Choice, is_number
from flows.codes import parse_code
from flows.effects import FileReport, FindSimilar, Keyboard, Notice, Reply, Support
from flows.errors import UnknownBodyError
from flows.navigation import (
    PART_STARTS,
    Result,
    advance,
    clear,
    goto,
    missing_step,
    with_draft,
)
from flows.prompts import description_ok
from flows.report import TRIAGE, Privacy
from flows.rules import Rules
from flows.state import Conversation, Draft, Step


def on_choice(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    handler = _CHOICES.get(conv.step)
    if handler is None:
        return conv, [Notice(texts.invalid_button())]
    return handler(conv, choice, now, rules)


def _choose_role(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
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
    return advance(conv, Step.ROLE, rules)


def _choose_neighbour_phone(
    conv: Conversation, choice: Choice, now: datetime, rules: Rules
) -> Result:
    if choice.action != "skip":
        return conv, [Notice(texts.invalid_button())]
    return advance(with_draft(conv, neighbour_phone=None), Step.NEIGHBOUR_PHONE, rules)


def _choose_consent(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    if choice.action == "yes":
        return advance(with_draft(conv, consent=True), Step.CONSENT, rules)
    name = (conv.draft.neighbour_name if conv.draft else None) or "warga"
    return with_draft(conv, consent=False), [Reply(texts.consent_needed(name))]


def _choose_next(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    assert conv.draft is not None
    if choice.action != "next":
        return conv, [Notice(texts.invalid_button())]
    if conv.step is Step.DESCRIPTION:
        if not description_ok(conv.draft.description, rules):
            return conv, [Reply(texts.description_too_short())]
        conv = _classified(conv, rules)
    return advance(conv, conv.step, rules)


def _classified(conv: Conversation, rules: Rules) -> Conversation:
    """The draft with the classifier's proposal for its (final) description."""
    assert conv.draft is not None
    result = rules.classifier.classify(conv.draft.description)
    proposed = tuple(candidate.body_id for candidate in result.candidates[:3])
    return with_draft(
        conv, proposed=proposed, confident=result.confident, kind=result.kind, body=None
    )


def _choose_body(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    """BODY and BODY_LIST: a body, "tidak tahu", the full list, or back."""
    if choice.action == "list":
        return goto(conv, Step.BODY_LIST, rules)
    if choice.action == "back":
        return goto(conv, Step.BODY, rules)
    if choice.action != "body":
        return conv, [Notice(texts.invalid_button())]
    if choice.value == TRIAGE:
        return advance(with_draft(conv, body=TRIAGE), Step.BODY, rules)
    try:
        body = rules.catalogue.body(choice.value)
    except UnknownBodyError:
        return conv, [Notice(texts.invalid_button())]
    conv = with_draft(conv, body=body.id)
    if body.outside:
        return goto(conv, Step.OUTSIDE, rules)
    return advance(conv, Step.BODY, rules)


def _choose_outside(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    """An outside body was chosen: record anyway, choose another, or cancel."""
    if choice.action == "keep":
        return advance(conv, Step.BODY, rules)
    if choice.action == "list":
        return goto(with_draft(conv, body=None), Step.BODY_LIST, rules)
    if choice.action == "cancel":
        return clear(conv), [Reply(texts.cancelled(), keyboard=Keyboard.REMOVE)]
    return conv, [Notice(texts.invalid_button())]


def _choose_kind(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    if choice.action != "kind" or choice.value not in {k.id for k in rules.catalogue.kinds}:
        return conv, [Notice(texts.invalid_button())]
    return advance(with_draft(conv, kind=choice.value), Step.KIND, rules)


def _choose_similar(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    """Support one of the similar open reports, or file the draft anyway."""
    draft = conv.draft
    assert draft is not None
    if choice.action == "new":
        return clear(conv), [FileReport(draft)]
    code = parse_code(choice.value) if choice.action == "sup" else None
    if code is None or not any(line.startswith(code) for line in draft.similar):
        return conv, [Notice(texts.invalid_button())]
    return clear(conv), [Support(code)]


def _choose_kecamatan(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    index = int(choice.value) if is_number(choice.value) else -1
    if choice.action != "kec" or not 0 <= index < len(rules.places.kecamatan):
        return conv, [Notice(texts.invalid_button())]
    name = rules.places.kecamatan[index].name
    return advance(with_draft(conv, kecamatan=name, kelurahan=None), Step.KECAMATAN, rules)


def _choose_kelurahan(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    assert conv.draft is not None
    if choice.action == "back":
        return goto(conv, Step.KECAMATAN, rules)
    kecamatan = rules.places.kecamatan_named(conv.draft.kecamatan or "")
    index = int(choice.value) if is_number(choice.value) else -1
    if choice.action != "kel" or kecamatan is None or not 0 <= index < len(kecamatan.kelurahan):
        return conv, [Notice(texts.invalid_button())]
    return advance(with_draft(conv, kelurahan=kecamatan.kelurahan[index]), Step.KELURAHAN, rules)


def _choose_privacy(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    if choice.action != "priv" or choice.value not in {p.value for p in Privacy}:
        return conv, [Notice(texts.invalid_button())]
    return advance(with_draft(conv, privacy=Privacy(choice.value)), Step.PRIVACY, rules)


def _choose_summary(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    draft = conv.draft
    assert draft is not None
    if choice.action == "send":
        missing = missing_step(draft, rules)
        if missing is not None:
            return goto(conv, missing, rules, editing=True)
        if not draft.similar_checked:
            return conv, [FindSimilar(draft)]
        return clear(conv), [FileReport(draft)]
    if choice.action == "edit":
        return goto(conv, Step.EDIT_MENU, rules)
    if choice.action == "cancel":
        return clear(conv), [Reply(texts.cancelled(), keyboard=Keyboard.REMOVE)]
    return conv, [Notice(texts.invalid_button())]


def _choose_part(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    if choice.action == "back":
        return goto(conv, Step.SUMMARY, rules)
    target = PART_STARTS.get(choice.value) if choice.action == "part" else None
    if target is None:
        return conv, [Notice(texts.invalid_button())]
    if target is Step.DESCRIPTION:
        conv = with_draft(conv, description="")
    return goto(conv, target, rules, editing=True)


def _choose_discard(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Result:
    if choice.action == "discard":
        fresh = clear(conv)
        return goto(fresh, Step.ROLE, rules, draft=Draft(started_at=now))
    if choice.action == "keep":
        return goto(conv, conv.paused or Step.ROLE, rules, paused=None)
    return conv, [Notice(texts.invalid_button())]


_CHOICES: dict[Step, Callable[[Conversation, Choice, datetime, Rules], Result]] = {
    Step.ROLE: _choose_role,
    Step.NEIGHBOUR_PHONE: _choose_neighbour_phone,
    Step.CONSENT: _choose_consent,
    Step.DESCRIPTION: _choose_next,
    Step.BODY: _choose_body,
    Step.BODY_LIST: _choose_body,
    Step.OUTSIDE: _choose_outside,
    Step.KIND: _choose_kind,
    Step.KECAMATAN: _choose_kecamatan,
    Step.KELURAHAN: _choose_kelurahan,
    Step.PLACE_DETAIL: _choose_next,
    Step.PRIVACY: _choose_privacy,
    Step.SUMMARY: _choose_summary,
    Step.SIMILAR: _choose_similar,
    Step.EDIT_MENU: _choose_part,
    Step.DISCARD: _choose_discard,
}
