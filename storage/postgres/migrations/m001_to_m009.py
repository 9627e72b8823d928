"""PostgreSQL migrations m001 to m009, named as SQLite's (`storage.migrations.m001_to_m009`):
the first tables, the queues' indexes and dead letters. Applied ones are never edited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.postgres.migrations.base import Migration, registrar, run

if TYPE_CHECKING:
    from storage.postgres.core import Connection

MIGRATIONS: list[Migration] = []
"""This module's migrations, in order."""
migration = registrar(MIGRATIONS)


@migration
async def m001_create_meta_and_updates(conn: Connection) -> None:
    """Key/value settings (the polling offset) and the processed update ids."""
    await run(
        conn,
        "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL)",
        """CREATE TABLE processed_updates (
            update_id bigint PRIMARY KEY,
            processed_at timestamptz NOT NULL
        )""",
        "CREATE INDEX processed_updates_processed_at ON processed_updates (processed_at)",
    )


@migration
async def m002_create_conversations(conn: Connection) -> None:
    """One row per chat with the flow state as opaque JSON (text: kept byte for byte)."""
    await run(
        conn,
        """CREATE TABLE conversations (
            chat_id bigint PRIMARY KEY,
            state_json text NOT NULL,
            updated_at timestamptz NOT NULL,
            draft_updated_at timestamptz
        )""",
        """CREATE INDEX conversations_draft_updated_at ON conversations (draft_updated_at)
            WHERE draft_updated_at IS NOT NULL""",
    )


@migration
async def m003_create_reports(conn: Connection) -> None:
    """Reports with personal data in plain columns, their photos, their history."""
    await run(
        conn,
        """CREATE TABLE reports (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            code text NOT NULL,
            status text NOT NULL,
            filed_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            privacy text NOT NULL,
            body text NOT NULL,
            kind text,
            description text NOT NULL,
            reporter_user_id bigint NOT NULL,
            reporter_chat_id bigint NOT NULL,
            reporter_name text NOT NULL,
            reporter_username text,
            reporter_phone text,
            neighbour_name text,
            neighbour_phone text,
            kecamatan text NOT NULL,
            kelurahan text NOT NULL,
            latitude double precision,
            longitude double precision,
            address text,
            CHECK (neighbour_phone IS NULL OR neighbour_name IS NOT NULL)
        )""",
        "CREATE UNIQUE INDEX reports_code ON reports (code)",
        "CREATE INDEX reports_reporter_filed ON reports (reporter_user_id, filed_at)",
        "CREATE INDEX reports_body_status ON reports (body, status)",
        "CREATE INDEX reports_status_filed ON reports (status, filed_at)",
        """CREATE TABLE report_photos (
            report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            position integer NOT NULL,
            file_id text NOT NULL,
            PRIMARY KEY (report_id, position)
        )""",
        """CREATE TABLE report_history (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            from_status text,
            to_status text NOT NULL,
            note text
        )""",
        "CREATE INDEX report_history_report ON report_history (report_id, id)",
    )


@migration
async def m004_create_outbox(conn: Connection) -> None:
    """Durable outgoing messages, links from sent messages to reports, blocked chats."""
    await run(
        conn,
        """CREATE TABLE outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            chat_id bigint NOT NULL,
            payload text NOT NULL,
            purpose text NOT NULL,
            report_id bigint REFERENCES reports (id) ON DELETE SET NULL,
            state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
            attempts integer NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            finished_at timestamptz,
            telegram_message_id bigint,
            last_error text
        )""",
        "CREATE INDEX outbox_state_chat ON outbox (state, chat_id, id)",
        "CREATE INDEX outbox_state_finished ON outbox (state, finished_at)",
        """CREATE TABLE message_links (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            chat_id bigint NOT NULL,
            message_id bigint NOT NULL,
            report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            purpose text NOT NULL,
            UNIQUE (chat_id, message_id)
        )""",
        "CREATE INDEX message_links_report ON message_links (report_id, purpose)",
        """CREATE TABLE blocked_chats (
            chat_id bigint PRIMARY KEY,
            blocked_at timestamptz NOT NULL
        )""",
    )


