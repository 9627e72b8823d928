"""Builders for flow tests: conversations at a given step, and running events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flows import Conversation, Draft, Rules, Step, step
from flows.effects import Effect, Notice, Reply
from flows.events import Event
from flows.state import KaderProfile

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RULES = Rules()
MENU = 5
READY: dict[str, Any] = {
    "for_neighbour": False,
    "description": "Jalan rusak parah kyk kubangan, bahaya buat motor",
    "kecamatan": "Grogol",
    "kelurahan": "Rawa Arum",
    "place_confirmed": True,
    "privacy": "biasa",
    "body": "dpupr",
    "kind": "sarana_rusak",
}


def at(step_: Step, *, kader: KaderProfile | None = None, **draft: Any) -> Conversation:
    """A conversation waiting at `step_` with a draft holding `draft`."""
    return Conversation(
        step=step_,
        draft=None if step_ is Step.IDLE else Draft(started_at=T0, **draft),
        menu=MENU,
        updated_at=T0,
        kader=kader,
    )


def run(
    conv: Conversation, *events: Event, rules: Rules = RULES
) -> tuple[Conversation, list[Effect]]:
    """Apply events one minute apart; return the final state and the last step's effects."""
    effects: list[Effect] = []
    for minutes, event in enumerate(events, start=1):
        conv, effects = step(conv, event, T0 + timedelta(minutes=minutes), rules)
    return conv, effects


def press(conv: Conversation, action: str, value: str = "") -> str:
    """Callback data of a button of the open question."""
    return f"{conv.menu}:{action}:{value}" if value else f"{conv.menu}:{action}"


def texts_of(effects: list[Effect]) -> str:
    """All reply and notice texts, joined, for `in` checks."""
    return "\n".join(e.text for e in effects if isinstance(e, Reply | Notice))


def button_data(effects: list[Effect]) -> list[str]:
    """Callback data of every inline button in the replies."""
    return [b.data for e in effects if isinstance(e, Reply) for row in e.buttons for b in row]
