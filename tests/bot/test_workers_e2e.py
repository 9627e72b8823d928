"""Two webhook workers share one database; one is killed mid-run; nothing is lost.

The emulator delivers updates alternately to the two worker processes (as a load
balancer would) while 100 residents file reports and an officer verifies some.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from bot.sender import SENDER_LEASE
from emulator import BotApiEmulator
from emulator.webhook import WebhookDelivery
from service.engine import utc_now
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, bot_settings, spawn_bot
from tests.bot.walker import Filing, file_report
from tests.helpers import free_port, write_config

SECRET = "rahasia-webhook-123"
OFFICER = 9001
RESIDENTS = 100


def cards_in(emu: BotApiEmulator) -> list[dict[str, object]]:
    """The report cards in the officers' chat."""
    return [m for m in emu.sent(ADMIN_CHAT) if "Laporan SW-" in str(m.get("text") or "")]



def worker_config(emu: BotApiEmulator, folder: Path, database: str, port: int) -> Path:
    """The configuration file of a webhook worker on `port` sharing `database`."""
    settings = bot_settings(
        emu,
        database,
        sender={
            "messages_per_second": 2000,
            "private_chat_per_second": 200,
            "group_per_minute": 100000,
        },
        officers={"central": [OFFICER]},
        webhook={"port": port, "public_url": f"http://127.0.0.1:{port}", "secret_token": SECRET},
    )
    return write_config(folder, settings, name=f"worker-{port}.toml")


@asynccontextmanager
async def worker(config: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`suara-warga run --webhook` as a child process (its log next to its config)."""
    log = config.with_suffix(".log").open("ab")
    process = await spawn_bot(config, "--webhook", stderr=log)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()


async def wait_healthy(port: int) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError(f"worker on port {port} never became healthy")


async def file_numbered(person: Person, number: int) -> str:
    """A short report, places typed; returns the code the bot confirmed."""
    answers = Filing(
        f"Lampu jalan mati di gang {number}, gelap sekali",
        body="Tidak tahu",
        kecamatan="cilegon",
        kelurahan="ketileng",
        privacy="Anonim",
        typed=True,
    )
    return await file_report(person, answers, timeout=20)


async def sender_port(database: str) -> int:
    """The webhook port of the worker holding the outbox sender's lease."""
    store = await open_store(database)
    try:
        for _ in range(100):
            async with store.transaction() as tx:
                holder = await tx.lease_holder(SENDER_LEASE, utc_now())
            if holder is not None:
                return int(holder.rsplit("-", 1)[1])
            await asyncio.sleep(0.05)
    finally:
        await store.close()
    raise AssertionError("no worker holds the sender's lease")


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


async def test_two_workers_one_killed_nothing_lost(
    emu: BotApiEmulator, tmp_path: Path, database: str
) -> None:
    ports = [free_port(), free_port()]
    configs = [worker_config(emu, tmp_path, database, port) for port in ports]
    urls = [f"http://127.0.0.1:{port}/telegram/webhook" for port in ports]
    people = [Person(emu, emu.user(10_000 + i, f"Warga {i}")) for i in range(RESIDENTS)]
    async with worker(configs[0]) as first, worker(configs[1]) as second:
        workers = [first, second]
        await asyncio.gather(*(wait_healthy(port) for port in ports))
        async with WebhookDelivery(emu, urls, SECRET) as delivery:
            walks = [asyncio.create_task(file_numbered(p, i)) for i, p in enumerate(people)]
            await asyncio.sleep(1.0)  # residents are mid-conversation
            # Kill the worker that is not sending: every message must then go out once.
            # (Killing the sender itself can repeat the few messages it had on the wire.)
            leader = await sender_port(database)
            victim = workers[1] if leader == ports[0] else workers[0]
            victim.send_signal(signal.SIGKILL)
            codes = await asyncio.gather(*walks)
            officer = emu.user(OFFICER, "Dewi")
            await emu.wait_until(lambda: len(cards_in(emu)) == RESIDENTS, timeout=30)
            cards = cards_in(emu)
            for card in cards[:20]:
                emu.press(officer, card, emu.button_data(card, "Verifikasi"))
            verified = [
                p
                for p, code in zip(people, codes, strict=True)
                if any(code in str(c["text"]) for c in cards[:20])
            ]
            await asyncio.gather(*(p.expect("diverifikasi", timeout=20) for p in verified))
            assert delivery.failures > 0  # the killed worker's share went to the other
            assert {url for _, url in delivery.delivered} == set(urls)

    assert len(set(codes)) == RESIDENTS  # every report once, one code each
    store = await open_store(database)
    try:
        async with store.transaction() as tx:
            for person, code in zip(people, codes, strict=True):
                report = await tx.get_report(code)
                assert report.reporter.user_id == person.user.id
                assert len(await tx.reports_by_reporter(person.user.id)) == 1
                assert await tx.load_conversation(person.user.id) is not None
    finally:
        await store.close()
    # Every message sent once: each resident's chat holds the same sequence.
    counts = {len(emu.sent(p.user)) for p in people if p not in verified}
    assert len(counts) == 1, [emu.dump(p.user) for p in people][:1]
    for person in people:
        texts = [m.get("text") for m in emu.sent(person.user)]
        assert sum("Kode laporan" in (t or "") for t in texts) == 1
        assert sum("diverifikasi" in (t or "") for t in texts) == (person in verified)
    assert len(cards) == RESIDENTS
