"""The personal-data audit, made permanent, on both backends (real SQLite file, real
PostgreSQL): every text column of the migrated schema has a reviewed decision in
`storage.personal_data.COLUMNS`, and `/hapusdata` and retention prove them.

A resident's name, phone, username, her neighbour's, and a marker word in everything
she writes are stored through the real code paths (a kader, three reports with photos,
evidence, messages held and relayed, lessons, officers' answers quoting her, a closing,
a withdrawal, a handover, a digest, a draft). Then `/hapusdata` goes through
the engine, or retention through housekeeping, and every column of every table (cast to
text) is searched: nothing of hers may remain, except where a column is declared kept;
the officers' work stays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flows.buttons import GLOBAL
from flows.closing import Closing
from flows.codes import format_code
from flows.events import Command, Press, Text
from flows.evidence import Evidence, EvidenceKind
from flows.office import Office
from flows.report import Neighbour, Place, Privacy, Reporter, Status
from flows.roles import Roles
from flows.rules import Rules
from flows.state import Conversation, Draft, Step
from service.engine import Engine
from service.housekeeping import Housekeeping
from service.reporter import Sender
from storage.base import Store, Transaction
from storage.personal_data import COLUMNS, Treatment
from storage.postgres import PostgresStore
from tests.factories import make_report
from tests.storage.helpers import fetch

T0 = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
ADMIN = -100500
OFFICER = 9001
MARK = "zqxmark"
"""In every text of hers (and in her and her neighbour's names): searched everywhere."""
NUMBERS = ("9999%0001", "9999%0002")
"""Her and her neighbour's phone, however written."""
USER = 48151623
RESIDENT = Reporter(
    user_id=USER,
    chat_id=USER,
    name="Sukmawati Zqxmark",
    username="zqxmark_warga",
    phone="0812-9999-0001",
)
NEIGHBOUR = Neighbour(name="Paijo Zqxmark", phone="0813-9999-0002")
QUOTED = "Bu Sukmawati Zqxmark (0812 9999 0001)"
"""How an officer's text quotes her."""
WHO = Sender(user_id=USER, chat_id=USER, name=RESIDENT.name, username=RESIDENT.username)
OFFICE = Office(roles=Roles(central_chat=ADMIN))
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")
RETENTION = timedelta(days=365)


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    text: bool


async def schema(store: Store) -> list[Column]:
    """Every column of the migrated schema, read from the database itself."""
    if isinstance(store, PostgresStore):
        rows = await fetch(
            store,
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
        )
        return [Column(str(t), str(c), str(d) in TEXT_TYPES) for t, c, d in rows]
    tables = await fetch(
        store, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    found: list[Column] = []
    for (table,) in tables:
        for row in await fetch(store, f"PRAGMA table_info({table})"):
            found.append(Column(str(table), str(row[1]), str(row[2]).upper() == "TEXT"))
    return found


def marked(column: Column) -> tuple[str, tuple[object, ...]]:
    """A condition finding our markers in a column, and its parameters."""
    value = f'lower(CAST("{column.name}" AS TEXT))'
    checks = " OR ".join([f"{value} LIKE ?"] * (1 + len(NUMBERS)))
    return checks, (f"%{MARK}%", *(f"%{number}%" for number in NUMBERS))


async def markers_in(store: Store, column: Column) -> int:
    condition, params = marked(column)
    sql = f'SELECT count(*) FROM "{column.table}" WHERE {condition}'
    return int((await fetch(store, sql, params))[0][0])


def codes() -> Iterator[str]:
    number = 5000
    while True:
        number += 1
        yield format_code(number)


async def deliver_all(store: Store, now: datetime) -> None:
    """What the sender does: every due message sent (and linked)."""
    message_id = 100
    while True:
        async with store.transaction() as tx:
            due = await tx.due_messages(now + timedelta(days=9))
            for message in due:
                message_id += 1
                await tx.mark_sent(message.id, telegram_message_id=message_id, now=now)
        if not due:
            return


async def close(tx: Transaction, report_id: int, status: Status) -> None:
    await tx.set_status(report_id, status, actor=f"petugas:{OFFICER}", at=T0)
    await tx.stamp(report_id, "decided_at", T0)


async def seed(store: Store) -> list[str]:
    """Everything of hers, through the real storage operations; returns her codes."""
    new_codes = codes()
    own = [next(new_codes) for _ in range(3)]
    async with store.transaction() as tx:
        await tx.create_kader_invite("tok-1", RESIDENT.name, "Kepuh", created_by=OFFICER, at=T0)
        await tx.use_kader_invite("tok-1", USER, T0)
        reports = []
        for code in own:
            new = make_report(
                code,
                reporter=RESIDENT,
                neighbour=NEIGHBOUR,
                filed_at=T0,
                body="dlh",
                description=f"Sampah menumpuk, cerita {MARK} di depan rumah",
                photos=(f"{MARK}-photo-{code}",),
                place=Place(kecamatan="Ciwandan", kelurahan="Kepuh", address=f"Jl. {MARK} 5"),
                privacy=Privacy.BIASA,
                public_text=f"Sampah menumpuk, kata {QUOTED}",
            )
            reports.append(await tx.insert_report(new))
        withdrawn, handed_over, done = reports
        other = await tx.insert_report(make_report(next(new_codes), filed_at=T0, photos=()))
        await tx.add_supporter(other.id, USER, USER, T0)
        for report in reports:
            await tx.add_evidence(
                report.id, [Evidence(kind=EvidenceKind.VOICE, file_id=f"{MARK}-v")]
            )
            await tx.add_note(
                report.id,
                kind="reporter",
                actor="pelapor",
                at=T0,
                note=f"pesan {MARK}",
                public=True,
            )
            await tx.hold_relay(report.id, f"pesan tertahan {MARK}", f"{MARK}-held", T0)
            await tx.add_routing_example(report.description, "dlh", T0, report.id)
            await tx.add_kind_example(report.description, "penundaan_berlarut", T0, report.id)
        await tx.set_public_text(done.id, f"Terima kasih {QUOTED}", actor="petugas:1", at=T0)
        await tx.add_note(
            done.id,
            kind="reply",
            actor=f"petugas:{OFFICER}",
            at=T0,
            note=f"DLH: Terima kasih {QUOTED}, sudah kami cek",
            public=True,
        )
        closing = Closing(
            done.id, f"Diangkut, {QUOTED} puas", "officer-after", "DLH", "p", T0, False
        )
        await tx.save_closing(closing)
        await tx.set_outcome(done.id, reject_reason=f"Sudah ditangani, {QUOTED}", duplicate_of=None)
        await close(tx, done.id, Status.SELESAI)
        await tx.set_end_note(handed_over.id, f"Dilimpahkan ke PLN; {QUOTED} sudah dihubungi")
        await close(tx, handed_over.id, Status.DILIMPAHKAN)
        await tx.enqueue(USER, f'{{"text": "cerita {MARK}"}}', now=T0, purpose="filed")
        for report in reports:
            text = f'{{"text": "{report.code} pesan {MARK} dari {QUOTED}"}}'
            await tx.enqueue(ADMIN, text, now=T0, report_id=report.id, purpose="relay")
        digest = f'{{"text": "{done.code} {MARK}"}}'
        await tx.enqueue(ADMIN, digest, now=T0, purpose="card_digest")
    engine = Engine(store, Rules(), OFFICE, clock=lambda: T0, new_code=lambda: next(new_codes))
    await engine.handle(WHO, Command("tarik", withdrawn.code))  # `/tarik`, then her reason
    await engine.handle(WHO, Text(f"alasan {MARK}: sudah beres sendiri"))
    await deliver_all(store, T0)
    async with store.transaction() as tx:  # queued at the moment of erasure: sent after it
        draft = Draft(started_at=T0, description=f"draf {MARK}", reporter_name=RESIDENT.name)
        state = Conversation(step=Step.IDLE, draft=draft, updated_at=T0).to_json()
        await tx.save_conversation(USER, state, updated_at=T0, draft_updated_at=T0)
        card = f'{{"text": "{done.code} {QUOTED}"}}'
        await tx.enqueue(ADMIN, card, now=T0, report_id=done.id, purpose="card")
    return own


async def audit(store: Store, operation: str) -> None:
    """Seeded columns hold markers; after `operation`, only the declared ones do."""
    columns = await schema(store)
    assert columns, "no schema read"
    undecided = sorted(
        f"{c.table}.{c.name}" for c in columns if c.text and (c.table, c.name) not in COLUMNS
    )
    assert not undecided, f"text columns without a decision in storage.personal_data: {undecided}"
    existing = {(c.table, c.name) for c in columns}
    stale = sorted(f"{t}.{c}" for t, c in COLUMNS if (t, c) not in existing)
    assert not stale, f"storage.personal_data names columns the schema lacks: {stale}"
    for column in columns:
        decision = COLUMNS.get((column.table, column.name))
        treatment = None if decision is None else getattr(decision, operation)
        if column.text and treatment in (Treatment.ERASED, Treatment.MASKED):
            assert await markers_in(store, column), f"not seeded: {column.table}.{column.name}"


async def leftovers(store: Store, operation: str) -> list[str]:
    """Every column of every table still holding a marker, unless declared kept."""
    found = []
    for column in await schema(store):
        decision = COLUMNS.get((column.table, column.name))
        if decision is not None and getattr(decision, operation) == Treatment.KEPT:
            continue
        if await markers_in(store, column):
            found.append(f"{column.table}.{column.name}")
    return found


async def assert_officers_work_kept(store: Store, own: list[str]) -> None:
    rows = await fetch(
        store,
        "SELECT code, status, body, description, reporter_name, address FROM reports "
        "WHERE code IN (?, ?, ?) ORDER BY code",
        tuple(own),
    )
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        (own[0], "dicabut", "dlh", "(dihapus)", "(dihapus)", None),
        (own[1], "dilimpahkan", "dlh", "(dihapus)", "(dihapus)", None),
        (own[2], "selesai", "dlh", "(dihapus)", "(dihapus)", None),
    ]
    kept = await fetch(
        store,
        "SELECT r.public_text, r.reject_reason, c.note, c.photo FROM reports r "
        "JOIN closings c ON c.report_id = r.id WHERE r.code = ?",
        (own[2],),
    )
    public_text, reason, note, photo = kept[0]
    assert public_text.startswith("Terima kasih ")
    assert reason.startswith("Sudah ditangani, ")
    assert note.startswith("Diangkut, ") and note.endswith(" puas")
    assert photo == "officer-after"
    handover = await fetch(store, "SELECT end_note FROM reports WHERE code = ?", (own[1],))
    assert handover[0][0].startswith("Dilimpahkan ke PLN; ")
    answers = await fetch(
        store, "SELECT note FROM report_history WHERE kind = 'reply' AND note LIKE 'DLH:%'"
    )
    assert [a[0].endswith(", sudah kami cek") for a in answers] == [True]


async def test_hapusdata_leaves_nothing_of_hers(db: Store) -> None:
    own = await seed(db)
    await audit(db, "erasure")
    engine = Engine(db, Rules(), OFFICE, clock=lambda: T0)
    await engine.handle(WHO, Command("hapusdata"))
    await engine.handle(WHO, Press(f"{GLOBAL}:hapus:ya"))
    await deliver_all(db, T0)
    assert await leftovers(db, "erasure") == []
    await assert_officers_work_kept(db, own)
    assert not await fetch(db, "SELECT 1 FROM report_supporters WHERE user_id = ?", (USER,))
    for column in await schema(db):  # her Telegram id nowhere but her chat's fresh state
        if column.table == "conversations":
            continue
        if (column.table, column.name) == ("outbox", "chat_id"):  # the answer to her
            answers = await fetch(db, "SELECT payload FROM outbox WHERE chat_id = ?", (USER,))
            assert len(answers) == 1 and "sudah dihapus" in answers[0][0]
            continue
        where = f'CAST("{column.name}" AS TEXT) = ?'
        sql = f'SELECT count(*) FROM "{column.table}" WHERE {where}'
        assert (await fetch(db, sql, (str(USER),)))[0][0] == 0, column


async def test_retention_leaves_nothing_of_hers_in_old_reports(db: Store) -> None:
    own = await seed(db)
    await audit(db, "retention")
    later = T0 + RETENTION + timedelta(days=30)
    keeper = Housekeeping(db, Rules(), OFFICE, clock=lambda: later)
    await keeper.run(RETENTION)
    await deliver_all(db, later)
    assert await leftovers(db, "retention") == []
    await assert_officers_work_kept(db, own)
