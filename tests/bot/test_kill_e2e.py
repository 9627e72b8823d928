"""SIGKILL, again and again: the bot as a process, killed at random points (seeded) while
residents file reports, restarted each time. Nothing confirmed is lost or doubled.

A message Telegram accepted just before a kill may arrive twice (the sender's documented
at-least-once); a report never: each resident gets one code per report, stored once.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from pathlib import Path

from emulator import BotApiEmulator
from flows.backlog_texts import busy_notice
from storage import open_store
from tests.bot.harness import Person, spawn_bot
from tests.bot.test_faults_e2e import FILINGS, REPLY_TIMEOUT, cards
from tests.bot.test_process_e2e import process_config
from tests.bot.walker import Filing, Step, filing_steps, walk
from tests.helpers import code_in

SEED = 20240501
KILLS = 20
RESIDENTS = 6
REPORTS_EACH = 3  # under the daily limit of 5
PLACES = [  # a different kelurahan for every report: none looks like another
    ("Cibeber", "Kedaleman"),
    ("Cibeber", "Bulakan"),
    ("Cibeber", "Cikerai"),
    ("Cilegon", "Bagendung"),
    ("Cilegon", "Ciwedus"),
    ("Cilegon", "Bendungan"),
    ("Pulomerak", "Tamansari"),
    ("Pulomerak", "Lebakgede"),
    ("Ciwandan", "Tegal Ratu"),
    ("Ciwandan", "Kubangsari"),
    ("Jombang", "Sukmajaya"),
    ("Jombang", "Masigit"),
    ("Grogol", "Kotasari"),
    ("Grogol", "Gerem"),
    ("Purwakarta", "Ramanuju"),
    ("Purwakarta", "Kotabumi"),
    ("Citangkil", "Warnasari"),
    ("Citangkil", "Dringo"),
]


def filing(number: int) -> list[Step]:
    """The steps of report `number` (0..17), from /lapor to its code."""
    kecamatan, kelurahan = PLACES[number]
    story = FILINGS[number % len(FILINGS)][0]
    return filing_steps(Filing(story, kecamatan=kecamatan, kelurahan=kelurahan))


async def resident(person: Person, number: int, kills_done: asyncio.Event) -> list[str]:
    """File this resident's reports, then keep chatting until the killing stops; the
    code of each report, as the bot confirmed it."""
    codes = []
    for report in range(REPORTS_EACH):
        await walk(person, filing(number * REPORTS_EACH + report), timeout=REPLY_TIMEOUT)
        codes.append(code_in(person.emu.last(person.user)))
    while not kills_done.is_set():
        chatting: list[Step] = [("send", "/status", "Laporan Anda"), ("send", "/bantuan", "Cara")]
        await walk(person, chatting, timeout=REPLY_TIMEOUT)
    return codes


def assert_conversation(number: int, texts: list[str]) -> int:
    """Resident `number` got every reply, in order, each once or (only right after
    itself, a crash's at-least-once) twice; returns how many came twice. The busy notice
    (`flows.backlog_texts`) may come between them on a slow machine."""
    texts = [text for text in texts if text != busy_notice()]
    shown = [text for i, text in enumerate(texts) if i == 0 or text != texts[i - 1]]
    steps = [s for k in range(REPORTS_EACH) for s in filing(number * REPORTS_EACH + k)]
    expected = [reply for _, _, replies in steps for reply in replies.split("|")]
    assert len(shown) >= len(expected), shown
    assert all(e in text for e, text in zip(expected, shown, strict=False)), shown
    chatting = shown[len(expected) :]  # then /status and /bantuan, in turn
    assert len(chatting) % 2 == 0 and all(
        "Laporan Anda" in status and "Cara" in help_
        for status, help_ in zip(chatting[::2], chatting[1::2], strict=True)
    ), chatting
    return len(texts) - len(shown)


class BotProcess:
    """`suara-warga run` as a child process, started again after each kill."""

    def __init__(self, emu: BotApiEmulator, config: Path, log: Path) -> None:
        self.emu, self.config, self.log = emu, config, log
        self.startups: list[float] = []  # seconds from spawn to commands registered

    def registrations(self) -> int:
        return sum(name == "setMyCommands" for name, _ in self.emu.calls)

    async def start(self) -> None:
        self.spawned, self.seen = time.monotonic(), self.registrations()
        with self.log.open("ab") as output:
            self.process = await spawn_bot(self.config, stdout=output, stderr=output)

    async def up(self) -> None:
        """Wait until it registered its commands (it polls right after)."""
        await self.emu.wait_until(lambda: self.registrations() > self.seen, timeout=20)
        self.startups.append(time.monotonic() - self.spawned)

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int:
        """SIGTERM, as systemd stops it; the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 15)


