"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under `/open311/v2/`.

One service per OPD (`service_code` = the catalogue id); a service request is a public
report (`service_request_id` = its tracking code), serialised from the same
`flows.board.BoardReport` as the pages, so the same privacy rules hold. Partners in
`[web.partners]` may POST `requests.json` with their `api_key`: the request is checked
and filed as the bot files a resident's report (`flows.partner`, `Site.filer`), within
`per_hour` per key. Errors are the spec's array of {code, description}.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from aiohttp import web
from aiolimiter import AsyncLimiter

from flows.board import BoardReport
from flows.codes import parse_code
from flows.partner import KELURAHAN, PRIVACY, PartnerError, partner_draft
from flows.report import CLOSED, Privacy, Status
from storage.public import ReportFilter, public_reads
from web.errors import Refused
from web.pages import board_reports
from web.params import value_of
from web.settings import Partner
from web.shapes import Data, local_iso
from web.site import Site
from web.views import json_page, site_of

BASE = "/open311/v2"
MAX_BODY = 64 * 1024
"""The largest POST body accepted (a description is at most a few kB)."""
DEFAULT_DAYS = 90
"""Without start_date, requests.json lists the last 90 days (as the spec suggests)."""
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
OPEN_STATUSES = tuple(s for s in Status if s not in CLOSED)


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the Open311 paths."""
    router.add_get(f"{BASE}/discovery.json", discovery)
    router.add_get(f"{BASE}/services.json", services)
    router.add_get(f"{BASE}/services/{{name}}", service_definition)
    router.add_get(f"{BASE}/requests.json", requests)
    router.add_post(f"{BASE}/requests.json", post_request)
    router.add_get(f"{BASE}/requests/{{name}}", one_request)


def bad(message: str, code: str = "400") -> Refused:
    """A 400 in the spec's error format."""
    return Refused(400, message, code)


def base_url(request: web.Request, site: Site) -> str:
    """The board's address as clients reach it."""
    return site.settings.public_url or f"{request.scheme}://{request.host}"


