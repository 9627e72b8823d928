"""What the SQLite migration modules share: the type of a migration, `run`, and
`registrar`, which keeps a module's migrations in the order they are written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosqlite

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]


def registrar(into: list[Migration]) -> Callable[[Migration], Migration]:
    """The ``@migration`` decorator of a module: it appends each function it decorates
    to `into`, in file order; a function's ``__name__`` is its permanent name."""

    def migration(fn: Migration) -> Migration:
        into.append(fn)
        return fn

    return migration


async def run(db: aiosqlite.Connection, *statements: str) -> None:
    """Execute schema statements in order, inside the caller's transaction."""
    for statement in statements:
        await db.execute(statement)
