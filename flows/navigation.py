"""Moving between steps without the table: placeholders the handlers return, and the draft.

A handler of one step never decides what the next step asks or where an answer leads:
it returns `ASK` (the open question of the state it returns) or `Advance(done)` (the
question of `done` is answered), and `intake.step` fills them in from the table of
steps (`flows/steps.py`). So every move forward is written once, in that table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, utils

from flows.effects import Effect
from flows.prompts import description_ok
from flows.rules import Rules
from flows.state import Conversation, Draft, Step

Result = tuple[Conversation, list[Effect]]


@dataclass(frozen=True)
class Ask:
    """Placeholder effect: the open question of the state the handler returns."""


@dataclass(frozen=True)
class Advance:
    """Placeholder effect: the question of `done` is answered; go on as the table says."""

    done: Step


ASK = Ask()
Outcome = tuple[Conversation, list[Effect | Ask | Advance]]
_SKIP_WORDS = ("lewati", "skip", "tidak ada", "tidak usah", "nanti")


def expired(conv: Conversation, now: datetime, rules: Rules) -> bool:
    return conv.updated_at is not None and now - conv.updated_at > rules.draft_ttl


def new_report(conv: Conversation, now: datetime) -> Outcome:
    """A new draft, opened at her story: a report is for herself unless she says she
    is a kader (the story's question has that button)."""
    return goto(conv, Step.DESCRIPTION, draft=Draft(started_at=now, for_neighbour=False))


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


def goto(conv: Conversation, target: Step, **changes: Any) -> Outcome:
    """Open the question of `target` (new menu number, so older buttons go stale)."""
    update: dict[str, Any] = {"step": target, "menu": conv.menu + 1, **changes}
    if target is Step.SUMMARY:
        update["editing"] = False
    return conv.model_copy(update=update), [ASK]


def answered(conv: Conversation, done: Step) -> Outcome:
    """The question of `done` is answered: the table of steps says where to go."""
    return conv, [Advance(done)]


def reprompt(conv: Conversation) -> list[Ask]:
    """The open question again, after an interruption (nothing while idle)."""
    return [] if conv.step is Step.IDLE else [ASK]


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
    if not draft.kecamatan or not draft.kelurahan or not draft.place_confirmed:
        return Step.PLACE
    if draft.privacy is None:
        return Step.PRIVACY
    return None
