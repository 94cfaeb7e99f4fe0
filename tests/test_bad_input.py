"""Bad input (issue 7, PRODUCT.md §4, §5 and §7): every refusal is exit 2,
an ``Error:`` first line on stderr, no traceback, and nothing written — each
table's rows compared before and after on a seeded database.

The table covers: an unknown and an ambiguous contact for every command that
takes a WHO (argument or option); a bad date for every date option; bad
recurrences, keys, warmth, relationship, met-via, channels; unknown ideas,
statuses, kinds, steps and handles; bad ``--within`` / ``--since``; bad import
files and options; bad export targets. The option names were read from each
command's ``--help``, and a test checks they are still there.

The seeded network (today is Friday 2026-11-27): #1 Léa Martin and #2 Léa
Petit (so ``léa`` is ambiguous), #3 Émile Durand with a birthday; idea #1 with
one step; follow-up f1 about Léa Martin.
"""

from __future__ import annotations

import functools
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import count_rows
from tests.reliability_helpers import assert_error_first, digest, forget_engine, fresh_db

NOW = datetime(2026, 11, 27, 9, 0)
UNKNOWN = "Zacharie Nobody"
AMBIGUOUS = "léa"


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory) -> Path:
    from netcrm.domain.contacts import ContactInput, create_contact
    from netcrm.domain.followups import FollowupInput, create_followup
    from netcrm.domain.ideas import IdeaInput, add_step, create_idea
    from netcrm.domain.interactions import InteractionInput, log_interaction
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location

    path = fresh_db(tmp_path_factory.mktemp("bad-input") / "seeded.db")
    with write_session(resolve_location(str(path))) as session:
        lea = create_contact(
            session,
            ContactInput(
                fields={"name": "Léa Martin", "cadence": "FREQ=DAILY;INTERVAL=30"},
                channels=[("email", "lea@example.fr")],
                tags=["podcast"],
            ),
            now=NOW,
        )
        create_contact(
            session,
            ContactInput(fields={"name": "Léa Petit"}, channels=[("email", "petit@example.fr")]),
            now=NOW,
        )
        create_contact(
            session,
            ContactInput(
                fields={"name": "Émile Durand", "birthday_month": 12, "birthday_day": 1},
                channels=[("phone", "+33 6 12 34 56 78")],
            ),
            now=NOW,
        )
        assert lea.id == 1
        log_interaction(
            session,
            InteractionInput(contact_ids=[1], summary="Coffee", on=NOW.date()),
            now=NOW,
        )
        idea = create_idea(session, IdeaInput(title="Webinar", contact_ids=[1]), now=NOW)
        assert idea.id == 1
        add_step(session, 1, "Send the outline", due=NOW.date(), now=NOW)
        followup = create_followup(
            session, FollowupInput(text="Send the deck", due=NOW.date(), contact_id=1), now=NOW
        )
        assert followup.id == 1
    forget_engine(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def seeded(seeded_template, db_file) -> Path:
    shutil.copyfile(seeded_template, db_file)
    return db_file


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (the search index apart): "nothing written"
    means not one value changed, not only the same counts."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search%'"
            )
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    finally:
        conn.close()


# --- files for import and export ---------------------------------------------------------


def _files(folder: Path) -> dict[str, Path]:
    files = {
        "garbage": folder / "garbage.csv",
        "binary": folder / "photo.csv",
        "empty": folder / "empty.csv",
        "blank": folder / "blank.csv",
        "accents": folder / "accents.csv",
        "people": folder / "people.csv",
        "unknown-header": folder / "unknown.csv",
        "all-bad-rows": folder / "bad-rows.csv",
        "not-a-vcard": folder / "cards.vcf",
        "existing": folder / "existing.csv",
        "folder": folder / "a-folder",
    }
    files["garbage"].write_bytes(bytes(range(256)) * 20)
    # Bytes cp1252 can decode (so only the control characters give it away).
    allowed = [b for b in range(256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)]
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(allowed) * 30)
    files["empty"].write_bytes(b"")
    files["blank"].write_text("\n\n   \n")
    files["accents"].write_text("name,emails\nLéonie Çava,leonie@example.fr\n", encoding="utf-8")
    files["people"].write_text("Full name,Mail\nNew Person,new@example.org\n")
    files["unknown-header"].write_text("foo,bar\n1,2\n")
    files["all-bad-rows"].write_text("name,emails\n,not-an-email\n,nope\n")
    files["not-a-vcard"].write_text("BEGIN:VCARD\nthis is not\nEND:VCARD\n")
    files["existing"].write_text("keep me\n")
    files["folder"].mkdir()
    return files


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    command: tuple[str, ...]  # the command (and group) words
    args: tuple[str, ...]
    # What the Error line must say (a regular expression, case-insensitive).
    says: str = ""
    # What the lines after it must hold (candidates, suggestions).
    details: tuple[str, ...] = ()


