"""Near-duplicates, partial copies and passage reuse between article *bodies*.

Where it sits: after anatomy, per document, `features(body)` turns a body into an exact hash,
a datasketch MinHash signature and a small sample of shingle fingerprints (computed in the
engine's workers, stored with the document). Across the corpus, `linking.py` finds pairs
worth checking with the signature's LSH bands (near-duplicates and partial copies) and the
fingerprints (passages reused inside commentary, which share too little of either text for
LSH), and `compare` verifies a pair on the exact shingle sets and aligns the shared passages,
as passim does for historical newspapers. `syndication.py` then decides who copied whom.

Only the body is compared, never the wrapper: two outlets' donation appeals or disclaimers
must not make their articles look alike, and a copier's wrapper must not hide a copy.

>>> a = "The general was killed in a strike on the airport road late on Friday night. " * 3
>>> m = compare(a, a + " Support our work: donate today.")
>>> m.kind, round(m.overlap, 2)
('near', 1.0)
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from networkx.utils import UnionFind

# Word 5-grams: short enough that light edits (a changed word kills 5 shingles) keep most of a
# copy's shingles, long enough that two articles on one topic share almost none. Measured on
# the generated crawl (benchmarks/syndication.py): 4-grams start linking same-topic articles
# through shared stock phrases, 7-grams lose lightly edited copies below the LSH threshold.
SHINGLE = 5
NUM_PERM = 64
# Keep a shingle as a passage fingerprint when hash % SAMPLE_MOD == 0: data-independent
# sampling, so two documents sharing a passage sample the same shingles (~1 in 8 words).
SAMPLE_MOD = 8
MIN_SHARED_FINGERPRINTS = 3

# Verification thresholds on exact shingle sets.
NEAR_JACCARD = 0.6  # light edits, different wrappers left in the body
PARTIAL_OVERLAP = 0.6  # one body contains most of the other (truncation, excerpt)
MIN_PASSAGE_WORDS = 40  # a shared run this long is reuse, not a shared quote or stock phrase
PASSAGE_GAP = 6  # shingles that may break a run (a changed word) before it is split
MIN_RUN_DENSITY = 0.7  # share of a run's shingles that must be shared

_WORD = re.compile(r"\w+", re.UNICODE)
_P = np.uint64(0x100000001B3)  # FNV prime, to combine token hashes into a shingle hash
_MASK32 = np.uint64(0xFFFFFFFF)


class Tokens:
    """A body's word tokens: 32-bit hashes of the lower-cased words, and (computed on first
    use, since only passage alignment needs them) their character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: list[str] = _WORD.findall(text)
        self.hashes = _word_hashes(self.words)
        self._spans: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.hashes)

    def _offsets(self) -> tuple[np.ndarray, np.ndarray]:
        if self._spans is None:
            # From the lengths of the words and of the gaps between them (`split` yields one
            # more gap than words), summed in numpy: a Match object per word cost more than
            # tokenizing.
            gaps = _WORD.split(self.text)
            gap_len = np.fromiter(map(len, gaps), dtype=np.int64, count=len(gaps))
            word_len = np.fromiter(map(len, self.words), dtype=np.int64, count=len(self.words))
            before = np.cumsum(word_len) - word_len  # word characters before each word
            starts = np.cumsum(gap_len[:-1]) + before
            self._spans = (starts, starts + word_len)
        return self._spans

    @property
    def starts(self) -> np.ndarray:
        return self._offsets()[0]

    @property
    def ends(self) -> np.ndarray:
        return self._offsets()[1]


# Word -> crc32 of its lower-cased form. News vocabulary repeats, so a dictionary lookup (done
# in C by `map`) replaces most encode+crc32 calls; cleared when it grows past a bound.
_WORD_HASHES: dict[str, int] = {}
_MAX_CACHED_WORDS = 1_000_000


def _word_hashes(words: list[str]) -> np.ndarray:
    cache = _WORD_HASHES
    if len(cache) > _MAX_CACHED_WORDS:
        cache.clear()
    for w in set(words).difference(cache):
        cache[w] = zlib.crc32(w.lower().encode("utf-8"))
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def tokenize(text: str) -> Tokens:
    return Tokens(text)


