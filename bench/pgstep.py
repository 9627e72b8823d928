"""Before and after on PostgreSQL: the database part of a resident's step alone.

    python -m bench.pgstep BEFORE_DIR [--runs 2] [--steps 3000]

One pooled connection runs a step's statements `--steps` times (after 300 of warm-up):
claim the update, `open_chat`, queue one answer and save the conversation (with
`save_step` where the tree has it). Printed per step: the client's CPU
(`time.process_time`), the serving backend's CPU (from /proc) and the wall time.
Unlike `bench.pgcompare` no bot, emulator or HTTP takes part, so a change of a round
trip or two shows through a busy machine's noise. Each version runs in a process of
its own (its tree's `storage` imported), the order alternating from run to run, on a
fresh database of the server in DSN (as `bench.pgcompare`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "suara_warga_bench_pgstep"
WARMUP = 300
CHATS = 200
STATE = json.dumps({"draft": {"story": "Lampu jalan mati di depan rumah. " * 40}})
ANSWER = json.dumps({"text": "Terima kasih, ceritanya sudah kami catat. " * 7})


def server_dsn() -> str:
    """The PostgreSQL server to use (as `bench.pgcompare`'s, which is not imported: it
    would import this tree's `storage` before the child puts its tree first)."""
    given = os.environ.get("SUARA_WARGA_TEST_POSTGRES")
    return given or Path("/tmp/suara-warga-postgres/dsn").read_text().strip()  # noqa: S108


def backend_cpu(pid: int) -> float:
    """CPU seconds of a server process, from /proc (the server runs on this machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def steps(tree: str, dsn: str, count: int) -> str:
    """Run the steps with `tree`'s storage; one line of figures."""
    sys.path.insert(0, tree)
    import asyncpg

    from storage.postgres import PostgresStore

    admin = await asyncpg.connect(dsn)
    await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    await admin.execute(f"CREATE DATABASE {DATABASE}")
    url = dsn.rsplit("/", 1)[0] + "/" + DATABASE
    store = await PostgresStore.open(url, pool_size=1)
    try:
        pid = int(  # the pool's one connection (its backend serves every step)
            await admin.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 "
                "AND application_name = 'suara-warga'",
                DATABASE,
            )
        )

        async def step(number: int) -> None:
            now, chat = datetime.now(UTC), 1000 + number % CHATS
            async with store.transaction() as tx:
                assert await tx.claim_chat_update(number + 1, chat, now)
                await tx.open_chat(chat)
                saves: Any = getattr(tx, "save_step", None)  # this branch on
                if saves is None:
                    await tx.enqueue(chat, ANSWER, now=now, purpose="reply", lane=0)
                    await tx.save_conversation(chat, STATE, updated_at=now, draft_updated_at=now)
                else:
                    await saves(
                        chat,
                        STATE,
                        updated_at=now,
                        draft_updated_at=now,
                        replies=[[ANSWER]],
                        purpose="reply",
                        lane=0,
                        now=now,
                    )

        for number in range(WARMUP):  # plans prepared and cached
            await step(number)
        client, server, wall = time.process_time(), backend_cpu(pid), time.perf_counter()
        for number in range(WARMUP, WARMUP + count):
            await step(number)
        client = time.process_time() - client
        server, wall = backend_cpu(pid) - server, time.perf_counter() - wall
    finally:
        await store.close()
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await admin.close()
    per = 1e6 / count
    return (
        f"client {client * per:4.0f} µs, server {server * per:4.0f} µs, "
        f"wall {wall * per:4.0f} µs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pgstep", description=__doc__)
    parser.add_argument("before", type=Path, help="folder with the other version's code")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a tree, run in this process
    args = parser.parse_args()
    if args.child is not None:
        print(asyncio.run(steps(args.child, server_dsn(), args.steps)), flush=True)
        return
    trees = {"before": args.before.resolve(), "after": ROOT}
    print(f"{os.getloadavg()[0]:.2f} load average at the start", flush=True)
    for run in range(args.runs):
        for label in ("before", "after") if run % 2 == 0 else ("after", "before"):
            command = [sys.executable, "-m", "bench.pgstep", str(args.before)]
            command += ["--steps", str(args.steps), "--child", str(trees[label])]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
            print(f"{label:6} per step: {done.stdout.strip()}", flush=True)


if __name__ == "__main__":
    main()
