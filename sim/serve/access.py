"""Who may use a `leadsim serve` server.

- Bound to a loopback address (the default) the server needs no token, but it answers only
  requests whose ``Host`` is a loopback name, so a web page elsewhere cannot reach it through
  DNS rebinding.
- Bound to any other address it needs a token: a random one printed in the link to share, or
  the trainer's own (``--token``, which also works on loopback). The link's ``?token=`` is
  moved into a cookie on the first visit; a request without it gets a plain 403 page.
- A websocket or a form post from another origin is refused either way.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from aiohttp import web

TOKEN_COOKIE = "leadsim_token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True for a loopback address or name (``127.0.0.1``, ``::1``, ``localhost``)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(18)


def host_name(host_header: str) -> str:
    """The host part of a ``Host`` header (``[::1]:8000`` -> ``::1``)."""
    return urlsplit(f"//{host_header}").hostname or ""


class Access:
    """The server's access rule: ``token`` None means loopback-only without a token."""

    def __init__(self, token: str | None) -> None:
        self.token = token

    def token_in(self, request: web.Request) -> str | None:
        """The token the request carries: in the link, else in the cookie."""
        return request.query.get("token") or request.cookies.get(TOKEN_COOKIE)

    def allows(self, request: web.Request) -> bool:
        if self.token is None:
            return is_loopback(host_name(request.host))
        given = self.token_in(request) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    def same_origin(self, request: web.Request) -> bool:
        """A browser's ``Origin`` (sent with websockets and form posts) names this server."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc.lower() == request.host.lower()
