"""Officers correct a report's kind of problem from its card, decided purely: which
presses change the kind, which are refused (forged, unknown, the same kind again,
another chat's report), the list of kinds on the card, and what the classifier learns."""

from __future__ import annotations

from typing import Any

import pytest

from flows import kind_texts, notices
from flows.classify import Classifier
from flows.desk import ApplyDecision
from flows.effects import Notice
from flows.officer import Decision, card_buttons
from flows.report import Status
from tests.flows.helpers import RULES
from tests.flows.test_desk import ANDI, BUDI, DLH_CHAT, DLH_UNIT, DPUPR_CHAT, STRANGER, pressed
from tests.flows.test_officer import report

PUNGLI = "permintaan_imbalan"


@pytest.mark.parametrize(
    ("data", "chat", "user", "changes", "expected"),
    [
        pytest.param(
            "o:jns", DLH_CHAT, ANDI, {}, ApplyDecision(Decision(keyboard="kinds"), DLH_UNIT),
            id="the-menu-opens",
        ),
        pytest.param(
            f"o:jn:{PUNGLI}", DLH_CHAT, ANDI, {},
            ApplyDecision(Decision(kind=PUNGLI), DLH_UNIT), id="a-kind-is-chosen",
        ),
        pytest.param(
            f"o:jn:{PUNGLI}", DLH_CHAT, ANDI, {"status": Status.SELESAI},
            ApplyDecision(Decision(kind=PUNGLI), DLH_UNIT), id="a-closed-report-too",
        ),
        pytest.param(
            "o:jn:lainnya", DLH_CHAT, ANDI, {"kind": None},
            Notice(kind_texts.kind_already("Lainnya")), id="no-kind-is-lainnya",
        ),
        pytest.param(
            "o:jn:sarana_rusak", DLH_CHAT, ANDI, {},
            Notice(kind_texts.kind_already("Sarana/prasarana rusak")), id="second-tap",
        ),
        pytest.param(
            "o:jn:korupsi_besar", DLH_CHAT, ANDI, {}, Notice(kind_texts.kind_unknown()),
            id="forged-kind",
        ),
        pytest.param(
            "o:jn:", DLH_CHAT, ANDI, {}, Notice(kind_texts.kind_unknown()), id="empty-kind"
        ),
        pytest.param(
            f"o:jn:{PUNGLI}", DPUPR_CHAT, BUDI, {}, Notice(notices.not_this_chat()),
            id="another-chats-report",
        ),
        pytest.param(
            f"o:jn:{PUNGLI}", DLH_CHAT, STRANGER, {}, Notice(notices.not_officer()),
            id="not-an-officer",
        ),
        pytest.param(
            f"x:jn:{PUNGLI}", DLH_CHAT, ANDI, {}, Notice(notices.unknown_button()),
            id="garbled-data",
        ),
    ],
)  # fmt: skip
def test_a_press_on_a_kind_button(
    data: str, chat: int, user: int, changes: dict[str, Any], expected: object
) -> None:
    assert pressed(data, chat, user, **changes) == expected


def test_the_list_offers_every_other_kind_and_a_way_back() -> None:
    card = report(kind="sarana_rusak")
    rows = card_buttons(card, "kinds", RULES, ())
    shown = [b.data for row in rows for b in row]
    others = [f"o:jn:{k.id}" for k in RULES.catalogue.kinds if k.id != "sarana_rusak"]
    assert shown == [*others, "o:bk"]
    assert all(len(data.encode()) <= 64 for data in shown)


@pytest.mark.parametrize("status", [Status.DITERIMA, Status.DIPROSES, Status.DITOLAK])
def test_every_card_has_the_kind_button(status: Status) -> None:
    rows = card_buttons(report(status=status), "main", RULES, ())
    assert any(b.data == "o:jns" and "jenis" in b.label for row in rows for b in row)


def test_a_kind_correction_teaches_the_classifier() -> None:
    classifier = Classifier(RULES.catalogue)
    text = "Petugas kelurahan minta uang rokok dua ratus ribu buat surat pengantar"
    other = "Petugas kelurahan minta uang rokok dua ratus ribu untuk surat pengantar"
    before = classifier.classify(other).kind
    taught = "tidak_patut" if before != "tidak_patut" else "diskriminasi"
    classifier.learn_kind(text, taught)
    assert classifier.classify(other).kind == taught
    assert classifier.classify("Lampu jalan mati di gang tiga").kind != taught


def test_an_unknown_kind_is_not_learned() -> None:
    with pytest.raises(KeyError):
        Classifier(RULES.catalogue).learn_kind("Petugas minta uang rokok", "korupsi_besar")
