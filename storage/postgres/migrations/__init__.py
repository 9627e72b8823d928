"""The PostgreSQL schema: the same named migrations as SQLite's, in PostgreSQL's DDL.

A database goes through the same history as a SQLite file (`storage.migrations`):
m001... in order, each in one transaction with its row in ``migrations``. Where SQLite
stores text timestamps and 0/1, PostgreSQL has ``timestamptz`` and ``boolean``; ids are
identity columns and Telegram ids ``bigint``. To change the schema, append a function
at the end of `m010_onward.py` *and* one with the same name at the end of
`storage.migrations.m010_onward`; never edit applied ones.

Several processes may open a new database at once: every migration transaction first
takes one advisory lock (`pg_advisory_xact_lock`), then re-checks what is applied, so
each migration runs exactly once and the others wait for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storage import migrate
from storage.postgres.migrate import PostgresMigrations
from storage.postgres.migrations import m001_to_m009, m010_onward
from storage.postgres.migrations.base import Migration, run

if TYPE_CHECKING:
    from storage.postgres.core import Connection

__all__ = ["MIGRATIONS", "Migration", "apply_migrations", "run"]

MIGRATIONS: list[Migration] = [*m001_to_m009.MIGRATIONS, *m010_onward.MIGRATIONS]
"""Every migration of this version, in order. Copy it to extend it (tests do)."""


# -- applying ---------------------------------------------------------------------------


async def apply_migrations(
    conn: Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[str]:
    """Apply the migrations this database has not seen, each in its own transaction
    (`storage.migrate`; see the module docstring for the lock). Returns the names
    applied now. This writes."""
    return await migrate.apply_migrations(PostgresMigrations(conn), migrations)
