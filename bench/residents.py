"""Simulated residents, run inside the emulator process: each walks a conversation and
times every step from her action to the bot's reply arriving at the emulator.

A walk is a script like the end-to-end tests' (`tests/bot/walker.py`).
`Resident.step` queues the update, then waits for the first new bot message to her chat
containing one of the expected texts. With `interval`, she acts at most once per
`interval` seconds (a paced load); without, as soon as the reply is there.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from emulator import JSON, User
from flows.evaluation import load_eval_rows
from flows.places import load_places
from suara_warga.config import Config

if TYPE_CHECKING:
    from bench.emulator import BenchEmulator

STEP_TIMEOUT = 10.0
EVAL_FILE = "tests/data/routing_eval.tsv"


class LostReply(Exception):
    """The bot's reply to a step did not come within STEP_TIMEOUT."""


@dataclass
class Tally:
    """What a walk of many residents measured."""

    latencies: list[float] = field(default_factory=list)
    updates: int = 0
    lost: int = 0
    why: list[str] = field(default_factory=list)
    first: float = float("inf")
    last: float = 0.0


@dataclass
class Resident:
    """One Telegram user talking to the bot."""

    emu: BenchEmulator
    user: User
    tally: Tally
    interval: float | None = None
    next_at: float = 0.0
    timeout: float = STEP_TIMEOUT

    async def send(self, text: str, *expect: str) -> str:
        """Send a text; the reply's text."""
        return await self.step(lambda: self.emu.send_text(self.user, text), expect)

    async def tap(self, label: str, *expect: str) -> str:
        """Press the newest button whose label contains `label`; the reply's text."""
        message, data = self.button(label)
        return await self.step(lambda: self.emu.press(self.user, message, data), expect)

    def button(self, label: str) -> tuple[JSON, str]:
        """The newest message with such a button, and its data (an exact label first)."""
        for message in reversed(self.emu.sent(self.user)):
            found = [(text, data) for text, data in self.emu.buttons(message) if label in text]
            if found:
                exact = [data for text, data in found if text.split(" ", 1)[-1] == label]
                return message, exact[0] if exact else found[0][1]
        raise LostReply(f"user {self.user.id}: no button {label!r}")

    async def step(self, act: Callable[[], object], expect: tuple[str, ...]) -> str:
        loop = asyncio.get_running_loop()
        if self.interval is not None:
            await asyncio.sleep(max(0.0, self.next_at - loop.time()))
            self.next_at = max(self.next_at + self.interval, loop.time())
        reply = self.emu.expect(self.user.id, expect)
        start = time.perf_counter()
        act()
        try:
            arrived, text = await asyncio.wait_for(reply, self.timeout)
        except TimeoutError:
            last = self.emu.sent(self.user)[-1:]
            seen = last[0].get("text", "")[:80] if last else "nothing"
            raise LostReply(f"no reply with {expect!r}; last: {seen!r}") from None
        tally = self.tally
        tally.latencies.append(arrived - start)
        tally.updates += 1
        tally.first, tally.last = min(tally.first, start), max(tally.last, arrived)
        return text


@dataclass(frozen=True)
class Script:
    """What the residents say: stories the bot routes to a city OPD with confidence,
    and real places."""

    stories: tuple[str, ...]
    places: tuple[tuple[str, str], ...]

    @classmethod
    def load(cls) -> Script:
        classifier = Config().rules().classifier  # the bot's own (the learned layer too)
        catalogue = classifier.catalogue
        city = {body.id for body in catalogue.bodies if not body.outside}
        stories = []
        for row in load_eval_rows(Path(EVAL_FILE)):
            found = classifier.classify(row.text)
            if found.confident and found.candidates[0].body_id in city:
                stories.append(row.text)  # outside bodies take another path
        places = tuple((k.name, kel) for k in load_places().kecamatan for kel in k.kelurahan)
        return cls(tuple(stories), places)


async def file_report(r: Resident, rng: random.Random, script: Script) -> None:
    """The whole typical report (the story names its kelurahan), as in
    tests/bot/test_short_walk_e2e.py."""
    _kecamatan, kelurahan = rng.choice(script.places)
    await r.send("/lapor", "Ceritakan")
    await r.send(f"{rng.choice(script.stories)} di {kelurahan}", "Sudah saya catat")
    await r.tap("Lanjut", "Sepertinya ini urusan")
    if "Di kelurahan mana" in await r.tap("Ya, benar", f"Kel. {kelurahan}", "Di kelurahan mana"):
        await r.send(kelurahan, f"Kel. {kelurahan}")  # the story named another place too
    await r.tap("Ya, benar", "identitas pelapor")
    await r.tap("Biasa", "nomor HP")
    await r.send("Lewati", "Ringkasan")
    if "serupa" in await r.tap("Kirim laporan", "Kode laporan", "laporan serupa"):
        await r.tap("Tetap kirim", "Kode laporan")


async def start_report(r: Resident, rng: random.Random, script: Script) -> None:
    """Into the middle of a report: the story told (a stored draft), place still to come."""
    await r.send("/lapor", "Ceritakan")
    await r.send(rng.choice(script.stories), "Sudah saya catat")


async def chat_with_echo(r: Resident, rng: random.Random, script: Script) -> None:
    """As many plain messages as a report takes, each echoed."""
    for number in range(8):
        text = f"pesan {number} dari {r.user.id}: {rng.choice(script.stories)[:60]}"
        await r.send(text, text)


Walk = Callable[[Resident, random.Random, Script], Awaitable[None]]
WALKS: dict[str, Walk] = {"report": file_report, "middle": start_report, "echo": chat_with_echo}


async def walk_all(
    emu: BenchEmulator,
    walk: Walk,
    users: list[User],
    script: Script,
    *,
    rate: float = 0.0,
    concurrency: int | None = None,
    seed: int = 1,
) -> Tally:
    """Every user walks `walk`; at `rate` updates per second in total if given (each user
    then acts every len(users)/rate seconds, starting at a random offset)."""
    tally = Tally()
    gate = asyncio.Semaphore(concurrency or len(users))
    loop = asyncio.get_running_loop()
    interval = len(users) / rate if rate > 0 else None

    async def one(number: int, user: User) -> None:
        rng = random.Random(seed * 1_000_003 + number)  # noqa: S311 - a simulation
        resident = Resident(emu, user, tally, interval)
        if interval is not None:
            resident.next_at = loop.time() + rng.uniform(0, interval)
        async with gate:
            try:
                await walk(resident, rng, script)
            except LostReply as exc:
                tally.lost += 1
                tally.why.append(str(exc))

    await asyncio.gather(*(one(n, u) for n, u in enumerate(users)))
    return tally
