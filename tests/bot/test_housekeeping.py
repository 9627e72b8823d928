"""Housekeeping on a real SQLite file: reminders of every open report however many,
every due follow-up, retention, and pruning the outbox without losing what replies to
cards need."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.desk import HOUSEKEEPING_BATCH, OUTBOX_KEEP, REMINDER_PAGE, Desk
from bot.runner import office_of
from flows.codes import format_code
from flows.report import Status
from storage import open_store
from storage.base import Store, Transaction
from storage.sqlite_privacy import ERASED
from suara_warga.config import Config
from tests.storage.helpers import SITI, fetch, make_report

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Cilegon
DAY = timedelta(days=1)
CENTRAL_CHAT = -100777
DLH_CHAT = -100888
DLH_OFFICER = 9002
RETENTION = timedelta(days=365)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(tmp_path / "suara-warga.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def desk(store: Store) -> Desk:
    config = Config(
        telegram={"admin_chat_id": CENTRAL_CHAT},
        officers={"opd": {"dlh": {"chat_id": DLH_CHAT, "officers": [DLH_OFFICER]}}},
    )
    return Desk(store, config.rules(), office_of(config, NOW), clock=lambda: NOW)


async def file_report(tx: Transaction, number: int, filed_at: datetime, **changes: Any) -> int:
    new = make_report(format_code(number), filed_at=filed_at, body="dlh", photos=(), **changes)
    return (await tx.insert_report(new)).id


async def close(tx: Transaction, report_id: int, status: Status, decided_at: datetime) -> None:
    await tx.set_status(report_id, status, actor="petugas:1", at=decided_at)
    await tx.stamp(report_id, "decided_at", decided_at)


async def outbox(store: Store, purpose: str) -> list[tuple[Any, ...]]:
    return await fetch(
        store, "SELECT report_id, chat_id FROM outbox WHERE purpose = ? ORDER BY id", (purpose,)
    )


async def test_a_report_behind_a_thousand_open_ones_gets_its_reminders(
    store: Store, desk: Desk
) -> None:
    # A backlog as old as the city's: every deadline missed and escalated long ago.
    backlog = REMINDER_PAGE
    async with store.transaction() as tx:
        for number in range(backlog):
            report_id = await file_report(tx, number, NOW - 100 * DAY)
            for kind in ("verifikasi", "jawaban", "keputusan"):
                await tx.claim_reminder(report_id, kind, "terlambat", NOW - 30 * DAY)
        # Filed after all of them; its answer is due within the day, its check is late.
        newest = await file_report(tx, backlog, NOW - 13 * DAY - timedelta(hours=2))

    assert await desk.send_reminders(NOW) == 2

    assert await outbox(store, "reminder") == [(newest, CENTRAL_CHAT), (newest, DLH_CHAT)]
    async with store.transaction() as tx:
        assert await tx.reminders_sent([newest]) == {
            newest: {("verifikasi", "terlambat"), ("jawaban", "pengingat")}
        }
    assert await desk.send_reminders(NOW + timedelta(minutes=10)) == 0  # never twice


async def test_a_report_closed_after_it_was_picked_gets_no_reminder(
    store: Store, desk: Desk
) -> None:
    async with store.transaction() as tx:
        report_id = await file_report(tx, 1, NOW - 20 * DAY)
        await close(tx, report_id, Status.SELESAI, NOW - DAY)

    async with store.transaction() as tx:
        assert await desk.work.send_reminders(tx, [report_id], NOW) == (0, 0)

    assert await outbox(store, "reminder") == []


async def test_every_due_followup_is_asked_in_one_pass(store: Store, desk: Desk) -> None:
    solved = HOUSEKEEPING_BATCH + 50
    async with store.transaction() as tx:
        for number in range(solved):
            report_id = await file_report(tx, number, NOW - 10 * DAY)
            await close(tx, report_id, Status.SELESAI, NOW - 5 * DAY)
            await tx.stamp(report_id, "followup_due_at", NOW - 2 * DAY)

    _, followups = await desk.housekeeping(RETENTION)

    assert followups == solved
    assert len(await outbox(store, "followup")) == solved
    async with store.transaction() as tx:
        assert await tx.due_followups(NOW) == []


async def test_retention_anonymises_every_report_past_it_in_one_pass(
    store: Store, desk: Desk
) -> None:
    past = 2 * HOUSEKEEPING_BATCH + 10
    async with store.transaction() as tx:
        for number in range(past):
            report_id = await file_report(tx, number, NOW - 500 * DAY)
            await close(tx, report_id, Status.DITOLAK, NOW - RETENTION - DAY)
        kept = await file_report(tx, past, NOW - 500 * DAY)
        await close(tx, kept, Status.SELESAI, NOW - RETENTION + DAY)

    await desk.housekeeping(RETENTION)

    names = await fetch(store, "SELECT reporter_name, count(*) FROM reports GROUP BY 1")
    assert sorted(names) == sorted([(ERASED, past), (SITI.name, 1)])
    assert len(await outbox(store, "card_edit")) == past  # each card shows it anonymised


async def test_pruning_keeps_pending_messages_and_replies_to_old_cards_work(
    store: Store, desk: Desk
) -> None:
    long_ago = NOW - OUTBOX_KEEP - DAY
    async with store.transaction() as tx:
        report_id = await file_report(tx, 1, long_ago)
        card = await tx.enqueue(DLH_CHAT, "{}", now=long_ago, report_id=report_id, purpose="card")
        await tx.mark_sent(card, telegram_message_id=77, now=long_ago)
        failed = await tx.enqueue(4004, "{}", now=long_ago)
        await tx.mark_failed(failed, error="400", now=long_ago)
        pending = await tx.enqueue(5005, "{}", now=long_ago)
        recent = await tx.enqueue(SITI.chat_id, "{}", now=NOW - DAY, report_id=report_id)
        await tx.mark_sent(recent, telegram_message_id=12, now=NOW - DAY)

    await desk.housekeeping(RETENTION)

    kept = await fetch(store, "SELECT id FROM outbox WHERE id <= ? ORDER BY id", (recent,))
    assert kept == [(pending,), (recent,)]
    async with store.transaction() as tx:
        assert await tx.report_for_message(DLH_CHAT, 77) == (report_id, "card")
        assert await tx.messages_for_report(report_id, "card") == [(DLH_CHAT, 77)]

    await desk.message(DLH_CHAT, DLH_OFFICER, "Andi", 77, "Sudah kami angkut.", None, None)

    assert await outbox(store, "officer_reply") == [(report_id, SITI.chat_id)]
