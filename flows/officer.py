"""What officers do to a report from its card, decided purely.

Theory of operation
-------------------
A card's buttons carry `o:<act>[:<arg>]`; the report is never named in the button,
it is found from the card itself (the message ↔ report link kept in the database), so
forged data cannot reach another chat's report. `decide(report, action, ...)` checks
the act is allowed in the report's status and says what follows: the new status or
body, timestamps, what to tell the reporter, which keyboard the card shows next, and
whether to ask the officer for a text (an internal note, the duplicate's code, the
public text).

Privacy: officers may add a protection (anonim, rahasia), never remove one; verifying
(verify, process, route, done) approves the proposed public text, which they may edit
("Sunting teks publik") or approve later; photos become public only when marked.

Lifecycle: diterima → diverifikasi → diteruskan → diproses → selesai; ditolak (with a
reason) and duplikat (of another report) close it too; the reporter's "belum" after
selesai reopens it as diproses. Routing to a body outside the city's authority (or the
one-tap handover of a report filed for one) closes it as dilimpahkan: decided, the
reporter told whom to contact. The reporter's withdrawal (`flows.report_ends`) closes
it as dicabut.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from flows import kind_texts
from flows.catalogue import FALLBACK_KIND
from flows.effects import Button
from flows.end_texts import handover_button
from flows.report import CLOSED, TRIAGE, Report, Status
from flows.rules import Rules

PREFIX = "o"


class Act(StrEnum):
    """Card buttons."""

    VERIFY = "ver"
    PROCESS = "pro"
    DONE = "sel"
    ROUTE_MENU = "alh"
    ROUTE = "to"
    REJECT_MENU = "tol"
    REJECT = "tr"
    NOTE = "cat"
    TEMPLATES = "tpl"
    TEMPLATE = "tp"
    BACK = "bk"
    PRIVACY_MENU = "prv"
    PROTECT = "lin"  # arg: "anonim" | "rahasia"
    PUBLIC_TEXT = "pub"
    PUBLISH = "ok"
    PHOTOS_PUBLIC = "fot"
    HANDOVER = "lim"  # a report filed for an outside body: hand it over, one tap
    KIND_MENU = "jns"
    KIND = "jn"  # arg: the kind's id


REJECT_REASONS: tuple[tuple[str, str], ...] = (
    ("kewenangan", "Bukan kewenangan"),
    ("lengkap", "Tidak lengkap"),
    ("duplikat", "Duplikat laporan lain"),
    ("lainnya", "Lainnya"),
)
_OPEN = frozenset(Status) - CLOSED
_ALLOWED: dict[Act, frozenset[Status]] = {
    Act.VERIFY: frozenset({Status.DITERIMA}),
    Act.PROCESS: frozenset({Status.DITERIMA, Status.DIVERIFIKASI, Status.DITERUSKAN}),
    Act.DONE: _OPEN,
    Act.ROUTE_MENU: _OPEN,
    Act.ROUTE: _OPEN,
    Act.REJECT_MENU: _OPEN,
    Act.REJECT: _OPEN,
    Act.TEMPLATES: _OPEN,
    Act.TEMPLATE: _OPEN,
    Act.HANDOVER: _OPEN,
}
_TO_REPORTER = frozenset({Act.TEMPLATES, Act.TEMPLATE})
"""Acts that write to the reporter: refused as such once the report is closed."""


@dataclass(frozen=True)
class CardAction:
    """A parsed card button."""

    act: Act
    arg: str = ""


@dataclass(frozen=True)
class Decision:
    """What follows from an officer's action (the shell carries it out)."""

    to_status: Status | None = None
    body: str | None = None
    reject_reason: str | None = None
    stamps: tuple[tuple[str, datetime | None], ...] = ()
    keep_first_stamps: bool = True
    keyboard: str = "main"  # main | route | reject | templates
    ask: str | None = None  # "note" | "duplicate" | "done": ask the officer for a text
    template: int | None = None  # send this canned answer to the reporter
    learn: bool = False  # the routing is confirmed by an officer: an example
    protect: str | None = None  # add this protection: "anonim" | "rahasia"
    publish: bool = False  # verified: the (proposed or edited) public text may be shown
    photos_public: bool = False  # the officer marked the photos public
    kind: str | None = None  # the officer corrected the kind of problem to this one


def parse_card_action(data: str) -> CardAction | None:
    """`o:to:dlh` → CardAction(ROUTE, "dlh"); None for anything else."""
    prefix, _, rest = data.partition(":")
    act, _, arg = rest.partition(":")
    if prefix != PREFIX or act not in Act.__members__.values():
        return None
    return CardAction(Act(act), arg)


