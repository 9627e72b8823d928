"""The table of steps is the truth: the drawn diagram is checked in as generated, every
step has a row, and every move a walk through the conversation makes is in the table
(and every move in the table is made)."""

from __future__ import annotations

from collections import deque
from datetime import timedelta
from pathlib import Path

from flows import Conversation, Step, step
from flows.diagram import intake_diagram
from flows.events import Command, Contact, Event, Location, Press, SimilarFound, Text
from flows.prompts import EDIT_PARTS
from flows.state import KaderProfile
from flows.steps import STEPS, part_starts, prompt
from tests.flows.helpers import READY, RULES, T0, at
from tests.flows.test_intake import similar_report

DIAGRAM = Path(__file__).resolve().parents[2] / "flows" / "intake.mmd"
RINA_KNOWN = at(Step.ROLE, kader=KaderProfile(name="Bu Rina"))
# The steps `missing_step` may send "Kirim" back to (named in the diagram's header).
MISSING_ANSWER_STEPS = {
    Step.ROLE,
    Step.NEIGHBOUR_NAME,
    Step.CONSENT,
    Step.DESCRIPTION,
    Step.BODY,
    Step.PLACE,
    Step.PRIVACY,
}


def drawn_moves() -> set[tuple[Step, Step]]:
    """(from, to) of every line of the diagram."""
    moves = set()
    for line in intake_diagram().splitlines():
        if "-->" in line and "[*]" not in line:
            source, _, rest = line.strip().partition(" --> ")
            moves.add((Step[source], Step[rest.split(":")[0]]))
    return moves


def undrawn(source: Step, target: Step) -> bool:
    """/batal and an expired draft (to IDLE), /lapor (to DISCARD), "Lanjutkan draf" (from
    DISCARD back to the step left), "Kirim" with an answer missing (to the step asking it)."""
    return (
        target in (Step.IDLE, Step.DISCARD)
        or source is Step.DISCARD
        or (source is Step.SUMMARY and target in MISSING_ANSWER_STEPS)
    )


SAID: tuple[Event, ...] = (
    Text("Rina Marlina"),
    Text("081234567890"),
    Text("lewati"),
    Text("Jalan di depan SD rusak parah, banyak lubang besar sekali"),
    Text("Grogol"),
    Text("Rawa Arum"),
    Text("Pulomerak"),  # a kecamatan only
    Text("Jl. Mawar no. 3"),
    Contact("6281234567890", is_own=True),
    Location(-6.0, 106.05),
    Location(-6.2, 106.8),  # Jakarta: outside Kota Cilegon
    SimilarFound(()),
    SimilarFound((similar_report("SW-7K3M-Q9XA"),)),
    Command("lapor"),
    Command("batal"),
)


def walk(starts: list[Conversation], limit: int = 2500) -> set[tuple[Step, Step]]:
    """Every move between steps made by pressing each button of each question and
    saying each of `SAID`, breadth first from `starts`."""
    seen: set[str] = set()
    moves: set[tuple[Step, Step]] = set()
    queue = deque(starts)
    while queue and len(seen) < limit:
        conv = queue.popleft()
        key = conv.model_dump_json(exclude={"menu", "updated_at"})
        if key in seen:
            continue
        seen.add(key)
        buttons = [Press(b.data) for row in prompt(conv, RULES).buttons for b in row]
        for event in (*buttons, *SAID):
            after, _ = step(conv, event, T0 + timedelta(minutes=1), RULES)
            if after.step is not conv.step:
                moves.add((conv.step, after.step))
            queue.append(after.model_copy(update={"updated_at": T0}))
    return moves


def test_checked_in_diagram_is_the_one_drawn_from_the_table() -> None:
    """Regenerate with `python -m flows.diagram > flows/intake.mmd` (`make diagram`)."""
    assert DIAGRAM.read_text(encoding="utf-8") == intake_diagram()


def test_every_step_has_a_row_and_is_drawn() -> None:
    assert set(STEPS) == set(Step)
    sources = {source for source, _ in drawn_moves()}
    assert sources == set(Step)


def test_the_edit_menu_opens_every_part_at_its_first_step() -> None:
    assert list(part_starts()) == [key for key, _ in EDIT_PARTS]
    assert part_starts()["kejadian"] is Step.DESCRIPTION
    assert part_starts()["lokasi"] is Step.PLACE


def test_every_move_made_is_in_the_table_and_every_drawn_move_is_made() -> None:
    kader = {**READY, "for_neighbour": True, "reporter_name": "Bu Rina"}
    starts = [
        at(Step.IDLE),
        RINA_KNOWN,
        at(Step.BODY, **{**READY, "body": None, "proposed": ("pln", "dpupr")}),
        at(Step.OUTSIDE, **{**READY, "body": "pln"}),
        at(Step.OUTSIDE, **{**READY, "body": "pln"}).model_copy(update={"editing": True}),
        *(at(s, **READY) for s in (Step.PLACE_DETAIL, Step.PRIVACY, Step.SUMMARY)),
        at(Step.PLACE_DETAIL, **READY).model_copy(update={"editing": True}),
        at(Step.SUMMARY, **kader),
    ]
    made = walk(starts)
    drawn = {(a, b) for a, b in drawn_moves() if a is not b}
    assert {move for move in made if not undrawn(*move)} - drawn == set()
    assert drawn - made == set()
