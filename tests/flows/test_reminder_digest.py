"""The reminder digest: one message instead of many reminders to one chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emulator.html_check import parse_html
from flows.deadlines import Deadline, Kind
from flows.notices import DIGEST_LISTED, DigestItem, reminder_digest

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Monday 10:00 in Cilegon
DAY = timedelta(days=1)


def late(code: str, kind: Kind, days: int, office: str | None = None) -> DigestItem:
    return DigestItem(code, Deadline(kind, NOW - days * DAY), True, office)


def soon(code: str, kind: Kind, hours: int) -> DigestItem:
    return DigestItem(code, Deadline(kind, NOW + timedelta(hours=hours)), False)


@pytest.mark.parametrize(
    ("items", "head"),
    [
        pytest.param(
            [late("SW-AAAA-0001", "jawaban", 2), late("SW-AAAA-0001", "verifikasi", 9)],
            "⚠️ <b>1 laporan</b> melewati batas waktu.",
            id="all-missed-one-report-twice",
        ),
        pytest.param(
            [soon("SW-AAAA-0001", "jawaban", 5), soon("SW-BBBB-0002", "keputusan", 3)],
            "⏰ <b>2 laporan</b> mendekati batas waktu.",
            id="all-upcoming",
        ),
        pytest.param(
            [soon("SW-AAAA-0001", "jawaban", 5), late("SW-BBBB-0002", "verifikasi", 1)],
            "⚠️ <b>2 laporan</b> mendekati atau melewati batas waktu.",
            id="mixed",
        ),
    ],
)
def test_the_head_counts_reports_and_says_what_is_due(items: list[DigestItem], head: str) -> None:
    text = reminder_digest(items, NOW, WIB)
    assert text.startswith(head)
    parse_html(text)  # valid Telegram HTML
    assert text.endswith("Semua laporan terbuka: /antrian.")
    assert "/cari KODE" in text


def test_missed_deadlines_come_first_by_kind_and_oldest_first() -> None:
    items = [
        soon("SW-CCCC-0003", "jawaban", 20),
        soon("SW-DDDD-0004", "jawaban", 2),
        late("SW-AAAA-0001", "jawaban", 1),
        late("SW-BBBB-0002", "verifikasi", 3),
        late("SW-EEEE-0005", "verifikasi", 6),
    ]

    body = reminder_digest(items, NOW, WIB).split("\n\n")[1:-1]

    assert body == [
        "<b>Melewati batas verifikasi</b> (2):\n"
        "• <code>SW-EEEE-0005</code> · terlambat 6 hari\n"
        "• <code>SW-BBBB-0002</code> · terlambat 3 hari",
        "<b>Melewati batas jawaban</b> (1):\n• <code>SW-AAAA-0001</code> · terlambat 1 hari",
        "<b>Mendekati batas jawaban</b> (2):\n"
        "• <code>SW-DDDD-0004</code> · batas 02/03/2026 12.00 WIB\n"
        "• <code>SW-CCCC-0003</code> · batas 03/03/2026 06.00 WIB",
    ]


def test_the_central_chat_sees_each_office_escaped() -> None:
    text = reminder_digest([late("SW-AAAA-0001", "jawaban", 1, "P&K <Kota>")], NOW, WIB)
    assert "• <code>SW-AAAA-0001</code> · P&amp;K &lt;Kota&gt; · terlambat 1 hari" in text


def test_only_the_first_codes_are_listed_and_the_rest_counted() -> None:
    items = [late(f"SW-AAAA-{n:04d}", "verifikasi", 200 - n) for n in range(DIGEST_LISTED + 5)]
    items += [late(f"SW-BBBB-{n:04d}", "jawaban", 1) for n in range(7)]

    text = reminder_digest(items, NOW, WIB)

    assert text.count("<code>") == DIGEST_LISTED
    assert "SW-AAAA-0099" in text and "SW-AAAA-0100" not in text  # the oldest are listed
    assert f"<b>Melewati batas verifikasi</b> ({DIGEST_LISTED + 5}):" in text
    assert "SW-AAAA-0099</code> · terlambat 101 hari\n… dan 5 lainnya" in text
    assert "<b>Melewati batas jawaban</b> (7):\n… dan 7 lainnya" in text
    assert f"<b>{DIGEST_LISTED + 12} laporan</b>" in text
