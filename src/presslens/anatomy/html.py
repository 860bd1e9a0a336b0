"""HTML page → `Document`: visible text laid out as blocks, the article body, HTML metadata.

Where it sits: the first anatomy step for HTML input. Ingest hands a `RawPage` (`kind="html"`,
decoded markup); this module returns a `Document` whose `text` is every visible block of the
page, one paragraph per block separated by blank lines, in this order:

1. header blocks (title, byline, date, tag lines found just above the article),
2. the article body blocks, contiguous (`Document.body` covers exactly them),
3. every other visible block in page order (navigation, share and donation appeals, related
   links, comments, footers…), so the text-side anatomy stage can classify them.

Each block is recorded as an `HtmlBlock(start, end, element=<xpath>, tag)`, so any later span
maps back to the element it came from. Metadata comes from `html_metadata.extract_metadata`.

Body detection (`detect_body`), one small step each, measured on the article-extraction
benchmark (`benchmarks/extraction.py`):

1. candidate: trafilatura in precision mode without comments (fast mode first, its full mode
   with readability/jusText comparisons only when the fast answer holds little of the page);
2. `_match_blocks`: map the candidate onto our blocks by 3-gram shingles, blocks nearest the
   article's core claiming shingles first, so teasers repeating the headline or lede lose;
3. `_fill_gaps`: take back a lone prose paragraph between two body paragraphs of one parent;
4. `_extend_to_twin_containers`: add prose from containers with the article container's tag
   and class (templates split long articles around ads);
5. `_trim_tail`: drop blocks after the article's container and blocks in sidebar/widget/footer
   containers; 6. `_drop_link_lines`: drop "Related: <link>" style lines;
7. `_header_blocks` (at assembly): headline, byline, dateline and tag lines move to the header.

When trafilatura finds nothing (tiny pages, hostile markup, pages over
`MAX_TRAFILATURA_CHARS`) a text-density fallback picks the container with the most prose.

>>> from presslens.document import RawPage
>>> page = RawPage(source="demo", kind="html", text="<h1>Hi</h1><p>Body text here.</p>")
>>> html_to_document(page).text
'Hi\\n\\nBody text here.'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

import lxml.etree as etree
import lxml.html

from presslens.document import Body, Document, HtmlBlock, RawPage, Tag
from presslens.errors import InputError

if TYPE_CHECKING:
    from presslens.anatomy.html_metadata import Placement

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
_SPACES = re.compile(r"\s+")
# Soft hyphens, zero-width spaces, word joiners and BOMs render as nothing; keeping them would
# split words for every later stage. (ZWJ/ZWNJ stay: they change how some scripts render.)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_BR = "\x00"  # line-break marker inside a block (from <br> or <pre> newlines)
_CELL = "\x01"  # cell boundary inside a one-paragraph table row

# Pages bigger than this skip trafilatura's many passes and use the fast density fallback,
# so a 30 MB page costs one parse and one walk.
MAX_TRAFILATURA_CHARS = 3_000_000


@dataclass
class Block:
    """One paragraph of visible text and the element it came from."""

    text: str
    element: etree._Element
    tag: str
    index: int = 0
    xpath: str = ""
    tokens: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Parsing: lxml with resource limits, and graceful fallbacks for pathological nesting.


def _parse(markup: str, *, huge: bool) -> tuple[lxml.html.HtmlElement | None, bool]:
    """Parse markup; return the root and whether libxml2 hit a resource (depth) limit."""
    parser = lxml.html.HTMLParser(huge_tree=huge, remove_comments=False, recover=True)
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


def parse_html(markup: str) -> lxml.html.HtmlElement:
    """Parse decoded markup into an lxml tree, flattening it when nesting exceeds libxml2's limits.

    Raises `InputError` when the markup holds no element at all.
    """
    # NUL and other C0 controls make lxml refuse strings; they are never visible text anyway.
    if _CONTROL_CHARS.search(markup):
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


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
    if _INVISIBLE.search(raw):
        raw = _INVISIBLE.sub("", raw)
    if not raw.strip():
        return []
    lines = [_SPACES.sub(" ", line).strip() for line in raw.split(_BR)]
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


def walk_blocks(root: etree._Element) -> list[Block]:
    """Every visible paragraph of the tree in document order, each with its owning element."""
    blocks: list[Block] = []
    owners: list[etree._Element] = [root]
    buffers: list[list[str]] = [[]]
    pre_depth = 0
    atomic_rows = 0
    skipped: set[etree._Element] = set()

    def add(text: str | None) -> None:
        if text:
            buffers[-1].append(text.replace("\n", _BR) if pre_depth else text)

    def flush() -> None:
        pieces = buffers[-1]
        if pieces:
            owner = owners[-1]
            tag = owner.tag if isinstance(owner.tag, str) else "div"
            for para in _split_paragraphs(pieces):
                blocks.append(Block(para, owner, tag))
            pieces.clear()

    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):  # comment or processing instruction: only its tail shows
            add(el.tail)
            continue
        # lxml's HTML parser gives lower-case tag names already
        if event == "start":
            if tag in SKIP_TAGS or _hidden(el):
                skipped.add(el)
                walker.skip_subtree()
                continue
            if tag == "br":
                add(_BR)
            elif tag in ("td", "th") and atomic_rows:
                add(_CELL)
            elif tag in BLOCK_TAGS and not atomic_rows:
                flush()
                owners.append(el)
                buffers.append([])
                if tag == "tr" and _is_atomic_row(el):
                    atomic_rows += 1
            if tag == "pre":
                pre_depth += 1
            add(el.text)
        else:  # end
            if el in skipped:
                # skipped subtree: the tail is still visible text of the parent
                add(el.tail)
                continue
            if tag == "pre":
                pre_depth -= 1
            if owners[-1] is el:
                flush()
                owners.pop()
                buffers.pop()
                if tag == "tr" and atomic_rows:
                    atomic_rows -= 1
            elif tag in ("td", "th") and atomic_rows:
                pass
            elif tag in BLOCK_TAGS and not atomic_rows:
                add(_BR)
            add(el.tail)
    while owners:
        flush()
        owners.pop()
        buffers.pop()
    for i, block in enumerate(blocks):
        block.index = i
    return blocks


# --------------------------------------------------------------------------------------------
# Body detection: trafilatura proposes, our blocks dispose.

_WORD = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _trafilatura_text(root: lxml.html.HtmlElement, url: str | None, *, fast: bool = False) -> str | None:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        result = trafilatura.bare_extraction(
            root,
            url=url,
            fast=fast,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
        )
    except Exception:  # trafilatura has many internal failure modes; any of them means "no candidate"
        return None
    text = getattr(result, "text", None) if result is not None else None
    return text or None


def _candidate(root: lxml.html.HtmlElement, blocks: list[Block], url: str | None) -> str | None:
    """trafilatura's body, fast mode first; its full mode (with readability/jusText
    comparisons) only when the fast answer holds little of the page's prose."""
    text = _trafilatura_text(root, url, fast=True)
    words = len(_tokens(text)) if text else 0
    prose = sum(len(b.tokens) for b in blocks if len(b.tokens) >= 15)
    if words >= 150 or (prose and words >= 0.5 * prose):
        return text
    full = _trafilatura_text(root, url)
    return full if full and len(_tokens(full)) >= words else text