def case(id: str, line: str, says: str = "", *details: str) -> Case:
    """``case("x", "idea step | 99 'text'")``: words before ``|`` are the command."""
    import shlex

    command, _, args = line.partition("|")
    return Case(id, tuple(command.split()), tuple(shlex.split(args)), says, details)


WHO_COMMANDS = {
    "show": "show | {who}",
    "edit": "edit | {who} --company X",
    "rm": "rm | {who} --yes",
    "merge-who": "merge | {who} 3 --yes",
    "merge-into": "merge | 3 {who} --yes",
    "tag": "tag | {who} vip",
    "untag": "untag | {who} podcast",
    "log": "log | {who} 'Call'",
    "log-with": "log | 3 'Call' --with {who}",
    "remind": "remind | {who} 'Call back'",
    "followups-edit-who": "followups edit | f1 --who {who}",
    "idea-add-with": "idea add | 'Podcast' --with {who}",
    "idea-list-with": "idea list | --with {who}",
    "idea-link": "idea link | 1 {who}",
    "idea-unlink": "idea unlink | 1 {who}",
}

CASES: list[Case] = []
for name, line in WHO_COMMANDS.items():
    CASES.append(case(f"unknown-who/{name}", line.format(who=f"'{UNKNOWN}'"), "no contact"))
    CASES.append(
        case(f"ambiguous-who/{name}", line.format(who=AMBIGUOUS), "matches 2", "#1 ", "#2 ")
    )
CASES.append(
    case("unknown-who/suggests", "show | 'Lea Martine'", "no contact", "did you mean", "#1 ")
)

