"""Injected failures: scripted (`Fault`), random (`Chaos`) and Telegram's flood limits.

`Faults` is consulted twice per Bot API call. `before(method, chat_id)` runs first: it
waits the configured delay, then returns the failure to answer with (a scripted `Fault`,
a random one drawn by `Chaos`, or a 429 from `FloodControl`) or None to process the call.
`after(method)` runs once the call was processed: True means "lose the answer" (the
connection is closed although the call took effect, as when the network fails on the way
back). Every injection is counted in `Faults.injected` under "500", "429", "drop",
"slow", "lost" or "flood" (a 429 of the flood limits). `Chaos` draws from its own seeded
`random.Random`, so a run can be repeated (the order of concurrent calls aside).
`hold_answers` keeps the answers to a method's calls back (the calls took effect) until
the test releases them.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .world import ApiError

log = logging.getLogger(__name__)


@dataclass
class Fault:
    """An injected failure for `method` (lower-case; None: every method), optionally only for
    calls to `chat_id`. `drop` closes the connection unanswered; `lose` processes the call,
    then closes the connection."""

    method: str | None
    status: int = 500
    retry_after: int | None = None
    description: str | None = None
    times: int = 1
    drop: bool = False
    lose: bool = False
    chat_id: int | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        return self.method in (None, method) and self.chat_id in (None, chat_id)

    @property
    def kind(self) -> str:
        """The counter this fault is counted under."""
        return "lost" if self.lose else "drop" if self.drop else str(self.status)

    def error(self) -> ApiError:
        """The error answer: Telegram's description for the status unless one was given."""
        default = {429: f"Too Many Requests: retry after {self.retry_after}", 502: "Bad Gateway"}
        description = self.description or default.get(self.status, "Internal Server Error")
        params = None if self.retry_after is None else {"retry_after": self.retry_after}
        return ApiError(self.status, description, params)


