"""Exports: the chart is a real PNG, the CSV and XLSX files read back with the right cells."""

from __future__ import annotations

import ast
import csv
import io
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from matplotlib.image import imread
from openpyxl import load_workbook

from flows.deadlines import DeadlineRules
from flows.monthly import MonthlySummary, ReportFacts, monthly_summary
from flows.report import Status
from service.exports import reports_csv, reports_xlsx, summary_chart_png

WIB = ZoneInfo("Asia/Jakarta")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ODD_KIND = 'tidak patut, "judes"'
FACTS = [
    ReportFacts(
        "SW-7K3M-Q9XA",
        "dpupr",
        "sarana/prasarana rusak",
        "Grogol",
        "Rawa Arum",
        Status.SELESAI,
        datetime(2026, 3, 2, 9, tzinfo=WIB),
        datetime(2026, 3, 3, 9, tzinfo=WIB),
        datetime(2026, 3, 22, 9, tzinfo=WIB),
    ),
    ReportFacts(
        "SW-AB12-CD34",
        "dlh",
        None,
        "Cilegon",
        "Bagendung",
        Status.DIPROSES,
        datetime(2026, 3, 5, 23, 30, tzinfo=UTC),  # 06/03 06:30 WIB
        datetime(2026, 3, 7, 11, 30, tzinfo=UTC),  # 36 hours later
    ),
    ReportFacts(
        "SW-ZZ99-XX88",
        "dpupr",
        ODD_KIND,
        "Citangkil",
        "Dringo",
        Status.DITERIMA,
        datetime(2026, 3, 10, 14, 15, tzinfo=WIB),
    ),
]
HEADER = [
    "kode",
    "tanggal",
    "OPD",
    "jenis",
    "kecamatan",
    "kelurahan",
    "status",
    "hari sampai jawaban pertama",
    "hari sampai keputusan",
]


@pytest.fixture(scope="module")
def summary() -> MonthlySummary:
    return monthly_summary(FACTS, 2026, 3, WIB, DeadlineRules(), frozenset())


def test_exports_hold_no_personal_data() -> None:
    personal = {"name", "phone", "reporter", "neighbour", "username"}
    assert personal.isdisjoint(field.name for field in fields(ReportFacts))


def test_exports_do_not_import_telegram() -> None:
    tree = ast.parse((Path(__file__).parents[2] / "service" / "exports.py").read_text("utf-8"))
    modules = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    assert "telegram" not in modules


