"""Effects: what the shell must do after a step. Pure data; `bot/` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.state import Draft, KaderProfile


@dataclass(frozen=True)
class Button:
    """An inline button: a label and its callback data (at most 64 bytes)."""

    label: str
    data: str


class Keyboard(StrEnum):
    """The reply keyboard under the input field (not inline buttons)."""

    KEEP = "keep"  # leave whatever is shown
    CONTACT = "contact"  # "share my phone number" + "Lewati"
    LOCATION = "location"  # "send my location" (one tap) + "choose from the list"
    REMOVE = "remove"  # hide the reply keyboard
    FORCE_REPLY = "force_reply"  # open the reply field on this message (officers' prompts)


@dataclass(frozen=True)
class Reply:
    """Send a message (Telegram HTML; every piece of user text is already escaped)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    keyboard: Keyboard = Keyboard.KEEP
    replace: int | None = None  # the pressed message (its id) this answer is shown in


@dataclass(frozen=True)
class Notice:
    """A short answer to a button press (a toast), not a message."""

    text: str


@dataclass(frozen=True)
class FileReport:
    """Store this finished draft as a report, tell the reporter its code, post the card."""

    draft: Draft


@dataclass(frozen=True)
class FindSimilar:
    """Look for open reports like this draft and answer with a `SimilarFound` event."""

    draft: Draft


@dataclass(frozen=True)
class Support:
    """The person follows an existing report instead of filing a duplicate."""

    code: str


@dataclass(frozen=True)
class RelayToOfficers:
    """Pass the reporter's message about her report to the officers handling it."""

    code: str
    text: str
    photo: str | None = None


@dataclass(frozen=True)
class AnswerFollowUp:
    """The reporter's answer to "is it really solved?" (ya, belum, sebagian)."""

    code: str
    answer: str


@dataclass(frozen=True)
class Rate:
    """The reporter rates the handling of her report, 1 to 5."""

    code: str
    rating: int


@dataclass(frozen=True)
class ClaimInvite:
    """A kader opened her one-time invitation link."""

    token: str


@dataclass(frozen=True)
class ShowMyData:
    """`/dataku`: everything the bot keeps about this person (the conversation's part
    comes with the effect; the shell adds what the database holds)."""

    kader: KaderProfile | None = None
    draft: Draft | None = None


@dataclass(frozen=True)
class EraseMyData:
    """`/hapusdata`, confirmed: erase this person's personal data."""


@dataclass(frozen=True)
class ShowReports:
    """Show the person's reports, newest first."""


@dataclass(frozen=True)
class ShowReport:
    """Show one report and its history, if the person may see it."""

    code: str


@dataclass(frozen=True)
class AskOfficer:
    """Officers' desk: ask the officer for a text, `text` as a prompt to reply to,
    linked to the report as `purpose`."""

    text: str
    purpose: str


@dataclass(frozen=True)
class AnswerReporter:
    """Officers' desk: send `text` (and `photo`) to the reporter signed by `unit`,
    record it, refresh the card; then tell the officer `said`."""

    unit: str
    text: str
    photo: str | None
    said: str


@dataclass(frozen=True)
class SaveNote:
    """Officers' desk: keep `note` as an internal note of the report; say `said`."""

    note: str
    said: str


@dataclass(frozen=True)
class SetPublicText:
    """Officers' desk: store `text` (already masked) as the report's approved public
    text; say `said`."""

    text: str
    said: str


@dataclass(frozen=True)
class MarkDuplicate:
    """Officers' desk: close the report as a duplicate of the one whose code the
    officer `typed`, signed by `unit`."""

    typed: str
    unit: str


@dataclass(frozen=True)
class SendDossier:
    """Send the person the dossier of her report `code` for the Ombudsman
    (`flows.dossier`), if it is hers."""

    code: str


@dataclass(frozen=True)
class CheckWithdrawal:
    """Ask the shell whether this person may withdraw report `code`."""

    code: str


@dataclass(frozen=True)
class Withdraw:
    """Withdraw the person's report `code`, with her `reason` (None: none given)."""

    code: str
    reason: str | None = None


Effect = (
    Reply
    | Notice
    | FileReport
    | FindSimilar
    | Support
    | RelayToOfficers
    | AnswerFollowUp
    | Rate
    | ClaimInvite
    | ShowMyData
    | EraseMyData
    | ShowReports
    | ShowReport
    | SendDossier
    | CheckWithdrawal
    | Withdraw
)
