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