def test_csv_round_trips(summary: MonthlySummary) -> None:
    data = reports_csv(FACTS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [
        HEADER,
        [
            "SW-7K3M-Q9XA",
            "2026-03-02 09:00",
            "dpupr",
            "sarana/prasarana rusak",
            "Grogol",
            "Rawa Arum",
            "selesai",
            "1.0",
            "20.0",
        ],
        [
            "SW-AB12-CD34",
            "2026-03-06 06:30",
            "dlh",
            "tanpa jenis",
            "Cilegon",
            "Bagendung",
            "diproses",
            "1.5",
            "",
        ],
        [
            "SW-ZZ99-XX88",
            "2026-03-10 14:15",
            "dpupr",
            ODD_KIND,
            "Citangkil",
            "Dringo",
            "diterima",
            "",
            "",
        ],
    ]


def test_csv_of_nothing_is_just_the_header() -> None:
    assert reports_csv([]).decode("utf-8-sig").splitlines() == [",".join(HEADER)]


def test_xlsx_reloads_with_the_right_cells(summary: MonthlySummary) -> None:
    book = load_workbook(io.BytesIO(reports_xlsx(FACTS, summary)))
    assert book.sheetnames == ["Laporan", "Ringkasan"]
    reports = book["Laporan"]
    assert list(reports.iter_rows(values_only=True)) == [
        tuple(HEADER),
        (
            "SW-7K3M-Q9XA",
            datetime(2026, 3, 2, 9, 0),
            "dpupr",
            "sarana/prasarana rusak",
            "Grogol",
            "Rawa Arum",
            "selesai",
            1,
            20,
        ),
        (
            "SW-AB12-CD34",
            datetime(2026, 3, 6, 6, 30),
            "dlh",
            "tanpa jenis",
            "Cilegon",
            "Bagendung",
            "diproses",
            1.5,
            None,
        ),
        (
            "SW-ZZ99-XX88",
            datetime(2026, 3, 10, 14, 15),
            "dpupr",
            ODD_KIND,
            "Citangkil",
            "Dringo",
            "diterima",
            None,
            None,
        ),
    ]
    assert reports["B2"].number_format == "dd/mm/yyyy hh:mm"


def test_xlsx_summary_sheet(summary: MonthlySummary) -> None:
    sheet = load_workbook(io.BytesIO(reports_xlsx(FACTS, summary)))["Ringkasan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("bagian", "nama", "nilai")
    # answered in time: SW-7K3M (1 day) and SW-AB12 (1.5 days); SW-ZZ99's jawaban was due
    # 24/03 14:15 and never came: 2 of 3. No decision deadline has passed by 01/04.
    expected = {
        ("bulan", "Maret 2026", None),
        ("data per", "01/04/2026 00.00 WIB", None),
        ("total", "laporan masuk", 3),
        ("total", "sudah dijawab", 2),
        ("total", "sudah diputuskan", 1),
        ("total", "diteruskan ke instansi berwenang", 0),
        ("total", "dicabut pelapor", 0),
        ("status", "dilimpahkan", 0),
        ("status", "dicabut", 0),
        ("median hari", "sampai jawaban pertama", 1.2),  # median of 1 and 1.5, one decimal
        ("median hari", "sampai keputusan", 20),
        ("tepat waktu", "dijawab ≤ 14 hari", 2),
        ("tepat waktu", "jawaban jatuh tempo", 3),
        ("tepat waktu", "porsi jawaban tepat waktu", 0.6667),
        ("tepat waktu", "keputusan jatuh tempo", 1),
        ("tepat waktu", "porsi keputusan tepat waktu", 1),
        ("OPD", "dpupr", 2),
        ("OPD", "dlh", 1),
        ("jenis", "tanpa jenis", 1),
        ("jenis", ODD_KIND, 1),
        ("status", "diproses", 1),
        ("status", "duplikat", 0),
        ("kecamatan", "Grogol", 1),
        ("kelurahan", "Dringo (Citangkil)", 1),
    }
    assert expected <= set(rows)
    assert len(rows) == 1 + 15 + 2 + 3 + 9 + 3 + 3


@pytest.mark.parametrize("empty", [False, True], ids=["with-reports", "empty-month"])
def test_chart_is_a_real_png(summary: MonthlySummary, empty: bool) -> None:
    if empty:
        summary = monthly_summary([], 2026, 4, WIB, DeadlineRules(), frozenset())
    png = summary_chart_png(summary, {"dpupr": "Dinas Pekerjaan Umum dan Penataan Ruang"})
    assert png.startswith(PNG_SIGNATURE)
    assert int.from_bytes(png[16:20], "big") == 800  # IHDR width: 8 inches at 100 dpi
    pixels = imread(io.BytesIO(png))
    assert len({tuple(p) for p in pixels.reshape(-1, pixels.shape[-1])[::7]}) > 10


def test_exports_keep_handovers_and_withdrawals_apart() -> None:
    filed = datetime(2026, 3, 2, 9, tzinfo=WIB)
    ended = datetime(2026, 3, 4, 9, tzinfo=WIB)
    facts = [
        ReportFacts("SW-PLN1-0001", "pln", None, "Cilegon", "Ciwedus", Status.DILIMPAHKAN,
                    filed, None, ended),
        ReportFacts("SW-TRK1-0001", "dlh", None, "Cilegon", "Ciwedus", Status.DICABUT,
                    filed, None, ended),
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(reports_csv(facts).decode("utf-8-sig"), newline="")))
    assert [row[6:] for row in rows[1:]] == [["dilimpahkan", "2.0", "2.0"], ["dicabut", "", ""]]
    summary = monthly_summary(facts, 2026, 3, WIB, DeadlineRules(), frozenset())
    sheet = load_workbook(io.BytesIO(reports_xlsx(facts, summary)))["Ringkasan"]
    cells = set(sheet.iter_rows(values_only=True))
    assert ("total", "diteruskan ke instansi berwenang", 1) in cells
    assert ("total", "dicabut pelapor", 1) in cells
    assert ("total", "sudah diputuskan", 1) in cells  # the handover only
