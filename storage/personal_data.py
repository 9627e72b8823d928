"""Every text column of the schema, and what `/hapusdata` and retention do to it.

The reviewed decision per column: personal data is erased (the resident's words and
identity), officers' texts are kept with the report's people masked out of them, and
the rest is declared non-personal with a reason. `tests/storage/test_erasure_audit.py`
reads the migrated schema of both backends and fails on a text column missing here,
then proves each decision by filling the columns with markers and erasing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Treatment(StrEnum):
    """What erasure (or retention) does to a column."""

    ERASED = "erased"  # emptied, replaced by "(dihapus)", or its rows deleted
    MASKED = "masked"  # officers' text kept; the report's people's names and numbers masked
    KEPT = "kept"  # not personal, or not a closed report's data (see the reason)
    WITH_ROW = "with its row"  # not personal itself; deleted with its row (an erased one)


@dataclass(frozen=True)
class Decision:
    """One column's decision: under `/hapusdata`, under retention, and why."""

    erasure: Treatment
    retention: Treatment
    reason: str


ERASED = Decision(Treatment.ERASED, Treatment.ERASED, "the resident's words or identity")
MASKED = Decision(
    Treatment.MASKED, Treatment.MASKED, "officers' work: stays, the report's people masked out"
)
_PERSON = "the person's own data, not a report's: /hapusdata deletes it, retention keeps it"


def _kept(reason: str) -> Decision:
    return Decision(Treatment.KEPT, Treatment.KEPT, reason)


_DATE = _kept("a date or time")
_WITH_ROW = Decision(
    Treatment.WITH_ROW, Treatment.WITH_ROW, "a detail of a row deleted with the report's data"
)
_FACT = _kept("a structured fact officers keep: a code, id, enum or catalogue value")
_MACHINE = _kept("the machinery's own bookkeeping, no person's data")

