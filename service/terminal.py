"""The same conversation in a terminal: for trying Suara Warga without a Telegram token.

Lines become the same flow events a Telegram update would, and the engine, the officers'
desk, housekeeping, storage and outbox are the real ones; only the last step, sending,
prints to the terminal instead. Numbers press buttons; a few `:` commands stand in for
attachments. With `:petugas` the same terminal plays the central officer: numbers press
the newest card's buttons, a plain line replies to the newest message in the officers'
chat (a card, or a question of the desk), `/antrian`, `/cari`, ... are officer commands.
`:maju N` moves the clock N days on and runs housekeeping (reminders, follow-ups), so a
report's whole life, from filing to the reporter's confirmation, can be walked here.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import math
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from flows import terminal_texts as texts
from flows.effects import Keyboard
from flows.events import Command, Contact, Event, Location, Photo, Press, Text, Unsupported
from flows.keyboard_texts import (
    PICK_PLACE_LABEL,
    SHARE_CONTACT_LABEL,
    SHARE_LOCATION_LABEL,
    SKIP_LABEL,
)
from service.clock import utc_now
from service.desk import Desk
from service.engine import Engine
from service.housekeeping import Housekeeping
from service.outgoing import Outgoing
from service.reporter import Sender
from storage.base import OutboxMessage, Store, Transaction

TERMINAL_USER = Sender(user_id=1, chat_id=1, name=texts.RESIDENT_NAME, username=None)
TERMINAL_OFFICER = 2
"""The user id of the central officer the terminal plays after `:petugas`."""
OFFICER_CHAT = -1
RETENTION = timedelta(days=3650)  # housekeeping here never anonymises what one just filed
_TAGS = re.compile(r"<[^>]+>")

def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAGS.sub("", text))


@dataclass
class TerminalClock:
    """Real time, plus the days skipped with `:maju`."""

    skipped: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return utc_now() + self.skipped


Action = Callable[[], Awaitable[None]]


@dataclass
class TerminalChat:
    """One resident, and the central officer, talking to the bot through stdin/stdout."""

    engine: Engine
    store: Store
    out: TextIO
    _: KW_ONLY
    desk: Desk | None = None
    housekeeping: Housekeeping | None = None
    clock: TerminalClock | None = None
    choices: list[Callable[[], Event]] = field(default_factory=list, init=False)
    officer_choices: list[Action] = field(default_factory=list, init=False)
    officer_reply_to: int | None = field(default=None, init=False)
    """The newest message in the officers' chat."""
    as_officer: bool = field(default=False, init=False)
    photos: int = field(default=0, init=False)
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), init=False)

    async def run(self, read_line: Callable[[], str]) -> None:
        """Read lines until EOF or `:keluar`."""
        self.out.write(texts.HELP + "\n")
        await self.say(Command("start"))
        while True:
            line = await asyncio.to_thread(read_line)
            if not line or line.strip() in (":keluar", ":exit"):
                return
            await self.handle(line.strip(), read_line)

    async def handle(self, line: str, read_line: Callable[[], str]) -> None:
        """One typed line, as the resident or as the officer."""
        word, _, rest = line.partition(" ")
        if word in (":petugas", ":warga"):
            self.switch(as_officer=word == ":petugas")
        elif word == ":maju":
            await self.skip_days(rest)
        elif self.as_officer:
            await self.act(line)
        else:
            event = self.event_for(line, read_line)
            if event is not None:
                await self.say(event)

    def switch(self, *, as_officer: bool) -> None:
        """Play the officer (`:petugas`) or the resident (`:warga`)."""
        if as_officer and self.desk is None:
            self.out.write(f"  {texts.NO_OFFICER_MODE}\n")
            return
        self.as_officer = as_officer
        self.out.write(f"  {texts.now_playing(as_officer)}\n")

    async def skip_days(self, days: str) -> None:
        """`:maju N`: N days pass; housekeeping sends what fell due meanwhile."""
        if self.clock is None or self.housekeeping is None:
            self.out.write(f"  {texts.CLOCK_FIXED}\n")
            return
        try:
            count = float(days or "1")
        except ValueError:
            count = -1
        if not 0 < count <= 365:
            self.out.write(f"  {texts.SKIP_DAYS_USAGE}\n")
            return
        self.clock.skipped += timedelta(days=count)
        self.out.write(f"  {texts.days_passed(count)}\n")
        await self.housekeeping.run(RETENTION)
        await self.print_outbox()

    async def say(self, event: Event) -> None:
        """Process one resident event and print what the bot answers."""
        notices = await self.engine.handle(TERMINAL_USER, event)
        for notice in notices:
            self.out.write(f"  ⓘ {notice.text}\n")
        await self.print_outbox()

    async def act(self, line: str) -> None:
        """One line of the officer: a button number, a command, or a reply."""
        assert self.desk is not None
        if line.isdigit() and 1 <= int(line) <= len(self.officer_choices):
            await self.officer_choices[int(line) - 1]()
        elif line.startswith("/"):
            name, _, arg = line[1:].partition(" ")
            await self.desk.command(OFFICER_CHAT, TERMINAL_OFFICER, name.lower(), arg.strip(), None)
        elif self.officer_reply_to is None:
            self.out.write(f"  {texts.NOTHING_TO_REPLY}\n")
            return
        else:
            reply_to = self.officer_reply_to
            await self.desk.message(
                OFFICER_CHAT, TERMINAL_OFFICER, texts.OFFICER_NAME, reply_to, line, None, None
            )
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
                self.out.write(f"  {texts.LOCATION_USAGE}\n")
                return None
            return Location(lat, lon)
        if word == ":kontak":
            return Contact(rest.strip(), is_own=True)
        if word in (":stiker", ":suara"):
            return Unsupported("sticker" if word == ":stiker" else "voice")
        return Text(line)

    async def print_outbox(self) -> None:
        """Print every due message (resident's and officers') and mark it sent, under a
        message id of its own, so presses and replies find their report as on Telegram."""
        while True:
            now = self.engine.clock()
            async with self.store.transaction() as tx:
                due = await tx.due_messages(now)
                for message in due:
                    message_id = await self.show_one(tx, message)
                    await tx.mark_sent(message.id, telegram_message_id=message_id, now=now)
            if not due:
                return

    async def show_one(self, tx: Transaction, message: OutboxMessage) -> int | None:
        """Print one outbox message; its message id (None for an edit)."""
        out = Outgoing.from_json(message.payload)
        if message.chat_id != OFFICER_CHAT:
            self.show(message.chat_id, out)
            return None if out.edit else next(self._message_ids)
        if out.edit is not None:  # the card shown again, under the id it was sent with
            sent = [m for c, m in await tx.messages_for_report(*out.edit) if c == OFFICER_CHAT]
            if sent:
                self.show_officer_message(out, sent[-1], texts.CARD_UPDATED)
            return None
        message_id = next(self._message_ids)
        self.show_officer_message(out, message_id, texts.OFFICER_MESSAGE)
        return message_id

    def show_officer_message(self, out: Outgoing, message_id: int, title: str) -> None:
        """Print a message of the officers' chat in a box; its buttons become the officer's
        numbered choices, and it becomes what a plain officer line replies to."""
        body = plain(out.text or f"[{texts.PHOTO}]").replace("\n", "\n  │ ")
        self.out.write(f"\n  ┌─ {title} ─\n  │ {body}\n")
        self.officer_reply_to = message_id
        labels = [(label, data) for row in out.buttons for label, data in row]
        if labels:
            self.officer_choices = [self._officer_press(message_id, data) for _, data in labels]
            numbered = "  ".join(f"[{i}] {label}" for i, (label, _) in enumerate(labels, 1))
            self.out.write(f"  │ {numbered}\n")
        self.out.write("  └─\n")

    def _officer_press(self, message_id: int, data: str) -> Action:
        async def press() -> None:
            assert self.desk is not None
            toast = await self.desk.press(
                OFFICER_CHAT, TERMINAL_OFFICER, message_id, data, None
            )
            if toast:
                self.out.write(f"  ⓘ {toast}\n")

        return press

    def show(self, chat_id: int, out: Outgoing) -> None:
        """Print one message to the resident; remember its buttons for the next number."""
        if out.photo:
            self.out.write(f"\n[{texts.PHOTO}] {plain(out.text)}\n")
            return
        self.out.write("\n" + plain(out.text) + "\n")
        choices: list[tuple[str, Callable[[], Event]]] = [
            (label, _press(data)) for row in out.buttons for label, data in row
        ]
        if out.keyboard is Keyboard.CONTACT:
            choices = [
                (SHARE_CONTACT_LABEL, self._ask_phone),
                (SKIP_LABEL, lambda: Text(SKIP_LABEL)),
            ]
        if out.keyboard is Keyboard.LOCATION:
            choices = [
                (SHARE_LOCATION_LABEL, self._ask_location),
                (PICK_PLACE_LABEL, lambda: Text(PICK_PLACE_LABEL)),
            ]
        if choices:
            self.choices = [make for _, make in choices]
            self.out.write("  ".join(f"[{i}] {label}" for i, (label, _) in enumerate(choices, 1)))
            self.out.write("\n")

    def _ask_location(self) -> Event:
        """A pin, typed as "latitude, longitude" (unreadable: an impossible pin, refused)."""
        self.out.write(texts.LOCATION_PROMPT)
        self.out.flush()
        return location_typed(input())

    def _ask_phone(self) -> Event:
        self.out.write(texts.PHONE_PROMPT)
        self.out.flush()
        return Contact(input().strip(), is_own=True)


def location_typed(line: str) -> Location:
    """ "-6.01, 106.05" as a pin; anything else as an impossible one (NaN)."""
    try:
        latitude, longitude = (float(part) for part in line.replace(",", " ").split())
    except ValueError:
        return Location(math.nan, math.nan)
    return Location(latitude, longitude)


def _press(data: str) -> Callable[[], Event]:
    """A deferred press of the button with this callback data."""
    return lambda: Press(data)
