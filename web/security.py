"""Headers and refusals that keep the board safe to open from anywhere.

Every response carries a Content-Security-Policy (scripts, styles and fonts only from
the board itself; images also from the tile server), no sniffing, no framing, no
referrer beyond the origin, and no powerful browser features. Overlong query strings
are refused before any page runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

MAX_QUERY = 1000
"""The longest query string a page accepts (its filters need far less)."""


def content_security_policy(tiles_url: str) -> str:
    """The CSP of every page; `tiles_url` is the only other origin (map images)."""
    parts = urlsplit(tiles_url)
    # A {s} subdomain placeholder in the host becomes a wildcard of that domain.
    host = parts.netloc.replace("{s}", "*")
    tiles = f"{parts.scheme}://{host}"
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: {tiles}",
            "connect-src 'self'",
            "font-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def security_headers(csp: str) -> dict[str, str]:
    """The headers added to every response."""
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "geolocation=(), camera=(), microphone=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def add_headers(app: web.Application, headers: dict[str, str]) -> None:
    """Put `headers` on every response of `app`, errors and static files included."""

    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        for name, value in headers.items():
            response.headers.setdefault(name, value)

    app.on_response_prepare.append(on_prepare)