def shingles(tokens: Tokens, k: int = SHINGLE) -> np.ndarray:
    """Ordered 32-bit hashes of every word k-gram (position i covers tokens i..i+k-1)."""
    n = len(tokens) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the hash
        for j in range(k):
            h = h * _P + tokens.hashes[j : j + n]
        return (h ^ (h >> np.uint64(32))) & _MASK32


def body_hash(text: str, words: list[str] | None = None) -> str:
    """Hash of the body's words, lower-cased: equal for exact copies whatever their spacing."""
    joined = " ".join(words if words is not None else _WORD.findall(text)).lower()
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[str, np.ndarray]:
    """The (scheme, permutation parameters) of datasketch's default MinHash of `num_perm`:
    drawn once per process instead of once per body (0.2 ms a document at ingest)."""
    template = MinHash(num_perm=num_perm)
    return template.scheme, template.permutations


def minhash(sh: np.ndarray, num_perm: int = NUM_PERM) -> MinHash:
    """datasketch's MinHash of the shingle set, with its default scheme and seed. The shingles
    are already 32-bit hashes: `int` passes them through (a builtin, called once per shingle
    by `update_batch`, where a Python function cost 0.1 ms a document)."""
    scheme, permutations = _permutations(num_perm)
    m = MinHash(num_perm=num_perm, hashfunc=int, permutations=permutations, scheme=scheme)
    if len(sh):
        m.update_batch(np.unique(sh).tolist())
    return m


@dataclass(frozen=True)
class Features:
    """What the corpus keeps of a body to find its copies later."""

    body_hash: str
    signature: bytes  # MinHash hash values, uint32 × NUM_PERM
    fingerprints: bytes  # sampled shingle hashes, uint32, sorted unique
    words: int


def features(body: str) -> Features:
    toks = tokenize(body)
    sh = shingles(toks)
    fp = np.unique(sh[sh % np.uint64(SAMPLE_MOD) == 0]).astype(np.uint32)
    sig = minhash(sh).hashvalues.astype(np.uint32)
    return Features(body_hash(body, toks.words), sig.tobytes(), fp.tobytes(), len(toks))


#: Match kinds that make two bodies one article (a copy); "passage" is shared text only.
COPY_KINDS = ("exact", "near", "partial")


@dataclass(frozen=True)
class Passage:
    """A stretch of text found in both bodies: char offsets in each, and its length in words."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int

    def mirrored(self) -> Passage:
        return Passage(self.b_start, self.b_end, self.a_start, self.a_end, self.words)


@dataclass(frozen=True)
class Match:
    """How two bodies relate. `contain_a` = share of a's shingles found in b, and vice versa."""

    kind: str  # exact | near | partial | passage | none
    jaccard: float
    contain_a: float
    contain_b: float
    passages: list[Passage] = field(default_factory=list)

    @property
    def overlap(self) -> float:
        return max(self.contain_a, self.contain_b)

    @property
    def similarity(self) -> float:
        """The figure reported on a graph edge: Jaccard for copies, the overlap for the rest."""
        return self.jaccard if self.kind in ("exact", "near") else self.overlap

    @property
    def is_copy(self) -> bool:
        return self.kind in COPY_KINDS

    def mirrored(self) -> Match:
        """The same match seen from b's side."""
        passages = sorted((p.mirrored() for p in self.passages), key=lambda p: (p.a_start, p.b_start))
        return Match(self.kind, self.jaccard, self.contain_b, self.contain_a, passages)


@dataclass(frozen=True)
class Shingled:
    """A body ready for comparison: tokens, ordered shingles and their sorted unique set."""

    tokens: Tokens
    ordered: np.ndarray
    unique: np.ndarray


def prepare(text: str) -> Shingled:
    toks = tokenize(text)
    sh = shingles(toks)
    return Shingled(toks, sh, np.unique(sh))


# Fewer shared shingles than this cannot hold a passage of MIN_PASSAGE_WORDS (allowing for
# a few edited words), so the pair is rejected before any alignment.
_MIN_SHARED_FOR_PASSAGE = int(MIN_RUN_DENSITY * (MIN_PASSAGE_WORDS - SHINGLE + 1))
# A partial overlap is a copy (a truncated or extended republication) only when the shared
# text is most of the longer body too, or opens it (an excerpt is the article's lead; a
# republication may put a line or two of its own first). Most of a short article quoted inside
# long commentary is neither: it is a reused passage.
COPY_SHARE_OF_LONGER = 0.5
LEAD_WORDS = 30
# A shingle repeated more than this in one body (a refrain, a list) says nothing about where
# a passage sits; alignment skips it rather than pairing every occurrence with every other.
MAX_REPEAT = 4


