"""The storage interface: what the bot may ask of a database.

`Store` hands out transactions; every operation is a method of a `Transaction`, so
one unit of work (conversation state, processed update, new reports, outgoing
messages) commits or rolls back as a whole::

    async with store.transaction() as tx:
        if not await tx.claim_update(update.update_id, now):
            return  # already processed by this or another process
        await tx.save_conversation(chat_id, state_json, updated_at=now, draft_updated_at=None)
        await tx.enqueue(chat_id, payload, now=now)

Backends: `storage.sqlite.SqliteStore` (one file, WAL) and
`storage.postgres.PostgresStore` (a connection pool; several bot processes may share
one database). Timestamps are timezone-aware `datetime`s; naive ones are rejected with
ValueError. Stored and returned timestamps are UTC.
Failures raise the errors in `storage.errors`.

`Transaction` is put together from one protocol per concern (`storage.interface`);
import them all from here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from storage.interface.backlog import BacklogOperations, ChatQueue
from storage.interface.casework import CaseworkOperations
from storage.interface.closing import ClosingOperations
from storage.interface.delivery import DeliveryOperations, OutboxMessage, OutboxStats, SentMark
from storage.interface.evidence import EvidenceOperations
from storage.interface.learning import LearningOperations, Lesson
from storage.interface.reports import ReportOperations
from storage.interface.residents import HeldRelay, KaderRecord, ResidentOperations
from storage.interface.updates import DeadLetter, UpdateOperations

__all__ = [
    "BacklogOperations",
    "CaseworkOperations",
    "ChatQueue",
    "ClosingOperations",
    "DeadLetter",
    "DeliveryOperations",
    "EvidenceOperations",
    "HeldRelay",
    "KaderRecord",
    "LearningOperations",
    "Lesson",
    "OutboxMessage",
    "OutboxStats",
    "ReportOperations",
    "ResidentOperations",
    "SentMark",
    "Store",
    "Transaction",
    "UpdateOperations",
]


class Store(Protocol):
    """A database the bot can open transactions on."""

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Start one unit of work: commit on normal exit, roll back and re-raise on error."""
        ...

    def reading(self) -> AbstractAsyncContextManager[Transaction]:
        """A single read outside any transaction: one query, consistent in itself, that
        costs no BEGIN and COMMIT (on SQLite, takes no write lock). For reads only: a
        statement that writes would commit on its own."""
        ...

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        """`Transaction.mark_sent` as a unit of work of its own (on PostgreSQL one
        statement in autocommit, no BEGIN and COMMIT). This writes."""
        ...

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        """`Transaction.mark_all_sent` as a unit of work of its own (on PostgreSQL one
        round trip for any number of marks, no BEGIN and COMMIT). This writes."""
        ...

    def outbox_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """While open, `wake` is set when another process commits new outbox messages, as
        far as the backend can tell (PostgreSQL: LISTEN/NOTIFY; SQLite: never)."""
        ...

    def learning_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """While open, `wake` is set when another process commits a lesson for the
        classifier, as far as the backend can tell (PostgreSQL: LISTEN/NOTIFY; SQLite:
        never, the workers compare `learning_version` every few seconds)."""
        ...

    async def close(self) -> None:
        """Wait for the running transaction, then release the database. Idempotent."""
        ...


class Transaction(
    UpdateOperations,
    ReportOperations,
    CaseworkOperations,
    ClosingOperations,
    ResidentOperations,
    DeliveryOperations,
    BacklogOperations,
    EvidenceOperations,
    LearningOperations,
    Protocol,
):
    """The operations of one unit of work. Valid only inside its ``async with`` block."""
