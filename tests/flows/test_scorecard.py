"""The board's figures: table cases worked out by hand, and agreement with the monthly
report (the same deadlines and medians) on random data."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.deadlines import DeadlineRules, indonesian_holidays
from flows.monthly import monthly_summary
from flows.report import Status
from flows.scorecard import (
    BoardFacts,
    Share,
    last_months,
    monthly_counts,
    period_start,
    scorecard,
    scorecards_by_body,
)

WIB = ZoneInfo("Asia/Jakarta")
RULES = DeadlineRules()
HOLIDAYS = indonesian_holidays(range(2025, 2028))
MONDAY = datetime(2026, 3, 2, 9, tzinfo=WIB)  # a working Monday, no holiday that week
DAY = timedelta(days=1)


def fact(
    filed: datetime = MONDAY, status: Status = Status.DIPROSES, **changes: object
) -> BoardFacts:
    values: dict[str, object] = {
        "body": "dpupr", "kind": None, "kecamatan": "Cilegon", "kelurahan": "Ciwedus",
        "status": status, "filed_at": filed,
    }  # fmt: skip
    values.update(changes)
    return BoardFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "as_of", "field", "expected"),
    [
        pytest.param([fact(verified_at=MONDAY + 2 * DAY)], MONDAY + 30 * DAY,
                     "verified_on_time", Share(1, 1), id="verified-on-wednesday"),
        pytest.param([fact(verified_at=MONDAY + 6 * DAY)], MONDAY + 30 * DAY,
                     "verified_on_time", Share(0, 1), id="verified-next-week-late"),
        pytest.param([fact()], MONDAY + DAY, "verified_on_time", Share(0, 0),
                     id="not-verified-not-due-yet"),
        pytest.param([fact(first_answer_at=MONDAY + 10 * DAY)], MONDAY + 5 * DAY,
                     "answered_on_time", Share(0, 0), id="answer-after-as-of-ignored"),
        pytest.param([fact(decided_at=MONDAY + 3 * DAY, status=Status.SELESAI)],
                     MONDAY + 30 * DAY, "answered_on_time", Share(1, 1),
                     id="decision-counts-as-answer"),
        pytest.param([fact(followup_answer="ya"), fact(followup_answer="sebagian"),
                      fact(followup_answer="belum"), fact()], MONDAY + 90 * DAY,
                     "confirmed_solved", Share(1, 3), id="confirmed-among-answers"),
    ],
)  # fmt: skip
def test_shares(facts: list[BoardFacts], as_of: datetime, field: str, expected: Share) -> None:
    assert getattr(scorecard(facts, RULES, HOLIDAYS, WIB, as_of), field) == expected


def test_counts_ratings_reopened_open_and_overdue() -> None:
    facts = [
        fact(rating=5, followup_answer="ya", status=Status.SELESAI, decided_at=MONDAY + DAY),
        fact(rating=2, followup_answer="belum", verified_at=MONDAY, first_answer_at=MONDAY),
        fact(),  # never verified: overdue after 3 working days
        fact(filed=MONDAY + 20 * DAY),  # filed the day before as_of
    ]

    figures = scorecard(facts, RULES, HOLIDAYS, WIB, MONDAY + 21 * DAY)

    assert (figures.received, figures.ratings, figures.average_rating) == (4, 2, 3.5)
    assert (figures.reopened, figures.open, figures.overdue) == (1, 3, 1)


def test_an_empty_set_has_no_shares() -> None:
    figures = scorecard([], RULES, HOLIDAYS, WIB, MONDAY)

    assert figures.received == 0 and figures.answered_on_time.percent is None
    assert figures.median_days_to_answer is None and figures.average_rating is None


def test_per_body_splits_the_city() -> None:
    facts = [fact(body="dpupr"), fact(body="dlh"), fact(body="dlh")]

    per_body = scorecards_by_body(facts, RULES, HOLIDAYS, WIB, MONDAY + DAY)

    assert {body: f.received for body, f in per_body.items()} == {"dpupr": 1, "dlh": 2}


def test_the_last_twelve_months_end_with_the_current_one() -> None:
    as_of = datetime(2026, 2, 10, tzinfo=WIB)

    months = last_months(as_of, WIB)

    assert months[0] == (2025, 3) and months[-1] == (2026, 2) and len(months) == 12
    assert period_start(as_of, WIB) == datetime(2025, 3, 1, tzinfo=WIB)
    counts = monthly_counts([fact(filed=datetime(2026, 1, 31, 23, tzinfo=WIB))], months, WIB)
    assert counts[-2] == ("Januari 2026", 1) and sum(n for _, n in counts) == 1


offsets = st.one_of(st.none(), st.floats(min_value=0, max_value=80))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=30), offsets, offsets, st.sampled_from(Status)),
        max_size=25,
    ),
    st.floats(min_value=0, max_value=120),
)
def test_it_agrees_with_the_monthly_report(
    rows: list[tuple[float, float | None, float | None, Status]], as_of_days: float
) -> None:
    facts = []
    for filed_day, answer, decision, status in rows:
        filed = MONDAY + filed_day * DAY
        facts.append(
            fact(
                filed=filed,
                status=status,
                first_answer_at=None if answer is None else filed + answer * DAY,
                decided_at=None if decision is None else filed + decision * DAY,
            )
        )
    facts = [f for f in facts if f.filed_at < datetime(2026, 4, 1, tzinfo=WIB)]
    as_of = MONDAY + as_of_days * DAY

    ours = scorecard(facts, RULES, HOLIDAYS, WIB, as_of)
    theirs = monthly_summary(
        [f.report_facts() for f in facts], 2026, 3, WIB, RULES, HOLIDAYS, as_of=as_of
    )

    assert ours.received == theirs.total
    assert ours.answered_on_time == Share(theirs.answered_on_time, theirs.answer_due)
    assert ours.decided_on_time == Share(theirs.decided_on_time, theirs.decision_due)
    assert ours.median_days_to_answer == pytest.approx(theirs.median_days_to_answer)
