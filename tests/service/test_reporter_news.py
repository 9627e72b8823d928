"""News to reporters after the architecture move: a status change links to the report's
page on the public board when the board has an address (never for a rahasia report),
and a report without a Telegram reporter (filed by an Open311 partner) gets no status
news or follow-up question queued to chat 0, while its supporters still hear."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flows.office import Office
from flows.officer import Decision
from flows.report import Privacy, Status
from flows.roles import Roles
from flows.rules import Rules
from flows.state import Draft
from service.decisions import Decisions
from service.engine import Engine
from service.housekeeping import Housekeeping
from storage import Store
from tests.factories import BU_RINA, NOW, SITI, make_report

CENTRAL = -100500
BOARD = "https://lapor.example.go.id"
SUPPORTER = 3003


def office() -> Office:
    return Office(roles=Roles(central_chat=CENTRAL), public_url=BOARD)


async def queued(store: Store) -> dict[int, list[str]]:
    """Every text queued so far, per chat (marking them sent)."""
    found: dict[int, list[str]] = {}
    later = datetime.now(UTC) + timedelta(days=400)
    while True:
        async with store.transaction() as tx:
            due = await tx.due_messages(later)
            for message in due:
                await tx.mark_sent(message.id, telegram_message_id=None, now=later)
        for message in due:
            found.setdefault(message.chat_id, []).append(json.loads(message.payload)["text"])
        if not due:
            return found


async def test_status_news_links_to_the_public_page_but_never_a_rahasia_one(
    store: Store,
) -> None:
    decisions = Decisions(Rules(), office())
    async with store.transaction() as tx:
        shown = await tx.insert_report(make_report("SW-7K3M-Q9XA"))
        hidden = await tx.insert_report(
            make_report("SW-7K3M-Q9XB", reporter=BU_RINA, privacy=Privacy.RAHASIA)
        )
        for report in (shown, hidden):
            await decisions.apply(
                tx, report, Decision(to_status=Status.DIPROSES), actor="pusat",
                unit="Petugas Pusat", now=NOW,
            )  # fmt: skip

    sent = await queued(store)

    [to_siti] = sent[SITI.chat_id]
    [to_rina] = sent[BU_RINA.chat_id]
    assert "sedang diproses" in to_siti and f"{BOARD}/laporan/SW-7K3M-Q9XA" in to_siti
    assert "sedang diproses" in to_rina and BOARD not in to_rina and "papan" not in to_rina


async def test_a_partner_report_queues_nothing_to_chat_zero(store: Store) -> None:
    rules = Rules()
    kecamatan = rules.places.kecamatan[0]
    engine = Engine(store, rules, office(), clock=lambda: NOW)
    draft = Draft(
        started_at=NOW,
        for_neighbour=False,
        description="Lampu jalan mati sejak tiga malam di depan sekolah, gelap sekali.",
        kecamatan=kecamatan.name,
        kelurahan=kecamatan.kelurahan[0],
        privacy=Privacy.BIASA,
    )
    filed = await engine.file_for_partner("webkota", "Formulir web Pemkot", draft)
    async with store.transaction() as tx:
        await tx.add_supporter(filed.id, SUPPORTER, SUPPORTER, NOW)
        solved = Decision(
            to_status=Status.SELESAI, stamps=(("decided_at", NOW), ("followup_due_at", NOW))
        )
        await engine.work.apply(tx, filed, solved, actor="pusat", unit="Petugas Pusat", now=NOW)
    later = NOW + timedelta(days=30)
    keeper = Housekeeping(store, rules, office(), clock=lambda: later)

    due = await keeper.ask_followups(later)

    sent = await queued(store)
    async with store.transaction() as tx:
        report = await tx.get_report_by_id(filed.id)
    assert not filed.reachable and due == 1
    assert 0 not in sent
    assert any(filed.code in text for text in sent[CENTRAL])  # the officers' card
    [news] = sent[SUPPORTER]  # a supporter hears the news, and is not asked the follow-up
    assert "selesai" in news and f"{BOARD}/laporan/{filed.code}" in news
    assert report.followup_due_at is None and report.followup_asked_at is None
    assert await keeper.ask_followups(later) == 0  # nothing left due
