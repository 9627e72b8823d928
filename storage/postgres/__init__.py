"""The PostgreSQL backend: `PostgresStore`, for several bot processes on one database.

Open it with `storage.open_store("postgresql://user:password@host:port/database")`.
"""

from __future__ import annotations

from storage.postgres.store import PostgresStore, PostgresTransaction

__all__ = ["PostgresStore", "PostgresTransaction"]
