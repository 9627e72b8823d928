"""The shared queries' ``?`` placeholders, numbered for asyncpg."""

from __future__ import annotations

import pytest

from storage.postgres.core import numbered


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        pytest.param("SELECT 1", "SELECT 1", id="no-placeholders"),
        pytest.param(
            "SELECT x FROM t WHERE a = ? AND b < ? LIMIT ?",
            "SELECT x FROM t WHERE a = $1 AND b < $2 LIMIT $3",
            id="numbered-in-order",
        ),
        pytest.param(
            "SELECT x FROM t WHERE d ILIKE ? ESCAPE '\\' AND e = '?' AND f = ?",
            "SELECT x FROM t WHERE d ILIKE $1 ESCAPE '\\' AND e = '?' AND f = $2",
            id="string-literals-left-alone",
        ),
        pytest.param(
            "SELECT pg_advisory_xact_lock($1::bigint)",
            "SELECT pg_advisory_xact_lock($1::bigint)",
            id="numbered-by-hand",
        ),
    ],
)
def test_placeholders_are_numbered(sql: str, expected: str) -> None:
    assert numbered(sql) == expected


def test_a_statement_is_numbered_once() -> None:
    sql = "SELECT holder FROM leases WHERE name = ? AND expires_at > ?"
    assert numbered(sql) is numbered(sql)
