"""The migration runner, written once for every backend.

Each backend keeps its own migration functions, registered in file order
(`storage.migrations` for SQLite, `storage.postgres.migrations` for PostgreSQL), and
says here only how it migrates (`MigrationBackend`): how one migration transaction
begins and commits while holding the write lock, how the ``migrations(name, applied_at)``
table is created, read in order and written. The rules are the runner's:

- names are unique; a database that records a name this version does not know was
  written by a newer version (`MigrationError`);
- each missing migration runs in its own transaction together with its row, after
  re-checking under the lock that another process has not applied it meanwhile;
- a migration that fails raises `MigrationError` and leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, TypeVar

from storage.errors import MigrationError

ConnT = TypeVar("ConnT")
ConnT_co = TypeVar("ConnT_co", covariant=True)


class MigrationBackend(Protocol[ConnT_co]):
    """How one backend runs migrations on one connection."""

    @property
    def connection(self) -> ConnT_co:
        """The connection each migration function receives."""
        ...

    @property
    def failures(self) -> tuple[type[Exception], ...]:
        """Exceptions of a failing migration function, reported as `MigrationError`."""
        ...

    def migrating(self, doing: str) -> AbstractAsyncContextManager[None]:
        """One transaction holding the write lock, committed when the block ends and
        rolled back when it raises; driver errors become `StorageError`s."""
        ...

    async def create_table(self) -> None:
        """Create the ``migrations`` table if it does not exist yet."""
        ...

    async def applied_names(self) -> list[str]:
        """The names of the applied migrations, in the order they were applied."""
        ...

    async def record(self, name: str) -> None:
        """Record `name` as applied now."""
        ...


async def apply_migrations(
    backend: MigrationBackend[ConnT],
    migrations: Sequence[Callable[[ConnT], Awaitable[None]]],
) -> list[str]:
    """Apply the migrations the database has not seen, each in its own transaction.

    Returns the names applied now. Safe when several processes open the same database
    at once: each migration is re-checked after taking the write lock. This writes.
    """
    names = [fn.__name__ for fn in migrations]
    if len(set(names)) != len(names):
        raise MigrationError(f"migration names must be unique, got {names}")
    async with backend.migrating("create migrations table"):
        await backend.create_table()
        applied = await backend.applied_names()
    unknown = sorted(set(applied) - set(names))
    if unknown:
        raise MigrationError(
            f"the database has migrations this version does not know: {', '.join(unknown)}. "
            "It was written by a newer version of the bot; upgrade the bot "
            "(or restore a backup made with this version)."
        )
    applied_now: list[str] = []
    for fn in migrations:
        if await _apply_one(backend, fn):
            applied_now.append(fn.__name__)
    return applied_now


async def _apply_one(
    backend: MigrationBackend[ConnT], fn: Callable[[ConnT], Awaitable[None]]
) -> bool:
    name = fn.__name__
    async with backend.migrating(f"record migration {name}"):
        if name in await backend.applied_names():  # another process was quicker
            return False
        try:
            await fn(backend.connection)
        except backend.failures as exc:
            raise MigrationError(f"migration {name} failed: {exc}") from exc
        await backend.record(name)
    return True
