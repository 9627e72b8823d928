"""A press that reaches the desk before its card's sending is recorded (issue: "Tombol
ini tidak dikenali" with two webhook workers), on a real SQLite file: it is tried again
and, if the card is still unrecorded, the officer is asked to press again, nothing
changed; a press on an old unlinked message, or by someone who is no officer, is
refused at once as before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows import notices, press_texts
from flows.report import Status
from service.desk import Desk
from storage.base import Store
from suara_warga.config import Config
from suara_warga.launch import office_of
from tests.factories import make_report

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
CENTRAL_CHAT = -100777
DLH_CHAT = -100888
DLH_OFFICER = 9002
MALLORY = 6666
CONFIG = Config(
    telegram={"admin_chat_id": CENTRAL_CHAT},
    officers={"opd": {"dlh": {"chat_id": DLH_CHAT, "officers": [DLH_OFFICER]}}},
)


@pytest.fixture
def desk(store: Store) -> Desk:
    office = office_of(CONFIG, NOW)
    return Desk(store, CONFIG.rules(), office, clock=lambda: NOW, press_waits=(0.01, 0.01))


async def test_a_press_before_the_card_is_recorded_waits_then_asks_to_press_again(
    store: Store, desk: Desk
) -> None:
    async with store.transaction() as tx:
        shown = await tx.insert_report(make_report("SW-AAAA-0001", body="dlh"))
        fresh = await tx.insert_report(make_report("SW-AAAA-0002", body="dlh"))
        old = await tx.enqueue(DLH_CHAT, "{}", now=NOW, report_id=shown.id, purpose="card")
        await tx.mark_sent(old, telegram_message_id=30, now=NOW)
        card = await tx.enqueue(DLH_CHAT, "{}", now=NOW, report_id=fresh.id, purpose="card")
    # Telegram shows the fresh card as message 40; its sending is not recorded yet.
    early = await desk.press(DLH_CHAT, DLH_OFFICER, 40, "o:ver", update_id=1)
    forged = await desk.press(DLH_CHAT, MALLORY, 41, "o:ver", update_id=2)
    unlinked = await desk.press(DLH_CHAT, DLH_OFFICER, 29, "o:ver", update_id=3)
    async with store.transaction() as tx:
        unchanged = await tx.get_report_by_id(fresh.id)
        await tx.mark_sent(card, telegram_message_id=40, now=NOW)
    again = await desk.press(DLH_CHAT, DLH_OFFICER, 40, "o:ver", update_id=4)
    async with store.transaction() as tx:
        verified = await tx.get_report_by_id(fresh.id)
    assert early == press_texts.card_not_recorded_yet()
    assert forged == notices.not_officer()
    assert unlinked == notices.unknown_button()  # older than what is recorded
    assert unchanged.status is Status.DITERIMA
    assert again is None and verified.status is Status.DIVERIFIKASI


async def test_with_nothing_on_its_way_an_unknown_message_is_refused_at_once(
    store: Store, desk: Desk
) -> None:
    async with store.transaction() as tx:
        report = await tx.insert_report(make_report("SW-AAAA-0003", body="dlh"))
        sent = await tx.enqueue(DLH_CHAT, "{}", now=NOW, report_id=report.id, purpose="card")
        await tx.mark_sent(sent, telegram_message_id=30, now=NOW)
    assert await desk.press(DLH_CHAT, DLH_OFFICER, 55, "o:ver", 1) == notices.unknown_button()
