"""HTML pages taken apart: header, body and wrapper blocks, metadata with provenance.

Real pages of different layouts (three of trafilatura's own test pages, Apache-2.0) and an HTML
build of the Global Research / South Front page, each read the way ingest hands them over: a
`RawPage` with decoded markup.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.document import Document, RawPage
from presslens.pipeline import Pipeline

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "anatomy" / "html"
EXTRACT = Pipeline.from_names(["anatomy"])  # what `presslens extract` runs


def load(name: str, url: str | None = None) -> Document:
    markup = (FIXTURES / name).read_text(encoding="utf-8")
    return EXTRACT(RawPage(source=name, kind="html", text=markup, url=url))


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --------------------------------------------------------------------------------------------
# The Global Research page, as HTML


@pytest.fixture(scope="module")
def gr() -> Document:
    return load("globalresearch-soleimani.html")


def test_gr_metadata(gr: Document) -> None:
    md = gr.metadata
    assert md.title == "Video: Qassem Soleimani: Martyr of Iranian Revolution"
    assert md.authors == ["South Front"]
    assert md.publisher == "Global Research"
    assert md.published == "2020-01-07"
    assert md.language == "en"
    assert (
        md.canonical_url
        == "https://www.globalresearch.ca/video-qassem-soleimani-martyr-iranian-revolution/5699512"
    )


def test_gr_provenance_points_at_elements(gr: Document) -> None:
    prov = gr.metadata.provenance
    assert prov["title"].method == "h1"
    assert prov["title"].element == "/html/body/div[3]/article/header/h1"
    assert prov["published"].method == "meta[article:published_time]"
    assert prov["publisher"].method == "meta[og:site_name]"
    assert prov["authors"].method == "a[rel=author]"
    assert prov["language"].element == "/html"


def test_gr_body_is_the_article_and_nothing_else(gr: Document) -> None:
    assert gr.body is not None
    body = gr.body.text
    assert body == gr.text[gr.body.start : gr.body.end]
    assert body.startswith("For the first time in the history of Iran")
    assert body.endswith("which is viewed by many as a declaration of war.")
    for wrapper in (
        "Note to readers",
        "PayPal",
        "original source",
        "Copyright",
        "Disclaimer",
        "Become a Member",
        "Home",
    ):
        assert wrapper not in body


def test_gr_text_layout_header_body_rest(gr: Document) -> None:
    assert gr.body is not None
    header = paragraphs(gr.text[: gr.body.start].strip())
    assert header == [
        "Video: Qassem Soleimani: Martyr of Iranian Revolution",
        "By South Front",
        "Global Research, January 07, 2020",
        "South Front 6 January 2020",
        "Region: Middle East & North Africa",
        "Theme: US NATO War Agenda",
        "In-depth Report: IRAN: THE NEXT WAR?",
    ]
    rest = gr.text[gr.body.end :]
    # every wrapper paragraph is still there, after the body, for the text-side classifier
    for wrapper in (
        "Note to readers: please click the share buttons above or below.",
        "PayPal: southfront@list.ru or via: http://southfront.org/donate/ or",
        "via: https://www.patreon.com/southfront",
        "The original source of this article is South Front",
        "Copyright © South Front, South Front, 2020",
        "Comment on Global Research Articles on our Facebook page",
        "Become a Member of Global Research",
        "Disclaimer: The contents of this article",
        'under the provisions of "fair use"',
        "For media inquiries: publications@globalresearch.ca",
    ):
        assert wrapper in rest


def test_gr_scripts_hidden_and_handlers_never_become_text(gr: Document) -> None:
    for secret in (
        "TRACKING TEXT",
        "HIDDEN PROMO",
        "NOSCRIPT TEXT",
        "INJECTED",
        "dataLayer",
        "track()",
        "openSearch",
        "font-family",
    ):
        assert secret not in gr.text
    assert all(not link.url.lower().startswith("javascript:") for link in gr.metadata.links)


def test_gr_tags_with_kinds_and_spans(gr: Document) -> None:
    tags = {(t.kind, t.value) for t in gr.metadata.tags}
    assert ("region", "Middle East & North Africa") in tags
    assert ("theme", "US NATO War Agenda") in tags
    assert ("report", "IRAN: THE NEXT WAR?") in tags
    assert ("section", "Middle East & North Africa") in tags  # from article:section
    for tag in gr.metadata.tags:
        if tag.start is not None and tag.end is not None:
            assert gr.text[tag.start : tag.end] == tag.value


def test_gr_media(gr: Document) -> None:
    media = {(m.kind, m.url) for m in gr.metadata.media}
    assert ("video", "https://southfront.org/wp-content/uploads/video/06_01_20_FPD_Soleimani.mp4") in media
    assert ("image", "https://www.globalresearch.ca/wp-content/uploads/2020/01/soleimani.jpg") in media


def test_gr_html_blocks_map_text_back_to_elements(gr: Document) -> None:
    assert gr.body is not None
    blocks = gr.html_blocks
    assert blocks[0].tag == "h1" and gr.text[blocks[0].start : blocks[0].end] == gr.metadata.title
    # blocks are in text order and tile the text with blank lines between them
    assert "\n\n".join(gr.text[b.start : b.end] for b in blocks) == gr.text
    # the body is exactly a run of whole blocks, all paragraphs of the article container
    inside = [b for b in blocks if gr.body.start <= b.start and b.end <= gr.body.end]
    assert inside[0].start == gr.body.start and inside[-1].end == gr.body.end
    assert all(b.element.startswith("/html/body/div[3]/article/div[1]/") for b in inside)
    assert all(b.tag == "p" for b in inside)


# --------------------------------------------------------------------------------------------
# trafilatura's test pages (expectations follow trafilatura's tests/realworld_tests.py)


def test_blog_post_with_logo_h1_and_headline_h2() -> None:
    doc = load(
        "die-partei.net.luebeck.html",
        "https://die-partei.net/luebeck/2012/05/31/das-ministerium-fur-club-kultur-informiert/",
    )
    assert doc.body is not None
    assert "Die GEMA dreht völlig am Zeiger!" in doc.body.text
    assert "Impressum" not in doc.body.text
    assert "Impressum" in doc.text  # still there, as a wrapper block
    assert doc.metadata.title == "Das Ministerium für Club-Kultur informiert…"
    # no site-name meta: the <title>'s other part names the site
    assert doc.metadata.publisher == "Die PARTEI Lübeck"
    assert doc.metadata.provenance["publisher"].method == "title"
    assert doc.metadata.language == "de"
    assert doc.metadata.published == "2012-05-31"
    assert (
        doc.metadata.canonical_url
        == "https://die-partei.net/luebeck/2012/05/31/das-ministerium-fur-club-kultur-informiert/"
    )


def test_event_page_with_soft_hyphens_and_sidebar() -> None:
    doc = load("wehranlage-horka.de.887.html", "http://www.wehranlage-horka.de/veranstaltung/887/")
    assert doc.body is not None
    assert "In eine andere Zeit" in doc.body.text
    assert "Während Sie über den Markt schlendern" in doc.body.text
    for wrapper in ("Infos zum Verein", "nach oben", "Datenschutzerklärung"):
        assert wrapper not in doc.body.text
    assert "Infos zum Verein" in doc.text
    assert "\u00ad" not in doc.text  # soft hyphens would split words for every later stage
    assert doc.metadata.title == "Historischer Markt"
    assert ("keyword", "Markt") in {(t.kind, t.value) for t in doc.metadata.tags}
    # sidebar category menus are not this page's tags
    assert "Konzerte" not in {t.value for t in doc.metadata.tags}
    assert doc.metadata.media == []  # the only images are in the sidebar


def test_listicle_with_categories_and_dateline() -> None:
    doc = load(
        "womencantalksports.com.top10.html", "http://www.womencantalksports.com/top-10-women-talking-sports/"
    )
    assert doc.body is not None
    body = doc.body.text
    assert "Keep Talking Sports!" in body
    assert "3.Charlotte Jones Anderson" in paragraphs(body)  # a heading is its own paragraph
    for wrapper in (
        "Category: Blog Popular",
        "Copyright Women Can Talk Sports.",
        "Submit your sports question below",
    ):
        assert wrapper not in body
        assert wrapper in doc.text
    assert doc.metadata.title == "Top 10 Women Talking Sports"
    assert doc.metadata.publisher == "Women Can Talk Sports"
    assert doc.metadata.published == "2014-01-22"
    # the dateline sits in the header, before the body
    assert "January 22, 2014" in doc.text[: doc.body.start]
    assert {("section", "Blog"), ("section", "Popular")} <= {(t.kind, t.value) for t in doc.metadata.tags}
    assert any(link.url == "http://www.gridironbelles.com/" for link in doc.metadata.links)
    for link in doc.metadata.links:
        if link.start is not None and link.end is not None:
            assert doc.text[link.start : link.end] == link.text
            assert doc.body.start <= link.start < doc.body.end


# --------------------------------------------------------------------------------------------
# Layout rules on small built pages


def page(body: str, head: str = "", url: str | None = "https://news.example/a/1") -> Document:
    markup = f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>"
    return EXTRACT(RawPage(source="built", kind="html", text=markup, url=url))


ARTICLE = "".join(
    f"<p>Paragraph {n} of the story says something long enough to be prose, with several clauses.</p>"
    for n in range(1, 7)
)


def test_headings_lists_rows_quotes_are_paragraphs() -> None:
    doc = page(
        "<article><h1>Headline of the story</h1>"
        + ARTICLE
        + "<h2>A subheading</h2><ul><li>first item</li><li>second <b>bold</b> item</li></ul>"
        + "<table><tr><th>Year</th><th>Votes</th></tr><tr><td>2019</td><td>1,204</td></tr></table>"
        + "<blockquote>A quoted sentence.</blockquote>"
        + "<p>Line one<br>line two<br><br>New paragraph.</p></article>"
    )
    paras = paragraphs(doc.text)
    for expected in (
        "A subheading",
        "first item",
        "second bold item",
        "Year | Votes",
        "2019 | 1,204",
        "A quoted sentence.",
        "Line one\nline two",
        "New paragraph.",
    ):
        assert expected in paras
    tags = {doc.text[b.start : b.end]: b.tag for b in doc.html_blocks}
    assert (
        tags["first item"] == "li"
        and tags["2019 | 1,204"] == "tr"
        and tags["A quoted sentence."] == "blockquote"
    )
    # both halves of a <br><br> split map to the same <p>
    split = [
        b for b in doc.html_blocks if doc.text[b.start : b.end] in ("Line one\nline two", "New paragraph.")
    ]
    assert len(split) == 2 and split[0].element == split[1].element


def test_json_ld_metadata_with_provenance() -> None:
    head = """<title>Storm hits coast | Daily Example</title>
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Daily Example"},
      {"@type": "NewsArticle", "headline": "Storm hits coast", "datePublished": "2021-03-04T08:00:00Z",
       "dateModified": "2021-03-05T10:00:00+01:00", "author": [{"@type": "Person", "name": "Ana Ruiz"},
       {"@type": "Person", "name": "Li Wei"}],
       "publisher": {"@type": "Organization", "name": "Daily Example"},
       "articleSection": "Weather", "keywords": "storm, coast, flooding"}]}</script>"""
    doc = page("<h1>Storm hits coast</h1>" + ARTICLE, head=head)
    md = doc.metadata
    assert md.title == "Storm hits coast"
    assert md.authors == ["Ana Ruiz", "Li Wei"]
    assert md.published == "2021-03-04" and md.updated == "2021-03-05"
    assert md.publisher == "Daily Example"
    assert {("section", "Weather"), ("keyword", "storm"), ("keyword", "flooding")} <= {
        (t.kind, t.value) for t in md.tags
    }
    assert md.provenance["authors"].method == "json-ld"
    assert md.provenance["authors"].element == "/html/head/script"
    assert md.provenance["published"].method == "json-ld"


def test_links_and_media_only_from_the_body() -> None:
    doc = page(
        "<nav><a href='/home'>Home</a><img src='/logo.png'></nav>"
        "<article>"
        + ARTICLE
        + "<p>Read the <a href='/report.pdf'>full report</a>, the <a href='javascript:alert(1)'>trap</a>"
        " and <a href='mailto:x@example.org'>mail</a> and <a href='#top'>top</a> links in a paragraph.</p>"
        "<iframe src='https://www.youtube.com/embed/abc'></iframe>"
        "<audio controls><source src='/pod.mp3'></audio><img src='/chart.png'>"
        + ARTICLE.replace("Paragraph", "Section")
        + "</article><aside><img src='/ad.png'><a href='/other'>Other story</a></aside>"
    )
    links = [(link.url, link.text) for link in doc.metadata.links]
    assert links == [("https://news.example/report.pdf", "full report")]
    link = doc.metadata.links[0]
    assert link.start is not None and doc.text[link.start : link.end] == "full report"
    media = {(m.kind, m.url) for m in doc.metadata.media}
    assert media == {
        ("video", "https://www.youtube.com/embed/abc"),
        ("audio", "https://news.example/pod.mp3"),
        ("image", "https://news.example/chart.png"),
    }


def test_metadata_fallbacks_meta_tags_time_and_byline() -> None:
    head = (
        "<meta name='author' content='By Jane Roe and John Doe'>"
        "<meta http-equiv='content-language' content='fr-FR'>"
        "<meta property='og:url' content='https://news.example/a/1?utm=x'>"
        "<meta property='article:tag' content='Climat'>"
    )
    doc = EXTRACT(
        RawPage(
            source="built",
            kind="html",
            text=f"<html><head>{head}</head><body><h1>Titre</h1>"
            f"<time datetime='2019-11-19T10:00'>19 nov.</time>{ARTICLE}</body></html>",
        )
    )
    md = doc.metadata
    assert md.authors == ["Jane Roe", "John Doe"]
    assert md.provenance["authors"].method == "meta[author]"
    assert md.language == "fr"
    assert md.published == "2019-11-19" and md.provenance["published"].method == "time"
    assert md.url == md.canonical_url == "https://news.example/a/1?utm=x"
    assert ("keyword", "Climat") in {(t.kind, t.value) for t in md.tags}
    assert md.title == "Titre"


def test_document_round_trips_through_json(gr: Document) -> None:
    again = Document.from_json(gr.to_json())
    assert again.text == gr.text and again.body == gr.body and again.html_blocks == gr.html_blocks
    assert again.input_kind == "html"
