"""The public view of a report, and officers' privacy actions on its card."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.card import officer_card
from flows.closing import close_decision
from flows.officer import Act, CardAction, card_buttons, decide
from flows.public_view import public_report
from flows.report import Neighbour, Place, Privacy, Report, Reporter, Status
from flows.similar import pick_similar, similar_views
from tests.flows.helpers import RULES, T0

SITI = Reporter(user_id=5512345, chat_id=5512345, name="Siti Aminah", username="siti_a")
STORY = "Sampah numpuk di TPS Melati, saya Siti istri pak RT, rumah Jl Melati no 5"


def report(**changes: object) -> Report:
    fields: dict[str, object] = {
        "id": 7,
        "code": "SW-7K3M-Q9XA",
        "filed_at": T0,
        "updated_at": T0,
        "reporter": SITI,
        "description": STORY,
        "photos": ("P1",),
        "place": Place(kecamatan="Cilegon", kelurahan="Bagendung", address="Jl Melati no 5"),
        "privacy": Privacy.BIASA,
        "body": "dlh",
        "kind": "sarana_rusak",
        "public_text": "Sampah numpuk di TPS Melati",
    }
    fields.update(changes)
    return Report.model_validate(fields)


@pytest.mark.parametrize(
    ("changes", "text", "photos"),
    [
        pytest.param({}, None, (), id="unverified-facts-only"),
        pytest.param(
            {"public_at": T0, "photos_public": True}, None, (), id="approved-but-unverified"
        ),
        pytest.param({"verified_at": T0}, None, (), id="verified-not-approved"),
        pytest.param(
            {"public_at": T0, "verified_at": T0},
            "Sampah numpuk di TPS Melati",
            (),
            id="approved-text",
        ),
        pytest.param(
            {"public_at": T0, "verified_at": T0, "photos_public": True},
            "Sampah numpuk di TPS Melati",
            ("P1",),
            id="photos-marked-public",
        ),
        pytest.param(
            {"public_at": T0, "verified_at": T0, "public_text": "Siti (siti_a, 5512345) melapor"},
            "[nama] ([nama], [nomor]) melapor",
            (),
            id="identity-typed-back-is-masked",
        ),
        pytest.param(
            {"privacy": Privacy.ANONIM, "public_at": T0, "verified_at": T0},
            "Sampah numpuk di TPS Melati",
            (),
            id="anonim-story-may-be-public",
        ),
    ],
)
def test_public_view(changes: dict[str, object], text: str | None, photos: tuple[str, ...]) -> None:
    view = public_report(report(**changes), supporters=3)
    assert view is not None
    assert (view.text, view.photos, view.supporters) == (text, photos, 3)
    assert (view.kelurahan, view.body, view.kind, view.status) == (
        "Bagendung",
        "dlh",
        "sarana_rusak",
        Status.DITERIMA,
    )


@pytest.mark.parametrize("privacy", [Privacy.RAHASIA, Privacy.ANONIM_RAHASIA])
def test_rahasia_has_no_public_view_and_is_never_similar(privacy: Privacy) -> None:
    secret = report(privacy=privacy, public_at=T0, verified_at=T0, photos_public=True)
    assert public_report(secret) is None
    assert pick_similar(STORY, [secret]) == [] and similar_views([secret], {}) == ()
    other = report(id=8, code="SW-7K3M-Q9XB")
    picked = pick_similar(STORY, [secret, other])
    assert [view.code for view in similar_views(picked, {})] == ["SW-7K3M-Q9XB"]


@pytest.mark.parametrize(
    ("privacy", "arg", "after"),
    [
        pytest.param(Privacy.BIASA, "anonim", Privacy.ANONIM, id="biasa+anonim"),
        pytest.param(Privacy.BIASA, "rahasia", Privacy.RAHASIA, id="biasa+rahasia"),
        pytest.param(Privacy.ANONIM, "rahasia", Privacy.ANONIM_RAHASIA, id="anonim+rahasia"),
        pytest.param(Privacy.RAHASIA, "anonim", Privacy.ANONIM_RAHASIA, id="rahasia+anonim"),
    ],
)
def test_officers_add_a_protection(privacy: Privacy, arg: str, after: Privacy) -> None:
    decision = decide(report(privacy=privacy), CardAction(Act.PROTECT, arg), RULES, T0, *_EXTRA)
    assert not isinstance(decision, str) and decision.protect == arg
    assert privacy.adding(anonymous=arg == "anonim", confidential=arg == "rahasia") is after


@pytest.mark.parametrize(
    ("privacy", "action", "refusal"),
    [
        pytest.param(Privacy.ANONIM, CardAction(Act.PROTECT, "anonim"), "sudah anonim", id="twice"),
        pytest.param(Privacy.BIASA, CardAction(Act.PROTECT, "biasa"), "tidak dikenal", id="remove"),
        pytest.param(Privacy.RAHASIA, CardAction(Act.PUBLIC_TEXT), "rahasia", id="edit-rahasia"),
        pytest.param(Privacy.RAHASIA, CardAction(Act.PUBLISH), "rahasia", id="publish-rahasia"),
        pytest.param(
            Privacy.ANONIM_RAHASIA, CardAction(Act.PHOTOS_PUBLIC), "rahasia", id="photos-rahasia"
        ),
    ],
)
def test_protections_are_never_removed(privacy: Privacy, action: CardAction, refusal: str) -> None:
    decision = decide(report(privacy=privacy), action, RULES, T0, *_EXTRA)
    assert isinstance(decision, str) and refusal in decision


def test_every_protection_level_only_grows() -> None:
    for level in Privacy:
        for anonymous in (False, True):
            for confidential in (False, True):
                grown = level.adding(anonymous=anonymous, confidential=confidential)
                assert grown.anonymous >= level.anonymous
                assert grown.confidential >= level.confidential


@pytest.mark.parametrize("act", [Act.VERIFY, Act.PROCESS], ids=["verify", "process"])
def test_verifying_approves_the_public_text(act: Act) -> None:
    decision = decide(report(), CardAction(act), RULES, T0, *_EXTRA)
    assert not isinstance(decision, str) and decision.publish


def test_closing_approves_the_public_text() -> None:
    assert close_decision(T0, timedelta(days=3)).publish  # Selesai, after its note


def test_publishing_waits_for_verification() -> None:
    decision = decide(report(), CardAction(Act.PUBLISH), RULES, T0, *_EXTRA)
    assert isinstance(decision, str) and "Verifikasi" in decision
    labels = [b.label for row in card_buttons(report(), "privacy", RULES, ()) for b in row]
    assert "🌐 Tampilkan teks publik" not in labels
    approved = report(public_at=T0)  # edited before verifying: shown once verified
    assert "disetujui, tampil setelah diverifikasi" in officer_card(approved, RULES)


def test_rejecting_publishes_nothing() -> None:
    decision = decide(report(), CardAction(Act.REJECT, "lengkap"), RULES, T0, *_EXTRA)
    assert not isinstance(decision, str) and not decision.publish


def test_card_shows_the_proposal_and_the_buttons_to_change_it() -> None:
    card = officer_card(report(), RULES)
    assert "Teks publik</b> (usulan, belum tampil)" in card and "Foto untuk umum: tidak" in card
    labels = [b.label for row in card_buttons(report(), "main", RULES, ()) for b in row]
    assert "✏️ Sunting teks publik" in labels and "🔐 Privasi & publikasi" in labels
    verified = report(verified_at=T0)  # verified before there were public texts (m011)
    menu = [b.label for row in card_buttons(verified, "privacy", RULES, ()) for b in row]
    assert menu == [
        "🕶 Tambah perlindungan anonim",
        "🔒 Tambah perlindungan rahasia",
        "✏️ Sunting teks publik",
        "🌐 Tampilkan teks publik",
        "🖼 Tampilkan foto untuk umum",
        "« Kembali",
    ]


def test_card_of_a_rahasia_report_offers_nothing_public() -> None:
    secret = report(privacy=Privacy.ANONIM_RAHASIA, public_text=None)
    card = officer_card(secret, RULES)
    assert "tidak pernah ditampilkan kepada umum" in card and "Siti" not in card
    menu = [b.label for row in card_buttons(secret, "privacy", RULES, ()) for b in row]
    assert menu == ["« Kembali"]


def test_kader_report_for_a_neighbour_hides_both_when_anonim() -> None:
    kader = report(
        privacy=Privacy.ANONIM,
        reporter=Reporter(user_id=77, chat_id=77, name="Bu Rina", phone="+6281234567890"),
        neighbour=Neighbour(name="Pak Darto", phone="+6287712345678"),
        description="Pak Darto belum dapat bansos, kata Bu Rina sudah 3 bulan",
    )
    card = officer_card(kader, RULES)
    assert "Rina" not in card and "Darto" not in card and "+62" not in card


_EXTRA = (0,)
"""`decide`'s follow-up delay and number of templates."""