async def discovery(request: web.Request) -> web.StreamResponse:
    """Where the endpoint is and what it speaks."""
    site = site_of(request)
    return json_page(
        {
            "changeset": "2026-12-06T00:00:00Z",
            "contact": f"Unit pengaduan {site.rules.places.city}",
            "key_service": "Kunci API diberikan oleh unit pengaduan kepada mitra.",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base_url(request, site) + BASE,
                    "changeset": "2026-12-06T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


async def services(request: web.Request) -> web.StreamResponse:
    """One service per OPD of the city."""
    site = site_of(request)
    return json_page(
        [
            {
                "service_code": body.id,
                "service_name": body.name,
                "description": body.description,
                "metadata": True,
                "type": "realtime",
                "keywords": ", ".join(body.keywords[:10]),
                "group": "OPD Kota",
            }
            for body in site.rules.catalogue.city_bodies()
        ]
    )


async def service_definition(request: web.Request) -> web.StreamResponse:
    """`services/<code>.json`: the attributes a POST may carry (kelurahan, privasi)."""
    site = site_of(request)
    name = request.match_info["name"]
    code = name.removesuffix(".json")
    if not name.endswith(".json") or code not in {b.id for b in site.rules.catalogue.bodies}:
        raise Refused(404, "service_code tidak dikenal.", "404")
    kelurahan = [k for kc in site.rules.places.kecamatan for k in kc.kelurahan]
    return json_page(
        {
            "service_code": code,
            "attributes": [
                _attribute(KELURAHAN, "Kelurahan tempat masalah", True, kelurahan, 1),
                _attribute(PRIVACY, "Privasi pelapor", False, [p.value for p in Privacy], 2),
            ],
        }
    )


def _attribute(field: str, text: str, required: bool, values: list[str], order: int) -> Data:
    return {
        "variable": True,
        "code": field.removeprefix("attribute[").removesuffix("]"),
        "datatype": "singlevaluelist",
        "required": required,
        "datatype_description": text,
        "order": order,
        "description": text,
        "values": [{"key": value, "name": value} for value in values],
    }


def service_request(site: Site, report: BoardReport) -> Data:
    """A public report as an Open311 service request."""
    tz = site.rules.timezone
    view = report.view
    updated = report.steps[-1].at if report.steps else view.filed_at
    return {
        "service_request_id": view.code,
        "status": "closed" if report.closed else "open",
        "status_notes": view.status.value,
        "service_name": site.body_name(view.body),
        "service_code": view.body,
        "description": view.text or "",
        "agency_responsible": site.body_name(view.body),
        "service_notice": "",
        "requested_datetime": local_iso(view.filed_at, tz),
        "updated_datetime": local_iso(updated, tz),
        "expected_datetime": None,
        "address": f"Kel. {view.kelurahan}, Kec. {view.kecamatan}",
        "address_id": None,
        "zipcode": None,
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": None,
    }


def _when(text: str, name: str, site: Site) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise bad(f"{name} harus tanggal/waktu ISO 8601 (W3C).") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=site.rules.timezone)


def _positive(text: str, name: str, default: int, top: int) -> int:
    if not text:
        return default
    if not text.isascii() or not text.isdecimal() or not 1 <= int(text) <= top:
        raise bad(f"{name} harus angka 1 sampai {top}.")
    return int(text)


def request_filter(query: Mapping[str, str], site: Site) -> ReportFilter:
    """requests.json's filters; service_request_id overrides the others (spec)."""
    ids = value_of(query, "service_request_id")
    if ids:
        codes = tuple(c for c in (parse_code(i) for i in ids.split(",")[:50]) if c)
        return ReportFilter(codes=codes or ("-",))
    service = value_of(query, "service_code")
    if service and service not in {b.id for b in site.rules.catalogue.bodies}:
        raise bad("service_code tidak dikenal.")
    states = {s.strip() for s in value_of(query, "status").split(",") if s.strip()}
    if not states <= {"open", "closed"}:
        raise bad("status harus open atau closed.")
    statuses = () if len(states) != 1 else (OPEN_STATUSES if "open" in states else tuple(CLOSED))
    end_text, start_text = value_of(query, "end_date"), value_of(query, "start_date")
    end = _when(end_text, "end_date", site) if end_text else None
    start = _when(start_text, "start_date", site) if start_text else None
    if start is None:
        start = (end or site.clock()) - timedelta(days=DEFAULT_DAYS)
    return ReportFilter(
        body=service or None,
        statuses=tuple(sorted(statuses)),
        filed_from=start,
        filed_before=end,
    )


async def requests(request: web.Request) -> web.StreamResponse:
    """`requests.json`: public reports, newest first, a page at a time."""
    site = site_of(request)
    where = request_filter(request.query, site)
    page = _positive(value_of(request.query, "page"), "page", 1, 10_000)
    size = _positive(value_of(request.query, "page_size"), "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    async with site.store.transaction() as tx:
        reads = public_reads(tx)
        found = await reads.public_reports(where, size, (page - 1) * size)
        views = await board_reports(reads, found, with_history=True)
    return json_page([service_request(site, view) for view in views])


async def one_request(request: web.Request) -> web.StreamResponse:
    """`requests/<id>.json`: one public report (404 for unknown and confidential)."""
    site = site_of(request)
    name = request.match_info["name"]
    code = parse_code(name.removesuffix(".json")) if name.endswith(".json") else None
    views = []
    if code is not None:
        async with site.store.transaction() as tx:
            reads = public_reads(tx)
            found = await reads.public_report_by_code(code)
            views = await board_reports(reads, [found] if found else [], with_history=True)
    if not views:
        raise Refused(404, "service_request_id tidak ditemukan.", "404")
    return json_page([service_request(site, views[0])])


def partner_of(site: Site, key: str) -> tuple[str, Partner] | None:
    """The partner whose api_key this is (compared in constant time), if any."""
    found = None
    for partner_id, partner in site.settings.partners.items():
        if hmac.compare_digest(key.encode(), partner.api_key.encode()):
            found = (partner_id, partner)
    return found


async def post_request(request: web.Request) -> web.StreamResponse:
    """POST `requests.json`: a partner files a report, checked and routed as the bot's."""
    site = site_of(request)
    form = {key: str(value) for key, value in (await request.post()).items()}
    found = partner_of(site, form.get("api_key", "")[:256]) if form.get("api_key") else None
    if found is None:
        raise Refused(403, "api_key tidak ada atau tidak dikenal.", "403")
    partner_id, partner = found
    if site.filer is None:
        raise Refused(403, "Server ini hanya baca; kirim ke server bot.", "403")
    limiter = site.limiters.setdefault(partner_id, AsyncLimiter(partner.per_hour, 3600))
    if not limiter.has_capacity():
        raise Refused(429, "Batas laporan per jam untuk kunci ini sudah tercapai.", "429")
    try:
        draft = partner_draft(form, site.rules, site.clock())
    except PartnerError as exc:
        raise bad(f"{exc.field}: {exc.message}") from None
    await limiter.acquire()
    report = await site.filer(partner_id, partner.name, draft)
    notice = "Laporan diterima dan diteruskan ke petugas."
    answer = [{"service_request_id": report.code, "service_notice": notice, "account_id": None}]
    return web.json_response(answer, status=201)
