"""Storage: the only place with SQL.

Open a store, do each unit of work in one transaction, close it::

    store = await open_store("sqlite:///data/suara-warga.sqlite3")  # or postgresql://…
    async with store.transaction() as tx:
        report = await tx.get_report("SW-7K2Q")
    await store.close()

The interface is `storage.base` (`Store`, `Transaction`); errors are in
`storage.errors`.
"""

from __future__ import annotations

import os
import re

from storage.base import OutboxMessage, OutboxStats, Store, Transaction
from storage.errors import BusyError, CodeTakenError, MigrationError, NotFoundError, StorageError
from storage.postgres import PostgresStore
from storage.sqlite import DEFAULT_BUSY_TIMEOUT, SqliteStore, Synchronous

__all__ = [
    "BusyError",
    "CodeTakenError",
    "MigrationError",
    "NotFoundError",
    "OutboxMessage",
    "OutboxStats",
    "PostgresStore",
    "SqliteStore",
    "StorageError",
    "Store",
    "Transaction",
    "open_store",
]

_SQLITE_URL = "sqlite:///"
_POSTGRES_SCHEMES = ("postgresql", "postgres")
# pathlib.Path("postgresql://h/db") is "postgresql:/h/db": never a file the user meant.
_MANGLED_URL = re.compile(r"(sqlite|postgresql|postgres):/(?!/)")


async def open_store(
    path_or_url: str | os.PathLike[str],
    *,
    synchronous: Synchronous = "FULL",
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
) -> Store:
    """Open the database named by a file path or URL, migrating it. This writes.

    A plain path or ``sqlite:///relative/file.sqlite3`` (a fourth slash makes it
    absolute: ``sqlite:////var/lib/suara-warga/db.sqlite3``) opens a SQLite file, with
    `synchronous` as its PRAGMA. ``postgresql://user:password@host:port/database`` (or
    ``postgres://``) opens PostgreSQL, which several bot processes may share;
    `synchronous` does not apply to it, nor `busy_timeout` (how long a SQLite statement
    waits for another writer's lock, in seconds).
    """
    location = os.fspath(path_or_url)
    mangled = _MANGLED_URL.match(location)
    if mangled:  # the rest may hold a password: not in the message
        raise StorageError(
            f"the database location starts {mangled.group(0)!r}: a URL that lost a '/' "
            "(pathlib.Path does that to URLs); pass the URL as a string"
        )
    if location.startswith(_SQLITE_URL):
        location = location.removeprefix(_SQLITE_URL)
    elif "://" in location:
        scheme = location.split("://", 1)[0]
        if scheme in _POSTGRES_SCHEMES:
            return await PostgresStore.open(location)
        raise StorageError(
            f"unsupported database URL scheme {scheme!r}: use a file path, "
            f"{_SQLITE_URL}… or postgresql://…"
        )
    if not location:
        raise StorageError(f"no database file in {os.fspath(path_or_url)!r}")
    return await SqliteStore.open(location, synchronous=synchronous, busy_timeout=busy_timeout)
