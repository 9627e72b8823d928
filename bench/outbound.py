"""Figure 2, outbound at Telegram's limit: a burst of notifications drained by the real
`bot.sender.OutboxSender` against the emulator enforcing Telegram-like flood limits
(429 beyond 30/s overall, 1/s per private chat after a burst of 3, 20/min per group).

The notifications are put in the outbox through the storage API (each chat's in
order), then the sender runs in this process with the given `SendLimits` until the
outbox is empty. The emulator's log of send calls gives the rate, the 429s, and what
each chat received, in which order.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from bench.procs import Child, Control
from bench.report import Row
from bench.stores import remove_database
from bot.app import build_application
from bot.sender import OutboxSender, SendLimits
from service.engine import utc_now
from service.outgoing import Outgoing
from storage import open_store

FIRST_CHAT = 5_000_001
ALLOWED = 30.0
RATE_TARGET = 0.95


@dataclass(frozen=True)
class Drained:
    """What the emulator saw of one drain."""

    rate: float
    seconds: float
    ok: int
    too_many: int
    lost: int
    duplicated: int
    out_of_order: int


def text_for(chat: int, number: int, per_chat: int) -> str:
    return f"Pemberitahuan {number}/{per_chat} untuk warga {chat}: jadwal pemadaman air besok."


async def drain(
    control: Control, info: dict[str, str], db: Path, ids: range, per_chat: int, limits: SendLimits
) -> Drained:
    """Enqueue `per_chat` notifications to each chat of `ids`, drain them, check what
    arrived."""
    remove_database(db)
    store = await open_store(db)
    try:
        now = utc_now()
        async with store.transaction() as tx:
            for chat in ids:
                for number in range(1, per_chat + 1):
                    out = Outgoing(text=text_for(chat, number, per_chat))
                    await tx.enqueue(chat, out.to_json(), now=now)
        await control.call("reset")
        app = build_application(info["token"], info["base_url"], info["base_file_url"], [])
        async with app:
            sender = OutboxSender(store, app.bot, limits)
            stop = asyncio.Event()
            started = time.perf_counter()
            task = asyncio.create_task(sender.run(stop))
            while True:
                await asyncio.sleep(0.5)
                async with store.transaction() as tx:
                    if (await tx.outbox_stats(utc_now())).pending == 0:
                        break
            stop.set()
            await task
            seconds = time.perf_counter() - started
    finally:
        await store.close()
    sends = (await control.call("sends"))["sends"]
    texts = await control.call("texts", chats=list(ids))
    ok = sorted(at for at, chat, outcome in sends if outcome == "ok" and chat in ids)
    rate = (len(ok) - 1) / (ok[-1] - ok[0]) if len(ok) > 1 else 0.0
    lost = duplicated = out_of_order = 0
    for chat in ids:
        got = texts[str(chat)]
        expected = [text_for(chat, n, per_chat) for n in range(1, per_chat + 1)]
        lost += len(set(expected) - set(got))
        duplicated += len(got) - len(set(got))
        firsts = [t for i, t in enumerate(got) if t not in got[:i]]
        out_of_order += firsts != [t for t in expected if t in firsts]
    too_many = sum(1 for _, _, outcome in sends if outcome == "429")
    return Drained(rate, seconds, len(ok), too_many, lost, duplicated, out_of_order)


async def run_outbound(chats: int, per_chat: int, workdir: Path) -> tuple[list[Row], list[str]]:
    """Figure 2: `per_chat` messages to each of `chats` chats, with the default limits."""
    emulator = await Child.start("bench.emulator", log=workdir / "emulator-outbound.log")
    info = await emulator.ready()
    control = Control(info["control"])
    limits = SendLimits()
    ids = range(FIRST_CHAT, FIRST_CHAT + chats)
    try:
        await control.call("setup", first_user=FIRST_CHAT, users=chats)
        await control.call("flood", on=True)
        got = await drain(control, info, workdir / "outbound.sqlite3", ids, per_chat, limits)
    finally:
        await control.close()
        await emulator.stop()
    share = got.rate / ALLOWED
    passed = share >= RATE_TARGET and got.too_many == 0 and got.lost == 0
    row = Row(
        f"Outbound burst, {chats * per_chat:,} messages to {chats:,} chats, default limits",
        f"{got.rate:.1f}/s = {share:.1%} of 30/s over {got.seconds:.0f} s; "
        f"429s {got.too_many}; lost {got.lost}; duplicated {got.duplicated}; "
        f"chats out of order {got.out_of_order}",
        ">= 95% of 30/s, no 429, none lost, order kept",
        passed and got.out_of_order == 0,
    )
    return [row], [f"Outbound, default limits: {limits}"]
