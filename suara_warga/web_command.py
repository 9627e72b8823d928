"""The public board from the command line: `suara-warga web` serves it alone, read-only,
on the bot's database; the terminal chat serves it alongside (`beside_board`).

A separate process (or host) can serve the board while the bot runs elsewhere on the
same SQLite file or PostgreSQL database. It files nothing: Open311 POST is refused
(partners post to the bot's own process, which serves the board too).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable

from storage import open_store
from suara_warga.config import Config
from suara_warga.launch import database_of, office_of, web_settings
from web.app import serve_board
from web.site import Site, utc_now


async def serve_web(config: Config, stop: asyncio.Event | None = None) -> int:
    """Serve the board alone until SIGINT/SIGTERM (or `stop`)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    database = database_of(config)
    store = await open_store(
        database.path, synchronous=database.synchronous, busy_timeout=database.busy_timeout
    )
    try:
        settings = web_settings(config)
        site = Site(store, config.rules(), office_of(config, utc_now()), settings=settings)
        served = await serve_board(site, *site.at, stop)
    finally:
        await store.close()
    return 0 if served else 2


async def beside_board(site: Site | None, work: Awaitable[None]) -> None:
    """Await `work` with the board `site` served alongside (None: no board) until the
    work ends; a board that cannot bind its port is logged and leaves the work alone."""
    if site is None:
        await work
        return
    stop = asyncio.Event()
    async with asyncio.TaskGroup() as group:
        group.create_task(serve_board(site, *site.at, stop))
        try:
            await work
        finally:
            stop.set()
