"""Online backup and restore: a consistent copy while the bot writes, a safe swap back."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from flows.codes import format_code
from storage import backup as backup_module
from storage import open_store
from storage.backup import BackupError, backup_sqlite, restore_sqlite
from storage.base import Store
from storage.sqlite import SqliteStore
from tests.factories import NOW, make_report
from tests.storage.helpers import query


async def file_report(store: Store, number: int) -> None:
    """One unit of work as the bot does it: a report with its photos, history and chat."""
    async with store.transaction() as tx:
        await tx.insert_report(make_report(format_code(number), description="x" * 400))
        await tx.save_conversation(number, "{}", updated_at=NOW, draft_updated_at=None)


def names_in(folder: Path, pattern: str = "*") -> list[str]:
    """File names in `folder` (pathlib's "*" matches dot files too)."""
    return sorted(path.name for path in folder.glob(pattern))


def codes_in(path: Path) -> set[str]:
    return {row[0] for row in query(path, "SELECT code FROM reports")}


def assert_consistent(path: Path) -> None:
    """Every transaction in the file is whole: each report has its photos, history, chat."""
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    reports = query(path, "SELECT id, reporter_chat_id FROM reports")
    histories = query(path, "SELECT DISTINCT report_id FROM report_history")
    photos = query(path, "SELECT report_id, count(*) FROM report_photos GROUP BY report_id")
    chats = query(path, "SELECT count(*) FROM conversations")
    assert {report_id for report_id, _ in reports} == {row[0] for row in histories}
    assert all(count == 2 for _, count in photos) and len(photos) == len(reports)
    assert chats == [(len(reports),)]


async def test_backup_while_writing_is_a_consistent_snapshot(
    sqlite_db: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(200):
        await file_report(sqlite_db, number)
    monkeypatch.setattr(backup_module, "BACKUP_STEP_PAGES", 4)  # many steps...
    monkeypatch.setattr(backup_module, "BACKUP_STEP_PAUSE", 0.002)  # ...with writes between
    copy = tmp_path / "backups" / "copy.sqlite3"
    done = asyncio.Event()
    written: list[int] = []

    async def keep_writing() -> None:
        number = 1000
        while not done.is_set():
            await file_report(sqlite_db, number)
            written.append(number)
            number += 1

    async def back_up() -> None:
        await asyncio.sleep(0.01)  # let the writer get going
        try:
            await backup_sqlite(sqlite_db.path, copy)
        finally:
            done.set()

    await asyncio.gather(keep_writing(), back_up())

    assert len(written) > 5, "the writer was blocked during the backup"
    assert_consistent(copy)
    in_copy = codes_in(copy)
    assert {format_code(n) for n in range(200)} <= in_copy
    assert in_copy < codes_in(sqlite_db.path)  # a snapshot from before the last writes
    assert query(copy, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    store = await open_store(copy)
    try:
        async with store.transaction() as tx:
            report = await tx.get_report(format_code(7))
            assert [entry.to_status for entry in await tx.history(report.id)] == ["diterima"]
    finally:
        await store.close()


async def test_backup_leaves_only_the_copy_behind(sqlite_db: SqliteStore, tmp_path: Path) -> None:
    await file_report(sqlite_db, 1)
    target = tmp_path / "out" / "suara-warga-2024-05-01.sqlite3"

    await backup_sqlite(sqlite_db.path, target)

    assert names_in(target.parent) == [target.name]
    assert codes_in(target) == {format_code(1)}


async def test_backup_refuses_an_existing_target(sqlite_db: SqliteStore, tmp_path: Path) -> None:
    target = tmp_path / "yesterday.sqlite3"
    target.write_bytes(b"yesterday's backup")

    with pytest.raises(BackupError, match="already exists"):
        await backup_sqlite(sqlite_db.path, target)

    assert target.read_bytes() == b"yesterday's backup"


async def test_backup_of_a_missing_database_fails(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database"):
        await backup_sqlite(tmp_path / "nothing.sqlite3", tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()


async def test_backup_of_a_file_that_is_not_a_database_fails(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Cleo's shopping list\n" * 100, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(BackupError):
        await backup_sqlite(source, out / "copy.sqlite3")

    assert names_in(out) == []  # no partial copy left over


# -- restore ----------------------------------------------------------------------------


async def test_restore_over_a_closed_database_brings_the_backup_back(tmp_path: Path) -> None:
    live = tmp_path / "suara-warga.sqlite3"
    saved = tmp_path / "backup.sqlite3"
    store = await open_store(live)
    await file_report(store, 1)
    await backup_sqlite(live, saved)
    await file_report(store, 2)  # written after the backup: lost by the restore...
    await store.close()

    await restore_sqlite(saved, live)

    store = await open_store(live)
    try:
        async with store.transaction() as tx:
            assert await tx.get_report(format_code(1))
    finally:
        await store.close()
    assert codes_in(live) == {format_code(1)}
    (kept,) = names_in(tmp_path, "*.before-restore-*")
    assert codes_in(tmp_path / kept) == {format_code(1), format_code(2)}  # ...but kept
    assert saved.exists()


async def test_restore_refuses_while_a_store_has_the_database_open(
    sqlite_db: SqliteStore, tmp_path: Path
) -> None:
    saved = tmp_path / "backup.sqlite3"
    await backup_sqlite(sqlite_db.path, saved)
    await file_report(sqlite_db, 1)

    with pytest.raises(BackupError, match="in use"):
        await restore_sqlite(saved, sqlite_db.path)

    await file_report(sqlite_db, 2)  # the store still works on the same file
    assert codes_in(sqlite_db.path) == {format_code(1), format_code(2)}
    assert names_in(tmp_path, "*before-restore*") + names_in(tmp_path, ".*") == []


async def test_restore_into_an_empty_place(sqlite_db: SqliteStore, tmp_path: Path) -> None:
    await file_report(sqlite_db, 1)
    saved = tmp_path / "backup.sqlite3"
    await backup_sqlite(sqlite_db.path, saved)
    fresh = tmp_path / "new-server" / "data" / "suara-warga.sqlite3"

    await restore_sqlite(saved, fresh)

    assert codes_in(fresh) == {format_code(1)}
    assert names_in(fresh.parent) == [fresh.name]  # dot files too


async def test_restore_replaces_a_corrupt_database(sqlite_db: SqliteStore, tmp_path: Path) -> None:
    saved = tmp_path / "backup.sqlite3"
    await file_report(sqlite_db, 1)
    await backup_sqlite(sqlite_db.path, saved)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"\x00" * 4096)

    await restore_sqlite(saved, broken)

    assert codes_in(broken) == {format_code(1)}
    (kept,) = names_in(tmp_path, "broken.sqlite3.before-restore-*")
    assert (tmp_path / kept).read_bytes() == b"\x00" * 4096


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"not a database at all" * 200, id="garbage"),
        pytest.param(None, id="sqlite-file-of-another-app"),
    ],
)
async def test_restore_refuses_a_file_that_is_not_a_backup(
    sqlite_db: SqliteStore, tmp_path: Path, content: bytes | None
) -> None:
    await file_report(sqlite_db, 1)
    await sqlite_db.close()
    wrong = tmp_path / "wrong.sqlite3"
    if content is None:
        query(wrong, "CREATE TABLE recipes (name TEXT)")
    else:
        wrong.write_bytes(content)

    with pytest.raises(BackupError):
        await restore_sqlite(wrong, sqlite_db.path)

    assert codes_in(sqlite_db.path) == {format_code(1)}
    assert names_in(tmp_path, "*before-restore*") == []


async def test_restore_of_a_missing_backup_fails(sqlite_db: SqliteStore, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no backup"):
        await restore_sqlite(tmp_path / "nothing.sqlite3", sqlite_db.path)
