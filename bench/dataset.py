"""A large, realistic database for the storage figures, generated in SQL.

The schema is the real one: the database is first opened with `storage.open_store`
(migrations applied). Then a few INSERT ... SELECT statements over a number series
(a recursive CTE in SQLite, generate_series in PostgreSQL) fill it, with small lookup
tables for the weighted choices. Every "random" choice is a multiplicative hash of
the report number, so both backends get the same data.

The data, `n` reports filed evenly over three years up to `now`, ids in filing order:

* OPDs weighted like a city's complaints (roads, waste and water first, `BODY_WEIGHTS`),
  43 kelurahan with uneven weights, privacy 70/20/10 (biasa/anonim/rahasia), 5% filed
  by kaders, about three reports per resident;
* status by age (`STATUS_SHARES`): older than 60 days mostly closed (3% stuck open),
  14-60 days half open, the last two weeks mostly open; lifecycle timestamps in order;
* steady state: closed reports decided over a year ago anonymised (retention),
  follow-up questions of solved reports asked, 30% of reports with photos, two
  message links (the reporter's receipt, the officers' card) and 2-5 history lines
  per report, one idle conversation per resident.
"""

# ruff: noqa: S608 - every statement is built from this module's constants and integers

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flows.catalogue import load_catalogue
from flows.codes import ALPHABET
from flows.evaluation import load_eval_rows
from flows.places import load_places

DAY = 86400
SPAN_DAYS = 3 * 365
ADMIN_CHAT = -100777
BODY_WEIGHTS = {
    "dpupr": 17, "dlh": 13, "pdam": 9, "pln": 8, "dishub": 7, "disdukcapil": 7,
    "dinsos": 6, "kelurahan": 5, "disperkim": 4, "dinkes": 3.5, "rsud": 3, "dindikbud": 3,
    "satpolpp": 2.5, "bpjs_kesehatan": 2, "disnaker": 1.5, "polri": 1.5, "triage": 2,
}  # fmt: skip
"""Shares of reports per body (per cent); the other bodies share 1 each."""
STATUS_SHARES: tuple[dict[str, float], ...] = (
    {"diterima": 20, "diverifikasi": 18, "diteruskan": 20, "diproses": 25, "selesai": 10,
     "ditolak": 4, "duplikat": 3},  # filed in the last 14 days
    {"diverifikasi": 5, "diteruskan": 8, "diproses": 30, "selesai": 45, "ditolak": 8,
     "duplikat": 4},  # 14 to 60 days ago
    {"diverifikasi": 0.5, "diteruskan": 0.5, "diproses": 2, "selesai": 82, "ditolak": 10,
     "duplikat": 5},  # older
)  # fmt: skip
_MULTIPLIERS = (2654435761, 2246822519, 3266489917, 668265263, 374761393, 3812015801, 2870177450)


@dataclass(frozen=True)
class Dialect:
    """What differs between SQLite's and PostgreSQL's SQL here."""

    name: str
    series: str  # a CTE "s(i)" of 1..{n}
    ts: str  # a timestamp from epoch seconds {e}
    least: str  # the smaller of {a} and {b}
    overriding: str  # between the INSERT's column list and its SELECT


SQLITE = Dialect(
    "sqlite",
    "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})",
    "strftime('%Y-%m-%dT%H:%M:%S', {e}, 'unixepoch') || '.000000Z'",
    "min({a}, {b})",
    "",
)
POSTGRES = Dialect(
    "postgres",
    "WITH s(i) AS (SELECT generate_series(1, {n})::bigint)",
    "to_timestamp({e})",
    "LEAST({a}, {b})",
    "OVERRIDING SYSTEM VALUE",
)


def _slots(weights: dict[str, float], size: int) -> list[str]:
    """`size` slots shared out by weight (cumulative rounding, every key at least one)."""
    total, acc = sum(weights.values()), 0.0
    slots: list[str] = []
    for key, weight in weights.items():
        acc += weight
        slots += [key] * max(1, round(acc / total * size) - len(slots))
    return (slots + slots[-1:] * size)[:size]


def lookups() -> dict[str, list[tuple[object, ...]]]:
    """Rows of the lookup tables: weighted bodies, places, statuses; texts; kinds."""
    catalogue = load_catalogue()
    bodies = {b.id: BODY_WEIGHTS.get(b.id, 1.0) for b in catalogue.bodies}
    bodies["triage"] = BODY_WEIGHTS["triage"]
    places = {
        f"{k.name}|{kel}": 1.0 + (hash_int(len(kel) * 7919 + i, 0) % 5)
        for k in load_places().kecamatan
        for i, kel in enumerate(k.kelurahan)
    }
    statuses: list[tuple[object, ...]] = [
        (bucket, slot, status)
        for bucket, shares in enumerate(STATUS_SHARES)
        for slot, status in enumerate(_slots(shares, 1000))
    ]
    texts = [r.text for r in load_eval_rows(Path("tests/data/routing_eval.tsv"))]
    return {
        "bench_body": [(slot, body) for slot, body in enumerate(_slots(bodies, 1000))],
        "bench_place": [(slot, *key.split("|")) for slot, key in enumerate(_slots(places, 1000))],
        "bench_status": statuses,
        "bench_text": [(idx, text) for idx, text in enumerate(texts)],
        "bench_kind": [(idx, k.id) for idx, k in enumerate(catalogue.kinds)],
    }


