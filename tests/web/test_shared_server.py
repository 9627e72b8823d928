"""In webhook mode on the same address, the board shares the webhook's aiohttp server."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from storage.base import Store
from tests.web.conftest import make_site
from tests.web.seed import SEEDED
from web.app import install_board


async def webhook(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def test_the_board_installs_next_to_other_routes(seeded: Store) -> None:
    app = web.Application()
    app.router.add_post("/telegram/webhook", webhook)
    install_board(app, make_site(seeded))

    async with TestClient(TestServer(app)) as client:
        hook = await client.post("/telegram/webhook", data=b"{}")
        board = await client.get("/index.json")

        assert hook.status == 200 and await hook.text() == "ok"
        assert (await board.json())["figures"]["received"] == len(SEEDED)
        assert "Content-Security-Policy" in board.headers
