"""The design card, enforced (docs/architecture.md): flows/ is pure, SQL only in storage/,
Telegram only in bot/, service/ (the application layer between them) imports neither,
bot/, service/ and web/ are handed their configuration (they never import suara_warga/),
the public board (web/) touches neither Telegram nor SQL nor the application layer (it is
handed the engine's filing function), no inner room imports the board, the Bot API
emulator stands on its own, and no product package imports the emulator, the tests or
the benchmarks (which import no tests either)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

FORBIDDEN = {
    "flows": {
        "telegram", "aiosqlite", "sqlite3", "asyncpg", "storage", "service", "bot", "web",
        "httpx", "asyncio",
    },
    "storage": {"telegram", "service", "bot", "web", "httpx"},
    "service": {
        "telegram", "aiosqlite", "sqlite3", "asyncpg", "aiohttp", "httpx", "bot", "web",
        "suara_warga",
    },
    "bot": {"aiosqlite", "sqlite3", "asyncpg", "suara_warga"},
    "web": {
        "telegram", "aiosqlite", "sqlite3", "asyncpg", "httpx", "service", "bot", "suara_warga",
    },
    "emulator": {
        "flows", "storage", "service", "bot", "suara_warga", "web", "telegram", "tests", "bench",
    },
}
"""What each room may not import; docs/architecture.md draws the same rules."""
PRODUCT = ("flows", "storage", "service", "bot", "web", "suara_warga")
#: Test-only code: the emulator serves tests and benchmarks; the product never needs them.
NOT_PRODUCT = {"emulator", "tests", "bench"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_stay_in_their_layer(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
        if imported_modules(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_only_bot_imports_telegram() -> None:
    outside = [
        str(path.relative_to(ROOT))
        for folder in ("flows", "storage", "service", "web", "suara_warga")
        for path in (ROOT / folder).rglob("*.py")
        if "telegram" in imported_modules(path)
    ]
    assert outside == []


@pytest.mark.parametrize("package", PRODUCT)
def test_product_never_imports_test_code(package: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / package).rglob("*.py"))
        if imported_modules(path) & NOT_PRODUCT
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["emulator", "bench"])
def test_emulator_and_bench_never_import_tests(package: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / package).rglob("*.py"))
        if "tests" in imported_modules(path)
    ]
    assert offenders == []