@dataclass
class Chaos:
    """Random failures: each call of `methods` (lower-case; None: all) independently answers
    500, 429 (retry after 1 s), is dropped, or is slow, with the given shares of calls."""

    error_share: float = 0.0
    too_many_share: float = 0.0
    drop_share: float = 0.0
    slow_share: float = 0.0
    slow_seconds: float = 0.5
    methods: frozenset[str] | None = None
    seed: int = 0
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        if self.error_share + self.too_many_share + self.drop_share + self.slow_share > 1:
            raise ValueError("the shares of injected failures add up to more than 1")

    def draw(self, method: str) -> str | None:
        """ "500", "429", "drop", "slow", or None (no failure) for one call."""
        if self.methods is not None and method not in self.methods:
            return None
        roll = self.rng.random()
        for kind, share in (
            ("500", self.error_share),
            ("429", self.too_many_share),
            ("drop", self.drop_share),
            ("slow", self.slow_share),
        ):
            if roll < share:
                return kind
            roll -= share
        return None


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's flood limits on sending: overall per second, per private chat (a burst,
    then a steady rate), per group in a window (a minute). `slack` forgives that much
    network jitter (seconds): a bot pacing itself exactly at a limit is not punished."""

    overall_per_second: int = 30
    private_burst: int = 3
    private_per_second: float = 1.0
    group_per_window: int = 20
    group_window: float = 60.0
    slack: float = 0.0


class FloodControl:
    """Answers sends over `FloodLimits` with 429 and an integer retry_after, as Telegram does.

    Counts the calls of sending methods (send*, edit*, except sendChatAction) that are
    processed; a call answered 429 does not count.
    """

    def __init__(self, limits: FloodLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._private: dict[int, tuple[float, float]] = {}  # chat -> (level, at)

    @staticmethod
    def limits_method(method: str) -> bool:
        return method.startswith(("send", "edit")) and method != "sendchataction"

    def check(self, method: str, chat_id: int | None) -> int | None:
        """Seconds to wait if this call is over a limit; else None, and the call counts."""
        if not self.limits_method(method) or chat_id is None:
            return None
        now, lim = self.clock(), self.limits
        waits = [_window_wait(self._overall, now, 1.0 - lim.slack, lim.overall_per_second)]
        if chat_id < 0:
            group = self._groups.setdefault(chat_id, deque())
            window = lim.group_window - lim.slack
            waits.append(_window_wait(group, now, window, lim.group_per_window))
        else:
            level, at = self._private.get(chat_id, (0.0, now))
            level = max(0.0, level - (now - at) * lim.private_per_second)
            waits.append((level + 1 - lim.private_burst) / lim.private_per_second - lim.slack)
        wait = max(waits)
        if wait > 0:
            return max(1, math.ceil(wait))
        self._overall.append(now)
        if chat_id < 0:
            self._groups[chat_id].append(now)
        else:
            self._private[chat_id] = (level + 1, now)
        return None


def _window_wait(times: deque[float], now: float, window: float, most: int) -> float:
    """Forget times out of the window; how long until one more fits (0: it fits now)."""
    while times and times[0] <= now - window:
        times.popleft()
    return 0.0 if len(times) < most else times[0] + window - now


@dataclass
class Faults:
    """Extension point for reliability tests; see the module docstring."""

    rules: list[Fault] = field(default_factory=list)
    # (seconds, methods or None for every method) before processing, and before answering
    delays: dict[str, tuple[float, frozenset[str] | None]] = field(default_factory=dict)
    chaos: Chaos | None = None
    flood: FloodControl | None = None
    injected: Counter[str] = field(default_factory=Counter)
    # answers held back until released: (method, chat_id or None, the release)
    holds: list[tuple[str, int | None, asyncio.Event]] = field(default_factory=list)

    def fail_next(
        self,
        method: str | None,
        status: int = 500,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> Fault:
        """The next `times` calls of `method` answer `status` (429: with retry_after, def. 1)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        fault = Fault(_lower(method), status, retry_after, description, times, chat_id=chat_id)
        self.rules.append(fault)
        return fault

    def drop_next(self, method: str | None, times: int = 1) -> Fault:
        """The next `times` calls of `method` get their connection closed, no answer."""
        fault = Fault(_lower(method), times=times, drop=True)
        self.rules.append(fault)
        return fault

    def lose_next(self, method: str | None, times: int = 1) -> Fault:
        """The next `times` calls of `method` take effect, but their answer is lost."""
        fault = Fault(_lower(method), times=times, lose=True)
        self.rules.append(fault)
        return fault

    def hold_answers(self, method: str, chat_id: int | None = None) -> asyncio.Event:
        """Calls of `method` (to `chat_id`) take effect, but their answers wait until the
        returned event is set: the message is in the chat while the bot still waits to
        hear that it was sent."""
        release = asyncio.Event()
        self.holds.append((method.lower(), chat_id, release))
        return release

    def set_delay(
        self, seconds: float, methods: list[str] | None = None, *, after: bool = False
    ) -> None:
        """Delay every call (or only calls of `methods`) by `seconds` before processing it,
        or with `after` between processing it and answering (both may be set)."""
        names = frozenset(m.lower() for m in methods) if methods else None
        self.delays["after" if after else "before"] = (seconds, names)

    def randomly(
        self,
        *,
        error: float = 0.0,
        too_many: float = 0.0,
        drop: float = 0.0,
        slow: float = 0.0,
        slow_seconds: float = 0.5,
        methods: list[str] | None = None,
        seed: int = 0,
    ) -> Chaos:
        """Turn on random failures: these shares of the calls of `methods` (None: all)
        answer 500, answer 429, are dropped, or are slow."""
        names = frozenset(m.lower() for m in methods) if methods else None
        self.chaos = Chaos(error, too_many, drop, slow, slow_seconds, names, seed)
        return self.chaos

    def limit(self, limits: FloodLimits | None = None) -> FloodControl:
        """Turn on Telegram's flood limits (its documented numbers by default)."""
        self.flood = FloodControl(limits or FloodLimits())
        return self.flood

    def clear(self) -> None:
        """No more failures (the counters stay)."""
        self.rules.clear()
        self.delays.clear()
        for *_, release in self.holds:
            release.set()
        self.holds.clear()
        self.chaos = None
        self.flood = None

    async def before(self, method: str, chat_id: int | None = None) -> Fault | None:
        """Wait the delay; the failure to answer this call with, or None to process it."""
        name = method.lower()
        await self._maybe_delay("before", name)
        for fault in self.rules:
            if not fault.lose and fault.matches(name, chat_id):
                self._consume(fault)
                return fault
        drawn = self.chaos.draw(name) if self.chaos else None
        if drawn == "slow" and self.chaos is not None:
            self.injected["slow"] += 1
            await asyncio.sleep(self.chaos.slow_seconds)
        elif drawn is not None:
            self.injected[drawn] += 1
            retry = 1 if drawn == "429" else None
            return Fault(name, 429 if drawn == "429" else 500, retry, drop=drawn == "drop")
        wait = self.flood.check(name, chat_id) if self.flood else None
        if wait is not None:
            self.injected["flood"] += 1
            log.warning(
                "flood limit: %s to chat %s answered 429, retry after %s s", name, chat_id, wait
            )
            return Fault(name, 429, wait)
        return None

    async def after(self, method: str, chat_id: int | None = None) -> bool:
        """After the call took effect: wait the delay; True if its answer is to be lost."""
        name = method.lower()
        await self._maybe_delay("after", name)
        for held, chat, release in list(self.holds):
            if held == name and chat in (None, chat_id):
                await release.wait()
        for fault in self.rules:
            if fault.lose and fault.matches(name, chat_id):
                self._consume(fault)
                return True
        return False

    def _consume(self, fault: Fault) -> None:
        self.injected[fault.kind] += 1
        fault.times -= 1
        if fault.times <= 0:
            self.rules.remove(fault)

    async def _maybe_delay(self, when: str, name: str) -> None:
        seconds, methods = self.delays.get(when, (0.0, None))
        if seconds > 0 and (methods is None or name in methods):
            await asyncio.sleep(seconds)


def _lower(method: str | None) -> str | None:
    return method.lower() if method else None