@migration
async def m005_create_supporters_and_routing_examples(conn: Connection) -> None:
    """Residents following another's report; officers' routing decisions as examples."""
    await run(
        conn,
        """CREATE TABLE report_supporters (
            report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            user_id bigint NOT NULL,
            chat_id bigint NOT NULL,
            supported_at timestamptz NOT NULL,
            PRIMARY KEY (report_id, user_id)
        )""",
        """CREATE TABLE routing_examples (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            report_id bigint REFERENCES reports (id) ON DELETE SET NULL,
            text text NOT NULL,
            body text NOT NULL,
            added_at timestamptz NOT NULL
        )""",
        "CREATE INDEX reports_place_body ON reports (kelurahan, body, status, filed_at)",
    )


@migration
async def m006_add_progress_history_kinds_reminders_kaders(conn: Connection) -> None:
    """Officers' work: lifecycle timestamps, kinds of history lines, reminders already
    sent, and the kader registry."""
    columns = (
        "verified_at timestamptz",
        "first_answer_at timestamptz",
        "decided_at timestamptz",
        "reject_reason text",
        "duplicate_of text",
        "followup_due_at timestamptz",
        "followup_asked_at timestamptz",
        "followup_answer text",
        "rating integer",
        "kader_verified boolean NOT NULL DEFAULT false",
    )
    await run(
        conn,
        "ALTER TABLE reports " + ", ".join(f"ADD COLUMN {column}" for column in columns),
        "ALTER TABLE report_history ADD COLUMN kind text NOT NULL DEFAULT 'status', "
        "ADD COLUMN public boolean NOT NULL DEFAULT true",
        "CREATE INDEX reports_followup ON reports (status, followup_due_at)",
        """CREATE TABLE reminders_sent (
            report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            deadline text NOT NULL,
            level text NOT NULL,
            sent_at timestamptz NOT NULL,
            PRIMARY KEY (report_id, deadline, level)
        )""",
        """CREATE TABLE kader_invites (
            token text PRIMARY KEY,
            name text NOT NULL,
            kelurahan text NOT NULL,
            created_by bigint NOT NULL,
            created_at timestamptz NOT NULL,
            used_by bigint,
            used_at timestamptz
        )""",
        """CREATE TABLE kaders (
            user_id bigint PRIMARY KEY,
            name text NOT NULL,
            kelurahan text NOT NULL,
            verified_at timestamptz NOT NULL,
            active boolean NOT NULL DEFAULT true
        )""",
    )


@migration
async def m007_create_leases(conn: Connection) -> None:
    """Leases: which process may do a job that only one may do at a time (the sender)."""
    await run(
        conn,
        """CREATE TABLE leases (
            name text PRIMARY KEY,
            holder text NOT NULL,
            expires_at timestamptz NOT NULL
        )""",
    )


@migration
async def m008_index_queues_reminders_retention(conn: Connection) -> None:
    """Indexes for the officers' and housekeeping queries at a million reports.

    `reports_open` and `reports_live` are partial: a query uses them only if its WHERE
    implies the index's condition, so the queries repeat it as a literal
    (`storage.queries.officers.OPEN`, `reporter_user_id <> 0`); a bound parameter
    would not do with a generic plan.
    """
    await run(
        conn,
        # Open queues (ORDER BY filed_at, id) and the monthly report (a filed_at range).
        "CREATE INDEX reports_filed ON reports (filed_at, id)",
        "CREATE INDEX reports_body_filed ON reports (body, filed_at, id)",
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
async def m009_create_dead_letters(conn: Connection) -> None:
    """Updates that failed: attempts counted, then given up on (`dead_at`) and passed.
    No personal data (`storage.queries.dead_letters`)."""
    await run(
        conn,
        """CREATE TABLE dead_letters (
            update_id bigint PRIMARY KEY,
            kind text NOT NULL,
            chat_id bigint,
            error text NOT NULL,
            attempts integer NOT NULL,
            first_failed_at timestamptz NOT NULL,
            last_failed_at timestamptz NOT NULL,
            dead_at timestamptz
        )""",
        "CREATE INDEX dead_letters_dead_at ON dead_letters (dead_at) WHERE dead_at IS NOT NULL",
        "CREATE INDEX dead_letters_last_failed_at ON dead_letters (last_failed_at)",
    )
