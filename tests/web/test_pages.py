"""The board's pages, tested on their JSON twins over a seeded database."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from flows.report import CLOSED
from tests.web.conftest import Client
from tests.web.seed import BUDI, CONFIDENTIAL, RINA, SECRET_STORY, SEEDED

PUBLIC = [s for s in SEEDED if not s.privacy.confidential]
IDENTITY = [
    *(p.name for p in (BUDI, RINA)),
    *(p.username for p in (BUDI, RINA) if p.username),
    *(str(p.user_id) for p in (BUDI, RINA)),
    "81234567890",
]
EVERY_PAGE = [
    "/",
    "/index.json",
    *(f"/laporan/{s.code}" for s in PUBLIC),
    *(f"/laporan/{s.code}.json" for s in PUBLIC),
    *(f"/opd/{body}" for body in {s.body for s in SEEDED}),
    *(f"/opd/{body}.json" for body in {s.body for s in SEEDED}),
    "/data/laporan.csv",
    "/data/laporan.json",
    "/data/angka-bulanan.csv",
    "/open311/v2/requests.json",
    "/open311/v2/requests.json?status=open",
]


async def get_json(client: Client, path: str) -> Any:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_board_counts_every_report_city_wide_and_per_opd(any_client: Client) -> None:
    board = await get_json(any_client, "/index.json")

    assert board["figures"]["received"] == len(SEEDED)
    per_opd = {row["id"]: row["received"] for row in board["opd"]}
    assert per_opd == dict(Counter(s.body for s in SEEDED))
    assert sum(bar["count"] for bar in board["chart"]["bars"]) == len(SEEDED)
    assert board["figures"]["open"] == sum(s.status not in CLOSED for s in SEEDED)


async def test_board_figures_follow_the_seeded_histories(client: Client) -> None:
    figures = (await get_json(client, "/index.json"))["figures"]

    # Seed: 1 answered after 2 days, 4 after 20 (late), 5 after 7; 2 and 3 unanswered
    # and their 14 days not over yet.
    assert figures["answered_on_time"] == {"part": 2, "whole": 3, "percent": 67}
    assert figures["median_days_to_answer"] == 7.0
    assert figures["confirmed_solved"] == {"part": 1, "whole": 2, "percent": 50}
    assert figures["average_rating"] == 3.5
    assert figures["reopened"] == 1


async def test_the_map_holds_exactly_the_verified_located_public_reports(
    any_client: Client,
) -> None:
    board = await get_json(any_client, "/index.json")

    expected = {s.code for s in PUBLIC if s.public and s.located}
    assert {m["code"] for m in board["markers"]} == expected
    assert all(m["lat"] is not None and m["lon"] is not None for m in board["markers"])


@pytest.mark.parametrize("path", EVERY_PAGE)
async def test_no_page_shows_a_rahasia_report_or_an_identity(client: Client, path: str) -> None:
    response = await client.get(path)
    text = await response.text()

    assert response.status == 200
    assert CONFIDENTIAL not in text
    assert "RAHASIAKU" not in text and SECRET_STORY[:30] not in text
    for identity in IDENTITY:
        assert identity not in text


async def test_a_rahasia_report_answers_exactly_as_an_unknown_code(any_client: Client) -> None:
    for suffix in ("", ".json"):
        secret = await any_client.get(f"/laporan/{CONFIDENTIAL}{suffix}")
        unknown = await any_client.get(f"/laporan/SW-ZZZZ-ZZZZ{suffix}")

        assert secret.status == unknown.status == 404
        assert await secret.text() == await unknown.text()


async def test_before_verification_only_structured_facts_are_public(client: Client) -> None:
    unverified = next(s for s in PUBLIC if not s.public)
    report = (await get_json(client, f"/laporan/{unverified.code}.json"))["report"]

    assert report["verified"] is False
    assert report["text"] is None and report["answers"] == []
    assert report["latitude"] is None and report["longitude"] is None
    assert report["opd"] == unverified.body and report["status"] == unverified.status.value
    assert [step["status"] for step in report["history"]] == ["diterima"]


async def test_a_verified_report_shows_its_text_history_and_masked_answers(client: Client) -> None:
    solved = SEEDED[0]
    report = (await get_json(client, f"/laporan/{solved.code}.json"))["report"]

    assert report["verified"] is True
    assert "Jalan berlubang" in report["text"]
    assert [s["status"] for s in report["history"]][-1] == solved.status.value
    assert len(report["answers"]) == 1
    assert BUDI.name not in report["answers"][0]["text"]
    assert "menambal" in report["answers"][0]["text"]


async def test_an_opd_page_lists_its_open_reports_oldest_first(any_client: Client) -> None:
    page = await get_json(any_client, "/opd/dpupr.json")

    expected = [s.code for s in PUBLIC if s.body == "dpupr" and s.status not in CLOSED]
    assert [r["code"] for r in page["open_reports"]] == expected
    assert page["figures"]["received"] == sum(s.body == "dpupr" for s in SEEDED)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("opd=dpupr", {s.code for s in PUBLIC if s.body == "dpupr"}, id="opd"),
        pytest.param("kecamatan=Jombang", {"SW-AAAA-0004"}, id="kecamatan"),
        pytest.param("kelurahan=Kotasari", {"SW-AAAA-0002"}, id="kelurahan"),
        pytest.param("status=selesai", {"SW-AAAA-0001"}, id="status"),
        pytest.param(
            "status=terbuka", {s.code for s in PUBLIC if s.status not in CLOSED}, id="open"
        ),
        pytest.param("bulan=2026-06", {"SW-AAAA-0002"}, id="month"),
        pytest.param("opd=&status=", {s.code for s in PUBLIC}, id="empty-means-all"),
    ],
)
async def test_filters_narrow_the_list(client: Client, query: str, expected: set[str]) -> None:
    board = await get_json(client, f"/index.json?{query}")

    assert {r["code"] for r in board["reports"]} == expected


async def test_open_data_lists_the_public_reports_and_the_monthly_figures(client: Client) -> None:
    csv_text = await (await client.get("/data/laporan.csv")).text()
    codes = {line.split(",")[0] for line in csv_text.splitlines()[1:]}
    figures = await get_json(client, "/data/angka-bulanan.json")

    assert codes == {s.code for s in PUBLIC}
    assert sum(row["received"] for row in figures["rows"]) == len(SEEDED)
    assert {row["opd"] for row in figures["rows"]} == {s.body for s in SEEDED}
    dictionary = await get_json(client, "/data.json")
    assert [f["name"] for f in dictionary["report_fields"]] == csv_text.splitlines()[0].split(",")
