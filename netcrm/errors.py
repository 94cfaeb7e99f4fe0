"""Typed errors. The domain raises these; the root CLI app turns each into one
``Error: …`` line on stderr and the exit code of PRODUCT.md §4."""

from __future__ import annotations


class NetcrmError(Exception):
    """Base of every error netcrm reports to the user."""

    exit_code = 2

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Extra lines printed after the Error: line (candidates, suggestions).
        self.details = details or []


class InvalidInput(NetcrmError):
    """Bad date, bad key, bad option value, bad file: exit 2, nothing written."""

    exit_code = 2


class NotFound(NetcrmError):
    """Unknown contact, idea, follow-up or handle: exit 2."""

    exit_code = 2


class Ambiguous(NetcrmError):
    """A WHO that matches several contacts: exit 2 with the candidates."""

    exit_code = 2


class DatabaseError(NetcrmError):
    """Cannot open, corrupt, locked past the timeout, newer schema: exit 3."""

    exit_code = 3
