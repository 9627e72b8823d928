"""Honest backpressure end to end (issue #17, item 3): a resident with a long queue is
told once that the bot is busy; an officers' group with more waiting than its pace
allows gets a digest of the waiting reports instead of their cards, and each report's
card is still posted on demand (`/cari KODE`).

Not timed: the backlogs are queued in the outbox before the residents act, and the
tests read what arrived, in which order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from emulator import BotApiEmulator
from flows.backlog_texts import busy_notice
from service.engine import utc_now
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, config_for, running_bot
from tests.bot.walker import Filing, filing_steps, walk
from tests.helpers import code_in
from tests.storage.helpers import query

BUSY = busy_notice()[:40]
OFFICER = 9101
SENDER: dict[str, Any] = {
    "private_chat_per_second": 5,  # a queue of 30 takes about 6 s to one chat
    "busy_notice_after_seconds": 2,
    "group_per_minute": 60,
    "digest_after_minutes": 0.1,  # a group with more than 6 waiting gets a digest
}
STORIES = (
    "Sampah menumpuk di TPS dekat pasar sudah seminggu tidak diangkut",
    "Lampu PJU di jalan utama mati sudah dua minggu, gelap gulita",
    "Air PDAM mati tiga hari di rumah kami",
    "Jalan rusak parah berlubang seperti kubangan di depan sekolah",
)


async def queue_backlog(db: Path, chat: int, count: int, purpose: str) -> None:
    """`count` messages to `chat`, queued as if by earlier work."""
    store = await open_store(db)
    try:
        async with store.transaction() as tx:
            for number in range(count):
                out = Outgoing(text=f"antrean {number}")
                await enqueue(tx, chat, out, now=utc_now(), purpose=purpose)
    finally:
        await store.close()


def texts_to(emu: BotApiEmulator, chat: Any) -> list[str]:
    return [str(m.get("text") or m.get("caption") or "") for m in emu.sent(chat)]


async def test_a_resident_with_a_long_queue_is_told_once_that_the_bot_is_busy(
    emu: BotApiEmulator, db_path: Path
) -> None:
    siti = Person(emu, emu.user(5101, "Siti"))
    await queue_backlog(db_path, siti.user.id, 30, "status")
    async with running_bot(emu, config_for(emu, db_path, sender=SENDER)):
        for text in ("/start", "halo", "/bantuan"):  # three updates while the queue is long
            emu.send_text(siti.user, text)
        await siti.expect("selamat datang", timeout=30)
        await emu.wait_until(
            lambda: query(db_path, "SELECT count(*) FROM outbox WHERE state = 'pending'")
            == [(0,)],
            timeout=30,
            message="the queue did not drain",
        )
        got = texts_to(emu, siti.user)
        assert sum(BUSY in text for text in got) == 1, got
        told = next(i for i, text in enumerate(got) if BUSY in text)
        assert got[:30] == [f"antrean {n}" for n in range(30)]  # her own order holds
        assert told == 30 and "selamat datang" in got[told + 1]  # before the answers
        # Her queue drained: the next short wait brings no notice; a new backlog does.
        await walk(siti, filing_steps(Filing(STORIES[0], kelurahan="Bagendung")))
        assert sum(BUSY in text for text in texts_to(emu, siti.user)) == 1
        await queue_backlog(db_path, siti.user.id, 30, "status")
        emu.send_text(siti.user, "/bantuan")
        await siti.expect(BUSY, timeout=30)


async def test_a_busy_group_gets_a_digest_and_every_report_stays_reachable(
    emu: BotApiEmulator, db_path: Path
) -> None:
    officers = {"central": [OFFICER]}
    config = config_for(emu, db_path, sender=SENDER, officers=officers)
    residents = [Person(emu, emu.user(5201 + n, f"Warga {n}")) for n in range(len(STORIES))]
    filings = [Filing(story, kelurahan="Bagendung") for story in STORIES]
    filings[1] = Filing(STORIES[1], kelurahan="Bagendung", privacy="Anonim + Rahasia")
    async with running_bot(emu, config):
        walks = list(zip(residents, [filing_steps(f) for f in filings], strict=True))
        await asyncio.gather(*(walk(resident, steps[:-1]) for resident, steps in walks))
        await queue_backlog(db_path, ADMIN_CHAT, 30, "reminder")  # the group is behind
        filed = await asyncio.gather(*(walk(resident, steps[-1:]) for resident, steps in walks))
        codes = [code_in(message) for message in filed]
        await emu.wait_until(
            lambda: all(any(code in t for t in texts_to(emu, ADMIN_CHAT)) for code in codes),
            timeout=30,
            message="not every report reached the group",
        )
        shown = texts_to(emu, ADMIN_CHAT)
        digests = [t for t in shown if "Ringkasan" in t and "/cari KODE" in t]
        assert digests, shown
        listed = [code for code in codes if any(code in d for d in digests)]
        assert listed  # replaced: these cards never came one by one
        for code in listed:
            assert not any(f"Laporan {code}" in t for t in shown), code
        digest_text = "\n".join(digests)
        assert "Warga 1" not in digest_text and STORIES[1][:20] not in digest_text
        assert not any(r.user.first_name in digest_text for r in residents)
        officer = emu.user(OFFICER, "Dewi")
        for code in listed:  # each card still comes on demand
            emu.send_text(officer, f"/cari {code}", chat=ADMIN_CHAT)
            await emu.wait_for(ADMIN_CHAT, f"Laporan {code}", timeout=30)
    reports = query(db_path, "SELECT count(*) FROM reports")
    assert reports == [(len(STORIES),)]
