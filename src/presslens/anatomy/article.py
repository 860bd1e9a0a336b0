"""Which blocks of an HTML page are the article: trafilatura proposes, our blocks dispose.

Where it sits: the document maker (`anatomy.text`) asks `ArticleFinder` for the article's
blocks so that it can lay the page's text out with the article in one piece (header, article,
the rest); the `body` stage then decides where in that stretch the body starts. Steps, one small
function each, measured on the article-extraction benchmark (`benchmarks/extraction.py`):

1. candidate: trafilatura in precision mode without comments (fast mode first, its full mode
   with readability/jusText comparisons only when the fast answer holds little of the page);
2. `_match_blocks`: map the candidate onto our blocks by 3-gram shingles, blocks nearest the
   article's core claiming shingles first, so teasers repeating the headline or lede lose;
3. `_fill_gaps`: take back a lone prose paragraph between two body paragraphs of one parent;
4. `_extend_to_twin_containers`: add prose from containers with the article container's tag
   and class (templates split long articles around ads);
5. `_trim_tail`: drop blocks after the article's container and blocks in sidebar/widget/footer
   containers; 6. `_drop_link_lines`: drop "Related: <link>" style lines.

When trafilatura finds nothing (tiny pages, hostile markup), or is not asked (pages over
`max_trafilatura_chars` of markup or nesting deeper than `max_trafilatura_depth`), a text-density
fallback picks the container with the most prose.

>>> from presslens.anatomy.htmltree import parse_html, walk_blocks
>>> root = parse_html("<nav><p>Home</p></nav><article><p>" + "Words of the story. " * 20 + "</p></article>")
>>> ArticleFinder()(root, walk_blocks(root))
[1]
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from copy import copy
from itertools import pairwise, repeat

import lxml.etree as etree
import trafilatura
from trafilatura.htmlprocessing import convert_tags, prune_unwanted_nodes, tree_cleaning
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH, REMOVE_COMMENTS_XPATH

from presslens.anatomy.htmltree import BLOCK_TAGS, Block, nesting_depth, tokens, within


class ArticleFinder:
    """The article's blocks (indices, page order) of a parsed page.

    Config: `max_trafilatura_chars` (default 3,000,000) — pages with more markup skip
    trafilatura's many passes and use the density fallback, so a 30 MB page costs one parse
    and one walk. `max_trafilatura_depth` (default 256, libxml2's own nesting limit) — pages
    whose elements nest deeper skip it too: trafilatura's table and link-density passes cost
    elements × depth (1,500 nested tables: 30 s). The 86 real pages of the extraction benchmark
    nest at most 29 deep.
    """

    def __init__(self, max_trafilatura_chars: int = 3_000_000, max_trafilatura_depth: int = 256) -> None:
        self.max_trafilatura_chars = max_trafilatura_chars
        self.max_trafilatura_depth = max_trafilatura_depth
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    def __call__(
        self, root: etree._Element, blocks: Sequence[Block], *, url: str | None = None, markup_size: int = 0
    ) -> list[int]:
        body: list[int] = []
        if markup_size <= self.max_trafilatura_chars and nesting_depth(root) <= self.max_trafilatura_depth:
            candidate = _candidate(root, blocks, url)
            if candidate:
                body = _match_blocks(blocks, candidate)
        if not body:
            body = _density_fallback(blocks)
        body = _fill_gaps(blocks, body)
        body = _extend_to_twin_containers(blocks, body)
        return _drop_link_lines(blocks, _trim_tail(blocks, body))


def _fast_trafilatura_text(root: etree._Element, url: str | None) -> str | None:
    """`bare_extraction(root, fast=True, favor_precision=True, include_comments=False,
    include_tables=True, with_metadata=False)`'s text, from trafilatura's own steps run on one
    copy of the tree.

    `bare_extraction` copies the tree three times per call: once to leave the caller's tree
    alone, again before cleaning, and once more for a backup that only full mode (or a
    thread-forum page) reads. This is the same sequence for our one case with one copy (~1 ms a
    page). Thread-forum pages (schema.org DiscussionForumPosting) take `bare_extraction` itself,
    whose forum branch this skips; `tests/anatomy/test_article.py` checks both give the same text.
    """
    options = Extractor(fast=True, precision=True, comments=False, tables=True, with_metadata=False, url=url)
    try:
        tree = copy(root)  # trafilatura's prunes and conversions work in place
        tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
        tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)
        tree = convert_tags(tree_cleaning(tree, options), options, url)
        tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_XPATH)
        body, text = extract_content(tree, options)
        if len(text) < options.min_output_size and options.min_output_comm_size > 0:
            return None  # bare_extraction's size check (no comments: their length is 0)
        return xmltotxt(body, options.formatting) or None
    except Exception:  # as in `_trafilatura_text`: any internal failure means "no candidate"
        return None


def _forum_page(root: etree._Element) -> bool:
    # A superset of trafilatura's own test (a DiscussionForumPosting @type in a
    # `script[@type="application/ld+json"]`); other scripts' text is not even read (pages carry
    # hundreds of kB of them).
    return any(
        "DiscussionForumPosting" in (script.text or "")
        for script in root.iter("script")
        if script.get("type") == "application/ld+json"
    )


def _trafilatura_text(root: etree._Element, url: str | None, *, fast: bool = False) -> str | None:
    if fast and not _forum_page(root):
        return _fast_trafilatura_text(root, url)
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


def _candidate(root: etree._Element, blocks: Sequence[Block], url: str | None) -> str | None:
    """trafilatura's body, fast mode first; its full mode (with readability/jusText
    comparisons) only when the fast answer holds little of the page's prose."""
    text = _trafilatura_text(root, url, fast=True)
    words = len(tokens(text)) if text else 0
    prose = sum(len(b.tokens) for b in blocks if len(b.tokens) >= 15)
    if words >= 150 or (prose and words >= 0.5 * prose):
        return text
    full = _trafilatura_text(root, url)
    return full if full and len(tokens(full)) >= words else text


