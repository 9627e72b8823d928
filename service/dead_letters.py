"""Updates that keep failing: tried a few times, then answered, recorded and passed.

An update whose handling raised is left unconfirmed (polling) or answered 500 (webhook),
so Telegram delivers it again. Every failed attempt is counted in the database, so the
attempts add up across restarts and webhook workers. At `max_attempts` the update is
given up on in one transaction: its id is claimed (a redelivery changes nothing), the
person is told politely (in a private chat or an officers' chat), the central chat is
notified with the count (at most once an hour), and the row is marked dead. Then the
update is confirmed like any other: it never holds up the updates behind it.

A busy database (`BusyError`) is no fault of the update: not counted, only retried. If
even counting fails (the database is down), the update is retried without counting.

Nothing of an update's content is logged or stored: its id and kind, a group's chat id
(not a private chat's: that is the person's id), the error's class and where it was
raised (not its message, which may quote the update), attempts and times.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath

from flows import officer_texts, texts
from flows.office import Office
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.base import Store, Transaction
from storage.errors import BusyError, StorageError

log = logging.getLogger(__name__)

DEAD_LETTER_MEMORY = timedelta(days=30)
"""How long failures are kept (and counted in the central chat's notice)."""
NOTICE_EVERY = timedelta(hours=1)
"""The central chat hears of dead letters at most this often (a flood stays one notice)."""
NOTICED_AT = "dead_letters_noticed_at"


@dataclass(frozen=True)
class Poison:
    """What is known of a failing update, without its content."""

    update_id: int
    kind: str
    chat_id: int | None = None
    """Where the update came from, if known; where the answer goes."""


def describe(error: BaseException) -> str:
    """The error's class and where it was raised, never its message:
    "TypeError in bot/convert.py:61 (command_of)"."""
    name = type(error).__name__
    if error.__cause__ is not None:
        name += f" from {type(error.__cause__).__name__}"
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return name
    last = frames[-1]
    where = "/".join(PurePath(last.filename).parts[-2:])
    return f"{name} in {where}:{last.lineno} ({last.name})"


def where_from(error: BaseException) -> str:
    """The traceback's frames without the exception's message, for the log."""
    return "".join(traceback.format_tb(error.__traceback__)).rstrip()


@dataclass
class DeadLetters:
    """Counts failed attempts and gives up on an update at `max_attempts`."""

    store: Store
    office: Office
    max_attempts: int
    clock: Callable[[], datetime]
    on_commit: Callable[[], None] = lambda: None
    on_dead: Callable[[], None] = lambda: None
    """Called once per update given up on (the Prometheus counter)."""

    async def failed(self, poison: Poison, error: BaseException, *, at_once: bool = False) -> bool:
        """One failed attempt at the update; True when it was given up on (confirm it),
        False to have it delivered again. `at_once`: retrying cannot help (Telegram's
        update could not even be read), so give up on the first failure."""
        uid = poison.update_id
        if isinstance(error, BusyError):
            log.warning("update %s met a busy database; it will be delivered again", uid)
            return False
        now = self.clock()
        where = describe(error)
        try:
            async with self.store.transaction() as tx:
                attempts = await tx.count_failure(
                    uid, kind=poison.kind, chat_id=_group(poison.chat_id), error=where, now=now
                )
                give_up = at_once or attempts >= self.max_attempts
                if give_up:
                    buried = await self._bury(tx, poison, now)
        except StorageError as exc:
            log.warning("update %s failed and could not be counted (%s); retrying", uid, exc)
            return False
        except Exception:  # a fault of ours must not pin the update queue either
            log.exception("update %s failed and could not be recorded; passed", uid)
            return True
        log.error(
            "update %s (%s) failed, attempt %d of %d: %s\n%s",
            uid,
            poison.kind,
            attempts,
            self.max_attempts,
            where,
            where_from(error),
        )
        if not give_up:
            return False
        self.on_commit()
        if buried:
            self.on_dead()
            log.error("update %s given up on after %d attempt(s): see dead_letters", uid, attempts)
        return True

    async def _bury(self, tx: Transaction, poison: Poison, now: datetime) -> bool:
        """Claim the update, answer where it came from, notify the central chat.
        False if another process had handled it meanwhile (nothing to give up on)."""
        if not await tx.claim_update(poison.update_id, now):
            return False
        await tx.bury_update(poison.update_id, now)
        chat = poison.chat_id
        roles = self.office.roles
        if chat is not None and chat > 0:
            await enqueue(tx, chat, Outgoing(text=texts.update_given_up()), now=now)
        elif chat is not None and roles.is_officer_chat(chat):
            answer = officer_texts.update_given_up(poison.update_id)
            await enqueue(tx, chat, Outgoing(text=answer), now=now)
        central = roles.central_chat
        if central is not None and await _notice_due(tx, now):
            count = await tx.count_dead_letters(now - DEAD_LETTER_MEMORY)
            notice = officer_texts.dead_letters_notice(
                count, self.max_attempts, DEAD_LETTER_MEMORY.days
            )
            await enqueue(tx, central, Outgoing(text=notice), now=now)
            await tx.set_meta(NOTICED_AT, now.isoformat())
        return True


def _group(chat_id: int | None) -> int | None:
    """The chat id to keep: a group's; a private chat's id is its person's, not kept."""
    return chat_id if chat_id is not None and chat_id < 0 else None


async def _notice_due(tx: Transaction, now: datetime) -> bool:
    last = await tx.get_meta(NOTICED_AT)
    try:
        return last is None or now - datetime.fromisoformat(last) >= NOTICE_EVERY
    except (TypeError, ValueError):  # a value we did not write: notify, then overwrite
        return True
