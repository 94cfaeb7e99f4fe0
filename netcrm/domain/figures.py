"""Every figure of the reports, defined once (PRODUCT.md §6).

The keys report, the ideas report, the coaching line, ``netcrm keys``, the
HTML page, each report's ``--help`` and the README all read their rules from
here: the numbers below, the small functions that apply them, and
:data:`NOTES`, the same rules in words (a test keeps the README in step).

- **The window**: ``--since 90d`` is the last 90 days, today included (from
  today − 89; ``3m`` from the day after today − 3 months); ``--since DATE``
  starts on that date. Every section of every report uses that window.
- **In the period**, per kind of item: a contact by the day it was added; an
  interaction by its date; an idea when it was created or moved (a status
  change) in it — checking a step does not count; a follow-up when it was
  created or completed in it.
- **A proposal** is an idea's first move into ``proposed``, ``accepted`` or
  ``declined`` (an accepted idea was proposed, even if the move to proposed
  was not logged), dated by that move. The ideas report's ``proposed`` row,
  its conversion and the self-esteem key all count proposals.
- **Archived contacts** leave your network, not your history: they are not
  counted as contacts anywhere (the network report, new contacts, the keys'
  contact rules); interactions, ideas and follow-ups count whoever they
  involve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from netcrm.errors import InvalidInput

# --- the window ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days ``since`` .. ``until``, both included."""

    since: date
    until: date

    def params(self) -> dict[str, str]:
        # ISO text compares correctly with SQLite's date and timestamp text, and
        # PostgreSQL casts it to the column's type; the end is exclusive so that
        # a timestamp on the last day is inside.
        return {
            "since": self.since.isoformat(),
            "until": (self.until + timedelta(days=1)).isoformat(),
        }

    @property
    def days(self) -> int:
        """Days in the period, both ends included."""
        return (self.until - self.since).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.since <= day <= self.until

    def describe(self) -> str:
        """``"90 days"``, for coaching lines: the days the window holds."""
        days = self.days
        return f"{days} day{'s' if days != 1 else ''}"


def window(since: date, today: date) -> Period:
    """The report window from ``since`` to today, both included."""
    if since > today:
        raise InvalidInput(
            f"--since {since.isoformat()} is after today ({today.isoformat()}); "
            "try 90d or 2026-01-01"
        )
    return Period(since, today)


def all_time(today: date) -> Period:
    return Period(date(1, 1, 1), today)


def iso_weeks(period: Period) -> list[tuple[date, int]]:
    """(Monday, days of that ISO week inside the window) for every week the
    window touches, oldest first; fewer than 7 days marks a partial week."""
    monday = period.since - timedelta(days=period.since.weekday())
    weeks = []
    while monday <= period.until:
        first = max(monday, period.since)
        last = min(monday + timedelta(days=6), period.until)
        weeks.append((monday, (last - first).days + 1))
        monday += timedelta(weeks=1)
    return weeks


# --- proposals ---------------------------------------------------------------------------

PROPOSAL_STATUSES = ("proposed", "accepted", "declined")
_IN = "('proposed', 'accepted', 'declined')"

# Each idea's proposal: its first event (by time, then order of logging) whose
# status is one of PROPOSAL_STATUSES, as (id, at, event_id). The one query the
# ideas report and the self-esteem rule share.
PROPOSALS_SQL = (
    "SELECT e.idea_id AS id, e.at AS at, e.id AS event_id FROM idea_event e "
    f"WHERE e.status IN {_IN} AND NOT EXISTS (SELECT 1 FROM idea_event p "
    f"WHERE p.idea_id = e.idea_id AND p.status IN {_IN} "
    "AND (p.at < e.at OR (p.at = e.at AND p.id < e.id)))"
)
PROPOSALS_IN_PERIOD_SQL = (
    f"SELECT id FROM ({PROPOSALS_SQL}) AS proposal WHERE at >= :since AND at < :until"
)

# --- temperature, losing touch -------------------------------------------------------------

DEFAULT_CADENCE_DAYS = 90
# Warm within one cadence of the last contact, cooling within two, cold after.
COOLING_AFTER = 1
COLD_AFTER = 2
# Warmth from which a cold contact without a cadence is still "losing touch".
CLOSE_WARMTH = 4
TEMPERATURES = ("warm", "cooling", "cold", "untouched")


def cadence_days(every: str | None) -> int:
    """A contact's cadence in days, as :mod:`netcrm.domain.keep_in_touch`
    defines it (a month is 30 days, a year 365, a rule its average gap), or
    :data:`DEFAULT_CADENCE_DAYS` without a cadence. A snoozed touch does not
    change it."""
    if not every:
        return DEFAULT_CADENCE_DAYS
    from netcrm.domain.keep_in_touch import cadence_days as keep_in_touch_days

    return keep_in_touch_days(every)


def temperature(last_contact: date | None, cadence: int, today: date) -> str:
    if last_contact is None:
        return "untouched"
    days = (today - last_contact).days
    if days <= COOLING_AFTER * cadence:
        return "warm"
    if days <= COLD_AFTER * cadence:
        return "cooling"
    return "cold"


