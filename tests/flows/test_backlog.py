"""Backpressure decisions (`flows.backlog`) and the digest's texts, by table."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from flows.backlog import Backlog
from flows.backlog_texts import digest_line, short_line
from flows.public_view import propose_public_text
from flows.report import Privacy, Report, Reporter, Status
from tests.factories import NOW, make_report
from tests.flows.helpers import RULES

PACE = Backlog(chat_per_second=1.0, group_per_minute=20.0)


def stored_report(**changes: Any) -> Report:
    """A stored report, its public text proposed as filing proposes it."""
    new = make_report(**changes)
    public = propose_public_text(new.description, new.reporter, new.neighbour)
    return Report(
        **new.model_dump(exclude={"public_text"}),
        public_text=None if new.privacy.confidential else public,
        id=1,
        status=Status.DITERIMA,
        updated_at=NOW,
    )


@pytest.mark.parametrize(
    ("queued", "oldest_age", "told", "tell"),
    [
        pytest.param(3, None, False, False, id="a-few-queued-is-no-backlog"),
        pytest.param(11, None, False, True, id="eleven-at-one-a-second-is-long"),
        pytest.param(1, timedelta(seconds=12), False, True, id="an-old-message-is-long"),
        pytest.param(30, timedelta(seconds=40), True, False, id="told-once-per-backlog"),
    ],
)
def test_a_resident_is_told_once_when_her_wait_is_long(
    queued: int, oldest_age: timedelta | None, told: bool, tell: bool
) -> None:
    assert PACE.tell_busy(queued, oldest_age, told) is tell


@pytest.mark.parametrize(
    ("waiting", "cards", "due"),
    [
        pytest.param(60, 60, False, id="three-minutes-of-pace-is-fine"),
        pytest.param(61, 20, True, id="more-than-three-minutes-with-many-cards"),
        pytest.param(200, 19, False, id="too-few-cards-to-stand-for-many"),
        pytest.param(61, 1, False, id="one-card-never-brings-a-digest"),
    ],
)
def test_a_group_gets_a_digest_when_far_behind(waiting: int, cards: int, due: bool) -> None:
    assert PACE.group_capacity() == 60
    assert PACE.digest_due(waiting, cards) is due


def test_a_digest_line_never_shows_a_rahasia_story_or_a_name() -> None:
    siti = Reporter(user_id=1001, chat_id=1001, name="Siti Aminah", phone="081234567890")
    story = "Siti Aminah di sini, telepon 081234567890: got mampet di depan rumah"
    secret = stored_report(description=story, privacy=Privacy.ANONIM_RAHASIA, reporter=siti)
    open_ = stored_report(description=story, privacy=Privacy.ANONIM, reporter=siti)
    assert short_line(secret) == "🔒 rahasia"
    shown = digest_line(open_, RULES)
    assert "got mampet" in shown and open_.code in shown
    assert "Siti" not in shown and "081234567890" not in shown
