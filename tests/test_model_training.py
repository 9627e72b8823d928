"""The bot trains the routing's learned layer in a child process (suara_warga/model_training.py):
the model it gets back is the one training in-process gives."""

from __future__ import annotations

from flows.learned_model import LabelledText, fit
from suara_warga.config import Config
from suara_warga.model_training import train_apart

BODIES = [
    LabelledText("ada gorowong di kebun warga", "dkpp"),
    LabelledText("gorowong masuk halaman rumah", "dkpp"),
    LabelledText("listrik padam dari sore", "pln"),
    LabelledText("sampah tidak diangkut seminggu", "dlh"),
]
KINDS = [
    LabelledText("petugas mbeletuk ke warga", "tidak_patut"),
    LabelledText("listrik padam dari sore", "sarana_rusak"),
]


def test_the_child_process_trains_the_same_model() -> None:
    apart, here = train_apart(BODIES, KINDS), fit(BODIES, KINDS)
    for text in ("gorowong lagi di kebun", "listrik padam", "petugas mbeletuk"):
        assert apart.decisions(text) == here.decisions(text)


def test_the_configured_rules_route_with_the_learned_layer() -> None:
    classifier = Config().rules().classifier
    result = classifier.classify("air pdam mati dari kemarin, bak mandi kering")
    assert result.candidates[0].body_id == "pdam"
    assert "mirip laporan sebelumnya" in result.candidates[0].matched