def losing_touch(state: str, *, has_cadence: bool, warmth: int | None) -> bool:
    """Cooling, or cold while you meant to keep in touch (a cadence) or were close."""
    close = (warmth or 0) >= CLOSE_WARMTH
    return state == "cooling" or (state == "cold" and (has_cadence or close))


def losing_order(state: str, overdue: int, contact_id: int) -> tuple[int, int, int]:
    """Cooling first, the nearest to going cold first (the most days past one
    cadence); then the cold, the most recently lost first; then by id."""
    if state == "cooling":
        return (0, -overdue, contact_id)
    return (1, overdue, contact_id)


# --- ideas -------------------------------------------------------------------------------

# More open effort than a working day is "too much preparation".
HEAVY_HOURS = 8.0
# An open idea nobody touched for a month is stuck.
STALLED_DAYS = 30

# --- shares, ties --------------------------------------------------------------------------


def percentages(counts: Sequence[int]) -> list[int]:
    """Whole percentages of ``counts`` that sum to exactly 100 (largest
    remainder: each gets its floor, then the largest remainders one more each,
    ties to the row listed first); all zeros when the counts are."""
    grand = sum(counts)
    if grand <= 0:
        return [0] * len(counts)
    floors = [n * 100 // grand for n in counts]
    left = 100 - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(counts[i] * 100 % grand), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return floors


def weakest(totals: Sequence[tuple[str, int]]) -> str:
    """The key with the smallest total; ties go to the first in the article's
    order (the order of ``totals``)."""
    return min(enumerate(totals), key=lambda it: (it[1][1], it[0]))[1][0]


# --- the rules in words --------------------------------------------------------------------

_WINDOW = (
    "Window: --since 90d is the last 90 days, today included (from today - 89); "
    "3m and 1y likewise end today; --since DATE starts on that date. "
    "Every section of the report uses that one window."
)
_ARCHIVED = (
    "Archived contacts: never counted as contacts (network, new contacts, the keys' "
    "contact rules); the interactions, ideas and follow-ups that involve them still count."
)
_IN_PERIOD = (
    "In the period: a contact by the day it was added; an interaction by its date; "
    "an idea when created or moved to another status (checking a step does not count); "
    "a follow-up when created or completed."
)
_PROPOSAL = (
    "Proposal: an idea's first move into proposed, accepted or declined (an accepted "
    "idea was proposed even if that move was not logged), dated by that move."
)
_SHARES = (
    "Shares: whole percentages that add up to 100 (largest remainder, ties to the row "
    "listed first); --json keeps the exact fractions."
)

NOTES: dict[str, tuple[str, ...]] = {
    "keys": (
        _WINDOW,
        _IN_PERIOD,
        "Counts: one per item per key; explicit (tagged with --key) and inferred "
        "(by the rules of netcrm keys) never overlap.",
        _PROPOSAL,
        "First exchange with someone: the earliest by date, then time (an exchange "
        "without a time first), then the order of logging.",
        "Weakest key: the smallest total; a tie goes to the first in the article's order "
        "(creativity, action-plan, self-esteem, opportunity, emotional-intelligence).",
        _SHARES,
        _ARCHIVED,
    ),
    "network": (
        _WINDOW,
        "New: contacts added in the window.",
        f"Temperature, from the last interaction: warm within one cadence, cooling "
        f"within two, cold after that, untouched if never in touch; the cadence in days "
        f"counts a week as 7, a month as 30, a year as 365 (a rule: its average gap), "
        f"{DEFAULT_CADENCE_DAYS} days for a contact without one.",
        f"Losing touch: cooling contacts, and cold ones you keep a cadence with or "
        f"were close to (warmth {CLOSE_WARMTH} or 5); the cooling first (nearest to "
        f"going cold first), then the cold (most recently lost first).",
        _ARCHIVED,
    ),
    "ideas": (
        _WINDOW,
        "Pipeline: ideas by status now (all time); 'in period' is, per status, the "
        "ideas that entered it in the window (created in it or moved into it; for "
        "proposed, the proposals), per kind the ideas created in it.",
        _PROPOSAL,
        "Conversion: the proposals of the window and what became of them: accepted "
        "(moved to accepted or done after), declined, dropped, or still pending.",
        f"Stuck: open ideas flagged no-plan (no step), heavy (open steps over "
        f"{HEAVY_HOURS:g} hours) or stalled ({STALLED_DAYS} days or more without a "
        f"move, an edit or a step), the longest idle first.",
        _SHARES,
        _ARCHIVED,
    ),
    "activity": (
        _WINDOW,
        "Weeks: every ISO week the window touches, Monday first; a week the window "
        "only partly covers is marked partial and counts only its days in the window.",
        "Interactions: one per logged exchange, whatever the number of people, by "
        "its date; out is outreach, in is inbound.",
        _ARCHIVED,
    ),
}
