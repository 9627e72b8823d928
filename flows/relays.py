"""How many of a resident's messages go to the officers' group now, and how.

Theory of operation
-------------------
An officers' group may receive about 20 messages a minute (Telegram's limit), and a
report card waits behind whatever is queued before it. So one resident may cause at
most `Rules.max_relays` messages in the group per `Rules.relay_window`. Every message
she writes to the officers is first kept (held) in order; `plan_release` then picks,
oldest first, what fits in the room left: all held texts go as ONE combined message,
each photo as one captioned photo. What does not fit waits for the next release (her
next message, or the housekeeping pass), so nothing she wrote is lost and the group
sees her messages in batches. She is told once when her messages start to wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

DEFAULT_MAX_RELAYS = 6
DEFAULT_RELAY_WINDOW = timedelta(minutes=10)


class Held(Protocol):
    """What `plan_release` reads of a held message (storage's HeldRelay has these)."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def photo(self) -> str | None: ...


@dataclass(frozen=True)
class Release:
    """The held messages to send now: `texts` as one combined message, each of `photos`
    as (file id, caption text); `ids` are every held message released."""

    ids: tuple[int, ...] = ()
    texts: tuple[str, ...] = ()
    photos: tuple[tuple[str, str], ...] = ()

    @property
    def messages(self) -> int:
        """Group messages this release costs (a long combined text may take more parts)."""
        return (1 if self.texts else 0) + len(self.photos)


def room_left(sent_recently: int, limit: int) -> int:
    """Messages the resident may still cause in the group in this window."""
    return max(limit - sent_recently, 0)


def plan_release(held: Sequence[Held], room: int) -> Release:
    """The oldest held messages that fit in `room` group messages, in order: the texts
    share one message, a photo (with its caption) takes one. Stops at the first that
    does not fit, so later messages never overtake earlier ones."""
    ids: list[int] = []
    texts: list[str] = []
    photos: list[tuple[str, str]] = []
    for message in held:
        cost = 0 if message.photo is None and texts else 1  # texts after the first: free
        if cost > room:
            break
        room -= cost
        ids.append(message.id)
        if message.photo is not None:
            photos.append((message.photo, message.text))
        else:
            texts.append(message.text)
    return Release(tuple(ids), tuple(texts), tuple(photos))
