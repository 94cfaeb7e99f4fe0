"""Privacy (issue 7, PRODUCT.md §8): a deleted contact leaves no trace in the
database file nor its ``-wal`` once checkpointed — tables, freed pages and the
full-text index included — and every file netcrm writes (database, ``-wal``,
``-shm``, migration and ``db backup`` copies, exports, reports) is 0600 in a
0700 folder under the usual umask 022.

The search is on raw bytes. The full-text index does not keep a contact's
text as typed: it keeps folded tokens (``xaviere``, ``zorglubette``), and FTS5
stores a term after the first on a page as (shared prefix length, rest), so
each token is looked for by its tail as well.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.reliability_helpers import (
    ROOT,
    cli_env,
    forget_engine,
    fresh_db,
    structural_problems,
)

NOW = datetime(2026, 11, 27, 9, 0)
NAME = "Xavière Zorglubette"
EMAIL = "vwzlocalpart@qjxmailhost.example"
COMPANY = "Plutonique Quuxworks"
NOTES = "Confidential: kwyjibo arrangement"
# As typed (tables, the index's own copy of the text), and the folded name WHO looks up.
TYPED = [NAME, "xaviere zorglubette", EMAIL, COMPANY, NOTES]
# As the index keeps them: folded tokens, and their tails.
TOKENS = ["xaviere", "zorglubette", "vwzlocalpart", "qjxmailhost", "quuxworks", "kwyjibo"]


def _network(path: Path) -> int:
    """The secret contact, with everything that is only theirs, next to others."""
    from netcrm.domain.contacts import ContactInput, create_contact
    from netcrm.domain.followups import FollowupInput, create_followup
    from netcrm.domain.ideas import IdeaInput, create_idea
    from netcrm.domain.interactions import InteractionInput, log_interaction
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location

    fresh_db(path)
    with write_session(resolve_location(str(path))) as session:
        others = [
            create_contact(
                session,
                ContactInput(
                    fields={"name": f"Other Person{i}"}, channels=[("email", f"o{i}@ex.fr")]
                ),
                now=NOW,
            ).id
            for i in range(5)
        ]
        secret = create_contact(
            session,
            ContactInput(
                fields={"name": NAME, "company": COMPANY, "notes": NOTES},
                channels=[("email", EMAIL), ("phone", "+33 6 98 76 54 32")],
                tags=["vip"],
            ),
            now=NOW,
        ).id
        assert secret is not None
        log_interaction(
            session,
            InteractionInput(
                contact_ids=[secret], summary="Zorglubette contract call", on=NOW.date()
            ),
            now=NOW,
        )
        log_interaction(
            session,
            InteractionInput(contact_ids=[secret, others[0]], summary="Group lunch", on=NOW.date()),
            now=NOW,
        )
        create_followup(
            session,
            FollowupInput(
                text="Send Zorglubette the kwyjibo draft", due=date(2026, 12, 1), contact_id=secret
            ),
            now=NOW,
        )
        create_idea(
            session, IdeaInput(title="Joint webinar", contact_ids=[secret, others[1]]), now=NOW
        )
    forget_engine(path)
    return secret


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    finally:
        conn.close()


def _found(path: Path, words: list[str]) -> dict[str, list[str]]:
    """Which words (or token tails) are in the file and its -wal, by file."""
    found: dict[str, list[str]] = {}
    for file in (path, path.with_name(path.name + "-wal")):
        if not file.exists():
            continue
        data = file.read_bytes()
        hits = []
        for word in words:
            needles = {word.encode("utf-8")}
            if word in TOKENS:
                needles.add(word[3:].encode())  # FTS5 prefix compression
            if any(n in data for n in needles):
                hits.append(word)
        if hits:
            found[file.name] = hits
    return found


def test_the_secret_is_there_before_rm(tmp_path):
    """The probe itself works: before rm, every word is found."""
    path = tmp_path / "net.db"
    _network(path)
    _checkpoint(path)
    found = _found(path, TYPED + TOKENS)
    assert set(found["net.db"]) == set(TYPED + TOKENS)


def _rm_domain(path: Path, contact_id: int) -> None:
    from netcrm.domain.contacts import delete_contact
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location

    with write_session(resolve_location(str(path))) as session:
        delete_contact(session, contact_id)
    forget_engine(path)


def _rm_cli(run, path: Path, contact_id: int) -> None:
    run("--db", str(path), "rm", EMAIL, "--yes")
    forget_engine(path)


@pytest.mark.parametrize("how", ["domain", "cli"])
def test_rm_leaves_no_trace_of_the_text_as_typed(run, tmp_path, how):
    path = tmp_path / "net.db"
    secret = _network(path)
    (_rm_domain(path, secret) if how == "domain" else _rm_cli(run, path, secret))
    _checkpoint(path)
    assert _found(path, TYPED) == {}
    conn = sqlite3.connect(path)
    try:
        assert structural_problems(conn) == []
        # What was shared stays, without them.
        assert conn.execute("SELECT summary FROM interaction").fetchall() == [("Group lunch",)]
        assert conn.execute("SELECT title FROM idea").fetchall() == [("Joint webinar",)]
        assert conn.execute("SELECT COUNT(*) FROM followup").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.parametrize("how", ["domain", "cli"])
def test_rm_leaves_no_trace_in_the_search_index(run, tmp_path, how):
    path = tmp_path / "net.db"
    secret = _network(path)
    (_rm_domain(path, secret) if how == "domain" else _rm_cli(run, path, secret))
    _checkpoint(path)
    assert _found(path, TOKENS) == {}


# --- file modes under umask 022 --------------------------------------------------------

MODES = r"""
import json, os, shutil, stat, sys
os.umask(0o022)
import netcrm.cli
from netcrm import render
from netcrm.cli.app import app

