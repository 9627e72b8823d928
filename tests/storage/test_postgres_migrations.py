"""PostgreSQL migrations: SQLite's names, applied once (also by concurrent openers),
recorded, extended later, refused when unknown."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from storage import migrations as sqlite_migrations
from storage.errors import MigrationError
from storage.postgres import PostgresStore
from storage.postgres.migrations import MIGRATIONS, Migration, run
from tests.factories import NOW, make_report
from tests.storage.helpers import fetch

if TYPE_CHECKING:
    from storage.postgres.core import Connection

REGISTERED = [fn.__name__ for fn in MIGRATIONS]


async def m008_add_report_votes(conn: Connection) -> None:
    """A migration a later version of the bot might add."""
    await run(conn, "ALTER TABLE reports ADD COLUMN votes integer NOT NULL DEFAULT 0")


async def m008_broken(conn: Connection) -> None:
    """Creates a table, then fails: neither may survive."""
    await run(conn, "CREATE TABLE half_done (id integer PRIMARY KEY)", "SELECT * FROM nowhere")


async def applied(pg_url: str) -> list[Any]:
    return [row[0] for row in await fetch(pg_url, "SELECT name FROM migrations ORDER BY seq")]


async def tables(pg_url: str) -> set[Any]:
    rows = await fetch(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {row[0] for row in rows}


async def test_the_migrations_have_the_same_names_as_sqlites() -> None:
    assert [fn.__name__ for fn in sqlite_migrations.MIGRATIONS] == REGISTERED


async def test_a_fresh_database_records_every_migration_in_order(pg_db: PostgresStore) -> None:
    assert sorted(REGISTERED) == REGISTERED
    assert await applied(pg_db.dsn) == REGISTERED
    assert {"reports", "report_photos", "outbox", "leases", "migrations"} <= await tables(pg_db.dsn)


async def test_reopening_applies_nothing_again(pg_url: str) -> None:
    store = await PostgresStore.open(pg_url)
    await store.close()
    first = await fetch(pg_url, "SELECT name, applied_at FROM migrations ORDER BY seq")

    store = await PostgresStore.open(pg_url)
    await store.close()

    assert await fetch(pg_url, "SELECT name, applied_at FROM migrations ORDER BY seq") == first


async def test_a_later_migration_is_applied_on_reopen_and_keeps_data(pg_url: str) -> None:
    store = await PostgresStore.open(pg_url)
    async with store.transaction() as tx:
        await tx.insert_report(make_report("SW-7K3M-Q9XA"))
    await store.close()

    extended: list[Migration] = [*MIGRATIONS, m008_add_report_votes]
    store = await PostgresStore.open(pg_url, migrations=extended)
    try:
        async with store.transaction() as tx:
            report = await tx.get_report("SW-7K3M-Q9XA")
    finally:
        await store.close()

    assert await applied(pg_url) == [*REGISTERED, "m008_add_report_votes"]
    assert report.reporter.name == "Siti Aminah"
    assert await fetch(pg_url, "SELECT code, votes FROM reports") == [("SW-7K3M-Q9XA", 0)]


async def test_a_database_from_a_newer_version_is_refused(pg_url: str) -> None:
    store = await PostgresStore.open(pg_url, migrations=[*MIGRATIONS, m008_add_report_votes])
    await store.close()

    with pytest.raises(MigrationError, match=r"m008_add_report_votes.*newer version"):
        await PostgresStore.open(pg_url)


async def test_a_failing_migration_leaves_nothing_behind(pg_url: str) -> None:
    with pytest.raises(MigrationError, match="m008_broken failed"):
        await PostgresStore.open(pg_url, migrations=[*MIGRATIONS, m008_broken])

    assert await applied(pg_url) == REGISTERED
    assert "half_done" not in await tables(pg_url)


async def test_duplicate_migration_names_are_refused(pg_url: str) -> None:
    with pytest.raises(MigrationError, match="unique"):
        await PostgresStore.open(pg_url, migrations=[*MIGRATIONS, MIGRATIONS[0]])


async def test_processes_opening_a_new_database_together_migrate_it_once(pg_url: str) -> None:
    stores = await asyncio.gather(*(PostgresStore.open(pg_url) for _ in range(4)))
    try:
        claims = []
        for store in stores:
            async with store.transaction() as tx:
                claims.append(await tx.claim_update(1, NOW))
    finally:
        for store in stores:
            await store.close()

    assert claims == [True, False, False, False]
    assert await applied(pg_url) == REGISTERED
