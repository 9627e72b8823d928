"""`.ci/postgres.sh` starts its cluster on a free port when another server holds 5432."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / ".ci" / "postgres.sh"
SERVER_BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


@pytest.fixture
def other_server() -> Iterator[int]:
    """A port that something other than PostgreSQL listens on, as a developer's server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def cluster_dir() -> Iterator[Path]:
    """A folder the `postgres` user can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="sw-pg-script-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    pg_ctl = SERVER_BINS[-1] if SERVER_BINS else None
    if pg_ctl and (folder / "data" / "postmaster.pid").exists():
        stop = [pg_ctl, "-D", str(folder / "data"), "-m", "immediate", "stop"]
        if os.geteuid() == 0:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        subprocess.run(stop, capture_output=True, check=False)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(not SERVER_BINS, reason="no PostgreSQL server binaries installed")
def test_a_taken_port_moves_the_cluster_to_a_free_one(
    other_server: int, cluster_dir: Path
) -> None:
    env = {
        **os.environ,
        "CI": "true",
        "SUARA_WARGA_PG_DIR": str(cluster_dir),
        "SUARA_WARGA_PG_PORT": str(other_server),
    }
    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    assert f"Port {other_server} is taken" in done.stdout
    dsn = (cluster_dir / "dsn").read_text().strip()
    port = int((cluster_dir / "port").read_text())
    assert port != other_server
    assert dsn == f"postgresql://postgres@127.0.0.1:{port}/postgres"
    # Run again: the cluster already answers at the port it was given.
    again = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    assert f"already running at {dsn}" in again.stdout
