"""PostgreSQL migrations from m010 on, named as SQLite's (`storage.migrations.m010_onward`).

A new migration is appended at the end of this module, and one with the same name at
the end of `storage.migrations.m010_onward`; applied ones are never edited or reordered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.postgres.migrations.base import Migration, registrar, run
from storage.proposals import MIGRATION_BATCH, PROPOSAL_SOURCE, proposal_of

if TYPE_CHECKING:
    from storage.postgres.core import Connection

MIGRATIONS: list[Migration] = []
"""This module's migrations, in order."""
migration = registrar(MIGRATIONS)


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


@migration
async def m020_pg_round_trips(conn: Connection) -> None:
    """Two functions that each do in one round trip what took several
    (`storage.postgres.steps`):

    * `sw_claim_open_chat`: claim a resident's update; if claimed, unblock her chat,
      lock it (``pg_advisory_xact_lock``) and read her queue and conversation (what
      `open_chat` reads). VOLATILE PL/pgSQL under READ COMMITTED: each statement takes
      a fresh snapshot, so the read after the lock sees what its previous holder
      committed.
    * `sw_save_step`: queue a step's answers to her chat (the parts of each message
      naming the first, failed at once if the chat is blocked, the sender notified)
      and save her conversation.

    No table changes; SQLite's twin does nothing."""
    await run(
        conn,
        """CREATE FUNCTION sw_claim_open_chat(p_update bigint, p_now timestamptz, p_chat bigint)
        RETURNS TABLE (claimed boolean, queued bigint, oldest timestamptz, told boolean,
                       state_json text)
        LANGUAGE plpgsql VOLATILE AS $$
        #variable_conflict use_column
        BEGIN
            INSERT INTO processed_updates (update_id, processed_at) VALUES (p_update, p_now)
            ON CONFLICT (update_id) DO NOTHING;
            IF NOT FOUND THEN
                RETURN QUERY SELECT false, 0::bigint, NULL::timestamptz, false, NULL::text;
                RETURN;
            END IF;
            DELETE FROM blocked_chats b WHERE b.chat_id = p_chat;
            PERFORM pg_advisory_xact_lock(p_chat);
            -- A new statement, a new snapshot: taken after the lock is held.
            RETURN QUERY SELECT true, count(*), min(o.created_at),
                EXISTS (SELECT 1 FROM backlog_notices n WHERE n.chat_id = p_chat),
                (SELECT c.state_json FROM conversations c WHERE c.chat_id = p_chat)
            FROM outbox o WHERE o.state = 'pending' AND o.chat_id = p_chat;
        END
        $$""",
        """CREATE FUNCTION sw_save_step(
            p_chat bigint, p_state text, p_updated timestamptz, p_draft timestamptz,
            p_payloads text[], p_starts boolean[], p_purpose text, p_lane smallint,
            p_now timestamptz, p_blocked_error text, p_channel text, p_notify_as text)
        RETURNS void
        LANGUAGE plpgsql VOLATILE AS $$
        #variable_conflict use_column
        DECLARE
            blocked boolean;
            first_id bigint;
            new_id bigint;
        BEGIN
            IF cardinality(p_payloads) > 0 THEN
                blocked := EXISTS (SELECT 1 FROM blocked_chats b WHERE b.chat_id = p_chat);
                FOR i IN 1 .. cardinality(p_payloads) LOOP
                    INSERT INTO outbox (chat_id, payload, purpose, report_id, lane,
                        first_part, state, created_at, next_attempt_at, finished_at,
                        last_error)
                    VALUES (p_chat, p_payloads[i], p_purpose, NULL, p_lane,
                        CASE WHEN p_starts[i] THEN NULL ELSE first_id END,
                        CASE WHEN blocked THEN 'failed' ELSE 'pending' END, p_now, p_now,
                        CASE WHEN blocked THEN p_now END,
                        CASE WHEN blocked THEN p_blocked_error END)
                    RETURNING id INTO new_id;
                    IF p_starts[i] THEN
                        first_id := new_id;
                    END IF;
                END LOOP;
                PERFORM pg_notify(p_channel, p_notify_as);
            END IF;
            INSERT INTO conversations (chat_id, state_json, updated_at, draft_updated_at)
            VALUES (p_chat, p_state, p_updated, p_draft)
            ON CONFLICT (chat_id) DO UPDATE SET state_json = excluded.state_json,
                updated_at = excluded.updated_at,
                draft_updated_at = excluded.draft_updated_at;
        END
        $$""",
    )


@migration
async def m021_former_supporters(conn: Connection) -> None:
    """Retention forgets who supported a report and keeps how many did
    (`storage.queries.erasure`)."""
    await run(conn, "ALTER TABLE reports ADD COLUMN former_supporters integer NOT NULL DEFAULT 0")
