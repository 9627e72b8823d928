"""The same conversation in a terminal: for trying Suara Warga without a Telegram token.

Lines become the same flow events a Telegram update would, and the engine, storage and
outbox are the real ones; only the last step, sending, prints to the terminal instead.
Numbers press buttons; a few `:` commands stand in for attachments.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from typing import TextIO

from bot.engine import Engine, Sender
from bot.outgoing import Outgoing
from flows.effects import Keyboard
from flows.events import Command, Contact, Event, Location, Photo, Press, Text, Unsupported
from storage.base import Store

TERMINAL_USER = Sender(user_id=1, chat_id=1, name="Warga Terminal", username=None)
OFFICER_CHAT = -1
_TAGS = re.compile(r"<[^>]+>")

HELP = """\
Ketik seperti di Telegram. Angka [1], [2], ... menekan tombol.
Pengganti lampiran:  :foto [keterangan]   :lokasi -6.0 106.05   :kontak 081234567890
                     :stiker   :suara   :keluar
"""


def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAGS.sub("", text))


class TerminalChat:
    """One resident talking to the engine through stdin/stdout."""

    def __init__(self, engine: Engine, store: Store, out: TextIO) -> None:
        self.engine = engine
        self.store = store
        self.out = out
        self.choices: list[Callable[[], Event]] = []
        self.photos = 0

    async def run(self, read_line: Callable[[], str]) -> None:
        """Read lines until EOF or `:keluar`."""
        self.out.write(HELP + "\n")
        await self.say(Command("start"))
        while True:
            line = await asyncio.to_thread(read_line)
            if not line or line.strip() in (":keluar", ":exit"):
                return
            event = self.event_for(line.strip(), read_line)
            if event is not None:
                await self.say(event)

    async def say(self, event: Event) -> None:
        """Process one event and print what the bot answers."""
        notices = await self.engine.handle(TERMINAL_USER, event)
        for notice in notices:
            self.out.write(f"  ⓘ {notice.text}\n")
        await self.print_outbox()

    def event_for(self, line: str, read_line: Callable[[], str]) -> Event | None:
        """The flow event a typed line stands for."""
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            return self.choices[int(line) - 1]()
        if line.startswith("/"):
            name, _, arg = line[1:].partition(" ")
            return Command(name.lower(), arg.strip())
        word, _, rest = line.partition(" ")
        if word == ":foto":
            self.photos += 1
            return Photo(f"terminal-foto-{self.photos}", rest)
        if word == ":lokasi":
            try:
                lat, lon = (float(part) for part in rest.replace(",", " ").split())
            except ValueError:
                self.out.write("  Contoh: :lokasi -6.0 106.05\n")
                return None
            return Location(lat, lon)
        if word == ":kontak":
            return Contact(rest.strip(), is_own=True)
        if word in (":stiker", ":suara"):
            return Unsupported("sticker" if word == ":stiker" else "voice")
        return Text(line)

    async def print_outbox(self) -> None:
        """Print every due message (resident's and officers') and mark it sent."""
        while True:
            async with self.store.transaction() as tx:
                due = await tx.due_messages(self.engine.clock())
                for message in due:
                    self.show(message.chat_id, Outgoing.from_json(message.payload))
                    await tx.mark_sent(
                        message.id, telegram_message_id=None, now=self.engine.clock()
                    )
            if not due:
                return

    def show(self, chat_id: int, out: Outgoing) -> None:
        """Print one message; remember its buttons for the next numbered answer."""
        if chat_id == OFFICER_CHAT:
            body = plain(out.text).replace("\n", "\n  │ ")
            self.out.write(f"\n  ┌─ pesan di chat petugas ─\n  │ {body}\n  └─\n")
            return
        if out.photo:
            self.out.write(f"\n[foto] {plain(out.text)}\n")
            return
        self.out.write("\n" + plain(out.text) + "\n")
        choices: list[tuple[str, Callable[[], Event]]] = [
            (label, _press(data)) for row in out.buttons for label, data in row
        ]
        if out.keyboard == Keyboard.CONTACT:
            choices = [
                ("📱 Bagikan nomor saya", self._ask_phone),
                ("Lewati", lambda: Text("Lewati")),
            ]
        if choices:
            self.choices = [make for _, make in choices]
            self.out.write("  ".join(f"[{i}] {label}" for i, (label, _) in enumerate(choices, 1)))
            self.out.write("\n")

    def _ask_phone(self) -> Event:
        self.out.write("Nomor HP Anda: ")
        self.out.flush()
        return Contact(input().strip(), is_own=True)


def _press(data: str) -> Callable[[], Event]:
    """A deferred press of the button with this callback data."""
    return lambda: Press(data)
