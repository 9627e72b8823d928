"""Open data (`/data`): public reports and monthly figures per OPD, as CSV and JSON.

The same shapes as the pages (`web.shapes`), so a field means the same everywhere; the
data dictionary on `/data` describes each. Reports come from `flows.board.board_report`
only: confidential reports are absent, stories appear only once public.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from storage.public import ReportFilter, public_reads
from web.pages import board_figures, board_reports
from web.params import parse_page
from web.shapes import Data, figures_data, report_data
from web.site import Site
from web.views import json_page, site_of

BATCH = 1000
"""Reports read at a time (CSV) and per page (JSON)."""
REPORT_FIELDS = (
    ("code", "Kode laporan (juga service_request_id di Open311)."),
    ("filed_at", "Waktu laporan masuk (ISO 8601, WIB)."),
    ("opd", "Kode OPD tujuan (katalog kota); 'triage' = belum diteruskan."),
    ("opd_name", "Nama OPD tujuan."),
    ("kind", "Kode jenis masalah (bentuk maladministrasi Ombudsman, sarana rusak, dll.)."),
    ("kind_label", "Nama jenis masalah."),
    ("kecamatan", "Kecamatan tempat masalah."),
    ("kelurahan", "Kelurahan tempat masalah."),
    (
        "status",
        "Status: diterima, diverifikasi, diteruskan (ke OPD lain), diproses, selesai, "
        "ditolak, duplikat, dilimpahkan (ke instansi di luar pemerintah daerah), "
        "dicabut (oleh pelapor).",
    ),
    ("supporters", "Jumlah warga yang ikut mendukung laporan ini."),
    ("verified", "Teks publik sudah disetujui petugas (true/false)."),
    ("text", "Teks publik yang disetujui petugas; kosong sebelum verifikasi."),
    ("latitude", "Garis lintang; hanya setelah verifikasi."),
    ("longitude", "Garis bujur; hanya setelah verifikasi."),
)
FIGURE_FIELDS = (
    ("month", "Bulan laporan masuk (TTTT-BB)."),
    ("opd", "Kode OPD."),
    ("received", "Laporan masuk."),
    ("verified_on_time_pct", "Diverifikasi ≤ 3 hari kerja (% dari yang tenggatnya sudah lewat)."),
    ("answered_on_time_pct", "Jawaban pertama ≤ 14 hari (%)."),
    ("decided_on_time_pct", "Diputuskan ≤ 60 hari (%)."),
    ("median_days_to_answer", "Median hari sampai jawaban pertama."),
    ("confirmed_solved_pct", "Dinyatakan selesai oleh pelapor (% dari yang menjawab)."),
    ("average_rating", "Rata-rata penilaian pelapor (1-5)."),
    ("reopened", "Laporan yang dibuka kembali karena pelapor menyatakan belum selesai."),
    ("open", "Laporan yang belum diputuskan."),
    ("overdue", "Laporan terbuka yang melewati tenggat."),
)


def add_routes(router: web.UrlDispatcher) -> None:
    """Register the open data paths."""
    router.add_get("/data", data_page)
    router.add_get("/data.json", data_page)
    router.add_get("/data/laporan.csv", reports_csv)
    router.add_get("/data/laporan.json", reports_json)
    router.add_get("/data/angka-bulanan.csv", figures_csv)
    router.add_get("/data/angka-bulanan.json", figures_json)


def data_context() -> Data:
    """`/data`: the files and their dictionary."""
    return {
        "title": "Data terbuka",
        "files": [
            {"path": "/data/laporan.csv", "name": "Laporan publik (CSV)"},
            {"path": "/data/laporan.json", "name": "Laporan publik (JSON, per 1.000)"},
            {"path": "/data/angka-bulanan.csv", "name": "Angka bulanan per OPD (CSV)"},
            {"path": "/data/angka-bulanan.json", "name": "Angka bulanan per OPD (JSON)"},
        ],
        "report_fields": [{"name": n, "meaning": m} for n, m in REPORT_FIELDS],
        "figure_fields": [{"name": n, "meaning": m} for n, m in FIGURE_FIELDS],
    }


async def data_page(request: web.Request) -> web.StreamResponse:
    """`/data` and `/data.json`."""
    if request.path.endswith(".json"):
        return json_page(data_context())
    return aiohttp_jinja2.render_template("data.html", request, data_context())


def report_row(data: Data) -> list[Any]:
    """A report's CSV row, in `REPORT_FIELDS` order."""
    return [safe_cell(data[name]) for name, _ in REPORT_FIELDS]


