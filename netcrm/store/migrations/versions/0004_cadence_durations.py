"""Keep-in-touch cadences become durations; every ``next_touch`` is recomputed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Up to 0003 a typed cadence (``3m``, ``monthly``, ``1y``) was stored as a rule
anchored on the day it was typed (``FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;
BYSETPOS=-1`` on the 31st), and the next touch was the rule's first match after
the last contact: typed on 31 January, a contact met on 10 February was due on
28 February instead of 10 May. From 0004 a cadence is either a duration, stored
as an ISO 8601 duration of one unit (``P30D``, ``P2W``, ``P3M``, ``P1Y``), or a
rule a person wrote (``FREQ=MONTHLY;BYDAY=1MO``, ``every monday``).

This revision, frozen (it does not call netcrm's code, which may change):

- a contact's cadence ``FREQ=F;INTERVAL=N``, with or without the month-end
  clamp the shorthand added (``BYMONTHDAY=28,…;BYSETPOS=-1``, or
  ``BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1`` for 29 February), becomes the
  duration ``PN{D,W,M,Y}``; any other rule is left as it is;
- each converted contact's ``next_touch`` becomes the last contact (or the
  day it was added) plus the duration, by calendar arithmetic; a later stored
  date is kept, since only a snooze puts it there (the anchored rule always
  fell on or before the duration's end);
- a follow-up counted from completion (``from_done``) loses the month-end
  clamp of its shorthand, so that it is counted from the day it is done (done
  on 10 February, "every 3 months" is next on 10 May, not 30 April); counted
  from its due date, the clamp keeps its phase (31 Jan, 28 Feb, 31 Mar) and stays.

The downgrade writes durations back as plain rules (``P3M`` →
``FREQ=MONTHLY;INTERVAL=3``), which 0003's code evaluates the same way from the
last contact, and leaves ``next_touch`` alone.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UNIT_OF = {"DAILY": "D", "WEEKLY": "W", "MONTHLY": "M", "YEARLY": "Y"}
FREQ_OF = {unit: freq for freq, unit in UNIT_OF.items()}
SHORTHAND = re.compile(
    r"FREQ=(?P<freq>DAILY|WEEKLY|MONTHLY|YEARLY);INTERVAL=(?P<n>[0-9]+)(?:;(?P<clamp>.*))?"
)
MONTH_END_CLAMPS = {
    "BYMONTHDAY=28,29;BYSETPOS=-1",
    "BYMONTHDAY=28,29,30;BYSETPOS=-1",
    "BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
}
FEB_29_CLAMP = "BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"
DURATION = re.compile(r"P(?P<n>[0-9]+)(?P<unit>[DWMY])")

contact = sa.table(
    "contact",
    sa.column("id", sa.Integer),
    sa.column("cadence", sa.String),
    sa.column("last_contact", sa.Date),
    sa.column("next_touch", sa.Date),
    sa.column("created_at", sa.DateTime),
)
followup = sa.table(
    "followup",
    sa.column("id", sa.Integer),
    sa.column("recurrence", sa.String),
    sa.column("from_done", sa.Boolean),
)


def _duration(rule):
    """(count, unit letter) of a shorthand rule, or None for a rule a person wrote."""
    match = SHORTHAND.fullmatch(rule)
    if match is None or int(match["n"]) < 1:
        return None
    clamp, freq = match["clamp"], match["freq"]
    anchored = (freq == "MONTHLY" and clamp in MONTH_END_CLAMPS) or (
        freq == "YEARLY" and clamp == FEB_29_CLAMP
    )
    if clamp is not None and not anchored:
        return None
    return int(match["n"]), UNIT_OF[freq]


def _plus(day, count, unit):
    from dateutil.relativedelta import relativedelta

    step = {
        "D": relativedelta(days=count),
        "W": relativedelta(weeks=count),
        "M": relativedelta(months=count),
        "Y": relativedelta(years=count),
    }[unit]
    try:
        return day + step
    except (OverflowError, ValueError):
        return None


def _unclamped(rule):
    """A follow-up's shorthand rule without the month-end clamp, or None."""
    match = SHORTHAND.fullmatch(rule or "")
    if match is None or match["clamp"] is None or _duration(rule) is None:
        return None
    return f"FREQ={match['freq']};INTERVAL={match['n']}"


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            contact.c.id,
            contact.c.cadence,
            contact.c.last_contact,
            contact.c.next_touch,
            contact.c.created_at,
        ).where(contact.c.cadence.is_not(None))
    ).all()
    for row in rows:
        found = _duration(row.cadence)
        if found is None:
            continue
        count, unit = found
        base = row.last_contact or row.created_at.date()
        nxt = _plus(base, count, unit)
        if nxt is not None and row.next_touch is not None and row.next_touch > nxt:
            nxt = row.next_touch
        conn.execute(
            contact.update()
            .where(contact.c.id == row.id)
            .values(cadence=f"P{count}{unit}", next_touch=nxt)
        )
    for followup_id, recurrence in conn.execute(
        sa.select(followup.c.id, followup.c.recurrence).where(
            followup.c.from_done.is_(True), followup.c.recurrence.is_not(None)
        )
    ).all():
        plain = _unclamped(recurrence)
        if plain is not None:
            conn.execute(
                followup.update().where(followup.c.id == followup_id).values(recurrence=plain)
            )


def downgrade() -> None:
    conn = op.get_bind()
    for contact_id, cadence in conn.execute(
        sa.select(contact.c.id, contact.c.cadence).where(contact.c.cadence.like("P%"))
    ).all():
        match = DURATION.fullmatch(cadence)
        if match is not None:
            rule = f"FREQ={FREQ_OF[match['unit']]};INTERVAL={match['n']}"
            conn.execute(contact.update().where(contact.c.id == contact_id).values(cadence=rule))
