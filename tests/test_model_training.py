"""The bot's learned layer (suara_warga/model_training.py): trained in a child process and
kept on disk, it is the model training in-process gives."""

from __future__ import annotations

from pathlib import Path

from flows.learned_model import LabelledText, LearnedModel, fit
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
PROBES = ("gorowong lagi di kebun", "listrik padam", "petugas mbeletuk", "")


def same(one: LearnedModel, other: LearnedModel) -> bool:
    return all(one.decisions(text) == other.decisions(text) for text in PROBES)


def test_the_child_process_trains_the_model_and_keeps_it(tmp_path: Path) -> None:
    here = fit(BODIES, KINDS)
    apart = train_apart(BODIES, KINDS, cache=tmp_path)
    assert same(apart, here)
    kept = list(tmp_path.glob("routing-model-*.npz"))
    assert len(kept) == 1
    other = tmp_path / "other"
    other.mkdir()
    kept[0].rename(other / kept[0].name)
    again = train_apart(list(reversed(BODIES)), KINDS, cache=other)  # read, not trained
    assert same(again, here)


def test_a_damaged_kept_model_is_trained_again(tmp_path: Path) -> None:
    bodies = BODIES[:3]
    train_apart(bodies, KINDS, cache=tmp_path)
    (kept,) = tmp_path.glob("routing-model-*.npz")
    kept.write_bytes(b"not a model")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / kept.name).write_bytes(b"not a model")
    assert same(train_apart(bodies, KINDS[:1] + KINDS[1:], cache=fresh), fit(bodies, KINDS))


def test_the_arrays_give_back_the_same_model() -> None:
    model = fit(BODIES, KINDS)
    assert same(LearnedModel.from_arrays(model.arrays()), model)


def test_the_configured_rules_route_with_the_learned_layer() -> None:
    classifier = Config().rules().classifier
    result = classifier.classify("air pdam mati dari kemarin, bak mandi kering")
    assert result.candidates[0].body_id == "pdam"
    assert "mirip laporan sebelumnya" in result.candidates[0].matched
