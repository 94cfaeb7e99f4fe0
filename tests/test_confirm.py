"""One confirmation for every destructive command: the same answers read from a
pipe, the same refusal without one, the same wording of what stays."""

from __future__ import annotations

import pytest

from tests.conftest import count_rows

# (command that asks, setup commands) for each destructive command.
DESTRUCTIVE = {
    "rm": (("rm", "paul"), [("add", "Paul Durand")]),
    "merge": (("merge", "2", "1"), [("add", "Paul Durand"), ("add", "Paul D.")]),
    "idea rm": (("idea", "rm", "1"), [("idea", "add", "Podcast")]),
}


def _set_up(run, command: str) -> tuple[str, ...]:
    args, setup = DESTRUCTIVE[command]
    for step in setup:
        run(*step)
    return args


@pytest.mark.parametrize("answer", ["y", "yes", "o", "oui", "OUI", " Yes "])
@pytest.mark.parametrize("command", sorted(DESTRUCTIVE))
def test_a_yes_from_a_pipe_is_read_the_same_everywhere(run, db_file, command, answer):
    args = _set_up(run, command)
    before = count_rows(db_file)
    result = run(*args, input=f"{answer}\n")
    assert result.stderr.startswith(("Deleted", "Merged")), result.stderr
    assert count_rows(db_file) != before


@pytest.mark.parametrize("answer", ["n", "no", "non", "", "maybe"])
@pytest.mark.parametrize("command", sorted(DESTRUCTIVE))
def test_anything_else_changes_nothing(run, db_file, command, answer):
    args = _set_up(run, command)
    before = count_rows(db_file)
    result = run(*args, input=f"{answer}\n", code=1)
    assert result.stderr == "Nothing was changed.\n"
    assert count_rows(db_file) == before


@pytest.mark.parametrize("command", sorted(DESTRUCTIVE))
def test_no_answer_at_all_is_a_usage_error(run, db_file, command):
    args = _set_up(run, command)
    before = count_rows(db_file)
    result = run(*args, code=2)
    assert result.stderr == "Error: cannot ask for confirmation here; add --yes\n"
    assert result.stdout == ""
    assert count_rows(db_file) == before


def _on_a_terminal(*args: str, answer: str) -> str:
    """Run netcrm with a terminal as stdin (the question is only asked on one);
    returns stderr."""
    import os
    import subprocess
    import sys

    main, child = os.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "netcrm", *args],
            stdin=child,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.write(main, answer.encode() + b"\n")
        _, err = proc.communicate(timeout=60)
    finally:
        os.close(main)
        os.close(child)
    return err.decode()


@pytest.mark.parametrize(
    ("setup", "question"),
    [
        (
            [("idea", "add", "Podcast", "--with", "paul")],
            "Delete #1 Paul Durand with nothing else (1 idea stays, without them)? [y/N] ",
        ),
        (
            [
                ("idea", "add", "Podcast", "--with", "paul"),
                ("idea", "add", "Talk", "--with", "paul"),
            ],
            "Delete #1 Paul Durand with nothing else (2 ideas stay, without them)? [y/N] ",
        ),
    ],
)
def test_the_question_says_what_stays_in_good_english(run, setup, question):
    run("add", "Paul Durand")
    for step in setup:
        run(*step)
    err = _on_a_terminal("rm", "paul", answer="n")
    assert err == question + "Nothing was changed.\n"


def test_every_question_ends_the_same_way(run):
    run("add", "Paul Durand")
    run("idea", "add", "Podcast")
    assert _on_a_terminal("idea", "rm", "1", answer="n").startswith(
        "Delete idea #1 Podcast (0 steps)? [y/N] "
    )
    assert _on_a_terminal("rm", "paul", answer="n").startswith(
        "Delete #1 Paul Durand with nothing else? [y/N] "
    )
