"""Where statements go and how they name things: the LRS connection and the xAPI options.

Read from, in order (a later source wins per key):

1. the config file ``lrs.toml`` (``$LEADSIM_CONFIG`` names another file; with
   ``$LEADSIM_HOME`` set it is ``$LEADSIM_HOME/lrs.toml``, else it lives in the user's config
   folder, e.g. ``~/.config/leadsim/lrs.toml``)::

       [lrs]
       url = "http://127.0.0.1:8100/xAPI/"   # the LRS's xAPI endpoint
       user = "trainer"
       password = "..."                      # keep the file private (chmod 600)
       auto = true                           # sync after each session (default: on)
       batch = 50                            # statements per request
       retries = 5                           # attempts per request before giving up for now
       backoff = 0.5                         # seconds before the first retry, doubled after each
       timeout = 10                          # seconds per request

       [xapi]
       activity_base = "https://learning.example.com/leadsim/"
       home_page = "https://learning.example.com"   # the actor's account home page
       mbox_domain = "example.com"                  # or: actors as mailto:NAME@example.com

2. the environment: ``LEADSIM_LRS_URL``, ``LEADSIM_LRS_USER``, ``LEADSIM_LRS_PASSWORD``;
3. ``--lrs URL`` on the command line (a URL only: credentials never go on a command line,
   where other users see them in the process list; a URL with ``user:password@`` is refused).

The password is only ever sent to the LRS: it is never printed, logged or put in a message
(:meth:`Connection.__repr__` hides it, and messages show :meth:`Connection.where`).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs

CONFIG_ENV = "LEADSIM_CONFIG"
URL_ENV = "LEADSIM_LRS_URL"
USER_ENV = "LEADSIM_LRS_USER"
PASSWORD_ENV = "LEADSIM_LRS_PASSWORD"
FILE_NAME = "lrs.toml"
DEFAULT_BASE = "https://leadsim.invalid/"
DEFAULT_HOME_PAGE = "https://leadsim.invalid"


class ConfigError(Exception):
    """A config that cannot be used; the message says what to change (never a password)."""


@attrs.frozen
class Options:
    """How statements name things."""

    activity_base: str = DEFAULT_BASE
    home_page: str = DEFAULT_HOME_PAGE
    mbox_domain: str | None = None


@attrs.frozen
class Connection:
    url: str
    user: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    auto: bool = True
    batch: int = 50
    retries: int = 5
    backoff: float = 0.5
    timeout: float = 10.0

    def where(self) -> str:
        """The URL as a message may show it."""
        return self.url

    def statements_url(self) -> str:
        return self.url.rstrip("/") + "/statements"


@attrs.frozen
class Config:
    options: Options
    connection: Connection | None
    file: Path


def config_file() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    home = os.environ.get("LEADSIM_HOME")
    if home:
        return Path(home).expanduser() / FILE_NAME
    import platformdirs

    return platformdirs.user_config_path("leadsim") / FILE_NAME


def check_url(url: str, source: str) -> str:
    """An http(s) URL without credentials in it, ending in '/'; raises ConfigError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{source}: {url!r} is not an http(s) URL of an LRS's xAPI endpoint")
    if parts.username or parts.password:
        raise ConfigError(
            f"{source}: the URL carries credentials; put them in {USER_ENV} and "
            f"{PASSWORD_ENV} or the config file instead"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the config file ({e.strerror})") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: not a valid TOML file ({e})") from None


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return table


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise ConfigError(f"{where}: {key} has the wrong type")
    return value


def load(url: str | None = None) -> Config:
    """The configuration, with ``url`` (``--lrs``) winning; raises :class:`ConfigError`."""
    path = config_file()
    data = _read_file(path)
    lrs, xapi = _table(data, "lrs", path), _table(data, "xapi", path)
    where = f"{path} [xapi]"
    options = Options(
        activity_base=_iri_base(_get(xapi, "activity_base", str, where) or DEFAULT_BASE),
        home_page=_get(xapi, "home_page", str, where) or DEFAULT_HOME_PAGE,
        mbox_domain=_get(xapi, "mbox_domain", str, where),
    )
    where = f"{path} [lrs]"
    chosen = url or os.environ.get(URL_ENV) or _get(lrs, "url", str, where)
    if not chosen:
        return Config(options, None, path)
    source = "--lrs" if url else (URL_ENV if os.environ.get(URL_ENV) else where)
    number = (int, float)
    connection = Connection(
        url=check_url(chosen, source),
        user=os.environ.get(USER_ENV) or _get(lrs, "user", str, where),
        password=os.environ.get(PASSWORD_ENV) or _get(lrs, "password", str, where),
        auto=_or(_get(lrs, "auto", bool, where), True),
        batch=max(1, _or(_get(lrs, "batch", int, where), 50)),
        retries=max(1, _or(_get(lrs, "retries", int, where), 5)),
        backoff=max(0.0, float(_or(_get(lrs, "backoff", number, where), 0.5))),
        timeout=max(0.1, float(_or(_get(lrs, "timeout", number, where), 10.0))),
    )
    return Config(options, connection, path)


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _iri_base(base: str) -> str:
    return base if base.endswith(("/", ":", "#")) else base + "/"
