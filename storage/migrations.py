"""The SQLite schema, as named migration functions registered in order.

Each migration runs in its own transaction together with its row in the
``migrations(name, applied_at)`` table, so a file is never left half-migrated.
Opening a file applies only the migrations it has not seen yet. A file that records
a migration this code does not know was written by a newer version: `MigrationError`.
The runner is `storage.migrate`, shared with PostgreSQL; only how SQLite takes its
write lock and keeps the ``migrations`` table is written here.

To change the schema, append a new function here; never edit or reorder applied ones::

    @migration
    async def m005_add_report_votes(db: aiosqlite.Connection) -> None:
        await run(db, "ALTER TABLE reports ADD COLUMN votes INTEGER NOT NULL DEFAULT 0")

Statements run one by one (not ``executescript``, which would COMMIT first).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import aiosqlite

from storage import migrate
from storage.proposals import MIGRATION_BATCH, PROPOSAL_SOURCE, proposal_of
from storage.sqlite_migrate import SqliteMigrations

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]

MIGRATIONS: list[Migration] = []
"""Every migration of this version, in order. Copy it to extend it (tests do)."""


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration; its ``__name__`` is its permanent name."""
    MIGRATIONS.append(fn)
    return fn


async def run(db: aiosqlite.Connection, *statements: str) -> None:
    """Execute schema statements in order, inside the caller's transaction."""
    for statement in statements:
        await db.execute(statement)


@migration
async def m001_create_meta_and_updates(db: aiosqlite.Connection) -> None:
    """Key/value settings (the polling offset) and the processed update ids."""
    await run(
        db,
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE processed_updates (
            update_id INTEGER PRIMARY KEY,
            processed_at TEXT NOT NULL
        )""",
        "CREATE INDEX processed_updates_processed_at ON processed_updates (processed_at)",
    )


@migration
async def m002_create_conversations(db: aiosqlite.Connection) -> None:
    """One row per chat with the flow state as opaque JSON."""
    await run(
        db,
        """CREATE TABLE conversations (
            chat_id INTEGER PRIMARY KEY,
            state_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            draft_updated_at TEXT
        )""",
        # Partial: most chats have no draft in progress.
        """CREATE INDEX conversations_draft_updated_at ON conversations (draft_updated_at)
            WHERE draft_updated_at IS NOT NULL""",
    )


@migration
async def m003_create_reports(db: aiosqlite.Connection) -> None:
    """Reports with personal data in plain columns (so it can be anonymised by UPDATE),
    their photos in order, and their append-only history."""
    await run(
        db,
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            status TEXT NOT NULL,
            filed_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            privacy TEXT NOT NULL,
            body TEXT NOT NULL,
            kind TEXT,
            description TEXT NOT NULL,
            reporter_user_id INTEGER NOT NULL,
            reporter_chat_id INTEGER NOT NULL,
            reporter_name TEXT NOT NULL,
            reporter_username TEXT,
            reporter_phone TEXT,
            neighbour_name TEXT,
            neighbour_phone TEXT,
            kecamatan TEXT NOT NULL,
            kelurahan TEXT NOT NULL,
            latitude REAL,
            longitude REAL,
            address TEXT,
            CHECK (neighbour_phone IS NULL OR neighbour_name IS NOT NULL)
        )""",
        "CREATE UNIQUE INDEX reports_code ON reports (code)",
        "CREATE INDEX reports_reporter_filed ON reports (reporter_user_id, filed_at)",
        "CREATE INDEX reports_body_status ON reports (body, status)",
        "CREATE INDEX reports_status_filed ON reports (status, filed_at)",
        """CREATE TABLE report_photos (
            report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            file_id TEXT NOT NULL,
            PRIMARY KEY (report_id, position)
        ) WITHOUT ROWID""",
        """CREATE TABLE report_history (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            note TEXT
        )""",
        "CREATE INDEX report_history_report ON report_history (report_id, id)",
    )


