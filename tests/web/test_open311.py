"""Open311 GeoReport v2: the spec's field names, filters, errors and the keyed POST."""

from __future__ import annotations

from typing import Any

import pytest

from flows.catalogue import load_catalogue
from flows.report import CLOSED, Privacy
from storage.base import Store
from tests.web.conftest import CENTRAL_CHAT, PARTNER_KEY, Client
from tests.web.seed import CONFIDENTIAL, NOW, SEEDED

BASE = "/open311/v2"
PUBLIC = [s for s in SEEDED if not s.privacy.confidential]
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group"}  # fmt: skip
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip
GOOD_POST = {
    "api_key": PARTNER_KEY,
    "service_code": "dpupr",
    "description": "Jembatan kecil di gang Mawar retak dan goyang kalau dilewati motor.",
    "attribute[kelurahan]": "Ciwedus",
    "lat": "-6.0101",
    "long": "106.0412",
    "first_name": "Dewi",
    "last_name": "Lestari",
}


async def get_json(client: Client, path: str, status: int = 200) -> Any:
    response = await client.get(path)
    assert response.status == status, await response.text()
    return await response.json()


def assert_error_array(body: Any, code: int) -> None:
    assert isinstance(body, list) and len(body) == 1
    assert set(body[0]) == {"code", "description"}
    assert body[0]["code"] == str(code) and body[0]["description"]


async def test_discovery_names_the_v2_endpoint(client: Client) -> None:
    body = await get_json(client, f"{BASE}/discovery.json")

    assert {"changeset", "contact", "endpoints"} <= set(body)
    endpoint = body["endpoints"][0]
    assert endpoint["url"].endswith(BASE)
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"


async def test_services_are_the_citys_opds(client: Client) -> None:
    services = await get_json(client, f"{BASE}/services.json")

    assert all(set(service) == SERVICE_FIELDS for service in services)
    city = [body.id for body in load_catalogue().city_bodies()]
    assert [service["service_code"] for service in services] == city
    definition = await get_json(client, f"{BASE}/services/dpupr.json")
    codes = {attribute["code"] for attribute in definition["attributes"]}
    assert codes == {"kelurahan", "privasi"}


async def test_requests_are_the_public_reports_with_the_specs_fields(any_client: Client) -> None:
    found = await get_json(any_client, f"{BASE}/requests.json")

    assert {r["service_request_id"] for r in found} == {s.code for s in PUBLIC}
    assert all(set(r) == REQUEST_FIELDS for r in found)
    by_code = {r["service_request_id"]: r for r in found}
    for seeded in PUBLIC:
        request = by_code[seeded.code]
        assert request["service_code"] == seeded.body
        assert request["status"] == ("closed" if seeded.status in CLOSED else "open")
        assert (request["description"] != "") == seeded.public


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("status=open", {s.code for s in PUBLIC if s.status not in CLOSED}, id="open"),
        pytest.param("status=closed", {s.code for s in PUBLIC if s.status in CLOSED}, id="closed"),
        pytest.param("status=open,closed", {s.code for s in PUBLIC}, id="both"),
        pytest.param("service_code=dlh", {"SW-AAAA-0002"}, id="service"),
        pytest.param("start_date=2026-06-01T00:00:00%2B07:00", {"SW-AAAA-0002"}, id="start"),
        pytest.param(
            "start_date=2026-01-01T00:00:00Z&end_date=2026-05-01T00:00:00Z",
            {"SW-AAAA-0005"},
            id="window",
        ),
        pytest.param(
            "service_request_id=SW-AAAA-0001,SW-AAAA-0004",
            {"SW-AAAA-0001", "SW-AAAA-0004"},
            id="ids",
        ),
        pytest.param(f"service_request_id={CONFIDENTIAL}", set(), id="rahasia-id"),
    ],
)
async def test_requests_filters(client: Client, query: str, expected: set[str]) -> None:
    found = await get_json(client, f"{BASE}/requests.json?{query}")

    assert {r["service_request_id"] for r in found} == expected


