"""Where the database is (PRODUCT.md §4): ``--db``, else ``$NETCRM_DB``, else
``netcrm.db`` in the user data directory. A value with ``://`` is an SQLAlchemy
URL; anything else is a SQLite file path.

Cheap to import: no SQLAlchemy here, so read commands can find their file
without paying for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DbLocation:
    """A database: either a SQLite file (``path`` set) or another URL."""

    url: str
    path: Path | None = None

    @property
    def is_sqlite_file(self) -> bool:
        return self.path is not None

    @property
    def is_postgresql(self) -> bool:
        return self.url.startswith("postgresql")

    def describe(self) -> str:
        """Where the database is, for people: never with its password."""
        return str(self.path) if self.path is not None else _hide_password(self.url)

    def scrub(self, text: str) -> str:
        """``text`` (an error from a driver) with this URL's password masked."""
        for secret in _passwords(self.url):
            text = text.replace(secret, "***")
        return text


def _hide_password(url: str) -> str:
    for secret in _passwords(url):
        url = url.replace(secret, "***")
    return url


def _passwords(url: str) -> list[str]:
    """The password of ``url`` as written and decoded: in its user part
    (``user:secret@host``) or its query (``?password=secret``)."""
    from urllib.parse import parse_qsl, unquote

    if "://" not in url:
        return []
    rest, _, query = url.partition("://")[2].partition("?")
    creds, at, _host = rest.rpartition("@")
    found = []
    if at and ":" in creds:
        found.append(creds.split(":", 1)[1])
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == "password":
            found.append(value)
    found += [unquote(s) for s in found]
    # Longest first, so that a password's encoded form is masked whole.
    return sorted({s for s in found if s}, key=len, reverse=True)


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("netcrm", appauthor=False) / "netcrm.db"


def resolve_location(option: str | None = None) -> DbLocation:
    value = option or os.environ.get("NETCRM_DB") or ""
    if "://" in value:
        if value.startswith("sqlite:///") and value != "sqlite:///:memory:":
            # A SQLite URL is still a file we manage (permissions, WAL, fast reads).
            path = Path(value[len("sqlite:///") :]).expanduser()
            return DbLocation(url=f"sqlite:///{path}", path=path)
        scheme, sep, rest = value.partition("://")
        if scheme in ("postgresql", "postgres"):
            # libpq's own spelling: netcrm's driver is psycopg (3), not psycopg2.
            value = f"postgresql+psycopg{sep}{rest}"
        return DbLocation(url=value)
    path = Path(value).expanduser() if value else default_path()
    return DbLocation(url=f"sqlite:///{path}", path=path)
