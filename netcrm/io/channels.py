"""Channels as people type them: the kinds, the ``kind:value`` spec of
``--channel`` and of the ``other_channels`` column, a channel's validation and
the normalized form duplicates and WHO compare.

Pure text rules, shared by the import readers (``io``) and the domain, which
re-exports them from :mod:`netcrm.domain.contacts`.
"""

from __future__ import annotations

import re

from netcrm.errors import InvalidInput
from netcrm.io.limits import check_text, check_url

CHANNEL_KINDS = ("email", "phone", "linkedin", "whatsapp", "facebook", "website", "other")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Channels whose value is a URL, with the example an error shows.
URL_EXAMPLES = {
    "linkedin": "https://www.linkedin.com/in/lea-martin",
    "facebook": "https://www.facebook.com/lea.martin",
    "website": "https://lea-martin.fr",
}


def normalize_channel(kind: str, value: str) -> str:
    """The form two channels are compared in (duplicates, WHO by email)."""
    value = value.strip()
    if kind == "email":
        return value.casefold()
    if kind in ("phone", "whatsapp"):
        digits = re.sub(r"\D", "", value)
        if value.lstrip().startswith("+"):
            return "+" + digits
        if digits.startswith("00"):
            return "+" + digits[2:]
        return digits
    if kind in ("linkedin", "facebook", "website"):
        v = value.casefold()
        v = re.sub(r"^https?://", "", v)
        v = re.sub(r"^(www\.|[a-z]{2}\.)(?=linkedin\.com)", "", v)
        v = v.removeprefix("www.")
        return v.rstrip("/")
    return value.casefold()


# A label before a colon in ``--channel shapr:lea.m``; not a URL scheme ("https://").
_SPEC_LABEL = re.compile(r"^([a-z][a-z0-9_.+-]{0,30}):(?!//)(.+)$", re.IGNORECASE | re.DOTALL)


# "shapr:" — a label with nothing after it.
_EMPTY_SPEC = re.compile(r"^[a-z][a-z0-9_.+-]{0,30}:\s*$", re.IGNORECASE)


def parse_channel_spec(text: str) -> tuple[str, str, str | None]:
    """(kind, value, label) of ``kind:value`` as typed after ``--channel``.

    A kind netcrm does not know (``shapr:lea.m``, ``signal:+33…``,
    ``mastodon:@lea@piaille.fr``) becomes an ``other`` channel labelled with
    it, so nothing the user types is refused or lost; ``other_channels`` in a
    record shows it back as ``label:value``, which this function reads again
    (the CSV round trip). Text without a label is an unlabelled ``other``; a
    ``scheme://`` is a URL, not a label.
    """
    text = text.strip()
    match = _SPEC_LABEL.match(text)
    if not match:
        if not text:
            raise InvalidInput("a channel needs a value, e.g. --channel shapr:lea.martin")
        if text.startswith(":") or _EMPTY_SPEC.match(text):
            raise InvalidInput(
                f"{text!r} is not a channel; give a kind and a value, e.g. shapr:lea.martin"
            )
        return "other", text, None
    label, value = match.group(1).casefold(), match.group(2).strip()
    if label in CHANNEL_KINDS:
        kind, value = check_channel(label, value)
        return kind, value, None
    kind, value = check_channel("other", value)
    return kind, value, label


def channel_spec(kind: str, value: str, label: str | None) -> str:
    """The inverse of :func:`parse_channel_spec` for an ``other`` channel."""
    return f"{label}:{value}" if label else value


def channel_matches(kind: str, value_norm: str, label: str | None, typed: str) -> bool:
    """Whether ``typed`` names this channel: its value (``lea@ex.fr``), or the
    ``kind:value`` / ``label:value`` form that records and ``--channel`` use."""
    if value_norm == normalize_channel(kind, typed):
        return True
    match = _SPEC_LABEL.match(typed.strip())
    if not match:
        return False
    prefix, rest = match.group(1).casefold(), match.group(2)
    return prefix in (kind, label) and value_norm == normalize_channel(kind, rest)


def check_channel(kind: str, value: str) -> tuple[str, str]:
    kind = kind.strip().casefold()
    value = value.strip()
    if kind not in CHANNEL_KINDS:
        raise InvalidInput(f"unknown channel kind {kind!r}; use one of {', '.join(CHANNEL_KINDS)}")
    if not value:
        raise InvalidInput(f"the {kind} channel needs a value")
    check_text(value, f"the {kind} channel")
    if kind in URL_EXAMPLES:
        check_url(value, kind, URL_EXAMPLES[kind])
    if kind == "email" and not _EMAIL.match(value):
        raise InvalidInput(f"{value!r} is not an email address (example: lea@example.fr)")
    if kind in ("phone", "whatsapp") and len(re.sub(r"\D", "", value)) < 3:
        raise InvalidInput(f"{value!r} is not a phone number (example: +33 6 12 34 56 78)")
    return kind, value