def _content_order(pa: Shingled, pb: Shingled) -> bool:
    """True when the pair is already in content order (shorter body first, then by its words).

    `compare` works on the pair in this order and mirrors the answer back, so compare(a, b)
    and compare(b, a) always agree, whatever order a crawl delivered the two pages in.
    """
    la, lb = len(pa.tokens), len(pb.tokens)
    if la != lb:
        return la < lb
    return pa.tokens.hashes.tobytes() <= pb.tokens.hashes.tobytes()


def compare(a: str, b: str, *, pa: Shingled | None = None, pb: Shingled | None = None) -> Match:
    """Verify a candidate pair on exact shingle sets and align the passages they share.

    Copies (exact, near, partial) are decided on set overlap, partial ones checked against the
    alignment; pairs that share too little for a copy but enough for a passage are aligned.
    Symmetric: compare(b, a) is compare(a, b) mirrored.
    """
    pa = pa if pa is not None else prepare(a)
    pb = pb if pb is not None else prepare(b)
    if _content_order(pa, pb):
        return _compare(a, b, pa, pb)
    return _compare(b, a, pb, pa).mirrored()


def _compare(a: str, b: str, pa: Shingled, pb: Shingled) -> Match:
    ta, tb = pa.tokens, pb.tokens
    ua, ub = pa.unique, pb.unique
    if not len(ua) or not len(ub):
        return Match("none", 0.0, 0.0, 0.0)
    inter = len(common(ua, ub))
    jac = inter / (len(ua) + len(ub) - inter)
    ca, cb = inter / len(ua), inter / len(ub)
    if ta.hashes.shape == tb.hashes.shape and bool(np.all(ta.hashes == tb.hashes)):
        return Match("exact", 1.0, 1.0, 1.0, [Passage(0, len(a), 0, len(b), len(ta))])
    if jac >= NEAR_JACCARD:
        return Match("near", jac, ca, cb)
    if inter < _MIN_SHARED_FOR_PASSAGE:
        return Match("none", jac, ca, cb)
    passages = align(pa, pb)
    if max(ca, cb) >= PARTIAL_OVERLAP and _is_partial_copy(ca, cb, passages, pa, pb):
        return Match("partial", jac, ca, cb, passages)
    if passages and max(p.words for p in passages) >= MIN_PASSAGE_WORDS:
        return Match("passage", jac, ca, cb, passages)
    return Match("none", jac, ca, cb, passages)


def _is_partial_copy(ca: float, cb: float, passages: list[Passage], pa: Shingled, pb: Shingled) -> bool:
    """One body mostly inside the other: a copy when the shared text is also most of the longer
    body, or is its lead (an excerpt that stops early); otherwise a quoted passage."""
    longer_share = min(ca, cb)
    if longer_share >= COPY_SHARE_OF_LONGER:
        return True
    if not passages:
        return False
    best = max(passages, key=lambda p: p.words)
    longer, start = (pb, best.b_start) if ca >= cb else (pa, best.a_start)
    first_words = longer.tokens.starts[: LEAD_WORDS + 1]
    return bool(len(first_words)) and start <= int(first_words[-1])