def _grams(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]


def _match_blocks(blocks: list[Block], candidate: str) -> list[int]:
    """Blocks whose text the candidate body holds, each stretch of candidate used once.

    Pages repeat text (a headline in a teaser, the menu and the article; a lede in a
    summary box), so membership alone over-matches. Blocks nearest the article's core claim
    the candidate's shingles first; a far-away copy then finds them already used.
    """
    cand_tokens = _tokens(candidate)
    available: Counter[tuple[str, ...]] = Counter(_grams(cand_tokens))
    lines: Counter[str] = Counter(" ".join(_tokens(line)) for line in candidate.splitlines())
    # Where the article is: the token-weighted median of blocks that share most shingles.
    weights: list[tuple[int, int]] = []
    for block in blocks:
        bg = _grams(block.tokens)
        if bg and sum(g in available for g in bg) >= 0.5 * len(bg):
            weights.append((block.index, len(bg)))
    if not weights:
        return []
    half = sum(w for _, w in weights) / 2
    acc = 0
    core = weights[-1][0]
    for index, w in weights:
        acc += w
        if acc >= half:
            core = index
            break
    matched: list[int] = []
    for block in sorted(blocks, key=lambda b: (abs(b.index - core), b.index)):
        toks = block.tokens
        if len(toks) >= 3:
            need = Counter(_grams(toks))
            hits = sum(min(n, available[g]) for g, n in need.items())
            if hits >= 0.5 * sum(need.values()):
                available.subtract(need)
                matched.append(block.index)
        elif toks:
            key = " ".join(toks)
            if lines[key] > 0:
                lines[key] -= 1
                matched.append(block.index)
    return sorted(matched)


