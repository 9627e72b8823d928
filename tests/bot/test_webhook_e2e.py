"""Webhook mode in process: secret check, 200 after commit, /healthz and /metrics."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from emulator import BotApiEmulator
from emulator.webhook import SECRET_HEADER
from suara_warga.launch import run_bot
from tests.bot.harness import Person, config_for
from tests.bot.test_workers_e2e import SECRET
from tests.helpers import free_port


async def test_webhook_answers_after_commit_and_reports_health_and_metrics(
    emu: BotApiEmulator, db_path: Path
) -> None:
    port = free_port()
    config = config_for(
        emu,
        db_path,
        webhook={
            "port": port,
            "public_url": f"http://127.0.0.1:{port}",
            "secret_token": SECRET,
        },
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config, stop, webhook=True))
    base = f"http://127.0.0.1:{port}"
    try:
        await emu.wait_until(lambda: bool(emu.webhook_url) or task.done(), timeout=10)
        assert emu.webhook_url == f"{base}/telegram/webhook"
        siti = Person(emu, emu.user(1001, "Siti"))
        update = emu.send_text(siti.user, "/start")
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{base}/telegram/webhook", json=update) as refused:
                assert refused.status == 403
            async with session.post(
                f"{base}/telegram/webhook", json=update, headers={SECRET_HEADER: "wrong"}
            ) as refused:
                assert refused.status == 403
            async with session.post(
                f"{base}/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET}
            ) as accepted:
                assert accepted.status == 200
            await siti.expect("selamat datang")
            async with session.post(
                f"{base}/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET}
            ) as again:
                assert again.status == 200  # a redelivery is answered, and ignored
            async with session.get(f"{base}/healthz") as health:
                assert health.status == 200
            async with session.get(f"{base}/metrics") as page:
                metrics = await page.text()
        assert 'suara_warga_updates_total{source="webhook"} 2.0' in metrics
        assert 'suara_warga_sends_total{result="sent"}' in metrics
        assert "suara_warga_outbox_pending 0.0" in metrics
        assert sum("selamat datang" in (m.get("text") or "") for m in emu.sent(siti.user)) == 1
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
