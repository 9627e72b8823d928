"""The board in a real headless browser (Debian's chromium through Selenium).

One test, against a real server on a seeded database, with map tiles pointed at a
closed port (the board must work when tiles fail): the scorecard shows the seeded
figures, the map holds the public reports' markers, the rahasia report appears nowhere,
and screenshots at phone (360 px) and desktop width are written to build/screenshots/.
Skips when chromium or chromedriver is absent, except under CI=true (`.ci/chromium.sh`
installs them there).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from storage import open_store
from tests.web.conftest import make_site
from tests.web.seed import CONFIDENTIAL, SECRET_STORY, SEEDED, seed
from web.app import board_app
from web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if (CHROMIUM is None or CHROMEDRIVER is None) and os.environ.get("CI") != "true":
    pytest.skip(
        "no chromium/chromedriver (bash .ci/chromium.sh installs them)", allow_module_level=True
    )

from selenium import webdriver  # noqa: E402 - only once the browser is known to exist
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

DEAD_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens on the discard port


@pytest.fixture
async def board_url(tmp_path: Path) -> AsyncIterator[str]:
    """A real board server on 127.0.0.1 over a seeded SQLite file."""
    store = await open_store(tmp_path / "board.sqlite3")
    await seed(store)
    site = make_site(store)
    site.settings = WebSettings(tiles_url=DEAD_TILES)
    runner = web.AppRunner(board_app(site), access_log=None)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        await store.close()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """Headless chromium."""
    assert CHROMIUM is not None and CHROMEDRIVER is not None, "run .ci/chromium.sh"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--hide-scrollbars", "--lang=id"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: webdriver.Chrome, url: str, width: int, name: str) -> Path:
    """Open `url` at `width` px, wait for the map, save a full-page PNG."""
    driver.set_window_size(width, 900)
    driver.get(url)
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#peta-laporan.siap")
    )
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 100, 8000))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    driver.save_screenshot(str(path))
    return path


@dataclass
class Seen:
    """What the browser saw."""

    received: str
    markers: int
    lang: str | None
    sources: list[str]  # the board, then the other pages
    secret_page: str
    shots: list[Path]
    blocked: list[str]  # what the Content-Security-Policy refused


def check_board(driver: webdriver.Chrome, url: str) -> Seen:
    """Everything the browser sees, gathered in the browser's thread."""
    shots = [
        screenshot(driver, url + "/", 360, "papan-360.png"),
        screenshot(driver, url + "/", 1280, "papan-1280.png"),
    ]
    received = driver.find_element(By.CSS_SELECTOR, "#kota [data-angka=received]").text
    markers = len(driver.find_elements(By.CSS_SELECTOR, "path.penanda-laporan"))
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    sources = [driver.page_source]
    for path in (
        "/opd/dlh",
        "/data/laporan.csv",
        "/data/laporan.json",
        "/open311/v2/requests.json",
    ):
        driver.get(url + path)
        sources.append(driver.page_source)
    driver.get(f"{url}/laporan/{CONFIDENTIAL}")
    secret_page = driver.find_element(By.TAG_NAME, "main").text
    logs = driver.get_log("browser")  # type: ignore[no-untyped-call]
    blocked = [str(e["message"]) for e in logs if "Content Security Policy" in str(e["message"])]
    return Seen(received, markers, lang, sources, secret_page, shots, blocked)


async def test_the_board_in_a_real_browser(board_url: str, browser: webdriver.Chrome) -> None:
    seen = await asyncio.to_thread(check_board, browser, board_url)

    assert seen.lang == "id"
    assert seen.received == str(len(SEEDED))
    expected = [s for s in SEEDED if not s.privacy.confidential and s.public and s.located]
    assert seen.markers == len(expected)
    for source in seen.sources:
        assert CONFIDENTIAL not in source and SECRET_STORY[:30] not in source
    assert "tidak ditemukan" in seen.secret_page
    assert seen.blocked == []
    for shot in seen.shots:
        assert shot.stat().st_size > 10_000
