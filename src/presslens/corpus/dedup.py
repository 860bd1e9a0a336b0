"""Near-duplicates, partial copies and passage reuse between article *bodies*.

Where it sits: after anatomy, per document, `features(body)` turns a body into an exact hash,
a datasketch MinHash signature and a small sample of shingle fingerprints (computed in the
engine's workers, stored with the document). Across the corpus, `candidate_pairs` finds pairs
worth checking with MinHash LSH (near-duplicates and partial copies) and a fingerprint index
(passages reused inside commentary, which share too little of either text for LSH), and
`compare` verifies a pair on the exact shingle sets and aligns the shared passages, as passim
does for historical newspapers. `syndication.py` then decides who copied whom.

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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from networkx.utils import UnionFind

# Word 5-grams: short enough that light edits (a changed word kills 5 shingles) keep most of a
# copy's shingles, long enough that two articles on one topic share almost none. Measured on
# the generated crawl (benchmarks/syndication.py): 4-grams start linking same-topic articles
# through shared stock phrases, 7-grams lose lightly edited copies below the LSH threshold.
SHINGLE = 5
NUM_PERM = 64
# LSH Jaccard threshold for candidates only; every candidate is verified exactly. Low enough
# that a copy truncated to ~40% of the original (Jaccard ≈ 0.4) is still proposed.
LSH_THRESHOLD = 0.3
# Keep a shingle as a passage fingerprint when hash % SAMPLE_MOD == 0: data-independent
# sampling, so two documents sharing a passage sample the same shingles (~1 in 8 words).
SAMPLE_MOD = 8
MIN_SHARED_FINGERPRINTS = 3
# A fingerprint carried by more documents than this is a stock phrase, not a reuse signal. It
# also bounds memory: a fingerprint shared by n documents proposes n(n-1)/2 pairs (at 200, the
# pair counter of a 100k crawl took gigabytes). Copies of an article syndicated more widely are
# still found by LSH; only passage reuse from such an article needs the fingerprints.
MAX_FINGERPRINT_DF = 100

# Verification thresholds on exact shingle sets.
NEAR_JACCARD = 0.6  # light edits, different wrappers left in the body
PARTIAL_OVERLAP = 0.6  # one body contains most of the other (truncation, excerpt)
MIN_PASSAGE_WORDS = 40  # a shared run this long is reuse, not a shared quote or stock phrase
PASSAGE_GAP = 6  # shingles that may break a run (a changed word) before it is split
MIN_RUN_DENSITY = 0.7  # share of a run's shingles that must be shared

_WORD = re.compile(r"\w+", re.UNICODE)
_P = np.uint64(0x100000001B3)  # FNV prime, to combine token hashes into a shingle hash
_MASK32 = np.uint64(0xFFFFFFFF)


def _identity(value: int) -> int:
    # Shingles are already 32-bit hashes; datasketch only needs to permute them.
    return int(value)


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
            spans = np.array([m.span() for m in _WORD.finditer(self.text)], dtype=np.int64).reshape(-1, 2)
            self._spans = (spans[:, 0], spans[:, 1])
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


def minhash(sh: np.ndarray, num_perm: int = NUM_PERM) -> MinHash:
    m = MinHash(num_perm=num_perm, hashfunc=_identity)
    if len(sh):
        m.update_batch(np.unique(sh))
    return m


def signature_from_bytes(data: bytes) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(data, dtype=np.uint32), scheme="affine32")


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


@dataclass(frozen=True)
class Candidate:
    id: int
    signature: bytes
    fingerprints: bytes
    words: int = 0
    # The outlet: shared fingerprints between two pages of one outlet are its own wrapper or
    # house style, not syndication (its real duplicates are near-duplicates, found by LSH).
    group: int | None = None


@dataclass
class CandidateSet:
    """Pairs (low id, high id) worth verifying, and the fingerprints too common to mean reuse."""

    pairs: set[tuple[int, int]]
    stock: np.ndarray  # sorted uint64 fingerprint hashes seen in more than `stock_df` documents
    stock_df: int = 0

    def is_stock(self, shingled: np.ndarray) -> bool:
        """True when most sampled fingerprints of a passage are stock text (a widely shared wrapper)."""
        sampled = shingled[shingled % np.uint64(SAMPLE_MOD) == 0]
        if not len(sampled) or not len(self.stock):
            return False
        return float(np.isin(sampled, self.stock).mean()) >= 0.5


def stock_df_for(n_docs: int) -> int:
    """A fingerprint in more documents than this is stock text. Scales with the corpus (1%),
    but never below 30 (far above any one article's copies) nor above MAX_FINGERPRINT_DF."""
    return max(30, min(MAX_FINGERPRINT_DF, n_docs // 100))


def candidate_pairs(
    items: Iterable[Candidate], *, threshold: float = LSH_THRESHOLD, min_words: int = 2 * SHINGLE
) -> CandidateSet:
    """Pairs that may share text: LSH on MinHash plus shared fingerprints."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    ids: list[int] = []
    fp_hash: list[np.ndarray] = []
    fp_doc: list[np.ndarray] = []
    pairs: set[tuple[int, int]] = set()
    group_of: dict[int, int | None] = {}
    for item in items:
        group_of[item.id] = item.group
        if item.words < min_words:
            continue  # too short to say anything about copying
        sig = signature_from_bytes(item.signature)
        for other in lsh.query(sig):
            pairs.add((min(other, item.id), max(other, item.id)))
        lsh.insert(item.id, sig, check_duplication=False)
        ids.append(item.id)
        fp = np.frombuffer(item.fingerprints, dtype=np.uint32)
        if len(fp):
            fp_hash.append(fp)
            fp_doc.append(np.full(len(fp), item.id, dtype=np.int64))
    groups = {item_id: g for item_id, g in group_of.items() if g is not None}
    stock_df = stock_df_for(len(group_of))
    fp_pairs, stock = _fingerprint_pairs(fp_hash, fp_doc, stock_df)
    pairs |= {(a, b) for a, b in fp_pairs if groups.get(a, -1) != groups.get(b, -2)}
    return CandidateSet(pairs, stock, stock_df)


def _fingerprint_pairs(
    fp_hash: list[np.ndarray], fp_doc: list[np.ndarray], stock_df: int
) -> tuple[set[tuple[int, int]], np.ndarray]:
    if not fp_hash:
        return set(), np.zeros(0, dtype=np.uint64)
    hashes = np.concatenate(fp_hash)
    docs = np.concatenate(fp_doc)
    order = np.argsort(hashes, kind="stable")
    hashes, docs = hashes[order], docs[order]
    bounds = np.flatnonzero(np.diff(hashes)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(hashes)]])
    sizes = ends - starts
    stock = hashes[starts[sizes > stock_df]].astype(np.uint64)
    shared: Counter[tuple[int, int]] = Counter()
    for s, e in zip(
        starts[(sizes > 1) & (sizes <= MAX_FINGERPRINT_DF)],
        ends[(sizes > 1) & (sizes <= MAX_FINGERPRINT_DF)],
        strict=True,
    ):
        group = sorted(set(docs[s:e].tolist()))
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                shared[(a, b)] += 1
    return {pair for pair, n in shared.items() if n >= MIN_SHARED_FINGERPRINTS}, stock


@dataclass(frozen=True)
class Passage:
    """A stretch of text found in both bodies: char offsets in each, and its length in words."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int


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
        return self.kind in ("exact", "near", "partial")


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


def could_match(ua: np.ndarray, ub: np.ndarray, stock: np.ndarray | None = None) -> bool:
    """On sorted unique shingle sets alone: can this pair be a copy or hold a passage?

    Shared text that is mostly stock (corpus-common fingerprints) cannot make a passage.
    """
    if not len(ua) or not len(ub):
        return False
    shared = np.intersect1d(ua, ub, assume_unique=True)
    inter = len(shared)
    jac = inter / (len(ua) + len(ub) - inter)
    if jac >= NEAR_JACCARD or max(inter / len(ua), inter / len(ub)) >= PARTIAL_OVERLAP:
        return True
    if inter < _MIN_SHARED_FOR_PASSAGE:
        return False
    if stock is not None and len(stock):
        sampled = shared[shared % SAMPLE_MOD == 0].astype(np.uint64)
        if len(sampled) and float(np.isin(sampled, stock).mean()) >= 0.5:
            return False
    return True


def compare(a: str, b: str, *, pa: Shingled | None = None, pb: Shingled | None = None) -> Match:
    """Verify a candidate pair on exact shingle sets and align the passages they share.

    Copies (near, partial) are decided on set overlap alone; only pairs that share too little
    for that but enough for a passage are aligned.
    """
    pa = pa if pa is not None else prepare(a)
    pb = pb if pb is not None else prepare(b)
    ta, tb = pa.tokens, pb.tokens
    ua, ub = pa.unique, pb.unique
    if not len(ua) or not len(ub):
        return Match("none", 0.0, 0.0, 0.0)
    inter = len(np.intersect1d(ua, ub, assume_unique=True))
    jac = inter / (len(ua) + len(ub) - inter)
    ca, cb = inter / len(ua), inter / len(ub)
    if ta.hashes.shape == tb.hashes.shape and bool(np.all(ta.hashes == tb.hashes)):
        return Match("exact", 1.0, 1.0, 1.0, [Passage(0, len(a), 0, len(b), len(ta))])
    if jac >= NEAR_JACCARD:
        return Match("near", jac, ca, cb)
    if max(ca, cb) >= PARTIAL_OVERLAP:
        return Match("partial", jac, ca, cb)
    if inter < _MIN_SHARED_FOR_PASSAGE:
        return Match("none", jac, ca, cb)
    passages = align(pa.ordered, pb.ordered, ta, tb)
    if passages and max(p.words for p in passages) >= MIN_PASSAGE_WORDS:
        return Match("passage", jac, ca, cb, passages)
    return Match("none", jac, ca, cb, passages)


def align(sa: np.ndarray, sb: np.ndarray, ta: Tokens, tb: Tokens) -> list[Passage]:
    """Runs of a's shingles that also occur in b, merged over small gaps (edited words).

    Each run is mapped back to character offsets in both texts; b's side spans the positions
    of the run's first and last shingle in b.
    """
    in_b = np.isin(sa, sb)
    pos = np.flatnonzero(in_b)
    if not len(pos):
        return []
    # b's first position of each shingle hash, to locate the run in b.
    order = np.argsort(sb, kind="stable")
    sorted_b = sb[order]
    runs: list[tuple[int, int]] = []
    start = prev = int(pos[0])
    for p in pos[1:].tolist():
        if p - prev > PASSAGE_GAP:
            runs.append((start, prev))
            start = p
        prev = p
    runs.append((start, prev))
    out: list[Passage] = []
    for s, e in runs:
        # A run must be mostly matched shingles: scattered hits merged over gaps are the
        # traces of shared phrases, not a reused passage.
        matched = int(np.count_nonzero(in_b[s : e + 1]))
        if matched < MIN_RUN_DENSITY * (e - s + 1):
            continue
        words = matched + SHINGLE - 1
        if words < 2 * SHINGLE:
            continue
        bs = _first_position(sorted_b, order, sa[s])
        be = _first_position(sorted_b, order, sa[e])
        lo, hi = min(bs, be), max(bs, be)
        out.append(
            Passage(
                int(ta.starts[s]),
                int(ta.ends[e + SHINGLE - 1]),
                int(tb.starts[lo]),
                int(tb.ends[min(hi + SHINGLE - 1, len(tb) - 1)]),
                int(words),
            )
        )
    return out


def _first_position(sorted_b: np.ndarray, order: np.ndarray, value: np.uint64) -> int:
    i = int(np.searchsorted(sorted_b, value))
    return int(order[i])


def group_pairs(pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components of a pair list, each sorted, largest first (then by first id).

    The sort makes the order independent of networkx's internals, so a re-run links a corpus
    the same way.
    """
    components = UnionFind()
    for a, b in pairs:
        components.union(a, b)
    return sorted((sorted(g) for g in components.to_sets()), key=lambda g: (-len(g), g[0]))
