"""A lock is not a failure: a resident's message that meets a busy database waits.

Another connection holds SQLite's write lock (BEGIN IMMEDIATE) while a resident writes.
The bot's transaction gives up after busy_timeout and its retries; the lock is released
as soon as the bot tries again after that (at the first retry of its second transaction
for the resident's chat, whatever that transaction is). The message must then be
applied, never answered with an apology that drops it.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from emulator import BotApiEmulator
from storage import open_store
from storage.sqlite_core import BUSY_RETRIES
from tests.bot.harness import Person, RunningBot, config_for

STORY = "Sampah menumpuk di TPS dekat pasar sudah seminggu"


class ReleaseOnRetry(logging.Handler):
    """Rolls `holder` back at the first BEGIN retry of the second transaction that a
    chat's update task (`one_chat`) tries while the database is locked."""

    def __init__(self, holder: sqlite3.Connection) -> None:
        super().__init__()
        self.holder = holder
        self.busy = 0
        self.released = False

    def emit(self, record: logging.LogRecord) -> None:
        task = asyncio.current_task()
        name = getattr(task.get_coro(), "__qualname__", "") if task is not None else ""
        in_chat = str(name).endswith("one_chat")
        if not in_chat or "database busy" not in record.getMessage() or self.released:
            return
        self.busy += 1
        if self.busy == BUSY_RETRIES + 1:
            self.holder.execute("ROLLBACK")
            self.released = True


async def outbox_drained(db_path: Path) -> None:
    """Wait until every queued message was sent and recorded as sent."""
    store = await open_store(db_path)
    try:
        for _ in range(500):
            async with store.transaction() as tx:
                if (await tx.outbox_stats(datetime.now(UTC))).pending == 0:
                    return
            await asyncio.sleep(0.02)
        raise AssertionError("the outbox did not drain")
    finally:
        await store.close()


async def test_a_residents_message_waits_for_a_busy_database_and_is_applied(
    emu: BotApiEmulator, db_path: Path
) -> None:
    config = config_for(emu, db_path, storage={"busy_timeout_seconds": 0.2})
    bot = RunningBot(config)
    await bot.start(emu)
    siti = Person(emu, emu.user(1001, "Siti"))
    # Used from a thread (taking the lock may wait for the bot, whose event loop must go
    # on meanwhile) and from the loop (releasing it, in `ReleaseOnRetry`).
    holder = sqlite3.connect(db_path, isolation_level=None, timeout=10, check_same_thread=False)
    watcher = ReleaseOnRetry(holder)
    sqlite_log = logging.getLogger("storage.sqlite_core")
    sqlite_log.addHandler(watcher)
    try:
        await siti.send("/lapor", expect="Ceritakan")
        await emu.wait_until(lambda: emu.pending_updates() == 0)
        await outbox_drained(db_path)  # the sender is idle: only the resident meets the lock
        await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")
        siti.emu.send_text(siti.user, STORY)
        await siti.expect("Sudah saya catat", timeout=20)
        assert watcher.released  # the bot did meet the lock, and tried again
    finally:
        sqlite_log.removeHandler(watcher)
        if not watcher.released:
            holder.execute("ROLLBACK")
        holder.close()
        await bot.shutdown()
    assert not [m for m in emu.sent(siti.user) if "gangguan" in m["text"]], emu.dump(siti.user)
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            state = await tx.load_conversation(siti.user.id)
    finally:
        await store.close()
    assert state is not None and STORY in state
