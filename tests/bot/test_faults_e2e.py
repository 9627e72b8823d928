"""Fifty residents at once through a flaky, rate-limiting Telegram: every reply arrives
exactly once and in order, and every report confirmed to a resident is stored once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from emulator import BotApiEmulator, FloodLimits
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for
from tests.bot.walker import Filing, Step, filing_steps, walk
from tests.helpers import code_in

RESIDENTS = 50
REPLY_TIMEOUT = 30.0  # retries back off 1 s, 2 s, 4 s ...; a chat gets 1 message/s
# Ten different problems in ten different places: no report looks like another's.
FILINGS = [
    ("Sampah menumpuk di TPS dekat pasar sudah seminggu", "Cilegon", "Bagendung"),
    ("Jalan berlubang besar di depan sekolah, bahaya motor", "Cilegon", "Ciwedus"),
    ("Lampu penerangan jalan mati tiga malam berturut-turut", "Cilegon", "Bendungan"),
    ("Air PDAM tidak mengalir sejak kemarin pagi", "Cilegon", "Ketileng"),
    ("Got mampet, air meluap ke jalan setiap hujan", "Cilegon", "Ciwaduk"),
    ("Pohon tumbang menutup separuh jalan kampung", "Purwakarta", "Pabean"),
    ("Bansos PKH tidak cair sudah empat bulan", "Grogol", "Rawa Arum"),
    ("Cetak KTP elektronik di Disdukcapil lambat sekali", "Jombang", "Masigit"),
    ("Debu industri membuat warga batuk-batuk", "Ciwandan", "Kepuh"),
    ("Puskesmas tutup pada jam pelayanan", "Citangkil", "Dringo"),
]


def script(number: int) -> list[Step]:
    """What resident `number` does: everyone starts a report; the first ten file one."""
    story, kecamatan, kelurahan = FILINGS[number % len(FILINGS)]
    greeting: list[Step] = [
        ("send", "/start", "selamat datang"),
        ("send", "/bantuan", "Cara melapor"),
    ]
    filing = filing_steps(Filing(story, kecamatan=kecamatan, kelurahan=kelurahan))
    if number >= len(FILINGS):  # up to the story, then cancelled
        return [*greeting, *filing[:3], ("send", "/batal", "dibatalkan")]
    return [*greeting, *filing]


def cards(emu: BotApiEmulator) -> list[str]:
    return [m.get("text") or m.get("caption", "") for m in emu.sent(ADMIN_CHAT)]


async def test_burst_of_residents_under_faults(emu: BotApiEmulator, db_path: Path) -> None:
    telegram_pace = {"private_chat_per_second": 1, "group_per_minute": 20}
    bot = RunningBot(config_for(emu, db_path, sender=telegram_pace))
    await bot.start(emu)
    emu.faults.limit(FloodLimits(slack=0.05))  # Telegram's: 30/s, per chat 3 then 1/s, 20/min
    # 10% of the bot's sending calls fail or are slow (getUpdates has its own tests
    # below: a 429 there, and a failure of the last confirmation at shutdown).
    emu.faults.randomly(
        error=0.03,
        too_many=0.02,
        drop=0.03,
        slow=0.02,
        slow_seconds=1.0,
        methods=["sendMessage", "editMessageText", "answerCallbackQuery"],
        seed=2024,
    )
    people = [Person(emu, emu.user(5000 + n, f"Warga {n}")) for n in range(RESIDENTS)]
    scripts = [script(n) for n in range(RESIDENTS)]
    try:
        walks = (walk(p, s, timeout=REPLY_TIMEOUT) for p, s in zip(people, scripts, strict=True))
        await asyncio.gather(*walks)
        codes = {p.user.id: code_in(emu.last(p.user)) for p in people[: len(FILINGS)]}
        await emu.wait_until(
            lambda: all(any(c in card for card in cards(emu)) for c in codes.values()),
            timeout=REPLY_TIMEOUT,
            message="a report card did not reach the officers",
        )
    finally:
        await bot.shutdown()

    for person, steps in zip(people, scripts, strict=True):  # all of it, once, in order
        # Each message sent and each edit of a pressed message, as she saw them.
        texts = [text for _, text in emu.chat(person.user).shown]
        replies = [reply for _, _, expected in steps for reply in expected.split("|")]
        assert len(texts) == len(replies), emu.dump(person.user)
        assert all(reply in text for reply, text in zip(replies, texts, strict=True))
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            for user_id, code in codes.items():
                assert sum(code in card for card in cards(emu)) == 1
                assert [r.code for r in await tx.reports_by_reporter(user_id)] == [code]
            for person in people[len(FILINGS) :]:
                assert await tx.reports_by_reporter(person.user.id) == []
    finally:
        await store.close()
    injected = emu.faults.injected
    assert all(injected[kind] > 0 for kind in ("500", "429", "drop", "slow")), injected
    assert injected["flood"] == 0  # the bot itself never went over Telegram's limits


async def test_flood_wait_on_get_updates_does_not_stop_the_bot(
    emu: BotApiEmulator, db_path: Path
) -> None:
    bot = RunningBot(config_for(emu, db_path))
    await bot.start(emu)
    try:
        emu.fail_next("getUpdates", 429, retry_after=1)
        siti = emu.user(1001, "Siti")
        emu.send_text(siti, "/start")
        await emu.wait_until(lambda: bot.task_done() or bool(emu.sent(siti)), timeout=8)
        assert "selamat datang" in emu.last(siti)["text"]
    finally:
        await bot.shutdown()


async def test_stop_while_telegram_fails_is_still_clean(emu: BotApiEmulator, db_path: Path) -> None:
    bot = RunningBot(config_for(emu, db_path))
    await bot.start(emu)
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/start", expect="selamat datang")
    emu.fail_next("getUpdates", 500, times=5)
    await bot.shutdown()  # nothing is lost either way: unconfirmed updates come again
