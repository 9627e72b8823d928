"""Several processes on one PostgreSQL database: a message another process queues wakes
the sender at once (LISTEN/NOTIFY), without waiting for its idle poll."""

from __future__ import annotations

import asyncio
from typing import Literal

from telegram import Bot

from bot.sender import OutboxSender
from emulator import BotApiEmulator
from service.engine import utc_now
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.postgres import PostgresStore
from tests.bot.test_sender import FAST, SITI, sending, shown


class CountedEvent(asyncio.Event):
    """An event that counts how often it was set."""

    def __init__(self) -> None:
        super().__init__()
        self.times = 0

    def set(self) -> None:
        self.times += 1
        super().set()


class WatchedEvent(asyncio.Event):
    """An event that tells when somebody first waits for it."""

    def __init__(self) -> None:
        super().__init__()
        self.waited = asyncio.Event()

    async def wait(self) -> Literal[True]:
        self.waited.set()
        return await super().wait()


async def test_a_commit_elsewhere_wakes_the_listener_once(pg_url: str) -> None:
    listening, other = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    wake = CountedEvent()
    try:
        async with listening.outbox_wakeups(wake):
            async with other.transaction() as tx:
                for text in ("satu", "dua", "tiga"):
                    await tx.enqueue(SITI, Outgoing(text=text).to_json(), now=utc_now())
            await asyncio.wait_for(wake.wait(), 5)
            wake.clear()
            async with other.transaction() as tx:
                await tx.enqueue(SITI, Outgoing(text="empat").to_json(), now=utc_now())
            await asyncio.wait_for(wake.wait(), 5)  # (notifications come in commit order)
        assert wake.times == 2  # one per committed transaction, not one per message
    finally:
        await listening.close()
        await other.close()


async def test_an_idle_sender_sends_what_another_process_queued(
    pg_url: str, emu: BotApiEmulator
) -> None:
    emu.user(SITI, "Siti")
    sending_store, other = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    wake = WatchedEvent()
    try:
        async with Bot(emu.token, base_url=emu.base_url) as api:
            sender = OutboxSender(sending_store, api, FAST, wake=wake, idle_poll=3600)
            async with sending(sender):
                await asyncio.wait_for(wake.waited.wait(), 5)  # idle: only a wake-up helps
                async with other.transaction() as tx:
                    await enqueue(tx, SITI, Outgoing(text="dari proses lain"), now=utc_now())
                await emu.wait_until(lambda: bool(emu.sent(SITI)), timeout=5)
        assert shown(emu, SITI) == ["dari proses lain"]
    finally:
        await sending_store.close()
        await other.close()


async def test_a_stores_own_commits_do_not_wake_its_listener(pg_url: str) -> None:
    """Its own sender is woken at commit (`on_commit`); the notice would wake it twice."""
    listening, other = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    wake = CountedEvent()
    try:
        async with listening.outbox_wakeups(wake):
            async with listening.transaction() as tx:
                await tx.enqueue(SITI, Outgoing(text="sendiri").to_json(), now=utc_now())
            async with other.transaction() as tx:
                await tx.enqueue(SITI, Outgoing(text="dari proses lain").to_json(), now=utc_now())
            await asyncio.wait_for(wake.wait(), 5)  # (notifications come in commit order)
        assert wake.times == 1
    finally:
        await listening.close()
        await other.close()
