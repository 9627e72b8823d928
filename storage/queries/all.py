"""Every shared operation in one class, for a backend to put its runner under."""

from __future__ import annotations

from storage.queries.backlog import BacklogQueries
from storage.queries.closing import ClosingQueries
from storage.queries.core import CoreQueries
from storage.queries.dead_letters import DeadLetterQueries
from storage.queries.evidence import EvidenceQueries
from storage.queries.intake import IntakeQueries
from storage.queries.learning import LearningQueries
from storage.queries.outbox import OutboxQueries
from storage.queries.privacy import PrivacyQueries
from storage.queries.public import PublicQueries
from storage.queries.relays import RelayQueries


class Queries(
    IntakeQueries,
    ClosingQueries,
    PublicQueries,
    PrivacyQueries,
    RelayQueries,
    OutboxQueries,
    BacklogQueries,
    DeadLetterQueries,
    EvidenceQueries,
    LearningQueries,
    CoreQueries,
):
    """The shared `storage.base.Transaction` operations; a backend adds its runner."""
