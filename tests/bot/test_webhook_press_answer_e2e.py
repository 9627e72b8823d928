"""In webhook mode a press is answered in the webhook's 200 (`bot.press_answers`): every
press of a resident's walk and an officer's card presses are answered once, none by
a request of its own, and a toast travels with its answer."""

from __future__ import annotations

from pathlib import Path

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

ANSWER = "answerCallbackQuery"


async def test_presses_are_answered_in_the_webhooks_answer(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    port = free_port()
    config = worker_config(emu, tmp_path, str(tmp_path / "bot.sqlite3"), port)
    siti = Person(emu, emu.user(10_001, "Siti"))
    async with worker(config):
        await wait_healthy(port)
        async with WebhookDelivery(emu, [f"http://127.0.0.1:{port}/telegram/webhook"], SECRET):
            code = await file_numbered(siti, 1)
            presses = [q for name, q in emu.calls if name == ANSWER]
            assert presses, "the walk has button presses"
            card = await emu.wait_for(ADMIN_CHAT, f"Laporan {code}", timeout=20)
            officer = emu.user(OFFICER, "Dewi")
            emu.press(officer, card, emu.button_data(card, "Verifikasi"))
            await siti.expect("diverifikasi", timeout=20)
            emu.press(officer, card, "o:forged", strict=False)
            await emu.wait_until(lambda: not emu.open_callbacks, timeout=10)

    answers = [r for r in emu.received if r.method == ANSWER]
    assert answers and all(r.in_answer and r.outcome == "ok" for r in answers)
    assert len(answers) == len(emu.callback_answers)  # each press answered once
    assert emu.callback_answers[-1].get("text") == "Tombol ini tidak dikenali."  # a toast
