"""The board's pages: each builds its context (`web.pages`) and renders it as HTML, or
as JSON when the path ends in `.json`."""

from __future__ import annotations

import json
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from web.errors import MESSAGES, Refused
from web.pages import board_context, opd_context, report_context
from web.params import parse_filters, parse_page
from web.site import Site

SITE: web.AppKey[Site] = web.AppKey("site", Site)


def site_of(request: web.Request) -> Site:
    """The board's dependencies."""
    return request.app[SITE]


def dumps(data: Any) -> str:
    """JSON as UTF-8 text (Indonesian names unescaped)."""
    return json.dumps(data, ensure_ascii=False)


def json_page(data: Any) -> web.Response:
    """A `.json` twin."""
    return web.json_response(data, dumps=dumps)


def split_json(name: str) -> tuple[str, bool]:
    """(name without `.json`, whether the JSON twin was asked for)."""
    return (name[: -len(".json")], True) if name.endswith(".json") else (name, False)


def not_found() -> Refused:
    """The one 404 of the board: unknown and confidential alike."""
    return Refused(404, MESSAGES[404])


async def board(request: web.Request) -> web.StreamResponse:
    """`/` and `/index.json`."""
    site = site_of(request)
    context = await board_context(site, parse_filters(request.query, site.rules))
    if request.path.endswith(".json"):
        return json_page(context)
    return aiohttp_jinja2.render_template("board.html", request, context)


async def report(request: web.Request) -> web.StreamResponse:
    """`/laporan/<code>` and `/laporan/<code>.json`."""
    code, as_json = split_json(request.match_info["name"])
    context = await report_context(site_of(request), code)
    if context is None:
        raise not_found()
    if as_json:
        return json_page(context)
    return aiohttp_jinja2.render_template("report.html", request, context)


async def opd(request: web.Request) -> web.StreamResponse:
    """`/opd/<id>` and `/opd/<id>.json`."""
    body_id, as_json = split_json(request.match_info["name"])
    context = await opd_context(site_of(request), body_id, parse_page(request.query))
    if context is None:
        raise not_found()
    if as_json:
        return json_page(context)
    return aiohttp_jinja2.render_template("opd.html", request, context)
