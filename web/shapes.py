"""Plain data (dicts, lists, strings, numbers) of the board's objects, for every format.

The HTML templates, the `.json` twins, the CSV files and Open311 all read these, so a
field is named and computed once. Times are ISO 8601 with the city's offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.board import BoardReport
from flows.monthly import decimal
from flows.scorecard import Figures, Share
from flows.texts import STATUS_LABELS
from web.site import Site

Data = dict[str, Any]


def local_iso(moment: datetime, tz: ZoneInfo) -> str:
    """`2026-03-05T14:20:00+07:00`."""
    return moment.astimezone(tz).isoformat(timespec="seconds")


def local_date(moment: datetime, tz: ZoneInfo) -> str:
    """`05/03/2026`, as people read dates in Indonesia."""
    return moment.astimezone(tz).strftime("%d/%m/%Y")


def report_data(site: Site, report: BoardReport) -> Data:
    """One public report: structured facts, and the story only once it is public."""
    tz = site.rules.timezone
    view = report.view
    return {
        "code": view.code,
        "path": f"/laporan/{view.code}",
        "filed_at": local_iso(view.filed_at, tz),
        "filed_date": local_date(view.filed_at, tz),
        "opd": view.body,
        "opd_name": site.body_name(view.body),
        "kind": view.kind,
        "kind_label": site.kind_label(view.kind),
        "kecamatan": view.kecamatan,
        "kelurahan": view.kelurahan,
        "status": view.status.value,
        "status_label": STATUS_LABELS[view.status],
        "closed": report.closed,
        "supporters": view.supporters,
        "verified": report.verified,
        "text": view.text,
        "latitude": report.latitude,
        "longitude": report.longitude,
        "history": [
            {
                "at": local_iso(step.at, tz),
                "date": local_date(step.at, tz),
                "status": step.status.value,
                "status_label": STATUS_LABELS[step.status],
            }
            for step in report.steps
        ],
        "answers": [
            {"at": local_iso(a.at, tz), "date": local_date(a.at, tz), "text": a.text}
            for a in report.answers
        ],
    }


def share_data(share: Share) -> Data:
    """A share as part, whole and percent (None while nothing is settled)."""
    return {"part": share.part, "whole": share.whole, "percent": share.percent}


def figures_data(figures: Figures) -> Data:
    """The Ombudsman's figures of a set of reports."""
    return {
        "received": figures.received,
        "verified_on_time": share_data(figures.verified_on_time),
        "answered_on_time": share_data(figures.answered_on_time),
        "decided_on_time": share_data(figures.decided_on_time),
        "median_days_to_answer": _rounded(figures.median_days_to_answer),
        "median_days_to_answer_text": _decimal(figures.median_days_to_answer),
        "confirmed_solved": share_data(figures.confirmed_solved),
        "average_rating": _rounded(figures.average_rating),
        "average_rating_text": _decimal(figures.average_rating),
        "ratings": figures.ratings,
        "reopened": figures.reopened,
        "open": figures.open,
        "overdue": figures.overdue,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _decimal(value: float | None) -> str:
    return "–" if value is None else decimal(value)
