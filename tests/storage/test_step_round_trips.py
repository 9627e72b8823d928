"""A resident's step at both ends: the claim with `open_chat`, and `save_step` (each one
round trip on PostgreSQL, `storage.postgres.steps`), with the shared behaviour; and the
store's own `mark_sent` (one statement in autocommit on PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from itertools import count

import pytest

from storage.base import Store, Transaction
from storage.errors import NotFoundError, StorageError
from storage.postgres import PostgresStore
from tests.factories import NOW, make_report
from tests.storage.helpers import fetch

CHAT = 1001


async def save(
    tx: Transaction,
    state_json: str,
    replies: Sequence[Sequence[str]],
    *,
    draft: bool = False,
    lane: int = 0,
) -> None:
    """A step of `CHAT` saved at NOW with its answers (purpose "reply")."""
    await tx.save_step(
        CHAT,
        state_json,
        updated_at=NOW,
        draft_updated_at=NOW if draft else None,
        replies=replies,
        purpose="reply",
        lane=lane,
        now=NOW,
    )


async def test_open_chat_after_the_claim_reads_her_queue_and_conversation(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.enqueue(CHAT, "waiting", now=NOW)
        await tx.save_conversation(CHAT, '{"a": 1}', updated_at=NOW, draft_updated_at=None)

    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW)
        queue, state = await tx.open_chat(CHAT)
    assert (queue.queued, queue.oldest, queue.told, state) == (1, NOW, False, '{"a": 1}')


async def test_open_chat_after_another_statement_reads_again(db: Store) -> None:
    """What the claim read is not reused once the transaction changed something."""
    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW)
        await tx.enqueue(CHAT, "busy notice", now=NOW)
        await tx.save_conversation(CHAT, '{"b": 2}', updated_at=NOW, draft_updated_at=None)
        queue, state = await tx.open_chat(CHAT)
    assert (queue.queued, state) == (1, '{"b": 2}')


async def test_open_chat_of_another_chat_is_its_own(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.save_conversation(CHAT + 1, '{"c": 3}', updated_at=NOW, draft_updated_at=None)
    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW)
        queue, state = await tx.open_chat(CHAT + 1)
    assert (queue.queued, state) == (0, '{"c": 3}')


async def test_save_step_queues_her_answers_in_order_then_saves(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW)
        await save(
            tx,
            '{"d": 4}',
            [["one"], ["two, part 1", "two, part 2", "two, part 3"], ["three"]],
            draft=True,
        )
    rows = await fetch(
        db,
        "SELECT id, payload, purpose, lane, first_part, state FROM outbox "
        "WHERE chat_id = ? ORDER BY id",
        (CHAT,),
    )
    ids = [row[0] for row in rows]
    assert [row[1:] for row in rows] == [
        ("one", "reply", 0, None, "pending"),
        ("two, part 1", "reply", 0, None, "pending"),
        ("two, part 2", "reply", 0, ids[1], "pending"),
        ("two, part 3", "reply", 0, ids[1], "pending"),
        ("three", "reply", 0, None, "pending"),
    ]
    async with db.transaction() as tx:
        assert await tx.load_conversation(CHAT) == '{"d": 4}'
        assert await tx.stale_drafts(NOW + NOW.resolution) == [CHAT]


async def test_save_step_to_a_blocked_chat_records_her_answers_failed(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.mark_chat_blocked(CHAT, now=NOW)
    async with db.transaction() as tx:  # an expiry: no update claimed, nothing unblocked
        await save(tx, "{}", [["gone"]])
    assert await fetch(db, "SELECT payload, state, last_error FROM outbox") == [
        ("gone", "failed", "blocked")
    ]
    async with db.transaction() as tx:
        assert await tx.load_conversation(CHAT) == "{}"


async def test_save_step_without_answers_only_saves(db: Store) -> None:
    async with db.transaction() as tx:
        await save(tx, '{"e": 5}', [])
    assert await fetch(db, "SELECT count(*) FROM outbox") == [(0,)]
    async with db.transaction() as tx:
        assert await tx.load_conversation(CHAT) == '{"e": 5}'


async def test_two_processes_stepping_one_chat_lose_no_step(
    pg_db: PostgresStore, other: Store
) -> None:
    """The read that comes with the claim is taken after the chat's lock: no step of
    another process is lost, and every answer is queued once."""
    update_ids = count(1)

    async def step(store: Store) -> None:
        async with store.transaction() as tx:
            assert await tx.claim_chat_update(next(update_ids), CHAT, NOW)
            queue, saved = await tx.open_chat(CHAT)
            state = json.loads(saved or '{"steps": 0}')
            assert queue.queued == state["steps"]  # one answer per step before
            await asyncio.sleep(0)  # let the other transactions try to interleave
            state["steps"] += 1
            await save(tx, json.dumps(state), [[f"step {state['steps']}"]])

    await asyncio.gather(*(step(store) for _ in range(25) for store in (pg_db, other)))

    async with pg_db.transaction() as tx:
        assert json.loads(await tx.load_conversation(CHAT) or "{}") == {"steps": 50}
    payloads = await fetch(pg_db, "SELECT payload FROM outbox ORDER BY id")
    assert payloads == [(f"step {n}",) for n in range(1, 51)]


async def test_the_store_marks_a_message_sent_and_links_it_to_its_report(db: Store) -> None:
    """`Store.mark_sent`: the sender's record when nothing else is to be written."""
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        outbox_id = await tx.enqueue(CHAT, "filed", now=NOW, report_id=report.id, purpose="filed")
    await db.mark_sent(outbox_id, telegram_message_id=77, now=NOW)
    assert await fetch(db, "SELECT state, telegram_message_id FROM outbox") == [("sent", 77)]
    async with db.transaction() as tx:
        assert await tx.report_for_message(CHAT, 77) == (report.id, "filed")
    with pytest.raises(NotFoundError):
        await db.mark_sent(outbox_id + 1, telegram_message_id=78, now=NOW)


