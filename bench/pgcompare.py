"""Before and after on PostgreSQL: one webhook worker's CPU per update (and the server's).

    python -m bench.pgcompare BEFORE_DIR [--runs 3] [--chats 200] [--profile OUT]

As `bench.compare`, but each version runs as one webhook worker (`bench.botproc
--webhook`, the intake figure's PostgreSQL layout, `bench.workers`) on a fresh database
of the server in DSN (the environment's SUARA_WARGA_TEST_POSTGRES, else
/tmp/suara-warga-postgres/dsn); the CPU of the server's processes serving that database
is read too (`bench.procs.PostgresProcesses`). ``--profile OUT`` then profiles this
tree's worker with pyinstrument.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench.compare import RunOne, interleave
from bench.harness import Bench, IntakeSize, Walked
from bench.procs import Child, PostgresProcesses
from bench.stores import drop_database, fresh_database
from bench.workers import MAX_CONNECTIONS, PATH, SECRET, free_port, hook_url

DATABASE = "suara_warga_bench_pgcompare"


def server_dsn() -> str:
    """The PostgreSQL server to use."""
    given = os.environ.get("SUARA_WARGA_TEST_POSTGRES")
    return given or Path("/tmp/suara-warga-postgres/dsn").read_text().strip()  # noqa: S108


async def start_worker(bench: Bench, tree: Path, url: str, name: str, *extra: str) -> Child:
    """The webhook worker of `tree` on `url`, once it has set its webhook."""
    port = free_port()
    hook = f'[webhook]\nport = {port}\npublic_url = "http://127.0.0.1:{port}"\n'
    hook += f'path = "{PATH}"\nsecret_token = "{SECRET}"\nmax_connections = {MAX_CONNECTIONS}\n'
    config = bench.write_config(name, f'path = "{url}"', "\n" + hook)
    await bench.control.call("reset")
    with (bench.workdir / f"{name}.log").open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv.pop(1)); "
            "import runpy; runpy.run_module('bench.botproc', run_name='__main__')",
            str(tree),
            str(config),
            "--webhook",
            *extra,
            cwd=tree,
            stderr=err,
        )
    child = Child(proc, "bench.botproc", bench.workdir / f"{name}.log")
    waiting = asyncio.ensure_future(bench.control.call("wait_webhooks", timeout=60, count=1))
    exited = asyncio.ensure_future(proc.wait())
    done, _ = await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
    exited.cancel()
    if waiting not in done:
        waiting.cancel()
        raise RuntimeError(f"{name} exited at start:\n{child.tail()}")
    await bench.control.call(
        "webhook", urls=[hook_url(port)], secret=SECRET, max_connections=MAX_CONNECTIONS
    )
    return child


async def one(
    bench: Bench, dsn: str, tree: Path, label: str, size: IntakeSize, *extra: str
) -> Walked:
    """One version's walk on a fresh database."""
    url = await fresh_database(dsn, DATABASE)
    try:
        worker = await start_worker(bench, tree, url, f"pg-{label}", *extra)
        server = [PostgresProcesses(DATABASE)]
        try:
            await bench.walk(worker, "report", size.warmup, also=server)
            return await bench.walk(worker, "report", size.chats, also=server)
        finally:
            await worker.stop(timeout=60)
            await bench.control.call("webhook")  # stop delivering
    finally:
        await drop_database(dsn, DATABASE)


def server_per_update(walked: Walked) -> float:
    """The PostgreSQL server's CPU seconds per update."""
    return walked.cpu.get("postgres", 0.0) * walked.seconds / max(walked.updates, 1)


def show(label: str, walked: Walked) -> str:
    return (
        f"{label:7} {walked.cpu_per_update * 1000:5.2f} ms CPU/update, postgres "
        f"{server_per_update(walked) * 1000:4.2f} ms, {walked.rate:4.0f} updates/s, "
        f"CPU {walked.load()}, lost {walked.lost}"
    )


async def compare(args: argparse.Namespace, workdir: Path) -> None:
    dsn = server_dsn()
    size = IntakeSize(chats=args.chats, warmup=args.warmup)

    def run_one(bench: Bench) -> RunOne:
        return lambda tree, label, extra: one(bench, dsn, tree, label, size, *extra)

    figures = await interleave(args, workdir, run_one, show)
    print(f"medians of {args.runs} runs, PostgreSQL, 1 webhook worker:")
    for label, walks in figures.items():
        if not walks:
            continue
        cpu = statistics.median(w.cpu_per_update for w in walks) * 1000
        server = statistics.median(server_per_update(w) for w in walks) * 1000
        rate = statistics.median(w.rate for w in walks)
        print(f"  {label:7} {cpu:.2f} ms CPU per update, postgres {server:.2f} ms, {rate:.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pgcompare", description=__doc__)
    parser.add_argument("before", type=Path, help="folder with the other version's code")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", help="then profile this tree's worker (pyinstrument) into")
    parser.add_argument("--workdir", type=Path, help="keep configs and logs here")
    args = parser.parse_args()
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        asyncio.run(compare(args, args.workdir))
        return
    with tempfile.TemporaryDirectory(prefix="suara-pgcompare-") as folder:
        asyncio.run(compare(args, Path(folder)))


if __name__ == "__main__":
    main()
