"""Evidence beyond photos (m017_evidence): kept in order with its facts, read by report,
deleted with the reporter's data, on both backends."""

from __future__ import annotations

from flows.evidence import MEGABYTE, Evidence, EvidenceKind
from storage.base import Store
from tests.factories import NOW, SITI, make_report
from tests.storage.helpers import fetch

VOICE = Evidence(kind=EvidenceKind.VOICE, file_id="AwAC-suara-1", size=48_000, duration=45)
VIDEO = Evidence(kind=EvidenceKind.VIDEO, file_id="BAAC-video-1", size=19 * MEGABYTE, duration=31)
PDF = Evidence(
    kind=EvidenceKind.DOCUMENT, file_id="BQAC-pdf-1", size=MEGABYTE, mime_type="application/pdf"
)
NOTE = Evidence(kind=EvidenceKind.VIDEO_NOTE, file_id="DQAC-bulat-1")  # size unknown


async def test_evidence_round_trips_in_order_by_report(db: Store) -> None:
    async with db.transaction() as tx:
        first = await tx.insert_report(make_report(code="SW-AAAA-AAAA"))
        second = await tx.insert_report(make_report(code="SW-BBBB-BBBB"))
        bare = await tx.insert_report(make_report(code="SW-CCCC-CCCC"))
        await tx.add_evidence(first.id, [PDF, VOICE, VIDEO])
        await tx.add_evidence(second.id, [NOTE])
        await tx.add_evidence(bare.id, [])

    async with db.transaction() as tx:
        found = await tx.evidence_of([first.id, second.id, bare.id])
        assert await tx.evidence_of([]) == {}

    assert found == {first.id: (PDF, VOICE, VIDEO), second.id: (NOTE,)}
    rows = await fetch(
        db,
        "SELECT kind, size, duration, mime_type FROM report_evidence "
        "WHERE report_id = ? ORDER BY position",
        (first.id,),
    )
    assert [tuple(row) for row in rows] == [
        ("document", MEGABYTE, None, "application/pdf"),
        ("voice", 48_000, 45, None),
        ("video", 19 * MEGABYTE, 31, None),
    ]


async def test_erasure_and_retention_forget_the_evidence_and_nothing_else(db: Store) -> None:
    async with db.transaction() as tx:
        hers = await tx.insert_report(make_report(code="SW-DDDD-DDDD", reporter=SITI))
        other = await tx.insert_report(make_report(code="SW-EEEE-EEEE"))
        await tx.add_evidence(hers.id, [VOICE, PDF])
        await tx.add_evidence(other.id, [VIDEO])

    async with db.transaction() as tx:
        assert await tx.forget_evidence([hers.id]) == 2
        assert await tx.forget_evidence([hers.id]) == 0

    async with db.transaction() as tx:
        assert await tx.evidence_of([hers.id, other.id]) == {other.id: (VIDEO,)}
        assert (await tx.get_report_by_id(hers.id)).filed_at == NOW
