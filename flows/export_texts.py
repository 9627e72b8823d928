"""The words of the officers' files (Indonesian): the monthly chart's labels, the
columns of the report lists, the rows of the summary sheet."""

from __future__ import annotations

from flows.monthly import MonthlySummary, month_label

COLUMNS = (
    "kode",
    "tanggal",
    "OPD",
    "jenis",
    "kecamatan",
    "kelurahan",
    "status",
    "hari sampai jawaban pertama",
    "hari sampai keputusan",
)
SUMMARY_COLUMNS = ("bagian", "nama", "nilai")
REPORTS_SHEET = "Laporan"
SUMMARY_SHEET = "Ringkasan"
CHART_AXIS = "Jumlah laporan"
CHART_EMPTY = "Tidak ada laporan"

SummaryCell = str | int | float | None


def chart_title(summary: MonthlySummary) -> str:
    """The monthly chart's title."""
    month = month_label(summary.year, summary.month)
    return f"Laporan per OPD, {month} (total {summary.total})"


def round_days(value: float | None) -> float | None:
    """Days to one decimal, as the files show them."""
    return None if value is None else round(value, 1)


def summary_rows(summary: MonthlySummary) -> list[tuple[str, str, SummaryCell]]:
    """The summary sheet: (section, name, value) rows."""

    def share(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    rows: list[tuple[str, str, SummaryCell]] = [
        ("bulan", month_label(summary.year, summary.month), None),
        ("data per", f"{summary.as_of:%d/%m/%Y %H.%M} {summary.as_of.tzname()}", None),
        ("total", "laporan masuk", summary.total),
        ("total", "sudah dijawab", summary.answered),
        ("total", "sudah diputuskan", summary.decided),
        ("total", "diteruskan ke instansi berwenang", summary.handed_over),
        ("total", "dicabut pelapor", summary.withdrawn),
        ("median hari", "sampai jawaban pertama", round_days(summary.median_days_to_answer)),
        ("median hari", "sampai keputusan", round_days(summary.median_days_to_decision)),
        ("tepat waktu", f"dijawab ≤ {summary.answer_days} hari", summary.answered_on_time),
        ("tepat waktu", "jawaban jatuh tempo", summary.answer_due),
        ("tepat waktu", "porsi jawaban tepat waktu", share(summary.answered_on_time_share)),
        ("tepat waktu", f"diputuskan ≤ {summary.decide_days} hari", summary.decided_on_time),
        ("tepat waktu", "keputusan jatuh tempo", summary.decision_due),
        ("tepat waktu", "porsi keputusan tepat waktu", share(summary.decided_on_time_share)),
    ]
    rows += [("OPD", body, n) for body, n in summary.per_body]
    rows += [("jenis", kind, n) for kind, n in summary.per_kind]
    rows += [("status", str(status), n) for status, n in summary.per_status]
    rows += [("kecamatan", kec, n) for kec, n in summary.per_kecamatan]
    rows += [("kelurahan", f"{kel} ({kec})", n) for (kec, kel), n in summary.per_kelurahan]
    return rows


def file_stem(year: int, month: int) -> str:
    """The name the month's files are sent under (without the extension)."""
    return f"laporan-{year}-{month:02d}"
