"""Before and after: the bot's CPU per update, two versions of the code interleaved.

    python -m bench.compare BEFORE_DIR [--runs 3] [--chats 200] [--sync FULL] [--profile OUT]

BEFORE_DIR holds another version of the project's code (e.g. ``git archive COMMIT |
tar -x -C /tmp/before``); the bot runs from there (its folder first on ``sys.path``),
the emulator, the residents and the echo bot from this tree. Each run walks the echo
bot, then the two versions in turn (the order alternating from run to run), each on a
fresh database after a warm-up, as the intake figure does (`bench.intake`); CPU per
update of the bot process comes from /proc, so a busy machine inflates every figure
alike. Prints each walk and the medians; ``--profile OUT`` then profiles this tree's
bot with pyinstrument (see docs/benchmarks.md, "Profiling"). SQLite, polling.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.harness import ADMIN_CHAT, Bench, IntakeSize, Walked
from bench.procs import ROOT, Child

Show = Callable[[str, Walked], str]


async def start_from(bench: Bench, tree: Path, config: Path, name: str, *extra: str) -> Child:
    """The bot of `tree` (`bench.botproc` of this tree, the project's code from `tree`)."""
    await bench.control.call("reset")
    log = bench.workdir / f"{name}.log"
    with log.open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv.pop(1)); "
            "import runpy; runpy.run_module('bench.botproc', run_name='__main__')",
            str(tree),
            str(config),
            *extra,
            cwd=tree,
            stderr=err,
        )
    child = Child(proc, "bench.botproc", log)
    ready = "wait_webhook" if "--webhook" in extra else "wait_polling"
    waiting = asyncio.ensure_future(bench.control.call(ready, timeout=60))
    exited = asyncio.ensure_future(proc.wait())
    done, _ = await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
    exited.cancel()
    if waiting not in done:
        waiting.cancel()
        raise RuntimeError(f"{name} exited at start:\n{child.tail()}")
    return child


async def one(
    bench: Bench, tree: Path, label: str, size: IntakeSize, sync: str, *extra: str
) -> Walked:
    """One version's walk on a fresh SQLite database (`extra`: arguments of botproc)."""
    config, _ = bench.config(f"cmp-{label}", sync)
    bot = await start_from(bench, tree, config, f"cmp-{label}", *extra)
    try:
        await bench.walk(bot, "report", size.warmup)
        return await bench.walk(bot, "report", size.chats)
    finally:
        await bot.stop(timeout=60)


def show(label: str, walked: Walked) -> str:
    loop = walked.loop_seconds / max(walked.updates, 1) * 1000
    return (
        f"{label:7} {walked.cpu_per_update * 1000:5.2f} ms CPU/update "
        f"({loop:4.2f} loop), {walked.rate:4.0f} updates/s, CPU {walked.load()}, "
        f"lost {walked.lost}"
    )


RunOne = Callable[[Path, str, tuple[str, ...]], Awaitable[Walked]]
"""Walks one version: (its code's folder, label, extra bot arguments) -> what it measured."""


async def interleave(
    args: argparse.Namespace, workdir: Path, run_one: Callable[[Bench], RunOne], show: Show
) -> dict[str, list[Walked]]:
    """The echo bot, then the two versions in an order alternating from run to run,
    `args.runs` times; then this tree profiled if `args.profile` is set. Also serves
    `bench.pgcompare`."""
    emulator = await Child.start("bench.emulator", log=workdir / "emulator.log")
    bench = Bench(emulator, await emulator.ready(), workdir, None)
    size = IntakeSize(chats=args.chats, warmup=args.warmup)
    trees = {"before": args.before.resolve(), "after": ROOT}
    figures: dict[str, list[Walked]] = {"echo": [], "before": [], "after": []}
    try:
        await bench.control.call("setup", groups=[ADMIN_CHAT])
        info = bench.info
        walk = run_one(bench)
        for run in range(args.runs):
            echo = await bench.start(
                "bench.echo", info["base_url"], info["base_file_url"], info["token"], name="echo"
            )
            await bench.walk(echo, "echo", size.warmup)
            figures["echo"].append(await bench.walk(echo, "echo", size.chats))
            await echo.stop()
            print(show("echo", figures["echo"][-1]), flush=True)
            order = ("before", "after") if run % 2 == 0 else ("after", "before")
            for label in order:
                figures[label].append(await walk(trees[label], label, ()))
                print(show(label, figures[label][-1]), flush=True)
        if args.profile is not None:
            profiled = await walk(ROOT, "profile", ("--profile", args.profile))
            print(show("profile", profiled), f"(pyinstrument: {args.profile})", flush=True)
    finally:
        await bench.control.close()
        await emulator.stop()
    return figures


async def compare(args: argparse.Namespace, workdir: Path) -> None:
    size = IntakeSize(chats=args.chats, warmup=args.warmup)

    def run_one(bench: Bench) -> RunOne:
        return lambda tree, label, extra: one(bench, tree, label, size, args.sync, *extra)

    figures = await interleave(args, workdir, run_one, show)
    print(f"medians of {args.runs} runs, SQLite {args.sync}:")
    for label, walks in figures.items():
        if not walks:
            continue
        cpu = statistics.median(w.cpu_per_update for w in walks) * 1000
        rate = statistics.median(w.rate for w in walks)
        print(f"  {label:7} {cpu:.2f} ms CPU per update, {rate:.0f} updates/s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("before", type=Path, help="folder with the other version's code")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--sync", default="FULL", choices=("FULL", "NORMAL"))
    parser.add_argument("--profile", help="then profile this tree's bot (pyinstrument) into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="suara-compare-") as folder:
        asyncio.run(compare(args, Path(folder)))


if __name__ == "__main__":
    main()
