"""Officers' command arguments: examples, then any text at all (no parser ever raises)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flows.codes import parse_code
from flows.monthly import month_bounds
from flows.officer_arguments import (
    EARLIEST_YEAR,
    MAX_KADER_NAME,
    MAX_USER_ID,
    parse_kader_invite,
    parse_month,
    parse_user_id,
)
from flows.rules import Rules

TODAY = date(2026, 11, 23)
RULES = Rules()
TZ = RULES.timezone
match_kelurahan = RULES.places.match_kelurahan
# Digits of every script, signs and separators the parsers meet, and anything else.
ARGUMENTS = st.one_of(
    st.text(),
    st.text(alphabet="0123456789²³¹٣۴०１９-/ ", max_size=30),
    st.from_regex(r"\A[0-9]{1,40}\Z"),
    st.integers().map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), max_size=25),
)


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        pytest.param("", (2026, 11), id="this-month"),
        pytest.param("3", (2026, 3), id="number"),
        pytest.param("2026-11", (2026, 11), id="iso"),
        pytest.param("11/2025", (2025, 11), id="slash"),
        pytest.param("nov 2026", (2026, 11), id="short-name"),
        pytest.param("Desember 2027", (2027, 12), id="next-year"),
        pytest.param("9999-12", None, id="year-10000-at-its-end"),
        pytest.param("0000-01", None, id="year-zero"),
        pytest.param("1999-12", None, id="before-the-bot"),
        pytest.param("2028-01", None, id="too-far-ahead"),
        pytest.param("²⁰²⁶ 11", None, id="superscript-digits"),
        pytest.param("13", None, id="month-13"),
        pytest.param("ju", None, id="ambiguous"),
        pytest.param("1" * 5000, None, id="beyond-int-digit-limit"),
    ],
)
def test_months(typed: str, month: tuple[int, int] | None) -> None:
    assert parse_month(typed, TODAY) == month


@pytest.mark.parametrize(
    ("typed", "user_id"),
    [
        pytest.param("123456789", 123456789, id="plain"),
        pytest.param(" 42 ", 42, id="spaces"),
        pytest.param(str(MAX_USER_ID), MAX_USER_ID, id="largest"),
        pytest.param("99999999999999999999", None, id="beyond-64-bits"),
        pytest.param("0", None, id="zero"),
        pytest.param("-5", None, id="negative"),
        pytest.param("²", None, id="superscript"),
        pytest.param("12abc", None, id="letters"),
        pytest.param("", None, id="empty"),
    ],
)
def test_user_ids(typed: str, user_id: int | None) -> None:
    assert parse_user_id(typed) == user_id


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        pytest.param("Siti Aminah Ketileng", ("Siti Aminah", "Ketileng"), id="name-kelurahan"),
        pytest.param("  Siti   Rawa Arum ", ("Siti", "Rawa Arum"), id="two-word-kelurahan"),
        pytest.param("Siti", None, id="no-kelurahan"),
        pytest.param("Ketileng", None, id="no-name"),
        pytest.param("Si\u202eti Ketileng", None, id="direction-override-in-name"),
        pytest.param("x" * (MAX_KADER_NAME + 1) + " Ketileng", None, id="name-too-long"),
        pytest.param("Siti " * 100 + "Ketileng", None, id="argument-too-long"),
    ],
)
def test_kader_invites(typed: str, parsed: tuple[str, str] | None) -> None:
    assert parse_kader_invite(typed, match_kelurahan) == parsed


@given(ARGUMENTS)
@example("9999-12")
@example("99999999999999999999")
def test_any_month_argument_is_a_usable_month_or_none(typed: str) -> None:
    month = parse_month(typed, TODAY)
    if month is not None:
        year, number = month
        start, end = month_bounds(year, number, TZ)  # the calendar can compute it
        assert start < end and EARLIEST_YEAR <= year <= TODAY.year + 1


@given(ARGUMENTS)
@example("99999999999999999999")
def test_any_user_id_argument_fits_the_database_or_is_none(typed: str) -> None:
    user_id = parse_user_id(typed)
    assert user_id is None or 0 < user_id <= MAX_USER_ID


@given(st.text(max_size=300))
def test_any_invite_argument_gives_a_printable_name_and_a_known_kelurahan(typed: str) -> None:
    parsed = parse_kader_invite(typed, match_kelurahan)
    if parsed is not None:
        name, kelurahan = parsed
        assert 0 < len(name) <= MAX_KADER_NAME and name.isprintable()
        assert match_kelurahan(kelurahan) == kelurahan


@given(ARGUMENTS)
def test_any_search_argument_is_a_code_or_words(typed: str) -> None:
    """`/cari`: a code when the text is one, else a word search (no parser raises)."""
    code = parse_code(typed)
    assert code is None or parse_code(code) == code
