"""Honest backpressure: when to tell a resident the bot is busy, and when an officers'
group gets a digest of waiting reports instead of a card each (issue #17, item 3).

Pure decisions over numbers the service layer reads from the outbox. A resident's wait
is estimated from what is queued to her chat: her queued messages at her chat's pace,
or, when the whole bot is behind, how long her oldest one has waited already. She is
told once per backlog episode (until her queue is found empty again). A group's cards
are digested when more messages wait for it than its pace sends in `digest_horizon` and
enough of them are cards, so that one digest stands for many cards (each later card
does not bring a digest of its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

DEFAULT_NOTICE_AFTER = timedelta(seconds=10)
DEFAULT_DIGEST_HORIZON = timedelta(minutes=3)


@dataclass(frozen=True)
class Backlog:
    """The sender's pace as far as backpressure needs it, and its two thresholds.

    `chat_per_second` and `group_per_minute` are the sender's (`[sender]`); a resident
    is told she waits once her estimated wait passes `notice_after`; a group gets a
    digest once more messages wait for it than it may receive in `digest_horizon`.
    """

    chat_per_second: float = 1.0
    group_per_minute: float = 20.0
    notice_after: timedelta = DEFAULT_NOTICE_AFTER
    digest_horizon: timedelta = DEFAULT_DIGEST_HORIZON

    def estimated_wait(self, queued: int, oldest_age: timedelta | None) -> timedelta:
        """How long a resident's next answer may take: the messages already queued to
        her chat at its pace, or the age of the oldest of them, whichever is longer."""
        paced = timedelta(seconds=queued / self.chat_per_second)
        return max(paced, oldest_age or timedelta(0))

    def tell_busy(self, queued: int, oldest_age: timedelta | None, told: bool) -> bool:
        """Whether to send the busy notice now: her wait is long and she has not been
        told since her queue was last empty."""
        return not told and self.estimated_wait(queued, oldest_age) > self.notice_after

    def group_capacity(self) -> int:
        """Messages a group may receive within `digest_horizon` (at least one)."""
        minutes = self.digest_horizon.total_seconds() / 60
        return max(1, int(self.group_per_minute * minutes))

    def digest_due(self, waiting: int, cards: int) -> bool:
        """Whether a group with `waiting` messages queued, `cards` of them cards that a
        digest may replace, gets one now: it is further behind than `digest_horizon`,
        and enough cards wait (a third of that) for one digest to stand for many."""
        capacity = self.group_capacity()
        return waiting > capacity and cards >= max(2, capacity // 3)
