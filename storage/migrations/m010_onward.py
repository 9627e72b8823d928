"""SQLite migrations from m010 on: card copies and held relays, privacy protections, the
board's indexes, outbox lanes, report ends, closing, learning, evidence, surge, a no-op
twin of PostgreSQL's round-trip functions, former supporters.

A new migration is appended at the end of this module (its PostgreSQL twin, with the
same name, at the end of `storage.postgres.migrations.m010_onward`); applied ones are
never edited or reordered.
"""

from __future__ import annotations

import aiosqlite

from storage.migrations.base import Migration, registrar, run
from storage.proposals import MIGRATION_BATCH, PROPOSAL_SOURCE, proposal_of

MIGRATIONS: list[Migration] = []
"""This module's migrations, in order."""
migration = registrar(MIGRATIONS)


@migration
async def m010_card_copies_and_held_relays(db: aiosqlite.Connection) -> None:
    """Every message showing a report tracks it: the parts of one message are told
    apart from another copy of it (`first_part`: the outbox id of the message's first
    part), and the outbox is searchable by report (erasure, a card's chats, a
    resident's relays). Residents' messages to officers beyond the rate limit wait in
    `held_relays`."""
    await run(
        db,
        "ALTER TABLE outbox ADD COLUMN first_part INTEGER",
        "ALTER TABLE message_links ADD COLUMN first_part INTEGER",
        "CREATE INDEX outbox_report ON outbox (report_id, purpose, created_at)",
        """CREATE TABLE held_relays (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            photo TEXT,
            held_at TEXT NOT NULL
        )""",
        "CREATE INDEX held_relays_report ON held_relays (report_id, id)",
    )


@migration
async def m011_privacy_protections(db: aiosqlite.Connection) -> None:
    """Anonim and rahasia become independent protections, and reports get a public text.

    Existing rahasia reports hid the reporter too: they become anonim + rahasia (and so
    do drafts in progress). Every other report gets its masked proposed public text
    (`flows.public_view.propose_public_text`); none is public until an officer
    approves it (`public_at`), and no photo is public (`photos_public`).
    """
    await run(
        db,
        "ALTER TABLE reports ADD COLUMN public_text TEXT",
        "ALTER TABLE reports ADD COLUMN public_at TEXT",
        "ALTER TABLE reports ADD COLUMN photos_public INTEGER NOT NULL DEFAULT 0",
        "UPDATE reports SET privacy = 'anonim_rahasia' WHERE privacy = 'rahasia'",
        """UPDATE conversations
            SET state_json = json_set(state_json, '$.draft.privacy', 'anonim_rahasia')
            WHERE json_extract(state_json, '$.draft.privacy') = 'rahasia'""",
    )
    after = 0
    while True:
        rows = list(
            await db.execute_fetchall(
                f"SELECT {PROPOSAL_SOURCE} FROM reports WHERE id > ? AND privacy IN "  # noqa: S608
                "('biasa', 'anonim') ORDER BY id LIMIT ?",
                (after, MIGRATION_BATCH),
            )
        )
        if not rows:
            return
        await db.executemany(
            "UPDATE reports SET public_text = ? WHERE id = ?",
            [(proposal_of(tuple(row)), row[0]) for row in rows],
        )
        after = int(rows[-1][0])


@migration
async def m012_board_indexes(db: aiosqlite.Connection) -> None:
    """The public board's filters and map: reports of a kecamatan by filing time
    (kelurahan, body and status already have theirs), and the reports the map may show,
    newest first (the condition word for word as `storage.queries.public` writes it, so
    that SQLite can prove the partial index applies)."""
    await run(
        db,
        "CREATE INDEX reports_kecamatan_filed ON reports (kecamatan, filed_at)",
        "CREATE INDEX reports_public_map ON reports (filed_at, id) "
        "WHERE public_at IS NOT NULL AND latitude IS NOT NULL AND longitude IS NOT NULL",
    )


@migration
async def m013_outbox_lanes(db: aiosqlite.Connection) -> None:
    """A priority lane per outgoing message: answers to whoever just acted go first.

    Messages queued before this version keep lane 1 (notifications), so they neither
    jump ahead of new answers nor wait behind new cards.
    """
    await run(db, "ALTER TABLE outbox ADD COLUMN lane INTEGER NOT NULL DEFAULT 1")


