"""The pages' contexts: one async function per page, returning plain data.

The same context is rendered by a template for people and serialised as the page's
`.json` twin (Datasette's rule), so the JSON tests check what people see. Every report
reaches a context only through `flows.board.board_report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from flows.board import BoardReport, board_report
from flows.codes import parse_code
from flows.deadlines import Deadline
from flows.report import CLOSED, Report, Status
from flows.scorecard import Figures, last_months
from flows.texts import STATUS_LABELS
from storage.public import PublicReads, ReportFilter, public_reads
from web.figures import BoardFigures
from web.params import OPEN, Filters, month_options, report_filter
from web.shapes import Data, figures_data, local_iso, report_data
from web.site import Site

PAGE_SIZE = 20
"""Reports listed per page of the board and of an OPD's page."""
MAP_LIMIT = 200
"""Most markers on the map (the newest)."""
CHART_HEIGHT = 120
"""Height of the monthly chart's tallest bar, in SVG units."""


async def board_figures(site: Site) -> BoardFigures:
    """The kept figures of the last 12 months."""
    office = site.office
    return await site.figures.get(
        site.store, site.clock(), office.deadlines, office.holidays, site.rules.timezone
    )


async def board_reports(
    reads: PublicReads, found: Sequence[Report], *, with_history: bool = False
) -> list[BoardReport]:
    """The public views of `found` (confidential ones dropped), with supporters."""
    counts = await reads.supporter_counts([report.id for report in found])
    views = []
    for report in found:
        history = await reads.public_history(report.id) if with_history else ()
        view = board_report(report, counts.get(report.id, 0), history)
        if view is not None:
            views.append(view)
    return views


async def board_context(site: Site, filters: Filters) -> Data:
    """`/`: the figures, the monthly chart, the map and the filtered reports."""
    figures = await board_figures(site)
    where = report_filter(filters, site.rules.timezone)
    async with site.store.transaction() as tx:
        reads = public_reads(tx)
        offset = (filters.page - 1) * PAGE_SIZE
        page = await reads.public_reports(where, PAGE_SIZE + 1, offset)
        listed = await board_reports(reads, page)
        located = await reads.public_reports(replace(where, located=True), MAP_LIMIT)
        mapped = await board_reports(reads, located)
    return {
        "title": "Papan Transparansi Pengaduan",
        "city": site.rules.places.city,
        "as_of": local_iso(figures.as_of, site.rules.timezone),
        "period_start": local_iso(figures.start, site.rules.timezone),
        "figures": figures_data(figures.city),
        "opd": opd_rows(site, figures),
        "chart": chart(figures.months),
        "filters": filters.given(),
        "filter_query": filters.query(),
        "options": filter_options(site),
        "page": filters.page,
        "has_next": len(listed) > PAGE_SIZE,
        "reports": [report_data(site, report) for report in listed[:PAGE_SIZE]],
        "markers": [marker(site, report) for report in mapped],
        "map": {
            "tiles_url": site.settings.tiles_url,
            "attribution": site.settings.tiles_attribution,
        },
    }


async def report_context(site: Site, code: str) -> Data | None:
    """`/laporan/<code>`: None for an unknown code and a confidential report alike."""
    canonical = parse_code(code)
    if canonical is None:
        return None
    async with site.store.transaction() as tx:
        reads = public_reads(tx)
        found = await reads.public_report_by_code(canonical)
        views = await board_reports(reads, [found] if found else [], with_history=True)
    if not views:
        return None
    return {"title": f"Laporan {canonical}", "report": report_data(site, views[0])}


async def opd_context(site: Site, body_id: str, page: int = 1) -> Data | None:
    """`/opd/<id>`: an OPD's scorecard and its open reports, oldest first, overdue marked."""
    body = next((b for b in site.rules.catalogue.bodies if b.id == body_id), None)
    if body is None:
        return None
    figures = await board_figures(site)
    now = site.clock()
    where = ReportFilter(body=body.id, statuses=tuple(s for s in Status if s not in CLOSED))
    async with site.store.transaction() as tx:
        reads = public_reads(tx)
        found = await reads.public_reports(
            where, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE, oldest_first=True
        )
        views = await board_reports(reads, found)
    by_code = {report.code: report for report in found}
    rows = []
    for view in views[:PAGE_SIZE]:
        row = report_data(site, view)
        deadlines = site.office.deadlines_of(by_code[view.code], site.rules)
        late = [d for d in deadlines if _late(d, now)]
        row["overdue"] = [d.kind for d in late]
        rows.append(row)
    return {
        "title": body.name,
        "opd": {"id": body.id, "name": body.name, "short_name": body.short_name},
        "description": body.description,
        "as_of": local_iso(figures.as_of, site.rules.timezone),
        "figures": figures_data(figures.per_body.get(body.id, Figures())),
        "open_reports": rows,
        "page": page,
        "has_next": len(views) > PAGE_SIZE,
    }


def _late(deadline: Deadline, now: datetime) -> bool:
    return deadline.met_at is None and deadline.due_at <= now


def opd_rows(site: Site, figures: BoardFigures) -> list[Data]:
    """The per-OPD table: every OPD that received reports, most reports first."""
    rows = []
    for body_id, body_figures in figures.per_body.items():
        rows.append(
            {
                "id": body_id,
                "name": site.body_name(body_id),
                "path": f"/opd/{body_id}",
                **figures_data(body_figures),
            }
        )
    return sorted(rows, key=lambda row: (-row["received"], row["name"]))


def chart(months: list[tuple[str, int]]) -> Data:
    """The monthly chart's bars, sized in SVG units (no JavaScript needed)."""
    top = max((count for _, count in months), default=0)
    bars = []
    for i, (label, count) in enumerate(months):
        height = round(CHART_HEIGHT * count / top) if top else 0
        bars.append(
            {
                "label": label,
                "short": label[:3] + " " + label[-2:],
                "count": count,
                "x": i * 30 + 5,
                "y": CHART_HEIGHT - height + 15,
                "height": height,
            }
        )
    return {"bars": bars, "height": CHART_HEIGHT + 40, "width": len(months) * 30 + 10}


def marker(site: Site, report: BoardReport) -> Data:
    """A map marker: where, and what to say when tapped."""
    return {
        "code": report.code,
        "lat": report.latitude,
        "lon": report.longitude,
        "title": f"{report.code} · {STATUS_LABELS[report.view.status]}",
        "opd": site.body_name(report.view.body),
        "path": f"/laporan/{report.code}",
    }


def filter_options(site: Site) -> Data:
    """What the filter form offers."""
    places = site.rules.places
    return {
        "opd": [{"id": b.id, "name": b.short_name} for b in site.rules.catalogue.bodies],
        "kecamatan": [{"name": k.name, "kelurahan": list(k.kelurahan)} for k in places.kecamatan],
        "status": [{"id": OPEN, "name": "Masih terbuka"}]
        + [{"id": s.value, "name": STATUS_LABELS[s]} for s in Status],
        "bulan": [
            {"id": value, "name": label}
            for value, label in month_options(last_months(site.clock(), site.rules.timezone))
        ],
    }