LOOKUP_TABLES = {
    "bench_body": "slot INTEGER PRIMARY KEY, body TEXT",
    "bench_place": "slot INTEGER PRIMARY KEY, kecamatan TEXT, kelurahan TEXT",
    "bench_status": "bucket INTEGER, slot INTEGER, status TEXT, PRIMARY KEY (bucket, slot)",
    "bench_text": "idx INTEGER PRIMARY KEY, text TEXT",
    "bench_kind": "idx INTEGER PRIMARY KEY, kind TEXT",
}


def hash_int(i: int, k: int) -> int:
    """The same hash as `_h` in SQL, for Python-side choices."""
    return (i * _MULTIPLIERS[k] % 4294967296) // 256


def _h(k: int) -> str:
    return f"((s.i * {_MULTIPLIERS[k]} % 4294967296) / 256)"


def _code() -> str:
    """SW-XXXX-XXXX from a bijection of the report number onto 40 bits."""
    x = "(s.i * 2654435769 % 1099511627776)"
    chars = [
        f"substr('{ALPHABET}', CAST((({x}) >> {shift}) & 31 AS INTEGER) + 1, 1)"
        for shift in range(35, -1, -5)
    ]
    return "'SW-' || " + " || ".join(chars[:4]) + " || '-' || " + " || ".join(chars[4:])