def decide(
    report: Report,
    action: CardAction,
    rules: Rules,
    now: datetime,
    templates: int,
) -> Decision | str:
    """The decision for an action, or a short Indonesian refusal (shown as a toast)."""
    allowed = _ALLOWED.get(action.act)
    if allowed is not None and report.status not in allowed:
        if action.act in _TO_REPORTER:
            return closed_no_answer(report)
        return f"Tidak bisa: laporan berstatus {report.status.value}."
    match action.act:
        case Act.VERIFY:
            return Decision(
                Status.DIVERIFIKASI,
                stamps=(("verified_at", now),),
                learn=report.body != TRIAGE,
                publish=True,
            )
        case Act.PROCESS:
            return Decision(
                Status.DIPROSES,
                stamps=(("verified_at", now),),
                learn=report.body != TRIAGE,
                publish=True,
            )
        case Act.DONE:
            return Decision(ask="done")  # what was done? (`flows.closing`)
        case Act.ROUTE_MENU:
            return Decision(keyboard="route")
        case Act.ROUTE:
            return _route(report, action.arg, rules, now)
        case Act.REJECT_MENU:
            return Decision(keyboard="reject")
        case Act.REJECT:
            return _reject(action.arg, now)
        case Act.NOTE:
            return Decision(ask="note")
        case Act.TEMPLATES:
            return Decision(keyboard="templates")
        case Act.TEMPLATE:
            index = int(action.arg) if action.arg.isdigit() else -1
            if not 0 <= index < templates:
                return "Templat tidak dikenal."
            return Decision(template=index)
        case Act.BACK:
            return Decision()
        case Act.PRIVACY_MENU:
            return Decision(keyboard="privacy")
        case Act.PROTECT | Act.PUBLIC_TEXT | Act.PUBLISH | Act.PHOTOS_PUBLIC:
            return _publicity(report, action)
        case Act.HANDOVER:
            if not outside_body(report, rules):
                return "Laporan ini sudah di instansi pemerintah daerah; pakai ↪️ Alihkan."
            return handover_decision(now)

        case Act.KIND_MENU:
            return Decision(keyboard="kinds")
        case Act.KIND:
            return _kind(report, action.arg, rules)
    return "Tombol tidak dikenal."


def _publicity(report: Report, action: CardAction) -> Decision | str:
    """Protections may only be added; a rahasia report has nothing public to change."""
    privacy = report.privacy
    if action.act is Act.PROTECT:
        if action.arg not in ("anonim", "rahasia"):
            return "Tombol tidak dikenal."
        has = privacy.anonymous if action.arg == "anonim" else privacy.confidential
        if has:
            return f"Laporan ini sudah {action.arg}."
        return Decision(protect=action.arg, keyboard="privacy")
    if privacy.confidential:
        return "Laporan rahasia tidak pernah ditampilkan kepada umum."
    if action.act is Act.PUBLIC_TEXT:
        return Decision(ask="public_text")
    if action.act is Act.PUBLISH:
        if report.public_at is not None:
            return "Teks publik sudah disetujui."
        if report.verified_at is None:
            return "Verifikasi laporan dulu: teks publik tampil setelah verifikasi."
        return Decision(publish=True, keyboard="privacy")
    if not report.photos or report.photos_public:
        return "Tidak ada foto yang bisa ditampilkan."
    return Decision(photos_public=True, keyboard="privacy")


def _route(report: Report, body_id: str, rules: Rules, now: datetime) -> Decision | str:
    if body_id == report.body:
        return "Laporan sudah di instansi itu."
    try:
        body = rules.catalogue.body(body_id)
    except KeyError:
        return "Instansi tidak dikenal."
    if body.outside:
        return replace(handover_decision(now), body=body.id)
    return Decision(
        Status.DITERUSKAN, body=body.id, stamps=(("verified_at", now),), learn=True, publish=True
    )


def handover_decision(now: datetime) -> Decision:
    """Handed over to a body outside the city's authority: decided here (its deadlines
    stop), the routing confirmed (an example for the classifier)."""
    return Decision(
        Status.DILIMPAHKAN,
        stamps=(("verified_at", now), ("decided_at", now)),
        learn=True,
        publish=True,
    )


def outside_body(report: Report, rules: Rules) -> bool:
    """Whether the report is at a body outside the city's authority."""
    known = {body.id: body for body in rules.catalogue.bodies}
    return report.body in known and known[report.body].outside

def _kind(report: Report, kind_id: str, rules: Rules) -> Decision | str:
    """A corrected kind of problem, at any status (the monthly figures count it); the
    same kind again (a second tap) changes nothing."""
    try:
        kind = rules.catalogue.kind(kind_id)
    except KeyError:
        return kind_texts.kind_unknown()
    if kind.id == (report.kind or FALLBACK_KIND):
        return kind_texts.kind_already(kind.label)
    return Decision(kind=kind.id)


def _reject(reason: str, now: datetime) -> Decision | str:
    if reason not in dict(REJECT_REASONS):
        return "Alasan tidak dikenal."
    if reason == "duplikat":
        return Decision(ask="duplicate")
    return Decision(
        Status.DITOLAK, reject_reason=reason, stamps=(("verified_at", now), ("decided_at", now))
    )


def closed_no_answer(report: Report) -> str:
    """Why an answer to the reporter of a closed report is not sent."""
    return (
        f"Laporan {report.code} sudah ditutup ({report.status.value}); jawaban tidak "
        "dikirim ke pelapor. Untuk catatan internal, pakai tombol 📝 Catatan."
    )


