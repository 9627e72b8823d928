"""From draft to report, and the officers' card under each privacy choice."""

from __future__ import annotations

import pytest

from flows.card import officer_card
from flows.filing import IncompleteDraftError, new_report
from flows.report import Privacy, Report, Reporter, Status
from flows.state import Draft
from tests.flows.helpers import RULES, T0

SITI = Reporter(user_id=1001, chat_id=1001, name="Siti Aminah", username="siti_a")
DRAFT = Draft(
    started_at=T0,
    for_neighbour=True,
    reporter_name="Bu Rina",
    neighbour_name="Pak Darto",
    neighbour_phone="+6287712345678",
    consent=True,
    description="<b>Got</b> mampet & bau",
    photos=("P1", "P2"),
    kecamatan="Grogol",
    kelurahan="Gerem",
    latitude=-6.0,
    longitude=106.0,
    privacy=Privacy.BIASA,
    phone="+6281234567890",
    body="dpupr",
    kind="sarana_rusak",
)


def stored(draft: Draft) -> Report:
    new = new_report(draft, SITI, "SW-7K3M-Q9XA", T0)
    return Report(**new.model_dump(), id=1, status=Status.DITERIMA, updated_at=T0)


def test_kader_report_names_the_kader_and_neighbour() -> None:
    report = stored(DRAFT)
    assert report.reporter.name == "Bu Rina" and report.reporter.phone == "+6281234567890"
    assert report.neighbour is not None and report.neighbour.name == "Pak Darto"
    assert report.photos == ("P1", "P2") and report.place.kelurahan == "Gerem"


def test_card_escapes_user_text() -> None:
    card = officer_card(stored(DRAFT), RULES)
    assert "&lt;b&gt;Got&lt;/b&gt; mampet &amp; bau" in card
    assert "<b>Got</b>" not in card


@pytest.mark.parametrize("privacy", [Privacy.BIASA, Privacy.RAHASIA])
def test_card_names_reporter_to_handling_officers_unless_anonim(privacy: Privacy) -> None:
    """Rahasia protects the story from the public, not the reporter from officers."""
    card = officer_card(stored(DRAFT.model_copy(update={"privacy": privacy})), RULES)
    assert "Bu Rina" in card and "Pak Darto" in card and "+6281234567890" in card


@pytest.mark.parametrize("privacy", [Privacy.ANONIM, Privacy.ANONIM_RAHASIA])
def test_card_hides_everyone_when_anonim(privacy: Privacy) -> None:
    story = "Saya Rina (kader), untuk pak Darto 0877-1234-5678: got mampet di gang"
    draft = DRAFT.model_copy(update={"privacy": privacy, "description": story})
    card = officer_card(stored(draft), RULES)
    for secret in ("Rina", "Darto", "siti_a", "Siti", "+62812", "+62877", "0877", "1001"):
        assert secret not in card
    assert "got mampet di gang" in card  # the story itself stays readable


@pytest.mark.parametrize(
    ("privacy", "proposed"),
    [
        pytest.param(Privacy.BIASA, True, id="biasa-proposes"),
        pytest.param(Privacy.ANONIM, True, id="anonim-proposes"),
        pytest.param(Privacy.RAHASIA, False, id="rahasia-never-public"),
        pytest.param(Privacy.ANONIM_RAHASIA, False, id="both-never-public"),
    ],
)
def test_filing_proposes_a_masked_public_text(privacy: Privacy, proposed: bool) -> None:
    story = "Bu Rina lapor: got mampet, hubungi 0812 3456 7890 atau rina@mail.id, Siti tahu"
    report = stored(DRAFT.model_copy(update={"privacy": privacy, "description": story}))
    if not proposed:
        assert report.public_text is None
        return
    assert report.public_text == (
        "[nama] lapor: got mampet, hubungi [nomor telepon] atau [email], [nama] tahu"
    )
    assert report.public_at is None and not report.photos_public  # not public yet


@pytest.mark.parametrize(
    "missing",
    [
        {"kelurahan": None},
        {"privacy": None},
        {"description": ""},
        {"consent": False},
        {"neighbour_name": None},
    ],
)
def test_incomplete_drafts_are_refused(missing: dict[str, object]) -> None:
    with pytest.raises(IncompleteDraftError):
        new_report(DRAFT.model_copy(update=missing), SITI, "SW-7K3M-Q9XA", T0)


def test_card_names_body_and_kind() -> None:
    card = officer_card(stored(DRAFT), RULES)
    assert "Tujuan: Dinas Pekerjaan Umum" in card and "Jenis: Sarana/prasarana rusak" in card
