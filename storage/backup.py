"""Online backup and restore of the SQLite database file.

Theory of operation:

* `backup_sqlite` copies a live database with SQLite's backup API, `BACKUP_STEP_PAGES`
  pages per step, into a temporary file beside the target. On a WAL database (the
  bot's) the copy holds one read transaction from the first page to the last, so it
  is one consistent snapshot while writers carry on: WAL readers never block writers.
  The copy is switched to ``journal_mode=DELETE`` (one self-contained file), checked
  with ``PRAGMA integrity_check`` and for the ``migrations`` table, and only then
  linked to its final name, which never overwrites an existing file.
* `restore_sqlite` checks the backup the same way, copies it beside the target and
  checks the copy, makes sure no connection has the target open (an exclusive lock,
  which an open WAL connection prevents), moves the old file and its ``-wal``/``-shm``
  aside as ``<target>.before-restore-<UTC time>``, and renames the copy into place.

Both run their blocking work in a thread (`asyncio.to_thread`). Every refusal or
failure raises `BackupError` with a message for the operator.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from storage.errors import StorageError

__all__ = [
    "BACKUP_STEP_PAGES",
    "BACKUP_STEP_PAUSE",
    "BackupError",
    "backup_sqlite",
    "restore_sqlite",
]

BACKUP_STEP_PAGES = 1024
"""Pages copied per backup step (4 MiB with the default 4 KiB pages)."""

BACKUP_STEP_PAUSE = 0.0
"""Seconds to rest between backup steps, to leave the disk to the bot on a slow server."""

LOCK_TIMEOUT = 0.2
"""Seconds `restore_sqlite` waits for the exclusive lock on the target before refusing."""

_SIDECARS = ("-wal", "-shm", "-journal")


class BackupError(StorageError):
    """A backup or restore was refused or failed; the message says why."""


async def backup_sqlite(source: Path, target: Path) -> None:
    """Copy the live database `source` to the new file `target`, and verify the copy.

    This is a read-only operation on `source`. Raises BackupError when `source` is
    missing or unreadable, `target` already exists, or the copy fails its checks.
    """
    await asyncio.to_thread(_backup, Path(source), Path(target))


async def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database `target` with a verified copy of `backup`. This writes.

    The previous file, if any, is kept as ``<target>.before-restore-<UTC time>``.
    Raises BackupError when `backup` fails its checks or `target` is in use.
    """
    await asyncio.to_thread(_restore, Path(backup), Path(target))


# -- backup -----------------------------------------------------------------------------


def _backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} already exists: refusing to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _sibling(target, "partial")
    try:
        _copy(source, partial)
        _verify(partial)
        _link_new(partial, target)
    finally:
        _remove_with_sidecars(partial)


def _copy(source: Path, target: Path) -> None:
    """Copy `source` into the new file `target` with the backup API, as one snapshot."""
    try:
        with _connect(source) as src, _connect(target, create=True) as dst:
            wal = _scalar(src, "PRAGMA journal_mode") == "wal"
            if wal:  # hold one snapshot across all steps (writers still go ahead)
                src.execute("BEGIN")
                _scalar(src, "SELECT count(*) FROM sqlite_master")
            src.backup(dst, pages=BACKUP_STEP_PAGES, progress=_rest)
            if wal:
                src.execute("COMMIT")
            _scalar(dst, "PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy {source} to {target}: {exc}") from exc


def _rest(status: int, remaining: int, total: int) -> None:
    """Progress callback of the backup API: pause between steps (see BACKUP_STEP_PAUSE)."""
    if BACKUP_STEP_PAUSE and remaining:
        time.sleep(BACKUP_STEP_PAUSE)


def _verify(path: Path) -> None:
    """Raise BackupError unless `path` passes integrity_check and has the migrations table."""
    try:
        with _connect(path) as conn:
            problems = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
            has_migrations = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
            ).fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    if problems != ["ok"]:
        raise BackupError(f"{path} failed the integrity check: {'; '.join(problems[:3])}")
    if has_migrations is None:
        raise BackupError(f"{path} is not a Suara Warga database (no migrations table)")


def _link_new(source: Path, target: Path) -> None:
    """Give `source` the name `target`, never replacing an existing file."""
    try:
        os.link(source, target)  # atomic and fails if target exists
    except FileExistsError as exc:
        raise BackupError(f"{target} already exists: refusing to overwrite it") from exc
    except OSError:  # no hard links on this file system
        if target.exists():
            raise BackupError(f"{target} already exists: refusing to overwrite it") from None
        os.replace(source, target)


# -- restore ----------------------------------------------------------------------------


def _restore(backup: Path, target: Path) -> None:
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}")
    _verify(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = _sibling(target, "restoring")
    try:
        _copy(backup, incoming)
        _verify(incoming)
        if target.exists():
            _ensure_unused(target)
            _move_aside(target)
        os.replace(incoming, target)
    except OSError as exc:
        raise BackupError(f"cannot put {backup} in place of {target}: {exc}") from exc
    finally:
        _remove_with_sidecars(incoming)


def _ensure_unused(target: Path) -> None:
    """Raise BackupError if another connection has `target` open.

    In WAL mode an idle connection holds no write lock, but it does keep a shared
    lock on the file; with ``locking_mode=EXCLUSIVE`` our lock conflicts with it.
    """
    try:
        with _connect(target, timeout=LOCK_TIMEOUT) as conn:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            _scalar(conn, "SELECT count(*) FROM sqlite_master")
            conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise BackupError(
                f"{target} is in use (is the bot running?): stop it before restoring"
            ) from exc
        raise BackupError(f"cannot open {target}: {exc}") from exc
    except sqlite3.DatabaseError:
        pass  # not a database (e.g. corrupt): nobody can be using it as one


def _move_aside(target: Path) -> None:
    """Rename `target` and its sidecar files to ``<target>.before-restore-<time>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = target.with_name(f"{target.name}.before-restore-{stamp}")
    for n in range(1, 100):
        if not kept.exists():
            break
        kept = target.with_name(f"{target.name}.before-restore-{stamp}-{n}")
    for suffix in _SIDECARS:
        sidecar = Path(f"{target}{suffix}")
        if sidecar.exists():
            os.replace(sidecar, Path(f"{kept}{suffix}"))
    os.replace(target, kept)


# -- helpers ----------------------------------------------------------------------------


@contextlib.contextmanager
def _connect(
    path: Path, *, create: bool = False, timeout: float = 5.0
) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection (autocommit), closed afterwards; never creates unless asked."""
    mode = "rwc" if create else "rw"
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=timeout, isolation_level=None
    )
    try:
        yield conn
    finally:
        conn.close()


def _scalar(conn: sqlite3.Connection, sql: str) -> object:
    row = conn.execute(sql).fetchone()
    return None if row is None else row[0]


def _sibling(target: Path, purpose: str) -> Path:
    """A temporary file name in the target's directory (so renames stay on one disk)."""
    return target.with_name(f".{target.name}.{purpose}-{os.getpid()}")


def _remove_with_sidecars(path: Path) -> None:
    for name in (str(path), *(f"{path}{suffix}" for suffix in _SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            os.remove(name)
