"""Errors as people and programs expect them: a polite page, JSON, or Open311's array.

`handle_errors` turns every refusal (`web.HTTPException`, `BadRequest`) into the
format the path asks for, and any unexpected failure into a 500 that tells nothing of
the inside. Messages are Indonesian.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web

from web.params import BadRequest
from web.security import MAX_QUERY

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
OPEN311 = "/open311/"
MESSAGES = {
    400: "Permintaan tidak dapat kami proses.",
    403: "Akses ditolak.",
    404: "Halaman tidak ditemukan. Periksa kembali alamatnya atau kode laporannya.",
    405: "Halaman ini hanya dapat dibaca.",
    413: "Kiriman terlalu besar.",
    414: "Alamat terlalu panjang.",
    429: "Terlalu banyak permintaan. Coba lagi nanti.",
    500: "Maaf, terjadi kesalahan pada server. Silakan coba lagi nanti.",
}


class Refused(Exception):
    """A refusal with a message for people (and Open311's error code)."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or str(status)


def error_response(request: web.Request, status: int, message: str, code: str) -> web.Response:
    """The refusal in the format of the requested path."""
    path = request.path
    if path.startswith(OPEN311):
        body = [{"code": code, "description": message}]
        return web.json_response(body, status=status)
    if path.endswith((".json", ".csv")):
        return web.json_response({"error": message, "status": status}, status=status)
    context = {"title": "Maaf", "status": status, "message": message}
    response = aiohttp_jinja2.render_template("error.html", request, context, status=status)
    return response


@web.middleware
async def handle_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse overlong queries; render every error in the path's format."""
    if len(request.query_string) > MAX_QUERY:
        return error_response(request, 414, MESSAGES[414], "414")
    try:
        return await handler(request)
    except Refused as exc:
        return error_response(request, exc.status, exc.message, exc.code)
    except BadRequest as exc:
        return error_response(request, 400, str(exc), "400")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = MESSAGES.get(exc.status, MESSAGES[400])
        return error_response(request, exc.status, message, str(exc.status))
    except Exception:
        log.exception("board page %s failed", request.path)
        return error_response(request, 500, MESSAGES[500], "500")
