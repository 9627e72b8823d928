"""The table of steps: the intake conversation, one row per step, read top to bottom.

Like the `states={...}` table of PTB's conversationbot, each row says, for one step:
- `ask`: the question it shows (text and buttons, `flows/prompts.py`);
- `press`: what a press on one of its buttons does (`flows/choices.py`); a typed text
  that clearly names a button counts as that press;
- `text`: what a typed answer does (`flows/answers.py`), where the step takes one;
- `part`: the part of the summary it belongs to (the "Ubah" menu opens a part at its
  first step);
- `then`: where an answered question leads, the first move whose condition holds;
- `also`: the other moves its buttons and answers make (drawn in the diagram).

A handler never names the next step of an answer: it returns `answered(conv, step)`
and `next_step` reads `then`. `flows/intake.py` drives the conversation from this
table, and `flows/diagram.py` draws it (`flows/intake.mmd`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flows import prompts, texts
from flows.answers import (
    text_address,
    text_description,
    text_kader_name,
    text_kecamatan,
    text_kelurahan,
    text_neighbour_name,
    text_phone,
)
from flows.buttons import Choice
from flows.choices import (
    choose_body,
    choose_consent,
    choose_discard,
    choose_kecamatan,
    choose_kelurahan,
    choose_kind,
    choose_neighbour_phone,
    choose_next,
    choose_outside,
    choose_privacy,
    choose_role,
    choose_similar,
    choose_summary,
)
from flows.effects import Notice, Reply
from flows.navigation import Outcome, goto, with_draft
from flows.place_step import (
    ask_outside_city,
    ask_place,
    choose_outside_city,
    choose_place,
    text_place,
)
from flows.rules import Rules
from flows.state import Conversation, Step

Question = Callable[[Conversation, Rules], Reply]
OnPress = Callable[[Conversation, Choice, datetime, Rules], Outcome]
OnText = Callable[[Conversation, str, Rules], Outcome]
Condition = Callable[[Conversation], bool]


def always(conv: Conversation) -> bool:
    return True


def editing(conv: Conversation) -> bool:
    """A part is being changed from the summary (the "Ubah" menu)."""
    return conv.editing


def for_self(conv: Conversation) -> bool:
    return conv.draft is not None and not conv.draft.for_neighbour


def for_neighbour(conv: Conversation) -> bool:
    return conv.draft is not None and bool(conv.draft.for_neighbour)


def editing_for_self(conv: Conversation) -> bool:
    return editing(conv) and for_self(conv)


def kader_known(conv: Conversation) -> bool:
    """The kader's name was asked before (her profile is remembered)."""
    return conv.kader is not None


@dataclass(frozen=True)
class Go:
    """A move to `target`, labelled for the diagram; in `then`, taken when `when` holds."""

    target: Step
    label: str
    when: Condition = always


# The end of a part changed from the summary's "Ubah" menu: back to the summary.
EDITED = Go(Step.SUMMARY, "after an edit", editing)


@dataclass(frozen=True)
class StepRow:
    """One step of the intake (see the module docstring)."""

    ask: Question
    press: OnPress | None = None
    text: OnText | None = None
    part: str | None = None
    then: tuple[Go, ...] = ()
    also: tuple[Go, ...] = ()


