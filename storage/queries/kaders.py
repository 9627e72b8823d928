"""The kader registry: one-time invitations, verified kader, report counts."""

from __future__ import annotations

from datetime import datetime

from storage.base import KaderRecord
from storage.queries.officers import OfficerQueries
from storage.queries.runner import Params


class KaderQueries(OfficerQueries):
    """The kader operations."""

    async def create_kader_invite(
        self, token: str, name: str, kelurahan: str, *, created_by: int, at: datetime
    ) -> None:
        """Store a one-time invitation. This writes."""
        await self._execute(
            "create kader invite",
            "INSERT INTO kader_invites (token, name, kelurahan, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (token, name, kelurahan, created_by, self._encode_time(at)),
        )

    async def use_kader_invite(self, token: str, user_id: int, at: datetime) -> KaderRecord | None:
        """Turn an unused invitation into a verified kader; None if unknown or used.

        This writes. Two people using one invitation at once: the second UPDATE waits
        for the first and then finds it used.
        """
        invite = await self._row(
            "use kader invite",
            "UPDATE kader_invites SET used_by = ?, used_at = ? "
            "WHERE token = ? AND used_by IS NULL RETURNING name, kelurahan",
            (user_id, self._encode_time(at), token),
        )
        if invite is None:
            return None
        await self._execute(
            "register kader",
            "INSERT INTO kaders (user_id, name, kelurahan, verified_at, active) "
            "VALUES (?, ?, ?, ?, true) ON CONFLICT (user_id) DO UPDATE SET "
            "name = excluded.name, kelurahan = excluded.kelurahan, "
            "verified_at = excluded.verified_at, active = true",
            (user_id, invite["name"], invite["kelurahan"], self._encode_time(at)),
        )
        return await self.kader(user_id)

    async def kader(self, user_id: int) -> KaderRecord | None:
        """The kader with this Telegram user id, if registered. Read-only."""
        found = await self._kaders("WHERE k.user_id = ?", (user_id,))
        return found[0] if found else None

    async def kaders(self) -> list[KaderRecord]:
        """Every registered kader, by kelurahan and name. Read-only."""
        return await self._kaders("", ())

    async def set_kader_active(self, user_id: int, active: bool) -> bool:
        """(De)activate a kader; False if there is none. This writes."""
        changed = await self._execute(
            "set kader active",
            "UPDATE kaders SET active = ? WHERE user_id = ?",
            (active, user_id),
        )
        return changed == 1

    async def _kaders(self, where: str, params: Params) -> list[KaderRecord]:
        rows = await self._rows(
            "read kaders",
            # `where` is a literal of this module; values are bound.
            "SELECT k.user_id, k.name, k.kelurahan, k.active, "  # noqa: S608
            "(SELECT count(*) FROM reports r WHERE r.reporter_user_id = k.user_id "
            " AND r.neighbour_name IS NOT NULL) AS reports "
            f"FROM kaders k {where} ORDER BY k.kelurahan, k.name, k.user_id",
            params,
        )
        return [
            KaderRecord(
                user_id=int(row["user_id"]),
                name=str(row["name"]),
                kelurahan=str(row["kelurahan"]),
                active=bool(row["active"]),
                reports=int(row["reports"]),
            )
            for row in rows
        ]
