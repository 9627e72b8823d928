"""A report as the public board, open data and Open311 show it.

Theory of operation
-------------------
`board_report` is the only way from a stored `Report` to anything on the web: it starts
from `flows.public_view.public_report` (None for a *rahasia* report: the board then
answers exactly as for an unknown code) and adds what a public page needs:

- the status history as (date, status) steps, never the notes (officers' internal
  reasons, the reporter's follow-up words);
- the officers' answers to the reporter, masked like the public text, and the exact
  location: both only once an officer approved the public text (before that, only the
  structured facts are public, and a point on a map can tell where someone lives).

Nothing here carries the reporter's (or a neighbour's) name, username, Telegram id or
phone; `tests/flows/test_board.py` checks it for random reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flows.public_view import PublicReport, masked_public_text, public_report
from flows.report import CLOSED, HistoryEntry, Report, Status

ANSWER_KIND = "reply"
"""History lines of this kind are officers' answers to the reporter."""
COORDINATE_DIGITS = 5
"""Decimals of a published coordinate (about one metre)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One status change of a report, as published."""

    at: datetime
    status: Status


@dataclass(frozen=True, slots=True)
class Answer:
    """An officers' answer to the reporter, as published (masked)."""

    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class BoardReport:
    """Everything the web may show of one report."""

    view: PublicReport
    verified: bool  # an officer approved the public text: the story may be shown
    latitude: float | None = None
    longitude: float | None = None
    steps: tuple[Step, ...] = ()
    answers: tuple[Answer, ...] = ()

    @property
    def code(self) -> str:
        """The tracking code (also Open311's service_request_id)."""
        return self.view.code

    @property
    def closed(self) -> bool:
        """Decided (done, rejected or a duplicate)."""
        return self.view.status in CLOSED


def board_report(
    report: Report, supporters: int = 0, history: Iterable[HistoryEntry] = ()
) -> BoardReport | None:
    """The public board's view of `report`; None when nothing of it may be public."""
    view = public_report(report, supporters)
    if view is None:
        return None
    verified = view.text is not None
    steps = tuple(
        Step(entry.at, entry.to_status)
        for entry in history
        if entry.kind == "status" and entry.public and entry.from_status != entry.to_status
    )
    answers: tuple[Answer, ...] = ()
    latitude = longitude = None
    if verified:
        answers = tuple(
            Answer(entry.at, masked_public_text(report, entry.note))
            for entry in history
            if entry.kind == ANSWER_KIND and entry.public and entry.note
        )
        if report.place.latitude is not None and report.place.longitude is not None:
            latitude = round(report.place.latitude, COORDINATE_DIGITS)
            longitude = round(report.place.longitude, COORDINATE_DIGITS)
    return BoardReport(
        view=view,
        verified=verified,
        latitude=latitude,
        longitude=longitude,
        steps=steps,
        answers=answers,
    )
