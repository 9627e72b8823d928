"""Helpers shared by every test package: report codes in texts, configuration files."""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
"""The repository."""

CODE = re.compile(r"SW-[0-9A-Z]{4}-[0-9A-Z]{4}")
"""A report code as the bot shows it."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def code_in(message: Mapping[str, Any]) -> str:
    """The report code in a message's text; fails the test when there is none."""
    found = CODE.search(str(message.get("text") or ""))
    assert found, message
    return found.group()


def write_config(
    folder: Path, settings: str | Mapping[str, Any], name: str = "config.toml"
) -> Path:
    """Write a configuration file as an operator would: `settings` as TOML, or a text
    written as it is (for files that are wrong on purpose). Returns its path."""
    path = folder / name
    text = settings if isinstance(settings, str) else tomli_w.dumps(settings)
    path.write_text(text, encoding="utf-8")
    return path