def _grams(words: Sequence[str]) -> list[tuple[str, ...]]:
    # 3-word shingles, built in C (the shorter slices end the zip early on purpose)
    return list(zip(words, words[1:], words[2:], strict=False))


def _match_blocks(blocks: Sequence[Block], candidate: str) -> list[int]:
    """Blocks whose text the candidate body holds, each stretch of candidate used once.

    Pages repeat text (a headline in a teaser, the menu and the article; a lede in a
    summary box), so membership alone over-matches. Blocks nearest the article's core claim
    the candidate's shingles first; a far-away copy then finds them already used.
    """
    # Words never span lines, so the candidate's words are its lines' words: tokenised once.
    line_tokens = [tokens(line) for line in candidate.splitlines()]
    available: Counter[tuple[str, ...]] = Counter(_grams([w for toks in line_tokens for w in toks]))
    lines: Counter[str] = Counter(" ".join(toks) for toks in line_tokens)
    # Where the article is: the token-weighted median of blocks that share most shingles.
    grams = [_grams(block.tokens) for block in blocks]  # each block's shingles, made once
    # How many of each block's shingles the candidate has at all: counts in `available` only
    # go down below, so a block short of half here can never be matched.
    present = [sum(map(available.__contains__, bg)) for bg in grams]
    weights: list[tuple[int, int]] = []
    for block, bg, n in zip(blocks, grams, present, strict=True):
        if bg and n >= 0.5 * len(bg):
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
    for k in sorted(range(len(blocks)), key=lambda j: (abs(blocks[j].index - core), blocks[j].index)):
        block = blocks[k]
        toks = block.tokens
        if len(toks) >= 3:
            if present[k] < 0.5 * len(grams[k]):
                continue
            need = Counter(grams[k])
            count = available.get
            hits = sum(map(min, need.values(), map(count, need, repeat(0))))
            if hits >= 0.5 * len(grams[k]):
                for g, n in need.items():  # `available.subtract(need)`, without its checks
                    available[g] = count(g, 0) - n
                matched.append(block.index)
        elif toks:
            key = " ".join(toks)
            if lines[key] > 0:
                lines[key] -= 1
                matched.append(block.index)
    return sorted(matched)


def _density_fallback(blocks: Sequence[Block]) -> list[int]:
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
    return [b.index for b in blocks if b.element is best or within(b.element, best)]


def _extend_to_twin_containers(blocks: Sequence[Block], body: list[int]) -> list[int]:
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


def _trim_tail(blocks: Sequence[Block], body: list[int], share: float = 0.8) -> list[int]:
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
    inside = [i for i in body if blocks[i].element is container or within(blocks[i].element, container)]
    if not inside:
        return body
    last = inside[-1]
    kept = [i for i in body if i <= last or i in inside]
    # Blocks in a sidebar/widget/footer container that the article's core is not in are
    # furniture wherever they sit.
    core = max(body, key=lambda i: len(blocks[i].tokens))
    memo: dict[etree._Element, frozenset[etree._Element]] = {}
    core_furniture = _furniture_ancestors(blocks[core].element, memo)
    return [i for i in kept if not (_furniture_ancestors(blocks[i].element, memo) - core_furniture)]


_FURNITURE = re.compile(
    r"sidebar|widget|footer|comment|related|share|social|newsletter|promo|breadcrumb", re.I
)


def _furniture_ancestors(
    el: etree._Element, memo: dict[etree._Element, frozenset[etree._Element]]
) -> frozenset[etree._Element]:
    """The element and its ancestors that are sidebar/nav/footer furniture.

    Sibling blocks share their ancestors, so each element's answer is kept in `memo` (one
    call's worth) and a block's walk up stops at the first ancestor already answered.
    """
    chain: list[etree._Element] = []
    node: etree._Element | None = el
    while node is not None and node not in memo:
        chain.append(node)
        node = node.getparent()
    found = memo[node] if node is not None else frozenset()
    for anc in reversed(chain):
        if _is_furniture(anc):
            found = found | {anc}
        memo[anc] = found
    return memo[el]


def _is_furniture(el: etree._Element) -> bool:
    if el.tag in ("aside", "nav", "footer"):
        return True
    hint = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(hint.strip() and _FURNITURE.search(hint))


def _drop_link_lines(blocks: Sequence[Block], body: list[int]) -> list[int]:
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
            linked += len(" ".join(a.text_content().split()))
    return min(1.0, linked / max(1, len(block.text)))


_PROSE_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt"})


def _fill_gaps(blocks: Sequence[Block], body: list[int]) -> list[int]:
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