COLUMNS: dict[tuple[str, str], Decision] = {
    # -- reports: the resident's words and identity go, the facts stay ----------------
    ("reports", "reporter_name"): ERASED,
    ("reports", "reporter_username"): ERASED,
    ("reports", "reporter_phone"): ERASED,
    ("reports", "neighbour_name"): ERASED,
    ("reports", "neighbour_phone"): ERASED,
    ("reports", "description"): ERASED,
    ("reports", "address"): ERASED,
    ("reports", "end_note"): Decision(
        Treatment.ERASED,
        Treatment.ERASED,
        "a withdrawal's reason is hers: erased; a handover note is an officer's: masked",
    ),
    ("reports", "public_text"): Decision(
        Treatment.MASKED,
        Treatment.MASKED,
        "written or approved by an officer to be public, without identity: stays, every "
        "name and number of the report's people (and any phone, NIK, e-mail) masked again",
    ),
    ("reports", "reject_reason"): MASKED,
    ("reports", "code"): _FACT,
    ("reports", "status"): _FACT,
    ("reports", "privacy"): _FACT,
    ("reports", "body"): _FACT,
    ("reports", "kind"): _FACT,
    ("reports", "kecamatan"): _FACT,
    ("reports", "kelurahan"): _FACT,
    ("reports", "duplicate_of"): _FACT,
    ("reports", "followup_answer"): _kept("ya / sebagian / belum, from a button"),
    ("reports", "filed_at"): _DATE,
    ("reports", "updated_at"): _DATE,
    ("reports", "verified_at"): _DATE,
    ("reports", "first_answer_at"): _DATE,
    ("reports", "decided_at"): _DATE,
    ("reports", "followup_due_at"): _DATE,
    ("reports", "followup_asked_at"): _DATE,
    ("reports", "public_at"): _DATE,
    # -- what came with a report ------------------------------------------------------
    ("report_photos", "file_id"): ERASED,
    ("report_evidence", "file_id"): ERASED,
    ("report_evidence", "kind"): _WITH_ROW,
    ("report_evidence", "mime_type"): _WITH_ROW,
    ("held_relays", "text"): ERASED,
    ("held_relays", "photo"): ERASED,
    ("held_relays", "held_at"): _WITH_ROW,
    ("routing_examples", "text"): Decision(
        Treatment.ERASED,
        Treatment.ERASED,
        "her story kept as a lesson: deleted (a running classifier forgets it at restart)",
    ),
    ("routing_examples", "body"): _WITH_ROW,
    ("routing_examples", "added_at"): _WITH_ROW,
    ("kind_examples", "text"): ERASED,
    ("kind_examples", "kind"): _WITH_ROW,
    ("kind_examples", "added_at"): _WITH_ROW,
    ("report_history", "note"): Decision(
        Treatment.ERASED,
        Treatment.ERASED,
        "her lines (actor pelapor: her messages to officers) erased; officers' lines "
        "(answers, notes, closing, public text) masked",
    ),
    ("report_history", "actor"): _kept("pelapor, sistem or an officer's id"),
    ("report_history", "from_status"): _FACT,
    ("report_history", "to_status"): _FACT,
    ("report_history", "kind"): _FACT,
    ("report_history", "at"): _DATE,
    ("closings", "note"): MASKED,
    ("closings", "photo"): _kept("the officer's photo of the work done"),
    ("closings", "unit"): _FACT,
    ("closings", "actor"): _kept("an officer's id"),
    ("closings", "state"): _FACT,
    ("closings", "said_at"): _DATE,
    ("ombudsman_notices", "reason"): _FACT,
    ("ombudsman_notices", "told_at"): _DATE,
    ("reminders_sent", "deadline"): _FACT,
    ("reminders_sent", "level"): _FACT,
    ("reminders_sent", "sent_at"): _DATE,
    ("report_supporters", "supported_at"): Decision(
        Treatment.WITH_ROW,
        Treatment.WITH_ROW,
        "/hapusdata deletes her supports; retention deletes the supporters of old "
        "reports and keeps their count (reports.former_supporters)",
    ),
    # -- messages ---------------------------------------------------------------------
    ("outbox", "payload"): Decision(
        Treatment.ERASED,
        Treatment.ERASED,
        "messages to her chat, finished messages about her reports and finished digests "
        "naming them are deleted; a pending one keeps no payload once sent (exports "
        "carry facts only, no story or identity)",
    ),
    ("outbox", "purpose"): _FACT,  # rows of erased messages go whole
    ("outbox", "state"): _FACT,
    ("outbox", "last_error"): _kept("a Bot API error description"),
    ("outbox", "created_at"): _DATE,
    ("outbox", "next_attempt_at"): _DATE,
    ("outbox", "finished_at"): _DATE,
    ("message_links", "purpose"): _kept("a link's purpose; /hapusdata deletes her chat's"),
    ("blocked_chats", "blocked_at"): _kept("a date; /hapusdata deletes her chat's row"),
    ("backlog_notices", "noticed_at"): _kept("a date; a chat told that the bot is busy"),
    # -- the person, not a report -----------------------------------------------------
    ("conversations", "state_json"): Decision(
        Treatment.ERASED, Treatment.KEPT, f"a draft, a kader's profile: {_PERSON}"
    ),
    ("conversations", "updated_at"): Decision(Treatment.WITH_ROW, Treatment.KEPT, _PERSON),
    ("conversations", "draft_updated_at"): Decision(Treatment.WITH_ROW, Treatment.KEPT, _PERSON),
    ("kaders", "name"): Decision(Treatment.ERASED, Treatment.KEPT, _PERSON),
    ("kaders", "kelurahan"): Decision(Treatment.WITH_ROW, Treatment.KEPT, _PERSON),
    ("kaders", "verified_at"): Decision(Treatment.WITH_ROW, Treatment.KEPT, _PERSON),
    ("kader_invites", "name"): Decision(Treatment.ERASED, Treatment.KEPT, _PERSON),
    ("kader_invites", "token"): _kept("a random token"),
    ("kader_invites", "kelurahan"): _FACT,
    ("kader_invites", "created_at"): _DATE,
    ("kader_invites", "used_at"): _DATE,
    # -- the machinery ----------------------------------------------------------------
    ("dead_letters", "kind"): _kept("the kind of update; a dead letter holds no content"),
    ("dead_letters", "error"): _kept("an exception's class and place, never its message"),
    ("dead_letters", "first_failed_at"): _DATE,
    ("dead_letters", "last_failed_at"): _DATE,
    ("dead_letters", "dead_at"): _DATE,
    ("processed_updates", "processed_at"): _DATE,
    ("leases", "name"): _MACHINE,
    ("leases", "holder"): _MACHINE,
    ("leases", "expires_at"): _DATE,
    ("meta", "key"): _MACHINE,
    ("meta", "value"): _MACHINE,
    ("migrations", "name"): _MACHINE,
    ("migrations", "applied_at"): _DATE,
}
"""Every text column of both backends' migrated schema, by (table, column)."""
