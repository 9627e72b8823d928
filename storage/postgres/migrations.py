"""The PostgreSQL schema: the same named migrations as SQLite's, in PostgreSQL's DDL.

A database goes through the same history as a SQLite file (`storage.migrations`):
m001... in order, each in one transaction with its row in ``migrations``. Where SQLite
stores text timestamps and 0/1, PostgreSQL has ``timestamptz`` and ``boolean``; ids are
identity columns and Telegram ids ``bigint``. To change the schema, append a function
here *and* one with the same name to `storage.migrations`; never edit applied ones.

Several processes may open a new database at once: every migration transaction first
takes one advisory lock (`pg_advisory_xact_lock`), then re-checks what is applied, so
each migration runs exactly once and the others wait for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from storage import migrate
from storage.postgres.migrate import PostgresMigrations
from storage.proposals import MIGRATION_BATCH, PROPOSAL_SOURCE, proposal_of

if TYPE_CHECKING:
    from storage.postgres.core import Connection

Migration = Callable[["Connection"], Awaitable[None]]

MIGRATIONS: list[Migration] = []
"""Every migration of this version, in order. Copy it to extend it (tests do)."""


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration; its ``__name__`` is its permanent name."""
    MIGRATIONS.append(fn)
    return fn


async def run(conn: Connection, *statements: str) -> None:
    """Execute schema statements in order, inside the caller's transaction."""
    for statement in statements:
        await conn.execute(statement)


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


@migration
async def m010_card_copies_and_held_relays(conn: Connection) -> None:
    """Every message showing a report tracks it: the parts of one message are told
    apart from another copy of it (`first_part`: the outbox id of the message's first
    part), and the outbox is searchable by report (erasure, a card's chats, a
    resident's relays). Residents' messages to officers beyond the rate limit wait in
    `held_relays`."""
    await run(
        conn,
        "ALTER TABLE outbox ADD COLUMN first_part bigint",
        "ALTER TABLE message_links ADD COLUMN first_part bigint",
        "CREATE INDEX outbox_report ON outbox (report_id, purpose, created_at)",
        """CREATE TABLE held_relays (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            text text NOT NULL,
            photo text,
            held_at timestamptz NOT NULL
        )""",
        "CREATE INDEX held_relays_report ON held_relays (report_id, id)",
    )


@migration
async def m011_privacy_protections(conn: Connection) -> None:
    """Anonim and rahasia become independent protections, and reports get a public text.

    Existing rahasia reports hid the reporter too: they become anonim + rahasia (and so
    do drafts in progress). Every other report gets its masked proposed public text
    (`flows.public_view.propose_public_text`); none is public until an officer
    approves it (`public_at`), and no photo is public (`photos_public`).
    """
    await run(
        conn,
        "ALTER TABLE reports ADD COLUMN public_text text",
        "ALTER TABLE reports ADD COLUMN public_at timestamptz",
        "ALTER TABLE reports ADD COLUMN photos_public boolean NOT NULL DEFAULT false",
        "UPDATE reports SET privacy = 'anonim_rahasia' WHERE privacy = 'rahasia'",
        """UPDATE conversations
            SET state_json =
                jsonb_set(state_json::jsonb, '{draft,privacy}', '"anonim_rahasia"')::text
            WHERE state_json::jsonb #>> '{draft,privacy}' = 'rahasia'""",
    )
    after = 0
    while True:
        rows = await conn.fetch(
            f"SELECT {PROPOSAL_SOURCE} FROM reports WHERE id > $1 AND privacy IN "  # noqa: S608
            "('biasa', 'anonim') ORDER BY id LIMIT $2",
            after,
            MIGRATION_BATCH,
        )
        if not rows:
            return
        await conn.executemany(
            "UPDATE reports SET public_text = $1 WHERE id = $2",
            [(proposal_of(tuple(row)), row[0]) for row in rows],
        )
        after = int(rows[-1][0])


@migration
async def m012_board_indexes(conn: Connection) -> None:
    """The public board's filters and map: reports of a kecamatan by filing time
    (kelurahan, body and status already have theirs), and the reports the map may show,
    newest first (the condition word for word as `storage.queries.public` writes it, so
    that SQLite can prove the partial index applies)."""
    await run(
        conn,
        "CREATE INDEX reports_kecamatan_filed ON reports (kecamatan, filed_at)",
        "CREATE INDEX reports_public_map ON reports (filed_at, id) "
        "WHERE public_at IS NOT NULL AND latitude IS NOT NULL AND longitude IS NOT NULL",
    )


