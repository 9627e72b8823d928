"""The board and Open311 show the two new ends sensibly, on both backends: a report
handed over to PLN and one withdrawn by its reporter are closed (not open, not solved),
with their own status labels; the withdrawal reason is never published."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from flows.report import NewReport, Place, Privacy, Reporter, Status
from storage.base import Store
from tests.web.conftest import make_site
from tests.web.seed import NOW
from web.app import board_app

HANDED = "SW-EEEE-0001"
WITHDRAWN = "SW-EEEE-0002"
REASON = "Sudah diperbaiki Pak RT Sutrisno"


async def add_ended(store: Store) -> None:
    filed = NOW - timedelta(days=5)
    async with store.transaction() as tx:
        for code, body, status in (
            (HANDED, "pln", Status.DILIMPAHKAN),
            (WITHDRAWN, "dlh", Status.DICABUT),
        ):
            report = await tx.insert_report(
                NewReport(
                    code=code,
                    filed_at=filed,
                    reporter=Reporter(user_id=4242, chat_id=4242, name="Wati"),
                    description="Tiang listrik miring di gang Melati, kabel menjuntai rendah",
                    place=Place(kecamatan="Cilegon", kelurahan="Ciwedus"),
                    privacy=Privacy.BIASA,
                    body=body,
                )
            )
            at = filed + timedelta(days=1)
            await tx.set_status(report.id, Status.DIVERIFIKASI, actor="pusat", at=at)
            await tx.stamp(report.id, "verified_at", at)
            await tx.set_public_text(report.id, "Tiang listrik miring", actor="pusat", at=at)
            if status is Status.DICABUT:
                await tx.set_end_note(report.id, REASON)
            await tx.set_status(report.id, status, actor="pusat", at=at + timedelta(days=1))
            await tx.stamp(report.id, "decided_at", at + timedelta(days=1))


async def get_json(client: TestClient[Any, Any], path: str) -> Any:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_the_board_and_open311_show_the_ends_as_closed(any_store: Store) -> None:
    await add_ended(any_store)
    async with TestClient(TestServer(board_app(make_site(any_store)))) as client:
        handed = (await get_json(client, f"/laporan/{HANDED}.json"))["report"]
        withdrawn = (await get_json(client, f"/laporan/{WITHDRAWN}.json"))["report"]
        (request,) = await get_json(client, f"/open311/v2/requests/{HANDED}.json")
        still_open = await get_json(client, "/open311/v2/requests.json?status=open")
        closed = await get_json(client, "/open311/v2/requests.json?status=closed")
        page = await client.get(f"/laporan/{WITHDRAWN}")
        html = await page.text()

    assert handed["closed"] and handed["status_label"] == "Diteruskan ke instansi berwenang"
    assert withdrawn["closed"] and withdrawn["status_label"] == "Dicabut pelapor"
    assert request["status"] == "closed" and request["status_notes"] == "dilimpahkan"
    assert request["agency_responsible"] == "PT PLN (Persero)"
    open_codes = {r["service_request_id"] for r in still_open}
    closed_codes = {r["service_request_id"] for r in closed}
    assert {HANDED, WITHDRAWN} <= closed_codes and not {HANDED, WITHDRAWN} & open_codes
    assert "Dicabut pelapor" in html and "Sutrisno" not in html and "Wati" not in html