work = sys.argv[1]
old_copy = sys.argv[2]
db = os.path.join(work, "fresh", "deeper", "netcrm.db")
out = os.path.join(work, "out")
os.mkdir(out)  # the user's own folder, 0755: netcrm must not change it

def cli(*args):
    render.reset_consoles()
    code = app(["--db", db, *args], standalone_mode=False)
    assert code == 0, (args, code)

def mode(path):
    return oct(stat.S_IMODE(os.stat(path).st_mode))

cli("add", "Perm Test", "--email", "perm@example.org", "--every", "30d")
cli("remind", "1", "Call back", "--on", "2026-12-01")
modes = {}
# netcrm's engine keeps its connection open here, so its own -wal and -shm exist.
for suffix in ("", "-wal", "-shm"):
    modes["db" + suffix] = mode(db + suffix)
modes["db folder"] = mode(os.path.dirname(db))
targets = {
    "db backup": ("db", "backup", os.path.join(out, "backup.db")),
    "export csv": ("export", "contacts", "--format", "csv", "-o", os.path.join(out, "c.csv")),
    "export json": ("export", "ideas", "--format", "json", "-o", os.path.join(out, "i.json")),
    "export vcard": ("export", "contacts", "--format", "vcard", "-o", os.path.join(out, "c.vcf")),
    "export ics": ("export", "followups", "--format", "ics", "-o", os.path.join(out, "f.ics")),
    "report -o": ("report", "keys", "-o", os.path.join(out, "keys.txt")),
    "report html": ("report", "all", "--html", os.path.join(out, "all.html")),
}
for name, args in targets.items():
    cli(*args)
    modes[name] = mode(args[-1])
modes["user folder"] = mode(out)
# An old database (0644, as copied by hand) is backed up before its migration.
os.chmod(old_copy, 0o644)
db = old_copy
cli("list")
backups = [f for f in os.listdir(os.path.dirname(old_copy)) if ".bak-" in f]
modes["migration backup"] = [mode(os.path.join(os.path.dirname(old_copy), f)) for f in backups]
print(json.dumps(modes))
"""


def test_files_are_private_under_umask_022(tmp_path):
    old = tmp_path / "old" / "netcrm.db"
    old.parent.mkdir()
    shutil.copyfile(ROOT / "tests" / "data" / "netcrm-0001.db", old)
    proc = subprocess.run(
        [sys.executable, "-c", MODES, str(tmp_path), str(old)],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=ROOT,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    modes = json.loads(proc.stdout.strip().splitlines()[-1])
    assert modes.pop("user folder") == "0o755"
    assert modes.pop("migration backup") == ["0o600"]
    assert modes.pop("db folder") == "0o700"
    assert modes == {name: "0o600" for name in modes}, modes
