"""What erasure and retention do to the two non-text traces of residents, on both
backends: a report's pin is rounded to about 110 m (it may be her house), and retention
forgets who supported an old report while the board still counts them."""

from __future__ import annotations

from datetime import timedelta

from flows.report import Status
from storage.base import Store, Transaction
from storage.public import public_reads
from storage.queries.erasure import PIN_DECIMALS
from tests.factories import BU_RINA, NOW, SITI, SUKAJADI, make_report
from tests.storage.helpers import fetch

SUPPORTERS = (5001, 5002)
CUTOFF = NOW + timedelta(days=1)


async def supported_report(tx: Transaction, code: str) -> int:
    """A report of Siti's with a pin, supported by two other residents."""
    report = await tx.insert_report(make_report(code, reporter=SITI))
    for user in SUPPORTERS:
        await tx.add_supporter(report.id, user, user, NOW)
    return report.id


def blurred(value: float | None) -> float:
    assert value is not None
    return round(value, PIN_DECIMALS)


async def pin(store: Store, report_id: int) -> tuple[float, float]:
    rows = await fetch(store, "SELECT latitude, longitude FROM reports WHERE id = ?", (report_id,))
    return float(rows[0][0]), float(rows[0][1])


async def test_retention_forgets_supporters_and_keeps_their_count(db: Store) -> None:
    async with db.transaction() as tx:
        old = await supported_report(tx, "SW-AAAA-0001")
        await tx.set_status(old, Status.SELESAI, actor="petugas:7", at=NOW)
        await tx.stamp(old, "decided_at", NOW)
        still_open = await supported_report(tx, "SW-AAAA-0002")
    async with db.transaction() as tx:
        assert await tx.anonymise_closed_before(CUTOFF) == [old]
    assert await fetch(db, "SELECT 1 FROM report_supporters WHERE report_id = ?", (old,)) == []
    assert (
        len(await fetch(db, "SELECT 1 FROM report_supporters WHERE report_id = ?", (still_open,)))
        == 2
    )
    async with db.transaction() as tx:
        assert await public_reads(tx).supporter_counts([old, still_open]) == {old: 2, still_open: 2}
        assert await tx.anonymise_closed_before(CUTOFF) == []  # once
        assert await public_reads(tx).supporter_counts([old]) == {old: 2}
    assert await pin(db, old) == (blurred(SUKAJADI.latitude), blurred(SUKAJADI.longitude))
    assert await pin(db, still_open) == (SUKAJADI.latitude, SUKAJADI.longitude)


async def test_hapusdata_blurs_her_pins_and_keeps_others_support(db: Store) -> None:
    async with db.transaction() as tx:
        hers = await supported_report(tx, "SW-AAAA-0003")
        other = (await tx.insert_report(make_report("SW-AAAA-0004", reporter=BU_RINA))).id
        assert await tx.erase_person(SITI.user_id, SITI.chat_id) == [hers]
        # Her report may still be worked on: its supporters keep hearing of it.
        assert await public_reads(tx).supporter_counts([hers]) == {hers: 2}
    assert await pin(db, hers) == (blurred(SUKAJADI.latitude), blurred(SUKAJADI.longitude))
    assert await pin(db, other) == (SUKAJADI.latitude, SUKAJADI.longitude)
