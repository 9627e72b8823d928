"""The question of each step, with its buttons: what the person sees while a step is open.

One function per step, named for it; the table of steps (`flows/steps.py`) says which
step asks which. Each is used both when a step opens and to repeat the open question
after an interruption (a sticker, `/status`, a wrong answer).
"""

from __future__ import annotations

from collections.abc import Sequence

from flows import place_texts, report_texts, texts
from flows.buttons import button
from flows.catalogue import FALLBACK_KIND
from flows.effects import Button, Keyboard, Reply
from flows.report import TRIAGE, Privacy
from flows.rules import Rules
from flows.state import Conversation
from flows.validation import words

EDIT_PARTS: tuple[tuple[str, str], ...] = (
    ("pelapor", "👤 Pelapor"),
    ("kejadian", "📝 Kejadian & foto"),
    ("tujuan", "🏢 Tujuan"),
    ("jenis", "🏷 Jenis masalah"),
    ("lokasi", "📍 Lokasi"),
    ("privasi", "🔒 Privasi"),
    ("kontak", "📞 Kontak"),
)
_LABEL_WIDTH = 40


def body_label(body_id: str | None, rules: Rules) -> str:
    """What the summary says about the chosen body."""
    if body_id is None or body_id == TRIAGE:
        return texts.TRIAGE_LABEL
    return rules.catalogue.body(body_id).name


def kind_label(kind_id: str | None, rules: Rules) -> str:
    """The label of a kind of problem."""
    kinds = {kind.id: kind.label for kind in rules.catalogue.kinds}
    return kinds.get(kind_id or FALLBACK_KIND, kinds.get(FALLBACK_KIND, "Lainnya"))


def description_ok(text: str, rules: Rules) -> bool:
    """A story long enough to act on: at least a short sentence."""
    return len(text) >= rules.min_description and words(text) >= 2


