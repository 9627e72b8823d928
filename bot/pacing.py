"""Telegram's flood limits as pacing: overall, per chat, and per group.

`Pacer.turn(chat, lane)` waits until a message to that chat may go out without exceeding
`SendLimits`; the outbox sender calls it at the moment of sending. When several messages
wait for the overall limit, the lowest lane goes first (answers before notifications
before cards), in order of arrival within a lane.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

_LIMITER_CACHE = 5000
FLOOD_CHATS = 3
"""429s from this many chats within a second mean the bot as a whole is over the limit."""


@dataclass(frozen=True)
class SendLimits:
    """Telegram's flood limits, with a margin. No window of the given length sees more:

    * `messages_per_second` sends overall in any second (evenly spaced, no burst);
    * per chat, `private_chat_burst` at once, then `private_chat_per_second` (Telegram
      asks this of every chat; private ones are where it matters);
    * per group, in addition, `group_per_minute` in any `group_window` seconds.
    """

    messages_per_second: float = 29.5
    private_chat_per_second: float = 1.0
    private_chat_burst: int = 3
    group_per_minute: float = 20.0
    group_window: float = 60.0


class ChatPace:
    """One chat's limits: `burst` at once, then `rate` per second (GCRA, a leaky bucket);
    with `most`, also at most that many in any `window` seconds (a log of send times).

    `wait` only looks; `take` counts a send. The sender takes a chat's slot at the very
    moment it sends, after waiting for the overall limiter, so a long wait there cannot
    bunch one chat's messages together (the overall limiter counts when `acquire` returns).
    """

    def __init__(self, burst: int, rate: float, most: int = 0, window: float = 0.0) -> None:
        self.interval = 1 / rate
        self.tolerance = (max(burst, 1) - 1) * self.interval
        self.window = window
        self._due = 0.0  # the "theoretical arrival time" of the next send
        self._log: deque[float] | None = deque(maxlen=most) if most > 0 else None

    def wait(self, now: float) -> float:
        """Seconds until the chat may send (0: now)."""
        wait = self._due - self.tolerance - now
        if self._log is not None and len(self._log) == self._log.maxlen:
            wait = max(wait, self._log[0] + self.window - now)
        return max(wait, 0.0)

    def take(self, now: float) -> None:
        """Count one send at `now`."""
        self._due = max(self._due, now) + self.interval
        if self._log is not None:
            self._log.append(now)

    def landed(self, now: float) -> None:
        """The send taken last got its answer only `now`: Telegram may have counted it as
        late as that (a slow network), so the next waits as if it had been sent now, and
        a group's window counts it from now (else, at the window's edge, a slow send and
        a quick one can land 21 in one minute)."""
        self._due = max(self._due, now + self.interval)
        if self._log:
            self._log[-1] = max(self._log[-1], now)

    def idle(self, now: float) -> bool:
        """Whether a fresh pace would behave the same (nothing recent counts any more)."""
        log = self._log
        return self._due <= now and (not log or log[-1] + self.window <= now)


class PriorityLimiter:
    """`rate` acquisitions a second, evenly spaced, no burst (as aiolimiter's
    ``AsyncLimiter(1, 1 / rate)``), handed out lowest lane first, then first come."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate
        self._next = 0.0  # when the next acquisition may happen
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()
        self._handing_out: asyncio.Task[None] | None = None

    async def acquire(self, lane: int = 0) -> None:
        """Wait for a slot; a cancelled waiter takes none."""
        loop = asyncio.get_running_loop()
        if not self._waiting and self._next <= loop.time():
            self._next = loop.time() + self.interval
            return
        slot: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (lane, next(self._arrivals), slot))
        if self._handing_out is None or self._handing_out.done():
            self._handing_out = asyncio.create_task(self._hand_out())
        await slot

    async def _hand_out(self) -> None:
        """Give each slot, when it comes, to the best waiter still waiting."""
        loop = asyncio.get_running_loop()
        while self._waiting:
            wait = self._next - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            while self._waiting and self._waiting[0][2].done():  # cancelled meanwhile
                heapq.heappop(self._waiting)
            if self._waiting:
                _, _, slot = heapq.heappop(self._waiting)
                self._next = max(self._next, loop.time()) + self.interval
                slot.set_result(None)


class Pacer:
    """When a chat may send: its own pace, the overall limit, and any global flood pause.

    Per-chat paces are forgotten once idle (a new one behaves the same), so memory stays
    bounded by the chats that sent recently.
    """

    def __init__(self, limits: SendLimits) -> None:
        self.limits = limits
        self._overall = PriorityLimiter(limits.messages_per_second)
        self._chats: dict[int, ChatPace] = {}
        self._prune_at = _LIMITER_CACHE
        self._floods: deque[tuple[float, int]] = deque()
        self._paused_until = 0.0

    async def turn(self, chat_id: int, lane: int = 0) -> None:
        """Wait until `chat_id` may send one message, and count it; `lane` orders the
        waiters for the overall limit (lower first)."""
        pace = self._chat(chat_id)
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            wait = max(pace.wait(now), self._paused_until - now)
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            await self._overall.acquire(lane)
            now = loop.time()
            if pace.wait(now) == 0 and self._paused_until <= now:  # a pause may have begun
                pace.take(now)
                return

    def flooded(self, chat_id: int, retry_after: float) -> bool:
        """Note a 429; True if it starts (or extends) a pause of every send."""
        now = asyncio.get_running_loop().time()
        self._floods.append((now, chat_id))
        while self._floods[0][0] < now - 1.0:
            self._floods.popleft()
        if len({chat for _, chat in self._floods}) < FLOOD_CHATS:
            return False
        self._paused_until = max(self._paused_until, now + retry_after)
        return True

    def landed(self, chat_id: int) -> None:
        """The chat's message in flight got its answer (`ChatPace.landed`)."""
        if (pace := self._chats.get(chat_id)) is not None:
            pace.landed(asyncio.get_running_loop().time())

    def recall(self, sends: Iterable[tuple[int, float]]) -> None:
        """Count sends made before this pacer was in charge (e.g. by the previous holder
        of the sender's lease): (chat, loop time), oldest first. Each chat named gets a
        pace of exactly these sends, so a group's last minute counts however it went."""
        recalled: dict[int, ChatPace] = {}
        for chat_id, at in sends:
            pace = recalled.get(chat_id)
            if pace is None:
                pace = recalled[chat_id] = self._new_pace(chat_id)
            pace.take(at)
        self._chats.update(recalled)

    def known_chats(self) -> int:
        """How many chats' paces are kept."""
        return len(self._chats)

    def _chat(self, chat_id: int) -> ChatPace:
        pace = self._chats.get(chat_id)
        if pace is None:
            if len(self._chats) >= self._prune_at:
                self._prune()
            pace = self._chats[chat_id] = self._new_pace(chat_id)
        return pace

    def _new_pace(self, chat_id: int) -> ChatPace:
        """A fresh pace: groups (negative ids) also keep their window's log."""
        lim = self.limits
        burst, rate = lim.private_chat_burst, lim.private_chat_per_second
        if chat_id < 0:
            return ChatPace(burst, rate, int(lim.group_per_minute), lim.group_window)
        return ChatPace(burst, rate)

    def _prune(self) -> None:
        """Forget idle paces; never ones still in use."""
        now = asyncio.get_running_loop().time()
        self._chats = {c: pace for c, pace in self._chats.items() if not pace.idle(now)}
        self._prune_at = max(_LIMITER_CACHE, 2 * len(self._chats))
