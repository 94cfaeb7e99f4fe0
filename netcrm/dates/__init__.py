"""Dates and recurrence rules: every date or rule a user types is read here.

Pure functions without I/O. "Today" is always a parameter, never the wall
clock, so tests and ``due`` agree on what today is. dateutil is imported inside
the functions that need it (``import netcrm.dates`` stays cheap for ``--help``).
Every bad input raises :class:`~netcrm.errors.InvalidInput` with an example of a
valid form; nothing else escapes, whatever dateutil does with odd text.

Choices a user can see:

- ``friday``, ``next friday``, ``on friday``, ``vendredi``, ``vendredi prochain``
  all mean the next Friday *strictly after* today: a reminder typed on a Friday
  "for friday" is meant for next week, not for today. ``this friday`` and
  ``ce vendredi`` include today. ``last friday`` / ``vendredi dernier`` are the
  latest Friday strictly before today.
- ``next week`` / ``la semaine prochaine`` (and month, year) mean one unit from
  today; ``last week`` one unit before.
- ``m`` is always months, never minutes. Months and years move by calendar
  (``+1m`` from 31 January is 28 or 29 February, as ``relativedelta`` does);
  as a number of days (:func:`parse_duration_days`) a month is 30 days and a
  year 365.
- A date without a year (``Dec 5``, ``5 décembre``) is in today's year, even if
  that is already past (as dateutil does). Two-digit years land within 50 years
  of *today* (dateutil's rule, but against the injected today).
- Numbers with ``/`` or ``-`` (``12/04``, ``25-12-2026``) are read day-first or
  month-first only when that is unambiguous (a number above 12, or both the
  same); otherwise the error offers both readings as ISO dates. Dotted dates
  (``5.12.2026``) are day-first, as everywhere dots are used. A year first
  (``2026/12/01``) is always year-month-day; ``20261201`` is ISO too. Bare
  numbers (``5``) are refused. For birthdays ``04-12`` and ``--04-12`` are
  month-day, as in vCard.
- A birthday year 1604 or 0000 means "no year": Apple and some vCard exports
  write that for a birthday without one.

Recurrence rules are stored as RFC 5545 RRULE bodies (no ``RRULE:`` prefix) and
evaluated with ``dateutil.rrule``. Only DAILY, WEEKLY, MONTHLY and YEARLY rules
with date-level parts are accepted (no BYHOUR…): netcrm schedules days.

- Shorthand: ``3d``, ``2w``, ``1m``, ``1y``, ``30 days``, ``daily`` …
  ``yearly``, ``fortnightly``, ``quarterly``, ``every 2 weeks``, ``every other
  week``, ``every monday``, and the French ``tous les jours``, ``chaque
  semaine``, ``toutes les 2 semaines``, ``mensuel``, ``tous les lundis``.
  Raw rules follow RFC 5545's restrictions (BYYEARDAY and BYWEEKNO only with
  YEARLY, no BYMONTHDAY with WEEKLY, not both COUNT and UNTIL) and netcrm adds
  one: no BYSETPOS with DAILY, where it can only mean "every day" or "never".
- A follow-up's shorthand monthly rule anchored on a day some months lack
  (29, 30, 31) carries an end-of-month clamp (``BYMONTHDAY=28,29,30,31;
  BYSETPOS=-1``), so "every month from 31 January" is Jan 31, Feb 28, Mar 31,
  Apr 30 instead of RFC 5545's skipping of short months; a yearly rule from
  29 February falls on 28 February in other years. Counted from completion
  (``from_done``) a shorthand has no anchor: the clamp applies from each day it
  is done. :func:`~netcrm.dates.recurrence.anchor_rule` moves the clamp when
  the due date or the counting changes.
- :func:`next_occurrence` counts from ``after`` (it is the rule's DTSTART). A
  plain monthly or yearly rule (no BY… parts) counted from such a day gets the
  same clamp, like ``relativedelta``, rather than skipping a month. ``UNTIL`` is
  kept as a date. ``COUNT`` is the number of occurrences left from a
  follow-up's due date (see :mod:`netcrm.domain.followups`).
- A keep-in-touch **cadence** is a duration (``P3M``), or a rule; see
  :mod:`netcrm.dates.cadence`.
- The next occurrence is searched for within 100 years; a rule with none there
  is refused. ``BYMONTH=2;BYMONTHDAY=30`` is refused up front, since dateutil
  would scan every day to year 9999 to find it never happens.
"""

from netcrm.dates.cadence import cadence_days, describe_cadence, next_touch_after, parse_cadence
from netcrm.dates.durations import describe_relative, parse_duration_days, parse_since
from netcrm.dates.parsing import parse_birthday, parse_date
from netcrm.dates.recurrence import describe_rule, next_occurrence, parse_recurrence

__all__ = [
    "cadence_days",
    "describe_cadence",
    "describe_relative",
    "describe_rule",
    "next_touch_after",
    "next_occurrence",
    "parse_birthday",
    "parse_cadence",
    "parse_date",
    "parse_duration_days",
    "parse_recurrence",
    "parse_since",
]
