"""Running the real bot against the Bot API emulator, and a resident who talks to it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from asyncio.subprocess import DEVNULL
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from emulator import BotApiEmulator
from emulator.world import JSON, User
from suara_warga.config import Config
from suara_warga.launch import run_bot
from tests.helpers import ROOT

ADMIN_CHAT = -100777


def bot_settings(emu: BotApiEmulator, db: Path | str, **sections: dict[str, Any]) -> dict[str, Any]:
    """The settings pointing the bot at the emulator and a database; `sections` add to
    or replace keys of theirs."""
    telegram = {
        "token": emu.token,
        "base_url": emu.base_url,
        "base_file_url": emu.base_file_url,
        "admin_chat_id": ADMIN_CHAT,
        "poll_timeout": 2,
        **sections.pop("telegram", {}),
    }
    storage = {"path": str(db), "synchronous": "NORMAL", **sections.pop("storage", {})}
    # Telegram's per-chat pace (1/s) is tested on the sender itself; here it would only
    # make every scripted conversation slow.
    sender = {"private_chat_per_second": 5, "group_per_minute": 600, **sections.pop("sender", {})}
    # The public board is served only where a test asks for it (`web`), on a free port.
    web = {"enabled": False, **sections.pop("web", {})}
    return {"telegram": telegram, "storage": storage, "sender": sender, "web": web, **sections}


def config_for(emu: BotApiEmulator, db: Path, **sections: dict[str, Any]) -> Config:
    """A configuration pointing the bot at the emulator and a database file."""
    return Config(**bot_settings(emu, db, **sections))


async def spawn_bot(
    config: Path, *options: str, stdout: int | IO[Any] = DEVNULL, stderr: int | IO[Any] = DEVNULL
) -> asyncio.subprocess.Process:
    """`suara-warga run [options] --config FILE` as a child process of its own."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "suara_warga.cli", "run", *options, "--config", str(config)),
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=stdout,
        stderr=stderr,
    )


class Clock:
    """Simulated time for the bot: real time passing, plus whatever the test skips."""

    def __init__(self) -> None:
        self.skipped = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.skipped

    def skip(self, delta: timedelta) -> None:
        self.skipped += delta


@dataclass
class RunningBot:
    """The bot running in this event loop, as `suara-warga run` would."""

    config: Config
    clock: Clock = field(default_factory=Clock)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    async def start(self, emu: BotApiEmulator) -> None:
        self.stop = asyncio.Event()
        emu.calls.clear()
        self.task = asyncio.create_task(run_bot(self.config, self.stop, self.clock))
        await emu.wait_until(
            lambda: any(method == "setMyCommands" for method, _ in emu.calls) or self.task_done(),
            message="the bot did not start",
        )
        if self.task_done():
            assert self.task is not None
            await self.task  # raises what went wrong

    def task_done(self) -> bool:
        return self.task is not None and self.task.done()

    async def shutdown(self) -> None:
        """A graceful stop (SIGTERM)."""
        self.stop.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 10)

    async def crash(self) -> None:
        """Stop without any clean-up of the bot's own (the task is cancelled mid-flight)."""
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


@asynccontextmanager
async def running_bot(emu: BotApiEmulator, config: Config) -> AsyncIterator[RunningBot]:
    """The bot running on `config` for the block, then stopped as SIGTERM stops it."""
    running = RunningBot(config)
    await running.start(emu)
    try:
        yield running
    finally:
        await running.shutdown()


@dataclass
class Person:
    """A Telegram user talking to the bot through the emulator."""

    emu: BotApiEmulator
    user: User

    async def send(self, text: str, expect: str | None = None) -> JSON | None:
        """Send a text; with `expect`, wait for a bot message containing it."""
        self.emu.send_text(self.user, text)
        return await self.expect(expect) if expect else None

    async def expect(self, text: str, timeout: float = 5.0) -> JSON:  # noqa: ASYNC109
        """The next message to this person containing `text`."""
        return await self.emu.wait_for(self.user, text, timeout=timeout)

    async def tap(self, label: str, expect: str | None = None) -> JSON | None:
        """Press the newest button whose label contains `label`; with `expect`, wait for
        the answer containing it: a new message, or the pressed message edited (the
        bot shows the next question in the message whose button was pressed)."""
        message = self.with_button(label)
        before = dict(message)
        self.emu.press(self.user, message, self.emu.button_data(message, label))
        return await self.answer(before, expect) if expect else None

    async def answer(self, pressed: JSON, text: str, timeout: float = 5.0) -> JSON:  # noqa: ASYNC109
        """The answer to a press of `pressed` (as it was) containing `text`: the
        pressed message once edited to show it, or a new message."""
        chat = self.emu.chat(self.user)
        found: list[JSON] = []

        def shown() -> bool:
            now = chat.messages[pressed["message_id"]]
            if now != pressed and text in (now.get("text") or now.get("caption") or ""):
                found.append(now)
                return True
            for index in range(chat.cursor, len(chat.bot_sent)):
                message = chat.messages[chat.bot_sent[index]]
                if text in (message.get("text") or message.get("caption") or ""):
                    chat.cursor = index + 1
                    found.append(message)
                    return True
            return False

        await self.emu.wait_until(
            shown, timeout, f"no answer with {text!r}; the bot sent:\n{self.emu.dump(self.user)}"
        )
        return found[0]

    def with_button(self, label: str) -> JSON:
        """The newest message showing a button whose label contains `label`."""
        for message in reversed(self.emu.sent(self.user)):
            if any(label in text for text, _ in self.emu.buttons(message)):
                return message
        raise AssertionError(f"no button {label!r}; the bot sent:\n{self.emu.dump(self.user)}")
