"""The suite keeps what it trains in a cache folder of its own run (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from suara_warga.config import Config
from suara_warga.model_training import default_cache


def test_the_routing_model_is_kept_in_the_runs_own_cache() -> None:
    folder = default_cache()
    assert not folder.is_relative_to(Path.home() / ".cache"), folder
    Config().rules()  # trains the pack's model, or reads it from this run's cache
    assert list(folder.glob("routing-model-*.npz"))
