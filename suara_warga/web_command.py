"""`suara-warga web`: the public board alone, read-only, on the bot's database.

A separate process (or host) can serve the board while the bot runs elsewhere on the
same SQLite file or PostgreSQL database. It files nothing: Open311 POST is refused
(partners post to the bot's own process, which serves the board too).
"""

from __future__ import annotations

import asyncio
import signal

from flows.deadlines import indonesian_holidays
from flows.office import Office
from flows.rules import Rules
from storage import open_store
from storage.base import Store
from suara_warga.config import Config
from web.app import serve_board
from web.site import Filer, Site, utc_now


def board_site(
    config: Config, store: Store, rules: Rules, office: Office | None = None,
    filer: Filer | None = None,
) -> Site:  # fmt: skip
    """The board of this configuration; `filer` None makes it read-only."""
    if office is None:
        now = utc_now()
        office = Office(
            deadlines=config.deadlines.rules(),
            holidays=indonesian_holidays(range(now.year - 2, now.year + 2)),
        )
    return Site(store, rules, office, settings=config.web, filer=filer)


async def serve_web(config: Config, stop: asyncio.Event | None = None) -> int:
    """Serve the board alone until SIGINT/SIGTERM (or `stop`)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    store = await open_store(config.storage.path, synchronous=config.storage.synchronous)
    try:
        site = board_site(config, store, config.rules())
        served = await serve_board(site, config.web.host, config.web.port, stop)
    finally:
        await store.close()
    return 0 if served else 2
