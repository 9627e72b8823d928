"""SQLite migrations m001 to m009: the first tables (updates, conversations, reports,
the outbox, supporters and routing examples, progress and history, leases), the
queues' indexes and dead letters. Applied migrations are never edited."""

from __future__ import annotations

import aiosqlite

from storage.migrations.base import Migration, registrar, run

MIGRATIONS: list[Migration] = []
"""This module's migrations, in order."""
migration = registrar(MIGRATIONS)


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