def align(pa: Shingled, pb: Shingled) -> list[Passage]:
    """Passages both bodies share: chains of shingle matches that advance in both texts.

    Every shingle hash found in both bodies gives matches (i in a, j in b); consecutive
    matches on one diagonal form exact runs, and runs are chained when the next one starts a
    little later in *both* texts (a changed word breaks a run by SHINGLE positions; an
    inserted or dropped word shifts the diagonal). Working on pairs of positions, not on one
    text's positions, makes the answer the same from either side, and scattered hits of a
    common phrase elsewhere in either text cannot join a passage.
    """
    sa, sb = pa.ordered, pb.ordered
    shared = common(pa.unique, pb.unique)
    if not len(shared):
        return []
    # Membership and counts by binary search in the sorted shared hashes (cheaper than isin
    # and unique, which sort the texts again).
    ia, at_a = _positions_in(sa, shared)
    ib, at_b = _positions_in(sb, shared)
    ha, hb = sa[ia], sb[ib]
    # Every (i, j) with the same hash, in numpy: b's positions grouped by hash, each a position
    # paired with its hash's group. Hashes repeated too often in either text are left out.
    count_a = np.bincount(at_a, minlength=len(shared))  # per shared hash, in sorted order
    count_b = np.bincount(at_b, minlength=len(shared))
    rare = (count_a <= MAX_REPEAT) & (count_b <= MAX_REPEAT)
    keep = rare[at_a]
    by_hash = np.argsort(hb, kind="stable")
    hb_sorted, jb_sorted = hb[by_hash], ib[by_hash]
    lo = np.searchsorted(hb_sorted, ha[keep], "left")
    n = np.searchsorted(hb_sorted, ha[keep], "right") - lo
    if not n.sum():
        return []
    i_all = np.repeat(ia[keep], n)
    first = np.repeat(lo - np.concatenate([[0], np.cumsum(n)[:-1]]), n)
    j_all = jb_sorted[first + np.arange(int(n.sum()))]
    # Exact diagonal runs: (i, j), (i+1, j+1), ...
    diag = j_all - i_all
    order = np.lexsort((i_all, diag))
    i_s, j_s, d_s = i_all[order], j_all[order], diag[order]
    breaks = np.flatnonzero((np.diff(d_s) != 0) | (np.diff(i_s) != 1)) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(i_s)]]) - 1
    runs: list[list[int]] = [  # [i_start, j_start, i_end, j_end, matched]
        [int(i_s[a]), int(j_s[a]), int(i_s[b]), int(j_s[b]), int(b - a + 1)]
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    runs.sort(key=lambda r: (r[0], r[1]))
    chains: list[list[int]] = []  # same layout as a run, for the chain so far
    open_chains: list[list[int]] = []
    for r in runs:

        def gap(c: list[int], r: list[int] = r) -> tuple[int, int]:
            di, dj = r[0] - c[2], r[1] - c[3]
            return (di + dj, abs(di - dj))

        reach = [
            c
            for c in open_chains
            if 0 < r[0] - c[2] <= PASSAGE_GAP + 1 and 0 < r[1] - c[3] <= PASSAGE_GAP + 1
        ]
        if reach:
            best = min(reach, key=gap)  # the nearest chain; ties go to the earliest started
            best[2], best[3], best[4] = r[2], r[3], best[4] + r[4]
        else:
            c = list(r)
            chains.append(c)
            open_chains.append(c)
        open_chains = [c for c in open_chains if c[2] >= r[0] - PASSAGE_GAP - 1]
    ta, tb = pa.tokens, pb.tokens
    out: list[Passage] = []
    for i0, j0, i1, j1, matched in chains:
        # A chain must be mostly matched shingles on both sides: scattered hits merged over
        # gaps are the traces of shared phrases, not a shared passage.
        if matched < MIN_RUN_DENSITY * max(i1 - i0 + 1, j1 - j0 + 1):
            continue
        words = matched + SHINGLE - 1
        if words < 2 * SHINGLE:
            continue
        out.append(
            Passage(
                int(ta.starts[i0]),
                int(ta.ends[min(i1 + SHINGLE - 1, len(ta) - 1)]),
                int(tb.starts[j0]),
                int(tb.ends[min(j1 + SHINGLE - 1, len(tb) - 1)]),
                int(words),
            )
        )
    return sorted(out, key=lambda p: (p.a_start, p.b_start))


def common(ua: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """The values in both sorted unique arrays, sorted: `np.intersect1d` by binary search of the
    shorter in the longer, without concatenating and sorting both (once per candidate pair)."""
    if not len(ua) or not len(ub):
        return ua[:0]
    small, large = (ua, ub) if len(ua) <= len(ub) else (ub, ua)
    at = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return small[large[at] == small]


def _positions_in(ordered: np.ndarray, shared: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of `ordered` whose hash is in `shared` (sorted, not empty), and that hash's
    index in `shared`."""
    at = np.minimum(np.searchsorted(shared, ordered), len(shared) - 1)
    found = np.flatnonzero(shared[at] == ordered)
    return found, at[found]


def group_pairs(pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components of a pair list, each sorted, largest first (then by first id).

    The sort makes the order independent of networkx's internals, so a re-run links a corpus
    the same way.
    """
    components = UnionFind()
    for a, b in pairs:
        components.union(a, b)
    return sorted((sorted(g) for g in components.to_sets()), key=lambda g: (-len(g), g[0]))
