"""The outbox sender against the emulator: real `telegram.Bot`, real SQLite outbox.

Rate limits are lowered in the tests (so a run takes seconds) and checked on the
arrival times the emulator logged, in proportion.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot

from bot.sender import OutboxSender, SendLimits
from emulator import BotApiEmulator, FloodLimits
from flows.office import Office
from flows.roles import Roles
from flows.rules import Rules
from service.alerts import alert_group_unreachable
from service.engine import utc_now
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage import Store, open_store
from tests.bot.harness import ADMIN_CHAT
from tests.factories import make_report
from tests.storage.helpers import query

FAST = SendLimits(messages_per_second=200, private_chat_per_second=50, private_chat_burst=10)
SITI, BUDI = 1001, 1002
DINKES_CHAT = -100555


def quick_retry(attempts: int) -> timedelta:
    """The production backoff (1 s, 2 s, ...) scaled down twenty-fold."""
    return timedelta(seconds=0.05 * 2 ** min(attempts, 4))


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(db_path)
    yield opened
    await opened.close()


@pytest.fixture
async def api(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    for user_id in range(SITI, SITI + 60):
        emu.user(user_id, f"Warga {user_id}")
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        yield bot


def sender_for(store: Store, api: Bot, limits: SendLimits = FAST) -> OutboxSender:
    return OutboxSender(store, api, limits, retry_delay=quick_retry)


@contextlib.asynccontextmanager
async def sending(sender: OutboxSender) -> AsyncIterator[asyncio.Task[None]]:
    """The sender running; stopped gracefully at the end (unless the test crashed it)."""
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        yield task
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


async def settled(store: Store, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    """Wait until nothing in the outbox is pending."""
    async with asyncio.timeout(timeout):
        while True:
            async with store.transaction() as tx:
                if (await tx.outbox_stats(utc_now())).pending == 0:
                    return
            await asyncio.sleep(0.05)


async def queue(store: Store, chat_id: int, *texts: str, **options: Any) -> list[int]:
    """Put texts in the outbox, as the engine does; their outbox ids."""
    ids: list[int] = []
    async with store.transaction() as tx:
        for text in texts:
            out = Outgoing(text=text, **options)
            ids += await enqueue(tx, chat_id, out, now=utc_now())
    return ids


def shown(emu: BotApiEmulator, chat_id: int) -> list[str]:
    return [m.get("text") or m.get("caption", "") for m in emu.sent(chat_id)]


def rows(db_path: Path) -> dict[int, tuple[str, int, str | None]]:
    """Outbox id -> (state, attempts, last error), read as another process would."""
    found = query(db_path, "SELECT id, state, attempts, last_error FROM outbox")
    return {row[0]: (row[1], row[2], row[3]) for row in found}


def most_in_window(times: list[float], seconds: float) -> int:
    """The most arrivals within any `seconds` (a window starting at an arrival)."""
    return max(
        (sum(t <= start + seconds for t in times[i:]) for i, start in enumerate(times)), default=0
    )


async def test_each_chat_in_order_exactly_once_under_random_failures(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    emu.faults.randomly(error=0.25, drop=0.1, methods=["sendMessage"], seed=3)
    chats = range(SITI, SITI + 5)
    for number in range(12):  # interleaved, as replies to several residents are
        for chat in chats:
            await queue(store, chat, f"{chat} #{number}")
    async with sending(sender_for(store, api)):
        await settled(store)
    for chat in chats:
        assert shown(emu, chat) == [f"{chat} #{n}" for n in range(12)]
        attempted = [
            int(p["text"].split("#")[1]) for m, p in emu.calls if p.get("chat_id") == str(chat)
        ]
        assert attempted == sorted(attempted)  # never the next one before this one is done
    injected = emu.faults.injected
    assert injected["500"] > 5 and injected["drop"] > 2
    assert {state for state, _, _ in rows(db_path).values()} == {"sent"}
    assert sum(attempts for _, attempts, _ in rows(db_path).values()) == injected.total()


async def test_429_waits_retry_after_for_that_chat_only(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    emu.fail_next("sendMessage", 429, retry_after=1, chat_id=SITI)
    (siti_id,) = await queue(store, SITI, "satu")
    await queue(store, BUDI, "a", "b", "c")
    async with sending(sender_for(store, api)):
        await settled(store)
    first, again = emu.sends(SITI)
    assert (first.outcome, again.outcome) == ("429", "ok")
    assert again.at - first.at >= 0.95  # retry_after honoured
    assert max(r.at for r in emu.sends(BUDI)) < again.at - 0.5  # Budi did not wait
    assert shown(emu, SITI) == ["satu"] and shown(emu, BUDI) == ["a", "b", "c"]
    state, attempts, error = rows(db_path)[siti_id]
    assert (state, attempts, emu.faults.injected["429"]) == ("sent", 1, 1)
    assert error is not None and "429" in error


async def test_429s_from_several_chats_pause_every_send(
    emu: BotApiEmulator, api: Bot, store: Store
) -> None:
    emu.fail_next("sendMessage", 429, retry_after=1, times=3)
    for chat in range(SITI, SITI + 6):
        await queue(store, chat, f"{chat} pertama", f"{chat} kedua")
    async with sending(sender_for(store, api, replace(FAST, messages_per_second=20))):
        await settled(store)
    third_429 = [r for r in emu.sends() if r.outcome == "429"][-1].at
    during = [r for r in emu.sends() if third_429 + 0.05 < r.at < third_429 + 0.95]
    assert during == []  # Telegram's flood wait for the bot: everyone waited
    for chat in range(SITI, SITI + 6):
        assert shown(emu, chat) == [f"{chat} pertama", f"{chat} kedua"]


async def test_403_marks_the_chat_blocked_and_stops_retrying(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emu.block(SITI)
    blocked_ids = await queue(store, SITI, "satu", "dua", "tiga")
    await queue(store, BUDI, "untuk Budi", "lagi")
    sender = sender_for(store, api)
    async with sending(sender):
        await settled(store)
        later = await queue(store, SITI, "sesudah diblokir")
        await asyncio.sleep(0.2)
    assert [r.outcome for r in emu.sends(SITI)] == ["403"]  # one try, no retries
    assert all(rows(db_path)[i][0::2] == ("failed", "blocked") for i in blocked_ids + later)
    async with store.transaction() as tx:
        assert await tx.is_chat_blocked(SITI)
    assert shown(emu, BUDI) == ["untuk Budi", "lagi"]
    assert "blocked the bot" in caplog.text and str(SITI) not in caplog.text  # her id


async def test_403_from_an_officers_group_keeps_its_messages_and_alerts_once(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    emu.group(ADMIN_CHAT, "Petugas Pengaduan")
    emu.group(DINKES_CHAT, "Petugas Dinkes")
    kicked = "Forbidden: bot was kicked from the group chat"
    emu.fail_next("sendMessage", 403, description=kicked, chat_id=DINKES_CHAT, times=3)
    office = Office(roles=Roles(central_chat=ADMIN_CHAT, opd_chats={"dinkes": DINKES_CHAT}))

    async def alert(chat_id: int) -> bool:
        return await alert_group_unreachable(store, office, Rules(), chat_id, utc_now())

    cards = await queue(store, DINKES_CHAT, "kartu satu", "kartu dua")
    sender = replace(sender_for(store, api), on_unreachable_group=alert)
    async with sending(sender):
        await settled(store)
    assert shown(emu, DINKES_CHAT) == ["kartu satu", "kartu dua"]  # once re-added, in order
    assert [r.outcome for r in emu.sends(DINKES_CHAT)] == ["403"] * 3 + ["ok"] * 2
    (warning,) = shown(emu, ADMIN_CHAT)
    assert "tidak dapat mengirim pesan ke grup Petugas Dinas Kesehatan" in warning
    assert all(rows(db_path)[i][0] == "sent" for i in cards)
    async with store.transaction() as tx:
        assert not await tx.is_chat_blocked(DINKES_CHAT)


async def test_400_fails_that_message_and_the_next_one_goes(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    bad, good = await queue(store, SITI, "<b>tag tidak ditutup", "sesudahnya")
    async with sending(sender_for(store, api)):
        await settled(store)
    assert shown(emu, SITI) == ["sesudahnya"]
    assert [r.outcome for r in emu.sends(SITI)] == ["400", "ok"]
    state, attempts, error = rows(db_path)[bad]
    assert (state, attempts) == ("failed", 1) and "parse entities" in (error or "")
    assert rows(db_path)[good][0] == "sent"


async def test_edits_go_part_by_part_and_a_vanished_target_fails(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    async with store.transaction() as tx:
        report = await tx.insert_report(make_report())

    def card(version: str) -> str:
        return f"<b>Kartu {version}</b>\n" + "isi laporan " * 400 + f"\n\nakhir {version}"

    async with store.transaction() as tx:
        v1 = Outgoing(text=card("v1"))
        await enqueue(tx, ADMIN_CHAT, v1, now=utc_now(), report_id=report.id, purpose="card")
    await queue(store, ADMIN_CHAT, card("v2"), edit=(report.id, "card"))
    (never,) = await queue(store, ADMIN_CHAT, "?", edit=(report.id, "tidak ada"))
    async with sending(sender_for(store, api)):
        await settled(store)
        first, second = emu.sent(ADMIN_CHAT)  # the card went out in two parts
        assert first["text"].startswith("Kartu v2") and second["text"].endswith("akhir v2")
        emu.chat(ADMIN_CHAT).deleted.add(first["message_id"])  # an officer deletes it
        (gone,) = await queue(store, ADMIN_CHAT, card("v3"), edit=(report.id, "card"))
        await queue(store, ADMIN_CHAT, "sesudahnya")
        await settled(store)
    assert rows(db_path)[never][0::2] == (
        "failed",
        "no sent message of report 1 (tidak ada) to edit",
    )
    state, attempts, error = rows(db_path)[gone]
    assert (state, attempts) == ("failed", 1)
    assert "message to edit not found" in (error or "").lower()
    assert shown(emu, ADMIN_CHAT)[-1] == "sesudahnya"


async def test_an_edit_reaches_every_copy_even_when_one_is_deleted(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    async with store.transaction() as tx:
        report = await tx.insert_report(make_report())
        for text in ("kartu", "salinan /cari", "salinan kedua"):  # three copies in one chat
            out = Outgoing(text=text)
            await enqueue(tx, ADMIN_CHAT, out, now=utc_now(), report_id=report.id, purpose="card")
    async with sending(sender_for(store, api)):
        await settled(store)
        emu.chat(ADMIN_CHAT).deleted.add(emu.sent(ADMIN_CHAT)[1]["message_id"])
        (edit_id,) = await queue(store, ADMIN_CHAT, "kartu baru", edit=(report.id, "card"))
        await settled(store)
        (moved_id,) = await queue(
            store, ADMIN_CHAT, "dialihkan", edit=(report.id, "card"), relink="card_moved"
        )
        (after_id,) = await queue(store, ADMIN_CHAT, "?", edit=(report.id, "card"))
        await settled(store)
    assert shown(emu, ADMIN_CHAT) == ["dialihkan", "dialihkan"]
    assert rows(db_path)[edit_id][0] == rows(db_path)[moved_id][0] == "sent"
    assert rows(db_path)[after_id][0::2] == ("failed", "no sent message of report 1 (card) to edit")


async def test_rate_limits_hold_under_load(emu: BotApiEmulator, api: Bot, store: Store) -> None:
    # Telegram's 30/s, 1/s per chat (burst 3) and 20/min per group, scaled to a few seconds:
    limits = SendLimits(
        messages_per_second=20,
        private_chat_per_second=4,
        private_chat_burst=3,
        group_per_minute=6,
        group_window=2.0,
    )
    emu.faults.limit(FloodLimits(20, 3, 4.0, 6, 2.0, slack=0.03))  # the same, 30 ms jitter
    for chat in range(BUDI, BUDI + 30):
        await queue(store, chat, "pengumuman")
    await queue(store, SITI, *[f"siti {n}" for n in range(10)])
    await queue(store, ADMIN_CHAT, *[f"kartu {n}" for n in range(10)])
    async with sending(sender_for(store, api, limits)):
        await settled(store)
    every = [r.at for r in emu.sends()]
    siti = [r.at for r in emu.sends(SITI)]
    group = [r.at for r in emu.sends(ADMIN_CHAT)]
    assert len(every) == 50 and emu.faults.injected["flood"] == 0
    assert most_in_window(every, 0.98) <= 20
    assert 17 <= 39 / (every[39] - every[0]) <= 21  # and not much slower
    for first in range(len(siti)):  # any span: at most the burst plus the rate
        for last in range(first + 3, len(siti)):
            sent = last - first + 1
            assert sent <= 3 + 4 * (siti[last] - siti[first] + 0.02), (first, last)
    assert siti[-1] - siti[0] < 2.5  # 7 after the burst, at 4/s
    assert most_in_window(group, 1.98) <= 6
    assert group[5] - group[0] < 1.0 and group[6] - group[0] > 1.98  # 6 at once, then wait
    assert shown(emu, SITI) == [f"siti {n}" for n in range(10)]


async def test_killed_before_acceptance_the_message_goes_at_restart(
    emu: BotApiEmulator, api: Bot, store: Store
) -> None:
    emu.set_delay(0.5, ["sendMessage"])  # Telegram has not taken it yet
    await queue(store, SITI, "penting")
    async with sending(sender_for(store, api)) as task:
        await emu.wait_until(lambda: len(emu.sends(SITI)) == 1)
        task.cancel()  # the process dies mid-request
    await asyncio.sleep(0.6)
    assert emu.sent(SITI) == []
    emu.faults.clear()
    async with sending(sender_for(store, api)):
        await settled(store)
    assert shown(emu, SITI) == ["penting"]


async def test_killed_after_acceptance_duplicates_that_one_message(
    emu: BotApiEmulator, api: Bot, store: Store
) -> None:
    emu.set_delay(0.5, ["sendMessage"], after=True)  # accepted, the answer is slow
    await queue(store, SITI, "satu", "dua", "tiga")
    async with sending(sender_for(store, api)) as task:
        await emu.wait_until(lambda: len(emu.sent(SITI)) == 1)
        task.cancel()  # dies before recording "sent"
    emu.faults.clear()
    async with sending(sender_for(store, api)):
        await settled(store)
    assert shown(emu, SITI) == ["satu", "satu", "dua", "tiga"]  # the documented duplicate


async def test_graceful_stop_finishes_the_request_on_the_wire(
    emu: BotApiEmulator, api: Bot, store: Store
) -> None:
    emu.set_delay(0.5, ["sendMessage"], after=True)
    await queue(store, SITI, "satu")
    await queue(store, BUDI, *[f"budi {n}" for n in range(20)])
    slow = replace(FAST, private_chat_burst=1, private_chat_per_second=1)
    async with sending(sender_for(store, api, slow)):
        await emu.wait_until(lambda: len(emu.sent(SITI)) == 1)
        stopping = asyncio.get_running_loop().time()
    assert asyncio.get_running_loop().time() - stopping < 0.9  # not waiting out Budi's turns
    assert len(shown(emu, BUDI)) <= 1
    emu.faults.clear()
    async with sending(sender_for(store, api)):
        await settled(store)
    assert shown(emu, SITI) == ["satu"]  # recorded as sent before stopping: no duplicate
    assert shown(emu, BUDI) == [f"budi {n}" for n in range(20)]


@contextlib.asynccontextmanager
async def two_workers(
    store: Store, api: Bot, db_path: Path, lease: timedelta, limits: SendLimits = FAST
) -> AsyncIterator[tuple[OutboxSender, OutboxSender]]:
    """Two workers on one database, each with a sender asking for the lease."""

    def worker(db: Store, name: str) -> OutboxSender:
        return OutboxSender(
            db, api, limits, retry_delay=quick_retry, lease_holder=name, lease=lease
        )

    other = await open_store(db_path)
    try:
        yield worker(store, "worker-1"), worker(other, "worker-2")
    finally:
        await other.close()


async def test_two_workers_one_sends_and_after_a_crash_the_other(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    async with two_workers(store, api, db_path, timedelta(seconds=1.5)) as (one, two):
        for chat in (SITI, BUDI):
            await queue(store, chat, *[f"{chat} #{n}" for n in range(15)])
        async with sending(one) as one_running, sending(two) as two_running:
            await settled(store)
            assert one.leading() != two.leading()  # exactly one sends
            for chat in (SITI, BUDI):
                assert shown(emu, chat) == [f"{chat} #{n}" for n in range(15)]
            (leader_running,) = [
                t for w, t in ((one, one_running), (two, two_running)) if w.leading()
            ]
            leader_running.cancel()  # the leader's process dies
            crashed = asyncio.get_running_loop().time()
            await queue(store, SITI, "sesudah crash")
            await settled(store)
    assert shown(emu, SITI)[-1] == "sesudah crash" and len(shown(emu, SITI)) == 16
    assert emu.sends(SITI)[-1].at - crashed < 1.5 + 1.2  # the lease ran out; taken over


async def test_a_stopping_worker_hands_the_lease_over_at_once(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    async with two_workers(store, api, db_path, timedelta(minutes=5)) as (one, two):
        async with sending(one):
            await queue(store, SITI, "dari worker 1")
            await settled(store)
            assert one.leading()  # for the next five minutes, unless it hands over
        assert not one.leading()
        async with sending(two):
            await queue(store, SITI, "dari worker 2")
            await settled(store, timeout=2.5)  # not five minutes
    assert shown(emu, SITI) == ["dari worker 1", "dari worker 2"]


async def test_a_new_lease_holder_counts_the_groups_minute_the_old_one_sent(
    emu: BotApiEmulator, api: Bot, store: Store, db_path: Path
) -> None:
    # A group's 20 a minute, scaled to 4 in any 3 s; worker 1 fills the window, stops.
    limits = replace(FAST, group_per_minute=4, group_window=3.0)
    emu.faults.limit(FloodLimits(200, 10, 50.0, 4, 3.0, slack=0.03))
    lease = timedelta(minutes=5)
    async with two_workers(store, api, db_path, lease, limits) as (one, two):
        await queue(store, ADMIN_CHAT, *[f"kartu {n}" for n in range(4)])
        async with sending(one):
            await settled(store)
        await queue(store, ADMIN_CHAT, *[f"kartu {n}" for n in range(4, 8)])
        async with sending(two):  # takes the lease over at once
            await settled(store)
    group = [r.at for r in emu.sends(ADMIN_CHAT)]
    assert shown(emu, ADMIN_CHAT) == [f"kartu {n}" for n in range(8)]
    assert emu.faults.injected["flood"] == 0  # no 429: worker 2 waited out worker 1's window
    assert group[4] - group[0] >= 2.97


async def test_per_chat_limiters_stay_bounded(api: Bot, store: Store) -> None:
    instant = SendLimits(messages_per_second=1e6, private_chat_per_second=1e6, private_chat_burst=1)
    sender = sender_for(store, api, instant)
    for chat in range(1, 12_001):  # a limiter left idle is forgotten
        await sender.pacer.turn(chat)
    assert sender.pacer.known_chats() <= 5000


async def test_a_send_recorded_while_the_database_is_locked_is_not_sent_again(
    emu: BotApiEmulator, api: Bot, db_path: Path
) -> None:
    store = await open_store(db_path, busy_timeout=0.05)
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    locked: list[asyncio.Task[object]] = []

    def lock_on_send(method: str, params: object) -> None:
        """Another process takes the write lock while Telegram handles the send (the
        emulator answers 0.5 s later), so the sender's bookkeeping meets the lock."""
        if method == "sendMessage" and not locked:
            locked.append(asyncio.create_task(asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")))

    try:
        (message,) = await queue(store, SITI, "sekali saja")
        emu.on_call = lock_on_send
        emu.set_delay(0.5, ["sendMessage"])
        async with sending(sender_for(store, api)):
            await emu.wait_until(lambda: shown(emu, SITI) == ["sekali saja"])
            await locked[0]
            await asyncio.sleep(1.0)  # many busy timeouts of the sender's bookkeeping
            holder.execute("ROLLBACK")
            await settled(store)
        assert len(emu.sends(SITI)) == 1
        assert rows(db_path)[message][0] == "sent"
    finally:
        holder.close()
        await store.close()
