"""Building the application objects, in one place, for the Telegram bot and the terminal.

`open_services` opens the database (migrating it), teaches the classifier what officers
confirmed so far, and builds the engine (residents), the desk (officers) and
housekeeping over that one store; the store closes when the block ends. What they need
is handed in (`Database`, `Rules`, `Office`): this layer reads no configuration file.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from flows.office import Office
from flows.rules import Rules
from service.clock import utc_now
from service.desk import Desk
from service.engine import Engine
from service.housekeeping import Housekeeping
from service.learning import Learning
from storage import open_store
from storage.base import Store
from storage.sqlite import DEFAULT_BUSY_TIMEOUT, Synchronous

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Database:
    """Where the data lives: a SQLite file or URL, or a PostgreSQL URL (`open_store`)."""

    path: str
    synchronous: Synchronous = "FULL"
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT


@dataclass
class Services:
    """The application over one store: residents' engine, officers' desk, housekeeping."""

    store: Store
    rules: Rules
    office: Office
    engine: Engine
    desk: Desk
    housekeeping: Housekeeping
    learning: Learning


@asynccontextmanager
async def open_services(
    database: Database,
    rules: Rules,
    office: Office,
    *,
    clock: Callable[[], datetime] = utc_now,
    on_commit: Callable[[], None] = lambda: None,
    on_escalation: Callable[[], None] = lambda: None,
) -> AsyncIterator[Services]:
    """The services over the opened database; `on_commit` runs after every transaction
    that queued messages (it wakes the sender), `on_escalation` on a missed deadline."""
    store = await open_store(
        database.path, synchronous=database.synchronous, busy_timeout=database.busy_timeout
    )
    try:
        learning = Learning(store, rules.classifier)
        learned = await learning.catch_up()
        log.info("classifier learned %d examples from officers", learned)
        yield Services(
            store=store,
            rules=rules,
            office=office,
            engine=Engine(store, rules, office, clock=clock, on_commit=on_commit),
            desk=Desk(store, rules, office, clock=clock, on_commit=on_commit, learning=learning),
            housekeeping=Housekeeping(
                store,
                rules,
                office,
                clock=clock,
                on_commit=on_commit,
                on_escalation=on_escalation,
            ),
            learning=learning,
        )
    finally:
        await store.close()
