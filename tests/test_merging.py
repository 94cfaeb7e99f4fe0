"""The one field-merge rule (``netcrm.domain.merging``) that ``netcrm merge``
and import share: a table of kept / other → changes."""

from __future__ import annotations

from datetime import date

import pytest

from netcrm.domain.merging import change_names, merge_fields

CASES = [
    # texts: filled, extended, never replaced by something different
    ({"company": None}, {"company": "ACME"}, {"company": "ACME"}),
    ({"company": ""}, {"company": "ACME"}, {"company": "ACME"}),
    ({"company": "ACME"}, {"company": None}, {}),
    ({"company": "ACME"}, {"company": "ACME Studio SAS"}, {"company": "ACME Studio SAS"}),
    ({"company": "acme"}, {"company": "ACME Studio"}, {"company": "ACME Studio"}),
    ({"company": "ACME Studio"}, {"company": "ACME"}, {}),
    ({"location": "Paris"}, {"location": "Lyon, France"}, {}),
    ({"role": "CEO"}, {"role": "CEO"}, {}),
    # single values: filled only
    ({"warmth": 3}, {"warmth": 5}, {}),
    ({"warmth": None}, {"warmth": 5}, {"warmth": 5}),
    ({"cadence": "FREQ=MONTHLY"}, {"cadence": "FREQ=DAILY;INTERVAL=30"}, {}),
    ({"met_on": None}, {"met_on": date(2024, 2, 29)}, {"met_on": date(2024, 2, 29)}),
    # notes: appended once; a longer copy that contains them replaces them
    ({"notes": None}, {"notes": "B"}, {"notes": "B"}),
    ({"notes": "A"}, {"notes": "B"}, {"notes": "A\n\nB"}),
    ({"notes": "A\n\nB"}, {"notes": "B"}, {}),
    ({"notes": "A"}, {"notes": "A\n\nB"}, {"notes": "A\n\nB"}),
    ({"notes": "A"}, {"notes": "A"}, {}),
    # birthday: whole, or its year when day and month agree
    (
        {"birthday_month": None},
        {"birthday_year": 1990, "birthday_month": 4, "birthday_day": 12},
        {"birthday_year": 1990, "birthday_month": 4, "birthday_day": 12},
    ),
    (
        {"birthday_year": None, "birthday_month": 4, "birthday_day": 12},
        {"birthday_year": 1990, "birthday_month": 4, "birthday_day": 12},
        {"birthday_year": 1990},
    ),
    (
        {"birthday_year": None, "birthday_month": 4, "birthday_day": 12},
        {"birthday_year": 1990, "birthday_month": 4, "birthday_day": 13},
        {},
    ),
    # flags
    ({"bigger": False}, {"bigger": True}, {"bigger": True}),
    ({"bigger": True}, {"bigger": False}, {}),
    ({"relationship": "business"}, {"relationship": "personal"}, {"relationship": "personal"}),
    ({"relationship": "mixed"}, {"relationship": "personal"}, {}),
    ({"relationship": "personal"}, {"relationship": "business"}, {}),
]


@pytest.mark.parametrize(("kept", "other", "expected"), CASES)
def test_merge_fields(kept, other, expected):
    assert merge_fields(kept, other) == expected


@pytest.mark.parametrize(("kept", "other", "expected"), CASES)
def test_merging_twice_changes_nothing_more(kept, other, expected):
    once = {**kept, **merge_fields(kept, other)}
    assert merge_fields(once, other) == {}


def test_change_names_say_birthday_once():
    changes = {"company": "x", "birthday_year": 1990, "birthday_month": 4, "notes": "n"}
    assert change_names(changes) == ["company", "birthday", "notes"]
