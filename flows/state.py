"""The conversation's state: which question is open, and the draft report so far.

Saved as JSON by `storage/` after every update, so a crash or restart resumes the
conversation exactly where it was.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flows.evidence import Evidence
from flows.report import Frozen, Privacy


class Step(StrEnum):
    """The open question (the table of steps is `steps.py`, its diagram `intake.mmd`)."""

    IDLE = "idle"
    ROLE = "role"
    KADER_NAME = "kader_name"
    KADER_PHONE = "kader_phone"
    NEIGHBOUR_NAME = "neighbour_name"
    NEIGHBOUR_PHONE = "neighbour_phone"
    CONSENT = "consent"
    DESCRIPTION = "description"
    BODY = "body"
    BODY_LIST = "body_list"
    OUTSIDE = "outside"
    KIND = "kind"
    PLACE = "place"
    OUTSIDE_CITY = "outside_city"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    PLACE_DETAIL = "place_detail"
    PRIVACY = "privacy"
    CONTACT = "contact"
    SUMMARY = "summary"
    SIMILAR = "similar"
    EDIT_MENU = "edit_menu"
    DISCARD = "discard"


class Draft(Frozen):
    """A report being written. Every field is optional until the summary."""

    started_at: datetime
    for_neighbour: bool | None = None
    reporter_name: str | None = None  # the kader's own name, for a neighbour's report
    neighbour_name: str | None = None
    neighbour_phone: str | None = None
    consent: bool = False
    description: str = ""
    photos: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()  # voice notes, videos, files (flows.evidence)
    kecamatan: str | None = None
    kelurahan: str | None = None
    place_confirmed: bool = False  # False: kecamatan/kelurahan only proposed (story, pin)
    latitude: float | None = None
    longitude: float | None = None
    outside_city: bool = False  # the pin lies outside the city; she chose to keep it
    address: str | None = None
    privacy: Privacy | None = None
    phone: str | None = None
    body: str | None = None  # a catalogue body id, or TRIAGE ("tidak tahu")
    kind: str | None = None
    proposed: tuple[str, ...] = ()  # the classifier's candidates, best first
    confident: bool = False  # the classifier was sure of proposed[0]
    similar: tuple[str, ...] = ()  # codes of similar open reports shown before sending
    similar_checked: bool = False


class KaderProfile(Frozen):
    """A kader's own name and phone, asked once and remembered."""

    name: str
    phone: str | None = None


class Conversation(Frozen):
    """One chat's conversation with the bot."""

    step: Step = Step.IDLE
    draft: Draft | None = None
    menu: int = 0  # bumped with every new question; buttons carry it to detect stale ones
    editing: bool = False  # a part is being edited from the summary: return there afterwards
    paused: Step | None = None  # the step to go back to from DISCARD
    updated_at: datetime | None = None
    kader: KaderProfile | None = None
    messaging: str | None = None  # the report code a message to officers is being written for
    withdrawing: str | None = None  # the report code whose withdrawal reason is asked

    def to_json(self) -> str:
        """Serialise for storage."""
        return self.model_dump_json(exclude_defaults=True)

    @classmethod
    def from_json(cls, raw: str | None) -> Conversation:
        """Load from storage; a missing row is a fresh conversation."""
        return cls() if raw is None else cls.model_validate_json(raw)
