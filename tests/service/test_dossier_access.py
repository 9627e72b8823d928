"""The dossier for the Ombudsman goes to the person who filed the report (a kader for
her neighbour included) and to nobody else, and names neither of them."""

from __future__ import annotations

import base64
from datetime import timedelta

from flows.events import Command
from flows.report import Neighbour, Place, Reporter
from service.engine import Engine, Sender
from storage.base import Store
from tests.factories import make_report
from tests.service.test_engine import Clock, clock, engine, outbox

__all__ = ["clock", "engine"]  # the engine's fixtures, shared

KADER = Sender(user_id=3003, chat_id=3003, name="Bu Rina Kader", username="rina_kader")
NEIGHBOUR = Neighbour(name="Mbah Darmo", phone="0813-555-0199")
OTHER = Sender(user_id=4004, chat_id=4004, name="Tono", username=None)


async def kader_report(store: Store, clock: Clock) -> str:
    async with store.transaction() as tx:
        report = await tx.insert_report(
            make_report(
                "SW-AAAA-0001",
                filed_at=clock.now - timedelta(days=20),
                reporter=Reporter(user_id=KADER.user_id, chat_id=KADER.chat_id, name=KADER.name),
                neighbour=NEIGHBOUR,
                description="Mbah Darmo belum dapat bansos, hp 0813-555-0199",
                place=Place(kecamatan="Cilegon", kelurahan="Bagendung"),
                photos=(),
            )
        )
    return report.code


async def test_the_kader_who_filed_gets_the_dossier(
    engine: Engine, store: Store, clock: Clock
) -> None:
    code = await kader_report(store, clock)
    await engine.handle(KADER, Command("berkas", code))
    sent = await outbox(store, KADER.chat_id)
    documents = [m for m in sent if "upload" in m]
    assert len(documents) == 1
    upload = documents[0]["upload"]
    assert isinstance(upload, list)
    name, content = str(upload[0]), str(upload[1])
    page = base64.b64decode(content).decode("utf-8")
    assert name == f"berkas-{code}.html" and code in page and "TERLAMBAT" in page
    for private in ("Rina", "rina_kader", "Darmo", "0813", "555-0199", "3003"):
        assert private not in page, private


async def test_nobody_else_gets_it(engine: Engine, store: Store, clock: Clock) -> None:
    code = await kader_report(store, clock)
    await engine.handle(OTHER, Command("berkas", code))
    sent = await outbox(store, OTHER.chat_id)
    assert not any("upload" in m for m in sent)
    assert any("tidak ditemukan" in str(m.get("text")) for m in sent)
