"""The kader registry in PostgreSQL: one-time invitations, verified kader, report counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.base import KaderRecord
from storage.postgres.core import utc
from storage.postgres.officers import OfficerQueries


class KaderQueries(OfficerQueries):
    """The kader operations of a PostgreSQL transaction."""

    async def create_kader_invite(
        self, token: str, name: str, kelurahan: str, *, created_by: int, at: datetime
    ) -> None:
        """Store a one-time invitation. This writes."""
        await self._execute(
            "create kader invite",
            "INSERT INTO kader_invites (token, name, kelurahan, created_by, created_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            (token, name, kelurahan, created_by, utc(at)),
        )

    async def use_kader_invite(self, token: str, user_id: int, at: datetime) -> KaderRecord | None:
        """Turn an unused invitation into a verified kader; None if unknown or used.

        This writes. Two people using one invitation at once: the second UPDATE waits
        for the first and then finds it used.
        """
        invite = await self._row(
            "use kader invite",
            "UPDATE kader_invites SET used_by = $1, used_at = $2 "
            "WHERE token = $3 AND used_by IS NULL RETURNING name, kelurahan",
            (user_id, utc(at), token),
        )
        if invite is None:
            return None
        await self._execute(
            "register kader",
            "INSERT INTO kaders (user_id, name, kelurahan, verified_at, active) "
            "VALUES ($1, $2, $3, $4, true) ON CONFLICT (user_id) DO UPDATE SET "
            "name = excluded.name, kelurahan = excluded.kelurahan, "
            "verified_at = excluded.verified_at, active = true",
            (user_id, invite["name"], invite["kelurahan"], utc(at)),
        )
        return await self.kader(user_id)

    async def kader(self, user_id: int) -> KaderRecord | None:
        """The kader with this Telegram user id, if registered. Read-only."""
        found = await self._kaders("WHERE k.user_id = $1", (user_id,))
        return found[0] if found else None

    async def kaders(self) -> list[KaderRecord]:
        """Every registered kader, by kelurahan and name. Read-only."""
        return await self._kaders("", ())

    async def set_kader_active(self, user_id: int, active: bool) -> bool:
        """(De)activate a kader; False if there is none. This writes."""
        changed = await self._execute(
            "set kader active",
            "UPDATE kaders SET active = $1 WHERE user_id = $2",
            (active, user_id),
        )
        return changed == 1

    async def _kaders(self, where: str, params: Sequence[object]) -> list[KaderRecord]:
        rows = await self._rows(
            "read kaders",
            # `where` is a literal of this module; values are bound.
            "SELECT k.user_id, k.name, k.kelurahan, k.active, "  # noqa: S608
            "(SELECT count(*) FROM reports r WHERE r.reporter_user_id = k.user_id "
            " AND r.neighbour_name IS NOT NULL) AS reports "
            f"FROM kaders k {where} ORDER BY k.kelurahan, k.name, k.user_id",
            params,
        )
        return [KaderRecord(**dict(row)) for row in rows]
