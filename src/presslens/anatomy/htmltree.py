"""HTML markup → an lxml tree → the page's visible paragraphs (`Block`s), each with its element.

Where it sits: the first step of the document maker (`anatomy.text`) for HTML input. Parsing
survives what crawls bring (100k nested `<div>`s, NUL bytes, 30 MB pages, an XML declaration
on decoded text); the block walk is not recursive, skips what never renders (scripts, styles,
hidden elements, form widgets) and turns `<br><br>` and table rows into paragraph breaks.
Every later HTML step (`anatomy.article`, `anatomy.htmlpage`, the metadata readers) works on
these blocks and maps back to elements through them.

>>> [b.text for b in walk_blocks(parse_html("<h1>Hi</h1><p>Body <b>text</b>.<br><br>More.</p>"))]
['Hi', 'Body text.', 'More.']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import lxml.etree as etree
import lxml.html

from presslens.errors import InputError

# Elements that start a new block of text; anything else is inline and flows into its block.
BLOCK_TAGS: frozenset[str] = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "td",
        "th",
        "ul",
    ]
)
# Elements whose content never reaches the text: code, styling, embedded objects, form widgets.
SKIP_TAGS: frozenset[str] = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "select",
        "textarea",
        "input",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "base",
        "param",
        "frameset",
        "frame",
    ]
)
# A table row holding none of these is laid out as one paragraph ("cell | cell").
_ROW_BREAKERS: frozenset[str] = BLOCK_TAGS - {"td", "th", "tr"}

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Soft hyphens, zero-width spaces, word joiners and BOMs render as nothing; keeping them would
# split words for every later stage. (ZWJ/ZWNJ stay: they change how some scripts render.)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_BR = "\x00"  # line-break marker inside a block (from <br> or <pre> newlines)
_CELL = "\x01"  # cell boundary inside a one-paragraph table row
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, eq=False)
class Block:
    """One paragraph of visible text: the element that owns it, its tag and XPath, its words.

    `index` is the block's place in page order; `tokens` (lower-cased words) are what the
    article finder compares with its candidate text.
    """

    text: str
    element: etree._Element
    tag: str
    index: int
    xpath: str
    tokens: tuple[str, ...]


def tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


# --------------------------------------------------------------------------------------------
# Parsing: lxml with resource limits, and graceful fallbacks for pathological nesting.


def _class_lookup() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes (`HtmlElement`, `FormElement` for `<form>`…) chosen in C.

    lxml.html's own lookup is a Python method called for every element proxy lxml makes:
    thousands per page here and again in trafilatura's passes over the same tree.
    """
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    lookup.get_namespace(None).update(lxml.html.HtmlElementClassLookup._default_element_classes)
    return lookup


_CLASS_LOOKUP = _class_lookup()


def _parse(markup: str, *, huge: bool) -> tuple[lxml.html.HtmlElement | None, bool]:
    """Parse markup; return the root and whether libxml2 hit a resource (depth) limit."""
    parser = lxml.html.HTMLParser(huge_tree=huge, remove_comments=False, recover=True)
    parser.set_element_class_lookup(_CLASS_LOOKUP)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    limited = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return root, limited


# Generic wrappers carry no meaning of their own; dropping them is how we survive a page that
# nests them deeper than libxml2 allows (e.g. 100k nested <div>s).
_WRAPPER_TAGS = re.compile(
    r"</?(?:div|span|section|article|font|center|main|b|i|em|strong|small)\b[^>]*>", re.I
)
_ANY_TAG = re.compile(r"<[^>]*>")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A substring test per character is a fast scan; the character class above, searched over a
# 160 kB page, costs more than a millisecond.
_CONTROLS = tuple(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))


def parse_html(markup: str) -> lxml.html.HtmlElement:
    """Parse decoded markup into an lxml tree, flattening it when nesting exceeds libxml2's limits.

    Raises `InputError` when the markup holds no element at all.
    """
    # NUL and other C0 controls make lxml refuse strings; they are never visible text anyway.
    if any(c in markup for c in _CONTROLS):
        markup = _CONTROL_CHARS.sub("", markup)
    if markup.startswith("<?xml"):
        # lxml refuses str input with an encoding declaration; the text is decoded already.
        markup = re.sub(r"^<\?xml[^>]*>", "", markup)
    root, limited = _parse(markup, huge=False)
    if limited:
        root, limited = _parse(markup, huge=True)
    if limited:
        root, limited = _parse(_WRAPPER_TAGS.sub("\n", markup), huge=True)
    if limited or root is None:
        # Last resort: keep the text, lose the structure.
        text = _ANY_TAG.sub("\n", markup)
        root, _ = _parse("<html><body><pre>" + _escape(text) + "</pre></body></html>", huge=True)
    if root is None:
        raise InputError("unparseable HTML: no element found")
    return root


def nesting_depth(root: etree._Element) -> int:
    """How deep the tree's elements nest (the root is 1): one `iterwalk`, no recursion.

    trafilatura's passes over nested tables and divs (`handle_table`, link-density pruning) cost
    the number of elements times this depth; a hostile page of 1,500 nested tables, parsed in a
    millisecond, keeps them busy for half a minute.
    """
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------------------------
# Blocks: a non-recursive walk that turns the visible tree into paragraphs.


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _is_atomic_row(el: etree._Element) -> bool:
    return not any(isinstance(d.tag, str) and d.tag in _ROW_BREAKERS for d in el.iterdescendants())