DATE = r"try|e\.g\.|example|\d{4}-\d{2}-\d{2}"
CASES += [
    # §5 dates: every date option, and what each refuses.
    case("date/add-met-on", "add | 'New One' --met-on 'the 45th'", DATE),
    case("date/add-birthday", "add | 'New One' --birthday 'someday'", DATE),
    case("date/add-birthday-31-feb", "add | 'New One' --birthday 02-31", DATE),
    case("date/edit-met-on", "edit | 1 --met-on 'blursday'", DATE),
    case("date/edit-birthday", "edit | 1 --birthday '13-45'", DATE),
    case("date/log-on", "log | 1 'Call' --on 'lundi de la semaine des 4 jeudis'", DATE),
    case("date/log-on-future", "log | 1 'Call' --on tomorrow", "future"),
    case("date/log-at", "log | 1 'Call' --at 25:99", r"time"),
    case("date/remind-on", "remind | 1 'Call' --on 'the day after never'", DATE),
    case("date/remind-on-feb-30", "remind | 1 'Call' --on 2026-02-30", DATE),
    case("date/followups-edit-on", "followups edit | f1 --on 'nope'", DATE),
    case("date/snooze-when", "snooze | f1 'when pigs fly'", DATE),
    case("date/snooze-past", "snooze | f1 yesterday", "past"),
    case("date/idea-step-due", "idea step | 1 'Draft' --due 'soonish'", DATE),
    case("date/idea-move-on", "idea move | 1 planned --on 'whenever'", DATE),
    case("date/idea-move-on-future", "idea move | 1 planned --on +3d", "future"),
    case("date/due-within", "due | --within soon", r"try|7d"),
    case("date/due-within-negative", "due | --within -3d", ""),
    case("date/report-keys-since", "report keys | --since 'a while'", ""),
    case("date/report-network-since", "report network | --since 'ages ago'", ""),
    case("date/report-ideas-since", "report ideas | --since 2026-13-01", ""),
    case("date/report-activity-since", "report activity | --since yesteryear", ""),
    case("date/report-all-since", "report all | --since never --json", ""),
    # §5 recurrence.
    case("every/add", "add | 'New One' --every 'now and then'", r"try|every"),
    case("every/add-zero", "add | 'New One' --every 0d", ""),
    case("every/edit", "edit | 1 --every 'fortnightlyish'", ""),
    case("every/remind", "remind | 1 'Call' --every 'FREQ=SOMETIMES'", ""),
    case("every/remind-never", "remind | 1 'Call' --every 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'"),
    case("every/remind-from-done-alone", "remind | 1 'Call' --from-done", "every"),
    case("every/followups-edit", "followups edit | f1 --every 'bi-whenever'", ""),
    # Keys.
    case("key/add", "add | 'New One' --key networking", "key"),
    case("key/edit-set", "edit | 1 --key luck", "key"),
    case("key/edit-add", "edit | 1 --add-key luck", "key"),
    case("key/edit-remove", "edit | 1 --remove-key luck", "key"),
    case("key/log", "log | 1 'Call' --key luck", "key"),
    case("key/remind", "remind | 1 'Call' --key luck", "key"),
    case("key/idea-add", "idea add | 'Podcast' --key luck", "key"),
    case("key/idea-edit", "idea edit | 1 --key luck", "key"),
    case("key/list", "list | --key luck", "key"),
    case("key/followups-edit", "followups edit | f1 --key luck", "key"),
    case("key/ambiguous-prefix", "add | 'New One' --key e", "key"),
    # Contact fields.
    case("warmth/add", "add | 'New One' --warmth 9", "warmth"),
    case("warmth/add-text", "add | 'New One' --warmth warm", "warmth"),
    case("warmth/edit", "edit | 1 --warmth 0", "warmth"),
    case("relationship/add", "add | 'New One' --relationship lover", "relationship"),
    case("relationship/edit", "edit | 1 --relationship frenemy", "relationship"),
    case("met-via/add", "add | 'New One' --met-via telepathy", "met-via"),
    case("met-via/edit", "edit | 1 --met-via telepathy", "met-via"),
    case("met-via/list", "list | --met-via telepathy", "met-via"),
    case("channel/add-email", "add | 'New One' --email not-an-email", "email"),
    case("channel/add-phone", "add | 'New One' --phone 12", "phone"),
    case("channel/add-empty", "add | 'New One' --channel ''", "channel"),
    case("channel/edit-email", "edit | 1 --email 'lea at example'", "email"),
    case("channel/edit-add-email", "edit | 1 --add-email '@nowhere'", "email"),
    case("channel/edit-remove", "edit | 1 --remove-channel nobody@example.org", "channel"),
    case("channel/edit-prefer", "edit | 1 --prefer nobody@example.org", "channel"),
    case("channel/log-via", "log | 1 'Call' --via pigeon", "channel"),
    case("channel/done-via", "done | f1 --via pigeon", "channel"),
    case("name/add-empty", "add | '   '", "name"),
    case("name/edit-empty", "edit | 1 --name ''", "name"),
    case("edit/nothing", "edit | 1", "nothing"),
    case("tag/empty", "tag | 1 ' '", "tag"),
    case("list/json-and-csv", "list | --json --csv", "json"),
    case("log/empty-summary", "log | 1 '  '", "summary"),
    case("remind/empty-text", "remind | 1 ' '", "text"),
    case("remind/three-words", "remind | 1 Call back", ""),
    case("merge/itself", "merge | 1 lea@example.fr --yes", "same"),
    case("rm/no-yes-no-terminal", "rm | 1", "yes"),
    # Ideas.
    case("idea/unknown-show", "idea show | 99", "no idea"),
    case("idea/unknown-step", "idea step | 99 'Draft'", "no idea"),
    case("idea/unknown-check", "idea check | 99 1", "no idea"),
    case("idea/unknown-move", "idea move | 99 planned", "no idea"),
    case("idea/unknown-edit", "idea edit | 99 --title New", "no idea"),
    case("idea/unknown-rm", "idea rm | 99 --yes", "no idea"),
    case("idea/unknown-link", "idea link | 99 3", "no idea"),
    case("idea/not-an-id", "idea show | first", "idea"),
    case("idea/remind-unknown", "remind | 1 'Call' --idea 99", "no idea"),
    case("idea/remind-not-an-id", "remind | 1 'Call' --idea webinar", "idea"),
    case("idea/followups-edit-unknown", "followups edit | f1 --idea 99", "no idea"),
    case("idea/status", "idea move | 1 finished", "status"),
    case("idea/same-status", "idea move | 1 idea", "already"),
    case("idea/list-status", "idea list | --status finished", "status"),
    case("idea/kind-add", "idea add | 'Podcast' --kind livestream", "kind"),
    case("idea/kind-edit", "idea edit | 1 --kind livestream", "kind"),
    case("idea/list-kind", "idea list | --kind livestream", "kind"),
    case("idea/step-number", "idea check | 1 5", "step"),
    case("idea/step-undo-open", "idea check | 1 1 --undo", "not done"),
    case("idea/drop-step", "idea edit | 1 --drop-step 9", "step"),
    case("idea/effort", "idea add | 'Podcast' --effort lots", "effort"),
    case("idea/effort-huge", "idea step | 1 'Draft' --effort 99999", "effort"),
    case("idea/empty-title", "idea add | '  '", "title"),
    case("idea/link-again", "idea link | 1 1", "already"),
    case("idea/unlink-not-linked", "idea unlink | 1 3", "not linked"),
    # Handles.
    case("handle/done-unknown", "done | f999", "f999"),
    case("handle/done-garbage", "done | 'x-1'", "handle"),
    case("handle/done-no-birthday", "done | b2", "birthday"),
    case("handle/done-no-cadence", "done | k2", "k2"),
    case("handle/done-one-bad-of-two", "done | f1 s999", "s999"),
    case("handle/snooze-unknown", "snooze | f999", "f999"),
    case("handle/snooze-step-unknown", "snooze | s999 friday", "s999"),
    case("handle/snooze-birthday-too-late", "snooze | b3 2027-06-01", "birthday"),
    case("handle/followups-edit-unknown", "followups edit | f999 --text X", "f999"),
    case("handle/followups-rm-unknown", "followups rm | f999", "f999"),
    case("handle/followups-rm-garbage", "followups rm | f1 zz", "zz"),
    # Search.
    case("search/type", "search | webinar --type gadget", "type"),
    # §7 import.
    case("import/missing", "import | {missing}", "no such file"),
    case("import/folder", "import | {folder}", "folder"),
    case("import/garbage", "import | {garbage}", "UTF-8|text"),
    case("import/binary", "import | {binary}", "text"),
    case("import/empty", "import | {empty}", "empty"),
    case("import/blank", "import | {blank}", "empty"),
    case("import/encoding-ascii", "import | {accents} --encoding ascii", "ascii"),
    case("import/encoding-unknown", "import | {accents} --encoding klingon-8", "encoding"),
    case("import/encoding-not-text", "import | {accents} --encoding base64", "encoding"),
    case("import/encoding-punycode", "import | {people} --encoding punycode", "punycode"),
    case("import/map-unknown-field", "import | {people} --map 'Full name=nom'", "map"),
    case("import/map-no-name", "import | {people} --map 'Mail=emails'", "name"),
    case("import/map-malformed", "import | {people} --map 'Full name'", "map"),
    case("import/map-twice", "import | {people} --map 'Mail=name,mail=emails'", "twice"),
    case("import/map-not-in-file", "import | {people} --map 'Nom=name'", "header"),
    case(
        "import/map-with-linkedin", "import | {people} --format linkedin --map 'Mail=name'", "map"
    ),
    case("import/csv-without-map", "import | {people} --format csv", "map"),
    case("import/unrecognised", "import | {unknown-header}", "recognise"),
    case("import/wrong-format", "import | {people} --format google", "google"),
    case("import/all-rows-bad", "import | {all-bad-rows}", "none of the"),
    case("import/broken-vcard", "import | {not-a-vcard}", ""),
    case("import/on-duplicate", "import | {people} --on-duplicate replace", ""),
    case("import/format", "import | {people} --format excel", ""),
    # §7 export and other files written.
    case("export/existing", "export | contacts -o {existing}", "exists"),
    case("export/folder", "export | contacts -o {folder}", "is a folder"),
    case("export/no-folder", "export | contacts -o {missing-folder}", ""),
    case("export/format-mismatch", "export | interactions --format vcard", "vcard"),
    case("export/ics-contacts", "export | contacts --format ics", "ics"),
    case("export/what", "export | friends", ""),
    case("report/output-existing", "report keys | -o {existing}", "exists"),
    case("report/html-existing", "report all | --html {existing}", "exists"),
    case("backup/existing", "db backup | {existing}", "exists"),
    case("backup/folder", "db backup | {folder} --force", "is a folder"),
    case("list/output-folder", "list | -o {folder} --force", "is a folder"),
    case("due/output-existing", "due | --csv -o {existing}", "exists"),
]

