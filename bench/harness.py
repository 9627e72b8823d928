"""The intake figures' harness: the emulator process, the bots started against it, the
residents' walks (timed, with the CPU of each process read from /proc), and the rows
one layout of the bot gives (`Layout`, `walk_rows`)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.procs import Child, Control, CpuMeter, Measured
from bench.report import Row, ms, percentile
from bench.stores import remove_database

ADMIN_CHAT = -100777
SENDER = {"messages_per_second": 2000, "private_chat_per_second": 100, "group_per_minute": 100000}
STEP_TARGET = 0.1
SQLITE_RATIO_TARGET = 0.6
POSTGRES_RATIO_TARGET = 0.8
"""Intake throughput against the echo bot's in the same run (issue #17)."""
MEMORY_TARGET_MB = 200.0


@dataclass(frozen=True)
class IntakeSize:
    """How big each walk is."""

    chats: int = 200
    rate: float = 100.0
    memory_chats: int = 10_000
    concurrency: int = 500
    warmup: int = 20


@dataclass(frozen=True)
class Walked:
    """What one walk measured."""

    updates: int
    seconds: float
    latencies: list[float]
    lost: int
    cpu: dict[str, float]
    cpu_seconds: float  # of the bot under test
    loop_seconds: float  # of its main thread (the event loop; the rest is SQLite's thread)
    bots: int = 1  # worker processes, their CPU added up

    @property
    def cpu_per_update(self) -> float:
        return self.cpu_seconds / self.updates if self.updates else 0.0

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def steps(self) -> str:
        lat = self.latencies
        return f"step p50 {ms(percentile(lat, 0.5))}, p99 {ms(percentile(lat, 0.99))}"

    def load(self) -> str:
        """CPU shares of one core: the bot, the emulator, the rest of the machine."""
        shares = ", ".join(f"{name.split('.')[-1]} {share:.0%}" for name, share in self.cpu.items())
        loop = self.loop_seconds / self.updates if self.updates else 0.0
        who = "bot" if self.bots == 1 else f"bot ({self.bots} workers together)"
        per = ms(self.cpu_per_update)
        return f"{shares}; {who} {per} CPU per update ({ms(loop)} in its event loop)"


