"""`suara-warga run` serves the public board beside the bot: in polling mode on its own
address (a partner's Open311 POST becomes a card in the officers' chat, the board shows
its facts), and in webhook mode on the webhook's server when both share host and port."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from emulator import BotApiEmulator
from suara_warga.launch import run_bot
from tests.bot.harness import ADMIN_CHAT, config_for, running_bot
from tests.bot.test_workers_e2e import SECRET
from tests.helpers import free_port

PARTNER_KEY = "kunci-mitra-uji-0123456789"
POST = {
    "api_key": PARTNER_KEY,
    "service_code": "dpupr",
    "description": "Jembatan kecil di gang Mawar retak dan goyang kalau dilewati motor.",
    "attribute[kelurahan]": "Ciwedus",
    "first_name": "Dewi",
}


async def board_up(http: aiohttp.ClientSession, base: str) -> None:
    """Wait until the board answers (it starts once the bot has connected)."""
    for _ in range(200):
        try:
            async with http.get(f"{base}/index.json") as page:
                if page.status == 200:
                    return
        except aiohttp.ClientConnectorError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"the board at {base} never answered")


def board(port: int) -> dict[str, Any]:
    return {
        "enabled": True,
        "host": "127.0.0.1",
        "port": port,
        "public_url": "https://lapor.example.go.id",
        "partners": {"webkota": {"name": "Formulir web Pemkot", "api_key": PARTNER_KEY}},
    }


async def test_the_polling_bot_serves_the_board_and_files_partner_reports(
    emu: BotApiEmulator, db_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with (
        running_bot(emu, config_for(emu, db_path, web=board(port))),
        aiohttp.ClientSession() as http,
    ):
        await board_up(http, base)
        async with http.post(f"{base}/open311/v2/requests.json", data=POST) as filed:
            assert filed.status == 201
            [answer] = await filed.json()
        code = answer["service_request_id"]
        card = await emu.wait_for(ADMIN_CHAT, code)
        async with http.get(f"{base}/laporan/{code}.json") as page:
            shown = (await page.json())["report"]

    assert "Pelapor: Dewi" in card["text"]  # the partner's resident, as she signed
    assert shown["opd"] == "dpupr" and shown["kelurahan"] == "Ciwedus"
    assert not shown["verified"] and "Dewi" not in json.dumps(shown)  # facts only, no one


async def test_the_webhook_server_serves_the_board_on_a_shared_address(
    emu: BotApiEmulator, db_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    hook = {"port": port, "public_url": base, "secret_token": SECRET}
    config = config_for(emu, db_path, webhook=hook, web=board(port))
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config, stop, webhook=True))
    try:
        await emu.wait_until(lambda: bool(emu.webhook_url) or task.done(), timeout=10)
        async with aiohttp.ClientSession() as http:
            await board_up(http, base)
            async with http.get(f"{base}/index.json") as page:
                shown = await page.json()
                policy = page.headers.get("Content-Security-Policy", "")
            async with http.get(f"{base}/healthz") as health:
                assert health.status == 200
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)

    assert emu.webhook_url == f"{base}/telegram/webhook"
    assert shown["figures"]["received"] == 0 and "default-src" in policy
