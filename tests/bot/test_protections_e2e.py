"""Biasa, anonim, rahasia, both: end to end through the emulator, for each choice.

Siti reports rubbish at the TPS, naming herself and her house in the story; the DLH
officers (the handling officers' chat) edit the public text and verify; Budi, about to
report the same problem, is shown the similar open reports; officers pull the monthly
exports and chart in the DLH chat and the central chat. Then, over every request the
bot made and every log line it wrote:

* no chat but the handling officers' (and Siti's own) receives a word of a rahasia
  story, nor any word the officers took out of the public text;
* no officers' chat, export, chart or log line carries an anonim reporter's name,
  username, Telegram id or phone; only the handling officers' chat may name a biasa or
  rahasia reporter, and no export, chart or log line does;
* no resident's chat carries another reporter's identity.
"""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from emulator import BotApiEmulator
from suara_warga.logs import FORMAT, QUIETED, Redactor, quiet_libraries
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot
from tests.bot.walker import Filing, filing_steps, walk
from tests.helpers import CODE

DLH_CHAT = -100888
CENTRAL_OFFICER = 9001
DLH_OFFICER = 9002
SITI_ID = 5512345678
BUDI_ID = 6623456789
STORY = (
    "Sampah numpuk di TPS dekat pasar Melatiwangi sudah seminggu, bau. Saya Siti istri "
    "pak RT, rumah Jl Jalakembang no 5"
)
PRIVATE_WORDS = ("Melatiwangi", "Jalakembang", "istri")
"""Words of Siti's story that no one but the handling officers may read when it is
rahasia (and that the officers take out of the public text otherwise)."""
PUBLIC_TEXT = "Sampah numpuk di TPS dekat pasar sudah seminggu dan berbau."
SITI_IDENTITY = ("Siti", "Rahayu", "siti_a", str(SITI_ID), "81377778888")
BUDI_IDENTITY = ("Budi", "Santoso", "budi_s", str(BUDI_ID), "85711112222")
CHOICES = {  # button: (anonim, rahasia)
    "Biasa": (False, False),
    "Anonim": (True, False),
    "Rahasia": (False, True),
    "Anonim + Rahasia": (True, True),
}


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every log line the bot writes with ``--verbose`` (DEBUG), as `setup_logging` has it."""
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(Redactor(FORMAT))
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", *QUIETED)}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet_libraries()
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
async def office_bot(
    emu: BotApiEmulator, db_path: Path, log_lines: io.StringIO
) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    officers: dict[str, Any] = {
        "central": [CENTRAL_OFFICER],
        "opd": {"dlh": {"chat_id": DLH_CHAT, "officers": [DLH_OFFICER]}},
    }
    async with running_bot(emu, config_for(emu, db_path, officers=officers)) as running:
        yield running


async def start_report(person: Person, story: str, privacy: str, phone: str) -> None:
    """A resident's report up to sending it (DLH, Kel. Bagendung)."""
    steps = filing_steps(Filing(story, kelurahan="Bagendung", privacy=privacy, phone=phone))
    await walk(person, [*steps[:-1], ("tap", "Kirim laporan", "")])


def card_of(emu: BotApiEmulator, code: str) -> Any:
    return next(m for m in emu.sent(DLH_CHAT) if f"Laporan {code}" in (m.get("text") or ""))


async def press(emu: BotApiEmulator, code: str, label: str) -> None:
    card = card_of(emu, code)
    before = len(emu.callback_answers)
    emu.press(emu.user(DLH_OFFICER, "Andi"), card, emu.button_data(card, label))
    await emu.wait_until(lambda: len(emu.callback_answers) > before)


def received(emu: BotApiEmulator, chat: int) -> str:
    """Everything the bot ever asked Telegram to show in `chat` (every version of every
    message, buttons included), and the contents of the files it sent there."""
    parts = [repr(params) for _, params in emu.calls if str(params.get("chat_id")) == str(chat)]
    for message in emu.sent(chat):
        document = message.get("document")
        if document is not None:
            parts.append(file_text(emu.files[document["file_id"]].content))
        for size in message.get("photo", [])[-1:]:
            parts.append(emu.files[size["file_id"]].content.decode("latin-1"))
    return "\n".join(parts)


def file_text(content: bytes) -> str:
    if content.startswith(b"PK"):  # XLSX
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return content.decode("utf-8-sig", errors="replace")


def exports(emu: BotApiEmulator, chat: int) -> str:
    parts = []
    for message in emu.sent(chat):
        if "document" in message:
            parts.append(file_text(emu.files[message["document"]["file_id"]].content))
        for size in message.get("photo", [])[-1:]:
            parts.append(emu.files[size["file_id"]].content.decode("latin-1"))
    assert len(parts) == 3, "chart, CSV and XLSX"
    return "\n".join(parts)


def found(secrets: tuple[str, ...], text: str) -> list[str]:
    return [secret for secret in secrets if secret.lower() in text.lower()]


async def monthly_exports(emu: BotApiEmulator, chat: int, officer: int) -> None:
    emu.send_text(emu.user(officer, "Petugas"), "/laporan", chat=chat)
    await emu.wait_until(
        lambda: sum("document" in m for m in emu.sent(chat)) == 2, message="no exports"
    )


