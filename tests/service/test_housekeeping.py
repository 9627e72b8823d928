"""Housekeeping on a real SQLite file: reminders of every open report however many (a
digest when one chat has many), every due follow-up, retention, pruning the outbox
without losing what replies to cards need, and a pass that stops when asked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from emulator.html_check import parse_html, parse_text, utf16_len
from flows.codes import format_code
from flows.deadlines import DIGEST_OVER
from flows.notices import DIGEST_LISTED
from flows.report import Status
from service.desk import Desk
from service.housekeeping import (
    HOUSEKEEPING_BATCH,
    OUTBOX_KEEP,
    REMINDER_CLAIM_BATCH,
    REMINDER_PAGE,
    Housekeeping,
)
from service.outgoing import TEXT_LIMIT, Outgoing
from storage.base import Store, Transaction
from storage.queries.privacy import ERASED
from suara_warga.config import Config
from suara_warga.launch import office_of
from tests.factories import SITI, make_report
from tests.storage.helpers import fetch

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Cilegon
DAY = timedelta(days=1)
CENTRAL_CHAT = -100777
DLH_CHAT = -100888
DLH_OFFICER = 9002
RETENTION = timedelta(days=365)
ANSWER_DUE_TOMORROW = NOW - 13 * DAY - timedelta(hours=2)  # and its check is late
ANSWER_LATE = NOW - 20 * DAY  # check and answer late


CONFIG = Config(
    telegram={"admin_chat_id": CENTRAL_CHAT},
    officers={"opd": {"dlh": {"chat_id": DLH_CHAT, "officers": [DLH_OFFICER]}}},
)


@pytest.fixture
def keeper(store: Store) -> Housekeeping:
    return Housekeeping(store, CONFIG.rules(), office_of(CONFIG, NOW), clock=lambda: NOW)


@pytest.fixture
def desk(store: Store) -> Desk:
    return Desk(store, CONFIG.rules(), office_of(CONFIG, NOW), clock=lambda: NOW)


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
    store: Store, keeper: Housekeeping
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

    assert await keeper.send_reminders(NOW) == 2

    assert await outbox(store, "reminder") == [(newest, CENTRAL_CHAT), (newest, DLH_CHAT)]
    async with store.transaction() as tx:
        assert await tx.reminders_sent([newest]) == {
            newest: {("verifikasi", "terlambat"), ("jawaban", "pengingat")}
        }
    assert await keeper.send_reminders(NOW + timedelta(minutes=10)) == 0  # never twice


async def test_a_report_closed_after_it_was_picked_gets_no_reminder(
    store: Store, keeper: Housekeeping
) -> None:
    async with store.transaction() as tx:
        report_id = await file_report(tx, 1, NOW - 20 * DAY)
        await close(tx, report_id, Status.SELESAI, NOW - DAY)

    async with store.transaction() as tx:
        assert await keeper.reminders.send_reminders(tx, [report_id], NOW) == (0, 0)

    assert await outbox(store, "reminder") == []


async def file_reports(store: Store, count: int, filed_at: datetime, first: int = 0) -> list[int]:
    async with store.transaction() as tx:
        return [await file_report(tx, number, filed_at) for number in range(first, first + count)]


async def digests(store: Store) -> list[tuple[int, str]]:
    """(chat, text) of every digest part queued, in order."""
    rows = await fetch(
        store,
        "SELECT chat_id, payload, report_id FROM outbox WHERE purpose = 'reminder_digest' "
        "ORDER BY id",
    )
    assert all(report_id is None for _, _, report_id in rows)  # replying answers nobody
    return [(chat, Outgoing.from_json(payload).text) for chat, payload, _ in rows]


async def claimed(store: Store, report_ids: list[int]) -> dict[int, set[tuple[str, str]]]:
    async with store.transaction() as tx:
        return await tx.reminders_sent(report_ids)


async def test_many_reminders_for_one_chat_come_as_one_digest(
    store: Store, keeper: Housekeeping
) -> None:
    escalations: list[None] = []
    keeper.on_escalation = lambda: escalations.append(None)
    many = DIGEST_OVER + 27
    report_ids = await file_reports(store, many, ANSWER_DUE_TOMORROW)

    assert await keeper.send_reminders(NOW) == 2 * many

    assert await outbox(store, "reminder") == []
    sent = await digests(store)
    assert sorted(chat for chat, _ in sent) == [DLH_CHAT, CENTRAL_CHAT]
    codes = [format_code(number) for number in range(many)]
    for _, text in sent:
        parse_text(text, "HTML")  # valid Telegram HTML
        assert f"<b>{many} laporan</b>" in text
        assert [code for code in codes if code in text] == codes
        assert "/cari KODE" in text and "/antrian" in text
    dlh = next(text for chat, text in sent if chat == DLH_CHAT)
    central = next(text for chat, text in sent if chat == CENTRAL_CHAT)
    assert f"Mendekati batas jawaban</b> ({many})" in dlh
    assert "Melewati" not in dlh
    assert f"Melewati batas verifikasi</b> ({many})" in central
    assert f"<code>{codes[0]}</code> · DLH · terlambat" in central  # the OPD, centrally
    assert central.index(codes[0]) < central.index(codes[-1])  # oldest first
    assert await claimed(store, report_ids) == {
        report_id: {("verifikasi", "terlambat"), ("jawaban", "pengingat")}
        for report_id in report_ids
    }
    assert len(escalations) == many  # each missed deadline counts

    assert await keeper.send_reminders(NOW + timedelta(minutes=10)) == 0  # never twice
    assert len(await digests(store)) == len(sent)
    assert await outbox(store, "reminder") == []


async def test_a_few_reminders_still_come_one_by_one(store: Store, keeper: Housekeeping) -> None:
    report_ids = await file_reports(store, DIGEST_OVER, ANSWER_DUE_TOMORROW)

    assert await keeper.send_reminders(NOW) == 2 * DIGEST_OVER

    assert await digests(store) == []
    sent = await outbox(store, "reminder")
    assert sorted(sent) == sorted(
        [(report_id, DLH_CHAT) for report_id in report_ids]
        + [(report_id, CENTRAL_CHAT) for report_id in report_ids]
    )


async def test_one_chat_gets_a_digest_while_another_gets_its_few_one_by_one(
    store: Store, keeper: Housekeeping
) -> None:
    late = await file_reports(store, DIGEST_OVER, ANSWER_LATE)  # 2 escalations each
    soon = await file_reports(store, 2, ANSWER_DUE_TOMORROW, first=DIGEST_OVER)

    assert await keeper.send_reminders(NOW) == 2 * DIGEST_OVER + 2 * 2

    assert await outbox(store, "reminder") == [(report_id, DLH_CHAT) for report_id in soon]
    [(chat, text)] = await digests(store)
    assert chat == CENTRAL_CHAT
    assert f"<b>{DIGEST_OVER + 2} laporan</b> melewati batas waktu" in text
    assert f"Melewati batas verifikasi</b> ({DIGEST_OVER + 2})" in text
    assert f"Melewati batas jawaban</b> ({DIGEST_OVER})" in text
    assert await claimed(store, soon) == {
        report_id: {("verifikasi", "terlambat"), ("jawaban", "pengingat")} for report_id in soon
    }
    assert all(len(sent) == 2 for sent in (await claimed(store, late)).values())


async def test_a_huge_digest_lists_the_oldest_codes_and_counts_the_rest(
    store: Store, keeper: Housekeeping
) -> None:
    escalations: list[None] = []
    keeper.on_escalation = lambda: escalations.append(None)
    many = DIGEST_LISTED + REMINDER_CLAIM_BATCH // 2  # 2 escalations each: 3 claim batches
    report_ids = await file_reports(store, many, ANSWER_LATE)

    assert await keeper.send_reminders(NOW) == 2 * many

    parts = await digests(store)
    assert len(parts) > 1  # cut by the outbox at Telegram's limit
    for chat, part in parts:
        assert chat == CENTRAL_CHAT
        assert utf16_len(parse_html(part).text) <= TEXT_LIMIT
    text = "\n".join(part for _, part in parts)
    assert text.count("<code>SW-") == DIGEST_LISTED
    assert f"… dan {many - DIGEST_LISTED} lainnya" in text  # verifikasi, past the list
    assert f"Melewati batas jawaban</b> ({many}):\n… dan {many} lainnya" in text
    assert format_code(DIGEST_LISTED - 1) in text and format_code(DIGEST_LISTED) not in text
    assert all(len(sent) == 2 for sent in (await claimed(store, report_ids)).values())
    assert len(await claimed(store, report_ids)) == many
    assert len(escalations) == 2 * many
    assert await keeper.send_reminders(NOW + timedelta(minutes=10)) == 0


async def test_a_reminder_claimed_meanwhile_is_left_out_of_the_digest(
    store: Store, keeper: Housekeeping
) -> None:
    many = DIGEST_OVER + 2
    report_ids = await file_reports(store, many, ANSWER_LATE)
    async with store.transaction() as tx:
        due = [d for d in await keeper.reminders.due_reminders(tx, report_ids, NOW) if d.late]
        # Another pass (a second worker taking over the lease) was quicker for one.
        await tx.claim_reminder(report_ids[0], "verifikasi", "terlambat", NOW)

    assert await keeper._send_digest(CENTRAL_CHAT, due, NOW) == 2 * many - 1

    [(_, text)] = await digests(store)
    assert f"Melewati batas verifikasi</b> ({many - 1})" in text
    assert f"Melewati batas jawaban</b> ({many})" in text


async def test_every_due_followup_is_asked_in_one_pass(store: Store, keeper: Housekeeping) -> None:
    solved = HOUSEKEEPING_BATCH + 50
    async with store.transaction() as tx:
        for number in range(solved):
            report_id = await file_report(tx, number, NOW - 10 * DAY)
            await close(tx, report_id, Status.SELESAI, NOW - 5 * DAY)
            await tx.stamp(report_id, "followup_due_at", NOW - 2 * DAY)

    _, followups = await keeper.run(RETENTION)

    assert followups == solved
    assert len(await outbox(store, "followup")) == solved
    async with store.transaction() as tx:
        assert await tx.due_followups(NOW) == []


async def test_retention_anonymises_every_report_past_it_in_one_pass(
    store: Store, keeper: Housekeeping
) -> None:
    past = 2 * HOUSEKEEPING_BATCH + 10
    async with store.transaction() as tx:
        for number in range(past):
            report_id = await file_report(tx, number, NOW - 500 * DAY)
            await close(tx, report_id, Status.DITOLAK, NOW - RETENTION - DAY)
        kept = await file_report(tx, past, NOW - 500 * DAY)
        await close(tx, kept, Status.SELESAI, NOW - RETENTION + DAY)

    await keeper.run(RETENTION)

    names = await fetch(store, "SELECT reporter_name, count(*) FROM reports GROUP BY 1")
    assert sorted(names) == sorted([(ERASED, past), (SITI.name, 1)])
    assert len(await outbox(store, "card_edit")) == past  # each card shows it anonymised


async def test_pruning_keeps_pending_messages_and_replies_to_old_cards_work(
    store: Store, keeper: Housekeeping, desk: Desk
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

    await keeper.run(RETENTION)

    kept = await fetch(store, "SELECT id FROM outbox WHERE id <= ? ORDER BY id", (recent,))
    assert kept == [(pending,), (recent,)]
    async with store.transaction() as tx:
        assert await tx.report_for_message(DLH_CHAT, 77) == (report_id, "card")
        assert await tx.messages_for_report(report_id, "card") == [(DLH_CHAT, 77)]

    await desk.message(DLH_CHAT, DLH_OFFICER, "Andi", 77, "Sudah kami angkut.", None, None)

    assert await outbox(store, "officer_reply") == [(report_id, SITI.chat_id)]


async def test_a_pass_stopped_before_it_starts_does_nothing(
    store: Store, keeper: Housekeeping
) -> None:
    report_ids = await file_reports(store, 3, ANSWER_DUE_TOMORROW)
    async with store.transaction() as tx:
        solved = await file_report(tx, 99, NOW - 10 * DAY)
        await close(tx, solved, Status.SELESAI, NOW - 5 * DAY)
        await tx.stamp(solved, "followup_due_at", NOW - 2 * DAY)
    stop = asyncio.Event()
    stop.set()

    assert await keeper.run(RETENTION, stop) == (0, 0)

    assert await fetch(store, "SELECT count(*) FROM outbox") == [(0,)]
    assert await claimed(store, report_ids) == {}


async def test_a_stopped_pass_leaves_the_remaining_batches_for_the_next(
    store: Store, keeper: Housekeeping
) -> None:
    solved = HOUSEKEEPING_BATCH + 10
    past = 3
    async with store.transaction() as tx:
        for number in range(solved):
            report_id = await file_report(tx, number, NOW - 10 * DAY)
            await close(tx, report_id, Status.SELESAI, NOW - 5 * DAY)
            await tx.stamp(report_id, "followup_due_at", NOW - 2 * DAY)
        for number in range(solved, solved + past):
            report_id = await file_report(tx, number, NOW - 500 * DAY)
            await close(tx, report_id, Status.DITOLAK, NOW - RETENTION - DAY)
    stop = asyncio.Event()
    keeper.on_commit = stop.set  # SIGTERM arrives while the first batch commits

    assert await keeper.run(RETENTION, stop) == (0, HOUSEKEEPING_BATCH)

    assert len(await outbox(store, "followup")) == HOUSEKEEPING_BATCH
    erased = await fetch(store, "SELECT count(*) FROM reports WHERE reporter_name = ?", (ERASED,))
    assert erased == [(0,)]  # retention comes after: left for the next pass

    keeper.on_commit = lambda: None
    assert await keeper.run(RETENTION, asyncio.Event()) == (0, solved - HOUSEKEEPING_BATCH)

    assert len(await outbox(store, "followup")) == solved  # each asked once
    erased = await fetch(store, "SELECT count(*) FROM reports WHERE reporter_name = ?", (ERASED,))
    assert erased == [(past,)]


async def test_a_pass_stopped_after_one_digest_leaves_the_other_chat_s_for_the_next(
    store: Store, keeper: Housekeeping
) -> None:
    many = DIGEST_OVER + 1
    report_ids = await file_reports(store, many, ANSWER_DUE_TOMORROW)
    stop = asyncio.Event()
    keeper.on_commit = stop.set

    assert await keeper.send_reminders(NOW, stop) == many

    [(first_chat, _)] = await digests(store)
    levels = {"pengingat" if first_chat == DLH_CHAT else "terlambat"}
    assert {level for sent in (await claimed(store, report_ids)).values() for _, level in sent} == (
        levels
    )

    assert await keeper.send_reminders(NOW + timedelta(minutes=10), asyncio.Event()) == many

    assert sorted(chat for chat, _ in await digests(store)) == [DLH_CHAT, CENTRAL_CHAT]
    assert all(len(sent) == 2 for sent in (await claimed(store, report_ids)).values())