async def test_marks_in_a_transaction_go_together_and_are_seen_after(db: Store) -> None:
    """A batch of sent marks (the sender's records): each is marked and linked, a
    statement after them sees them, and one missing message fails the batch, which
    then leaves nothing marked."""
    async with db.transaction() as tx:
        report = await tx.insert_report(make_report())
        ids = [
            await tx.enqueue(CHAT, f"part {n}", now=NOW, report_id=report.id, purpose="filed")
            for n in range(3)
        ]
    with pytest.raises(NotFoundError):
        async with db.transaction() as tx:
            await tx.mark_sent(ids[0], telegram_message_id=70, now=NOW)
            await tx.mark_sent(ids[-1] + 1, telegram_message_id=71, now=NOW)
    assert await fetch(db, "SELECT count(*) FROM outbox WHERE state = 'sent'") == [(0,)]

    async with db.transaction() as tx:
        await tx.mark_sent(ids[0], telegram_message_id=70, now=NOW)
        await tx.mark_sent(ids[1], telegram_message_id=None, now=NOW)
        assert [m.id for m in await tx.due_messages(NOW)] == [ids[2]]
        await tx.mark_sent(ids[2], telegram_message_id=72, now=NOW + NOW.resolution)
    rows = await fetch(db, "SELECT state, telegram_message_id FROM outbox ORDER BY id")
    assert rows == [("sent", 70), ("sent", None), ("sent", 72)]
    async with db.transaction() as tx:
        assert await tx.report_for_message(CHAT, 70) == (report.id, "filed")
        assert await tx.report_for_message(CHAT, 72) == (report.id, "filed")


NASTY = "Jl. O'Neil \\ no. 5 \\' \"kutip\" \\n 100% ✓ 🌊 $1 $$ E'x'"
"""Quotes, backslashes, a dollar sign and characters beyond ASCII: sent as literals
with the COMMIT on PostgreSQL, they must come back as they were."""


async def test_what_save_step_writes_comes_back_exactly(db: Store) -> None:
    state = json.dumps({"story": NASTY}, ensure_ascii=False)
    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW)
        await save(tx, state, [[NASTY, "'"], ["\\"]], draft=True)
    rows = await fetch(db, "SELECT payload, created_at FROM outbox ORDER BY id")
    assert [row[0] for row in rows] == [NASTY, "'", "\\"]
    async with db.transaction() as tx:
        assert await tx.load_conversation(CHAT) == state
        assert [m.created_at for m in await tx.due_messages(NOW)] == [NOW]


async def test_statements_after_save_step_see_its_writes(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW)
        await save(tx, '{"f": 6}', [["answer"]])
        assert await tx.load_conversation(CHAT) == '{"f": 6}'
        queue, state = await tx.open_chat(CHAT)
        assert (queue.queued, state) == (1, '{"f": 6}')


async def test_a_unit_of_work_that_fails_after_save_step_writes_nothing(db: Store) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            assert await tx.claim_chat_update(501, CHAT, NOW)
            await save(tx, '{"g": 7}', [["answer"]])
            raise RuntimeError("the step failed after its last write")
    assert await fetch(db, "SELECT count(*) FROM outbox") == [(0,)]
    assert await fetch(db, "SELECT count(*) FROM processed_updates") == [(0,)]
    assert await fetch(db, "SELECT count(*) FROM conversations") == [(0,)]


async def test_save_step_failing_at_commit_rolls_the_unit_of_work_back(
    pg_db: PostgresStore,
) -> None:
    """On PostgreSQL the step's last write goes with the COMMIT: its error is the
    commit's, and nothing of the unit of work stays (a lane beyond smallint fails)."""
    with pytest.raises(StorageError):
        async with pg_db.transaction() as tx:
            assert await tx.claim_chat_update(501, CHAT, NOW)
            await save(tx, "{}", [["answer"]], lane=70_000)
    assert await fetch(pg_db, "SELECT count(*) FROM processed_updates") == [(0,)]
    assert await fetch(pg_db, "SELECT count(*) FROM outbox") == [(0,)]
    async with pg_db.transaction() as tx:  # the pooled connection is usable again
        assert await tx.claim_chat_update(501, CHAT, NOW)