def _split_paragraphs(pieces: list[str]) -> list[str]:
    """Join inline pieces, collapse whitespace, split at blank lines (double <br>)."""
    raw = "".join(pieces)
    if raw.isspace():
        return []  # the whitespace between blocks (most calls): nothing below would keep it
    if _INVISIBLE.search(raw):
        raw = _INVISIBLE.sub("", raw)
    if _BR not in raw and _CELL not in raw:
        # one line (most blocks): what the general path below makes of it
        # whitespace runs as one space, none at the ends (str.split agrees with the regex `\s`)
        line = " ".join(raw.split())
        return [line] if line else []
    if not raw.strip():
        return []
    lines = [" ".join(line.split()) for line in raw.split(_BR)]
    if _CELL in raw:
        lines = [" | ".join(c for c in (cell.strip() for cell in line.split(_CELL)) if c) for line in lines]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def walk_blocks(root: etree._Element, xpaths: XPaths | None = None) -> list[Block]:
    """Every visible paragraph of the tree in document order, each with its owning element.

    One pass of `iterwalk` with an explicit stack of open block owners (no recursion: pages
    nest deeper than Python's stack); the state is local to this call.
    """
    found: list[tuple[str, etree._Element]] = []
    owners: list[etree._Element] = [root]
    cur: list[str] = []  # text pieces of the innermost open block (`buffers[-1]`)
    buffers: list[list[str]] = [cur]
    pre_depth = 0
    atomic_rows = 0
    elements = 0
    skipped: etree._Element | None = None  # skip_subtree's next event is that element's end

    def flush() -> None:
        if cur:
            found.extend((para, owners[-1]) for para in _split_paragraphs(cur))
            cur.clear()

    # Hot loop (every node of the page): text is appended inline rather than through a helper.
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):  # comment or processing instruction: only its tail shows
            if text := el.tail:
                cur.append(text.replace("\n", _BR) if pre_depth else text)
            continue
        # lxml's HTML parser gives lower-case tag names already
        if event == "start":
            elements += 1
            if tag in SKIP_TAGS or _hidden(el):
                skipped = el
                walker.skip_subtree()
                continue
            if tag == "br":
                cur.append(_BR)
            elif tag in ("td", "th") and atomic_rows:
                cur.append(_CELL)
            elif tag in BLOCK_TAGS and not atomic_rows:
                flush()
                owners.append(el)
                cur = []
                buffers.append(cur)
                if tag == "tr" and _is_atomic_row(el):
                    atomic_rows += 1
            if tag == "pre":
                pre_depth += 1
            if text := el.text:
                cur.append(text.replace("\n", _BR) if pre_depth else text)
        else:  # end
            if el is skipped:
                skipped = None  # skipped subtree: the tail is still visible text of the parent
            else:
                if tag == "pre":
                    pre_depth -= 1
                if owners[-1] is el:
                    flush()
                    owners.pop()
                    buffers.pop()
                    cur = buffers[-1]
                    if tag == "tr" and atomic_rows:
                        atomic_rows -= 1
                elif tag in BLOCK_TAGS and not atomic_rows:
                    cur.append(_BR)
            if text := el.tail:
                cur.append(text.replace("\n", _BR) if pre_depth else text)
    while owners:
        flush()
        owners.pop()
        buffers.pop()
        cur = buffers[-1] if buffers else []
    xpath = xpaths or XPaths()
    if len(found) * max(1, elements) <= _GETPATH_BUDGET:
        xpath.use_getpath(root.getroottree())
    return [
        Block(text, el, el.tag if isinstance(el.tag, str) else "div", i, xpath(el), tokens(text))
        for i, (text, el) in enumerate(found)
    ]


# libxml2's getpath scans an element's siblings at every level; blocks × elements bounds that
# work (a few milliseconds at most, against tens of µs per block for the Python steps below).
_GETPATH_BUDGET = 10_000_000


class XPaths:
    """XPaths of elements, built top-down with memoized steps.

    `ElementTree.getpath` counts siblings on every call, which turns quadratic on a page with
    tens of thousands of paragraphs under one parent; here each parent's children are
    numbered once. Steps follow getpath's form: `p[3]` when a tag repeats among siblings.
    Where the page is small enough that the quadratic case cannot bite, `use_getpath` hands
    the work to libxml2 (same paths, in C).
    """

    def __init__(self) -> None:
        self._paths: dict[etree._Element, str] = {}
        self._steps: dict[etree._Element, dict[etree._Element, str]] = {}
        self._tree: etree._ElementTree | None = None

    def use_getpath(self, tree: etree._ElementTree) -> None:
        self._tree = tree

    def _step(self, el: etree._Element, parent: etree._Element) -> str:
        steps = self._steps.get(parent)
        if steps is None:
            children = [c for c in parent if isinstance(c.tag, str)]
            counts = Counter(c.tag for c in children)
            seen: Counter[str] = Counter()
            steps = {}
            for c in children:
                seen[c.tag] += 1
                steps[c] = c.tag if counts[c.tag] == 1 else f"{c.tag}[{seen[c.tag]}]"
            self._steps[parent] = steps
        return steps.get(el, str(el.tag))

    def __call__(self, el: etree._Element) -> str:
        if self._tree is not None:
            return _shorten(self._tree.getpath(el))
        chain: list[etree._Element] = []
        node: etree._Element | None = el
        while node is not None and node not in self._paths:
            chain.append(node)
            node = node.getparent()
        path = self._paths[node] if node is not None else ""
        for n in reversed(chain):
            parent = n.getparent()
            path = f"{path}/{self._step(n, parent) if parent is not None else n.tag}"
            self._paths[n] = path
        return _shorten(self._paths[el])


def _shorten(path: str) -> str:
    # Very deep trees give absurd paths; keep the readable ends so the record stays small.
    return path if len(path) <= 2000 else path[:900] + "/…/" + path[-900:]


def within(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())