@migration
async def m013_outbox_lanes(conn: Connection) -> None:
    """A priority lane per outgoing message: answers to whoever just acted go first.

    Messages queued before this version keep lane 1 (notifications), so they neither
    jump ahead of new answers nor wait behind new cards.
    """
    await run(conn, "ALTER TABLE outbox ADD COLUMN lane smallint NOT NULL DEFAULT 1")


@migration
async def m014_report_ends(conn: Connection) -> None:
    """Reports that end handed over to an outside body (dilimpahkan) or withdrawn by
    their reporter (dicabut): a note for each (`end_note`: the reporter's reason, the
    officer's note on a handover), and both are closed, so the partial index of the open
    reports leaves them out (its condition word for word `storage.queries.officers.OPEN`).
    """
    await run(
        conn,
        "ALTER TABLE reports ADD COLUMN end_note text",
        "DROP INDEX reports_open",
        """CREATE INDEX reports_open ON reports (id)
            WHERE status NOT IN ('selesai', 'ditolak', 'duplikat', 'dilimpahkan', 'dicabut')""",
    )


@migration
async def m015_closing(conn: Connection) -> None:
    """Closing with evidence and the Ombudsman route: what the officers said they did
    when they closed a report (a note, an "after" photo; `state` is "pending" while a
    central verifier has not confirmed it, then "confirmed"), and the one notice per
    report telling the reporter of her right to complain to the Ombudsman."""
    await run(
        conn,
        """CREATE TABLE closings (
            report_id bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
            note text NOT NULL,
            photo text,
            unit text NOT NULL,
            actor text NOT NULL,
            said_at timestamptz NOT NULL,
            state text NOT NULL
        )""",
        """CREATE TABLE ombudsman_notices (
            report_id bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
            reason text NOT NULL,
            told_at timestamptz NOT NULL
        )""",
    )


@migration
async def m016_learning(conn: Connection) -> None:
    """What officers teach the classifier, numbered: the kinds of problem they corrected
    (`kind_examples`, beside the bodies in `routing_examples`), and one counter of
    lessons (`learning_version`) that every worker compares with what it has learned.

    Each lesson takes the next number under the counter row's lock, so numbers are
    committed in order and "every lesson up to the counter" is a consistent read.
    """
    await run(
        conn,
        """CREATE TABLE kind_examples (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            report_id bigint REFERENCES reports (id) ON DELETE SET NULL,
            text text NOT NULL,
            kind text NOT NULL,
            added_at timestamptz NOT NULL,
            version bigint NOT NULL
        )""",
        "ALTER TABLE routing_examples ADD COLUMN version bigint NOT NULL DEFAULT 0",
        "UPDATE routing_examples SET version = id",
        "CREATE INDEX routing_examples_version ON routing_examples (version)",
        "CREATE INDEX kind_examples_version ON kind_examples (version)",
        """CREATE TABLE learning_version (
            id smallint PRIMARY KEY CHECK (id = 1),
            version bigint NOT NULL
        )""",
        "INSERT INTO learning_version (id, version) "
        "SELECT 1, COALESCE(MAX(id), 0) FROM routing_examples",
    )


@migration
async def m017_evidence(conn: Connection) -> None:
    """Evidence beyond photos (`flows.evidence`): voice notes, videos, video notes and
    files, kept by Telegram file id in the order sent, with kind, size and duration.
    Deleted with the reporter's data (erasure, retention)."""
    await run(
        conn,
        """CREATE TABLE report_evidence (
            report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            position integer NOT NULL,
            kind text NOT NULL,
            file_id text NOT NULL,
            size bigint,
            duration integer,
            mime_type text,
            PRIMARY KEY (report_id, position)
        )""",
    )


@migration
async def m019_surge(conn: Connection) -> None:
    """Honest backpressure (`flows.backlog`): the chats told the bot is busy in their
    current backlog, one row each until their queue is found empty."""
    await run(
        conn,
        """CREATE TABLE backlog_notices (
            chat_id bigint PRIMARY KEY,
            noticed_at timestamptz NOT NULL
        )""",
    )


# -- applying ---------------------------------------------------------------------------


async def apply_migrations(
    conn: Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[str]:
    """Apply the migrations this database has not seen, each in its own transaction
    (`storage.migrate`; see the module docstring for the lock). Returns the names
    applied now. This writes."""
    return await migrate.apply_migrations(PostgresMigrations(conn), migrations)
