"""What every HTML metadata reader looks at, gathered once per page: `MarkupContext`.

Where it sits: the `metadata` stage builds one `MarkupContext` from the `HtmlPage` the document
maker left in `doc.user_data` and the body the `body` stage chose; the small readers in
`htmlfields` (title, authors, publisher, dates, language, URLs) and `htmllinks` (links, media,
tags) each take it and return their field with its provenance (`Field`), never editing it.
`<meta>` tags are indexed once (`MetaTags`); JSON-LD is parsed once (`anatomy.jsonld`).

>>> from presslens.anatomy.htmltree import parse_html
>>> metas = MetaTags(parse_html("<meta property='og:title' content=' Storm  hits '><p>x</p>"))
>>> metas.first("twitter:title", "og:title").value
'Storm hits'
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar
from urllib.parse import urljoin, urlsplit

import lxml.etree as etree

from presslens.anatomy.htmlpage import HtmlPage
from presslens.anatomy.jsonld import LdArticle, ld_article
from presslens.document import Provenance, RawPage

T = TypeVar("T")


def clean(text: str | None) -> str:
    # str.split() and the regex `\s` agree on whitespace; this is `re.sub(r"\s+", " ", text).strip()`
    return " ".join((text or "").split())


@dataclass(frozen=True)
class Field(Generic[T]):
    """A metadata value and where it was found."""

    value: T
    provenance: Provenance


@dataclass(frozen=True)
class MetaHit:
    value: str
    element: etree._Element
    key: str

    @property
    def method(self) -> str:
        return f"meta[{self.key}]"


class MetaTags:
    """`<meta>` content by lower-cased property/name/itemprop/http-equiv, in page order."""

    def __init__(self, root: etree._Element) -> None:
        self.hits: list[MetaHit] = []
        for meta in root.iter("meta"):
            content = meta.get("content")
            if content is None or not content.strip():
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = meta.get(attr)
                if key:
                    self.hits.append(MetaHit(clean(content), meta, key.strip().lower()))
        self.by_key: dict[str, list[MetaHit]] = {}
        for hit in self.hits:
            self.by_key.setdefault(hit.key, []).append(hit)

    def all(self, key: str) -> list[MetaHit]:
        return self.by_key.get(key, [])

    def first(self, *keys: str) -> MetaHit | None:
        """The first value of the first key present, keys in order of preference."""
        return next((self.by_key[k][0] for k in keys if k in self.by_key), None)

    def first_of(self, keys: Collection[str], accept: Callable[[str], bool] = bool) -> MetaHit | None:
        """The first tag in page order whose key is one of `keys` and whose value `accept`s —
        how htmldate reads its date meta tags, used here for every library-supplied key list."""
        return next((h for h in self.hits if h.key in keys and accept(h.value)), None)


def resolve_url(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL for a link target, or None for scripts, anchors and mail links."""
    if not href:
        return None
    href = href.strip()
    scheme = urlsplit(href).scheme.lower() if ":" in href else ""
    if scheme and scheme not in ("http", "https"):
        return None  # javascript:, data:, mailto: and friends are not links to follow
    if href.startswith("#"):
        return None
    if base and not scheme:
        try:
            href = urljoin(base, href)
        except ValueError:
            return None
    if not urlsplit(href).scheme and not base:
        return href if href.startswith("/") else None
    return href


@dataclass(frozen=True)
class MarkupContext:
    """One page's markup as the metadata readers see it: the laid-out page, the record it came
    in, the article's blocks (`body`, page order), its meta tags and its JSON-LD article."""

    page: HtmlPage
    raw: RawPage
    body: tuple[int, ...]

    @cached_property
    def metas(self) -> MetaTags:
        return MetaTags(self.page.root)

    @cached_property
    def ld(self) -> LdArticle | None:
        return ld_article(self.page.root)

    @property
    def root(self) -> etree._Element:
        return self.page.root

    def provenance(self, el: etree._Element, method: str) -> Provenance:
        return Provenance(element=self.page.xpath(el), method=method)

    def around_body(self, before: int, after: int) -> range:
        """Block indices from `before` blocks above the body's first block to `after` blocks
        past its last (every block when there is no body)."""
        if not self.body:
            return range(len(self.page.blocks))
        return range(max(0, self.body[0] - before), min(len(self.page.blocks), self.body[-1] + after))

    def at_body_top(self, before: int, after: int) -> range:
        """Block indices from `before` blocks above the body's first block to `after` into it
        (the last `before` blocks of the page when there is no body)."""
        first = self.body[0] if self.body else len(self.page.blocks)
        return range(max(0, first - before), min(len(self.page.blocks), first + after))
