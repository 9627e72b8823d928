"""`suara-warga backup` and `restore`: exit codes and one clear line, no tracebacks."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from flows.codes import format_code
from storage import open_store
from suara_warga.backup_command import run_backup, run_restore
from tests.factories import make_report
from tests.helpers import write_config
from tests.storage.helpers import query


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A closed database holding one report."""
    path = tmp_path / "data" / "suara-warga.sqlite3"
    asyncio.run(add_report(path, 1))
    return path


@pytest.fixture
def config(tmp_path: Path, database: Path) -> Path:
    return write_config(tmp_path, {"storage": {"path": str(database)}})


async def add_report(database: Path, number: int) -> None:
    store = await open_store(database)
    try:
        async with store.transaction() as tx:
            await tx.insert_report(make_report(format_code(number)))
    finally:
        await store.close()


def codes_in(path: Path) -> set[str]:
    return {row[0] for row in query(path, "SELECT code FROM reports")}


def one_line(text: str) -> str:
    assert text.count("\n") == 1 and "Traceback" not in text, text
    return text


def test_backup_writes_the_copy_and_says_where(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backups" / "2024-05-01.sqlite3"

    assert run_backup(config, target) == 0

    out, err = capsys.readouterr()
    assert "Backed up" in one_line(out) and str(target) in out and err == ""
    assert codes_in(target) == {format_code(1)}


def test_backup_refuses_to_overwrite(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "old.sqlite3"
    target.write_text("keep me", encoding="utf-8")

    assert run_backup(config, target) == 1

    out, err = capsys.readouterr()
    assert out == "" and "already exists" in one_line(err)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_backup_without_a_database_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, {"storage": {"path": str(tmp_path / "none.sqlite3")}})

    assert run_backup(config, tmp_path / "copy.sqlite3") == 1

    assert "no database" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("[storage\n", id="broken-toml"),
        pytest.param("[storage]\npth = 'x'\n[telegram]\ntoken = 'x'\n", id="two-problems"),
    ],
)
def test_bad_config_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    config = write_config(tmp_path, content)

    assert run_backup(config, tmp_path / "copy.sqlite3") == 2
    assert run_restore(config, tmp_path / "copy.sqlite3", yes=True) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err
    assert not (tmp_path / "copy.sqlite3").exists()


def test_missing_config_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_backup(tmp_path / "nope.toml", tmp_path / "copy.sqlite3") == 2
    assert "not found" in one_line(capsys.readouterr().err)


def test_restore_needs_yes(
    config: Path, database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.sqlite3"
    assert run_backup(config, saved) == 0
    asyncio.run(add_report(database, 2))
    capsys.readouterr()

    assert run_restore(config, saved, yes=False) == 2

    assert "--yes" in one_line(capsys.readouterr().err)
    assert codes_in(database) == {format_code(1), format_code(2)}


def test_restore_puts_the_backup_back_and_keeps_the_old_file(
    config: Path, database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.sqlite3"
    assert run_backup(config, saved) == 0
    asyncio.run(add_report(database, 2))
    capsys.readouterr()

    assert run_restore(config, saved, yes=True) == 0

    out = one_line(capsys.readouterr().out)
    (kept,) = database.parent.glob("*.before-restore-*")
    assert "Restored" in out and str(kept) in out
    assert codes_in(database) == {format_code(1)}
    assert codes_in(kept) == {format_code(1), format_code(2)}


def test_restore_refuses_while_the_bot_has_the_database_open(
    config: Path, database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.sqlite3"
    assert run_backup(config, saved) == 0
    capsys.readouterr()

    with closing(sqlite3.connect(database)) as bot:
        bot.execute("SELECT count(*) FROM reports").fetchall()  # an idle WAL reader
        assert run_restore(config, saved, yes=True) == 1

    assert "in use" in one_line(capsys.readouterr().err)
    assert not list(database.parent.glob("*.before-restore-*"))


def test_restore_of_a_missing_backup_fails(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_restore(config, tmp_path / "nope.sqlite3", yes=True) == 1
    assert "no backup" in one_line(capsys.readouterr().err)
