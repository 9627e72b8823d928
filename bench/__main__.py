"""Run the benchmarks and print one table: ``python -m bench [--quick]`` (`make bench`).

Figures: intake (throughput against a bare echo bot, latency per step, memory),
outbound (a burst at Telegram's limits), surge (1,000 residents filing within ten
minutes at Telegram's limits with faults, officers working), classify (speed and
held-out quality), storage (the bot's queries on a million reports, SQLite and
PostgreSQL), board (the public board's pages over HTTP on the same million). A full
run writes
its table into docs/benchmarks.md; ``--quick`` runs each figure small and writes
nothing unless ``--docs`` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.board import run_board
from bench.classify import run_classify
from bench.experiments import EXPERIMENTS
from bench.filing import run_filing
from bench.harness import IntakeSize
from bench.intake import run_intake
from bench.outbound import run_outbound
from bench.report import Row, machine, render, table, write_docs
from bench.storage import run_storage
from bench.stores import postgres_version
from bench.surge import QUICK, SurgeSize, run_surge

FIGURES = ("classify", "storage", "board", "intake", "outbound", "filing", "surge")
SHOWN = ("intake", "filing", "outbound", "surge", "classify", "storage", "board")
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DOCS = Path("docs/benchmarks.md")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every figure small (< 2 min)")
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated figures")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("SUARA_WARGA_BENCH_POSTGRES") or started_cluster() or DEFAULT_DSN,
        help="server for the storage figure and the intake workers (skipped if it does not "
        "answer); 'off' skips it",
    )
    parser.add_argument("--docs", action="store_true", help="write docs/benchmarks.md anyway")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--profile", type=Path, help="also profile the bot (needs pyinstrument)")
    parser.add_argument(
        "--experiment", choices=EXPERIMENTS, help="intake with one of bench.experiments"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    return parser.parse_args(argv)


def started_cluster() -> str | None:
    """The DSN `.ci/postgres.sh` wrote for the cluster it started, if any."""
    folder = Path(os.environ.get("SUARA_WARGA_PG_DIR", "/tmp/suara-warga-postgres"))  # noqa: S108
    try:
        return (folder / "dsn").read_text().strip() or None
    except OSError:
        return None


def say(text: str) -> None:
    """Progress, on stderr."""
    print(text, file=sys.stderr, flush=True)


async def run(args: argparse.Namespace, workdir: Path) -> tuple[list[Row], list[str], str]:
    """Run the chosen figures (classification first, on a quiet machine); the rows and
    notes in the order of the table: intake and memory, outbound, classify, storage."""
    only = {name.strip() for name in args.only.split(",")}
    unknown = only - set(FIGURES)
    if unknown:
        raise SystemExit(f"unknown figure(s): {', '.join(sorted(unknown))}")
    quick = args.quick
    dsn = None if args.postgres == "off" else args.postgres
    uses_postgres = only & {"storage", "board", "intake", "surge"}
    version = await postgres_version(dsn) if dsn and uses_postgres else None
    absent = f"PostgreSQL: nothing answers at {dsn}; not measured"
    done: dict[str, tuple[list[Row], list[str]]] = {}
    if "classify" in only:
        say("classification ...")
        done["classify"] = run_classify(repeat=5 if quick else 50), []
    if "storage" in only:
        n = 100_000 if quick else 1_000_000
        say(f"storage: {n:,} reports, SQLite{' and PostgreSQL' if version else ''} ...")
        done["storage"] = await run_storage(n, workdir, dsn if version else None)
        if dsn and not version:
            done["storage"][1].append(absent)
    if "board" in only:
        n = 100_000 if quick else 1_000_000
        say(f"board: {n:,} reports, SQLite{' and PostgreSQL' if version else ''} ...")
        done["board"] = await run_board(n, workdir, dsn if version else None)
    if "intake" in only:
        size = IntakeSize(chats=50, memory_chats=500) if quick else IntakeSize()
        say(f"intake: {size.chats} chats, memory with {size.memory_chats:,} ...")
        done["intake"] = await run_intake(
            size, workdir, args.profile, args.experiment, dsn if version else None
        )
        if dsn and not version:
            done["intake"][1].append(absent)
        if args.experiment:
            done["intake"][1].append(f"EXPERIMENT {args.experiment!r} (bench/experiments.py)")
    if "outbound" in only:
        chats = 100 if quick else 1000
        say(f"outbound: {chats * 3:,} messages to {chats:,} chats ...")
        done["outbound"] = await run_outbound(chats, 3, workdir)
    if "filing" in only:
        residents = 10 if quick else 40
        say(f"filing: {residents} residents file the typical report at Telegram's pace ...")
        done["filing"] = await run_filing(residents), []
    if "surge" in only:
        surge = QUICK if quick else SurgeSize()
        say(f"surge: {surge.residents:,} residents over {surge.span:.0f} s ...")
        done["surge"] = await run_surge(surge, workdir, dsn if version else None)
        if dsn and not version:
            done["surge"][1].append(absent)
    rows = [row for name in SHOWN if name in done for row in done[name][0]]
    notes = [note for name in SHOWN if name in done for note in done[name][1]]
    return rows, notes, machine(version)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="suara-warga-bench-"))
    started = time.perf_counter()
    try:
        rows, notes, about = asyncio.run(run(args, workdir))
    finally:
        if args.keep:
            say(f"work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    minutes = (time.perf_counter() - started) / 60
    print(f"Machine: {about}\n")
    print(table(rows))
    print()
    print("\n".join(notes))
    met = [r for r in rows if r.passed is not None]
    print(f"\n{sum(bool(r.passed) for r in met)} of {len(met)} targets met in {minutes:.1f} min.")
    complete = not args.quick and args.only == ",".join(FIGURES)
    if (complete or args.docs) and not args.no_docs:
        command = "make bench" if not args.quick else "python -m bench --quick"
        write_docs(DOCS, render(rows, notes, about, command))
        print(f"Written to {DOCS}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
