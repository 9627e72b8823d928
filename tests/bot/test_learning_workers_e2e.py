"""Two webhook workers share one database: a correction made through one is used by
the other's classifier within seconds, on SQLite (a counter compared every few
seconds) and on PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from emulator.webhook import WebhookDelivery
from tests.bot.harness import ADMIN_CHAT, Person
from tests.bot.test_kind_correction_e2e import DELAY, DELAY_LABEL, LIKE_IT, STORY, kind_in_summary
from tests.bot.test_officers_e2e import card_in, press
from tests.bot.test_workers_e2e import OFFICER, SECRET, wait_healthy, worker, worker_config
from tests.bot.walker import Filing, file_report, filing_steps, walk
from tests.helpers import free_port

WITHIN = 30.0
"""Seconds the other worker has to learn the correction (it needs at most a few)."""


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


async def kind_given(emu: BotApiEmulator, user_id: int) -> str:
    """A new resident tells the story up to the summary; the kind the bot gave it."""
    person = Person(emu, emu.user(user_id, f"Warga {user_id}"))
    await walk(person, filing_steps(Filing(LIKE_IT, kelurahan="Bagendung"))[:-1], timeout=20)
    return kind_in_summary(emu, person)


async def test_a_correction_through_one_worker_teaches_the_other(
    emu: BotApiEmulator, tmp_path: Path, database: str
) -> None:
    ports = [free_port(), free_port()]
    configs = [worker_config(emu, tmp_path, database, port) for port in ports]
    first, second = (f"http://127.0.0.1:{port}/telegram/webhook" for port in ports)
    async with worker(configs[0]), worker(configs[1]):
        await asyncio.gather(*(wait_healthy(port) for port in ports))
        async with WebhookDelivery(emu, [first], SECRET):
            siti = Person(emu, emu.user(1001, "Siti"))
            code = await file_report(siti, Filing(STORY, kelurahan="Bagendung"), timeout=20)
            officer = emu.user(OFFICER, "Dewi")
            await emu.wait_for(ADMIN_CHAT, code, timeout=20)
            # The sender, maybe in the other worker, links the card to the report just
            # after Telegram accepted it: a press before that is "not known" (pressed again).
            def opened() -> bool:
                return (DELAY_LABEL, f"o:jn:{DELAY}") in emu.buttons(card_in(emu, ADMIN_CHAT, code))

            for _ in range(20):
                if opened():
                    break
                await press(emu, officer, ADMIN_CHAT, code, "Ubah jenis")
                with contextlib.suppress(AssertionError):
                    await emu.wait_until(opened, timeout=1)
            assert opened(), emu.dump(ADMIN_CHAT)
            await press(emu, officer, ADMIN_CHAT, code, DELAY_LABEL)
            await emu.wait_until(
                lambda: f"Jenis: {DELAY_LABEL}" in card_in(emu, ADMIN_CHAT, code)["text"],
                timeout=20,
            )
        async with WebhookDelivery(emu, [second], SECRET) as delivery:
            loop = asyncio.get_running_loop()
            until, resident, given = loop.time() + WITHIN, 2000, ""
            while given != DELAY_LABEL and loop.time() < until:
                resident += 1
                given = await kind_given(emu, resident)
            assert given == DELAY_LABEL, f"the other worker still says {given!r}"
            assert {url for _, url in delivery.delivered} == {second}
