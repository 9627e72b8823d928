"""Moving between steps: the order of questions, and returning to the summary after an edit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, utils

from flows.effects import Effect
from flows.prompts import description_ok, prompt
from flows.rules import Rules
from flows.state import Conversation, Draft, Step

Result = tuple[Conversation, list[Effect]]

_NEXT: dict[Step, Step] = {
    Step.KADER_NAME: Step.KADER_PHONE,
    Step.KADER_PHONE: Step.NEIGHBOUR_NAME,
    Step.NEIGHBOUR_NAME: Step.NEIGHBOUR_PHONE,
    Step.NEIGHBOUR_PHONE: Step.CONSENT,
    Step.CONSENT: Step.DESCRIPTION,
    Step.DESCRIPTION: Step.BODY,
    Step.BODY: Step.KECAMATAN,
    Step.KIND: Step.SUMMARY,
    Step.KECAMATAN: Step.KELURAHAN,
    Step.KELURAHAN: Step.PLACE_DETAIL,
    Step.PLACE_DETAIL: Step.PRIVACY,
    Step.CONTACT: Step.SUMMARY,
}
_PART_ENDS = {Step.CONSENT, Step.BODY, Step.KIND, Step.PLACE_DETAIL, Step.PRIVACY, Step.CONTACT}
PART_STARTS = {
    "pelapor": Step.ROLE,
    "kejadian": Step.DESCRIPTION,
    "tujuan": Step.BODY,
    "jenis": Step.KIND,
    "lokasi": Step.KECAMATAN,
    "privasi": Step.PRIVACY,
    "kontak": Step.CONTACT,
}
_SKIP_WORDS = ("lewati", "skip", "tidak ada", "tidak usah", "nanti")


def expired(conv: Conversation, now: datetime, rules: Rules) -> bool:
    return conv.updated_at is not None and now - conv.updated_at > rules.draft_ttl


def clear(conv: Conversation) -> Conversation:
    """Back to idle, without a draft; the kader profile is kept."""
    return conv.model_copy(
        update={
            "step": Step.IDLE,
            "messaging": None,
            "draft": None,
            "editing": False,
            "paused": None,
            "menu": conv.menu + 1,
        }
    )


def with_draft(conv: Conversation, **fields: Any) -> Conversation:
    """The conversation with some draft fields changed."""
    assert conv.draft is not None
    return conv.model_copy(update={"draft": conv.draft.model_copy(update=fields)})


def goto(conv: Conversation, target: Step, rules: Rules, **changes: Any) -> Result:
    """Open the question of `target` (new menu number, so older buttons go stale)."""
    update: dict[str, Any] = {"step": target, "menu": conv.menu + 1, **changes}
    if target is Step.SUMMARY:
        update["editing"] = False
    moved = conv.model_copy(update=update)
    return moved, [prompt(moved, rules)]


def advance(conv: Conversation, done: Step, rules: Rules) -> Result:
    """Go to the step after `done`, or back to the summary when editing a part."""
    draft = conv.draft
    assert draft is not None
    ends_part = done in _PART_ENDS or (done is Step.ROLE and not draft.for_neighbour)
    if conv.editing and ends_part:
        return goto(conv, Step.SUMMARY, rules)
    if done is Step.ROLE:
        if not draft.for_neighbour:
            target = Step.DESCRIPTION
        else:
            target = Step.NEIGHBOUR_NAME if conv.kader else Step.KADER_NAME
    elif done is Step.PRIVACY:
        target = Step.SUMMARY if draft.for_neighbour else Step.CONTACT
    else:
        target = _NEXT[done]
    return goto(conv, target, rules)


def reprompt(conv: Conversation, rules: Rules) -> list[Effect]:
    """The open question again, after an interruption (nothing while idle)."""
    return [] if conv.step is Step.IDLE else [prompt(conv, rules)]


def is_skip(text: str) -> bool:
    lowered = utils.default_process(text)
    return any(lowered == word or fuzz.ratio(lowered, word) >= 85 for word in _SKIP_WORDS)


def missing_step(draft: Draft, rules: Rules) -> Step | None:
    """The first step whose required answer is missing from the draft, if any."""
    if draft.for_neighbour is None:
        return Step.ROLE
    if draft.for_neighbour and not draft.neighbour_name:
        return Step.NEIGHBOUR_NAME
    if draft.for_neighbour and not draft.consent:
        return Step.CONSENT
    if not description_ok(draft.description, rules):
        return Step.DESCRIPTION
    if draft.body is None:
        return Step.BODY
    if not draft.kecamatan:
        return Step.KECAMATAN
    if not draft.kelurahan:
        return Step.KELURAHAN
    if draft.privacy is None:
        return Step.PRIVACY
    return None
