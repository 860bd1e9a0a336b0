"""An HTML page laid out as text — the article's header, the article, the rest — and the map back.

Where it sits: the document maker (`anatomy.text`) calls `make_html_document` for HTML input.
`Document.text` is every visible block of the page, one paragraph per block separated by blank
lines, in this order:

1. header blocks: headline, byline, date and tag lines found just above the article,
2. the article's blocks (`ArticleFinder`), contiguous, so the body is one span of the text,
3. every other visible block in page order (navigation, share and donation appeals, related
   links, comments, footers…), for the `wrapper` stage to classify.

The text is fixed once made, so the article's blocks are found here, where the order is
decided; the `body` stage then decides where in that stretch the body starts (a dateline or
tag line at the article's top is header, not body). Each block is recorded as an
`HtmlBlock(start, end, element=<xpath>, tag)`, and `doc.user_data[HTML_KEY]` keeps the parsed
page (`HtmlPage`) so that the metadata stage reads the same tree instead of parsing again.

>>> from presslens.anatomy.article import ArticleFinder
>>> page = RawPage(source="demo", kind="html", text="<h1>Hi</h1><p>Body text here.</p>")
>>> make_html_document(page, ArticleFinder()).text
'Hi\\n\\nBody text here.'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import lxml.etree as etree

from presslens.anatomy.htmltree import Block, XPaths, parse_html, walk_blocks
from presslens.anatomy.layout import assess, names_title, normalise
from presslens.anatomy.paragraphs import Paragraph
from presslens.document import Document, HtmlBlock, RawPage
from presslens.errors import InputError
from presslens.lexicon.bylines import BYLINE_PREFIX
from presslens.lexicon.dates import find_dates

HTML_KEY = "anatomy.html"  # doc.user_data key of the `HtmlPage`
_HEADER_HINT = re.compile(r"author|byline", re.IGNORECASE)
MAX_HEADER_LOOKUP = 12  # blocks above the article searched for its header


class FindsArticle(Protocol):
    """What picks the article's blocks (`anatomy.article.ArticleFinder`): indices, page order."""

    def __call__(
        self, root: etree._Element, blocks: Sequence[Block], *, url: str | None = None, markup_size: int = 0
    ) -> list[int]: ...


@dataclass(frozen=True, eq=False)
class HtmlPage:
    """The parsed page the maker leaves for the anatomy stages: tree, blocks, where they went.

    `spans[i]` is block `i`'s span in `Document.text`; `article` the span of the article
    blocks (None when the page has none).
    """

    root: etree._Element
    blocks: tuple[Block, ...]
    spans: tuple[tuple[int, int], ...]
    article: tuple[int, int] | None
    titles: tuple[str, ...]
    xpath: XPaths
    owners: dict[etree._Element, tuple[int, ...]] = field(repr=False)

    def blocks_within(self, start: int, end: int) -> list[int]:
        """Indices (page order) of the blocks whose text lies in `text[start:end]`."""
        return [i for i, (s, e) in enumerate(self.spans) if start <= s and e <= end]

    def owner_of(self, element: etree._Element) -> tuple[int, ...]:
        """The blocks holding an element's text: those of its nearest block-owning ancestor."""
        for el in (element, *element.iterancestors()):
            if el in self.owners:
                return self.owners[el]
        return ()

    def locate(self, element: etree._Element, text: str) -> tuple[int, int] | None:
        """Where `text` (an element's visible text: a link's anchor, a tag) sits in the text."""
        for i in self.owner_of(element):
            pos = self.blocks[i].text.find(text)
            if pos >= 0:
                start = self.spans[i][0] + pos
                return start, start + len(text)
        return None


def make_html_document(raw: RawPage, finder: FindsArticle) -> Document:
    """The `Document` of an HTML page, its `HtmlPage` in `user_data[HTML_KEY]`.

    Raises `InputError` for pages with no visible text.
    """
    markup = raw.text
    if not markup or not markup.strip():
        raise InputError("no text: the HTML page is empty")
    root = parse_html(markup)
    xpath = XPaths()
    blocks = tuple(walk_blocks(root, xpath))
    if not blocks:
        raise InputError("no text: the HTML page has no visible text")
    article = finder(root, blocks, url=raw.url, markup_size=len(markup))
    titles = declared_titles(root)
    header = header_blocks(blocks, article, titles)
    taken = {*header, *article}
    order = [*header, *article, *(i for i in range(len(blocks)) if i not in taken)]

    spans: list[tuple[int, int]] = [(0, 0)] * len(blocks)
    html_blocks: list[HtmlBlock] = []
    pos = 0
    for i in order:
        block = blocks[i]
        spans[i] = (pos, pos + len(block.text))
        # Not validated: offsets are ours and ordered; validating 300k blocks of a huge page
        # one by one would cost more than extracting them
        html_blocks.append(HtmlBlock.trusted(pos, spans[i][1], block.xpath, block.tag))
        pos = spans[i][1] + 2
    text = "\n\n".join(blocks[i].text for i in order)
    owners: dict[etree._Element, list[int]] = {}
    for block in blocks:
        owners.setdefault(block.element, []).append(block.index)
    page = HtmlPage(
        root,
        blocks,
        tuple(spans),
        (spans[article[0]][0], spans[article[-1]][1]) if article else None,
        titles,
        xpath,
        {el: tuple(ix) for el, ix in owners.items()},
    )
    doc = Document(source=raw.source, text=text, input_kind="html", html_blocks=html_blocks)
    doc.user_data[HTML_KEY] = page
    return doc


def declared_titles(root: etree._Element) -> tuple[str, ...]:
    """What the page calls itself — `<title>`, `og:title`, `twitter:title` — normalised: how the
    headline is told from other headings (the `metadata` stage decides the title field)."""
    found = [el.text_content() for el in root.iterfind(".//title")][:1]
    found += [
        meta.get("content") or ""
        for meta in root.iter("meta")
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:title", "twitter:title")
    ]
    return tuple(dict.fromkeys(t for t in map(normalise, found) if t))


def header_blocks(blocks: Sequence[Block], article: Sequence[int], titles: tuple[str, ...] = ()) -> list[int]:
    """The article's header: short blocks just above it that read as headline, byline, date or
    tag line, up to the headline or the first long block. Page order."""
    if not article:
        return []
    found: list[int] = []
    for i in range(article[0] - 1, max(-1, article[0] - 1 - MAX_HEADER_LOOKUP), -1):
        block = blocks[i]
        if len(block.text) > 300:
            break  # article or wrapper prose: the header does not reach past it
        headline = names_title(block.text, titles)
        if headline or _reads_as_header(block):
            found.append(i)
        if block.tag == "h1" or (headline and block.tag in ("h2", "h3")):
            break  # the headline opens the article header
    return sorted(found)


def _reads_as_header(block: Block) -> bool:
    if block.tag in ("h1", "h2") or BYLINE_PREFIX.match(block.text):
        return True
    # the layout's own judgement (kept per text, so the `body` stage does not redo it)
    if assess(Paragraph(0, len(block.text), block.text)).header:
        return True
    return len(block.text) < 120 and (bool(find_dates(block.text)) or _marked_as_header(block.element))


def _marked_as_header(el: etree._Element) -> bool:
    """A `<time>` in the block, or markup that names it a byline or author box."""
    for node in (el, *el.iterdescendants()):
        if not isinstance(node.tag, str):
            continue
        if node.tag == "time":
            return True
        if any(_HEADER_HINT.search(node.get(attr) or "") for attr in ("class", "id", "itemprop", "rel")):
            return True
    return False