def rows(buttons: Sequence[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out in rows of `per_row`."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def start_button() -> tuple[tuple[Button, ...], ...]:
    """The "Buat laporan" button, valid at any time."""
    return ((button("📝 Buat laporan", None, "lapor"),),)


def erase_buttons() -> tuple[tuple[Button, ...], ...]:
    """Confirm or cancel `/hapusdata`."""
    return (
        (
            button("🗑 Ya, hapus data saya", None, "hapus", "ya"),
            button("Batal", None, "hapus", "tidak"),
        ),
    )


def status_buttons(codes: Sequence[str]) -> tuple[tuple[Button, ...], ...]:
    """One button per report code in `/status` (valid at any time)."""
    return rows([button(code, None, "rep", code.replace("-", "")) for code in codes], 2)


def ask_idle(conv: Conversation, rules: Rules) -> Reply:
    return Reply(texts.idle_hint(), start_button())


def ask_role(conv: Conversation, rules: Rules) -> Reply:
    m = conv.menu
    return Reply(
        texts.ask_role(),
        (
            (button("🙋 Untuk saya sendiri", m, "self"),),
            (button("🤝 Sebagai kader, untuk tetangga", m, "kader"),),
        ),
    )


def ask_kader_name(conv: Conversation, rules: Rules) -> Reply:
    return Reply(texts.ask_kader_name())


def ask_kader_phone(conv: Conversation, rules: Rules) -> Reply:
    return Reply(texts.ask_kader_phone(), keyboard=Keyboard.CONTACT)


def ask_neighbour_name(conv: Conversation, rules: Rules) -> Reply:
    return Reply(texts.ask_neighbour_name(), keyboard=Keyboard.REMOVE)


def ask_neighbour_phone(conv: Conversation, rules: Rules) -> Reply:
    name = conv.draft.neighbour_name if conv.draft else None
    return Reply(
        texts.ask_neighbour_phone(name or texts.SOMEONE), ((button("Lewati", conv.menu, "skip"),),)
    )


def ask_consent(conv: Conversation, rules: Rules) -> Reply:
    name = (conv.draft.neighbour_name if conv.draft else None) or texts.SOMEONE
    m = conv.menu
    return Reply(
        texts.ask_consent(name),
        ((button("✅ Sudah setuju", m, "yes"), button("Belum", m, "no")),),
    )


def ask_description(conv: Conversation, rules: Rules) -> Reply:
    draft = conv.draft
    if draft and description_ok(draft.description, rules):
        return Reply(
            texts.description_saved(len(draft.photos)), ((button("Lanjut ➡️", conv.menu, "next"),),)
        )
    if draft and draft.for_neighbour is False and not draft.description and not conv.editing:
        # The report's first question: her own story, unless she is a kader.
        kader = button(place_texts.KADER_BUTTON, conv.menu, "kader")
        return Reply(place_texts.ask_story(), ((kader,),))
    return Reply(texts.ask_description())


def ask_body(conv: Conversation, rules: Rules) -> Reply:
    draft, m = conv.draft, conv.menu
    assert draft is not None
    catalogue = rules.catalogue
    unsure = (button("🤷 Tidak tahu", m, "body", TRIAGE),)
    if draft.confident and draft.proposed:
        best = catalogue.body(draft.proposed[0])
        return Reply(
            texts.body_proposal(best.name, best.description),
            (
                (button("✅ Ya, benar", m, "body", best.id),),
                (button("Pilih yang lain", m, "list"), *unsure),
            ),
        )
    options = [
        (button(_short(f"{b.short_name}: {b.description}"), m, "body", b.id),)
        for b in (catalogue.body(i) for i in draft.proposed[:3])
    ]
    more = (button("Lainnya / pilih sendiri", m, "list"), *unsure)
    return Reply(texts.body_unsure(), (*options, more))


def ask_body_list(conv: Conversation, rules: Rules) -> Reply:
    m = conv.menu
    buttons = [button(b.short_name, m, "body", b.id) for b in rules.catalogue.bodies]
    last = (button("🤷 Tidak tahu", m, "body", TRIAGE), button("« Kembali", m, "back"))
    return Reply(texts.body_list(), (*rows(buttons, 3), last))


def ask_outside(conv: Conversation, rules: Rules) -> Reply:
    assert conv.draft is not None and conv.draft.body is not None
    body, m = rules.catalogue.body(conv.draft.body), conv.menu
    return Reply(
        texts.outside_body(body.name, body.contact or "-", rules.places.city, rules.city.level),
        (
            (button("📝 Tetap catat laporan", m, "keep"),),
            (button("Pilih instansi lain", m, "list"), button("❌ Batalkan", m, "cancel")),
        ),
    )


def ask_kind(conv: Conversation, rules: Rules) -> Reply:
    buttons = [button(k.label, conv.menu, "kind", k.id) for k in rules.catalogue.kinds]
    return Reply(texts.ask_kind(), rows(buttons, 2))


def ask_kecamatan(conv: Conversation, rules: Rules) -> Reply:
    names = [k.name for k in rules.places.kecamatan]
    buttons = [button(name, conv.menu, "kec", str(i)) for i, name in enumerate(names)]
    return Reply(texts.ask_kecamatan(), rows(buttons, 2))


def ask_kelurahan(conv: Conversation, rules: Rules) -> Reply:
    kecamatan = rules.places.kecamatan_named(conv.draft.kecamatan or "") if conv.draft else None
    if kecamatan is None:  # cannot happen through the flow; recover by asking again
        return ask_kecamatan(conv, rules)
    buttons = [button(n, conv.menu, "kel", str(i)) for i, n in enumerate(kecamatan.kelurahan)]
    back = (button("« Ganti kecamatan", conv.menu, "back"),)
    return Reply(texts.ask_kelurahan(kecamatan.name), (*rows(buttons, 2), back))


def ask_place_detail(conv: Conversation, rules: Rules) -> Reply:
    draft = conv.draft
    has_pin = draft is not None and draft.latitude is not None
    has_address = draft is not None and draft.address is not None
    text = (
        texts.place_detail_saved(has_pin, has_address)
        if has_pin or has_address
        else (texts.ask_place_detail())
    )
    return Reply(text, ((button("Lanjut ➡️", conv.menu, "next"),),))


def ask_privacy(conv: Conversation, rules: Rules) -> Reply:
    buttons = [button(texts.PRIVACY_LABELS[p], conv.menu, "priv", p.value) for p in Privacy]
    return Reply(texts.ask_privacy(), rows(buttons, 2))


def ask_contact(conv: Conversation, rules: Rules) -> Reply:
    return Reply(texts.ask_contact(), keyboard=Keyboard.CONTACT)


def ask_summary(conv: Conversation, rules: Rules) -> Reply:
    assert conv.draft is not None
    m = conv.menu
    draft = conv.draft
    kader = draft.reporter_name if draft.for_neighbour else None
    body, kind = body_label(draft.body, rules), kind_label(draft.kind, rules)
    return Reply(
        texts.summary(draft, kader, body, kind),
        (
            (button("✅ Kirim laporan", m, "send"),),
            (button("✏️ Ubah", m, "edit"), button("❌ Batal", m, "cancel")),
        ),
    )


def ask_similar(conv: Conversation, rules: Rules) -> Reply:
    assert conv.draft is not None
    m = conv.menu
    codes = [line.split(" ", 1)[0] for line in conv.draft.similar]
    support = [(button(f"👍 Dukung {code}", m, "sup", code.replace("-", "")),) for code in codes]
    return Reply(
        report_texts.similar_reports(conv.draft.similar),
        (*support, (button("📨 Tetap kirim laporan baru", m, "new"),)),
    )


def ask_edit_menu(conv: Conversation, rules: Rules) -> Reply:
    parts = [button(label, conv.menu, "part", key) for key, label in EDIT_PARTS]
    return Reply(
        texts.ask_edit_part(), (*rows(parts, 2), (button("« Kembali", conv.menu, "back"),))
    )


def ask_discard(conv: Conversation, rules: Rules) -> Reply:
    m = conv.menu
    return Reply(
        texts.ask_discard(),
        ((button("🗑 Buang, mulai baru", m, "discard"), button("Lanjutkan draf", m, "keep")),),
    )


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_WIDTH else label[: _LABEL_WIDTH - 1] + "…"
