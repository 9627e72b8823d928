"""Storage: the only place with SQL.

Open a store, do each unit of work in one transaction, close it::

    store = await open_store("sqlite:///data/suara-warga.sqlite3")
    async with store.transaction() as tx:
        report = await tx.get_report("SW-7K2Q")
    await store.close()

The interface is `storage.base` (`Store`, `Transaction`); errors are in
`storage.errors`.
"""

from __future__ import annotations

import os

from storage.base import OutboxMessage, OutboxStats, Store, Transaction
from storage.errors import BusyError, CodeTakenError, MigrationError, NotFoundError, StorageError
from storage.sqlite import SqliteStore, Synchronous

__all__ = [
    "BusyError",
    "CodeTakenError",
    "MigrationError",
    "NotFoundError",
    "OutboxMessage",
    "OutboxStats",
    "SqliteStore",
    "StorageError",
    "Store",
    "Transaction",
    "open_store",
]

_SQLITE_URL = "sqlite:///"


async def open_store(
    path_or_url: str | os.PathLike[str], *, synchronous: Synchronous = "FULL"
) -> Store:
    """Open the database named by a file path or URL, migrating it. This writes.

    A plain path or ``sqlite:///relative/file.sqlite3`` (a fourth slash makes it
    absolute: ``sqlite:////var/lib/suara-warga/db.sqlite3``) opens a SQLite file.
    PostgreSQL URLs are reserved for a later backend and raise StorageError.
    """
    location = os.fspath(path_or_url)
    if location.startswith(_SQLITE_URL):
        location = location.removeprefix(_SQLITE_URL)
    elif "://" in location:
        scheme = location.split("://", 1)[0]
        raise StorageError(
            f"unsupported database URL scheme {scheme!r}: use a file path or {_SQLITE_URL}…"
        )
    if not location:
        raise StorageError(f"no database file in {os.fspath(path_or_url)!r}")
    return await SqliteStore.open(location, synchronous=synchronous)
