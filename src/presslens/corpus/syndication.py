"""Who published first, who copied, who reused or shared text: the edges of one component.

Where it sits: `corpus/linking.py` finds candidate pairs, verifies them with `dedup.compare`
and hands each connected component of verified pairs here, with what the store knows of its
documents. This module decides the component's edges from content alone — never from row ids
or the order pages arrived in — so the graph is the same whatever the crawl order or the
number of workers, and the same whether a component is decided once or re-decided as new
documents join it. Three relations are kept apart (`store.RELATIONS`):

- **copy** — documents joined by exact, near or partial matches are one article; each copy
  gets an edge from its parent (original → copy). Folded AMP/print/canonical URLs of one page
  are `variant` edges of the copy relation. A credited original that has no document in the
  cluster becomes an outlet node with a `credit` edge (`ExternalCredit`).
- **reuse** — a passage of one story's own text inside another story; directed only with
  evidence (the passage is quoted in one and plain text in the other, or a credit).
- **common_source** — both stories carry the same third-party text: a statement quoted in
  both, or plain text that three or more stories carry (a press release, wire copy);
  undirected. Wrapper text (a poll widget) makes no edge at all.

Only copies and credits decide who is the original. A copy's parent, strongest evidence first:
1. explicit credit — the copy names the original's outlet or URL ("The original source of this
   article is South Front", "originally published at https://…"), or its canonical link points
   to the other page. A credit beats dates, which are often the copier's own;
2. the earliest publication date;
3. with equal or missing dates: the page that contains the other (a truncated copy is
   contained in its original), then the longer body, then the content key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import numpy as np
from courlan import normalize_url
from networkx.utils import UnionFind

from presslens.corpus.dedup import (
    LEAD_WORDS,
    MIN_PASSAGE_WORDS,
    SAMPLE_MOD,
    Match,
    Passage,
    Shingled,
    compare,
    group_pairs,
    prepare,
)
from presslens.corpus.passages import is_wrapper, voice
from presslens.corpus.records import registered_domain

#: The edge kind for another URL of the same page (AMP, print, canonical), not a copy.
VARIANT = "variant"
#: The edge kind of a copy whose original is an outlet outside the crawl, known by a credit.
CREDIT = "credit"
#: Plain text carried by this many stories (clusters) or more is a common source.
COMMON_STORIES = 3
# A credited name longer than this is a sentence the credit parser caught, not an outlet.
_MAX_CREDIT_NAME = 80


@dataclass
class DocInfo:
    """What deciding edges needs to know of a document besides its body."""

    id: int
    key: str  # the content key (`records.content_key`): every tie is broken by it, never by id
    url: str | None
    canonical_url: str | None
    outlet: str | None
    domain: str | None
    published: str | None
    words: int
    credits: list[tuple[str | None, str | None]] = field(default_factory=list)

    @property
    def url_key(self) -> str | None:
        return url_key(self.url)

    def credit_list(self) -> list[tuple[str | None, str | None]]:
        """What the page credits as its source (`records.credits_of`, stored as annotations)."""
        return self.credits


@dataclass
class Edge:
    source_id: int | None
    target_id: int
    relation: str
    kind: str
    similarity: float
    lag_days: float | None
    evidence: list[str]
    wrapper: list[dict[str, str]] = field(default_factory=list)
    passages: list[dict[str, int]] = field(default_factory=list)
    directed: bool = True
    source_outlet_id: int | None = None

    def row(self) -> dict[str, object]:
        return {
            "source_id": self.source_id,
            "source_outlet_id": self.source_outlet_id,
            "target_id": self.target_id,
            "relation": self.relation,
            "directed": self.directed,
            "kind": self.kind,
            "similarity": round(self.similarity, 4),
            "lag_days": self.lag_days,
            "evidence": json.dumps(self.evidence),
            "wrapper": json.dumps(self.wrapper),
            "passages": json.dumps(self.passages),
        }


@dataclass(frozen=True)
class ExternalCredit:
    """A page credits an original (an outlet, maybe with a URL) that has no document in its
    cluster: the linker turns it into an outlet node and a `copy` edge of kind `credit`."""

    target_id: int
    name: str | None
    url: str | None


@dataclass
class Decided:
    """A component's edges, the credits that point outside it, and its copy clusters."""

    edges: list[Edge]
    external: list[ExternalCredit]
    clusters: int


