"""``netcrm report all --html FILE``: one self-contained page that parses,
holds an <svg> per chart, escapes user text and references nothing outside
itself."""

from __future__ import annotations

import re
import stat
from datetime import date
from html.parser import HTMLParser

from tests.test_reports import build_network

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "rect", "circle", "line", "path"}
CHARTS = [
    "The five keys: explicit and inferred",
    "Contacts by source",
    "Contacts by temperature",
    "Ideas by status now",
    "Interactions per week and weekday",
]


class Page(HTMLParser):
    """Checks that every element closes in order, and collects what we assert on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.svgs: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.attributes += attrs
        if tag == "svg":
            self.svgs.append(dict(attrs).get("aria-label") or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.attributes += attrs

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert page.problems == []
    assert page.stack == []
    return page


def assert_self_contained(text: str) -> None:
    lowered = text.casefold()
    for needle in (
        "http",
        "src=",
        "href=",
        "@import",
        "url(",
        "<link",
        "<script",
        "<img",
        "<iframe",
    ):
        assert needle not in lowered, needle
    assert "xmlns" not in lowered


def test_page_is_written_private_and_self_contained(run, monkeypatch, tmp_path):
    build_network(run, monkeypatch)
    target = tmp_path / "report.html"
    result = run("report", "all", "--html", str(target))
    assert result.stdout == ""
    assert result.stderr == f"Wrote the report page to {target}; open it in a browser.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n")
    assert_self_contained(text)
    page = parse(text)
    assert page.svgs == CHARTS
    words = " ".join(page.text)
    for heading in ("The five keys", "Network", "Ideas", "Activity", "Losing touch", "Stuck ideas"):
        assert heading in words
    assert "Outreach and proposals to bigger names: only 2 in 90 days" in words
    assert "How these figures are computed" in words
    assert "Chloé Petit" in words and "Joint webinar" in words
    # One bar per key, per source, per temperature, per status; one cell per day of
    # the 90-day window (the days of its partial weeks outside it are not drawn).
    svg_bodies = re.findall(r"<svg.*?</svg>", text, flags=re.S)
    assert len(svg_bodies) == 5
    assert svg_bodies[4].count("<rect") == 90

    again = run("report", "all", "--html", str(target), code=2)
    assert again.stderr == f"Error: {target} already exists; choose another name or add --force\n"


def test_user_text_is_escaped(run, tmp_path):
    run("add", '<script>alert("x")</script> & Co', "--met-via", "blog")
    run("log", "1", "Hi", "--via", "email")
    run("idea", "add", "<b>Bold</b> idea & 'quotes'", "--with", "1")
    target = tmp_path / "page.html"
    run("report", "all", "--html", str(target), "--since", "30d")
    text = target.read_text(encoding="utf-8")
    assert "<script" not in text
    assert "<b>" not in text
    assert "&lt;b&gt;Bold&lt;/b&gt; idea &amp; &#x27;quotes&#x27;" in text
    page = parse(text)
    assert "<b>Bold</b> idea & 'quotes'" in " ".join(page.text)
    assert_self_contained(text)


def test_empty_database_still_draws_every_chart(run, db_file):
    from netcrm.domain.activity import activity_report
    from netcrm.domain.reports import ideas_report, keys_report, network_report
    from netcrm.render.html import render_html
    from netcrm.store.reader import open_sqlite_reader

    run("db", "check")  # creates the database
    today, since = date(2026, 11, 27), date(2026, 8, 29)
    reader = open_sqlite_reader(str(db_file))
    try:
        text = render_html(
            keys_report(reader, today=today, since=since),
            network_report(reader, today=today, since=since),
            ideas_report(reader, today=today, since=since),
            activity_report(reader, today=today, since=since),
            today=today,
        )
    finally:
        reader.close()
    page = parse(text)
    assert page.svgs == CHARTS
    assert "Nothing to show." in " ".join(page.text)
    assert_self_contained(text)