# The file placeholders above, and the option words checked against --help.
PLACEHOLDER = re.compile(r"\{([a-z-]+)\}")


def _expand(args: tuple[str, ...], files: dict[str, Path], folder: Path) -> list[str]:
    extra = {"missing": folder / "missing.csv", "missing-folder": folder / "nope" / "out.csv"}

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        return str(files[key] if key in files else extra[key])

    return [PLACEHOLDER.sub(sub, a) for a in args]


KNOWN_BUGS: dict[str, str] = {}


@pytest.mark.parametrize(
    "c",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[c.id]))
        if c.id in KNOWN_BUGS
        else c
        for c in CASES
    ],
    ids=[c.id for c in CASES],
)
def test_bad_input_is_exit_2_with_one_error_and_writes_nothing(run, seeded, tmp_path, c):
    files = _files(tmp_path)
    snapshot = {name: digest(p) for name, p in files.items() if p.is_file()}
    counts, rows = count_rows(seeded), dump(seeded)
    result = run(*c.command, *_expand(c.args, files, tmp_path), code=None, input="")
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    line = assert_error_first(result.stderr)
    assert "Traceback" not in result.stdout
    if c.says:
        assert re.search(c.says, line, re.IGNORECASE), line
    rest = result.stderr.split("\n", 1)[1] if "\n" in result.stderr else ""
    for detail in c.details:
        assert detail in rest, result.stderr
    assert count_rows(seeded) == counts
    assert dump(seeded) == rows
    assert {name: digest(p) for name, p in files.items() if p.is_file()} == snapshot
    assert not (tmp_path / "nope").exists()


