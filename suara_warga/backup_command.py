"""The `suara-warga backup PATH` and `suara-warga restore PATH --yes` commands.

Each prints one line (stdout on success, stderr on failure) and returns the exit code:
0 done, 1 the backup or restore failed or was refused, 2 bad configuration or usage.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from storage.backup import backup_sqlite, restore_sqlite
from storage.errors import StorageError
from suara_warga.config import ConfigError, load_config

__all__ = ["run_backup", "run_restore"]

OK, FAILED, USAGE = 0, 1, 2


def run_backup(config_path: Path | None, target: Path) -> int:
    """Copy the configured database, live, to the new file `target`."""
    source = _database(config_path)
    if source is None:
        return USAGE
    try:
        asyncio.run(backup_sqlite(source, target))
    except (StorageError, OSError) as exc:
        return _fail(f"backup failed: {exc}", FAILED)
    print(f"Backed up {source} to {target} ({_size(target)}).")
    return OK


def run_restore(config_path: Path | None, source: Path, *, yes: bool) -> int:
    """Replace the configured database with the backup `source` (the bot must be stopped)."""
    target = _database(config_path)
    if target is None:
        return USAGE
    if not yes:
        return _fail(f"restore would replace {target} with {source}; add --yes to confirm", USAGE)
    before = _kept_copies(target)
    try:
        asyncio.run(restore_sqlite(source, target))
    except (StorageError, OSError) as exc:
        return _fail(f"restore failed: {exc}", FAILED)
    kept = sorted(_kept_copies(target) - before)
    previous = f"the previous database is kept as {kept[0]}" if kept else "there was none before"
    print(f"Restored {target} from {source}; {previous}.")
    return OK


def _database(config_path: Path | None) -> Path | None:
    """The configured SQLite file, or None after printing what is wrong."""
    try:
        path = load_config(config_path).storage.sqlite_file()
    except ConfigError as exc:
        _fail(" ".join(str(exc).split()), USAGE)  # one line, even for several problems
        return None
    if path is None:
        _fail("the database is PostgreSQL: back it up with pg_dump (see docs/deploy.md)", USAGE)
    return path


def _kept_copies(target: Path) -> set[Path]:
    """The files earlier restores moved aside (not their -wal/-shm sidecars)."""
    found = target.parent.glob(f"{target.name}.before-restore-*")
    return {path for path in found if not path.name.endswith(("-wal", "-shm", "-journal"))}


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB"


def _fail(message: str, code: int) -> int:
    print(f"suara-warga: {message}", file=sys.stderr)
    return code
