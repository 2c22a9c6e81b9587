"""The pages a `leadsim serve` visitor sees, from our own templates (``templates/``).

Every value put into a page is HTML-escaped here; the templates use ``string.Template``
placeholders only (no template language, nothing a value could run). The pages load nothing
from outside the server: system fonts, our stylesheet, and textual-serve's terminal script
served from the installed package. All links are relative, so the server also works behind a
reverse proxy under a path prefix.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from aiohttp import web

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# The browser may load only what this server serves; inline styles are the terminal's own.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _fill(template: str, **values: str) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return Template(text).substitute(values)


def _response(text: str, status: int) -> web.Response:
    return web.Response(
        text=text, status=status, content_type="text/html", headers=SECURITY_HEADERS
    )


def page(title: str, body_html: str, status: int = 200) -> web.Response:
    """A plain page; ``body_html`` is markup built by this module (values escaped)."""
    return _response(_fill("page.html", title=html.escape(title), body=body_html), status)


def message(
    title: str, text: str, status: int, link: tuple[str, str] | None = None
) -> web.Response:
    """A page saying one thing, with an optional (href, label) link."""
    body = f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(text)}</p>"
    if link is not None:
        body += (
            f'\n<p><a class="button" href="{html.escape(link[0])}">{html.escape(link[1])}</a></p>'
        )
    return page(title, body, status)


def forbidden() -> web.Response:
    return message(
        "Forbidden",
        "This workshop needs the link your trainer shared (it carries an access token).",
        403,
    )


def full(limit: int) -> web.Response:
    return message(
        "The workshop is full",
        f"{'The one place is' if limit == 1 else f'All {limit} places are'} taken right now. "
        "Please try again in a few minutes; "
        "your work so far is saved.",
        503,
        ("play", "Try again"),
    )


def join(
    title: str, current: str | None, error: str | None, personal_link: str | None
) -> web.Response:
    """The join page: the trainee's name, or carrying on under the one already chosen."""
    parts = [f"<h1>{html.escape(title)}</h1>"]
    if error:
        parts.append(f'<p class="error" role="alert">{html.escape(error)}</p>')
    if current:
        parts.append(
            f"<p>You are playing as <strong>{html.escape(current)}</strong>.</p>"
            '<p><a class="button" id="continue" href="play">Continue</a></p>'
        )
        if personal_link:
            parts.append(
                '<p class="small">To continue on another device, open this link there: '
                f'<span id="personal-link">{html.escape(personal_link)}</span></p>'
            )
    parts.append(
        '<form method="post" action="join">'
        f'<label for="name">{"Or use another name" if current else "Your name"}</label>'
        '<input type="text" id="name" name="name" maxlength="40" autocomplete="name" required'
        f"{'' if current else ' autofocus'}>"
        '<button type="submit" id="join">Start</button></form>'
        '<p class="small">Your name goes into your session log, which your trainer reads.</p>'
    )
    return page(title, "\n".join(parts))


def duration(seconds: float) -> str:
    """'20 minutes', '1 minute', '45 seconds'."""
    if seconds < 90:
        n, unit = round(seconds), "second"
    else:
        n, unit = round(seconds / 60), "minute"
    return f"{n} {unit}{'' if n == 1 else 's'}"


def play(title: str, name: str, idle: float, font_size: int) -> web.Response:
    """The terminal page: textual-serve's script draws the simulator in it."""
    text = _fill(
        "play.html",
        title=html.escape(title),
        name=html.escape(name),
        idle=html.escape(duration(idle)),
        font_size=str(font_size),
    )
    return _response(text, 200)
