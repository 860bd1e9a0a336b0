"""The article finder's one-copy run of trafilatura's fast mode gives `bare_extraction`'s text.

`article._fast_trafilatura_text` runs trafilatura's own steps for the one configuration the
finder uses, so that the tree is copied once instead of three times; these tests hold it to
`bare_extraction` on real pages, so a trafilatura upgrade that changes its sequence shows here.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import lxml.etree as etree
import pytest
import trafilatura

from presslens.anatomy import article
from presslens.anatomy.htmltree import parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "anatomy" / "html"


def bare_text(root: etree._Element, url: str | None) -> str | None:
    result = trafilatura.bare_extraction(
        root,
        url=url,
        fast=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    return (getattr(result, "text", None) if result is not None else None) or None


def check_same(markup: str, url: str | None = None) -> None:
    root = parse_html(markup)
    before = etree.tostring(root)
    assert article._trafilatura_text(root, url, fast=True) == bare_text(root, url)
    assert etree.tostring(root) == before  # the caller's tree is left alone


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_fast_mode_matches_bare_extraction_on_fixture_pages(name: str) -> None:
    check_same((FIXTURES / name).read_text(encoding="utf-8"), "https://example.org/a")


def test_fast_mode_matches_bare_extraction_on_the_shared_benchmark(shared_dir: Path) -> None:
    pages = sorted((shared_dir / "data" / "article-extraction" / "html").glob("*.html.gz"))
    if not pages:
        pytest.skip("the article-extraction data is not in ../shared")
    for path in pages[::4]:  # a quarter of them: the whole set was checked when this was written
        check_same(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))


def test_empty_and_forum_pages_match_bare_extraction() -> None:
    prose = "<p>" + "A sentence of the post that says something about the thread. " * 8 + "</p>"
    check_same("<html><body><div></div></body></html>")
    forum = (
        '<html><head><script type="application/ld+json">{"@type": "DiscussionForumPosting"}'
        f'</script></head><body><div class="comments">{prose}</div><div>{prose}</div></body></html>'
    )
    check_same(forum)
    root = parse_html(forum)
    assert article._forum_page(root)
    # the word in some other script is no forum to trafilatura, nor to the finder
    other = forum.replace('type="application/ld+json"', 'type="text/javascript"')
    check_same(other)
    assert not article._forum_page(parse_html(other))
