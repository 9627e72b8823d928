"""`suara-warga web`: the board alone, in its own process, on the bot's database."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from storage import open_store
from tests.helpers import free_port
from tests.web.seed import SEEDED, seed


async def test_the_web_command_serves_the_board_read_only(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    store = await open_store(database)
    await seed(store)
    await store.close()
    port = free_port()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "SUARA_WARGA_STORAGE__PATH": str(database),
        "SUARA_WARGA_WEB__PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "suara_warga.cli", "web", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert f"http://127.0.0.1:{port}/" in line.decode()
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/index.json") as response:
                board = await response.json()
            async with http.post(
                f"http://127.0.0.1:{port}/open311/v2/requests.json", data={"api_key": "x" * 20}
            ) as refused:
                assert refused.status == 403
        assert board["figures"]["received"] == len(SEEDED)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == 0
