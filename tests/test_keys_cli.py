"""``netcrm keys``: the five keys, their aliases, meaning and inference rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from netcrm.domain.inference import RULES
from netcrm.domain.keys import KEYS

pytestmark = pytest.mark.both_engines


def test_keys_json(run):
    rows = json.loads(run("keys", "--json").stdout)
    assert [r["key"] for r in rows] == [
        "creativity",
        "action-plan",
        "self-esteem",
        "opportunity",
        "emotional-intelligence",
    ]
    for row, key in zip(rows, KEYS, strict=True):
        assert set(row) == {"key", "label", "aliases", "idea", "meaning", "rules"}
        assert (row["label"], row["aliases"], row["idea"], row["meaning"]) == (
            key.label,
            list(key.aliases),
            key.idea,
            key.meaning,
        )
        assert row["rules"] == [
            {"slug": r.slug, "counts": r.entity, "explanation": r.explanation}
            for r in RULES
            if r.key == key.slug
        ]
        assert row["rules"], key.slug
    assert [rule["slug"] for row in rows for rule in row["rules"]] == [r.slug for r in RULES]


def test_keys_table_prints_aliases_and_every_rule(run):
    out = run("keys").stdout
    lines = out.splitlines()
    assert lines[0] == "creativity  Creativity"
    assert lines[1] == "  aliases: créativité, creative, créatif"
    for key in KEYS:
        assert f"{key.slug}  {key.label}" in lines
    for rule in RULES:
        assert f"  inferred ({rule.slug}): {rule.explanation}" in lines
    assert "never counts twice" in out


def test_keys_needs_no_database(tmp_path):
    # Printing the vocabulary must not create or open a database.
    db = tmp_path / "never.db"
    code = (
        "import sys; from netcrm.cli import app; from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, ['keys']); assert r.exit_code == 0, r.output; "
        "print(sorted({'sqlalchemy', 'sqlmodel', 'alembic'} & set(sys.modules)))"
    )
    env = {**os.environ, "NETCRM_DB": str(db)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert proc.stdout.strip() == "[]"
    assert not db.exists()


def test_help_ends_with_an_example(run):
    for args in (
        ["keys"],
        ["report", "keys"],
        ["report", "network"],
        ["report", "ideas"],
        ["report", "activity"],
        ["report", "all"],
        ["idea", "add"],
        ["idea", "list"],
        ["idea", "show"],
        ["idea", "step"],
        ["idea", "check"],
        ["idea", "move"],
        ["idea", "edit"],
        ["idea", "rm"],
        ["idea", "link"],
        ["idea", "unlink"],
    ):
        text = run(*args, "--help").stdout
        assert "Example: netcrm " + " ".join(args) in text, args
