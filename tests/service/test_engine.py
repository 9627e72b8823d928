"""The engine on a real SQLite file: one transaction per update, replays, expiry, access."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.codes import format_code
from flows.events import Command, Event, Press, Text
from flows.office import Office
from flows.roles import Roles
from flows.rules import Rules
from flows.state import Conversation, Step
from service.dead_letters import DEAD_LETTER_MEMORY
from service.engine import Engine, Sender
from storage import open_store
from storage.base import Store

ADMIN = -100500
SITI = Sender(user_id=1001, chat_id=1001, name="Siti Aminah", username="siti")
RINA = Sender(user_id=2002, chat_id=2002, name="Rina", username=None)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def sequential_codes() -> Iterator[str]:
    number = 1000
    while True:
        number += 1
        yield format_code(number)


@pytest.fixture
def engine(store: Store, clock: Clock) -> Engine:
    codes = sequential_codes()
    return Engine(
        store,
        Rules(),
        Office(roles=Roles(central_chat=ADMIN)),
        clock=clock,
        new_code=lambda: next(codes),
    )


async def state_of(store: Store, chat_id: int) -> Conversation:
    async with store.transaction() as tx:
        return Conversation.from_json(await tx.load_conversation(chat_id))


async def outbox(store: Store, chat_id: int) -> list[dict[str, object]]:
    """Every payload queued for a chat, in order (marking them sent)."""
    found: list[dict[str, object]] = []
    while True:
        async with store.transaction() as tx:
            due = await tx.due_messages(datetime.now(UTC) + timedelta(days=9))
            for message in due:
                await tx.mark_sent(message.id, telegram_message_id=None, now=datetime.now(UTC))
        found += [json.loads(m.payload) for m in due if m.chat_id == chat_id]
        if not due:
            return found


async def file_report(engine: Engine, store: Store, who: Sender, story: str) -> None:
    """Walk a whole resident report through the engine."""

    async def press(action: str) -> None:
        conv = await state_of(store, who.chat_id)
        await engine.handle(who, Press(f"{conv.menu}:{action}"))

    steps: list[Event | str] = [
        Command("lapor"),
        Text(story),
        "next",
        "body:triage",
        Text("ciwandan"),
        Text("kepuh"),
        "next",
        "priv:biasa",
        Text("lewati"),
        "send",
    ]
    for item in steps:
        if isinstance(item, str):
            await press(item)
        else:
            await engine.handle(who, item)


async def test_filing_stores_report_and_queues_code_and_card(engine: Engine, store: Store) -> None:
    await file_report(engine, store, SITI, "Lampu jalan mati sudah dua minggu, gelap sekali")
    async with store.transaction() as tx:
        reports = await tx.reports_by_reporter(SITI.user_id)
    assert len(reports) == 1
    report = reports[0]
    assert report.place.kelurahan == "Kepuh" and report.reporter.name == "Siti Aminah"
    to_siti = await outbox(store, SITI.chat_id)
    assert report.code in str(to_siti[-1]["text"])
    assert (await state_of(store, SITI.chat_id)).step is Step.IDLE


async def test_card_goes_to_admin_chat(engine: Engine, store: Store) -> None:
    await file_report(engine, store, SITI, "Sampah numpuk di TPS sudah seminggu")
    async with store.transaction() as tx:
        due = await tx.due_messages(datetime.now(UTC) + timedelta(days=9))
    cards = [json.loads(m.payload) for m in due if m.chat_id == ADMIN]
    assert len(cards) == 1 and "Sampah numpuk" in str(cards[0]["text"])


async def test_replayed_update_changes_nothing(engine: Engine, store: Store) -> None:
    await engine.handle(SITI, Command("lapor"), update_id=10)
    first = await state_of(store, SITI.chat_id)
    await engine.handle(SITI, Press(f"{first.menu}:kader"), update_id=11)
    after = await state_of(store, SITI.chat_id)
    notices = await engine.handle(SITI, Press(f"{first.menu}:kader"), update_id=11)
    assert notices == [] and await state_of(store, SITI.chat_id) == after
    messages = await outbox(store, SITI.chat_id)
    assert len(messages) == 2  # one question per processed update, none for the replay


async def test_status_shows_only_own_reports(engine: Engine, store: Store) -> None:
    await file_report(engine, store, SITI, "Air PDAM mati tiga hari di RT 02")
    async with store.transaction() as tx:
        code = (await tx.reports_by_reporter(SITI.user_id))[0].code
    await outbox(store, SITI.chat_id)
    await engine.handle(RINA, Command("status", code))
    answer = await outbox(store, RINA.chat_id)
    assert "tidak ditemukan" in str(answer[-1]["text"]) and "PDAM" not in str(answer[-1]["text"])
    await engine.handle(SITI, Command("status", code))
    answer = await outbox(store, SITI.chat_id)
    assert "Air PDAM mati" in str(answer[-1]["text"]) and "Diterima" in str(answer[-1]["text"])


async def test_code_collision_draws_again(store: Store, clock: Clock) -> None:
    codes = iter([format_code(7), format_code(7), format_code(8)])
    engine = Engine(store, Rules(), clock=clock, new_code=lambda: next(codes))
    await file_report(engine, store, SITI, "Jalan berlubang besar depan sekolah")
    await file_report(engine, store, RINA, "Got mampet kalau hujan banjir")
    async with store.transaction() as tx:
        assert (await tx.reports_by_reporter(RINA.user_id))[0].code == format_code(8)


async def test_abandoned_drafts_expire_with_a_message(
    engine: Engine, store: Store, clock: Clock
) -> None:
    await engine.handle(SITI, Command("lapor"))
    await outbox(store, SITI.chat_id)
    assert await engine.expire_drafts() == 0
    clock.now += Rules().draft_ttl + timedelta(minutes=1)
    assert await engine.expire_drafts() == 1
    conv = await state_of(store, SITI.chat_id)
    assert conv.draft is None and conv.step is Step.IDLE
    assert "sudah kami hapus" in str((await outbox(store, SITI.chat_id))[-1]["text"])


async def test_conversation_survives_reopening_the_database(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "sw.sqlite3"
    store = await open_store(path)
    await Engine(store, Rules(), clock=clock).handle(SITI, Command("lapor"))
    await store.close()
    store = await open_store(path)
    try:
        conv = await state_of(store, SITI.chat_id)
        assert conv.step is Step.DESCRIPTION
        await Engine(store, Rules(), clock=clock).handle(SITI, Press(f"{conv.menu}:kader"))
        assert (await state_of(store, SITI.chat_id)).step is Step.KADER_NAME
    finally:
        await store.close()



async def test_pruning_forgets_failures_after_a_month(
    engine: Engine, store: Store, clock: Clock
) -> None:
    async with store.transaction() as tx:
        await tx.count_failure(99, kind="message", chat_id=None, error="E", now=clock.now)
        await tx.bury_update(99, clock.now)
    await engine.prune_updates()
    async with store.transaction() as tx:
        assert [letter.update_id for letter in await tx.dead_letters()] == [99]
    clock.now += DEAD_LETTER_MEMORY + timedelta(minutes=1)
    await engine.prune_updates()
    async with store.transaction() as tx:
        assert await tx.dead_letters() == []
