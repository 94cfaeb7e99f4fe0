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

    def describe(self) -> str:
        return str(self.path) if self.path is not None else _hide_password(self.url)


def _hide_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        user = creds.split(":", 1)[0]
        return f"{scheme}{sep}{user}:***@{host}"
    return url


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
        return DbLocation(url=value)
    path = Path(value).expanduser() if value else default_path()
    return DbLocation(url=f"sqlite:///{path}", path=path)
