"""One chat's pace when Telegram answers late: a send may count when its answer comes."""

from __future__ import annotations

import pytest

from bot.pacing import ChatPace


def test_a_late_answer_delays_the_next_send_of_the_chat() -> None:
    pace = ChatPace(burst=1, rate=1.0)
    pace.take(0.0)
    assert pace.wait(0.5) == pytest.approx(0.5)  # paced from the moment it was sent
    pace.landed(1.2)  # a slow network: Telegram may have counted it only now
    assert pace.wait(1.2) == pytest.approx(1.0)


def test_a_quick_answer_delays_by_no_more_than_its_latency() -> None:
    quick, plain = ChatPace(burst=3, rate=1.0), ChatPace(burst=3, rate=1.0)
    for now in (0.0, 0.01, 0.02):
        quick.take(now)
        plain.take(now)
        quick.landed(now + 0.001)
    assert plain.wait(0.03) > 0
    assert quick.wait(0.03) == pytest.approx(plain.wait(0.03), abs=0.0011)


def test_a_late_answer_counts_in_a_groups_window_from_when_it_landed() -> None:
    group = ChatPace(burst=3, rate=1.0, most=20, window=60.0)
    group.take(0.0)
    group.landed(0.9)  # a slow call: Telegram may have counted it at 0.9, not 0.0
    for second in range(1, 20):
        assert group.wait(float(second)) == 0
        group.take(float(second))
        group.landed(second + 0.01)
    assert group.wait(60.0) == pytest.approx(0.9)  # not 0: the slow one still counts
    assert group.wait(60.9) == 0
