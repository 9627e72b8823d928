"""What of a report may be shown outside the handling officers' chat: one place.

Theory of operation
-------------------
Everything another resident, the public or open data may ever see of a report is
built here, from the stored report, by pure functions:

- `public_report` for the similar-report list now and the public board later
  (Open311 is one more serialisation of `PublicReport`). A *rahasia* report has no
  public view at all (None). Otherwise: structured facts (OPD, kind of problem,
  kelurahan, date, status, how many support it); once the report is verified and its
  public text approved (`is_public`), the public text and the photos an officer marked
  public.
- `report_facts` for the monthly statistics and the CSV/XLSX exports: structured facts
  only, for every report (a rahasia one is counted, never told).

Neither ever carries the reporter's (or a kader's, or a neighbour's) name, username,
Telegram id or phone; the public text is masked again on the way out
(`flows.masking`), so a name typed back in by an officer does not leak either.
Privacy is tested here (`tests/flows/test_public_view.py`, property tests included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows.masking import mask_personal_data
from flows.monthly import ReportFacts
from flows.report import Neighbour, NewReport, Report, Reporter, Status


@dataclass(frozen=True, slots=True)
class PublicReport:
    """The public view of one report: never an identity field."""

    code: str
    filed_at: datetime
    body: str
    kind: str | None
    kecamatan: str
    kelurahan: str
    status: Status
    supporters: int = 0
    text: str | None = None  # None until an officer approved it
    photos: tuple[str, ...] = ()  # only those an officer marked public


def identity_names(reporter: Reporter, neighbour: Neighbour | None) -> list[str]:
    """The names of the people behind a report (reporter or kader, neighbour)."""
    names = [reporter.name]
    if reporter.username:
        names.append(reporter.username)
    if neighbour is not None:
        names.append(neighbour.name)
    return names


def identity_numbers(reporter: Reporter, neighbour: Neighbour | None) -> list[str]:
    """The numbers of the people behind a report (Telegram ids, phones)."""
    numbers = [str(reporter.user_id), str(reporter.chat_id)]
    numbers += [p for p in (reporter.phone, neighbour.phone if neighbour else None) if p]
    return [n for n in numbers if n.lstrip("-") not in ("", "0")]


def propose_public_text(
    story: str, reporter: Reporter, neighbour: Neighbour | None, also: tuple[str, ...] = ()
) -> str:
    """The public text proposed to the verifying officer: the story with contact data
    and the identity of the report's people (and the names in `also`) masked."""
    names = [*identity_names(reporter, neighbour), *also]
    return mask_personal_data(story, names, identity_numbers(reporter, neighbour))


def masked_public_text(report: NewReport, text: str, also: tuple[str, ...] = ()) -> str:
    """`text` masked as `propose_public_text` masks a story of this report."""
    return propose_public_text(text, report.reporter, report.neighbour, also)


def hide_identity(report: NewReport, text: str) -> str:
    """`text` (the story, a message) without the names and numbers of the report's
    people, for officers of an *anonim* report; other contact data stays."""
    people = (report.reporter, report.neighbour)
    return mask_personal_data(
        text, identity_names(*people), identity_numbers(*people), contacts=False
    )


def is_public(report: Report) -> bool:
    """Whether the public text (and photos marked public) may be shown: the report is
    verified, its public text approved (proposal or officer's edit), and not rahasia."""
    return (
        not report.privacy.confidential
        and report.verified_at is not None
        and report.public_at is not None
    )


def public_report(report: Report, supporters: int = 0) -> PublicReport | None:
    """The report as another resident or the public may see it; None for rahasia."""
    if report.privacy.confidential:
        return None
    shown = is_public(report)
    text = None
    if shown and report.public_text:
        text = masked_public_text(report, report.public_text)
    return PublicReport(
        code=report.code,
        filed_at=report.filed_at,
        body=report.body,
        kind=report.kind,
        kecamatan=report.place.kecamatan,
        kelurahan=report.place.kelurahan,
        status=report.status,
        supporters=supporters,
        text=text,
        photos=report.photos if shown and report.photos_public else (),
    )


def report_facts(report: Report) -> ReportFacts:
    """The statistics' and exports' facts of a report (storage reads the same columns:
    `storage.queries.officers.report_facts_between`)."""
    return ReportFacts(
        code=report.code,
        body=report.body,
        kind=report.kind,
        kecamatan=report.place.kecamatan,
        kelurahan=report.place.kelurahan,
        status=report.status,
        filed_at=report.filed_at,
        first_answer_at=report.first_answer_at,
        decided_at=report.decided_at,
    )
