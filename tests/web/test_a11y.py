"""Accessibility checks that need no browser (the browser tests also run axe-core).

Every page: a language, a title, landmarks, one h1 and no skipped heading level, a label for
every form control, a name for every image-like element and link; technique spans reachable by
keyboard and told apart without colour; text colours with at least 4.5:1 contrast.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import pairwise

import pytest
from fastapi.testclient import TestClient

from presslens.report.style import TECHNIQUE_COLOURS, TECHNIQUE_TAGS, TECHNIQUE_UNDERLINES
from presslens.vocab import TECHNIQUES
from tests.web.web_corpus import Seeded


class Outline(HTMLParser):
    """Collects what the checks need from one page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self.headings: list[int] = []
        self.landmarks: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.unnamed: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self._in_title = False
        self._link: dict[str, str | None] | None = None
        self._link_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag in ("header", "nav", "main", "footer"):
            self.landmarks.add(tag)
        elif tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)
        elif tag == "label" and a.get("for"):
            self.labels.add(a["for"] or "")
        elif tag == "img" and a.get("alt") is None:
            self.unnamed.append(f"img {a.get('src')}")
        elif tag == "svg" and a.get("role") == "img" and not a.get("aria-label"):
            self.unnamed.append("svg role=img without aria-label")
        elif tag == "mark":
            self.marks.append(a)
        elif tag == "a":
            self._link, self._link_text = a, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "a" and self._link is not None:
            if not self._link_text.strip() and not self._link.get("aria-label"):
                self.unnamed.append(f"link {self._link.get('href')}")
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._link is not None:
            self._link_text += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def pages(client: TestClient, seeded: Seeded) -> dict[str, str]:
    out = {
        path: client.get(path).text
        for path in (
            "/",
            f"/documents/{seeded.ids['original']}",
            "/outlets",
            "/outlets/southfront.org",
            "/graph",
            "/search?q=Soleimani",
            "/documents/missing",
        )
    }
    out["POST /analyze"] = client.post(
        "/analyze", data={"text": "The criminals lied, the minister said."}
    ).text
    return out


def test_every_page_has_structure_labels_and_names(client: TestClient, seeded: Seeded) -> None:
    for path, html in pages(client, seeded).items():
        o = outline(html)
        assert o.lang == "en", path
        assert o.title.strip(), path
        assert {"header", "nav", "main", "footer"} <= o.landmarks, path
        assert o.headings.count(1) == 1 and o.headings[0] == 1, (path, o.headings)
        for before, after in pairwise(o.headings):
            assert after <= before + 1, f"{path}: heading level jumps from h{before} to h{after}"
        for control in o.controls:
            named = control.get("id") in o.labels or control.get("aria-label")
            assert named, f"{path}: form control without a label: {control}"
        assert not o.unnamed, (path, o.unnamed)


def test_technique_spans_are_keyboard_reachable_and_not_told_apart_by_colour_alone(
    client: TestClient, seeded: Seeded
) -> None:
    o = outline(client.get(f"/documents/{seeded.ids['original']}").text)
    assert o.marks and all(m.get("tabindex") == "0" and m.get("aria-label") for m in o.marks)
    # Each technique differs from every other by its text tag, and neighbours in the palette
    # also by underline style.
    assert len(set(TECHNIQUE_TAGS.values())) == len(TECHNIQUES)
    styles = [TECHNIQUE_UNDERLINES[t] for t in TECHNIQUES]
    assert all(a != b for a, b in pairwise(styles))


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _over_white(hex_colour: str, alpha: float) -> str:
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * alpha + 255 * (1 - alpha)):02x}" for c in rgb)


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_highlighted_text_keeps_enough_contrast(technique: str) -> None:
    # The report CSS paints marks with the technique colour at alpha 0x55 over white.
    background = _over_white(TECHNIQUE_COLOURS[technique], 0x55 / 255)
    assert contrast("#1d1d1f", background) >= 4.5


@pytest.mark.parametrize(
    ("fg", "bg", "where"),
    [
        ("#0b4f9c", "#f6f6f4", "links on the page background"),
        ("#ffffff", "#1d1d1f", "site header"),
        ("#ffffff", "#0b4f9c", "buttons"),
        ("#444444", "#f6f6f4", "secondary text"),
        ("#4a4a4a", "#f3f3f3", "wrapper text (overrides the report's grey)"),
        ("#ffffff", "#222222", "span tooltips"),
        ("#5c0000", "#fde8e8", "error messages"),
    ],
)
def test_app_colours_have_enough_contrast(fg: str, bg: str, where: str) -> None:
    assert contrast(fg, bg) >= 4.5, where


def test_the_app_stylesheet_uses_the_checked_colours(client: TestClient) -> None:
    css = client.get("/static/app.css").text
    for colour in ("#0b4f9c", "#f6f6f4", "#1d1d1f", "#4a4a4a", "#fde8e8", "#5c0000"):
        assert colour in css
