"""The HTML report is one self-contained file in which page text is always inert."""

from __future__ import annotations

import re

from presslens.document import Body, BoilerplateSegment, Document, Metadata, TechniqueSpan
from presslens.report.html import render_html

HOSTILE = (
    'Intro <script>alert(1)</script> <img src=x onerror="alert(2)"> '
    'the criminals <a href="javascript:x">x</a>'
)


def hostile_doc() -> Document:
    text = HOSTILE + "\n\nDonate via PayPal."
    doc = Document(source="hostile.html", text=text, metadata=Metadata(title="<b>T</b>"))
    doc.body = Body(start=0, end=len(HOSTILE), text=HOSTILE)
    start = HOSTILE.index("criminals")
    doc.techniques = [
        TechniqueSpan(
            technique="Name_Calling,Labeling",
            start=start,
            end=start + 9,
            text="criminals",
            score=0.91,
            evidence="label for people",
        )
    ]
    doc.boilerplate = [
        BoilerplateSegment(
            kind="donation_appeal", start=len(HOSTILE) + 2, end=len(text), text="Donate via PayPal."
        )
    ]
    return doc


def test_page_markup_is_escaped_and_no_external_resource_is_referenced() -> None:
    html = render_html([hostile_doc()])
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onerror="alert' not in html
    assert 'href="javascript' not in html
    assert not re.search(r'(src|href)="https?://', html)
    assert "default-src 'none'" in html  # CSP forbids scripts even if something slipped through


def test_spans_are_highlighted_with_label_score_and_evidence() -> None:
    html = render_html([hostile_doc()])
    mark = re.search(
        r'<mark class="t-nc"[^>]*tabindex="0"[^>]*>criminals<span class="tip"[^>]*>(.*?)</span>', html, re.S
    )
    assert mark, html
    assert "Name calling / labeling" in mark.group(1) and "0.91" in mark.group(1)
    assert "label for people" in mark.group(1)
    assert '<sup class="tag">NC</sup>' in html  # distinguishable without colour


def test_wrapper_parts_are_listed_by_kind() -> None:
    html = render_html([hostile_doc()])
    wrapper = html[html.index('class="wrapper"') :]
    assert "donation appeal" in wrapper and "Donate via PayPal." in wrapper


def test_entities_are_listed_most_mentioned_first() -> None:
    from presslens.document import Entity, Mention

    doc = hostile_doc()
    one = [Mention(start=0, end=5, text="Intro")]
    doc.entities = [
        Entity(name="Rare", type="ORG", mentions=one),
        Entity(name="Often", type="PERSON", mentions=one * 3),
    ]
    html = render_html([doc])
    assert html.index("<td>Often</td>") < html.index("<td>Rare</td>")


def test_a_span_cut_into_runs_is_tagged_once_where_it_ends() -> None:
    doc = hostile_doc()
    start = HOSTILE.index("the criminals")
    doc.techniques.append(
        TechniqueSpan(
            technique="Loaded_Language", start=start, end=start + 13, text="the criminals", score=0.5
        )
    )
    html = render_html([doc])
    assert html.count('<sup class="tag">LL</sup>') == 1
    assert html.count('<sup class="tag">NC</sup>') == 1
