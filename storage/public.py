"""What the public board may read: a small read-only interface of its own.

The web room reads only through `PublicReads`, never through the officers' operations,
so that what can reach the public is easy to audit: every method is read-only, skips
reports whose story is confidential (*rahasia*) where it returns reports, and leaves
the reporter's identity to `flows.board.board_report` to drop. The SQL is written once
for both backends in `storage.queries.public`; `public_reads` gives the interface of an
open transaction::

    async with store.transaction() as tx:
        reads = public_reads(tx)
        report = await reads.public_report_by_code("SW-7K3M-Q9XA")
"""

from __future__ import annotations

from storage.base import Transaction
from storage.errors import StorageError
from storage.interface.public import FactsKey, FactsPage, PublicReads, ReportFilter
from storage.queries.public import PublicQueries

__all__ = ["FactsKey", "FactsPage", "PublicReads", "ReportFilter", "public_reads"]


def public_reads(tx: Transaction) -> PublicReads:
    """The board's reads on an open transaction of either backend."""
    if not isinstance(tx, PublicQueries):
        raise StorageError(f"{type(tx).__name__} does not offer the public board's reads")
    return tx
