"""A resident's step on PostgreSQL in two round trips between BEGIN and COMMIT.

The engine's step reads her chat (claim, unblock, lock, `open_chat`) and ends by
queueing its answers and saving her conversation (`save_step`). On SQLite these are
several statements, which cost no trip; here each is a round trip, about 65 µs of the
bot's CPU and a wake-up of the server's backend (docs/benchmarks.md §13-§16), so two
PL/pgSQL functions (migration m020) do each end in one:

* `claim_chat_update` calls ``sw_claim_open_chat``, which also reads what `open_chat`
  would, after the lock is held (a VOLATILE function under READ COMMITTED takes a new
  snapshot per statement). The read is kept for the transaction's next statement: if
  that is `open_chat` of the same chat it costs no trip; any other statement first
  drops it, so a later `open_chat` reads again and never sees a stale queue.
* `save_step` calls ``sw_save_step``: the answers' outbox rows (the notice to other
  processes' senders included) and the conversation in one statement. It is the
  step's last write, so it waits: `_commit` sends it with the COMMIT, in one simple
  query (its values written as literals, `literal`), one round trip for both. Any
  other statement of the transaction first sends it on its own (prepared), so what
  runs after `save_step` sees its writes, as on SQLite; a rollback drops it unsent.
  Its errors then surface at commit, which rolls the whole unit of work back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.interface.backlog import ChatQueue
from storage.postgres.core import PostgresRunner
from storage.queries import Queries
from storage.queries.outbox import BLOCKED
from storage.queries.runner import Params, Row
from storage.timestamps import utc

OUTBOX_CHANNEL = "suara_warga_outbox"
"""Notified when a transaction that queued messages commits (`PostgresStore.outbox_wakeups`)."""

_CLAIM_OPEN_CHAT = "SELECT * FROM sw_claim_open_chat($1::bigint, $2::timestamptz, $3::bigint)"
_SAVE_STEP = (
    "SELECT sw_save_step($1::bigint, $2::text, $3::timestamptz, $4::timestamptz, "
    "$5::text[], $6::boolean[], $7::text, $8::smallint, $9::timestamptz, $10::text, "
    "$11::text, $12::text)"
)

_PARAMETER = re.compile(r"\$(\d+)")


def literal(value: object) -> str:
    """`value` as an SQL literal, for a statement sent with its values (`_commit`):
    None, bool, int, str (an escape string: backslashes and quotes doubled, so it
    reads the same whatever ``standard_conforming_strings`` says), an aware datetime
    (as UTC, ISO 8601) or a list of those (an ARRAY)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return literal(utc(value).isoformat())
    if isinstance(value, str):
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
    if isinstance(value, list):
        return "ARRAY[" + ", ".join(literal(item) for item in value) + "]"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def with_literals(sql: str, params: Params) -> str:
    """`sql` with its ``$n`` parameters replaced by `params`' literals."""
    return _PARAMETER.sub(lambda mark: literal(params[int(mark[1]) - 1]), sql)


class PostgresSteps(PostgresRunner, Queries):
    """`claim_chat_update`, `open_chat` and `save_step` in one round trip each."""

    _notify_as = ""
    """The payload of this transaction's outbox notices: its store's (`PostgresStore`)."""
    _opened: tuple[int, ChatQueue, str | None] | None = None
    """The chat read by the claim, valid until the next statement."""
    _waiting: tuple[str, Params] | None = None
    """`save_step`'s statement and parameters, not sent yet."""

    async def claim_chat_update(self, update_id: int, chat_id: int, now: datetime) -> bool:
        """One statement (``sw_claim_open_chat``); the contract is the shared one's.
        Claimed, it keeps what `open_chat` would read for the next statement."""
        row = await self._row(
            f"claim update {update_id} of chat {chat_id}",
            _CLAIM_OPEN_CHAT,
            (update_id, utc(now), chat_id),
        )
        assert row is not None  # the function returns one row
        if not row["claimed"]:
            return False
        self._chats_locked.add(chat_id)
        oldest, state = row["oldest"], row["state_json"]
        queue = ChatQueue(queued=int(row["queued"]), oldest=oldest, told=bool(row["told"]))
        self._opened = (chat_id, queue, None if state is None else str(state))
        return True

    async def open_chat(self, chat_id: int) -> tuple[ChatQueue, str | None]:
        """What the claim read, if no statement ran since; else read (the shared one)."""
        opened, self._opened = self._opened, None
        if opened is not None and opened[0] == chat_id:
            return opened[1], opened[2]
        return await super().open_chat(chat_id)

    async def save_step(
        self,
        chat_id: int,
        state_json: str,
        *,
        updated_at: datetime,
        draft_updated_at: datetime | None,
        replies: Sequence[Sequence[str]],
        purpose: str,
        lane: int,
        now: datetime,
    ) -> None:
        """One statement (``sw_save_step``), sent with the COMMIT unless another
        statement comes first; the contract is the shared one's."""
        await self._lock_chat(chat_id)
        await self._send_waiting()
        self._check_open(f"save the step of chat {chat_id}")
        payloads = [payload for parts in replies for payload in parts]
        starts = [i == 0 for parts in replies for i in range(len(parts))]
        self._waiting = (
            _SAVE_STEP,
            (
                chat_id,
                state_json,
                utc(updated_at),
                None if draft_updated_at is None else utc(draft_updated_at),
                payloads,
                starts,
                purpose,
                lane,
                utc(now),
                BLOCKED,
                OUTBOX_CHANNEL,
                self._notify_as,
            ),
        )

    async def _commit(self) -> None:
        """COMMIT, with `save_step`'s statement if it waits (one simple query)."""
        self._check_open("commit")
        waiting, self._waiting = self._waiting, None
        if waiting is None:
            await self._conn.execute("COMMIT")
        else:
            await self._conn.execute(with_literals(*waiting) + ";\nCOMMIT")

    async def _send_waiting(self) -> None:
        """Send `save_step`'s statement on its own, if it waits."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            await super()._execute("save the step", *waiting)

    # Any statement sends what waits first, and drops what the claim read (`_opened`):
    # it may change the chat.

    async def _rows(self, doing: str, sql: str, params: Params = ()) -> Sequence[Row]:
        await self._send_waiting()
        self._opened = None
        return await super()._rows(doing, sql, params)

    async def _row(self, doing: str, sql: str, params: Params = ()) -> Row | None:
        await self._send_waiting()
        self._opened = None
        return await super()._row(doing, sql, params)

    async def _value(self, doing: str, sql: str, params: Params = ()) -> Any:
        await self._send_waiting()
        self._opened = None
        return await super()._value(doing, sql, params)

    async def _execute(self, doing: str, sql: str, params: Params = ()) -> int:
        await self._send_waiting()
        self._opened = None
        return await super()._execute(doing, sql, params)

    async def _execute_many(self, doing: str, sql: str, rows: Sequence[Params]) -> None:
        await self._send_waiting()
        self._opened = None
        await super()._execute_many(doing, sql, rows)
