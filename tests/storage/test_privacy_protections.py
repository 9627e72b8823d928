"""Privacy in storage: migration m011 on both backends, officers' protections, the
public text, erasure clearing it, and the exports' facts matching the public view."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from flows.public_view import public_report, report_facts
from flows.report import Privacy, Status
from storage import migrations as sqlite_migrations
from storage import open_store
from storage.base import Store
from storage.postgres import PostgresStore
from storage.postgres import migrations as postgres_migrations
from storage.sqlite import SqliteStore
from storage.sqlite_core import to_db_time
from tests.factories import BU_RINA, NOW, PAK_BUDI, SITI, make_report
from tests.storage.helpers import fetch, is_postgres

T = TypeVar("T")
OLD_COLUMNS = (
    "code, status, filed_at, updated_at, privacy, body, kind, description, "
    "reporter_user_id, reporter_chat_id, reporter_name, reporter_username, reporter_phone, "
    "neighbour_name, neighbour_phone, kecamatan, kelurahan, verified_at"
)
STORY = "Saya Siti, hp 0812-3456-7890, NIK 3672012345678901: sampah numpuk di TPS"
OLD_REPORTS = [
    # code, privacy, reporter name, username, phone, neighbour, verified
    ("SW-AAAA-0001", "biasa", "Siti Aminah", "siti_a", "+6281234567890", None, True),
    ("SW-AAAA-0002", "anonim", "Siti Aminah", None, None, None, False),
    ("SW-AAAA-0003", "rahasia", "Siti Aminah", None, None, None, True),
    ("SW-AAAA-0004", "biasa", "Bu Rina", None, None, "Pak Siti", False),
]
DRAFT = {"step": "summary", "draft": {"started_at": "2024-05-01T08:30:00Z", "privacy": "rahasia"}}


async def old_database(location: str) -> None:
    """A database as the version before m011 left it, with reports and a draft."""
    if is_postgres(location):
        store: Store = await PostgresStore.open(
            location, migrations=_before_m011(postgres_migrations.MIGRATIONS)
        )
    else:
        store = await SqliteStore.open(
            Path(location), migrations=_before_m011(sqlite_migrations.MIGRATIONS)
        )
    await store.close()
    marks = ", ".join("?" * len(OLD_COLUMNS.split(",")))
    for code, privacy, name, username, phone, neighbour, verified in OLD_REPORTS:
        at = NOW if is_postgres(location) else to_db_time(NOW)
        await write(
            location,
            f"INSERT INTO reports ({OLD_COLUMNS}) VALUES ({marks})",
            (
                code, "diverifikasi" if verified else "diterima", at, at, privacy, "dlh",
                None, STORY, 1001, 1001, name, username, phone, neighbour, None,
                "Cilegon", "Bagendung", at if verified else None,
            ),
        )  # fmt: skip
    at = NOW if is_postgres(location) else to_db_time(NOW)
    await write(
        location,
        "INSERT INTO conversations (chat_id, state_json, updated_at) VALUES (?, ?, ?)",
        (1001, json.dumps(DRAFT), at),
    )


async def write(location: str, sql: str, params: tuple[object, ...]) -> None:
    """Write directly, as the older version of the bot did."""
    if is_postgres(location):
        await fetch(location, sql, params)
        return
    with closing(sqlite3.connect(location)) as conn, conn:
        conn.execute(sql, params)


def _before_m011(migrations: list[T]) -> list[T]:
    names = [getattr(fn, "__name__", "") for fn in migrations]
    return migrations[: names.index("m011_privacy_protections")]


@pytest.fixture
async def migrated(db_location: str) -> Store:
    await old_database(db_location)
    return await open_store(db_location)


async def test_m011_makes_rahasia_both_and_proposes_masked_texts(migrated: Store) -> None:
    try:
        async with migrated.transaction() as tx:
            reports = {r.code: r for r in [await tx.get_report(row[0]) for row in OLD_REPORTS]}
            draft = await tx.load_conversation(1001)
    finally:
        await migrated.close()
    privacy = {code: report.privacy for code, report in reports.items()}
    assert privacy == {
        "SW-AAAA-0001": Privacy.BIASA,
        "SW-AAAA-0002": Privacy.ANONIM,
        "SW-AAAA-0003": Privacy.ANONIM_RAHASIA,  # rahasia hid the reporter too
        "SW-AAAA-0004": Privacy.BIASA,
    }
    assert reports["SW-AAAA-0003"].public_text is None  # never public: nothing proposed
    masked = "Saya [nama], hp [nomor telepon], NIK [NIK/KK]: sampah numpuk di TPS"
    for code in ("SW-AAAA-0001", "SW-AAAA-0002", "SW-AAAA-0004"):
        assert reports[code].public_text == masked, code
    for report in reports.values():  # none public until an officer approves, verified or not
        assert report.public_at is None and not report.photos_public
        view = public_report(report)
        assert view is None or view.text is None
    assert draft is not None and json.loads(draft)["draft"]["privacy"] == "anonim_rahasia"


async def test_officers_add_protections_and_a_public_text(db: Store) -> None:
    async with db.transaction() as tx:
        new = make_report(reporter=SITI, description=STORY, public_text="Saya [nama]: sampah")
        report = await tx.insert_report(new)
        await tx.add_protection(report.id, Privacy.ANONIM, actor="petugas:9001", at=NOW)
        await tx.set_public_text(
            report.id, "Sampah numpuk di TPS", actor="petugas:9001", at=NOW + timedelta(1)
        )
        await tx.set_photos_public(report.id, actor="petugas:9001", at=NOW)
        await tx.stamp(report.id, "verified_at", NOW)
        changed = await tx.get_report_by_id(report.id)
        history = await tx.history(report.id)
    assert report.public_text == "Saya [nama]: sampah"  # the proposal, stored as filed
    assert changed.privacy is Privacy.ANONIM and changed.photos_public
    assert changed.public_text == "Sampah numpuk di TPS" and changed.public_at == NOW + timedelta(1)
    assert all(not entry.public for entry in history[1:])  # officers' lines, not the reporter's
    view = public_report(changed)
    assert view is not None and view.text == "Sampah numpuk di TPS" and view.photos == report.photos


async def test_erasure_clears_the_names_from_the_public_text(db: Store) -> None:
    async with db.transaction() as tx:
        mine = await tx.insert_report(make_report(reporter=BU_RINA, neighbour=PAK_BUDI))
        other = await tx.insert_report(make_report("SW-7K3M-Q9XB", reporter=SITI))
        typed_back = "Bu Rina dan pak budi: lampu mati, hubungi 0812 555 0142"
        for report in (mine, other):
            await tx.set_public_text(report.id, typed_back, actor="petugas:1", at=NOW)
        await tx.erase_person(BU_RINA.user_id, BU_RINA.chat_id)
        await tx.set_status(other.id, Status.SELESAI, actor="petugas:1", at=NOW)
        await tx.stamp(other.id, "decided_at", NOW)
        await tx.anonymise_closed_before(NOW + timedelta(days=1))
        erased = await tx.get_report_by_id(mine.id)
        retained = await tx.get_report_by_id(other.id)
    assert erased.public_text == "[nama] dan [nama]: lampu mati, hubungi [nomor telepon]"
    # Retention: the other reporter's name was not in it; the phone is masked as contact.
    assert retained.public_text == "Bu Rina dan pak budi: lampu mati, hubungi [nomor telepon]"
    assert retained.reporter.name == "(dihapus)"


async def test_the_exports_facts_are_the_public_views_facts(db: Store) -> None:
    async with db.transaction() as tx:
        for number, privacy in enumerate(Privacy):
            await tx.insert_report(
                make_report(f"SW-7K3M-Q9X{number}", privacy=privacy, kind="sampah", body="dlh")
            )
        stored = [await tx.get_report(f"SW-7K3M-Q9X{n}") for n in range(len(Privacy))]
        facts = await tx.report_facts_between(NOW, NOW + timedelta(seconds=1))
    assert facts == [report_facts(report) for report in stored]
