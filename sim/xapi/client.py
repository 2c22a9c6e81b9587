"""Talking to an LRS over its xAPI statements resource (httpx): send a batch, ask whether a
statement is stored, query statements back.

Retries: a connection refused or reset, a timeout, 429 and 5xx answers are retried up to
``retries`` times, waiting ``backoff`` seconds and doubling (at most 30 s, or the LRS's
``Retry-After`` when shorter). 401/403 raise :class:`Refused` at once; any other 4xx raises
:class:`Rejected` (the batch is then split to find the statements the LRS refuses). Every
text that came from the LRS goes through :func:`sim.safetext.plain` before a message uses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from sim.safetext import plain
from sim.xapi.config import Connection

VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}
MAX_WAIT = 30.0


class LrsError(Exception):
    pass


class Refused(LrsError):
    """The LRS refused the credentials (401/403)."""


class Unreachable(LrsError):
    """No answer worth having after every retry; the statements wait for the next sync."""


class Rejected(LrsError):
    """The LRS refused the request itself (a 4xx other than 401/403)."""

    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail
        super().__init__(f"{status}: {detail}" if detail else str(status))


def detail(response: httpx.Response) -> str:
    """What the LRS said about a refusal, short and safe to print."""
    try:
        data = response.json()
        text = data.get("detail", data) if isinstance(data, dict) else data
    except ValueError:
        text = response.text
    return plain(str(text))[:300]


class Client:
    def __init__(
        self,
        connection: Connection,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connection = connection
        self.sleep = sleep
        auth = None
        if connection.user is not None:
            auth = httpx.BasicAuth(connection.user, connection.password or "")
        self.http = httpx.Client(
            auth=auth,
            headers=VERSION_HEADER,
            timeout=connection.timeout,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        conn = self.connection
        wait = conn.backoff
        why = ""
        for attempt in range(conn.retries):
            if attempt:
                self.sleep(min(wait, MAX_WAIT))
                wait *= 2
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.TimeoutException:
                why = "no answer in time"
                continue
            except httpx.TransportError as e:
                why = f"cannot connect ({plain(str(e))[:200] or type(e).__name__})"
                continue
            status = response.status_code
            if status in (401, 403):
                raise Refused(
                    f"the LRS at {conn.where()} refused the credentials ({status}); check "
                    "LEADSIM_LRS_USER and LEADSIM_LRS_PASSWORD or the config file"
                )
            if status == 429 or status >= 500:
                why = f"the LRS answered {status}"
                after = response.headers.get("Retry-After", "")
                if after.isdigit():
                    wait = min(wait, float(after)) if wait else float(after)
                continue
            if status >= 400:
                raise Rejected(status, detail(response))
            return response
        raise Unreachable(f"the LRS at {conn.where()} did not take the statements: {why}")

    def send(self, statements: list[dict[str, Any]]) -> None:
        """Store a batch (200 or 204); raises :class:`LrsError`."""
        self._request("POST", self.connection.statements_url(), json=statements)

    def stored(self, statement_id: str) -> bool | None:
        """Whether the LRS has the statement; None when it cannot say."""
        try:
            response = self.http.get(
                self.connection.statements_url(), params={"statementId": statement_id}
            )
        except httpx.HTTPError:
            return None
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        return None

    def query(self, **params: str) -> Iterator[dict[str, Any]]:
        """Every statement matching ``params`` (xAPI query parameters), following ``more``."""
        url: str | None = self.connection.statements_url()
        query: dict[str, str] | None = dict(params)
        pages = 0
        while url:
            response = self._request("GET", url, params=query)
            try:
                data = response.json()
            except ValueError:
                raise Rejected(response.status_code, "the answer is not JSON") from None
            statements = data.get("statements") if isinstance(data, dict) else None
            if not isinstance(statements, list):
                raise Rejected(response.status_code, "the answer holds no statements list")
            yield from (s for s in statements if isinstance(s, dict))
            more = data.get("more")
            pages += 1
            url = urljoin(self.connection.url, more) if isinstance(more, str) and more else None
            if url is not None and urlsplit(url)[:2] != urlsplit(self.connection.url)[:2]:
                url = None  # never follow the LRS elsewhere with the credentials
            query = None
            if pages > 100_000:
                break
