"""Leases in SQLite: the `leases` table (see `storage.base.Transaction.try_lead`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.sqlite_core import Queries, to_db_time


class LeaseQueries(Queries):
    """The lease operations of a SQLite transaction."""

    async def try_lead(self, name: str, holder: str, now: datetime, lease: timedelta) -> bool:
        """Hold or renew the lease `name` for `holder` until `now + lease`. This writes.

        True if `holder` holds it now (new, renewed, or taken over after expiry).
        """
        if lease <= timedelta(0):
            raise ValueError(f"a lease must last a while, got {lease}")
        # The upsert's WHERE leaves a running lease of another holder alone (0 rows).
        changed, _ = await self._write(
            f"try to lead {name!r}",
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
            "expires_at = excluded.expires_at "
            "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
            (name, holder, to_db_time(now + lease), to_db_time(now)),
        )
        return changed == 1

    async def lease_holder(self, name: str, now: datetime) -> str | None:
        """Who holds the lease `name` now, if anyone. This is a read-only operation."""
        row = await self._row(
            f"read lease {name!r}",
            "SELECT holder FROM leases WHERE name = ? AND expires_at > ?",
            (name, to_db_time(now)),
        )
        return None if row is None else str(row["holder"])