def _density_fallback(blocks: list[Block]) -> list[int]:
    """Readability-style: the parent element whose prose paragraphs hold the most words."""
    scores: dict[etree._Element, int] = {}
    for block in blocks:
        if len(block.tokens) < 8:
            continue
        parent = (
            block.element
            if block.tag not in {"p", "li", "h1", "h2", "h3", "blockquote", "pre"}
            else block.element.getparent()
        )
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + len(block.tokens)
    if not scores:
        # Tiny page: everything with words is the body.
        return [b.index for b in blocks if b.tokens]
    best = max(scores, key=lambda e: scores[e])
    return [b.index for b in blocks if b.element is best or _within(b.element, best)]


def _within(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def detect_body(
    root: lxml.html.HtmlElement, blocks: list[Block], *, url: str | None = None, markup_size: int = 0
) -> list[int]:
    """Indices of the blocks that make the article body, in page order."""
    for block in blocks:
        if not block.tokens:
            block.tokens = _tokens(block.text)
    body: list[int] = []
    if markup_size <= MAX_TRAFILATURA_CHARS:
        candidate = _candidate(root, blocks, url)
        if candidate:
            body = _match_blocks(blocks, candidate)
    if not body:
        body = _density_fallback(blocks)
    body = _fill_gaps(blocks, body)
    body = _extend_to_twin_containers(blocks, body)
    return _drop_link_lines(blocks, _trim_tail(blocks, body))


def _extend_to_twin_containers(blocks: list[Block], body: list[int]) -> list[int]:
    """Add prose from the article container's twins: same tag and class, other element.

    Templates split long articles into several identical containers around ads or embeds
    (readability's sibling rule); a candidate extractor often keeps only the first.
    """
    signatures: Counter[tuple[str, str]] = Counter()
    parents: set[etree._Element] = set()
    for i in body:
        parent = blocks[i].element.getparent()
        if parent is not None and parent.get("class"):
            signatures[(str(parent.tag), parent.get("class") or "")] += 1
            parents.add(parent)
    if not signatures:
        return body
    signature, count = signatures.most_common(1)[0]
    if count < 3:
        return body
    inside = set(body)
    for block in blocks:
        if block.index in inside or block.tag not in _PROSE_TAGS or len(block.tokens) < 6:
            continue
        parent = block.element.getparent()
        if (
            parent is not None
            and parent not in parents
            and (str(parent.tag), parent.get("class") or "") == signature
            and _link_density(block) <= 0.3
        ):
            inside.add(block.index)
    return sorted(inside)


def _trim_tail(blocks: list[Block], body: list[int], share: float = 0.8) -> list[int]:
    """Drop body blocks after the article's container (sidebars, "about us" boxes).

    The container is the deepest element holding `share` of the body's words; blocks that
    follow it and sit outside it are page furniture that a candidate extractor let through.
    Blocks before it stay: ledes and standfirsts often live in a header container.
    """
    if len(body) < 2:
        return body
    weight: dict[etree._Element, int] = {}
    depth: dict[etree._Element, int] = {}
    total = 0
    for i in body:
        n = len(blocks[i].tokens) or 1
        total += n
        chain = [blocks[i].element, *blocks[i].element.iterancestors()]
        for d, el in enumerate(reversed(chain)):
            weight[el] = weight.get(el, 0) + n
            depth[el] = d
    candidates = [el for el, w in weight.items() if w >= share * total]
    if not candidates:
        return body
    container = max(candidates, key=lambda el: depth[el])
    inside = [i for i in body if blocks[i].element is container or _within(blocks[i].element, container)]
    if not inside:
        return body
    last = inside[-1]
    kept = [i for i in body if i <= last or i in inside]
    # Blocks in a sidebar/widget/footer container that the article's core is not in are
    # furniture wherever they sit.
    core = max(body, key=lambda i: len(blocks[i].tokens))
    core_furniture = _furniture_ancestors(blocks[core].element)
    return [i for i in kept if not (_furniture_ancestors(blocks[i].element) - core_furniture)]


_FURNITURE = re.compile(
    r"sidebar|widget|footer|comment|related|share|social|newsletter|promo|breadcrumb", re.I
)


def _furniture_ancestors(el: etree._Element) -> set[etree._Element]:
    found: set[etree._Element] = set()
    for anc in (el, *el.iterancestors()):
        if anc.tag in ("aside", "nav", "footer"):
            found.add(anc)
            continue
        hint = f"{anc.get('class') or ''} {anc.get('id') or ''}"
        if hint.strip() and _FURNITURE.search(hint):
            found.add(anc)
    return found


def _drop_link_lines(blocks: list[Block], body: list[int]) -> list[int]:
    """Drop short body paragraphs that are nearly all link text ("Related: …", "Read more: …").

    Such pointers sit inside article containers on many sites; they lead away from the
    article and are not part of it.
    """
    return [i for i in body if not _is_link_line(blocks[i])]


_LABEL = re.compile(r"^[^:]{2,25}:\s")


def _is_link_line(block: Block) -> bool:
    if block.tag not in ("p", "div", "h3", "h4", "strong") or not 5 <= len(block.tokens) < 30:
        return False
    labelled = bool(_LABEL.match(block.text)) or block.text.isupper()
    return labelled and _link_density(block) >= 0.6


def _link_density(block: Block) -> float:
    """Share of the block's characters inside links it owns (not links of nested blocks)."""
    linked = 0
    for a in block.element.iter("a"):
        owner = next((e for e in a.iterancestors() if isinstance(e.tag, str) and e.tag in BLOCK_TAGS), None)
        if owner is block.element:
            linked += len(_SPACES.sub(" ", a.text_content()).strip())
    return min(1.0, linked / max(1, len(block.text)))


_PROSE_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt"})


def _fill_gaps(blocks: list[Block], body: list[int]) -> list[int]:
    """Take back a prose block that sits alone between two body blocks of the same container.

    Precision-minded extraction sometimes drops one paragraph of an article (a short aside, a
    paragraph with many links); when both neighbours are body and share its parent, it is
    body too.
    """
    inside = set(body)
    ordered = sorted(inside)
    for j, k in pairwise(ordered):
        # Only short gaps: a paragraph, perhaps with an ad label or two around it.
        if k - j < 2 or k - j > 4:
            continue
        parent = blocks[j].element.getparent()
        if parent is None or blocks[k].element.getparent() is not parent:
            continue
        for i in range(j + 1, k):
            block = blocks[i]
            if (
                block.tag in _PROSE_TAGS
                and len(block.tokens) >= 6
                and block.element.getparent() is parent
                and _link_density(block) <= 0.3
                and not block.text.isupper()
            ):
                inside.add(i)
    return sorted(inside)


# --------------------------------------------------------------------------------------------
# Assembly.


def html_to_document(raw: RawPage) -> Document:
    """Turn an HTML `RawPage` into a `Document` with blocks, body range and HTML metadata.

    Raises `InputError` for pages with no visible text.
    """
    from presslens.anatomy.html_metadata import extract_metadata

    markup = raw.text
    if not markup or not markup.strip():
        raise InputError("no text: the HTML page is empty")
    root = parse_html(markup)
    blocks = walk_blocks(root)
    if not blocks:
        raise InputError("no text: the HTML page has no visible text")
    xpath = XPaths()
    for block in blocks:
        block.xpath = xpath(block.element)

    body_idx = detect_body(root, blocks, url=raw.url, markup_size=len(markup))
    extracted = extract_metadata(root, raw, blocks, body_idx)
    metadata = extracted.metadata
    tag_blocks = _owner_blocks(
        blocks, [pl.element for pl in extracted.placements if isinstance(pl.item, Tag)]
    )
    header_idx, body_idx = _header_blocks(blocks, body_idx, metadata.title, metadata.authors, tag_blocks)
    order = _layout(len(blocks), header_idx, body_idx)

    text_parts: list[str] = []
    html_blocks: list[HtmlBlock] = []
    offsets: dict[int, tuple[int, int]] = {}
    pos = 0
    for n, i in enumerate(order):
        if n:
            text_parts.append("\n\n")
            pos += 2
        block = blocks[i]
        offsets[i] = (pos, pos + len(block.text))
        # model_construct: offsets are ours and ordered; validating 300k blocks of a huge page
        # one by one would cost more than extracting them
        html_blocks.append(
            HtmlBlock.model_construct(
                start=pos, end=pos + len(block.text), element=block.xpath, tag=block.tag
            )
        )
        text_parts.append(block.text)
        pos += len(block.text)
    text = "".join(text_parts)

    body: Body | None = None
    if body_idx:
        start = offsets[body_idx[0]][0]
        end = offsets[body_idx[-1]][1]
        body = Body(start=start, end=end, text=text[start:end])
    _place_spans(extracted.placements, blocks, offsets)
    doc = Document(
        source=raw.source,
        text=text,
        input_kind="html",
        body=body,
        metadata=metadata,
        html_blocks=html_blocks,
    )
    return doc.attach_raw(raw)


class XPaths:
    """XPaths of elements, built top-down with memoized steps.

    `ElementTree.getpath` counts siblings on every call, which turns quadratic on a page with
    tens of thousands of paragraphs under one parent; here each parent's children are
    numbered once. Steps follow getpath's form: `p[3]` when a tag repeats among siblings.
    """

    def __init__(self) -> None:
        self._paths: dict[etree._Element, str] = {}
        self._steps: dict[etree._Element, dict[etree._Element, str]] = {}

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


def _layout(n: int, header: list[int], body: list[int]) -> list[int]:
    taken = set(header) | set(body)
    return header + body + [i for i in range(n) if i not in taken]


_BYLINE = re.compile(r"^(by|par|von|por|di|door|av|af)\s+\S", re.IGNORECASE)
DATE_LIKE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4})\b",
    re.IGNORECASE,
)


