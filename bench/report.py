"""The benchmark's output: one table of figures, the machine, and docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BEGIN = "<!-- bench:begin (written by `make bench`; edits inside are overwritten) -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Row:
    """One figure: what was measured, against which target, and whether it passed
    (None: for information only)."""

    figure: str
    measured: str
    target: str = "—"
    passed: bool | None = None

    @property
    def result(self) -> str:
        return "—" if self.passed is None else "pass" if self.passed else "**FAIL**"


def ms(seconds: float) -> str:
    """Seconds as milliseconds, with sensible precision."""
    value = seconds * 1000
    return f"{value:.2f} ms" if value < 10 else f"{value:,.0f} ms"


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (as in bench/routing.py); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(rows: Sequence[Row]) -> str:
    """The figures as a Markdown table."""
    lines = ["| figure | measured | target | result |", "|---|---|---|---|"]
    lines += [f"| {r.figure} | {r.measured} | {r.target} | {r.result} |" for r in rows]
    return "\n".join(lines)


def machine(postgres: str | None) -> str:
    """CPU model, cores, OS, Python, SQLite and PostgreSQL versions, one line."""
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    parts = [
        f"{model}, {os.cpu_count()} cores",
        f"{platform.system()} {platform.release()}",
        f"Python {sys.version.split()[0]}",
        f"SQLite {sqlite3.sqlite_version}",
        f"PostgreSQL {postgres}" if postgres else "PostgreSQL not measured",
    ]
    return "; ".join(parts)


def render(rows: Sequence[Row], notes: Sequence[str], about: str, command: str) -> str:
    """The generated part of docs/benchmarks.md."""
    return "\n".join(
        [
            BEGIN,
            f"Latest run: `{command}` on {about}.",
            "",
            table(rows),
            "",
            "Details printed by the run (settings, EXPLAIN of slow queries):",
            "",
            "```text",
            *notes,
            "```",
            END,
        ]
    )


def write_docs(path: Path, generated: str) -> None:
    """Replace the generated part of `path` (between the markers), keeping the rest."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + generated + tail
    else:
        text = text.rstrip() + "\n\n" + generated + "\n" if text else generated + "\n"
    path.write_text(text, encoding="utf-8")
