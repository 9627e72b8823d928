"""Storage holds (issue #17, item 4): housekeeping yields to residents. While a
resident's update is being handled, housekeeping begins no transaction of its own
(on SQLite each would hold the one write lock); it does its work in the next gap.

The resident's press is held in flight by the emulator (its callback answer is
delayed), and reports with missed deadlines are stored meanwhile: their reminders are
queued only once the press was answered.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from emulator import BotApiEmulator
from flows.codes import format_code
from flows.report import Place, Reporter
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, config_for, running_bot
from tests.factories import make_report
from tests.storage.helpers import query

HELD = 3.0
"""Seconds the emulator holds the answer to the resident's press (housekeeping passes
run every 0.12 s meanwhile, and would wait up to `YIELD_MOST`, 5 s)."""
LOOK_AFTER = 1.0
"""When, during the held press, the test looks for reminders (well before its end)."""


def reminders(db: Path) -> int:
    rows = query(db, "SELECT count(*) FROM outbox WHERE purpose LIKE 'reminder%'")
    return int(rows[0][0])


async def test_housekeeping_waits_while_a_resident_update_is_handled(
    emu: BotApiEmulator, db_path: Path
) -> None:
    config = config_for(
        emu, db_path, officers={"central": [9001]}, deadlines={"check_every_minutes": 0.002}
    )
    siti = Person(emu, emu.user(5301, "Siti"))
    async with running_bot(emu, config) as bot:
        await siti.send("/lapor", "Ceritakan")
        emu.set_delay(HELD, ["answerCallbackQuery"], after=True)
        answered = len(emu.callback_answers)
        pressed = dict(siti.with_button("Saya kader"))
        await siti.tap("Saya kader")
        await emu.wait_until(lambda: len(emu.callback_answers) > answered)  # now in flight
        store = await open_store(db_path)
        try:
            async with store.transaction() as tx:
                for number in range(3):
                    await tx.insert_report(
                        make_report(
                            format_code(number),
                            filed_at=bot.clock() - timedelta(days=20),
                            body="dlh",
                            description="Sampah menumpuk di TPS",
                            reporter=Reporter(user_id=5302, chat_id=5302, name="Rina"),
                            place=Place(kecamatan="Cilegon", kelurahan="Bagendung"),
                            photos=(),
                        )
                    )
        finally:
            await store.close()
        await asyncio.sleep(LOOK_AFTER)
        assert reminders(db_path) == 0  # housekeeping waits for the press to be handled
        await siti.answer(pressed, "nama lengkap", timeout=10)
        await emu.wait_until(lambda: reminders(db_path) > 0, timeout=15, message="no reminder")
        await emu.wait_until(
            lambda: any(
                "TERLAMBAT" in text or "melewati batas waktu" in text
                for text in (m.get("text") or "" for m in emu.sent(ADMIN_CHAT))
            ),
            timeout=15,
            message=f"no reminder reached the central chat: {emu.sent(ADMIN_CHAT)}",
        )
