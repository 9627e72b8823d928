"""Names on officers' cards are shown without invisible or reordering characters."""

from __future__ import annotations

import pytest

from flows.card import officer_card
from flows.names import HIDDEN_NAME, shown_name
from flows.report import Place, Privacy, Report, Reporter, Status
from tests.flows.helpers import RULES, T0


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        pytest.param("Siti Aminah", "Siti Aminah", id="plain-name-unchanged"),
        pytest.param("Siti\u202enimA", "SitinimA", id="right-to-left-override"),
        pytest.param("\u2067Budi\u2069 \u2066x\u2069", "Budi x", id="isolates"),
        pytest.param("Bu\u202adi\u202c", "Budi", id="embedding-and-pop"),
        pytest.param("De\u200ewi\u200f", "Dewi", id="direction-marks"),
        pytest.param("A\u200bn\u2060i\ufeff", "Ani", id="zero-width-space-joiner-bom"),
        pytest.param("Rina\u061c\u00ad", "Rina", id="arabic-letter-mark-soft-hyphen"),
        pytest.param("Tag\U000e0041\U000e0042", "Tag", id="tag-characters"),
        pytest.param("Siti\nAminah\t\r", "Siti Aminah", id="controls-become-spaces"),
        pytest.param("Siti\u2028Aminah", "Siti Aminah", id="line-separator"),
        pytest.param("  Siti   Aminah  ", "Siti Aminah", id="spaces-collapsed"),
        pytest.param("Siti\x00\x1b[31m", "Siti[31m", id="nul-and-escape"),
        pytest.param("\u202e\u200b", HIDDEN_NAME, id="only-invisible"),
        pytest.param("\u3164\u3164", HIDDEN_NAME, id="hangul-filler-blank"),
        pytest.param("\u200d", HIDDEN_NAME, id="only-a-joiner"),
        pytest.param("👨\u200d👩\u200d👧 Ibu", "👨\u200d👩\u200d👧 Ibu", id="emoji-zwj-kept"),
        pytest.param("عائشة", "عائشة", id="right-to-left-script-kept"),
        pytest.param("Nguyễn Thị", "Nguyễn Thị", id="accents-kept"),
    ],
)
def test_shown_name(typed: str, shown: str) -> None:
    assert shown_name(typed) == shown


def test_the_card_shows_a_reversing_name_neutralised() -> None:
    report = Report(
        id=1,
        code="SW-7K3M-Q9XA",
        status=Status.DITERIMA,
        filed_at=T0,
        updated_at=T0,
        privacy=Privacy.BIASA,
        body="dlh",
        kind="sarana_rusak",
        description="Sampah menumpuk",
        reporter=Reporter(
            user_id=1, chat_id=1, name="Siti\u202e8887 7731 8 26+", phone="+6281377778888"
        ),
        place=Place(kecamatan="Cilegon", kelurahan="Bagendung"),
    )
    card = officer_card(report, RULES)
    assert "\u202e" not in card
    assert "Pelapor: Siti8887 7731 8 26+, +6281377778888" in card
