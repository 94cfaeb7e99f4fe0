"""netcrm.domain.keys: the five keys, their aliases and prefixes (PRODUCT.md §1)."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcrm.domain.keys import KEY_SLUGS, KEYS, Key, get_key, key_token, resolve_key, resolve_keys
from netcrm.errors import InvalidInput

UNKNOWN = (
    "unknown key {!r}; the five keys are: creativity, action-plan, self-esteem, "
    "opportunity, emotional-intelligence"
)


def test_canonical_order() -> None:
    assert KEY_SLUGS == (
        "creativity",
        "action-plan",
        "self-esteem",
        "opportunity",
        "emotional-intelligence",
    )
    assert tuple(key.slug for key in KEYS) == KEY_SLUGS


def test_keys_are_frozen() -> None:
    with pytest.raises(AttributeError):
        KEYS[0].slug = "other"  # type: ignore[misc]


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.slug)
def test_every_key_is_complete(key: Key) -> None:
    assert key.label and key.idea and key.meaning and key.coaching
    assert key.aliases
    # One sentence of advice, with the period filled in.
    coached = key.coach("90 days")
    assert "90 days" in coached
    assert "{" not in coached
    assert get_key(key.slug) is key


def test_coaching_states_a_small_count_plainly() -> None:
    assert get_key("self-esteem").coach("90 days", 2) == (
        "Outreach and proposals to bigger names: only 2 in 90 days — qui ne tente rien "
        "n'a rien: who would you love to interview?"
    )
    for key in KEYS:
        assert key.coach("90 days", 3).startswith(f"{key.measure}: only 3 in 90 days — ")


def test_self_esteem_coaching_quotes_the_article() -> None:
    assert get_key("self-esteem").coach("90 days") == (
        "No outreach or proposal to a bigger name in 90 days — qui ne tente rien n'a rien: "
        "who would you love to interview?"
    )


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # slugs
        ("creativity", "creativity"),
        ("action-plan", "action-plan"),
        ("self-esteem", "self-esteem"),
        ("opportunity", "opportunity"),
        ("emotional-intelligence", "emotional-intelligence"),
        ("  Creativity ", "creativity"),
        ("SELF-ESTEEM", "self-esteem"),
        # French names, accents optional, spaces/underscores/apostrophes as hyphens
        ("créativité", "creativity"),
        ("creativite", "creativity"),
        ("CRÉATIVITÉ", "creativity"),
        ("plan-d-action", "action-plan"),
        ("plan d'action", "action-plan"),
        ("plan d’action", "action-plan"),
        ("Plan_D_Action", "action-plan"),
        ("plan-d'action", "action-plan"),
        ("estime-de-soi", "self-esteem"),
        ("estime de soi", "self-esteem"),
        ("bonne-occasion", "opportunity"),
        ("bonne occasion", "opportunity"),
        ("opportunité", "opportunity"),
        ("intelligence-emotionnelle", "emotional-intelligence"),
        ("intelligence émotionnelle", "emotional-intelligence"),
        # English variants
        ("action plan", "action-plan"),
        ("action_plan", "action-plan"),
        ("self esteem", "self-esteem"),
        ("emotional intelligence", "emotional-intelligence"),
        ("eq", "emotional-intelligence"),
        ("EQ", "emotional-intelligence"),
        # unambiguous prefixes
        ("crea", "creativity"),
        ("cré", "creativity"),
        ("plan", "action-plan"),
        ("act", "action-plan"),
        ("self", "self-esteem"),
        ("estime", "self-esteem"),
        ("opp", "opportunity"),
        ("bonne", "opportunity"),
        ("emo", "emotional-intelligence"),
        ("emotional", "emotional-intelligence"),
        ("intel", "emotional-intelligence"),
        ("self-est", "self-esteem"),
    ],
)
def test_resolve_key(text: str, slug: str) -> None:
    assert resolve_key(text) == slug


@pytest.mark.parametrize("text", ["", "   ", "c", "cr", "xyz", "creativityx", "networking", "-"])
def test_resolve_key_refuses(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_key(text)
    assert caught.value.message == UNKNOWN.format(text)


def test_no_prefix_of_three_or_more_is_ambiguous() -> None:
    # Adding an alias must not make a prefix users rely on ambiguous.
    names = {key_token(name): key.slug for key in KEYS for name in (key.slug, *key.aliases)}
    for name in names:
        for end in range(3, len(name) + 1):
            resolve_key(name[:end])


def test_aliases_of_one_key_never_name_another() -> None:
    tokens: dict[str, str] = {}
    for key in KEYS:
        for name in (key.slug, *key.aliases):
            assert tokens.setdefault(key_token(name), key.slug) == key.slug


@pytest.mark.parametrize(
    ("texts", "slugs"),
    [
        ([], []),
        (["opp", "crea"], ["creativity", "opportunity"]),
        (["emo", "emotional-intelligence", "EQ"], ["emotional-intelligence"]),
        (["opp,crea"], ["creativity", "opportunity"]),
        (["opp, crea,"], ["creativity", "opportunity"]),
        (
            ["emo", "opp", "self", "plan", "crea"],
            list(KEY_SLUGS),
        ),
    ],
)
def test_resolve_keys(texts: list[str], slugs: list[str]) -> None:
    assert resolve_keys(texts) == slugs


def test_resolve_keys_accepts_any_iterable() -> None:
    assert resolve_keys(iter(("crea", "crea"))) == ["creativity"]


@pytest.mark.parametrize("texts", [["crea", "nope"], [""], [" , "]])
def test_resolve_keys_refuses(texts: list[str]) -> None:
    with pytest.raises(InvalidInput):
        resolve_keys(texts)


def test_get_key_refuses_unknown_slug() -> None:
    with pytest.raises(InvalidInput):
        get_key("crea")


@given(st.text(max_size=30))
def test_resolve_key_returns_a_slug_or_invalid_input(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        assert resolve_key(text) in KEY_SLUGS


def test_import_is_light() -> None:
    code = (
        "import sys, netcrm.domain.keys; "
        "heavy = {'sqlalchemy', 'sqlmodel', 'typer', 'rich', 'dateutil'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
