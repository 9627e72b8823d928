"""End to end: an officer corrects a report's kind of problem from its card.

Every copy of the card shows the new kind, the history records it, `/laporan` and its
exports count the corrected kind, forged and repeated presses change nothing, and the
next similar report is given the corrected kind by the classifier.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from emulator.world import JSON, User
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot
from tests.bot.test_officers_e2e import (
    CENTRAL_OFFICER,
    DLH_CHAT,
    DLH_OFFICER,
    OFFICERS,
    about_dlh,
    card_in,
    press,
)
from tests.bot.walker import file_report, filing_steps, walk

STORY = "Sampah numpuk di TPS dekat pasar sudah seminggu, bau"
LIKE_IT = "Sampah numpuk di TPS dekat pasar sudah seminggu, bau sekali"
DELAY, DELAY_LABEL = "penundaan_berlarut", "Penundaan berlarut"


@pytest.fixture
async def office_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    async with running_bot(emu, config_for(emu, db_path, officers=OFFICERS)) as running:
        yield running


async def toast_after(emu: BotApiEmulator, officer: User, card: JSON, data: str) -> str:
    """Press `data` on `card` and return the toast the officer is shown."""
    before = len(emu.callback_answers)
    emu.press(officer, card, data, strict=False)
    await emu.wait_until(lambda: len(emu.callback_answers) > before)
    return str(emu.callback_answers[-1].get("text") or "")


def kind_in_summary(emu: BotApiEmulator, person: Person) -> str:
    """The kind the bot showed in the person's last summary."""
    shown = [m["text"] for m in emu.sent(person.user) if "Jenis masalah:" in (m.get("text") or "")]
    assert shown, emu.dump(person.user)
    return str(shown[-1]).split("Jenis masalah:", 1)[1].splitlines()[0].strip()


async def test_an_officer_corrects_the_kind_everywhere(
    emu: BotApiEmulator, office_bot: RunningBot, db_path: Path
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    andi = emu.user(DLH_OFFICER, "Andi")
    dewi = emu.user(CENTRAL_OFFICER, "Dewi")
    code = await file_report(siti, about_dlh(STORY))
    assert kind_in_summary(emu, siti) != DELAY_LABEL  # the classifier's kind, corrected below
    await emu.wait_for(DLH_CHAT, code)
    emu.send_text(dewi, f"/cari {code}", chat=ADMIN_CHAT)  # a second copy of the card
    await emu.wait_for(ADMIN_CHAT, f"Laporan {code}")

    await press(emu, andi, DLH_CHAT, code, "Ubah jenis")
    await emu.wait_until(
        lambda: (DELAY_LABEL, f"o:jn:{DELAY}") in emu.buttons(card_in(emu, DLH_CHAT, code))
    )
    old_keyboard = card_in(emu, DLH_CHAT, code)
    told = len(emu.sent(siti.user))
    await press(emu, andi, DLH_CHAT, code, DELAY_LABEL)
    await emu.wait_until(
        lambda: all(
            f"Jenis: {DELAY_LABEL}" in card_in(emu, chat, code)["text"]
            for chat in (DLH_CHAT, ADMIN_CHAT)
        )
    )
    assert ("✅ Verifikasi", "o:ver") in emu.buttons(card_in(emu, DLH_CHAT, code))

    # A second tap on the old list, and a forged kind, change nothing.
    assert DELAY_LABEL in await toast_after(emu, andi, old_keyboard, f"o:jn:{DELAY}")
    forged = await toast_after(emu, andi, card_in(emu, DLH_CHAT, code), "o:jn:korupsi_besar")
    assert "tidak dikenal" in forged
    await emu.wait_until(lambda: emu.pending_updates() == 0)
    assert len(emu.sent(siti.user)) == told  # the reporter is not told of a kind correction

    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            report = await tx.get_report(code)
            history = await tx.history(report.id)
    finally:
        await store.close()
    assert report.kind == DELAY
    corrections = [h for h in history if h.kind == "kind"]
    assert [(h.actor, h.public) for h in corrections] == [(f"petugas:{DLH_OFFICER}", False)]
    assert corrections[0].note is not None and DELAY_LABEL in corrections[0].note

    # The monthly figures and their export count the corrected kind.
    emu.send_text(dewi, "/laporan", chat=ADMIN_CHAT)
    summary = await emu.wait_for(ADMIN_CHAT, "Ringkasan laporan")
    assert f"{DELAY_LABEL}: 1" in summary["text"] and "Lainnya" not in summary["text"]
    csv_message = await emu.wait_for(ADMIN_CHAT, lambda m: "document" in m)
    content = emu.files[csv_message["document"]["file_id"]].content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["jenis"] for row in rows if row["kode"] == code] == [DELAY]

    # The classifier learned it: the next similar report gets the corrected kind.
    rudi = Person(emu, emu.user(1002, "Rudi"))
    await walk(rudi, filing_steps(about_dlh(LIKE_IT))[:-1])  # up to the summary
    assert kind_in_summary(emu, rudi) == DELAY_LABEL
