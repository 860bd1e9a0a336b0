"""JSON-LD on a page: the schema.org object that describes the article, and the element it is in.

Where it sits: read once per page by the `metadata` stage (through `htmlcontext.MarkupContext`)
for title, authors, publisher, dates and tags; JSON-LD is the most explicit metadata a page
carries, so its values come first. Every value read from it keeps the `<script>` element as
provenance.

>>> from presslens.anatomy.htmltree import parse_html
>>> root = parse_html('<script type="application/ld+json">{"@graph": [{"@type": "WebSite"},'
...                   '{"@type": "NewsArticle", "headline": "Storm", "author": [{"name": "Ana"}]}]}</script>')
>>> ld = ld_article(root)
>>> ld.text("headline"), ld.names("author")
('Storm', ['Ana'])
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import lxml.etree as etree

# schema.org types that describe the article itself (WebPage only when nothing better is there).
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "scholarlyarticle",
        "techarticle",
        "report",
        "liveblogposting",
        "socialmediaposting",
        "videoobject",
        "webpage",
        "posting",
    }
)
MAX_SCRIPT_CHARS = 1_000_000
MAX_OBJECTS = 200


@dataclass(frozen=True)
class LdArticle:
    """The page's article object and the `<script>` that holds it."""

    data: dict[str, Any]
    script: etree._Element

    def text(self, key: str) -> str | None:
        """A property as text: a string, or the `name`/`@value` of an object, or a list's first."""
        return _text(self.data.get(key))

    def names(self, key: str) -> list[str]:
        """Every name a property lists (`author: [{name: …}, …]`)."""
        value = self.data.get(key)
        return [name for item in (value if isinstance(value, list) else [value]) if (name := _text(item))]


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _objects(root: etree._Element) -> list[tuple[dict[str, Any], etree._Element]]:
    """Every JSON-LD object on the page (flattening `@graph` and lists), with its <script>."""
    found: list[tuple[dict[str, Any], etree._Element]] = []
    for script in root.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > MAX_SCRIPT_CHARS:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's stack
            continue
        stack: list[Any] = [data]
        while stack and len(found) < MAX_OBJECTS:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj))
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                found.append((obj, script))
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    return {str(v).lower() for v in (t if isinstance(t, list) else [t]) if v}


def ld_article(root: etree._Element) -> LdArticle | None:
    """The object describing the article: a real article type beats a generic WebPage."""
    ranked = [(o, s) for o, s in _objects(root) if _types(o) & ARTICLE_TYPES]
    ranked.sort(key=lambda pair: "webpage" in _types(pair[0]))
    return LdArticle(*ranked[0]) if ranked else None