async def test_requests_come_a_page_at_a_time(client: Client) -> None:
    pages = [
        await get_json(client, f"{BASE}/requests.json?page_size=2&page={page}")
        for page in (1, 2, 3)
    ]

    assert [len(page) for page in pages] == [2, 2, 0]
    codes = [r["service_request_id"] for page in pages for r in page]
    assert sorted(codes) == sorted(s.code for s in PUBLIC)


@pytest.mark.parametrize(
    "query",
    ["status=maybe", "start_date=kemarin", "service_code=tidak_ada", "page_size=5000", "page=-1"],
)
async def test_bad_filters_are_the_specs_400(client: Client, query: str) -> None:
    assert_error_array(await get_json(client, f"{BASE}/requests.json?{query}", 400), 400)


async def test_one_request_and_the_rahasia_one_as_unknown(client: Client) -> None:
    one = await get_json(client, f"{BASE}/requests/SW-AAAA-0001.json")
    secret = await client.get(f"{BASE}/requests/{CONFIDENTIAL}.json")
    unknown = await client.get(f"{BASE}/requests/SW-ZZZZ-ZZZZ.json")

    assert [r["service_request_id"] for r in one] == ["SW-AAAA-0001"]
    assert secret.status == unknown.status == 404
    assert await secret.json() == await unknown.json()
    assert_error_array(await secret.json(), 404)


@pytest.mark.parametrize(
    "key", [pytest.param(None, id="missing"), pytest.param("salah-" * 5, id="wrong")]
)
async def test_posting_without_a_valid_key_is_forbidden(client: Client, key: str | None) -> None:
    form = {k: v for k, v in GOOD_POST.items() if k != "api_key"}
    if key is not None:
        form["api_key"] = key

    response = await client.post(f"{BASE}/requests.json", data=form)

    assert response.status == 403
    assert_error_array(await response.json(), 403)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("service_code", None, id="no-service"),
        pytest.param("description", None, id="no-description"),
        pytest.param("attribute[kelurahan]", None, id="no-kelurahan"),
        pytest.param("service_code", "pln", id="outside-the-city"),
        pytest.param("description", "x" * 5000, id="too-long"),
        pytest.param("lat", "abc", id="bad-lat"),
        pytest.param("phone", "halo", id="bad-phone"),
        pytest.param("attribute[privasi]", "publik", id="bad-privacy"),
    ],
)
async def test_a_field_missing_or_wrong_is_the_specs_400(
    client: Client, field: str, value: str | None
) -> None:
    form = {k: v for k, v in GOOD_POST.items() if k != field}
    if value is not None:
        form[field] = value

    response = await client.post(f"{BASE}/requests.json", data=form)

    assert response.status == 400, await response.text()
    assert_error_array(await response.json(), 400)


async def test_a_huge_body_is_refused(client: Client) -> None:
    form = {**GOOD_POST, "description": "jalan rusak " * 20_000}

    response = await client.post(f"{BASE}/requests.json", data=form)

    assert response.status == 413
    assert_error_array(await response.json(), 413)


async def test_a_partners_report_reaches_the_officers_desk(client: Client, seeded: Store) -> None:
    hostile = "<script>alert('x')</script> Jembatan retak di gang Mawar, bahaya."
    response = await client.post(
        f"{BASE}/requests.json", data={**GOOD_POST, "description": hostile}
    )

    assert response.status == 201, await response.text()
    [answer] = await response.json()
    code = answer["service_request_id"]
    async with seeded.transaction() as tx:
        report = await tx.get_report(code)
        queued = await tx.due_messages(NOW, limit=100)
    assert report.body == "dpupr" and report.place.kelurahan == "Ciwedus"
    assert report.privacy is Privacy.BIASA and report.reporter.name == "Dewi Lestari"
    cards = [m for m in queued if m.report_id == report.id]
    assert [m.chat_id for m in cards] == [CENTRAL_CHAT]
    assert "<script>" not in cards[0].payload and "&lt;script&gt;" in cards[0].payload
    page = await client.get(f"/laporan/{code}")
    assert page.status == 200 and "<script>alert" not in await page.text()


async def test_each_key_is_rate_limited(client: Client) -> None:
    statuses = [
        (await client.post(f"{BASE}/requests.json", data=GOOD_POST)).status for _ in range(4)
    ]

    assert statuses == [201, 201, 201, 429]
