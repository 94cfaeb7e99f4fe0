"""What the root options decide for every command: the database and "today"."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from netcrm.store.location import DbLocation, resolve_location


@dataclass
class State:
    db_option: str | None = None

    @property
    def location(self) -> DbLocation:
        return resolve_location(self.db_option)

    @property
    def today(self) -> date:
        # NETCRM_TODAY pins "today" for the demo, scripts and subprocess tests.
        pinned = os.environ.get("NETCRM_TODAY")
        if pinned:
            from netcrm.errors import InvalidInput

            try:
                return date.fromisoformat(pinned)
            except ValueError:
                raise InvalidInput(f"NETCRM_TODAY={pinned!r} is not an ISO date") from None
        return date.today()


STATE = State()


def location() -> DbLocation:
    return STATE.location


def today() -> date:
    return STATE.today