@functools.lru_cache(maxsize=1)
def _root():
    import typer.main

    from netcrm.cli import app

    return typer.main.get_command(app)


def _command(words: tuple[str, ...]):
    """The click command behind ``netcrm WORDS`` (what ``--help`` describes)."""
    command = _root()
    for word in words:
        command = command.commands[word]
    return command


def _options(words: tuple[str, ...]) -> set[str]:
    return {
        opt
        for param in _command(words).params
        for opt in (*param.opts, *getattr(param, "secondary_opts", ()))
        if opt.startswith("-")
    }


def test_the_table_uses_options_the_commands_have(run):
    """The option names come from each command's --help; this fails if one is
    renamed, so the table cannot silently test a usage error instead."""
    missing = []
    for c in CASES:
        options = _options(c.command)
        for word in c.args:
            if re.fullmatch(r"--?[a-z][a-z-]*", word) and word not in options:
                missing.append((c.id, word))
    assert missing == []
    # And --help shows them: spot-check one command's rendered help.
    assert "--met-via" in run("add", "--help").stdout


def test_every_who_command_is_in_the_table(run):
    """Every command whose --help shows a WHO (argument or option) is covered."""
    commands = [
        ("show",),
        ("edit",),
        ("rm",),
        ("merge",),
        ("tag",),
        ("untag",),
        ("log",),
        ("remind",),
        ("followups", "edit"),
        ("idea", "add"),
        ("idea", "list"),
        ("idea", "link"),
        ("idea", "unlink"),
    ]
    covered = {c.command for c in CASES if c.id.startswith("unknown-who/")}
    assert set(commands) <= covered
    everything = [("add",), ("list",), ("due",), ("done",), ("snooze",), ("search",)]
    everything += [("followups",), ("followups", "rm"), ("import",), ("export",)]
    everything += [("idea", n) for n in ("show", "step", "check", "move", "edit", "rm")]
    everything += [("report", n) for n in ("keys", "network", "ideas", "activity", "all")]
    for command in everything:
        assert not _takes_who(command), f"{' '.join(command)} takes a WHO: add it to the table"
    for command in commands:
        assert _takes_who(command), f"{' '.join(command)} no longer takes a WHO"


def _takes_who(words: tuple[str, ...]) -> bool:
    return any(
        p.name in ("who", "with_", "into") or "WHO" in str(getattr(p, "metavar", ""))
        for p in _command(words).params
    )
