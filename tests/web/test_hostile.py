"""Hostile and malformed requests get a clean, polite 4xx; every answer carries the
security headers; the board is read-only."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from yarl import URL

from tests.web.conftest import Client

HOSTILE_QUERIES = [
    pytest.param("opd=dpupr';DROP TABLE reports;--", id="sql-in-opd"),
    pytest.param("kecamatan=<script>alert(1)</script>", id="script-in-kecamatan"),
    pytest.param("kelurahan=Kotasari&kecamatan=Jombang", id="kelurahan-elsewhere"),
    pytest.param("status=' OR 1=1 --", id="sql-in-status"),
    pytest.param("bulan=2026-13", id="month-13"),
    pytest.param("bulan=1' UNION SELECT reporter_name FROM reports--", id="union-in-month"),
    pytest.param("halaman=0", id="page-zero"),
    pytest.param("halaman=99999999999999999999", id="huge-page"),
    pytest.param("halaman=%F0%9F%92%A9", id="emoji-page"),
    pytest.param("opd=" + "x" * 500, id="overlong-value"),
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
async def test_hostile_filters_get_a_polite_400(client: Client, query: str) -> None:
    encoded = quote(query, safe="=&%")
    page = await client.get(URL(f"/?{encoded}", encoded=True))
    twin = await client.get(URL(f"/index.json?{encoded}", encoded=True))

    assert page.status == twin.status == 400
    html = await page.text()
    assert 'lang="id"' in html and "<script>alert" not in html
    assert (await twin.json())["status"] == 400


async def test_an_overlong_query_string_is_refused(client: Client) -> None:
    response = await client.get("/", params={"x": "a" * 5000})

    assert response.status == 414
    assert "terlalu panjang" in await response.text()


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/laporan/'%20OR%201=1--", id="sql-code"),
        pytest.param("/laporan/%3Cscript%3E", id="script-code"),
        pytest.param("/laporan/SW-AAAA-000", id="short-code"),
        pytest.param("/opd/..%2F..%2Fetc%2Fpasswd", id="traversal-opd"),
        pytest.param("/opd/tidak-ada", id="unknown-opd"),
        pytest.param("/open311/v2/requests/nope.json", id="open311-unknown"),
        pytest.param("/static/leaflet/..%2F..%2F..%2F..%2Fetc%2Fpasswd", id="static-encoded"),
        pytest.param("/static/board/%2e%2e/%2e%2e/pages.py", id="static-dots"),
        pytest.param("/static/board/../views.py", id="static-plain-dots"),
        pytest.param("/tidak/ada", id="unknown-path"),
    ],
)
async def test_bad_paths_get_a_clean_404(client: Client, path: str) -> None:
    response = await client.get(URL(path, encoded=True))
    text = await response.text()

    assert 400 <= response.status < 500
    assert "Traceback" not in text and "def " not in text and "root:" not in text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_the_board_is_read_only(client: Client, method: str) -> None:
    for path in ("/", "/laporan/SW-AAAA-0001", "/data/laporan.csv", "/open311/v2/services.json"):
        response = await client.request(method, path)
        assert response.status == 405


@pytest.mark.parametrize(
    "path", ["/", "/laporan/SW-AAAA-0001", "/static/leaflet/leaflet.js", "/tidak/ada"]
)
async def test_every_answer_carries_the_security_headers(client: Client, path: str) -> None:
    response = await client.get(path)
    csp = response.headers["Content-Security-Policy"]

    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "https://tile.openstreetmap.org" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


async def test_leaflet_is_served_by_the_board_itself(client: Client) -> None:
    script = await client.get("/static/leaflet/leaflet.js")
    style = await client.get("/static/leaflet/leaflet.css")
    board = await (await client.get("/")).text()

    assert script.status == style.status == 200
    assert "leaflet" in (await script.text())[:300].lower()
    assert 'src="/static/leaflet/leaflet.js"' in board and "unpkg" not in board