class Bench:
    """The emulator process and what runs against it."""

    def __init__(
        self, emulator: Child, info: dict[str, Any], workdir: Path, experiment: str | None
    ) -> None:
        self.emulator = emulator
        self.experiment = experiment  # one of bench.experiments
        self.info = info
        self.control = Control(str(info["control"]))
        self.workdir = workdir
        self._next_user = 1_000_001

    async def walk(
        self,
        bot: Child | Sequence[Child],
        walk: str,
        chats: int,
        rate: float = 0.0,
        concurrency: int = 0,
        also: Sequence[Measured] = (),
    ) -> Walked:
        """`chats` fresh residents walk `walk` against the bot (its workers) in `bot`;
        CPU is read of it, the emulator and `also`."""
        bots = [bot] if isinstance(bot, Child) else list(bot)
        first, self._next_user = self._next_user, self._next_user + chats
        meter = CpuMeter(*bots, self.emulator, *also)
        meter.start()
        got = await self.control.call(
            "walk",
            walk=walk,
            first_user=first,
            chats=chats,
            rate=rate,
            concurrency=concurrency or None,
        )
        shares = meter.stop()
        return Walked(
            got["updates"],
            got["seconds"],
            got["latencies"],
            got["lost"],
            shares,
            sum(meter.seconds[b.name] for b in bots),
            sum(meter.main_thread[b.name] for b in bots),
            len(bots),
        )

    async def start(self, module: str, *args: str, name: str) -> Child:
        """Start a bot and wait until it polls."""
        return (await self.start_all([(module, args, name)], "wait_polling"))[0]

    async def start_all(
        self, bots: Sequence[tuple[str, Sequence[str], str]], ready: str, **wait: Any
    ) -> list[Child]:
        """Start bots (module, arguments, name) and wait for the emulator's `ready`
        control call (e.g. until they poll, or have set their webhooks)."""
        await self.control.call("reset")
        children = []
        for module, args, name in bots:
            # An environment fix (sniffio) applies to the yardstick too; a change of the
            # bot's code (aiohttp) does not.
            if self.experiment and (module == "bench.botproc" or self.experiment == "sniffio"):
                args = (*args, "--experiment", self.experiment)
            child = await Child.start(module, *args, log=self.workdir / f"{name}.log")
            children.append(child)
        waiting = asyncio.ensure_future(self.control.call(ready, timeout=60, **wait))
        exits = {asyncio.ensure_future(child.proc.wait()) for child in children}
        done, _ = await asyncio.wait({waiting, *exits}, return_when=asyncio.FIRST_COMPLETED)
        for task in exits:
            task.cancel()
        if waiting not in done:
            waiting.cancel()
            for child in children:
                await child.stop()
            tails = "\n".join(f"{c.name}:\n{c.tail()}" for c in children)
            raise RuntimeError(f"a bot exited at start:\n{tails}")
        return children

    def config(self, name: str, synchronous: str) -> tuple[Path, Path]:
        """A config file for the bot and its fresh SQLite database."""
        db = self.workdir / f"{name}.sqlite3"
        remove_database(db)
        return self.write_config(name, f'path = "{db}"\nsynchronous = "{synchronous}"'), db

    def write_config(
        self,
        name: str,
        storage: str,
        extra: str = "",
        sender_limits: dict[str, float] | None = None,
    ) -> Path:
        """A config file: the emulator, `sender_limits` ([sender]; default raised limits,
        `SENDER`), `storage` (the lines of its [storage] section) and `extra` sections."""
        info = self.info
        limits = SENDER if sender_limits is None else sender_limits
        sender = "\n".join(f"{key} = {value}" for key, value in limits.items())
        text = f"""[telegram]
token = "{info["token"]}"
base_url = "{info["base_url"]}"
base_file_url = "{info["base_file_url"]}"
admin_chat_id = {ADMIN_CHAT}
poll_timeout = 10

[storage]
{storage}

[sender]
{sender}
{extra}"""
        path = self.workdir / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path


@dataclass(frozen=True)
class Layout:
    """One layout of the bot, walked: all residents at once (`full`) and paced, with its
    target against the echo bot."""

    label: str
    full: Walked
    paced: Walked
    target: float


def walk_rows(layout: Layout, size: IntakeSize, echoes: Sequence[Walked]) -> list[Row]:
    """The throughput and the paced latency rows of one layout of the bot. `echoes` are
    the echo bot's walks just before and just after it: the machine's speed drifts over
    minutes, so the ratio is against their rate together."""
    full, paced = layout.full, layout.paced
    seconds = sum(echo.seconds for echo in echoes)
    echo_rate = sum(echo.updates for echo in echoes) / seconds if seconds else 0.0
    ratio = full.rate / echo_rate if echo_rate else 0.0
    rates = " and ".join(f"{echo.rate:,.0f}/s" for echo in echoes)
    cpu = ", ".join(ms(echo.cpu_per_update) for echo in echoes)
    p99 = percentile(paced.latencies, 0.99)
    return [
        Row(
            f"Intake throughput, {layout.label}, {size.chats} chats at once "
            "(bot's sender limits raised, emulator's flood limits off)",
            f"{full.rate:,.0f} updates/s = {ratio:.2f} x echo (walked just before and after: "
            f"{rates}; {cpu} CPU per update); {full.steps()}; "
            f"CPU {full.load()}; lost {full.lost}",
            f">= {layout.target} x echo",
            ratio >= layout.target and full.lost == 0,
        ),
        Row(
            f"Intake latency per step, {layout.label}, paced at {size.rate:.0f} updates/s "
            "(same settings)",
            f"{paced.steps()} ({paced.rate:,.0f} updates/s achieved; CPU {paced.load()}; "
            f"lost {paced.lost})",
            f"p99 < {ms(STEP_TARGET)}",
            p99 < STEP_TARGET and paced.lost == 0,
        ),
    ]
