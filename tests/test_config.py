"""Configuration: the example file is valid, the environment wins, errors are readable."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from suara_warga.config import Config, ConfigError, load_config
from tests.helpers import ROOT, write_config


def test_example_config_is_valid_and_documents_the_defaults() -> None:
    values = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    assert Config(**values) == Config()


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, '[telegram]\ntoken = "1:file"\nadmin_chat_id = -100\n')
    monkeypatch.setenv("SUARA_WARGA_TELEGRAM__TOKEN", "2:env")
    config = load_config(path)
    assert config.telegram.token is not None
    assert config.telegram.token.get_secret_value() == "2:env"
    assert config.telegram.admin_chat_id == -100


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("[telegram\n", "not valid TOML", id="broken-toml"),
        pytest.param('[telegram]\ntoken = "abc"\n', "telegram.token", id="bad-token"),
        pytest.param(
            "[telegram]\nadmin_chat_id = 'x'\n", "telegram.admin_chat_id", id="bad-chat-id"
        ),
        pytest.param("[storage]\npth = 'x'\n", "storage.pth", id="typo-key"),
        pytest.param(
            "[conversation]\ntimezone = 'Mars/Olympus'\n", "unknown time zone", id="bad-zone"
        ),
        pytest.param(
            "[telegram]\nmax_update_attempts = 0\n",
            "telegram.max_update_attempts",
            id="no-attempt-at-all",
        ),
        pytest.param(
            "[storage]\nbusy_timeout_seconds = 0\n",
            "storage.busy_timeout_seconds",
            id="no-wait-for-locks",
        ),
    ],
)
def test_invalid_config_gives_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = write_config(tmp_path, content)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_secret_token_is_not_printed() -> None:
    config = Config(telegram={"token": "123:SECRET"})
    assert "SECRET" not in repr(config) and "SECRET" not in str(config)
