"""A small city of reports for the board's tests (and the browser test's screenshots).

Five reports of Kota Cilegon, filed in the two months before `NOW`, covering what the
board must get right: a solved and confirmed one, one not yet verified (facts only),
a *rahasia* one that an officer even approved (it must appear nowhere), an *anonim*
one answered late with supporters, and one the reporter reopened. `SEEDED` says what
each is, so tests derive their expectations from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flows.report import NewReport, Place, Privacy, Reporter, Status
from storage.base import Store, Transaction

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=WIB)
BUDI = Reporter(user_id=7001, chat_id=7001, name="Budi Santoso", username="budi_s",
                phone="+6281234567890")  # fmt: skip
RINA = Reporter(user_id=7002, chat_id=7002, name="Rina Marlina", username="rinam")
SECRET_STORY = "Sampah numpuk di TPS, saya istri pak RT rumah di Jl Melati no 5 RAHASIAKU"
PUBLIC_STORY = "Jalan berlubang besar di depan SD Ciwedus, sudah dua minggu membahayakan motor."


@dataclass(frozen=True)
class Seeded:
    """One seeded report and what the board may show of it."""

    code: str
    body: str
    privacy: Privacy
    status: Status
    public: bool  # an officer approved its public text
    located: bool


SEEDED = (
    Seeded("SW-AAAA-0001", "dpupr", Privacy.BIASA, Status.SELESAI, True, True),
    Seeded("SW-AAAA-0002", "dlh", Privacy.BIASA, Status.DITERIMA, False, True),
    Seeded("SW-AAAA-0003", "dlh", Privacy.RAHASIA, Status.DIPROSES, True, True),
    Seeded("SW-AAAA-0004", "dinkes", Privacy.ANONIM, Status.DIPROSES, True, True),
    Seeded("SW-AAAA-0005", "dpupr", Privacy.BIASA, Status.DIPROSES, True, False),
)
CONFIDENTIAL = "SW-AAAA-0003"


SPOTS = {"Ciwedus": (-6.0069, 106.0531), "Kotasari": (-5.9905, 106.0274),
         "Masigit": (-6.0321, 106.0640)}  # fmt: skip
"""Roughly where these kelurahan are (markers apart on the screenshots)."""


def place(kelurahan: str, kecamatan: str, located: bool) -> Place:
    latitude, longitude = SPOTS[kelurahan]
    return Place(
        kecamatan=kecamatan,
        kelurahan=kelurahan,
        latitude=latitude if located else None,
        longitude=longitude if located else None,
        address="Jl. Melati no 5" if located else None,
    )


async def seed(store: Store) -> None:
    """Store the five reports with their histories."""
    day = timedelta(days=1)
    async with store.transaction() as tx:
        # 1: solved within the deadlines, confirmed by the reporter, rated 5.
        filed = NOW - 40 * day
        r1 = await tx.insert_report(
            _new(SEEDED[0], BUDI, PUBLIC_STORY, filed, "Ciwedus", "Cilegon")
        )
        await _verify(tx, r1.id, filed + timedelta(hours=3), PUBLIC_STORY)
        await tx.set_status(r1.id, Status.DIPROSES, actor="dpupr", at=filed + 2 * day)
        await tx.add_note(r1.id, kind="reply", actor="dpupr", at=filed + 2 * day, public=True,
                          note="Bapak Budi Santoso, tim kami menambal jalan besok.")  # fmt: skip
        await tx.stamp(r1.id, "first_answer_at", filed + 2 * day)
        await tx.set_status(r1.id, Status.SELESAI, actor="dpupr", at=filed + 5 * day)
        await tx.stamp(r1.id, "decided_at", filed + 5 * day)
        await tx.set_followup(r1.id, answer="ya", rating=5)
        # 2: not verified yet: structured facts only, no marker.
        filed = NOW - 2 * day
        await tx.insert_report(
            _new(
                SEEDED[1],
                RINA,
                "Got mampet bau sekali dekat rumah Rina.",
                filed,
                "Kotasari",
                "Grogol",
            )
        )
        # 3: rahasia; even approved, it is never public.
        filed = NOW - 10 * day
        r3 = await tx.insert_report(
            _new(SEEDED[2], RINA, SECRET_STORY, filed, "Masigit", "Jombang")
        )
        await _verify(tx, r3.id, filed + day, SECRET_STORY)
        await tx.set_status(r3.id, Status.DIPROSES, actor="dlh", at=filed + day)
        # 4: anonim; answered after 20 days (late), two supporters.
        filed = NOW - 30 * day
        story = "Antrean puskesmas sangat lama, petugas datang terlambat setiap pagi."
        r4 = await tx.insert_report(_new(SEEDED[3], BUDI, story, filed, "Masigit", "Jombang"))
        await _verify(tx, r4.id, filed + day, story)
        await tx.set_status(r4.id, Status.DIPROSES, actor="dinkes", at=filed + 20 * day)
        await tx.stamp(r4.id, "first_answer_at", filed + 20 * day)
        for supporter in (8001, 8002):
            await tx.add_supporter(r4.id, supporter, supporter, filed + 3 * day)
        # 5: solved, then reopened by the reporter ("belum"), rated 2.
        filed = NOW - 50 * day
        story = "Lampu jalan mati di Jl. Ahmad Yani sejak sebulan, gelap dan rawan."
        r5 = await tx.insert_report(_new(SEEDED[4], RINA, story, filed, "Ciwedus", "Cilegon"))
        await _verify(tx, r5.id, filed + day, story)
        await tx.set_status(r5.id, Status.SELESAI, actor="dpupr", at=filed + 7 * day)
        await tx.stamp(r5.id, "first_answer_at", filed + 7 * day)
        await tx.set_followup(r5.id, answer="belum", rating=2)
        await tx.set_status(r5.id, Status.DIPROSES, actor="pelapor", at=filed + 9 * day)


def _new(
    seeded: Seeded, who: Reporter, story: str, filed: datetime, kelurahan: str, kecamatan: str
) -> NewReport:
    return NewReport(
        code=seeded.code,
        filed_at=filed,
        reporter=who,
        description=story,
        place=place(kelurahan, kecamatan, seeded.located),
        privacy=seeded.privacy,
        body=seeded.body,
        kind="sarana_rusak",
    )


async def _verify(tx: Transaction, report_id: int, at: datetime, text: str) -> None:
    """What an officer's verification stores: the status, its time, and the public text
    she approved (`set_public_text`; the rahasia report's too, to prove the board never
    shows it even then)."""
    await tx.set_status(report_id, Status.DIVERIFIKASI, actor="pusat", at=at)
    await tx.stamp(report_id, "verified_at", at)
    await tx.set_public_text(report_id, text, actor="pusat", at=at)
