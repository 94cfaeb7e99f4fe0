"""The activity report of PRODUCT.md §6, as plain data (beside
:mod:`netcrm.domain.reports`, which holds the other three).

**activity** — interactions per ISO week the window touches (``days`` in the
window, ``partial`` when fewer than 7), as a week × weekday heat map, with
outreach (``out``) and inbound (``in``); then the same window's totals per
channel and overall. Every figure follows :mod:`netcrm.domain.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from netcrm.domain import figures
from netcrm.domain.figures import Period, window
from netcrm.domain.reports import WEEKDAYS
from netcrm.store.values import as_date

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row

ACTIVITY_COLUMNS = (
    "section",
    "item",
    "start",
    "days",
    "partial",
    *WEEKDAYS,
    "total",
    "outreach",
    "inbound",
)


@dataclass
class Tally:
    """Interactions of one week, channel or period, by weekday and direction;
    ``days`` of the window it covers (None for a channel)."""

    label: str
    start: date | None = None
    days: int | None = None
    weekdays: list[int] = field(default_factory=lambda: [0] * 7)
    outreach: int = 0
    inbound: int = 0

    @property
    def total(self) -> int:
        return sum(self.weekdays)

    @property
    def partial(self) -> bool | None:
        """A week the window only partly covers (None when not a week)."""
        return None if self.days is None or self.start is None else self.days < 7

    def add(self, day: date, direction: str) -> None:
        self.weekdays[day.weekday()] += 1
        if direction == "in":
            self.inbound += 1
        else:
            self.outreach += 1

    def row(self, section: str) -> dict[str, Any]:
        return {
            "section": section,
            "item": self.label,
            "start": self.start.isoformat() if self.start else None,
            "days": self.days,
            "partial": self.partial if section == "week" else None,
            **dict(zip(WEEKDAYS, self.weekdays, strict=True)),
            "total": self.total,
            "outreach": self.outreach,
            "inbound": self.inbound,
        }


@dataclass(frozen=True)
class ActivityReport:
    since: date
    until: date
    weeks: list[Tally]  # every ISO week the window touches, oldest first
    channels: list[Tally]  # over the window, busiest first
    period: Tally

    def rows(self) -> list[dict[str, Any]]:
        return (
            [w.row("week") for w in self.weeks]
            + [c.row("channel") for c in self.channels]
            + [self.period.row("period")]
        )

    @property
    def busiest_week(self) -> int:
        return max((w.total for w in self.weeks), default=0)

    def in_window(self, week: Tally, weekday: int) -> bool:
        """Whether that day of that week is inside the window."""
        assert week.start is not None
        return self.since <= week.start + timedelta(days=weekday) <= self.until


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def activity_report(reader: Reader, *, today: date, since: date) -> ActivityReport:
    period: Period = window(since, today)
    rows: list[Row] = reader.rows(
        "SELECT occurred_on, direction, channel FROM interaction "
        "WHERE occurred_on >= :since AND occurred_on < :until",
        period.params(),
    )
    weeks = figures.iso_weeks(period)
    first_monday = weeks[0][0]
    tallies = [Tally(week_label(monday), monday, days) for monday, days in weeks]
    channels: dict[str, Tally] = {}
    total = Tally(f"{period.since.isoformat()}..{today.isoformat()}", period.since, period.days)
    for row in rows:
        day = as_date(row["occurred_on"])
        assert day is not None
        tallies[(day - first_monday).days // 7].add(day, row["direction"])
        channels.setdefault(row["channel"], Tally(row["channel"])).add(day, row["direction"])
        total.add(day, row["direction"])
    by_channel = sorted(channels.values(), key=lambda t: (-t.total, t.label))
    return ActivityReport(
        since=since, until=today, weeks=tallies, channels=by_channel, period=total
    )
