"""Hostile and broken HTML: a result or a one-line `InputError`, never a crash, hang or leak.

Pathological nesting, huge pages, empty pages, broken markup, control characters, pages whose
declared charset is wrong (ingest decoded them already), script injection; then property tests
over random markup.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presslens.anatomy import article as article_module
from presslens.anatomy.htmltree import nesting_depth, parse_html, walk_blocks
from presslens.document import Document, RawPage
from presslens.errors import InputError
from presslens.pipeline import Pipeline

EXTRACT = Pipeline.from_names(["anatomy"])  # what `presslens extract` runs

PROSE = "This paragraph carries enough ordinary words to count as the prose of an article."


def extract(markup: str, url: str | None = None) -> Document:
    return EXTRACT(RawPage(source="hostile", kind="html", text=markup, url=url))


@pytest.mark.parametrize(
    "markup",
    [
        "",
        "   \n\t  ",
        "<html><head><title>t</title><script>var a = 1;</script></head><body> </body></html>",
        "<!-- only a comment -->",
        "<style>p { color: red }</style><img src='x.png'>",
    ],
)
def test_pages_without_visible_text_are_input_errors(markup: str) -> None:
    with pytest.raises(InputError, match="no text"):
        extract(markup)


@pytest.mark.slow  # large input
def test_100k_nested_divs_keep_their_text() -> None:
    markup = (
        "<html><body>"
        + "<div>" * 100_000
        + "deep text"
        + "</div>" * 100_000
        + "<p>after the divs</p></body></html>"
    )
    doc = extract(markup)
    assert "deep text" in doc.text and "after the divs" in doc.text
    assert all(len(block.element) <= 2000 for block in doc.html_blocks)


def test_100k_nested_inline_tags() -> None:
    doc = extract("<p>" + "<b><i>" * 50_000 + "bold" + "</i></b>" * 50_000 + "</p>")
    assert doc.text == "bold"


def test_nesting_depth_counts_the_deepest_chain() -> None:
    root = parse_html("<div><p>a</p><table><tr><td><b>deep</b></td></tr></table></div>")
    # html > body > div > table > tbody (the parser adds none here) > tr > td > b
    assert nesting_depth(root) == len(root.xpath("//b")[0].xpath("ancestor-or-self::*"))


def test_deeply_nested_tables_skip_trafilatura_and_keep_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    # trafilatura's table pass costs elements x depth: 1,500 nested tables kept it busy for 30 s
    # (a fuzz case). Past `max_trafilatura_depth` the density fallback decides alone.
    def no_trafilatura(*args: object) -> str:
        raise AssertionError("trafilatura was asked about a page nested 1,500 deep")

    monkeypatch.setattr(article_module, "_candidate", no_trafilatura)
    nested = "<table><tr><td>" * 500 + "cell" + "</td></tr></table>" * 500
    doc = extract(
        f"<html><body><nav><a href='/'>Home</a></nav>{nested}<article><p>{PROSE}</p>"
        f"<p>{PROSE} Again.</p></article></body></html>"
    )
    assert doc.body is not None and PROSE in doc.text[doc.body.start : doc.body.end]
    monkeypatch.undo()
    shallow = extract(f"<html><body><article><p>{PROSE}</p></article></body></html>")
    assert shallow.body is not None


@pytest.mark.slow  # large input: a 30 MB page
def test_30_mb_page_in_bounded_time() -> None:
    # mostly a huge script and one huge text node: cheap to build, expensive if anything is
    # quadratic in the markup size
    filler = "<script>" + "var x = 'not text';\n" * 1_200_000 + "</script>"
    words = " ".join(["word"] * 1_500_000)
    markup = (
        f"<html><body><nav><a href='/'>Home</a></nav><article><h1>Big</h1><p>{PROSE}</p>"
        f"<p>{words}</p></article>{filler}</body></html>"
    )
    assert len(markup) > 30_000_000
    doc = extract(markup)  # how long it takes is measured in benchmarks/, not asserted here
    assert "not text" not in doc.text
    assert doc.body is not None and PROSE in doc.text


def test_broken_markup_recovers() -> None:
    doc = extract(f"<p>{PROSE} <b>bold <i>italic</p><td>stray cell</table></div></span>text after <p>{PROSE}")
    assert "stray cell" in doc.text and "text after" in doc.text
    assert doc.body is not None


def test_control_characters_and_xml_declaration() -> None:
    doc = extract(
        f"<?xml version='1.0' encoding='iso-8859-1'?>\x00\x01<html><body><p>{PROSE}\x0b\x1f</p></body></html>"
    )
    assert doc.text == PROSE


def test_wrong_charset_declaration_is_ignored_for_decoded_text() -> None:
    # ingest decoded the bytes (UTF-8 despite the meta saying windows-1251): the text is kept as is
    markup = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>"
        "<meta charset='koi8-r'></head><body><h1>Zürich – café</h1>"
        f"<p>Größere Städte: São Paulo, Kraków. {PROSE}</p></body></html>"
    )
    doc = extract(markup)
    assert doc.text.startswith("Zürich – café")
    assert "São Paulo, Kraków" in doc.text
    # mojibake from an upstream mis-decode still parses (nothing here re-decodes it)
    doc = extract(markup.encode("utf-8").decode("latin-1"))
    assert "ZÃ¼rich" in doc.text


def test_scripts_and_event_handlers_never_become_text_or_links() -> None:
    doc = extract(
        f"<body onload='steal()'><p onclick='steal()'>{PROSE} <a href='javascript:steal()'>click</a> "
        "<a href='JaVaScRiPt:steal()'>again</a> <a href='data:text/html,<script>x</script>'>data</a></p>"
        "<script>document.write('INJECTED')</script><noscript>NOSCRIPT</noscript>"
        "<template><p>TEMPLATE</p></template><div hidden>HIDDEN</div><div style='display: none'>NONE</div>"
        "<div aria-hidden='true'>ARIA</div><svg><text>SVG</text></svg></body>"
    )
    for secret in ("steal", "INJECTED", "NOSCRIPT", "TEMPLATE", "HIDDEN", "NONE", "ARIA", "SVG"):
        assert secret not in doc.text
    assert doc.metadata.links == []


def test_walk_blocks_is_not_recursive() -> None:
    # 2,000 levels (libxml2's limit with huge_tree) walked without touching the recursion limit
    root = parse_html("<div>" * 1_900 + "x" + "</div>" * 1_900)
    assert [b.text for b in walk_blocks(root)] == ["x"]


# --------------------------------------------------------------------------------------------
# Property tests: random markup never raises anything but InputError, and spans are honest.

TAGS = [
    "p",
    "div",
    "span",
    "b",
    "a",
    "h1",
    "h2",
    "li",
    "ul",
    "table",
    "tr",
    "td",
    "br",
    "script",
    "style",
    "pre",
    "blockquote",
    "article",
    "nav",
    "footer",
    "img",
    "video",
    "iframe",
    "time",
]
ATTRS = [
    "",
    " href='/x'",
    " href='javascript:x()'",
    " class='sidebar'",
    " hidden",
    " style='display:none'",
    " rel='tag'",
    " src='https://e.x/v.mp4'",
    " datetime='2020-01-07'",
    " lang='de'",
    " onclick='x()'",
]
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def markup(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            parts.append(f"<{draw(st.sampled_from(TAGS))}{draw(st.sampled_from(ATTRS))}>")
        elif choice == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif choice == 2:
            parts.append(draw(WORDS))
        else:
            parts.append(
                draw(st.sampled_from(["<", ">", "&amp;", "&#0;", "<!--", "-->", "<![CDATA[", "\x00", PROSE]))
            )
    return "".join(parts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup())
def test_random_markup_gives_document_or_input_error(html: str) -> None:
    try:
        doc = extract(html, url="https://e.x/a")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    text = doc.text
    assert text and text == text.strip()
    previous_end = -2
    for block in doc.html_blocks:
        assert 0 <= block.start < block.end <= len(text)
        assert block.start == previous_end + 2  # blocks tile the text, blank line between
        assert block.element.startswith("/")
        previous_end = block.end
    assert previous_end == len(text)
    if doc.body is not None:
        assert 0 <= doc.body.start <= doc.body.end <= len(text)
        assert doc.body.text == text[doc.body.start : doc.body.end]
        starts = {b.start for b in doc.html_blocks}
        ends = {b.end for b in doc.html_blocks}
        assert doc.body.start in starts and doc.body.end in ends  # the body is whole blocks
    for item in [*doc.metadata.links, *doc.metadata.tags]:
        if item.start is not None and item.end is not None:
            assert 0 <= item.start <= item.end <= len(text)
    assert all(not link.url.lower().startswith("javascript") for link in doc.metadata.links)
