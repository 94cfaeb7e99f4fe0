"""vCard in and out (vobject): versions 2.1, 3.0 and 4.0, many cards per file.

Reading. The file is cut into cards at ``BEGIN:VCARD`` / ``END:VCARD`` lines
first, and each card is parsed on its own, so a broken card is reported with
the line it starts on (and the line vobject choked on) while the others
import. vobject unfolds continuation lines, decodes quoted-printable (2.1, soft
line breaks included) and escapes; line endings may be CRLF or LF.

What lands: ``FN`` (else ``N``, else ``ORG``, else the first e-mail) as the
name; ``EMAIL``; ``TEL`` (``tel:`` URIs of 4.0's ``VALUE=uri`` unwrapped; a
``WHATSAPP`` type makes a whatsapp channel); ``ORG`` → company; ``TITLE``
(else ``ROLE``) → role; ``ADR`` → location (city, region, country); ``BDAY``
(``1990-04-12``, ``19900412``, ``--0412``, ``--04-12``; Apple's 1604 means no
year); ``URL`` and ``X-SOCIALPROFILE`` → linkedin, facebook or website, by
their ``TYPE`` or their host; ``IMPP`` → an ``other`` channel labelled with its
scheme (``whatsapp:`` → whatsapp); ``NOTE``; ``CATEGORIES`` → tags. netcrm's
own ``X-NETCRM-*`` properties (written by :func:`write_vcards`) carry the
fields vCard has no word for — met via / on, warmth, bigger, relationship,
cadence, keys, archived, creation time. Other ``X-`` properties, ``PHOTO``,
``UID`` and the like are ignored.

Writing (``netcrm export contacts --format vcard``): vCard 3.0, the version
every address book reads, one card per contact, with the same properties, so
that export → import gives back the contacts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import vobject

from netcrm.errors import InvalidInput
from netcrm.io.records import ImportRecord, Item, RowError, join_name, url_channel

_X = "X-NETCRM-"


_BEGIN = re.compile(r"^(?:[\w-]+\.)?begin:vcard$", re.IGNORECASE)
_END = re.compile(r"^(?:[\w-]+\.)?end:vcard$", re.IGNORECASE)
# Properties netcrm never reads and that often arrive broken (a truncated
# base64 PHOTO), or that vobject refuses (PROFILE:VCard, from RFC 2425).
_SKIPPED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "PROFILE", "AGENT"})
_PROPERTY_NAME = re.compile(r"^(?:[\w-]+\.)?([\w-]+)")

# (first line, text) of one property, continuation lines included.
Property = tuple[int, str]


def split_cards(text: str) -> Iterator[tuple[int, list[Property]] | RowError]:
    """(first line, properties) of each card, between its BEGIN and END lines;
    a card that never ends is a RowError.

    Lines end at ``\r\n``, ``\n``, ``\r`` or iPhone's ``\r\r\n`` (blank lines
    are dropped); ``BEGIN``/``END`` may carry a group (``home.begin:vcard``).
    A property's folded lines (starting with a space or a tab), 2.1's
    quoted-printable soft line breaks (a line ending in ``=``) and the
    unindented lines of a 2.1 base64 value stay with it.
    """
    start = 0
    props: list[Property] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        head = line.strip()
        if not head:
            continue
        if _BEGIN.match(head):
            if props is None:
                start, props = number, []
            continue
        if props is None:
            continue
        if _END.match(head):
            yield start, props
            props = None
        elif props and (
            line[:1] in (" ", "\t") or _soft_break(props[-1][1]) or _base64_more(props[-1][1], line)
        ):
            props[-1] = (props[-1][0], props[-1][1] + "\n" + line)
        else:
            props.append((number, line))
    if props is not None:
        yield RowError(start, "the card has no END:VCARD")


def _soft_break(prop: str) -> bool:
    head = prop.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head and prop.endswith("=")


def _base64_more(prop: str, line: str) -> bool:
    """2.1 writers (Android, BlackBerry) put a base64 PHOTO on unindented lines
    after its first one: a line without a colon after it belongs to it, even
    one that starts like a property ("N…")."""
    head = prop.split(":", 1)[0].upper()
    return ":" not in line and ("ENCODING=BASE64" in head or "ENCODING=B;" in head + ";")


def _name_of(prop: str) -> str:
    match = _PROPERTY_NAME.match(prop)
    return match.group(1).upper() if match else ""


def parse_card(props: list[Property]) -> tuple[Any, list[tuple[str, str, str]]]:
    """The card vobject reads from ``props``, leaving out the properties it
    cannot read, with a (property, value, why) warning for each; unknown and
    binary properties netcrm does not use are left out silently."""
    warnings: list[tuple[str, str, str]] = []
    kept = [(n, p) for n, p in props if _name_of(p) not in _SKIPPED]
    try:
        return _read_one(p for _, p in kept), warnings
    except Exception:  # vobject raises many kinds on broken properties
        pass
    good: list[str] = []
    for number, prop in kept:
        try:
            _read_one([prop])
            good.append(prop)
            continue
        except Exception as exc:
            decoded = _decode_qp(prop)
            if decoded is not None:
                good.append(decoded)
                continue
            name = _name_of(prop) if ":" in prop else "property"
            if not name.startswith("X-"):
                value = prop.split(":", 1)[-1].strip()
                shown = value if len(value) <= 40 else value[:39] + "…"
                why = re.sub(r"^At line \d+: ", "", str(exc)) or type(exc).__name__
                warnings.append((name or "?", shown, f"line {number}: {why}"))
    return _read_one(good), warnings


def _read_one(props: Iterable[str]) -> Any:
    text = "\n".join(_unescape_colons(p) for p in props)
    return vobject.readOne("BEGIN:VCARD\n" + text + "\nEND:VCARD\n", allowQP=True)


_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


def _unescape_colons(prop: str) -> str:
    """RFC 6350's ``\\:`` (``URL:http\\://…``) undone before vobject reads the
    value: vobject undoes ``\\\\`` ``\\,`` ``\\;`` ``\\n`` but keeps ``\\:``. An
    escaped backslash stays escaped, so ``\\\\:`` is a backslash and a colon."""
    if "\\:" not in prop:
        return prop
    head, sep, value = prop.partition(":")
    if '"' in head:  # a quoted parameter value may hold the colon
        return prop
    return head + sep + _ESCAPED.sub(lambda m: ":" if m.group(1) == ":" else m.group(0), value)


def _decode_qp(prop: str) -> str | None:
    """A quoted-printable property decoded by hand when vobject cannot (bytes
    that are not in the charset, a stray ``=80``): UTF-8 where the bytes are,
    else cp1252; what neither reads is dropped. None if it is not QP."""
    import quopri

    head, sep, value = prop.partition(":")
    if not sep or "QUOTED-PRINTABLE" not in head.upper():
        return None
    raw = quopri.decodestring(value.replace("=\n", "").encode("latin-1", "replace"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        lenient = raw.decode("utf-8", "replace")
        if any(ord(c) > 127 and c != "\ufffd" for c in lenient):
            text = lenient.replace("\ufffd", "")
        else:
            text = raw.decode("cp1252", "ignore")
    params = [
        p
        for p in head.split(";")
        if p.upper() not in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE")
        and not p.upper().startswith("CHARSET=")
    ]
    folded = text.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n")
    candidate = ";".join(params) + ":" + folded
    try:
        _read_one([candidate])
    except Exception:
        return None
    return candidate


def read(text: str, *, today: date) -> Iterator[Item]:
    seen = False
    for part in split_cards(text):
        seen = True
        if isinstance(part, RowError):
            yield part
            continue
        start, props = part
        try:
            card, warnings = parse_card(props)
        except Exception as exc:
            yield RowError(start, f"broken card: {_describe(exc, start)}")
            continue
        try:
            record = _record(start, card, today)
        except InvalidInput as exc:
            yield RowError(start, exc.message, _text(getattr(card, "fn", None) and card.fn.value))
            continue
        except Exception as exc:  # odd values vobject let through (bytes, nested objects)
            yield RowError(start, f"broken card: {type(exc).__name__}: {exc}")
            continue
        record.warnings[:0] = warnings
        yield record
    if not seen:
        raise InvalidInput("no vCard in the file (no BEGIN:VCARD line)")


def _describe(exc: Exception, start: int) -> str:
    line = getattr(exc, "lineNumber", None)
    # vobject counts lines within the card and says so ("At line 4: …").
    message = re.sub(r"^At line \d+: ", "", str(exc))
    if isinstance(line, int):
        return f"line {start + line - 1}: {message}"
    return message or type(exc).__name__


def _text(value: Any) -> str:
    if value is None or isinstance(value, bytes):
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    return str(value).strip()


def _types(prop: Any) -> set[str]:
    types = {t.casefold() for t in prop.params.get("TYPE", [])}
    types |= {t.casefold() for t in getattr(prop, "singletonparams", [])}
    # 3.0 allows TYPE=a,b in one parameter value.
    return {part for t in types for part in t.split(",")}


def _record(line: int, card: Any, today: date) -> ImportRecord:
    """The contact of a card; a property that cannot be read costs itself only
    (a warning), a card without any name is refused."""
    record = ImportRecord(line, {})
    fields = record.fields
    version = _text(card.version.value) if "version" in card.contents else ""
    name = ""
    n_name = ""
    for prop in card.getChildren():
        key = prop.name.upper()
        try:
            name, n_name = _property(record, prop, key, version, today, name, n_name)
        except InvalidInput as exc:
            record.warnings.append((key, _text(prop.value)[:40], exc.message))
        except (TypeError, ValueError, AttributeError) as exc:  # odd values vobject let through
            record.warnings.append((key, str(prop.value)[:40], f"{type(exc).__name__}: {exc}"))
    name = name or n_name or fields.get("company") or ""
    if not name:
        name = next((v for k, v, _ in record.channels if k == "email"), "")
    if not name:
        raise InvalidInput("the card has no name (FN or N)")
    fields["name"] = name
    return record


def _property(
    record: ImportRecord, prop: Any, key: str, version: str, today: date, name: str, n_name: str
) -> tuple[str, str]:
    """Read one property into ``record``; returns (FN name, N name) so far."""
    from netcrm.dates import parse_birthday

    fields = record.fields
    value = prop.value
    if key == "FN":
        name = name or _text(value)
    elif key == "N" and not isinstance(value, str | bytes):
        n_name = join_name(
            *(_text(getattr(value, part, "")) for part in ("given", "additional", "family"))
        )
    elif key == "N":
        n_name = join_name(*reversed(_text(value).split(";")[:2]))
    elif key == "EMAIL" and _text(value):
        record.channels.append(("email", _text(value), None))
    elif key == "TEL" and _text(value):
        number = _text(value)
        if number.casefold().startswith("tel:"):
            number = number[4:].strip()
        kind = "whatsapp" if "whatsapp" in _types(prop) else "phone"
        record.channels.append((kind, number, None))
    elif key == "ORG":
        parts = value if isinstance(value, list) else [value]
        fields["company"] = fields.get("company") or _text(parts[0] if parts else "")
    elif key == "TITLE":
        fields["role"] = _text(value)
    elif key == "ROLE":
        fields.setdefault("role", _text(value))
    elif key == "ADR" and not isinstance(value, str | bytes):
        parts = [_text(getattr(value, p, "")) for p in ("city", "region", "country")]
        place = ", ".join(p for p in parts if p) or _text(getattr(value, "street", ""))
        fields.setdefault("location", place)
    elif key == "BDAY" and _text(value):
        year, month, day = parse_birthday(_text(value), today=today)
        fields.update(birthday_year=year, birthday_month=month, birthday_day=day)
    elif key in ("URL", "X-SOCIALPROFILE") and _text(value):
        record.channels.append(_web_channel(_text(value), _types(prop)))
    elif key == "IMPP" and _text(value):
        scheme, sep, address = _text(value).partition(":")
        if sep and scheme.casefold() == "whatsapp":
            record.channels.append(("whatsapp", address, None))
        elif sep and address:
            record.channels.append(("other", address, scheme.casefold()))
        else:
            record.channels.append(("other", _text(value), None))
    elif key == "NOTE":
        if isinstance(value, str):
            fields["notes"] = _text(value) or None
    elif key == "CATEGORIES":
        items = value if isinstance(value, list) else str(value).split(",")
        for item in items:
            pieces = str(item).split(";") if version == "2.1" else [str(item)]
            record.tags += [p.strip() for p in pieces if p.strip()]
    elif key.startswith(_X):
        _netcrm_property(record, key[len(_X) :], _text(value), today)
    return name, n_name


def _web_channel(url: str, types: set[str]) -> tuple[str, str, str | None]:
    for kind in ("linkedin", "facebook", "website"):
        if kind in types:
            return kind, url, None
    return url_channel(url)


def _netcrm_property(record: ImportRecord, name: str, value: str, today: date) -> None:
    from netcrm.dates import parse_cadence, parse_date
    from netcrm.io.netcrm_csv import parse_flag, parse_timestamp, split_list

    if not value:
        return
    fields = record.fields
    if name == "MET-VIA":
        fields["met_via"] = value
    elif name == "MET-ON":
        fields["met_on"] = parse_date(value, today=today, sense="past")
    elif name == "WARMTH":
        fields["warmth"] = value
    elif name in ("BIGGER", "ARCHIVED"):
        fields[name.casefold()] = parse_flag(value)
    elif name == "RELATIONSHIP":
        fields["relationship"] = value
    elif name == "EVERY":
        fields["cadence"] = parse_cadence(value, today=today)
    elif name == "KEYS":
        record.keys += split_list(value)
    elif name == "OTHER":
        from netcrm.io.channels import parse_channel_spec

        record.channels.append(parse_channel_spec(value))
    elif name == "CREATED":
        fields["created_at"] = parse_timestamp(value)


# --- writing ---------------------------------------------------------------------------


def _add(card: Any, name: str, value: Any, type_param: str | None = None) -> None:
    prop = card.add(name.lower())
    prop.value = value
    if type_param:
        prop.type_param = type_param


def derived_name(name: str) -> tuple[str, str, str]:
    """(given, additional, family) guessed from a full name for ``N``: the
    first word is the given name, initials after it (``E.``) additional names,
    the rest the family name, particles included ("Wile E. Coyote" → Coyote;
    Wile;E.; "Léa Le Gall" → Le Gall;Léa)."""
    words = name.split()
    if len(words) < 2:
        return name, "", ""
    middle = 1
    while middle < len(words) - 1 and (words[middle].endswith(".") or len(words[middle]) == 1):
        middle += 1
    return words[0], " ".join(words[1:middle]), " ".join(words[middle:])


def write_vcards(records: Sequence[dict[str, Any]]) -> str:
    """vCard 3.0 text for canonical contact records (``contact_records``)."""
    chunks = []
    for record in records:
        card = vobject.vCard()
        name = record["name"]
        given, additional, family = derived_name(name)
        _add(card, "fn", name)
        _add(card, "n", vobject.vcard.Name(family=family, given=given, additional=additional))
        _add(card, "uid", f"netcrm-contact-{record['id']}")
        for email in record["emails"]:
            _add(card, "email", email, "INTERNET")
        for phone in record["phones"]:
            _add(card, "tel", phone, "VOICE")
        for number in record["whatsapp"]:
            _add(card, "tel", number, "WHATSAPP")
        for kind, field in (("linkedin", "linkedin"), ("facebook", "facebook")):
            for url in record[field]:
                _add(card, "url", url, kind)
        for url in record["websites"]:
            _add(card, "url", url, "website")
        for other in record["other_channels"]:
            _add(card, _X + "OTHER", other)
        if record["company"]:
            _add(card, "org", [record["company"]])
        if record["role"]:
            _add(card, "title", record["role"])
        if record["location"]:
            _add(card, "adr", vobject.vcard.Address(city=record["location"]))
        if record["birthday"]:
            # Without a year, vCard 4.0's --MMDD: what Google and Apple read.
            bday = record["birthday"]
            _add(card, "bday", "--" + bday[2:].replace("-", "") if bday.startswith("--") else bday)
        if record["notes"]:
            _add(card, "note", record["notes"])
        if record["tags"]:
            _add(card, "categories", list(record["tags"]))
        extras = {
            "MET-VIA": record["met_via"],
            "MET-ON": record["met_on"],
            "WARMTH": record["warmth"],
            "BIGGER": "1" if record["bigger"] else None,
            "RELATIONSHIP": record["relationship"],
            "EVERY": record["every"],
            "KEYS": "; ".join(record["keys"]) or None,
            "ARCHIVED": "1" if record["archived"] else None,
            "CREATED": record["created_at"],
        }
        for key, value in extras.items():
            if value not in (None, ""):
                _add(card, _X + key, str(value))
        chunks.append(card.serialize())
    return "".join(chunks)