def duplicate_refusal(report: Report, other: Report | None) -> str | None:
    """Why `report` cannot be closed as a duplicate of `other` (None: it can). `other` is
    None when the code is unknown or names a report this chat may not handle."""
    if report.closed:
        return f"Laporan {report.code} sudah ditutup ({report.status.value}); tidak diubah."
    if other is None or other.id == report.id:
        return (
            "Kode laporan itu tidak ditemukan di antrean chat ini atau sama dengan laporan "
            "ini. Coba lagi dengan membalas pesan tadi."
        )
    if other.status is Status.DUPLIKAT:
        original = other.duplicate_of or "laporan aslinya"
        return (
            f"Laporan {other.code} sendiri sudah ditutup sebagai duplikat dari {original}. "
            f"Tandai {report.code} sebagai duplikat dari {original} dengan membalas pesan tadi."
        )
    return None


def duplicate_decision(now: datetime) -> Decision:
    """The officer named the report this one duplicates."""
    return Decision(
        Status.DUPLIKAT,
        reject_reason="duplikat",
        stamps=(("verified_at", now), ("decided_at", now)),
    )


def reopen_decision() -> Decision:
    """The reporter says a solved report is not solved: back to work."""
    return Decision(Status.DIPROSES, stamps=(("decided_at", None),), keep_first_stamps=False)


def card_buttons(
    report: Report, keyboard: str, rules: Rules, templates: tuple[str, ...]
) -> tuple[tuple[Button, ...], ...]:
    """The card's inline keyboard for its status and the open menu."""
    back = (_button("« Kembali", Act.BACK),)
    if keyboard == "route":
        bodies = [b for b in rules.catalogue.bodies if b.id != report.body]
        buttons = [_button(b.short_name, Act.ROUTE, b.id) for b in bodies]
        return (*_rows(buttons, 3), back)
    if keyboard == "reject":
        return (*((_button(label, Act.REJECT, key),) for key, label in REJECT_REASONS), back)
    if keyboard == "templates":
        shown = [_button(_short(text), Act.TEMPLATE, str(i)) for i, text in enumerate(templates)]
        return (*((b,) for b in shown), back)
    if keyboard == "privacy":
        return (*((b,) for b in privacy_buttons(report)), back)
    if keyboard == "kinds":
        current = report.kind or FALLBACK_KIND
        kinds = [k for k in rules.catalogue.kinds if k.id != current]
        return (*_rows([_button(k.label, Act.KIND, k.id) for k in kinds], 2), back)
    privacy = _button("🔐 Privasi & publikasi", Act.PRIVACY_MENU)
    kind = _button(kind_texts.KIND_MENU_LABEL, Act.KIND_MENU)
    if report.closed:
        return ((_button("📝 Catatan", Act.NOTE), privacy), (kind,))
    first: list[Button] = []
    if outside_body(report, rules):
        handover = handover_button(rules.catalogue.body(report.body).short_name)
        first.append(_button(handover, Act.HANDOVER))
    if report.status is Status.DITERIMA:
        first.append(_button("✅ Verifikasi", Act.VERIFY))
    first.append(_button("↪️ Alihkan", Act.ROUTE_MENU))
    first.append(kind)
    second = [_button("🏁 Selesai", Act.DONE)]
    if report.status is not Status.DIPROSES:
        second.insert(0, _button("⚙️ Proses", Act.PROCESS))
    third = [_button("⛔ Tolak", Act.REJECT_MENU), _button("📝 Catatan", Act.NOTE)]
    fourth = [_button("💬 Jawaban templat", Act.TEMPLATES)] if templates else []
    fifth = [privacy]
    if not report.privacy.confidential:
        fifth.insert(0, _button("✏️ Sunting teks publik", Act.PUBLIC_TEXT))
    return tuple(tuple(row) for row in (first, second, third, fourth, fifth) if row)


def privacy_buttons(report: Report) -> list[Button]:
    """What officers may still do about the report's protections and public view."""
    privacy, shown = report.privacy, []
    if not privacy.anonymous:
        shown.append(_button("🕶 Tambah perlindungan anonim", Act.PROTECT, "anonim"))
    if not privacy.confidential:
        shown.append(_button("🔒 Tambah perlindungan rahasia", Act.PROTECT, "rahasia"))
        shown.append(_button("✏️ Sunting teks publik", Act.PUBLIC_TEXT))
        if report.public_at is None and report.verified_at is not None:
            shown.append(_button("🌐 Tampilkan teks publik", Act.PUBLISH))
        if report.photos and not report.photos_public:
            shown.append(_button("🖼 Tampilkan foto untuk umum", Act.PHOTOS_PUBLIC))
    return shown


def _button(label: str, act: Act, arg: str = "") -> Button:
    return Button(label, f"{PREFIX}:{act.value}:{arg}" if arg else f"{PREFIX}:{act.value}")


def _rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
