"""Events: what a person did, already stripped of any transport detail.

`bot/` turns each Telegram update (or terminal line) into exactly one of these and
hands it to `flows.intake.step`. They are small frozen dataclasses, like h11's events.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.evidence import Evidence
from flows.public_view import PublicReport


@dataclass(frozen=True)
class Command:
    """A slash command, e.g. `/status SW-7K3M-Q9XA` → name="status", arg="SW-7K3M-Q9XA"."""

    name: str
    arg: str = ""


@dataclass(frozen=True)
class Text:
    """A plain text message; `reply_to` is the id of the message it replies to, if any."""

    text: str
    reply_to: int | None = None


@dataclass(frozen=True)
class Photo:
    """A photo (the largest size's file id), with its caption if any."""

    file_id: str
    caption: str = ""
    reply_to: int | None = None


@dataclass(frozen=True)
class Media:
    """Evidence beyond photos (a voice note, video, video note or file), with its caption."""

    item: Evidence
    caption: str = ""


@dataclass(frozen=True)
class Location:
    """A Telegram location pin."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Contact:
    """A shared contact; `is_own` is False when someone else's card was shared."""

    phone: str
    is_own: bool


@dataclass(frozen=True)
class Press:
    """A press on an inline button; `data` is the button's callback data, unparsed;
    `message_id` the pressed message's, if known (its answer may be shown in it)."""

    data: str
    message_id: int | None = None


@dataclass(frozen=True)
class Unsupported:
    """Anything we cannot read or keep: sticker, GIF (animation), audio, poll, ..."""

    kind: str


@dataclass(frozen=True)
class SimilarFound:
    """The shell's answer to `FindSimilar`: open reports like the draft, best first, as
    others may see them (`flows.public_view`), and how many reports this person filed
    in the last 24 hours (for the daily limit)."""

    reports: tuple[PublicReport, ...]
    recent: int = 0


@dataclass(frozen=True)
class InviteChecked:
    """The shell's answer to `ClaimInvite`: the kader's registered name, or None."""

    name: str | None
    kelurahan: str = ""


@dataclass(frozen=True)
class WithdrawalChecked:
    """The shell's answer to `CheckWithdrawal`: why report `code` may not be withdrawn
    (`flows.report_ends.withdrawal_refusal`), or None: it may."""

    code: str
    refusal: str | None


@dataclass(frozen=True)
class Expire:
    """The draft was left untouched longer than the configured time (sent by a sweep job)."""


Event = (
    Command
    | Text
    | Photo
    | Media
    | Location
    | Contact
    | Press
    | Unsupported
    | SimilarFound
    | InviteChecked
    | WithdrawalChecked
    | Expire
)
