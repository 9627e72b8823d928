"""What the shared queries need of a backend: running statements, and its dialect.

Statements are written with ``?`` placeholders; the PostgreSQL runner numbers them.
Timestamps pass through `_encode_time` on the way in and `_decode_time` on the way out
(SQLite: sortable UTC text; PostgreSQL: ``timestamptz``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from storage.errors import StorageError

Params = Sequence[object]


class Row(Protocol):
    """A result row (sqlite3.Row, asyncpg.Record): by column name or position."""

    def __getitem__(self, key: Any, /) -> Any: ...


class Runner(ABC):
    """Runs statements on one open transaction; the base of every query mixin."""

    _FOR_UPDATE = ""
    """Appended to a SELECT of a row about to change, to lock it (PostgreSQL)."""
    _LIKE = "LIKE"
    """The case-insensitive LIKE of the backend."""
    _NO_LIMIT: int | None = None
    """The LIMIT that means "no limit"."""
    _IDS_PER_QUERY = 500
    """Most values bound in one `_in` condition; longer lists take several queries."""

    _open = True

    def _finish(self) -> None:
        self._open = False

    def _check_open(self, doing: str) -> None:
        if not self._open:
            raise StorageError(f"{doing}: the transaction has already ended")

    @abstractmethod
    async def _rows(self, doing: str, sql: str, params: Params = ()) -> Sequence[Row]:
        """Run a query and return all its rows."""

    @abstractmethod
    async def _row(self, doing: str, sql: str, params: Params = ()) -> Row | None:
        """Run a query and return its first row, or None."""

    @abstractmethod
    async def _value(self, doing: str, sql: str, params: Params = ()) -> Any:
        """Run a query and return the first column of its first row (None if no row)."""

    @abstractmethod
    async def _execute(self, doing: str, sql: str, params: Params = ()) -> int:
        """Run a statement and return how many rows it affected."""

    @staticmethod
    @abstractmethod
    def _encode_time(value: datetime) -> object:
        """A timestamp as bound; ValueError if it is naive."""

    @staticmethod
    @abstractmethod
    def _decode_time(value: Any, /) -> datetime:
        """A timestamp as read back, aware and in UTC."""

    @abstractmethod
    def _in(self, column: str, values: Sequence[object], sql_type: str) -> tuple[str, Params]:
        """The condition "`column` is one of `values`" (of `sql_type`) and its parameters."""

    @abstractmethod
    def _not_in(self, column: str, values: Sequence[object], sql_type: str) -> tuple[str, Params]:
        """The condition "`column` is none of `values`" and its parameters."""

    @abstractmethod
    def _in_rows_of(self, column: str, subquery: str) -> str:
        """The condition "`column` is one of the values `subquery` gives", read as a list
        of values looked up one by one, whatever the planner estimates of its size."""

    @abstractmethod
    async def _lock_chat(self, chat_id: int) -> None:
        """Make this transaction the chat's only user until it ends."""

    def _chunks_of(self, column: str, ids: Sequence[int]) -> Iterator[tuple[str, Params]]:
        """The condition "`column` is one of `ids`" and its parameters, for at most
        `_IDS_PER_QUERY` ids at a time (a query each)."""
        for start in range(0, len(ids), self._IDS_PER_QUERY):
            yield self._in(column, ids[start : start + self._IDS_PER_QUERY], "bigint")

    def _optional_time(self, value: datetime | None) -> object:
        """`_encode_time`, passing None through."""
        return None if value is None else self._encode_time(value)
