"""`storage.postgres.steps.literal` against a real PostgreSQL: the step's save travels
with the COMMIT with its values written as SQL literals, so every text a resident can
send must come back exactly. Thousands of strings drawn (seeded) from an alphabet of the
characters that matter to SQL and to Unicode, each read back by the server."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import asyncpg

from storage.postgres.steps import literal, with_literals

TRICKY = (
    "'", "''", "\\", "\\'", "$", "$$", "$1", "E'", '"', ";", "--", "/*", "*/", "\n", "\r",
    "\t", "\x01", "\x1f", "\x7f", "é", "ñ", "ß", "ٱ", "‏", "\u200b", "\u0301", "😀", "🇮🇩",
    "\ufeff", "\U0010ffff", "a", "Z", "0", " ", "%", "_", "{", "}", "[", "]", ",",
)  # fmt: skip


def drawn(count: int, seed: int = 7) -> list[str]:
    """Strings of 0-40 characters from `TRICKY` and random code points (no NUL and no
    lone surrogates: neither can be text in PostgreSQL, whatever the quoting)."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(0, 40)):
            if rng.random() < 0.6:
                parts.append(rng.choice(TRICKY))
            else:
                code = rng.randint(1, 0x10FFFF)
                parts.append(chr(code) if not 0xD800 <= code <= 0xDFFF else "x")
        out.append("".join(parts))
    return out


async def test_every_drawn_text_comes_back_exactly(postgres_server: str) -> None:
    texts = drawn(3000)
    conn = await asyncpg.connect(postgres_server)
    try:
        for start in range(0, len(texts), 100):
            batch = texts[start : start + 100]
            sql = "SELECT " + ", ".join(f"{literal(text)}::text" for text in batch)
            row = await conn.fetchrow(sql)
            assert row is not None
            assert list(row) == batch
        # The same through a statement's $n marks, arrays and the other types.
        at = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
        params = (texts[:50], 42, True, None, at.astimezone(UTC) + timedelta(hours=7))
        sql = "SELECT $1::text[], $2::bigint, $3::boolean, $4::text, $5::timestamptz"
        row = await conn.fetchrow(with_literals(sql, params))
        assert row is not None
        assert list(row) == [texts[:50], 42, True, None, at + timedelta(hours=7)]
    finally:
        await conn.close()