@pytest.mark.parametrize("choice", list(CHOICES))
async def test_each_protection_holds_end_to_end(
    choice: str, emu: BotApiEmulator, office_bot: RunningBot, log_lines: io.StringIO
) -> None:
    anonymous, confidential = CHOICES[choice]
    siti = Person(emu, emu.user(SITI_ID, "Siti", username="siti_a", last_name="Rahayu"))
    budi = Person(emu, emu.user(BUDI_ID, "Budi", username="budi_s", last_name="Santoso"))

    await start_report(siti, STORY, choice, "6281377778888")
    code_match = CODE.search((await siti.expect("Kode laporan"))["text"])
    assert code_match
    code = code_match.group()
    card = await emu.wait_for(DLH_CHAT, code)
    assert STORY.split(",")[0] in card["text"]  # the handling officers read the story
    assert ("Siti Rahayu" in card["text"]) is not anonymous

    if not confidential:  # the officers take the private details out, then verify
        assert "Teks publik (usulan, belum tampil)" in card["text"]
        await press(emu, code, "Sunting teks publik")
        prompt = await emu.wait_for(DLH_CHAT, "teks publik baru")
        officer = emu.user(DLH_OFFICER, "Andi")
        emu.send_text(officer, PUBLIC_TEXT, chat=DLH_CHAT, reply_to=prompt)
        await emu.wait_for(DLH_CHAT, "tampil untuk umum setelah laporan diverifikasi")
    else:
        assert "Sunting teks publik" not in str(emu.buttons(card))
    await press(emu, code, "Verifikasi")
    await siti.expect("diverifikasi")
    emu.send_text(
        emu.user(DLH_OFFICER, "Andi"), "Terima kasih, kami cek.", chat=DLH_CHAT, reply_to=card
    )
    await siti.expect("kami cek")

    await start_report(budi, "Sampah numpuk di TPS dekat pasar sudah seminggu, bau sekali",
                       "Biasa", "6285711112222")  # fmt: skip
    if confidential:  # never shown as a similar report: Budi's report is simply filed
        filed = await budi.expect("Kode laporan")
        assert code not in filed["text"]
        await emu.wait_for(DLH_CHAT, lambda m: "Budi" in (m.get("text") or ""))  # his card
    else:
        similar = await budi.expect("laporan serupa")
        assert code in similar["text"] and PUBLIC_TEXT in similar["text"]
        await budi.tap("Dukung", expect="mendukung laporan")
        await press(emu, code, "Selesai")
        done = await emu.wait_for(DLH_CHAT, "akan dinyatakan selesai")
        emu.send_text(emu.user(DLH_OFFICER, "Andi"), "TPS bersih", chat=DLH_CHAT, reply_to=done)
        await budi.expect("dinyatakan")
    await monthly_exports(emu, DLH_CHAT, DLH_OFFICER)
    await monthly_exports(emu, ADMIN_CHAT, CENTRAL_OFFICER)
    await office_bot.shutdown()

    budi_chat, central, handling = (received(emu, c) for c in (BUDI_ID, ADMIN_CHAT, DLH_CHAT))
    # What the public may see holds none of the words taken out (or of a rahasia story).
    assert found(PRIVATE_WORDS, budi_chat) == []
    if confidential:
        assert found(PRIVATE_WORDS, central) == []
        assert found(PRIVATE_WORDS, exports(emu, DLH_CHAT)) == []
    # Identity: never to another resident, an export, a chart or a log line.
    assert found(SITI_IDENTITY, budi_chat) == []
    assert found(BUDI_IDENTITY, received(emu, SITI_ID)) == []
    for chat in (DLH_CHAT, ADMIN_CHAT):
        assert found(SITI_IDENTITY + BUDI_IDENTITY, exports(emu, chat)) == []
    assert found(SITI_IDENTITY, central) == []  # not the chat handling her report
    assert found(SITI_IDENTITY + BUDI_IDENTITY, log_lines.getvalue()) == []
    assert log_lines.getvalue()  # the bot did log
    if anonymous:
        assert found(SITI_IDENTITY, handling) == []
    else:
        assert "Siti Rahayu" in handling  # biasa, rahasia: the handling officers know her


async def test_officers_add_protections_from_the_card(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    """A biasa report made anonim and rahasia by the verifying officers: the card stops
    naming Siti, and Budi is no longer shown the report at all."""
    siti = Person(emu, emu.user(SITI_ID, "Siti", username="siti_a", last_name="Rahayu"))
    budi = Person(emu, emu.user(BUDI_ID, "Budi", username="budi_s", last_name="Santoso"))
    await start_report(siti, STORY, "Biasa", "6281377778888")
    code_match = CODE.search((await siti.expect("Kode laporan"))["text"])
    assert code_match
    code = code_match.group()
    await emu.wait_for(DLH_CHAT, code)
    await press(emu, code, "Privasi & publikasi")
    await emu.wait_until(
        lambda: "Tambah perlindungan anonim" in str(emu.buttons(card_of(emu, code)))
    )
    await press(emu, code, "Tambah perlindungan anonim")
    await emu.wait_until(lambda: "Privasi: Anonim" in card_of(emu, code)["text"])
    await press(emu, code, "Tambah perlindungan rahasia")
    await emu.wait_until(lambda: "Privasi: Anonim + Rahasia" in card_of(emu, code)["text"])
    card = card_of(emu, code)
    assert found(SITI_IDENTITY, card["text"]) == []
    assert [label for label, _ in emu.buttons(card)] == ["« Kembali"]  # nothing left to add
    await press(emu, code, "Kembali")
    await emu.wait_until(lambda: "Verifikasi" in str(emu.buttons(card_of(emu, code))))
    await press(emu, code, "Verifikasi")
    await siti.expect("diverifikasi")

    await start_report(budi, "Sampah numpuk di TPS dekat pasar sudah seminggu, bau sekali",
                       "Biasa", "6285711112222")  # fmt: skip
    filed = await budi.expect("Kode laporan")  # no similar report offered
    assert found(PRIVATE_WORDS, received(emu, BUDI_ID)) == [] and code not in filed["text"]