def _owner_blocks(blocks: list[Block], elements: list[etree._Element]) -> set[int]:
    """Indices of the blocks that hold these elements' text."""
    by_owner: dict[etree._Element, list[int]] = {}
    for block in blocks:
        by_owner.setdefault(block.element, []).append(block.index)
    found: set[int] = set()
    for element in elements:
        for el in (element, *element.iterancestors()):
            if el in by_owner:
                text = _norm(element.text_content())
                found.update(i for i in by_owner[el] if text in _norm(blocks[i].text))
                break
    return found


def _header_blocks(
    blocks: list[Block], body: list[int], title: str | None, authors: list[str], tag_blocks: set[int]
) -> tuple[list[int], list[int]]:
    """Split off the article header: short title/byline/date/tag blocks around the body's top.

    Returns (header, body). Header blocks come from just above the body and from its first
    few blocks when a candidate extractor kept the headline or dateline inside the body.
    """
    if not body:
        return [], body
    norm_title = _norm(title) if title else ""
    names = [_norm(a) for a in authors if a]
    header: list[int] = []
    # Look a few blocks up; stop at the first long block (that is article or wrapper prose).
    for i in range(body[0] - 1, max(-1, body[0] - 13), -1):
        block = blocks[i]
        if len(block.text) > 300:
            break
        kind = "tags" if i in tag_blocks else _header_kind(block, norm_title, names)
        if kind:
            header.append(i)
        if kind == "title" and block.tag in {"h1", "h2"}:
            break  # the headline opens the article header
    # The body's own top: promote up to the last header-like block among the first few,
    # when everything before it is short too (section labels, kickers).
    last = -1
    for n, i in enumerate(body[:6]):
        block = blocks[i]
        if len(block.tokens) > 25:
            break
        if i in tag_blocks or _header_kind(block, norm_title, names):
            last = n
    if 0 <= last < len(body) - 1:
        header.extend(body[: last + 1])
        body = body[last + 1 :]
    return sorted(header), body


