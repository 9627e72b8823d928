"""The report as the domain sees it: statuses, privacy levels and the stored record.

These models are shared by every layer: `flows` builds them, `storage` persists and
returns them, `bot` renders them. They are plain data (pydantic, frozen), no I/O.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

TRIAGE = "triage"
"""The pseudo-body of the central triage queue, for reports not (yet) routed to an OPD."""


class Status(StrEnum):
    """Lifecycle of a report (closed-but-not-fixed stays apart from fixed)."""

    DITERIMA = "diterima"
    DIVERIFIKASI = "diverifikasi"
    DITERUSKAN = "diteruskan"
    DIPROSES = "diproses"
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    DUPLIKAT = "duplikat"
    DILIMPAHKAN = "dilimpahkan"  # handed over to a body outside the city's authority
    DICABUT = "dicabut"  # withdrawn by its reporter before a decision


CLOSED = frozenset(
    {Status.SELESAI, Status.DITOLAK, Status.DUPLIKAT, Status.DILIMPAHKAN, Status.DICABUT}
)


class Privacy(StrEnum):
    """The reporter's protections, as SP4N-LAPOR! has them: two independent ones.

    *Anonim* hides who reported (name, username, Telegram id, phone) from the handling
    officers and everyone else; *rahasia* keeps the story from anyone but the handling
    officers (never shown to another resident, on a public page or in open data).
    *Biasa* is neither. Officers may add a protection, never remove one (`adding`).
    """

    BIASA = "biasa"  # named to the handling officers; story public once verified
    ANONIM = "anonim"  # officers read the story, not who sent it
    RAHASIA = "rahasia"  # officers know who; the story is never public
    ANONIM_RAHASIA = "anonim_rahasia"  # both

    @property
    def anonymous(self) -> bool:
        """The reporter's identity is hidden from officers and everyone else."""
        return self in (Privacy.ANONIM, Privacy.ANONIM_RAHASIA)

    @property
    def confidential(self) -> bool:
        """The story is read only by the handling officers, never public."""
        return self in (Privacy.RAHASIA, Privacy.ANONIM_RAHASIA)

    @classmethod
    def of(cls, *, anonymous: bool, confidential: bool) -> Privacy:
        """The level with exactly these protections."""
        if anonymous:
            return cls.ANONIM_RAHASIA if confidential else cls.ANONIM
        return cls.RAHASIA if confidential else cls.BIASA

    def adding(self, *, anonymous: bool = False, confidential: bool = False) -> Privacy:
        """This level with more protection; never less than it already has."""
        return Privacy.of(
            anonymous=self.anonymous or anonymous, confidential=self.confidential or confidential
        )


class Frozen(BaseModel):
    """Base for immutable domain records."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Reporter(Frozen):
    """The Telegram user who filed the report (a resident, or a kader for a neighbour)."""

    user_id: int
    chat_id: int
    name: str
    username: str | None = None
    phone: str | None = None


class Neighbour(Frozen):
    """The person a kader reports for; they agreed to be reported for."""

    name: str
    phone: str | None = None


class Place(Frozen):
    """Where the problem is."""

    kecamatan: str
    kelurahan: str
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None


class NewReport(Frozen):
    """Everything needed to store a report; the code is chosen by the caller."""

    code: str
    filed_at: datetime
    reporter: Reporter
    neighbour: Neighbour | None = None
    description: str
    photos: tuple[str, ...] = ()
    place: Place
    privacy: Privacy
    body: str = TRIAGE
    kind: str | None = None
    kader_verified: bool = False  # filed by a kader the unit invited
    public_text: str | None = None  # the proposed public text (None: rahasia, never public)


class Report(NewReport):
    """A stored report, with its progress through the lifecycle."""

    id: int
    status: Status = Status.DITERIMA
    updated_at: datetime
    verified_at: datetime | None = None
    first_answer_at: datetime | None = None
    decided_at: datetime | None = None
    reject_reason: str | None = None
    duplicate_of: str | None = None
    followup_due_at: datetime | None = None
    followup_asked_at: datetime | None = None
    followup_answer: str | None = None
    rating: int | None = None
    public_at: datetime | None = None  # an officer approved the public text (verification)
    photos_public: bool = False  # an officer marked the photos public
    end_note: str | None = None  # the reporter's reason to withdraw, the handover note

    @property
    def closed(self) -> bool:
        """Decided: no more work for officers unless the reporter reopens it."""
        return self.status in CLOSED

    @property
    def reachable(self) -> bool:
        """Whether the reporter can still be written to: erasure (/hapusdata) and
        retention leave no chat to write to."""
        return self.reporter.chat_id != 0


class HistoryEntry(Frozen):
    """One append-only line of a report's history.

    `kind` says what happened: "status" (a transition), "route", "reply" (officers to
    the reporter), "reporter" (the reporter to officers), "note" (internal), "followup".
    Lines that are not `public` (internal notes) are never shown to the reporter.
    """

    at: datetime
    actor: str
    from_status: Status | None
    to_status: Status
    note: str | None = None
    kind: str = "status"
    public: bool = True
