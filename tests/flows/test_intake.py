"""The intake state machine as a table: (state, event) → (state, effects)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from flows import FileReport, Step, step
from flows.effects import FindSimilar, Keyboard, Notice, Reply, ShowReport, ShowReports, Support
from flows.events import (
    Command,
    Contact,
    Event,
    Expire,
    Location,
    Photo,
    Press,
    SimilarFound,
    Text,
    Unsupported,
)
from flows.public_view import PublicReport, public_report
from flows.report import Place, Privacy, Report, Reporter, Status
from flows.state import Conversation, KaderProfile
from tests.flows.helpers import MENU, READY, RULES, T0, at, button_data, run, texts_of

RINA = KaderProfile(name="Bu Rina", phone="+6281234567890")
NEIGHBOUR: dict[str, Any] = {"for_neighbour": True, "reporter_name": "Bu Rina"}

# (start, event, expected step, a text the reply contains, expected draft fields)
TRANSITIONS = [
    pytest.param(
        at(Step.IDLE),
        Command("lapor"),
        Step.DESCRIPTION,
        "Ceritakan",
        {"for_neighbour": False},
        id="lapor-opens-the-story-for-herself",
    ),
    pytest.param(
        at(Step.IDLE),
        Press("g:lapor"),
        Step.DESCRIPTION,
        "Kader yang melapor untuk tetangga",
        {"for_neighbour": False},
        id="start-button-opens-the-story",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False),
        Press("5:kader"),
        Step.KADER_NAME,
        "nama lengkap",
        {"for_neighbour": True},
        id="story-question-kader-first-time",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False, kader=RINA),
        Press("5:kader"),
        Step.NEIGHBOUR_NAME,
        "nama warga",
        {"for_neighbour": True, "reporter_name": "Bu Rina"},
        id="story-question-kader-remembered",
    ),
    pytest.param(
        at(Step.ROLE),
        Press("5:self"),
        Step.DESCRIPTION,
        "Ceritakan",
        {"for_neighbour": False},
        id="role-self",
    ),
    pytest.param(
        at(Step.ROLE),
        Press("5:kader"),
        Step.KADER_NAME,
        "nama lengkap",
        {"for_neighbour": True},
        id="role-kader-first-time",
    ),
    pytest.param(
        at(Step.ROLE, kader=RINA),
        Press("5:kader"),
        Step.NEIGHBOUR_NAME,
        "nama warga",
        {"reporter_name": "Bu Rina", "phone": "+6281234567890"},
        id="role-kader-remembered",
    ),
    pytest.param(
        at(Step.ROLE), Text("sendiri"), Step.DESCRIPTION, "Ceritakan", {}, id="role-typed-answer"
    ),
    pytest.param(
        at(Step.ROLE),
        Text("xyz qwerty"),
        Step.ROLE,
        "pilih salah satu tombol",
        {},
        id="role-typed-nonsense",
    ),
    pytest.param(
        at(Step.KADER_NAME, **NEIGHBOUR),
        Text("Rina Marlina"),
        Step.KADER_PHONE,
        "Bagikan nomor",
        {"reporter_name": "Rina Marlina"},
        id="kader-name",
    ),
    pytest.param(
        at(Step.KADER_NAME, **NEIGHBOUR),
        Text("/"),
        Step.KADER_NAME,
        "",
        {},
        id="kader-name-slash-is-command",
    ),
    pytest.param(
        at(Step.KADER_NAME, **NEIGHBOUR),
        Text("7"),
        Step.KADER_NAME,
        "dengan huruf",
        {},
        id="kader-name-invalid",
    ),
    pytest.param(
        at(Step.KADER_PHONE, **NEIGHBOUR),
        Contact("6281111222333", is_own=True),
        Step.NEIGHBOUR_NAME,
        "nomor sudah disimpan",
        {"phone": "+6281111222333"},
        id="kader-phone-shared",
    ),
    pytest.param(
        at(Step.KADER_PHONE, **NEIGHBOUR),
        Text("0812-1111-2222"),
        Step.NEIGHBOUR_NAME,
        "",
        {"phone": "+6281211112222"},
        id="kader-phone-typed",
    ),
    pytest.param(
        at(Step.KADER_PHONE, **NEIGHBOUR),
        Text("Lewati"),
        Step.NEIGHBOUR_NAME,
        "dilewati",
        {"phone": None},
        id="kader-phone-skipped",
    ),
    pytest.param(
        at(Step.KADER_PHONE, **NEIGHBOUR),
        Text("12"),
        Step.KADER_PHONE,
        "kurang tepat",
        {},
        id="kader-phone-invalid",
    ),
    pytest.param(
        at(Step.NEIGHBOUR_NAME, **NEIGHBOUR),
        Text("Pak Darto"),
        Step.NEIGHBOUR_PHONE,
        "Pak Darto",
        {"neighbour_name": "Pak Darto"},
        id="neighbour-name",
    ),
    pytest.param(
        at(Step.NEIGHBOUR_PHONE, **NEIGHBOUR, neighbour_name="Pak Darto"),
        Press("5:skip"),
        Step.CONSENT,
        "sudah setuju",
        {"neighbour_phone": None},
        id="neighbour-phone-skipped",
    ),
    pytest.param(
        at(Step.NEIGHBOUR_PHONE, **NEIGHBOUR, neighbour_name="Pak Darto"),
        Contact("+62 877 1234 5678", is_own=False),
        Step.CONSENT,
        "",
        {"neighbour_phone": "+6287712345678"},
        id="neighbour-contact-card",
    ),
    pytest.param(
        at(Step.CONSENT, **NEIGHBOUR, neighbour_name="Pak Darto"),
        Press("5:yes"),
        Step.DESCRIPTION,
        "Ceritakan",
        {"consent": True},
        id="consent-given",
    ),
    pytest.param(
        at(Step.CONSENT, **NEIGHBOUR, neighbour_name="Pak Darto"),
        Press("5:no"),
        Step.CONSENT,
        "persetujuan Pak Darto",
        {"consent": False},
        id="consent-refused-keeps-draft",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False),
        Text("rusak"),
        Step.DESCRIPTION,
        "terlalu singkat",
        {"description": "rusak"},
        id="description-too-short",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False),
        Text("sampah numpuk di TPS sudah seminggu"),
        Step.DESCRIPTION,
        "Lanjut",
        {"description": "sampah numpuk di TPS sudah seminggu"},
        id="description-accepted",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False, description="sampah numpuk"),
        Text("baunya sampai ke masjid"),
        Step.DESCRIPTION,
        "Lanjut",
        {"description": "sampah numpuk\nbaunya sampai ke masjid"},
        id="description-appended",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False),
        Photo("P1", "got mampet depan rumah"),
        Step.DESCRIPTION,
        "1 foto",
        {"photos": ("P1",), "description": "got mampet depan rumah"},
        id="description-photo-with-caption",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False),
        Photo("P1"),
        Step.DESCRIPTION,
        "tulis juga ceritanya",
        {"photos": ("P1",)},
        id="description-photo-without-text",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False),
        Press("5:next"),
        Step.DESCRIPTION,
        "terlalu singkat",
        {},
        id="description-next-needs-text",
    ),
    pytest.param(
        at(Step.DESCRIPTION, **READY),
        Press("5:next"),
        Step.BODY,
        "Sepertinya ini urusan <b>Dinas Pekerjaan Umum",
        {"proposed": ("dpupr",), "confident": True, "kind": "sarana_rusak", "body": None},
        id="description-next-proposes-body",
    ),
    pytest.param(
        at(Step.DESCRIPTION, for_neighbour=False),
        Text("x " * 2000),
        Step.DESCRIPTION,
        "terlalu panjang",
        {"description": ""},
        id="description-too-long-refused",
    ),
    pytest.param(
        at(Step.BODY, **{**READY, "body": None}, proposed=("dlh", "dpupr"), confident=True),
        Press("5:body:dlh"),
        Step.PLACE,
        "Lokasinya di <b>Kel. Rawa Arum",
        {"body": "dlh"},
        id="body-confirmed",
    ),
    pytest.param(
        at(Step.BODY, **{**READY, "body": None}, proposed=("dlh",), confident=True),
        Text("ya"),
        Step.PLACE,
        "Lokasinya di <b>Kel. Rawa Arum",
        {"body": "dlh"},
        id="body-confirmed-typed",
    ),
    pytest.param(
        at(Step.BODY, **{**READY, "body": None}, proposed=("dlh", "dpupr", "dishub")),
        Press("5:body:dishub"),
        Step.PLACE,
        "",
        {"body": "dishub"},
        id="body-picked-from-top3",
    ),
    pytest.param(
        at(Step.BODY, **{**READY, "body": None}),
        Press("5:body:triage"),
        Step.PLACE,
        "",
        {"body": "triage"},
        id="body-tidak-tahu",
    ),
    pytest.param(
        at(Step.BODY, **{**READY, "body": None}),
        Press("5:list"),
        Step.BODY_LIST,
        "Pilih instansi",
        {},
        id="body-full-list",
    ),
    pytest.param(
        at(Step.BODY_LIST, **{**READY, "body": None}),
        Press("5:body:pln"),
        Step.OUTSIDE,
        "PLN",
        {"body": "pln"},
        id="body-outside-explained",
    ),
    pytest.param(
        at(Step.BODY_LIST, **{**READY, "body": None}),
        Press("5:body:nope"),
        Step.BODY_LIST,
        "tidak dikenali",
        {"body": None},
        id="body-forged-id",
    ),
    pytest.param(
        at(Step.OUTSIDE, **{**READY, "body": "pln"}),
        Press("5:keep"),
        Step.PLACE,
        "",
        {"body": "pln"},
        id="outside-recorded-anyway",
    ),
    pytest.param(
        at(Step.OUTSIDE, **{**READY, "body": "pln"}),
        Press("5:list"),
        Step.BODY_LIST,
        "",
        {"body": None},
        id="outside-choose-another",
    ),
    pytest.param(
        at(Step.OUTSIDE, **{**READY, "body": "pln"}),
        Press("5:cancel"),
        Step.IDLE,
        "dibatalkan",
        {},
        id="outside-cancel",
    ),
    pytest.param(
        at(Step.EDIT_MENU, **READY),
        Press("5:part:jenis"),
        Step.KIND,
        "jenis apa",
        {},
        id="edit-kind",
    ),
    pytest.param(
        at(Step.KIND, **READY),
        Press("5:kind:permintaan_imbalan"),
        Step.SUMMARY,
        "Permintaan imbalan",
        {"kind": "permintaan_imbalan"},
        id="kind-chosen",
    ),
    pytest.param(
        at(Step.KECAMATAN, **READY),
        Press("5:kec:7"),
        Step.KELURAHAN,
        "Citangkil",
        {"kecamatan": "Citangkil", "kelurahan": None},
        id="kecamatan-button",
    ),
    pytest.param(
        at(Step.KECAMATAN, **READY),
        Text("gerogol"),
        Step.KELURAHAN,
        "Grogol",
        {"kecamatan": "Grogol"},
        id="kecamatan-typed-variant",
    ),
    pytest.param(
        at(Step.KECAMATAN, **READY),
        Text("deringo"),
        Step.PLACE_DETAIL,
        "detail lokasi",
        {"kecamatan": "Citangkil", "kelurahan": "Dringo"},
        id="kecamatan-typed-kelurahan",
    ),
    pytest.param(
        at(Step.KECAMATAN, **READY),
        Text("jakarta selatan"),
        Step.KECAMATAN,
        "tidak saya kenali",
        {},
        id="kecamatan-unknown",
    ),
    pytest.param(
        at(Step.KECAMATAN, **READY),
        Press("5:kec:99"),
        Step.KECAMATAN,
        "tidak dikenali",
        {},
        id="kecamatan-forged-index",
    ),
    pytest.param(
        at(Step.KELURAHAN, **READY),
        Press("5:kel:3"),
        Step.PLACE_DETAIL,
        "detail lokasi",
        {"kelurahan": "Gerem"},
        id="kelurahan-button",
    ),
    pytest.param(
        at(Step.KELURAHAN, **READY),
        Text("kota sari"),
        Step.PLACE_DETAIL,
        "",
        {"kelurahan": "Kotasari"},
        id="kelurahan-typed",
    ),
    pytest.param(
        at(Step.KELURAHAN, **READY),
        Press("5:back"),
        Step.KECAMATAN,
        "kecamatan",
        {},
        id="kelurahan-back",
    ),
    pytest.param(
        at(Step.PLACE_DETAIL, **READY),
        Location(-6.01, 106.05),
        Step.PLACE_DETAIL,
        "titik lokasi",
        {"latitude": -6.01, "longitude": 106.05},
        id="place-pin",
    ),
    pytest.param(
        at(Step.PLACE_DETAIL, **READY),
        Location(200.0, 106.05),
        Step.PLACE_DETAIL,
        "tidak valid",
        {"latitude": None},
        id="place-impossible-pin",
    ),
    pytest.param(
        at(Step.PLACE_DETAIL, **READY),
        Text("depan SDN 2, RT 03"),
        Step.PLACE_DETAIL,
        "alamat/patokan",
        {"address": "depan SDN 2, RT 03"},
        id="place-address",
    ),
    pytest.param(
        at(Step.PLACE_DETAIL, **READY),
        Press("5:next"),
        Step.PRIVACY,
        "identitas pelapor",
        {},
        id="place-next",
    ),
    pytest.param(
        at(Step.PRIVACY, **READY),
        Press("5:priv:rahasia"),
        Step.CONTACT,
        "nomor HP",
        {"privacy": Privacy.RAHASIA},
        id="privacy-then-contact",
    ),
    pytest.param(
        at(Step.PRIVACY, **{**READY, **NEIGHBOUR}),
        Press("5:priv:anonim"),
        Step.SUMMARY,
        "Ringkasan",
        {"privacy": Privacy.ANONIM},
        id="privacy-kader-skips-contact",
    ),
    pytest.param(
        at(Step.PRIVACY, **READY),
        Press("5:priv:publik"),
        Step.PRIVACY,
        "tidak dikenali",
        {},
        id="privacy-forged",
    ),
    pytest.param(
        at(Step.CONTACT, **READY),
        Contact("6285700001111", is_own=True),
        Step.SUMMARY,
        "Ringkasan",
        {"phone": "+6285700001111"},
        id="contact-shared",
    ),
    pytest.param(
        at(Step.CONTACT, **READY),
        Contact("6285700001111", is_own=False),
        Step.CONTACT,
        "nomor Anda sendiri",
        {"phone": None},
        id="contact-of-someone-else",
    ),
    pytest.param(
        at(Step.CONTACT, **READY),
        Text("lewati"),
        Step.SUMMARY,
        "tidak diisi",
        {"phone": None},
        id="contact-skipped",
    ),
    pytest.param(
        at(Step.SUMMARY, **READY),
        Press("5:edit"),
        Step.EDIT_MENU,
        "Bagian mana",
        {},
        id="summary-edit",
    ),
    pytest.param(
        at(Step.EDIT_MENU, **READY),
        Press("5:part:lokasi"),
        Step.PLACE,
        "Lokasinya di",
        {},
        id="edit-location",
    ),
    pytest.param(
        at(Step.EDIT_MENU, **READY),
        Press("5:part:kejadian"),
        Step.DESCRIPTION,
        "Ceritakan",
        {"description": ""},
        id="edit-description-rewrites",
    ),
    pytest.param(
        at(Step.EDIT_MENU, **READY), Press("5:back"), Step.SUMMARY, "Ringkasan", {}, id="edit-back"
    ),
    pytest.param(
        at(Step.SUMMARY, **{**READY, "privacy": None}),
        Press("5:send"),
        Step.PRIVACY,
        "identitas",
        {},
        id="send-incomplete-asks-missing-part",
    ),
    pytest.param(
        at(
            Step.DISCARD,
            **READY,
        ),
        Press("5:keep"),
        Step.ROLE,
        "untuk siapa",
        {},
        id="discard-keep-without-paused",
    ),
]


@pytest.mark.parametrize(("start", "event", "expected", "says", "draft"), TRANSITIONS)
def test_transition(
    start: Conversation, event: Event, expected: Step, says: str, draft: dict[str, Any]
) -> None:
    conv, effects = run(start, event)
    assert conv.step is expected
    assert says in texts_of(effects)
    assert conv.draft is not None or expected is Step.IDLE
    for field, value in draft.items():
        assert getattr(conv.draft, field) == value, field


def test_new_question_makes_older_buttons_stale() -> None:
    conv, _effects = run(at(Step.ROLE), Press("5:self"))
    assert conv.menu == MENU + 1
    again, notice = run(conv, Press("5:self"))
    assert again.step is Step.DESCRIPTION
    assert again.draft == conv.draft
    assert notice == [Notice("Tombol ini sudah tidak berlaku. Silakan pakai pesan terbaru.")]


def test_double_tap_on_send_files_one_report() -> None:
    start = at(Step.SUMMARY, **READY)
    asked, effects = run(start, Press("5:send"))
    assert effects == [FindSimilar(start.draft)]  # type: ignore[arg-type]
    first, effects = run(asked, SimilarFound(()))
    second, more = run(first, Press("5:send"))
    assert [type(e) for e in effects] == [FileReport]
    assert more == [Notice("Tombol ini sudah tidak berlaku. Silakan pakai pesan terbaru.")]
    assert first.step is second.step is Step.IDLE


@pytest.mark.parametrize(
    "data", ["", "garbage", "5", "x:self", "5:sel f", "99999999999:self", "5:" + "a" * 80]
)
def test_forged_callback_data_changes_nothing(data: str) -> None:
    start = at(Step.ROLE)
    conv, effects = step(start, Press(data), T0 + timedelta(minutes=1), RULES)
    assert conv.model_copy(update={"updated_at": T0}) == start
    assert all(isinstance(e, Notice) for e in effects)


def test_send_files_the_draft_and_resets() -> None:
    start = at(Step.SUMMARY, **READY)
    conv, effects = run(start, Press("5:send"), SimilarFound(()))
    assert conv.step is Step.IDLE and conv.draft is None
    assert start.draft is not None
    assert effects == [FileReport(start.draft.model_copy(update={"similar_checked": True}))]


def similar_report(code: str) -> PublicReport:
    report = Report(
        id=7,
        code=code,
        filed_at=T0 - timedelta(days=2),
        updated_at=T0,
        reporter=Reporter(user_id=5, chat_id=5, name="Budi"),
        description="Jalan depan rumah rusak parah, lubang besar",
        place=Place(kecamatan="Grogol", kelurahan="Rawa Arum"),
        privacy=Privacy.BIASA,
        body="dpupr",
        status=Status.DIPROSES,
        public_text="Jalan depan rumah rusak parah, lubang besar",
    )
    view = public_report(report, supporters=2)
    assert view is not None
    return view


def test_similar_open_reports_offer_support_instead_of_a_duplicate() -> None:
    start = at(Step.SUMMARY, **READY)
    conv, effects = run(start, Press("5:send"), SimilarFound((similar_report("SW-7K3M-Q9XA"),)))
    assert conv.step is Step.SIMILAR
    said = texts_of(effects)
    assert "SW-7K3M-Q9XA (21/11, Sedang diproses, Lainnya, didukung 2 warga)" in said
    assert "lubang" not in said and "Budi" not in said  # not verified: facts only
    data = button_data(effects)
    assert data == [f"{conv.menu}:sup:SW7K3MQ9XA", f"{conv.menu}:new"]
    supported, effects = run(conv, Press(data[0]))
    assert supported.step is Step.IDLE and effects == [Support("SW-7K3M-Q9XA")]
    filed, effects = run(conv, Press(data[1]))
    assert filed.step is Step.IDLE and [type(e) for e in effects] == [FileReport]
    forged, effects = run(conv, Press(f"{conv.menu}:sup:SW0000AAAA"))
    assert forged.step is Step.SIMILAR and "tidak dikenali" in texts_of(effects)


def test_edit_returns_to_summary_after_the_part() -> None:
    start = at(Step.EDIT_MENU, **READY)
    conv, _ = run(start, Press("5:part:lokasi"))
    assert conv.step is Step.PLACE  # the place so far, to confirm or change
    conv, effects = run(conv, Text("kalitimbang"))
    assert conv.step is Step.PLACE and "Kel. Kalitimbang, Kec. Cibeber" in texts_of(effects)
    conv, effects = run(conv, Press(f"{conv.menu}:yes"))
    assert conv.step is Step.SUMMARY
    assert conv.draft is not None and conv.draft.kelurahan == "Kalitimbang"
    assert "Kel. Kalitimbang, Kec. Cibeber" in texts_of(effects)


def test_edit_of_the_place_through_the_lists_returns_to_summary() -> None:
    conv, _ = run(at(Step.EDIT_MENU, **READY), Press("5:part:lokasi"))
    conv, _ = run(conv, Press(f"{conv.menu}:other"))
    assert conv.step is Step.KECAMATAN
    conv, _ = run(conv, Text("cibeber"), Text("kalitimbang"))
    conv, effects = run(conv, Press(f"{conv.menu}:next"))
    assert conv.step is Step.SUMMARY
    assert conv.draft is not None and conv.draft.kelurahan == "Kalitimbang"
    assert "Kel. Kalitimbang, Kec. Cibeber" in texts_of(effects)


def test_kader_full_path_remembers_profile() -> None:
    conv, _ = run(at(Step.ROLE), Press("5:kader"), Text("Bu Rina"))
    conv, _ = run(conv, Contact("6281234567890", is_own=True), Text("Pak Darto"))
    conv, _ = run(conv, Press(f"{conv.menu}:skip"))
    conv, _ = run(conv, Press(f"{conv.menu}:yes"))
    assert conv.step is Step.DESCRIPTION
    assert conv.kader == KaderProfile(name="Bu Rina", phone="+6281234567890")
    assert (
        conv.draft is not None and conv.draft.consent and conv.draft.neighbour_name == "Pak Darto"
    )


@pytest.mark.parametrize(
    ("command", "effect_type", "says"),
    [
        pytest.param(Command("status"), ShowReports, "", id="status-lists"),
        pytest.param(Command("status", "sw-7k3m-q9xa"), ShowReport, "", id="status-code"),
        pytest.param(
            Command("status", "bukan kode"), Reply, "tidak dikenali", id="status-bad-code"
        ),
        pytest.param(Command("bantuan"), Reply, "Cara melapor", id="help"),
        pytest.param(Command("foo"), Reply, "/foo tidak saya kenal", id="unknown-command"),
        pytest.param(Unsupported("sticker"), Reply, "stiker", id="sticker"),
        pytest.param(Unsupported("voice"), Reply, "pesan suara", id="voice-note"),
        pytest.param(Command("start"), Reply, "belum selesai", id="start-mid-draft"),
    ],
)
def test_interruptions_keep_the_draft_and_repeat_the_question(
    command: Event, effect_type: type, says: str
) -> None:
    start = at(Step.KELURAHAN, **READY)
    conv, effects = run(start, command)
    assert conv.step is Step.KELURAHAN and conv.draft == start.draft and conv.menu == start.menu
    assert isinstance(effects[0], effect_type)
    assert says in texts_of(effects)
    assert "Di kelurahan mana" in texts_of(effects[-1:])
    assert button_data(effects[-1:])[0] == "5:kel:0"


def test_status_code_is_canonical() -> None:
    _, effects = run(at(Step.IDLE), Command("status", "sw 7k3m o9xa"))
    assert effects == [ShowReport("SW-7K3M-09XA")]


def test_lapor_mid_draft_asks_before_discarding() -> None:
    start = at(Step.KELURAHAN, **READY)
    conv, effects = run(start, Command("lapor"))
    assert "Buang draf" in texts_of(effects)
    assert conv.step is Step.DISCARD and conv.paused is Step.KELURAHAN and conv.draft == start.draft
    kept, _ = run(conv, Press(f"{conv.menu}:keep"))
    assert kept.step is Step.KELURAHAN and kept.draft == start.draft
    fresh, _effects = run(conv, Press(f"{conv.menu}:discard"))
    assert fresh.step is Step.DESCRIPTION and fresh.draft is not None
    assert fresh.draft.description == "" and fresh.draft.for_neighbour is False


def test_cancel_anywhere() -> None:
    conv, effects = run(at(Step.CONTACT, **READY), Command("batal"))
    assert conv.step is Step.IDLE and conv.draft is None
    assert isinstance(effects[0], Reply) and effects[0].keyboard is Keyboard.REMOVE
    conv, effects = run(conv, Command("batal"))
    assert "Tidak ada laporan" in texts_of(effects)


def test_summary_cancel_button() -> None:
    conv, effects = run(at(Step.SUMMARY, **READY), Press("5:cancel"))
    assert conv.step is Step.IDLE and conv.draft is None and "dibatalkan" in texts_of(effects)


def test_abandoned_draft_resumes_within_ttl() -> None:
    start = at(Step.KELURAHAN, **READY)
    later = T0 + RULES.draft_ttl - timedelta(minutes=1)
    conv, _effects = step(start, Press("5:kel:0"), later, RULES)
    assert conv.step is Step.PLACE_DETAIL and conv.draft is not None


def test_abandoned_draft_expires_politely() -> None:
    start = at(Step.KELURAHAN, **READY)
    later = T0 + RULES.draft_ttl + timedelta(minutes=1)
    conv, effects = step(start, Press("5:kel:0"), later, RULES)
    assert conv.step is Step.IDLE and conv.draft is None
    assert "sudah kami hapus" in texts_of(effects) and "sudah tidak berlaku" in texts_of(effects)


def test_expire_event_only_drops_stale_drafts() -> None:
    start = at(Step.KELURAHAN, **READY)
    fresh, nothing = step(start, Expire(), T0 + timedelta(hours=1), RULES)
    assert fresh == start and nothing == []
    stale, effects = step(start, Expire(), T0 + RULES.draft_ttl * 2, RULES)
    assert stale.draft is None and "sudah kami hapus" in texts_of(effects)


def test_photos_are_kept_in_any_step_up_to_the_limit() -> None:
    conv = at(Step.KELURAHAN, **READY, photos=tuple(f"P{i}" for i in range(RULES.max_photos - 1)))
    conv, effects = run(conv, Photo("LAST"))
    assert conv.draft is not None and conv.draft.photos[-1] == "LAST"
    assert "Foto ke-10" in texts_of(effects) and conv.step is Step.KELURAHAN
    conv, effects = run(conv, Photo("TOO-MANY"))
    assert conv.draft is not None and "TOO-MANY" not in conv.draft.photos
    assert "paling banyak 10 foto" in texts_of(effects)


def test_attachments_while_idle_offer_to_start() -> None:
    for event in (Photo("P"), Location(-6.0, 106.0), Contact("6281", is_own=True), Text("halo")):
        conv, effects = run(at(Step.IDLE), event)
        assert conv.step is Step.IDLE and conv.draft is None
        assert "g:lapor" in button_data(effects)


def test_state_survives_json_round_trip() -> None:
    conv, _ = run(at(Step.PLACE_DETAIL, **READY), Location(-6.01, 106.05))
    assert Conversation.from_json(conv.to_json()) == conv
