"""Answers first: a surge of residents meets a backlog of notifications, cards and
reminders, and each resident's answer overtakes that backlog (issue #17's order test).

Not a timed test: the order is read from the outbox itself (when each message was queued
and when it was sent, on the bot's own clock), not from how long anything took.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from service.engine import utc_now
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage import open_store
from tests.bot.harness import Person, RunningBot, config_for
from tests.storage.helpers import query

RESIDENTS = range(5001, 5006)
NOTIFIED = range(6001, 6016)  # residents with news of their reports waiting
GROUPS = range(-100605, -100600)  # officers' groups with cards and reminders waiting
OVERTAKEN_AT_MOST = 3
"""Backlog messages that may still go out after an answer was queued: those already
past the overall pace or on the wire when it arrived."""


@pytest.fixture
async def surge_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    """The bot with a slow overall pace (5 messages a second), so a backlog lasts."""
    for chat in GROUPS:
        emu.group(chat, f"Petugas {chat}")
    for user in NOTIFIED:
        emu.user(user, f"Warga {user}")
    running = RunningBot(config_for(emu, db_path, sender={"messages_per_second": 5}))
    yield running
    await running.shutdown()


async def queue_backlog(db_path: Path, first_resident: int) -> None:
    """Notifications, cards and reminders, queued before anyone writes; the first
    resident also has news of an earlier report waiting."""
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            now = utc_now()
            old_news = Outgoing(text="kabar lama")
            await enqueue(tx, first_resident, old_news, now=now, purpose="status")
            for number in range(2):
                for user in NOTIFIED:
                    out = Outgoing(text=f"kabar {number}")
                    await enqueue(tx, user, out, now=now, purpose="status")
                for chat in GROUPS:
                    card = Outgoing(text=f"kartu {number}")
                    await enqueue(tx, chat, card, now=now, purpose="card")
                    reminder = Outgoing(text=f"pengingat {number}")
                    await enqueue(tx, chat, reminder, now=now, purpose="reminder")
    finally:
        await store.close()


def outbox(db_path: Path) -> list[tuple[int, int, int, datetime, datetime]]:
    """(id, chat, lane, queued at, sent at) of every sent message."""
    rows = query(
        db_path,
        "SELECT id, chat_id, lane, created_at, finished_at FROM outbox WHERE state = 'sent'",
    )
    return [
        (row[0], row[1], row[2], datetime.fromisoformat(row[3]), datetime.fromisoformat(row[4]))
        for row in rows
    ]


async def test_each_answer_overtakes_the_backlog_and_chats_keep_their_order(
    emu: BotApiEmulator, surge_bot: RunningBot, db_path: Path
) -> None:
    residents = [Person(emu, emu.user(user, f"Warga {user}")) for user in RESIDENTS]
    await queue_backlog(db_path, RESIDENTS[0])
    await surge_bot.start(emu)
    for resident in residents:
        await resident.send("/start")
    await asyncio.gather(*(r.expect("selamat datang", timeout=30) for r in residents))

    def answers() -> list[tuple[int, int, int, datetime, datetime]]:
        return [m for m in outbox(db_path) if m[1] in RESIDENTS and m[2] == 0]

    # Shown to the resident a moment before the sender records it as sent.
    await emu.wait_until(lambda: len(answers()) == len(RESIDENTS), message="recorded")
    sent = outbox(db_path)
    for _, chat, _, queued, answered_at in answers():
        overtaking = [
            m for m in sent if m[1] != chat and m[2] > 0 and queued < m[4] < answered_at
        ]
        assert len(overtaking) <= OVERTAKEN_AT_MOST, (chat, overtaking)
    waiting = query(db_path, "SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0]
    assert waiting > 10  # the answers did not simply come after the backlog

    await emu.wait_until(
        lambda: query(db_path, "SELECT count(*) FROM outbox WHERE state = 'pending'") == [(0,)],
        timeout=30,
        message="the backlog was not sent",
    )
    first = residents[0]
    texts = [m.get("text", "") for m in emu.sent(first.user)]
    assert texts[0] == "kabar lama" and "selamat datang" in texts[1]  # its own order holds
    for user in NOTIFIED:
        assert [m["text"] for m in emu.sent(user)] == ["kabar 0", "kabar 1"]
    for chat in GROUPS:
        shown = [m["text"] for m in emu.sent(chat)]
        assert shown == ["kartu 0", "pengingat 0", "kartu 1", "pengingat 1"]