def report_statements(d: Dialect, n: int, now: int, kinds: int, texts: int) -> list[str]:
    """The INSERTs that fill reports and the tables hanging off them."""
    start, users = now - SPAN_DAYS * DAY, max(n // 3, 1)
    spacing = max(SPAN_DAYS * DAY // n, 1)

    def ts(e: str) -> str:
        return d.ts.format(e=e)

    def least(a: str, b: str) -> str:
        return d.least.format(a=a, b=b)

    closed = "status IN ('selesai', 'ditolak', 'duplikat')"
    anon = f"({closed} AND decided < {now - 365 * DAY})"
    reports = f"""
INSERT INTO reports (id, code, status, filed_at, updated_at, privacy, body, kind, description,
    reporter_user_id, reporter_chat_id, reporter_name, reporter_username, reporter_phone,
    neighbour_name, neighbour_phone, kecamatan, kelurahan, latitude, longitude, address,
    kader_verified, verified_at, first_answer_at, decided_at, reject_reason, duplicate_of,
    followup_due_at, followup_asked_at, followup_answer, rating) {d.overriding}
{d.series.format(n=n)},
base AS (
    SELECT s.i, {_code()} AS code, {start} + (s.i - 1) * {SPAN_DAYS * DAY} / {n}
        + {_h(4)} % {spacing} AS filed, {_h(0)} % 1000 AS body_slot,
        {_h(1)} % 1000 AS place_slot, {_h(2)} % 1000 AS status_slot, {_h(3)} AS hv,
        {_h(5)} AS who, {_h(6)} AS hw
    FROM s),
aged AS (
    SELECT base.*, CASE WHEN {now} - filed > {60 * DAY} THEN 2
        WHEN {now} - filed > {14 * DAY} THEN 1 ELSE 0 END AS bucket FROM base),
chosen AS (
    SELECT aged.*, st.status, b.body, p.kecamatan, p.kelurahan FROM aged
    JOIN bench_status st ON st.bucket = aged.bucket AND st.slot = aged.status_slot
    JOIN bench_body b ON b.slot = aged.body_slot JOIN bench_place p ON p.slot = aged.place_slot),
verified AS (
    SELECT chosen.*, CASE WHEN status <> 'diterima'
        THEN {least("filed + 3600 * (2 + hv % 70)", str(now - 60))} END AS verified FROM chosen),
answered AS (
    SELECT verified.*, CASE WHEN status IN ('diproses', 'selesai', 'ditolak', 'duplikat')
        THEN {least(f"verified + {DAY} * (hv % 17) + 3600 * (hw % 9)", str(now - 60))}
        END AS answered FROM verified),
decided AS (
    SELECT answered.*, CASE WHEN {closed}
        THEN {least(f"answered + {DAY} * (hw % 40) + 600 * (hv % 50)", str(now - 60))}
        END AS decided FROM answered),
followed AS (
    SELECT decided.*, CASE WHEN status = 'selesai' THEN decided + {3 * DAY} END AS due
    FROM decided)
SELECT i, code, status, {ts("filed")}, {ts("COALESCE(decided, answered, verified, filed)")},
    CASE WHEN hv % 10 = 0 THEN 'rahasia' WHEN hv % 10 < 3 THEN 'anonim' ELSE 'biasa' END,
    body, (SELECT kind FROM bench_kind WHERE idx = hw % {kinds}),
    (SELECT text FROM bench_text WHERE idx = who % {texts}),
    CASE WHEN {anon} THEN 0 ELSE 200000000 + who % {users} END,
    CASE WHEN {anon} THEN 0 ELSE 200000000 + who % {users} END,
    CASE WHEN {anon} THEN '(dihapus)' ELSE 'Warga ' || (who % {users}) END,
    CASE WHEN NOT {anon} AND hw % 3 = 0 THEN 'warga' || (who % {users}) END,
    CASE WHEN NOT {anon} AND hw % 2 = 0 THEN '+62812' || (10000000 + who % {users}) END,
    CASE WHEN hv % 20 = 7 THEN CASE WHEN {anon} THEN '(dihapus)' ELSE 'Tetangga ' || i END END,
    NULL, kecamatan, kelurahan,
    CASE WHEN hw % 5 < 2 THEN -6.0 - (hv % 1000) / 10000.0 END,
    CASE WHEN hw % 5 < 2 THEN 106.0 + (hw % 1000) / 10000.0 END,
    CASE WHEN hv % 2 = 1 THEN 'RT 0' || (1 + hv % 9) || ' RW 0' || (1 + hw % 9)
        || ', dekat masjid' END,
    CASE WHEN hv % 20 = 7 THEN TRUE ELSE FALSE END,
    {ts("verified")}, {ts("answered")}, {ts("decided")},
    CASE WHEN status = 'ditolak' THEN 'Bukan kewenangan Pemerintah Kota' END,
    CASE WHEN status = 'duplikat' THEN 'SW-0000-0001' END,
    {ts("due")}, CASE WHEN due <= {now} THEN {ts("due")} END,
    CASE WHEN due <= {now} AND hw % 10 < 6 THEN
        CASE hv % 3 WHEN 0 THEN 'belum' WHEN 1 THEN 'sebagian' ELSE 'ya' END END,
    CASE WHEN due <= {now} AND hw % 10 < 4 THEN 1 + hv % 5 END
FROM followed
"""
    history = "INSERT INTO report_history (report_id, at, actor, from_status, to_status, note)"
    return [
        reports,
        f"{history} SELECT id, filed_at, 'pelapor', NULL, 'diterima', NULL FROM reports",
        f"{history} SELECT id, verified_at, 'petugas', 'diterima', 'diverifikasi', NULL "
        "FROM reports WHERE verified_at IS NOT NULL",
        f"{history} SELECT id, verified_at, 'petugas', 'diverifikasi', 'diteruskan', NULL "
        "FROM reports WHERE verified_at IS NOT NULL AND status <> 'diverifikasi'",
        f"{history} SELECT id, first_answer_at, 'petugas', 'diteruskan', 'diproses', "
        "'Petugas kami sedang menangani laporan ini.' FROM reports "
        "WHERE first_answer_at IS NOT NULL",
        f"{history} SELECT id, decided_at, 'petugas', 'diproses', status, reject_reason "
        "FROM reports WHERE decided_at IS NOT NULL",
        "INSERT INTO report_photos (report_id, position, file_id) SELECT id, 0, "
        "'AgACAgUAAxkBAAIB' || id || 'ZmVhdHVyZS1waG90by1maWxlLWlk' || code FROM reports "
        "WHERE id % 10 < 3",
        "INSERT INTO report_photos (report_id, position, file_id) SELECT id, 1, "
        "'AgACAgUAAxkBAAIC' || id || 'ZmVhdHVyZS1waG90by1maWxlLWlk' || code FROM reports "
        "WHERE id % 10 = 0",
        "INSERT INTO message_links (chat_id, message_id, report_id, purpose) "
        "SELECT reporter_chat_id, id, id, 'filed' FROM reports WHERE reporter_chat_id <> 0",
        "INSERT INTO message_links (chat_id, message_id, report_id, purpose) "
        f"SELECT {ADMIN_CHAT}, id, id, 'card' FROM reports",
        "INSERT INTO conversations (chat_id, state_json, updated_at, draft_updated_at) "
        "SELECT reporter_chat_id, '{}', max(updated_at), NULL FROM reports "
        "WHERE reporter_chat_id <> 0 GROUP BY reporter_chat_id",
    ]


def plan(d: Dialect, n: int, now: int) -> tuple[list[str], dict[str, list[tuple[object, ...]]]]:
    """(statements to run in order, lookup rows to load first)."""
    rows = lookups()
    statements = [f"CREATE TEMP TABLE {name} ({cols})" for name, cols in LOOKUP_TABLES.items()]
    statements += report_statements(d, n, now, len(rows["bench_kind"]), len(rows["bench_text"]))
    return statements, rows


def insert_lookup(name: str, row: Sequence[object], dialect: Dialect) -> str:
    """The INSERT for one lookup table's rows, with the dialect's placeholders."""
    marks = [f"${i + 1}" if dialect is POSTGRES else "?" for i in range(len(row))]
    return f"INSERT INTO {name} VALUES ({', '.join(marks)})"
