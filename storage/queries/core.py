"""Processed updates, meta key/values, conversations and leases."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.queries.runner import Runner


class CoreQueries(Runner):
    """Exactly-once intake, meta, conversations and leases."""

    # -- updates (exactly-once intake) --------------------------------------------------

    async def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record the update as processed; False if it already was (by any process).

        This writes.
        """
        inserted = await self._execute(
            f"claim update {update_id}",
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?) "
            "ON CONFLICT (update_id) DO NOTHING",
            (update_id, self._encode_time(now)),
        )
        return inserted == 1

    async def prune_updates(self, older_than: datetime) -> int:
        """Forget updates processed before `older_than`; returns how many. This writes."""
        return await self._execute(
            "prune processed updates",
            "DELETE FROM processed_updates WHERE processed_at < ?",
            (self._encode_time(older_than),),
        )

    # -- meta key/value -----------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """The value stored under `key`, or None. This is a read-only operation."""
        value = await self._value(
            f"read meta {key!r}", "SELECT value FROM meta WHERE key = ?", (key,)
        )
        return None if value is None else str(value)

    async def set_meta(self, key: str, value: str) -> None:
        """Store `value` under `key`. This writes."""
        await self._execute(
            f"write meta {key!r}",
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- conversations ------------------------------------------------------------------

    async def load_conversation(self, chat_id: int) -> str | None:
        """The chat's saved state JSON, or None. This is a read-only operation.

        It first takes the chat's lock (`_lock_chat`), kept until the transaction ends:
        a transaction of another process loading the same chat waits here.
        """
        await self._lock_chat(chat_id)
        value = await self._value(
            f"load conversation {chat_id}",
            "SELECT state_json FROM conversations WHERE chat_id = ?",
            (chat_id,),
        )
        return None if value is None else str(value)

    async def save_conversation(
        self,
        chat_id: int,
        state_json: str,
        *,
        updated_at: datetime,
        draft_updated_at: datetime | None,
    ) -> None:
        """Replace the chat's state (taking the chat's lock, if not held yet). This writes."""
        params = (
            chat_id,
            state_json,
            self._encode_time(updated_at),
            self._optional_time(draft_updated_at),
        )
        await self._lock_chat(chat_id)
        await self._execute(
            f"save conversation {chat_id}",
            "INSERT INTO conversations (chat_id, state_json, updated_at, draft_updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
            "state_json = excluded.state_json, updated_at = excluded.updated_at, "
            "draft_updated_at = excluded.draft_updated_at",
            params,
        )

    async def stale_drafts(self, older_than: datetime, limit: int = 100) -> list[int]:
        """Chat ids whose draft was last touched before `older_than`, stalest first.

        This is a read-only operation.
        """
        rows = await self._rows(
            "find stale drafts",
            "SELECT chat_id FROM conversations "
            "WHERE draft_updated_at IS NOT NULL AND draft_updated_at < ? "
            "ORDER BY draft_updated_at, chat_id LIMIT ?",
            (self._encode_time(older_than), limit),
        )
        return [int(row["chat_id"]) for row in rows]

    # -- leases -------------------------------------------------------------------------

    async def try_lead(self, name: str, holder: str, now: datetime, lease: timedelta) -> bool:
        """Hold or renew the lease `name` for `holder` until `now + lease`. This writes.

        True if `holder` holds it now (new, renewed, or taken over after expiry). The
        upsert's WHERE leaves a running lease of another holder alone (0 rows); on
        PostgreSQL it locks the lease row, so of several processes trying at once
        exactly one wins and the others wait for it, then see its running lease.
        """
        if lease <= timedelta(0):
            raise ValueError(f"a lease must last a while, got {lease}")
        changed = await self._execute(
            f"try to lead {name!r}",
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
            "expires_at = excluded.expires_at "
            "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
            (name, holder, self._encode_time(now + lease), self._encode_time(now)),
        )
        return changed == 1

    async def lease_holder(self, name: str, now: datetime) -> str | None:
        """Who holds the lease `name` now, if anyone. This is a read-only operation."""
        holder = await self._value(
            f"read lease {name!r}",
            "SELECT holder FROM leases WHERE name = ? AND expires_at > ?",
            (name, self._encode_time(now)),
        )
        return None if holder is None else str(holder)