def _header_kind(block: Block, norm_title: str, names: list[str]) -> str | None:
    if len(block.text) > 300:
        return None
    t = _norm(block.text)
    if norm_title and (
        t == norm_title
        or (len(t) > 10 and t in norm_title)
        or (norm_title in t and len(t) < len(norm_title) + 40)
    ):
        return "title"
    if _BYLINE.match(block.text) or any(n and n in t and len(t) < len(n) + 60 for n in names):
        return "byline"
    if len(block.text) < 120 and (DATE_LIKE.search(block.text) or _has_time(block.element)):
        return "date"
    return None


def _has_time(el: etree._Element) -> bool:
    return el.find(".//time") is not None or el.tag == "time"


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def _place_spans(
    placements: list[Placement], blocks: list[Block], offsets: dict[int, tuple[int, int]]
) -> None:
    """Give links, media and tags the character span of their anchor text in `Document.text`."""
    by_owner: dict[etree._Element, list[int]] = {}
    for block in blocks:
        by_owner.setdefault(block.element, []).append(block.index)
    for placement in placements:
        owner_blocks: list[int] = []
        for el in (placement.element, *placement.element.iterancestors()):
            if el in by_owner:
                owner_blocks = by_owner[el]
                break
        for i in owner_blocks:
            pos = blocks[i].text.find(placement.text)
            if pos >= 0:
                placement.item.start = offsets[i][0] + pos
                placement.item.end = offsets[i][0] + pos + len(placement.text)
                break


def texts(blocks: Iterable[Block]) -> str:
    """The blocks' text joined as in `Document.text` (used by tests and the benchmark)."""
    return "\n\n".join(b.text for b in blocks)
