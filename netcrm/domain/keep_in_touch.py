"""Keep in touch: the one definition of a contact's next touch and of its cadence in days.

Every writer of ``contact.next_touch`` calls :func:`next_touch` — contact add,
edit, log, merge, ``done k…``, interaction changes (through
``contacts.refresh_touch``), the bulk import, the demo and the benchmark
generator — and every figure that compares a silence with a cadence (``report
network``'s warm / cooling / cold) calls :func:`cadence_days`. The calendar
arithmetic itself lives in :mod:`netcrm.dates.cadence`.
"""

from __future__ import annotations

from datetime import date, datetime

from netcrm.dates import cadence_days as _cadence_days
from netcrm.dates import next_touch_after


def next_touch(
    cadence: str | None, last_contact: date | None, added: date | datetime
) -> date | None:
    """The next keep-in-touch date: the last contact (or the day the contact was
    added) plus the cadence; None without a cadence."""
    if not cadence:
        return None
    base = last_contact or (added.date() if isinstance(added, datetime) else added)
    return next_touch_after(cadence, base)


def cadence_days(cadence: str) -> int:
    """A cadence in days, as reports compare it with a silence: a duration's
    nominal length (a month is 30 days, a year 365), or a rule's average gap
    between occurrences (``FREQ=WEEKLY;BYDAY=TU,TH`` is 7 days)."""
    return _cadence_days(cadence)
