"""The intake diagram (`flows/intake.mmd`, mermaid), drawn from the table of steps.

After changing `flows/steps.py`, regenerate it with
`python -m flows.diagram > flows/intake.mmd` (`make diagram`); a test fails while the
checked-in diagram differs from this drawing.
"""

from __future__ import annotations

from flows.state import Step
from flows.steps import STEPS, Go, part_starts

HEADER = (
    "%% The intake conversation, drawn from the table of steps (flows/steps.py) by",
    "%% `python -m flows.diagram > flows/intake.mmd`: do not edit by hand.",
    "%% Not drawn: every step also takes /batal (to IDLE), /lapor (to DISCARD, whose",
    "%% Lanjutkan draf returns to the step left), /status, /bantuan, /start, photos, pins",
    "%% and stickers without leaving the step; Kirim with an answer missing opens the step",
    "%% that asks it; a draft left too long is dropped (to IDLE).",
)


def intake_diagram() -> str:
    """The mermaid state diagram of the intake, one line per move, in table order."""
    lines = [*HEADER, "stateDiagram-v2", "    [*] --> IDLE"]
    for step, row in STEPS.items():
        moves = (*row.then, *row.also)
        if step is Step.EDIT_MENU:
            moves += tuple(Go(start, part) for part, start in part_starts().items())
        lines += [f"    {step.name} --> {move.target.name}: {move.label}" for move in moves]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(intake_diagram(), end="")
