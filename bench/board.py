"""Figure 5, the public board at scale: its pages over HTTP on a million reports.

The storage figure's database (`bench.dataset`, built again here), with the public
texts an officer would have approved (every verified, non-confidential report) so
that texts, answers and map markers are as many as they will ever be. The board runs
as in production (`web.app.board_app`, read-only) behind aiohttp's test server on
127.0.0.1, and each page is requested over HTTP: `/` (figures kept by
`web.figures.FiguresCache`; their cold computation is shown apart), Open311
`requests.json` (a page of 50 with filters), and report pages of random reports.
"""

# ruff: noqa: S311 - random choices of what to request, not secrets

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from aiohttp.test_utils import TestClient, TestServer

from bench.report import Row, ms, percentile
from bench.stores import build_postgres, build_sqlite, drop_postgres
from flows.deadlines import indonesian_holidays
from flows.office import Office
from flows.rules import Rules
from storage import open_store
from storage.base import Store
from web.app import board_app
from web.figures import compute_figures
from web.site import Site

PUBLISH = (
    "UPDATE reports SET public_text = description, public_at = verified_at "
    "WHERE verified_at IS NOT NULL AND privacy IN ('biasa', 'anonim')"
)
"""What officers' approvals at verification would have stored."""
TARGETS = {"board": 0.200, "requests": 0.100, "report": 0.020}
FILTERS = (
    "",
    "?service_code=dpupr",
    "?status=open",
    "?service_code=dlh&status=closed",
    "?status=open&service_code=pdam&page=2",
)


async def run_board(n: int, workdir: Path, postgres: str | None) -> tuple[list[Row], list[str]]:
    """Figure 5 on SQLite, and on PostgreSQL if `postgres` (a DSN) is given."""
    now = datetime.now(UTC)
    epoch = int(now.timestamp())
    rows: list[Row] = []
    path = workdir / f"board-{n}.sqlite3"
    await build_sqlite(path, n, epoch)
    await asyncio.to_thread(_publish_sqlite, path)
    store = await open_store(path, synchronous="FULL")
    try:
        rows += await measure(store, "SQLite", now, n)
    finally:
        await store.close()
    if postgres is not None:
        url, _ = await build_postgres(postgres, n, epoch)
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(PUBLISH)
            await conn.execute("ANALYZE reports")
        finally:
            await conn.close()
        store = await open_store(url)
        try:
            rows += await measure(store, "PostgreSQL", now, n)
        finally:
            await store.close()
            await drop_postgres(postgres)
    return rows, [f"Board: {n:,} reports, public texts approved for every verified one."]


def _publish_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(PUBLISH)
        conn.execute("ANALYZE")
    finally:
        conn.close()


async def measure(store: Store, backend: str, now: datetime, n: int) -> list[Row]:
    """The board's pages on one backend: cold figures, then p99 of each page."""
    office = Office(holidays=indonesian_holidays(range(now.year - 4, now.year + 2)))
    rules = Rules()
    site = Site(store, rules, office, clock=lambda: now)
    started = time.perf_counter()
    figures = await compute_figures(store, now, office.deadlines, office.holidays, rules.timezone)
    cold = time.perf_counter() - started
    codes = await _public_codes(store, n, 300)
    rows = [
        Row(
            f"{backend} board: figures of 12 months, computed (once per 5 min, in background)",
            f"{ms(cold)} for {figures.city.received:,} reports",
        )
    ]
    async with TestClient(TestServer(board_app(site))) as client:
        await client.get("/")  # the figures, computed once

        async def page(path: str) -> float:
            began = time.perf_counter()
            async with client.get(path) as response:
                await response.read()
                assert response.status == 200, path
            return time.perf_counter() - began

        board = [await page("/") for _ in range(100)]
        requests = [
            await page(f"/open311/v2/requests.json{FILTERS[i % len(FILTERS)]}") for i in range(200)
        ]
        reports = [await page(f"/laporan/{code}") for code in codes]
    for key, label, times in (
        ("board", "`/` (figures, chart, 200 markers, 20 reports)", board),
        ("requests", "Open311 `requests.json`, 50 per page, filters", requests),
        ("report", "a report's page `/laporan/<code>`", reports),
    ):
        p99 = percentile(times, 0.99)
        rows.append(
            Row(
                f"{backend} board: {label}",
                f"p50 {ms(percentile(times, 0.5))}, p99 {ms(p99)} ({len(times)} requests)",
                f"p99 < {ms(TARGETS[key])}",
                p99 < TARGETS[key],
            )
        )
    return rows


async def _public_codes(store: Store, n: int, count: int) -> list[str]:
    """Codes of `count` random non-confidential reports."""
    chooser = random.Random(5)
    codes: list[str] = []
    async with store.transaction() as tx:
        while len(codes) < count:
            report = await tx.get_report_by_id(chooser.randint(1, n))
            if not report.privacy.confidential:
                codes.append(report.code)
    return codes
