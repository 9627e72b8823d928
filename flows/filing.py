"""Turning a finished draft into a report."""

from __future__ import annotations

from datetime import datetime

from flows.public_view import masked_public_text
from flows.report import TRIAGE, Neighbour, NewReport, Place, Reporter
from flows.state import Draft


class IncompleteDraftError(ValueError):
    """A draft without a required part was asked to become a report."""


def new_report(
    draft: Draft, reporter: Reporter, code: str, now: datetime, *, kader_verified: bool = False
) -> NewReport:
    """The report to store for a finished draft, filed by `reporter`."""
    if not (draft.kecamatan and draft.kelurahan and draft.privacy and draft.description):
        raise IncompleteDraftError("draft is missing a required part")
    neighbour = None
    if draft.for_neighbour:
        if not draft.neighbour_name or not draft.consent:
            raise IncompleteDraftError("a neighbour's report needs a name and consent")
        neighbour = Neighbour(name=draft.neighbour_name, phone=draft.neighbour_phone)
    who = reporter.model_copy(
        update={"name": draft.reporter_name or reporter.name, "phone": draft.phone}
    )
    place = Place(
        kecamatan=draft.kecamatan,
        kelurahan=draft.kelurahan,
        latitude=draft.latitude,
        longitude=draft.longitude,
        address=draft.address,
    )
    new = NewReport(
        code=code,
        filed_at=now,
        reporter=who,
        neighbour=neighbour,
        description=draft.description,
        photos=draft.photos,
        place=place,
        privacy=draft.privacy,
        body=draft.body or TRIAGE,
        kind=draft.kind,
        kader_verified=kader_verified and bool(draft.for_neighbour),
    )
    if draft.privacy.confidential:
        return new  # rahasia: never public, so no public text is proposed
    # The account's own name too: a kader files under the name she gave.
    proposal = masked_public_text(new, new.description, also=(reporter.name,))
    return new.model_copy(update={"public_text": proposal})
