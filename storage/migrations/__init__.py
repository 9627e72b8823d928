"""The SQLite schema, as named migration functions registered in order.

Each migration runs in its own transaction together with its row in the
``migrations(name, applied_at)`` table, so a file is never left half-migrated.
Opening a file applies only the migrations it has not seen yet. A file that records
a migration this code does not know was written by a newer version: `MigrationError`.
The runner is `storage.migrate`, shared with PostgreSQL; only how SQLite takes its
write lock and keeps the ``migrations`` table is written here.

The migrations live in modules by range of versions (`m001_to_m009`, `m010_onward`),
each registering its own in file order; `MIGRATIONS` puts the ranges one after the
other. To change the schema, append a new function at the end of `m010_onward.py`;
never edit or reorder applied ones::

    @migration
    async def m005_add_report_votes(db: aiosqlite.Connection) -> None:
        await run(db, "ALTER TABLE reports ADD COLUMN votes INTEGER NOT NULL DEFAULT 0")

Statements run one by one (not ``executescript``, which would COMMIT first).
"""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from storage import migrate
from storage.migrations import m001_to_m009, m010_onward
from storage.migrations.base import Migration, run
from storage.sqlite_migrate import SqliteMigrations

__all__ = ["MIGRATIONS", "Migration", "apply_migrations", "run"]

MIGRATIONS: list[Migration] = [*m001_to_m009.MIGRATIONS, *m010_onward.MIGRATIONS]
"""Every migration of this version, in order. Copy it to extend it (tests do)."""


# -- applying ---------------------------------------------------------------------------


async def apply_migrations(
    conn: aiosqlite.Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[str]:
    """Apply the migrations this file has not seen, each in its own transaction
    (`storage.migrate`). Returns the names applied now. This writes."""
    return await migrate.apply_migrations(SqliteMigrations(conn), migrations)
