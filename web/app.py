"""The board's aiohttp application: routes, templates, static files, headers.

`board_app(site)` builds a stand-alone application; `install_board(app, site)` adds
the board to an existing one (the webhook server, when they share a port).
`serve_board` runs one until stopped.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp_jinja2
import jinja2
import xstatic.pkg.leaflet
from aiohttp import web

from web import open311, opendata, views
from web.errors import handle_errors
from web.security import add_headers, content_security_policy, security_headers
from web.site import Site

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
LEAFLET = Path(xstatic.pkg.leaflet.BASE_DIR)


def board_app(site: Site) -> web.Application:
    """A new application serving the board."""
    app = web.Application(middlewares=[handle_errors], client_max_size=open311.MAX_BODY)
    install_board(app, site)
    return app


def install_board(app: web.Application, site: Site) -> None:
    """Add the board's routes, templates and headers to `app` (not yet started)."""
    if handle_errors not in app.middlewares:
        app.middlewares.append(handle_errors)
    app[views.SITE] = site

    async def stop_figures(app: web.Application) -> None:
        await site.figures.close()

    app.on_cleanup.append(stop_figures)
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    add_headers(app, security_headers(content_security_policy(site.settings.tiles_url)))
    router = app.router
    for path in ("/", "/index.json"):
        router.add_get(path, views.board)
    router.add_get("/laporan/{name}", views.report)
    router.add_get("/opd/{name}", views.opd)
    opendata.add_routes(router)
    open311.add_routes(router)
    router.add_static("/static/leaflet/", LEAFLET, append_version=False)
    router.add_static("/static/board/", HERE / "static", append_version=False)


def board_address(site: Site, host: str, port: int) -> str:
    """Where people open the board: `public_url`, else the local address."""
    local = f"http://{host}:{port}/"
    public = site.settings.public_url
    return f"{public}/ (lokal: {local})" if public else local


async def serve_board(
    site: Site, host: str, port: int, stop: asyncio.Event, *, announce: bool = True
) -> bool:
    """Serve the board on host:port until `stop` is set; print its address first.

    False (and a logged warning) when the address cannot be bound, so that a taken port
    does not stop the bot or the terminal chat that serves the board alongside.
    """
    runner = web.AppRunner(board_app(site), access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            log.warning("board not served: cannot listen on %s:%d (%s)", host, port, exc)
            return False
        log.info("board serving on http://%s:%d/", host, port)
        if announce:
            print(f"Papan transparansi: {board_address(site, host, port)}", flush=True)
        await stop.wait()
        return True
    finally:
        await runner.cleanup()