@migration
async def m004_create_outbox(db: aiosqlite.Connection) -> None:
    """Durable outgoing messages, links from sent messages to reports, blocked chats."""
    await run(
        db,
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            payload TEXT NOT NULL,
            purpose TEXT NOT NULL,
            report_id INTEGER REFERENCES reports (id) ON DELETE SET NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            finished_at TEXT,
            telegram_message_id INTEGER,
            last_error TEXT
        )""",
        # The head of each chat's queue is min(id) per chat among pending rows.
        "CREATE INDEX outbox_state_chat ON outbox (state, chat_id, id)",
        "CREATE INDEX outbox_state_finished ON outbox (state, finished_at)",
        """CREATE TABLE message_links (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            purpose TEXT NOT NULL,
            UNIQUE (chat_id, message_id)
        )""",
        "CREATE INDEX message_links_report ON message_links (report_id, purpose)",
        """CREATE TABLE blocked_chats (
            chat_id INTEGER PRIMARY KEY,
            blocked_at TEXT NOT NULL
        )""",
    )


@migration
async def m005_create_supporters_and_routing_examples(db: aiosqlite.Connection) -> None:
    """Residents following another's report; officers' routing decisions as examples."""
    await run(
        db,
        """CREATE TABLE report_supporters (
            report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            supported_at TEXT NOT NULL,
            PRIMARY KEY (report_id, user_id)
        )""",
        """CREATE TABLE routing_examples (
            id INTEGER PRIMARY KEY,
            report_id INTEGER REFERENCES reports (id) ON DELETE SET NULL,
            text TEXT NOT NULL,
            body TEXT NOT NULL,
            added_at TEXT NOT NULL
        )""",
        "CREATE INDEX reports_place_body ON reports (kelurahan, body, status, filed_at)",
    )


@migration
async def m006_add_progress_history_kinds_reminders_kaders(db: aiosqlite.Connection) -> None:
    """Officers' work: lifecycle timestamps, kinds of history lines (internal notes are
    not public), reminders already sent, and the kader registry."""
    columns = (
        "verified_at TEXT",
        "first_answer_at TEXT",
        "decided_at TEXT",
        "reject_reason TEXT",
        "duplicate_of TEXT",
        "followup_due_at TEXT",
        "followup_asked_at TEXT",
        "followup_answer TEXT",
        "rating INTEGER",
        "kader_verified INTEGER NOT NULL DEFAULT 0",
    )
    await run(db, *(f"ALTER TABLE reports ADD COLUMN {column}" for column in columns))
    await run(
        db,
        "ALTER TABLE report_history ADD COLUMN kind TEXT NOT NULL DEFAULT 'status'",
        "ALTER TABLE report_history ADD COLUMN public INTEGER NOT NULL DEFAULT 1",
        "CREATE INDEX reports_followup ON reports (status, followup_due_at)",
        """CREATE TABLE reminders_sent (
            report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            deadline TEXT NOT NULL,
            level TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (report_id, deadline, level)
        )""",
        """CREATE TABLE kader_invites (
            token TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kelurahan TEXT NOT NULL,
            created_by INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            used_by INTEGER,
            used_at TEXT
        )""",
        """CREATE TABLE kaders (
            user_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kelurahan TEXT NOT NULL,
            verified_at TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1
        )""",
    )


@migration
async def m007_create_leases(db: aiosqlite.Connection) -> None:
    """Leases: which process may do a job that only one may do at a time (the sender)."""
    await run(
        db,
        """CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )""",
    )


@migration
async def m008_index_queues_reminders_retention(db: aiosqlite.Connection) -> None:
    """Indexes for the officers' and housekeeping queries at a million reports.

    `reports_open` and `reports_live` are partial: a query uses them only if its WHERE
    repeats the index's condition word for word (`storage.queries.officers.OPEN`,
    `reporter_user_id <> 0` in `storage.sqlite_overrides`).
    """
    await run(
        db,
        # Open queues (ORDER BY filed_at, id) and the monthly report (a filed_at range).
        "CREATE INDEX reports_filed ON reports (filed_at)",
        "CREATE INDEX reports_body_filed ON reports (body, filed_at)",
        # The reminders pass pages through the open reports by id.
        """CREATE INDEX reports_open ON reports (id)
            WHERE status NOT IN ('selesai', 'ditolak', 'duplikat')""",
        # Solved reports whose reporter has not been asked yet: a handful, not all.
        """CREATE INDEX reports_followup_pending ON reports (status, followup_due_at)
            WHERE followup_asked_at IS NULL""",
        # Reports still holding personal data, for retention.
        "CREATE INDEX reports_live ON reports (decided_at) WHERE reporter_user_id <> 0",
    )


@migration
async def m009_create_dead_letters(db: aiosqlite.Connection) -> None:
    """Updates that failed: attempts counted, then given up on (`dead_at`) and passed.
    No personal data (`storage.queries.dead_letters`)."""
    await run(
        db,
        """CREATE TABLE dead_letters (
            update_id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            chat_id INTEGER,
            error TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            first_failed_at TEXT NOT NULL,
            last_failed_at TEXT NOT NULL,
            dead_at TEXT
        )""",
        "CREATE INDEX dead_letters_dead_at ON dead_letters (dead_at) WHERE dead_at IS NOT NULL",
        "CREATE INDEX dead_letters_last_failed_at ON dead_letters (last_failed_at)",
    )


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


# -- applying ---------------------------------------------------------------------------


async def apply_migrations(
    conn: aiosqlite.Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[str]:
    """Apply the migrations this file has not seen, each in its own transaction
    (`storage.migrate`). Returns the names applied now. This writes."""
    return await migrate.apply_migrations(SqliteMigrations(conn), migrations)