_VARIANT_PATH = re.compile(r"/(amp|print|amp\.html)/?$", re.IGNORECASE)
_VARIANT_QUERY = {"amp", "print", "output", "outputtype", "view"}


def url_key(url: str | None) -> str | None:
    """One key for a page's URL variants: scheme, www./amp./m., /amp, ?print=1, '/' dropped.

    courlan's `normalize_url` does the generic part first: case, default port, `//` in the
    path, percent-encoding, query order and tracking parameters (`utm_*`, `fbclid`, `ref`, …,
    from the AdGuard/ClearURLs lists; note it also drops `cid`, which a few CMSs use as a page
    id). What is left here is syndication's own notion of "the same page": its AMP, mobile and
    print variants.

    >>> url_key("https://amp.example.com/news/a-story/amp?utm_source=x") == url_key("http://www.example.com/news/a-story/")
    True
    """
    if not url:
        return None
    parts = urlsplit(normalize_url(url.strip()))  # its query comes back sorted
    host = parts.hostname or ""
    for prefix in ("www.", "amp.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    path = _VARIANT_PATH.sub("", parts.path).rstrip("/")
    if path.endswith(".amp"):
        path = path[:-4]
    query = "&".join(q for q in parts.query.split("&") if q.split("=", 1)[0].lower() not in _VARIANT_QUERY)
    return f"{host}{path}" + (f"?{query}" if query else "")


def norm_name(name: str) -> str:
    """An outlet name reduced to letters and digits: "South Front" and "SouthFront" agree."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def domain_label(domain: str | None) -> str | None:
    """'southfront.org' -> 'southfront': how a credit that gives only a name meets a domain."""
    return norm_name(domain.split(".", 1)[0]) if domain else None


def outlet_keys(name: str | None, domain: str | None) -> set[str]:
    """Every key an outlet answers to: its name, its domain and its domain's first label."""
    keys = {norm_name(name or ""), norm_name(domain or ""), domain_label(domain) or ""}
    keys.discard("")
    return keys


def credits(copy: DocInfo, original: DocInfo) -> str | None:
    """'attribution' or 'canonical' when `copy` explicitly points at `original`, else None."""
    if copy.canonical_url and original.url:
        ck = url_key(copy.canonical_url)
        if ck and ck != copy.url_key and ck == original.url_key:
            return "canonical"
    names = outlet_keys(original.outlet, original.domain)
    for name, url in copy.credit_list():
        if url:
            if original.url and url_key(url) == original.url_key:
                return "attribution"
            dom = registered_domain(url)
            if dom and dom == original.domain and dom != copy.domain:
                return "attribution"
        if name and original.outlet != copy.outlet and norm_name(name) in names:
            return "attribution"
    return None


def credits_page(copy: DocInfo, original: DocInfo) -> bool:
    """True when `copy` names the very page `original` (its URL or canonical link), not only
    its outlet: an outlet publishes many stories, so a name alone cannot say which one a
    passage came from."""
    keys = [url for _, url in copy.credit_list() if url] + (
        [copy.canonical_url] if copy.canonical_url else []
    )
    return original.url_key is not None and any(url_key(u) == original.url_key for u in keys)


def outside_credit(doc: DocInfo) -> tuple[str | None, str | None] | None:
    """The first credit of `doc` that names someone other than its own outlet, if plausible, or
    else its canonical link to another site: (name, url) of the original it names."""
    own = outlet_keys(doc.outlet, doc.domain)
    for name, url in doc.credit_list():
        name = (name or "").strip() or None
        if name is not None and (len(name) > _MAX_CREDIT_NAME or not re.search(r"[^\W\d_]", name)):
            name = None
        dom = registered_domain(url) if url else None
        if name is None and dom is None:
            continue
        if (name and norm_name(name) in own) or (dom and dom == doc.domain):
            continue  # a page crediting its own outlet (a byline, its own copyright)
        return name, url
    # A canonical link to another site names the original as surely as a credit line does.
    canonical = registered_domain(doc.canonical_url) if doc.canonical_url else None
    if canonical and canonical != doc.domain:
        return None, doc.canonical_url
    return None


def _day(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def lag_days(original: DocInfo, copy: DocInfo) -> float | None:
    a, b = _day(original.published), _day(copy.published)
    return float((b - a).days) if a and b else None


class Texts:
    """Bodies and their shingles for the documents of one chunk of components."""

    def __init__(self, texts: dict[int, str]) -> None:
        self.texts = texts
        self._prepared: dict[int, Shingled] = {}

    def prepared(self, doc_id: int) -> Shingled:
        if doc_id not in self._prepared:
            self._prepared[doc_id] = prepare(self.texts[doc_id])
        return self._prepared[doc_id]

    def compare(self, a: int, b: int) -> Match:
        return compare(self.texts[a], self.texts[b], pa=self.prepared(a), pb=self.prepared(b))


@dataclass
class Component:
    """One connected component of verified matches, with everything deciding it needs."""

    members: list[int]
    matches: dict[tuple[int, int], Match]  # (low id, high id) -> match
    infos: dict[int, DocInfo]
    texts: Texts
    wrappers: dict[int, list[tuple[str, str]]]
    stock: np.ndarray  # sorted uint64 fingerprints too common in the corpus to mean anything


def decide(comp: Component) -> Decided:
    """The edges of one component: copies inside each cluster, credits pointing outside it,
    and reuse and common sources between clusters."""
    infos = comp.infos
    order = {i: infos[i].key for i in comp.members}
    for pair, m in list(comp.matches.items()):
        if m.kind == "partial" and _quotes_in_both(pair, m, comp.texts):
            comp.matches[pair] = Match("passage", m.jaccard, m.contain_a, m.contain_b, m.passages)
    clusters = _copy_clusters(comp)
    clusters = sorted((sorted(c, key=order.__getitem__) for c in clusters), key=lambda c: order[c[0]])
    head_of: dict[int, int] = {}
    edges: list[Edge] = []
    external: list[ExternalCredit] = []
    n_clusters = 0
    for cluster in clusters:
        reps, variant_edges = _fold_variants(cluster, comp)
        edges.extend(variant_edges)
        if len(reps) > 1:
            n_clusters += 1
        root, parents, outside = _parents(reps, comp)
        head = root if root is not None else min(reps, key=lambda d: (_date_key(infos[d]), order[d]))
        for i in cluster:
            head_of[i] = head
        for child, (parent, why) in sorted(parents.items(), key=lambda kv: order[kv[0]]):
            m = _match(parent, child, comp)
            ev = why + _date_evidence(infos[parent], infos[child], why)
            edges.append(
                Edge(
                    parent,
                    child,
                    "copy",
                    m.kind if m.is_copy else "partial",
                    m.similarity,
                    lag_days(infos[parent], infos[child]),
                    ev,
                    _wrapper(comp.wrappers.get(child, []), comp.wrappers.get(parent, [])),
                )
            )
        external.extend(ExternalCredit(d, name, url) for d, (name, url) in sorted(outside.items()))
    edges.extend(_shared_text_edges(comp, clusters, head_of))
    return Decided(edges, external, n_clusters)


def _copy_clusters(comp: Component) -> list[list[int]]:
    """The component's articles: documents joined by copy matches.

    Exact and near copies join outright. A partial overlap (strongest first) joins two articles
    only when their earliest pages are copies of each other too — a truncated copy of a copy is
    still a copy of the original, but two stories that each carry most of one press release
    overlap partially through their truncated copies and must not become one article. Partial
    overlaps that join nothing are shared passages."""
    infos = comp.infos
    strong = [p for p, m in comp.matches.items() if m.kind in ("exact", "near")]
    groups = group_pairs(strong)
    grouped = {i for g in groups for i in g}
    groups += [[i] for i in comp.members if i not in grouped]
    group_of = {i: n for n, g in enumerate(groups) for i in g}
    joined = UnionFind(range(len(groups)))
    members = {n: list(g) for n, g in enumerate(groups)}

    def earliest(root: int) -> int:
        return min(members[root], key=lambda d: (_date_key(infos[d]), infos[d].key))

    # Strongest overlaps first, each checked against the articles as merged so far.
    partial = sorted(
        (p for p, m in comp.matches.items() if m.kind == "partial"),
        key=lambda p: (-comp.matches[p].jaccard, *sorted((infos[p[0]].key, infos[p[1]].key))),
    )
    for a, b in partial:
        ra, rb = joined[group_of[a]], joined[group_of[b]]
        if ra != rb and _match(earliest(ra), earliest(rb), comp).is_copy:
            joined.union(ra, rb)
            root = joined[ra]  # one of the two
            members[root] = members[root] + members.pop(rb if root == ra else ra)
    for pair in partial:
        if joined[group_of[pair[0]]] != joined[group_of[pair[1]]]:
            m = comp.matches[pair]
            comp.matches[pair] = Match("passage", m.jaccard, m.contain_a, m.contain_b, m.passages)
    merged: dict[int, list[int]] = {}
    for n, g in enumerate(groups):
        merged.setdefault(joined[n], []).extend(g)
    return list(merged.values())


def _quotes_in_both(pair: tuple[int, int], m: Match, texts: Texts) -> bool:
    """A partial overlap that is someone's speech in both texts, away from their leads: two
    articles quoting most of one statement or release share a source, neither copies the other.
    (An excerpt — a copy cut short — starts where both texts start and stays a copy.)"""
    if not m.passages:
        return False
    p = max(m.passages, key=lambda x: (x.words, -x.a_start))
    ta, tb = texts.texts[pair[0]], texts.texts[pair[1]]
    if _words_before(ta, p.a_start) <= LEAD_WORDS and _words_before(tb, p.b_start) <= LEAD_WORDS:
        return False
    return voice(ta, p.a_start, p.a_end).third_party and voice(tb, p.b_start, p.b_end).third_party


def _words_before(text: str, at: int) -> int:
    return len(text[:at].split())


def _match(a: int, b: int, comp: Component) -> Match:
    """The match of a and b seen from a's side (computed when the pair was never a candidate)."""
    key = (min(a, b), max(a, b))
    if key not in comp.matches:
        comp.matches[key] = comp.texts.compare(*key)
    m = comp.matches[key]
    return m if key[0] == a else m.mirrored()


def _fold_variants(cluster: list[int], comp: Component) -> tuple[list[int], list[Edge]]:
    """AMP/print/canonical variants of one page collapse into the page itself."""
    infos = comp.infos
    groups: dict[tuple[str | None, str], list[int]] = {}
    for i in cluster:
        info = infos[i]
        canon = url_key(info.canonical_url)
        own = info.url_key
        # A same-site canonical link names the page this one is a variant of.
        same_site = canon is not None and registered_domain(info.canonical_url) == info.domain
        key = canon if same_site and canon else own
        if key is None:
            key = f"#doc:{info.key}"
        groups.setdefault((info.domain, key), []).append(i)
    reps: list[int] = []
    edges: list[Edge] = []
    for (_, key), members in groups.items():
        if len(members) == 1:
            reps.append(members[0])
            continue
        # The member whose own URL is the shared key is the page; the others are its variants.
        members.sort(key=lambda i: (infos[i].url_key != key, len(infos[i].url or ""), infos[i].key))
        rep = members[0]
        reps.append(rep)
        for other in members[1:]:
            m = _match(rep, other, comp)
            ev = ["canonical"] if url_key(infos[other].canonical_url) == key else ["url"]
            edges.append(
                Edge(rep, other, "copy", VARIANT, m.similarity, lag_days(infos[rep], infos[other]), ev)
            )
    return reps, edges


def _date_key(info: DocInfo) -> tuple[int, str]:
    return (0, info.published) if info.published else (1, "")


def _parents(
    reps: list[int], comp: Component
) -> tuple[int | None, dict[int, tuple[int, list[str]]], dict[int, tuple[str | None, str | None]]]:
    """The cluster's root, each other member's (parent, evidence), and the members whose
    credited original is not in the cluster (the root may be one of them)."""
    infos = comp.infos
    credited: dict[int, tuple[int, str]] = {}
    outside: dict[int, tuple[str | None, str | None]] = {}
    for d in reps:
        options = [(m, why) for m in reps if m != d and (why := credits(infos[d], infos[m]))]
        if options:
            credited[d] = min(options, key=lambda o: (_date_key(infos[o[0]]), infos[o[0]].key))
        elif (ext := outside_credit(infos[d])) is not None:
            outside[d] = ext
    # The root is the earliest page that credits no page of the cluster. It may credit an
    # original outside the crawl (the first page in the crawl republished it); the other pages
    # that do are that outlet's copies, with no parent in the cluster.
    free = [d for d in reps if d not in credited]
    if not free:  # credits that go round in a circle: dates decide among them
        free = [d for d in reps if _cycles(d, credited)]
    parents: dict[int, tuple[int, list[str]]] = {}
    root: int | None = None
    if free:
        root = _earliest(free, comp)
    for d in reps:
        if d == root or d in outside:
            continue
        if d in credited and not _cycles(d, credited):
            parent, why = credited[d]
            parents[d] = (parent, [why])
        elif root is not None:
            before = _date_key(infos[root]) < _date_key(infos[d])
            parents[d] = (root, [] if before else ["containment"])
    return root, parents, outside


def _earliest(free: list[int], comp: Component) -> int:
    """The earliest of `free`; ties go to the page that is not itself a credited copy, then to
    the one the others contain least of, then the longer, then the content key."""
    infos = comp.infos
    best = min(_date_key(infos[d]) for d in free)
    tied = [d for d in free if _date_key(infos[d]) == best]
    if len(tied) == 1:
        return tied[0]

    def contained(d: int) -> float:
        # How much of d is found in the others: a truncated copy is fully contained.
        shares = [_match(d, o, comp).contain_a for o in free if o != d]
        return max(shares) if shares else 0.0

    return min(
        tied,
        key=lambda d: (bool(infos[d].credit_list()), contained(d), -infos[d].words, infos[d].key),
    )


def _cycles(d: int, credited: dict[int, tuple[int, str]]) -> bool:
    seen = {d}
    cur = d
    while cur in credited:
        cur = credited[cur][0]
        if cur in seen:
            return True
        seen.add(cur)
    return False


def _date_evidence(parent: DocInfo, child: DocInfo, why: list[str]) -> list[str]:
    if parent.published and child.published and parent.published < child.published:
        return ["date"]
    return [] if why else ["order"]


def _wrapper(child: list[tuple[str, str]], parent: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The copier's boilerplate that the original does not carry: its own wrapper."""
    theirs = {text.strip() for _, text in parent}
    return [{"kind": kind, "text": text[:300]} for kind, text in child if text.strip() not in theirs][:20]


# -- text shared between stories --------------------------------------------------------------
@dataclass(frozen=True)
class _Shared:
    """How one passage relates two stories: the relation and, when directed, who is the source."""

    relation: str  # reuse | common_source
    source: int  # a document of the source story (either one when undirected)
    target: int
    directed: bool
    evidence: tuple[str, ...]


class _Carriers:
    """How many clusters of a component carry a passage (most of its shingles)."""

    def __init__(self, clusters: list[list[int]], texts: Texts) -> None:
        self.clusters = clusters
        self.texts = texts
        self._shingles: np.ndarray | None = None
        self._owner: np.ndarray | None = None

    def count(self, shingles: np.ndarray) -> int:
        if self._shingles is None or self._owner is None:
            # Every cluster's shingles (each once per cluster) beside the cluster they are in:
            # one lookup per passage, whatever the number of clusters.
            sets = [
                np.unique(np.concatenate([self.texts.prepared(i).unique for i in c])) for c in self.clusters
            ]
            self._shingles = np.concatenate(sets)
            self._owner = np.repeat(np.arange(len(sets)), [len(x) for x in sets])
        hits = np.bincount(self._owner[np.isin(self._shingles, shingles)], minlength=len(self.clusters))
        return int(np.count_nonzero(hits >= 0.5 * len(shingles)))


def _shared_text_edges(comp: Component, clusters: list[list[int]], head_of: dict[int, int]) -> list[Edge]:
    """Reuse and common-source edges between the heads (originals) of different clusters.

    Two stories are read once, on their best witness pair: the two originals themselves when
    they share the passage (their text is unedited), else the member pair sharing the longest
    passage; its longest passage that is not stock decides the relation."""
    infos = comp.infos
    cluster_of = {i: n for n, c in enumerate(clusters) for i in c}
    carriers = _Carriers(clusters, comp.texts)
    witnesses: dict[tuple[int, int], list[tuple[int, int, Match]]] = {}
    for (x, y), m in comp.matches.items():
        if m.kind != "passage" or cluster_of[x] == cluster_of[y]:
            continue
        # Orient the pair by content, so the passage read first never depends on ids.
        a, b, m = (x, y, m) if infos[x].key <= infos[y].key else (y, x, m.mirrored())
        ha, hb = head_of[a], head_of[b]
        if infos[ha].outlet is not None and infos[ha].outlet == infos[hb].outlet:
            continue  # an outlet repeating its own text (house wrapper, updates) is not syndication
        witnesses.setdefault((min(ha, hb), max(ha, hb)), []).append((a, b, m))
    best: dict[tuple[int, int], tuple[_Shared, Match, int, int]] = {}
    for pair, found in witnesses.items():

        def strength(w: tuple[int, int, Match], heads: tuple[int, int] = pair) -> tuple[bool, int, str, str]:
            a, b, m = w
            longest = max((p.words for p in m.passages), default=0)
            return ({a, b} != set(heads), -longest, infos[a].key, infos[b].key)

        a, b, m = min(found, key=strength)
        for p in sorted(m.passages, key=lambda p: (-p.words, p.a_start, p.b_start)):
            if p.words < MIN_PASSAGE_WORDS:
                break
            shared = _passage_relation(
                a, b, p, comp, carriers, clusters[cluster_of[a]], clusters[cluster_of[b]]
            )
            if shared is not None:
                best[pair] = (shared, m, a, b)
                break
    edges = []
    for shared, m, a, _b in best.values():
        src, dst = head_of[shared.source], head_of[shared.target]
        if not shared.directed and infos[src].key > infos[dst].key:
            src, dst = dst, src  # undirected: stored in content order
        flip = shared.source != a
        passages = [
            _passage_json(p.mirrored() if flip else p, shared.source, shared.target) for p in m.passages
        ]
        edges.append(
            Edge(
                src,
                dst,
                shared.relation,
                "passage",
                m.overlap,
                lag_days(infos[src], infos[dst]) if shared.directed else None,
                list(shared.evidence),
                [],
                [p for p in passages if p["words"] >= MIN_PASSAGE_WORDS],
                shared.directed,
            )
        )
    return edges


def _passage_json(p: Passage, source: int, target: int) -> dict[str, int]:
    return {
        "source_doc": source,
        "source_start": p.a_start,
        "source_end": p.a_end,
        "target_doc": target,
        "target_start": p.b_start,
        "target_end": p.b_end,
        "words": p.words,
    }


def _passage_relation(
    a: int,
    b: int,
    p: Passage,
    comp: Component,
    carriers: _Carriers,
    cluster_a: list[int],
    cluster_b: list[int],
) -> _Shared | None:
    """What one passage shared by a and b (different stories) says about them; None for stock."""
    ta, tb = comp.texts.texts[a], comp.texts.texts[b]
    passage = ta[p.a_start : p.a_end]
    shingles = prepare(passage).unique
    if not len(shingles) or is_wrapper(passage) or _mostly_stock(shingles, comp.stock):
        return None
    va, vb = voice(ta, p.a_start, p.a_end), voice(tb, p.b_start, p.b_end)
    if va.third_party and vb.third_party:
        return _Shared("common_source", a, b, False, ())  # both give it as someone's words
    if va.third_party != vb.third_party:
        quoting, own = (a, b) if va.third_party else (b, a)
        if (va if quoting == a else vb).quoted:
            # Plain text in one, in quotation marks in the other: the quoting story reuses it.
            return _Shared("reuse", own, quoting, True, ("quotation",))
        return _Shared("common_source", a, b, False, ())  # one attributes it to a third party
    if carriers.count(shingles) >= COMMON_STORIES:
        return _Shared("common_source", a, b, False, ())
    infos = comp.infos
    if any(credits_page(infos[d], infos[o]) for d in cluster_b for o in cluster_a):
        return _Shared("reuse", a, b, True, ("attribution",))
    if any(credits_page(infos[d], infos[o]) for d in cluster_a for o in cluster_b):
        return _Shared("reuse", b, a, True, ("attribution",))
    return _Shared("reuse", a, b, False, ())


def _mostly_stock(shingles: np.ndarray, stock: np.ndarray) -> bool:
    """True when most sampled fingerprints of a passage are too common in the corpus to mean
    anything (the same rule that keeps them from proposing pairs)."""
    sampled = shingles[shingles % np.uint64(SAMPLE_MOD) == 0]
    if not len(sampled) or not len(stock):
        return False
    # `stock` is sorted: a binary search per fingerprint. np.isin sorted the chunk's whole
    # stock set again for every passage (13 s of deciding three chunks of a 1M store).
    at = np.minimum(np.searchsorted(stock, sampled), len(stock) - 1)
    return float((stock[at] == sampled).mean()) >= 0.5


def sorted_edges(edges: Iterable[Edge], infos: dict[int, DocInfo]) -> list[Edge]:
    """Edges in content order (source, target keys), for a stable write order."""

    def key(e: Edge) -> tuple[str, str, str]:
        src = infos[e.source_id].key if e.source_id is not None else f"outlet:{e.source_outlet_id}"
        return (src, infos[e.target_id].key, e.relation)

    return sorted(edges, key=key)
