"""Public texts computed from stored rows: proposals and erasure.

Both backends' `m011_privacy_protections` read `PROPOSAL_SOURCE` of each report and
store `proposal_of(row)`, the same masked text a new report gets when it is filed;
erasure (`/hapusdata`, retention) masks the people's names out of the public text the
same way before it removes them (`storage.queries.privacy`).
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.public_view import propose_public_text
from flows.report import Neighbour, Reporter

MIGRATION_BATCH = 2000
"""Reports read and updated at a time."""
PROPOSAL_SOURCE = (
    "id, description, reporter_user_id, reporter_chat_id, reporter_name, reporter_username, "
    "reporter_phone, neighbour_name, neighbour_phone"
)
"""The columns `proposal_of` reads, in order."""


def proposal_of(row: Sequence[object], text: str | None = None) -> str:
    """The masked proposed public text of a row of `PROPOSAL_SOURCE` (or, given, `text`
    masked of the same people: erasure clears them from an edited public text)."""
    _, story, user_id, chat_id, name, username, phone, neighbour_name, neighbour_phone = row
    reporter = Reporter(
        user_id=int(str(user_id)),
        chat_id=int(str(chat_id)),
        name=str(name),
        username=None if username is None else str(username),
        phone=None if phone is None else str(phone),
    )
    neighbour = None
    if neighbour_name is not None:
        neighbour = Neighbour(
            name=str(neighbour_name),
            phone=None if neighbour_phone is None else str(neighbour_phone),
        )
    return propose_public_text(str(story) if text is None else text, reporter, neighbour)
