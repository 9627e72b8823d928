"""The `[evidence]` section: limits reach the conversation's rules; bad values are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.evidence import MEGABYTE, EvidenceLimits
from suara_warga.config import Config, ConfigError, load_config
from tests.helpers import write_config


def test_the_evidence_limits_reach_the_rules(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        "[evidence]\nmax_items = 3\nmax_voice_minutes = 2\nmax_video_mb = 10\n"
        'max_document_mb = 5\ndocument_types = ["application/pdf"]\n',
    )
    assert load_config(path).rules().evidence == EvidenceLimits(
        max_items=3,
        max_voice_seconds=120,
        max_video_bytes=10 * MEGABYTE,
        max_document_bytes=5 * MEGABYTE,
        document_types=("application/pdf",),
    )
    assert Config().rules().evidence == EvidenceLimits()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("max_video_mb = 50\n", "evidence.max_video_mb", id="over-bot-download"),
        pytest.param('document_types = ["pdf"]\n', "not a MIME type", id="not-a-mime-type"),
        pytest.param("max_item = 3\n", "evidence.max_item", id="typo-key"),
    ],
)
def test_bad_evidence_settings_give_one_clear_error(
    tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write_config(tmp_path, "[evidence]\n" + content))
