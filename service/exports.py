"""Files for officers: the monthly chart (PNG) and the report lists (CSV, XLSX).

Each function returns bytes; sending them is the caller's job, so this module does not
import `telegram`. Exports hold no personal data: only the fields of `ReportFacts`.
The chart is drawn on a bare `Figure` (Agg canvas, no pyplot), so it touches no global
matplotlib state and needs no display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from flows.export_texts import (
    CHART_AXIS,
    CHART_EMPTY,
    COLUMNS,
    REPORTS_SHEET,
    SUMMARY_COLUMNS,
    SUMMARY_SHEET,
    chart_title,
    round_days,
    summary_rows,
)
from flows.monthly import NO_KIND, MonthlySummary, ReportFacts, elapsed_days
from flows.rules import DEFAULT_TIMEZONE

DATE_FORMAT = "%Y-%m-%d %H:%M"
XLSX_DATE_FORMAT = "dd/mm/yyyy hh:mm"
DEFAULT_TZ = ZoneInfo(DEFAULT_TIMEZONE)

Cell = str | int | float | datetime | None


def _row(fact: ReportFacts, tz: ZoneInfo) -> tuple[Cell, ...]:
    """One report as cells; `tanggal` is the local filing time, without a zone."""
    return (
        fact.code,
        fact.filed_at.astimezone(tz).replace(tzinfo=None),
        fact.body,
        fact.kind or NO_KIND,
        fact.kecamatan,
        fact.kelurahan,
        str(fact.status),
        round_days(elapsed_days(fact.filed_at, fact.answered_at)),
        round_days(elapsed_days(fact.filed_at, fact.decision_at)),
    )


def summary_chart_png(
    summary: MonthlySummary, body_names: Mapping[str, str] | None = None
) -> bytes:
    """A horizontal bar chart of the month's reports per OPD, largest on top."""
    names = body_names or {}
    rows = list(reversed(summary.per_body))  # barh draws bottom-up
    figure = Figure(figsize=(8, 1.5 + 0.4 * max(len(rows), 1)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if rows:
        positions = range(len(rows))  # not the labels: two ids may share a display name
        bars = axes.barh(positions, [count for _, count in rows], color="#2a7ab0")
        axes.set_yticks(positions, [names.get(body, body) for body, _ in rows])
        axes.bar_label(bars, padding=3)
        axes.set_xlim(0, rows[-1][1] * 1.15)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel(CHART_AXIS)
    else:
        axes.text(0.5, 0.5, CHART_EMPTY, ha="center", va="center")
        axes.set_axis_off()
    axes.set_title(chart_title(summary))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def reports_csv(facts: Iterable[ReportFacts], tz: ZoneInfo = DEFAULT_TZ) -> bytes:
    """One row per report, UTF-8 with a BOM so Excel guesses the encoding right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for fact in facts:
        cells = _row(fact, tz)
        writer.writerow(
            f"{cell:{DATE_FORMAT}}" if isinstance(cell, datetime) else cell for cell in cells
        )
    return out.getvalue().encode("utf-8-sig")


def _fill(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"


def reports_xlsx(
    facts: Iterable[ReportFacts], summary: MonthlySummary, tz: ZoneInfo = DEFAULT_TZ
) -> bytes:
    """A workbook with sheet "Laporan" (one row per report) and "Ringkasan" (the counts)."""
    book = Workbook()
    reports = book.active
    assert isinstance(reports, Worksheet)
    reports.title = REPORTS_SHEET
    _fill(reports, COLUMNS, (_row(fact, tz) for fact in facts))
    for cell in reports["B"][1:]:
        cell.number_format = XLSX_DATE_FORMAT
    reports.column_dimensions["B"].width = 17
    _fill(book.create_sheet(SUMMARY_SHEET), SUMMARY_COLUMNS, summary_rows(summary))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
