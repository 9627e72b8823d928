"""A press that overtakes its card's record, with two webhook workers on one database.

The emulator shows the card in the officers' chat but holds back Telegram's answer to
the sending worker, so the card's link (message id -> report) is not recorded when the
officer presses. The press reaches a worker that does not know the message yet; it
waits for the record (and logs that it does) instead of answering "Tombol ini tidak
dikenali", and is applied once the answer is released. Not timed: the test releases
the answer only after a worker logged the waiting press.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import BotApiEmulator
from emulator.webhook import WebhookDelivery
from tests.bot.harness import ADMIN_CHAT, Person
from tests.bot.test_workers_e2e import (
    OFFICER,
    SECRET,
    file_numbered,
    wait_healthy,
    worker,
    worker_config,
)
from tests.helpers import free_port

WAITING = "waits for its record"


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


def logged(configs: list[Path], text: str) -> bool:
    """Whether a worker's log holds `text`."""
    return any(text in c.with_suffix(".log").read_text(errors="replace") for c in configs)


async def test_a_press_before_the_card_is_recorded_waits_for_it(
    emu: BotApiEmulator, tmp_path: Path, database: str
) -> None:
    ports = [free_port(), free_port()]
    configs = [worker_config(emu, tmp_path, database, port) for port in ports]
    urls = [f"http://127.0.0.1:{port}/telegram/webhook" for port in ports]
    siti = Person(emu, emu.user(10_001, "Siti"))
    release = emu.faults.hold_answers("sendMessage", ADMIN_CHAT)
    async with worker(configs[0]), worker(configs[1]):
        for port in ports:
            await wait_healthy(port)
        async with WebhookDelivery(emu, urls, SECRET) as delivery:
            code = await file_numbered(siti, 1)
            card = await emu.wait_for(ADMIN_CHAT, f"Laporan {code}", timeout=20)
            officer = emu.user(OFFICER, "Dewi")
            emu.press(officer, card, emu.button_data(card, "Verifikasi"))
            await emu.wait_until(lambda: logged(configs, WAITING), timeout=20)
            release.set()  # Telegram's answer reaches the sender, which records the card
            await siti.expect("diverifikasi", timeout=20)
            assert {url for _, url in delivery.delivered} == set(urls)
    toasts = [a.get("text") or "" for a in emu.callback_answers]
    assert not any("tidak dikenali" in t or "belum tercatat" in t for t in toasts), toasts
    assert len([m for m in emu.sent(ADMIN_CHAT) if f"Laporan {code}" in m["text"]]) == 1
