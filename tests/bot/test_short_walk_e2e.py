"""The typical report is short (issue #17): counted through the emulator, not timed.

The typical report: the resident tells her story (naming the kelurahan), confirms the
OPD the bot names, confirms the place, chooses her privacy, skips the phone number and
sends. It costs at most 8 new bot messages and 8 actions of hers; the answers to her
presses are shown in the pressed messages (edits) and every press is answered.
"""

from __future__ import annotations

from emulator import BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot
from tests.bot.walker import Filing, filing_steps, walk
from tests.helpers import code_in

SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendVoice"})
TYPICAL = Filing("Jalan rusak parah berlubang di depan SD di Ketileng, sudah 3 bulan")
MOST_MESSAGES = 8
MOST_ACTIONS = 8


async def test_the_typical_report_costs_at_most_eight_messages_and_eight_actions(
    emu: BotApiEmulator, bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    steps = filing_steps(TYPICAL)
    code = code_in(await walk(siti, steps))
    card = await emu.wait_for(ADMIN_CHAT, code)
    assert "Kel. Ketileng, Kec. Cilegon" in card["text"]
    to_siti = [r for r in emu.received if r.chat_id == siti.user.id]
    new = [r.method for r in to_siti if r.method in SENDS]
    edits = [r.method for r in to_siti if r.method.startswith("edit")]
    presses = sum(1 for action, _, _ in steps if action == "tap")
    answered = sum(1 for r in emu.received if r.method == "answerCallbackQuery")
    assert len(steps) <= MOST_ACTIONS, [what for _, what, _ in steps]
    assert len(new) <= MOST_MESSAGES, emu.dump(siti.user)
    assert edits, "no answer was shown in the pressed message"
    assert answered == presses  # every press answered (stops the client's spinner)


async def test_a_walk_with_the_lists_still_files(emu: BotApiEmulator, bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1002, "Siti"))
    filing = Filing("Lampu PJU di gang mati, gelap gulita", kelurahan="Ciwaduk")
    code = code_in(await walk(siti, filing_steps(filing)))
    card = await emu.wait_for(ADMIN_CHAT, code)
    assert "Kel. Ciwaduk, Kec. Cilegon" in card["text"]