@migration
async def m014_report_ends(db: aiosqlite.Connection) -> None:
    """Reports that end handed over to an outside body (dilimpahkan) or withdrawn by
    their reporter (dicabut): a note for each (`end_note`: the reporter's reason, the
    officer's note on a handover), and both are closed, so the partial index of the open
    reports leaves them out (its condition word for word `storage.queries.officers.OPEN`).
    """
    await run(
        db,
        "ALTER TABLE reports ADD COLUMN end_note TEXT",
        "DROP INDEX reports_open",
        """CREATE INDEX reports_open ON reports (id)
            WHERE status NOT IN ('selesai', 'ditolak', 'duplikat', 'dilimpahkan', 'dicabut')""",
    )


@migration
async def m015_closing(db: aiosqlite.Connection) -> None:
    """Closing with evidence and the Ombudsman route: what the officers said they did
    when they closed a report (a note, an "after" photo; `state` is "pending" while a
    central verifier has not confirmed it, then "confirmed"), and the one notice per
    report telling the reporter of her right to complain to the Ombudsman."""
    await run(
        db,
        """CREATE TABLE closings (
            report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
            note TEXT NOT NULL,
            photo TEXT,
            unit TEXT NOT NULL,
            actor TEXT NOT NULL,
            said_at TEXT NOT NULL,
            state TEXT NOT NULL
        )""",
        """CREATE TABLE ombudsman_notices (
            report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
            reason TEXT NOT NULL,
            told_at TEXT NOT NULL
        )""",
    )


@migration
async def m016_learning(db: aiosqlite.Connection) -> None:
    """What officers teach the classifier, numbered: the kinds of problem they corrected
    (`kind_examples`, beside the bodies in `routing_examples`), and one counter of
    lessons (`learning_version`) that every worker compares with what it has learned.

    Each lesson takes the next number under the counter row's lock, so numbers are
    committed in order and "every lesson up to the counter" is a consistent read.
    """
    await run(
        db,
        """CREATE TABLE kind_examples (
            id INTEGER PRIMARY KEY,
            report_id INTEGER REFERENCES reports (id) ON DELETE SET NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            added_at TEXT NOT NULL,
            version INTEGER NOT NULL
        )""",
        "ALTER TABLE routing_examples ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
        "UPDATE routing_examples SET version = id",
        "CREATE INDEX routing_examples_version ON routing_examples (version)",
        "CREATE INDEX kind_examples_version ON kind_examples (version)",
        """CREATE TABLE learning_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        )""",
        "INSERT INTO learning_version (id, version) "
        "SELECT 1, COALESCE(MAX(id), 0) FROM routing_examples",
    )


@migration
async def m017_evidence(db: aiosqlite.Connection) -> None:
    """Evidence beyond photos (`flows.evidence`): voice notes, videos, video notes and
    files, kept by Telegram file id in the order sent, with kind, size and duration.
    Deleted with the reporter's data (erasure, retention)."""
    await run(
        db,
        """CREATE TABLE report_evidence (
            report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            file_id TEXT NOT NULL,
            size INTEGER,
            duration INTEGER,
            mime_type TEXT,
            PRIMARY KEY (report_id, position)
        ) WITHOUT ROWID""",
    )


@migration
async def m019_surge(db: aiosqlite.Connection) -> None:
    """Honest backpressure (`flows.backlog`): the chats told the bot is busy in their
    current backlog, one row each until their queue is found empty."""
    await run(
        db,
        """CREATE TABLE backlog_notices (
            chat_id INTEGER PRIMARY KEY,
            noticed_at TEXT NOT NULL
        )""",
    )


@migration
async def m020_pg_round_trips(db: aiosqlite.Connection) -> None:
    """Nothing on SQLite: PostgreSQL's twin adds functions that save round trips
    (`storage.postgres.steps`); a statement here costs no trip. Kept so that both
    backends' migrations keep the same names."""


@migration
async def m021_former_supporters(db: aiosqlite.Connection) -> None:
    """Retention forgets who supported a report and keeps how many did
    (`storage.queries.erasure`)."""
    await run(db, "ALTER TABLE reports ADD COLUMN former_supporters INTEGER NOT NULL DEFAULT 0")