async def test_killed_twenty_times_nothing_lost_nothing_doubled(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    # Telegram's latency: a kill can fall between sending and Telegram's answer, and
    # between that answer and the commit (the window of the one allowed duplicate).
    emu.set_delay(0.1, ["sendMessage"])
    emu.set_delay(0.1, ["sendMessage"], after=True)
    bot = BotProcess(emu, process_config(emu, tmp_path), tmp_path / "bot.log")
    people = [Person(emu, emu.user(7000 + n, f"Warga {n}")) for n in range(RESIDENTS)]
    kills_done = asyncio.Event()
    walks = [asyncio.create_task(resident(p, n, kills_done)) for n, p in enumerate(people)]
    await bot.start()
    try:
        for _ in range(KILLS):
            if rng.random() < 0.2:  # now and then while starting (migrations, getMe, ...)
                await asyncio.sleep(rng.uniform(0.2, 1.2))
            else:
                await bot.up()
                await asyncio.sleep(rng.uniform(0.1, 1.5))
            await bot.kill()
            for walk_task in walks:  # nobody gave up waiting for a reply
                if walk_task.done():
                    walk_task.result()
            await bot.start()
        kills_done.set()
        codes = await asyncio.wait_for(asyncio.gather(*walks), 60)
        await emu.wait_until(  # the officers' chat goes at 20 a minute
            lambda: all(any(c in card for card in cards(emu)) for f in codes for c in f),
            timeout=60,
            message="a report card did not reach the officers",
        )
        assert await bot.stop() == 0
    except BaseException:
        print(bot.log.read_text(errors="replace")[-5000:])
        raise
    finally:
        await bot.kill()
        for walk_task in walks:
            walk_task.cancel()

    store, duplicates = await open_store(tmp_path / "sw.sqlite3"), 0
    try:
        async with store.transaction() as tx:
            for number, (person, filed) in enumerate(zip(people, codes, strict=True)):
                # Each message sent and each edit of a pressed message, as she saw them.
                duplicates += assert_conversation(
                    number, [text for _, text in emu.chat(person.user).shown]
                )
                confirmations = [m for m in emu.sent(person.user) if "Kode laporan" in m["text"]]
                assert {code_in(m) for m in confirmations} == set(filed)  # one code a report
                assert len(set(filed)) == REPORTS_EACH
                stored = [r.code for r in await tx.reports_by_reporter(person.user.id)]
                assert sorted(stored) == sorted(filed)  # each stored exactly once
    finally:
        await store.close()
    up = sorted(bot.startups)
    print(f"start-up {up[0]:.2f}-{up[-1]:.2f} s, median {up[len(up) // 2]:.2f} s")
    print(f"{duplicates} messages came twice, over {KILLS} kills")


async def test_replies_resume_within_seconds_after_a_sigkill(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    """The restarted bot takes the sender's lease back at once (it is the same worker),
    instead of waiting for the killed one's lease to run out."""
    bot = BotProcess(emu, process_config(emu, tmp_path), tmp_path / "bot.log")
    siti = Person(emu, emu.user(1001, "Siti"))
    await bot.start()
    try:
        await bot.up()
        await siti.send("/start", expect="selamat datang")
        await bot.kill()
        await bot.start()
        await bot.up()
        await siti.send("/bantuan")
        await siti.expect("Cara melapor", timeout=5)
    finally:
        await bot.kill()
