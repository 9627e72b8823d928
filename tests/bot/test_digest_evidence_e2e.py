"""A digested card's evidence, end to end: when a busy group gets a digest instead of
some cards, the voice notes of those reports do not follow on their own (they would
answer nothing); `/cari KODE` later brings the card and, under it, its voice note. No
outbox row is lost on the way and the group's messages keep their order.

Not timed: the group's backlog is queued before the reports are sent, and the test
reads what arrived, in which order, and how each outbox row ended.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from emulator import JSON, BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, Person, config_for, running_bot
from tests.bot.test_backpressure_e2e import SENDER, STORIES, queue_backlog, texts_to
from tests.bot.walker import Filing, filing_steps, walk
from tests.helpers import code_in
from tests.storage.helpers import query

OFFICER = 9102


async def report_with_voice(resident: Person, story: str) -> None:
    """Tell the story, speak a voice note, and stop before "Kirim laporan"."""
    steps = filing_steps(Filing(story, kelurahan="Bagendung"))
    await walk(resident, steps[:2])
    resident.emu.send_voice(resident.user, b"OggS-" + story[:8].encode(), duration=21)
    await resident.expect("sudah saya simpan sebagai bukti")
    await walk(resident, steps[2:-1])


def voice_copies(emu: BotApiEmulator, code: str) -> list[JSON]:
    """The voice notes of report `code` copied to the officers' chat."""
    return [
        m
        for m in emu.sent(ADMIN_CHAT)
        if "voice" in m and f"laporan {code}" in m.get("caption", "")
    ]


def drained(db: Path) -> bool:
    return query(db, "SELECT count(*) FROM outbox WHERE state = 'pending'") == [(0,)]


async def test_a_digested_cards_evidence_waits_and_comes_with_the_card_on_demand(
    emu: BotApiEmulator, db_path: Path
) -> None:
    config = config_for(emu, db_path, sender=SENDER, officers={"central": [OFFICER]})
    residents = [Person(emu, emu.user(5301 + n, f"Warga {n}")) for n in range(len(STORIES))]
    async with running_bot(emu, config):
        stories = zip(residents, STORIES, strict=True)
        await asyncio.gather(*(report_with_voice(r, s) for r, s in stories))
        await queue_backlog(db_path, ADMIN_CHAT, 30, "reminder")  # the group is behind
        sent = filing_steps(Filing(STORIES[0]))[-1:]
        codes = [code_in(m) for m in await asyncio.gather(*(walk(r, sent) for r in residents))]
        await emu.wait_until(lambda: drained(db_path), timeout=60, message="queue not drained")
        shown = texts_to(emu, ADMIN_CHAT)
        digest = "\n".join(t for t in shown if "Ringkasan" in t and "/cari KODE" in t)
        listed = [code for code in codes if code in digest]
        carded = [code for code in codes if code not in listed]
        assert listed, shown
        for code in listed:  # neither the card nor its voice note came
            assert not any(f"Laporan {code}" in t for t in shown), code
            assert voice_copies(emu, code) == [], code
        for code in carded:  # a card that came brought its voice note, answering it
            card = next(m for m in emu.sent(ADMIN_CHAT) if f"Laporan {code}" in m["text"])
            [copy] = voice_copies(emu, code)
            assert copy["reply_to_message"]["message_id"] == card["message_id"]

        officer = emu.user(OFFICER, "Dewi")
        for code in listed:
            emu.send_text(officer, f"/cari {code}", chat=ADMIN_CHAT)
            card = await emu.wait_for(ADMIN_CHAT, f"Laporan {code}", timeout=30)
            copy = await emu.wait_for(ADMIN_CHAT, f"laporan {code}", timeout=30)
            assert "voice" in copy and copy["reply_to_message"]["message_id"] == card["message_id"]
        # Asked again, the card comes alone: its evidence is already there.
        again = listed[0]
        emu.send_text(officer, f"/cari {again}", chat=ADMIN_CHAT)
        await emu.wait_for(ADMIN_CHAT, f"Laporan {again}", timeout=30)
        await emu.wait_until(lambda: drained(db_path), timeout=30, message="queue not drained")
        assert len(voice_copies(emu, again)) == 1

    # Nothing lost: every evidence row was sent, or kept as replaced by the digest, and
    # each report's evidence reached the group exactly once.
    rows = query(
        db_path,
        "SELECT state, last_error, count(*) FROM outbox WHERE purpose = 'card_evidence' "
        "GROUP BY state, last_error ORDER BY state",
    )
    assert rows == [("failed", "digested", len(listed)), ("sent", None, len(codes))]
    assert all(len(voice_copies(emu, code)) == 1 for code in codes)
