"""Figure 1 on PostgreSQL: intake with one polling worker, and with 1 and 2 webhook
workers sharing one database.

The polling worker is `bench.botproc` (as `suara-warga run`) on PostgreSQL, as the
echo bot and the SQLite rows poll: one bot process, the layout of a city that runs one.
Each webhook worker is `bench.botproc --webhook` (as `suara-warga run --webhook`) on a port of its
own, hence with its own lease name (`bot.runner.worker_name`): the holder of the sender's
lease sends every reply, whichever worker committed it. The emulator delivers updates by
webhook (`bench.delivery`), taking the workers in turn as a load balancer would. The
single worker runs in webhook mode too, so the layouts differ only in the number of
workers (the SQLite rows poll). Each layout gets a fresh database, dropped after it.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import asyncpg

from bench.harness import POSTGRES_RATIO_TARGET, Bench, IntakeSize, Layout, Walked
from bench.procs import Child, PostgresProcesses
from bench.report import Row
from bench.stores import drop_database, fresh_database, postgres_size
from bot.sender import SENDER_LEASE
from service.engine import utc_now
from storage import open_store

DATABASE = "suara_warga_bench_intake"
SECRET = "bench-webhook-secret"  # noqa: S105 - the emulator's, on loopback
PATH = "/telegram/webhook"
MAX_CONNECTIONS = 40  # Telegram's default, and [webhook] max_connections'


async def run_workers(
    bench: Bench,
    size: IntakeSize,
    rows_of: Callable[[Layout], Awaitable[list[Row]]],
    dsn: str,
) -> tuple[list[Row], list[str]]:
    """The rows of one polling worker and of 1 and 2 webhook workers (`rows_of` gives
    a layout's rows, each against the echo bot walked around it), and notes on what
    they did."""
    layout, note = await _polling(bench, size, dsn)
    rows, notes = await rows_of(layout), [note]
    for count in (1, 2):
        layout, note = await _layout(bench, size, dsn, count)
        rows += await rows_of(layout)
        notes.append(note)
    _, settings = await postgres_size(dsn)
    notes.append(
        f"PostgreSQL server for the workers: {settings} (commits cost less than in production)"
    )
    return rows, notes


async def _polling(bench: Bench, size: IntakeSize, dsn: str) -> tuple[Layout, str]:
    """One worker that polls (no webhook) on a fresh database."""
    url = await fresh_database(dsn, DATABASE)
    try:
        config = bench.write_config("pg-polling", f'path = "{url}"')
        bot = await bench.start("bench.botproc", str(config), name="botproc")
        server = [PostgresProcesses(DATABASE)]
        try:
            await bench.walk(bot, "report", size.warmup, also=server)
            full = await bench.walk(bot, "report", size.chats, also=server)
            paced = await bench.walk(bot, "report", size.chats, rate=size.rate, also=server)
        finally:
            await bot.stop()
        stored = await _stored(url)
    finally:
        await drop_database(dsn, DATABASE)
    label = "PostgreSQL, 1 worker, polling"
    return Layout(label, full, paced, POSTGRES_RATIO_TARGET), f"{label}: {stored}"


async def _layout(bench: Bench, size: IntakeSize, dsn: str, count: int) -> tuple[Layout, str]:
    url = await fresh_database(dsn, DATABASE)
    try:
        ports = [_free_port() for _ in range(count)]
        workers = await _start(bench, url, ports)
        names = {port: worker.name for port, worker in zip(ports, workers, strict=True)}
        try:
            full, paced, holder = await _walks(bench, size, workers, ports, url)
        finally:
            await asyncio.gather(*(worker.stop() for worker in workers))
            delivered = await bench.control.call("webhook")  # stop delivering
        stored = await _stored(url)
    finally:
        await drop_database(dsn, DATABASE)
    label = f"PostgreSQL, {count} webhook worker{'s' if count > 1 else ''}"
    if count > 1:
        label += " (updates alternate)"
    took = ", ".join(
        f"{names[port]} {delivered['accepted'].get(_hook(port), 0):,}" for port in ports
    )
    sender = names.get(int(holder.rsplit("-", 1)[1]), holder) if holder else "nobody"
    note = (
        f"{label}: updates taken {took}; re-sent {delivered['retried']}; "
        f"{sender} held the sender's lease at the end; {stored}"
    )
    return Layout(label, full, paced, POSTGRES_RATIO_TARGET), note


async def _start(
    bench: Bench,
    url: str,
    ports: list[int],
    sender: dict[str, float] | None = None,
    extra: str = "",
) -> list[Child]:
    """Workers on `url`, one per port, once each has set its webhook (`sender` and
    `extra` as `Bench.write_config` takes them)."""
    bots = []
    for number, port in enumerate(ports, 1):
        name = f"worker{number}-of-{len(ports)}"
        hook = f'[webhook]\nport = {port}\npublic_url = "http://127.0.0.1:{port}"\n'
        hook += f'path = "{PATH}"\nsecret_token = "{SECRET}"\n'
        hook += f"max_connections = {MAX_CONNECTIONS}\n"
        config = bench.write_config(name, f'path = "{url}"', "\n" + hook + extra, sender)
        bots.append(("bench.botproc", (str(config), "--webhook"), name))
    workers = await bench.start_all(bots, "wait_webhooks", count=len(ports))
    for number, worker in enumerate(workers, 1):
        worker.name = f"worker{number}" if len(ports) > 1 else "botproc"
    return workers


def hook_url(port: int) -> str:
    """Where the worker on `port` takes its webhook."""
    return _hook(port)


def start_workers(
    bench: Bench, url: str, ports: list[int], sender: dict[str, float], extra: str
) -> Coroutine[Any, Any, list[Child]]:
    """Start webhook workers on `url` with these sender limits and `extra` config."""
    return _start(bench, url, ports, sender, extra)


def free_port() -> int:
    """A free TCP port on loopback."""
    return _free_port()


def _hook(port: int) -> str:
    return f"http://127.0.0.1:{port}{PATH}"


async def _walks(
    bench: Bench, size: IntakeSize, workers: list[Child], ports: list[int], url: str
) -> tuple[Walked, Walked, str | None]:
    """Warm-up, all at once, paced; and who holds the sender's lease."""
    hooks = [_hook(port) for port in ports]
    await bench.control.call("webhook", urls=hooks, secret=SECRET, max_connections=MAX_CONNECTIONS)
    server = [PostgresProcesses(DATABASE)]
    await bench.walk(workers, "report", size.warmup, also=server)
    holder = await _lease_holder(url)
    if len(workers) > 1 and holder is not None:  # name the sender in the CPU shares
        for worker, port in zip(workers, ports, strict=True):
            if holder.endswith(f"-{port}"):
                worker.name += " (sender)"
    full = await bench.walk(workers, "report", size.chats, also=server)
    paced = await bench.walk(workers, "report", size.chats, rate=size.rate, also=server)
    return full, paced, await _lease_holder(url)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _lease_holder(url: str) -> str | None:
    store = await open_store(url)
    try:
        async with store.transaction() as tx:
            return await tx.lease_holder(SENDER_LEASE, utc_now())
    finally:
        await store.close()


async def _stored(url: str) -> str:
    """What the workers stored: reports, outbox rows and their bytes per report."""
    conn = await asyncpg.connect(url)
    try:
        reports = await conn.fetchval("SELECT count(*) FROM reports")
        got = await conn.fetchrow(
            "SELECT count(*), sum(length(payload)), count(*) FILTER (WHERE state = 'pending') "
            "FROM outbox"
        )
        rows, size, pending = got if got is not None else (0, 0, 0)
    finally:
        await conn.close()
    per = (size or 0) / max(reports, 1) / 1024
    return (
        f"{reports} reports filed; outbox keeps {rows} rows ({pending} pending), "
        f"{per:.1f} KiB of payload per report"
    )