def choose_part(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """EDIT_MENU: open a part of the summary at its first step, or go back."""
    if choice.action == "back":
        return goto(conv, Step.SUMMARY)
    target = part_starts().get(choice.value) if choice.action == "part" else None
    if target is None:
        return conv, [Notice(texts.invalid_button())]
    if target is Step.DESCRIPTION:
        conv = with_draft(conv, description="")
    return goto(conv, target, editing=True)


STEPS: dict[Step, StepRow] = {
    Step.IDLE: StepRow(
        ask=prompts.ask_idle,
        also=(Go(Step.DESCRIPTION, "/lapor or Buat laporan"),),
    ),
    Step.ROLE: StepRow(
        ask=prompts.ask_role,
        press=choose_role,
        part="pelapor",
        then=(
            Go(Step.SUMMARY, "after an edit (for myself)", editing_for_self),
            Go(Step.DESCRIPTION, "untuk saya sendiri", for_self),
            Go(Step.NEIGHBOUR_NAME, "kader (profile known)", kader_known),
            Go(Step.KADER_NAME, "kader (first time)"),
        ),
    ),
    Step.KADER_NAME: StepRow(
        ask=prompts.ask_kader_name,
        text=text_kader_name,
        part="pelapor",
        then=(Go(Step.KADER_PHONE, "her name"),),
    ),
    Step.KADER_PHONE: StepRow(
        ask=prompts.ask_kader_phone,
        text=text_phone,
        part="pelapor",
        then=(Go(Step.NEIGHBOUR_NAME, "contact / number / Lewati"),),
    ),
    Step.NEIGHBOUR_NAME: StepRow(
        ask=prompts.ask_neighbour_name,
        text=text_neighbour_name,
        part="pelapor",
        then=(Go(Step.NEIGHBOUR_PHONE, "neighbour name"),),
    ),
    Step.NEIGHBOUR_PHONE: StepRow(
        ask=prompts.ask_neighbour_phone,
        press=choose_neighbour_phone,
        text=text_phone,
        part="pelapor",
        then=(Go(Step.CONSENT, "number / contact card / Lewati"),),
    ),
    Step.CONSENT: StepRow(
        ask=prompts.ask_consent,
        press=choose_consent,
        part="pelapor",
        then=(EDITED, Go(Step.DESCRIPTION, "Sudah setuju")),
        also=(Go(Step.CONSENT, "Belum (draft kept)"),),
    ),
    Step.DESCRIPTION: StepRow(
        ask=prompts.ask_description,
        press=choose_next,
        text=text_description,
        part="kejadian",
        # After an edit too: a new story is classified again, so its body is asked again.
        then=(Go(Step.BODY, "Lanjut (story long enough)"),),
        also=(
            Go(Step.DESCRIPTION, "text / photo (appended)"),
            Go(Step.NEIGHBOUR_NAME, "Saya kader (profile known)"),
            Go(Step.KADER_NAME, "Saya kader (first time)"),
        ),
    ),
    Step.BODY: StepRow(
        ask=prompts.ask_body,
        press=choose_body,
        part="tujuan",
        then=(EDITED, Go(Step.PLACE, "an instansi / Tidak tahu")),
        also=(
            Go(Step.BODY_LIST, "Pilih yang lain"),
            Go(Step.OUTSIDE, "an instansi outside the city government"),
        ),
    ),
    Step.BODY_LIST: StepRow(
        ask=prompts.ask_body_list,
        press=choose_body,
        part="tujuan",
        then=(EDITED, Go(Step.PLACE, "an instansi / Tidak tahu")),
        also=(
            Go(Step.BODY, "Kembali"),
            Go(Step.OUTSIDE, "an instansi outside the city government"),
        ),
    ),
    Step.OUTSIDE: StepRow(
        ask=prompts.ask_outside,
        press=choose_outside,
        part="tujuan",
        then=(EDITED, Go(Step.PLACE, "Tetap catat laporan")),
        also=(Go(Step.BODY_LIST, "Pilih instansi lain"), Go(Step.IDLE, "Batalkan")),
    ),
    # The classifier chooses the kind; a person changes it from the summary only.
    Step.KIND: StepRow(
        ask=prompts.ask_kind,
        press=choose_kind,
        part="jenis",
        then=(Go(Step.SUMMARY, "a kind"),),
    ),
    # The place the story or a pin tells, confirmed with one tap; else asked with the
    # one-tap location button, a typed name, or the lists below (flows/place_step.py).
    Step.PLACE: StepRow(
        ask=ask_place,
        press=choose_place,
        text=text_place,
        part="lokasi",
        then=(EDITED, Go(Step.PRIVACY, "Ya, benar")),
        also=(
            Go(Step.PLACE, "pin / typed kelurahan / address"),
            Go(Step.OUTSIDE_CITY, "pin outside the city"),
            Go(Step.KECAMATAN, "Pilih lokasi lain / Pilih dari daftar"),
            Go(Step.KELURAHAN, "typed kecamatan"),
        ),
    ),
    Step.OUTSIDE_CITY: StepRow(
        ask=ask_outside_city,
        press=choose_outside_city,
        part="lokasi",
        then=(Go(Step.PLACE, "Ya, tetap kirim (flagged)"),),
        also=(Go(Step.PLACE, "Kirim lokasi lain"),),
    ),
    Step.KECAMATAN: StepRow(
        ask=prompts.ask_kecamatan,
        press=choose_kecamatan,
        text=text_kecamatan,
        part="lokasi",
        then=(Go(Step.KELURAHAN, "button / typed kecamatan"),),
        also=(Go(Step.PLACE_DETAIL, "typed kelurahan"),),
    ),
    Step.KELURAHAN: StepRow(
        ask=prompts.ask_kelurahan,
        press=choose_kelurahan,
        text=text_kelurahan,
        part="lokasi",
        then=(Go(Step.PLACE_DETAIL, "button / typed kelurahan"),),
        also=(
            Go(Step.KECAMATAN, "Ganti kecamatan"),
            Go(Step.KELURAHAN, "typed kecamatan"),
        ),
    ),
    Step.PLACE_DETAIL: StepRow(
        ask=prompts.ask_place_detail,
        press=choose_next,
        text=text_address,
        part="lokasi",
        then=(EDITED, Go(Step.PRIVACY, "Lanjut")),
        also=(Go(Step.PLACE_DETAIL, "pin / address"),),
    ),
    Step.PRIVACY: StepRow(
        ask=prompts.ask_privacy,
        press=choose_privacy,
        part="privasi",
        then=(
            EDITED,
            Go(Step.SUMMARY, "kader (her phone is known)", for_neighbour),
            Go(Step.CONTACT, "biasa / anonim / rahasia"),
        ),
    ),
    Step.CONTACT: StepRow(
        ask=prompts.ask_contact,
        text=text_phone,
        part="kontak",
        then=(Go(Step.SUMMARY, "contact / number / Lewati"),),
    ),
    Step.SUMMARY: StepRow(
        ask=prompts.ask_summary,
        press=choose_summary,
        also=(
            Go(Step.EDIT_MENU, "Ubah"),
            Go(Step.SIMILAR, "Kirim, similar open reports found"),
            Go(Step.IDLE, "Kirim, nothing similar (FileReport) / Batal"),
        ),
    ),
    Step.SIMILAR: StepRow(
        ask=prompts.ask_similar,
        press=choose_similar,
        also=(Go(Step.IDLE, "Dukung (Support) / Tetap kirim (FileReport)"),),
    ),
    Step.EDIT_MENU: StepRow(
        ask=prompts.ask_edit_menu,
        press=choose_part,
        also=(Go(Step.SUMMARY, "Kembali"),),  # and each part's first step, drawn from `part`
    ),
    Step.DISCARD: StepRow(
        ask=prompts.ask_discard,
        press=choose_discard,
        also=(Go(Step.DESCRIPTION, "Buang, mulai baru"),),  # or Lanjutkan draf: the step left
    ),
}


def part_starts() -> dict[str, Step]:
    """The first step of each part of the summary, in table order."""
    starts: dict[str, Step] = {}
    for step, row in STEPS.items():
        if row.part is not None:
            starts.setdefault(row.part, step)
    return starts


def prompt(conv: Conversation, rules: Rules) -> Reply:
    """The open question of this conversation."""
    return STEPS[conv.step].ask(conv, rules)


def next_step(conv: Conversation, done: Step) -> Step:
    """Where answering `done` leads: the first move of its row whose condition holds."""
    for move in STEPS[done].then:
        if move.when(conv):
            return move.target
    raise AssertionError(f"no move after {done} in the table of steps")