async def reports_json(request: web.Request) -> web.StreamResponse:
    """`/data/laporan.json?halaman=N`: public reports, oldest first, 1,000 a page."""
    site = site_of(request)
    page = parse_page(request.query)
    async with site.store.transaction() as tx:
        reads = public_reads(tx)
        found = await reads.public_reports(
            ReportFilter(), BATCH + 1, (page - 1) * BATCH, oldest_first=True
        )
        views = await board_reports(reads, found[:BATCH])
    fields = [name for name, _ in REPORT_FIELDS]
    rows = [{k: v for k, v in report_data(site, r).items() if k in fields} for r in views]
    next_page = f"/data/laporan.json?halaman={page + 1}" if len(found) > BATCH else None
    return json_page({"page": page, "next": next_page, "reports": rows})


async def reports_csv(request: web.Request) -> web.StreamResponse:
    """`/data/laporan.csv`: every public report, streamed in batches."""
    site = site_of(request)
    response = csv_response("laporan-publik.csv")
    await response.prepare(request)
    await response.write(csv_text([[name for name, _ in REPORT_FIELDS]]))
    after = 0
    while True:
        async with site.store.transaction() as tx:
            reads = public_reads(tx)
            found = await reads.public_reports_after(ReportFilter(), after, BATCH)
            views = await board_reports(reads, found)
        if not found:
            break
        after = found[-1].id
        await response.write(csv_text(report_row(report_data(site, v)) for v in views))
    await response.write_eof()
    return response


def figure_rows(site: Site, figures: Iterable[tuple[str, str, Any]]) -> list[Data]:
    """The monthly figures per OPD as flat rows (`FIGURE_FIELDS`)."""
    rows = []
    for month, body, numbers in figures:
        data = figures_data(numbers)
        rows.append(
            {
                "month": month,
                "opd": body,
                "received": data["received"],
                "verified_on_time_pct": data["verified_on_time"]["percent"],
                "answered_on_time_pct": data["answered_on_time"]["percent"],
                "decided_on_time_pct": data["decided_on_time"]["percent"],
                "median_days_to_answer": data["median_days_to_answer"],
                "confirmed_solved_pct": data["confirmed_solved"]["percent"],
                "average_rating": data["average_rating"],
                "reopened": data["reopened"],
                "open": data["open"],
                "overdue": data["overdue"],
            }
        )
    return rows


async def figures_json(request: web.Request) -> web.StreamResponse:
    """`/data/angka-bulanan.json`."""
    site = site_of(request)
    figures = await board_figures(site)
    rows = figure_rows(site, figures.per_month_body)
    return json_page({"as_of": figures.as_of.isoformat(), "rows": rows})


async def figures_csv(request: web.Request) -> web.StreamResponse:
    """`/data/angka-bulanan.csv`."""
    site = site_of(request)
    figures = await board_figures(site)
    rows = figure_rows(site, figures.per_month_body)
    names = [name for name, _ in FIGURE_FIELDS]
    return web.Response(
        body=csv_text([names, *([row[n] for n in names] for row in rows)]),
        content_type="text/csv",
        charset="utf-8",
        headers=download("angka-bulanan-per-opd.csv"),
    )


def download(filename: str) -> dict[str, str]:
    """The header that makes a browser save the file."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(filename: str) -> web.StreamResponse:
    """A streamed CSV download (UTF-8)."""
    response = web.StreamResponse(headers=download(filename))
    response.content_type = "text/csv"
    response.charset = "utf-8"
    return response


def csv_text(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as CSV bytes; None as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode("utf-8")


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (a leading ' for = + - @)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
