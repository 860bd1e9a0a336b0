"""Gold-set scorers for the entities, quotes and timeline stages, and the gold-set builder.

Where it sits: beside the analyze stages, outside the pipeline. It runs the stages on the
hand-annotated articles under `tests/data/gold/` (texts read from `../shared/data/ptc`) and
prints precision / recall / F1 per component:

    python -m presslens.analyze.evaluate --gold tests/data/gold [--errors]

`--errors` lists every entity and quote error article by article (missed, split, merged,
wrong type, spurious; quotes missed, spurious, of the wrong kind or speaker) and a count per
error class, for finding what to fix on the development set.

- **entity clusters**: CEAF-e (Luo 2005): gold and predicted clusters are aligned one-to-one
  (Hungarian) by φ4 = 2·|shared mentions| / (|gold| + |predicted|), zero across type classes
  (PERSON, ORG, PLACE = GPE/LOC/FAC); P = Σφ4 / #predicted, R = Σφ4 / #gold, summed over
  documents. Only named mentions count (pronouns and "the …" descriptions are not annotated),
  and predicted entities of other types (NORP, EVENT, …) are ignored. Mention P/R/F1 is
  reported beside it.
- **quote+speaker**: a predicted speech quote (`direct` or `partial`) is right when it covers at
  least half of a gold speech quote and names the same speaker (same canonical name or
  surname; both None counts); direct vs partial is not asked here.
- **per quote kind** (`direct`, `partial`, `scare`, `title`): the same half-span match with the
  kind also equal; `direct+speaker` and `partial+speaker` add the speaker.
- **dates**: a predicted timeline item is right when it overlaps a gold date expression and
  has the same normalised value (and interval end).

The gold files are built from one hand-written annotation file (`annotations.txt`, format in
`GUIDELINES.md`) with `--build`: the builder turns surface strings into character offsets so
that annotating never means counting characters.

>>> score_counts(tp=8, n_pred=10, n_gold=9).f1
0.842
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presslens.document import Document, Entity, Quote, TimelineEvent
from presslens.errors import InputError
from presslens.lexicon.quotes import CLOSING_MARK

TYPE_CLASS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "PLACE": "PLACE",
}


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    n_pred: float
    n_gold: float

    def row(self, name: str) -> str:
        return (
            f"{name:<22} P={self.precision:.3f}  R={self.recall:.3f}  F1={self.f1:.3f}  "
            f"(pred {self.n_pred:g}, gold {self.n_gold:g})"
        )


def score_counts(tp: float, n_pred: float, n_gold: float, tp_gold: float | None = None) -> Score:
    """P/R/F1 from true positives; `tp_gold` when recall counts matched gold items separately."""
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = (tp if tp_gold is None else tp_gold) / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Score(round(p, 3), round(r, 3), round(f, 3), n_pred, n_gold)


Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# ---------------------------------------------------------------- entity clusters (CEAF-e)


@dataclass(frozen=True)
class Cluster:
    cls: str
    mentions: tuple[Span, ...]


def _named(text: str) -> bool:
    """A proper name, as the guidelines annotate it: capitalised, or one word with a capital or
    a dot inside ("al-Qaeda", "pilotonline.com"); not a pronoun or a "the …" description."""
    return text[:1].isupper() or (" " not in text and (any(ch.isupper() for ch in text) or "." in text))


def clusters_from_entities(entities: Iterable[Entity]) -> list[Cluster]:
    """Predicted entities as scoreable clusters: named mentions, scored type classes only."""
    out = []
    for e in entities:
        cls = TYPE_CLASS.get(e.type)
        if cls is None:
            continue
        spans = tuple(
            (m.start, m.end)
            for m in e.mentions
            if _named(m.text)
            and not m.text.startswith("The ")
            and m.text.lower() not in {"he", "his", "him", "she", "her"}
        )
        if spans:
            out.append(Cluster(cls, spans))
    return out


def _phi4(g: Cluster, p: Cluster) -> float:
    if g.cls != p.cls:
        return 0.0
    shared = sum(1 for gm in g.mentions if any(_overlap(gm, pm) for pm in p.mentions))
    return 2 * shared / (len(g.mentions) + len(p.mentions))


def ceaf_e(gold: Sequence[Cluster], pred: Sequence[Cluster]) -> float:
    """Σφ4 over the best one-to-one alignment of gold and predicted clusters."""
    if not gold or not pred:
        return 0.0
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    sim = np.array([[_phi4(g, p) for p in pred] for g in gold])
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].sum())


def mention_counts(gold: Sequence[Cluster], pred: Sequence[Cluster]) -> tuple[int, int, int]:
    """(matched predicted, predicted, gold) named mentions, type-agnostic."""
    g = [m for c in gold for m in c.mentions]
    p = [m for c in pred for m in c.mentions]
    tp = sum(1 for pm in p if any(_overlap(pm, gm) for gm in g))
    return tp, len(p), len(g)


# ---------------------------------------------------------------- quotes


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    speaker: str | None
    kind: str = "direct"
    speaker_aliases: tuple[str, ...] = ()


def same_speaker(gold: str | None, pred: str | None, aliases: Sequence[str] = ()) -> bool:
    """Same person: same name, same surname, or one of the gold entity's surface forms."""
    if gold is None or pred is None:
        return gold is None and pred is None
    p = pred.lower().split()
    return any(g.lower().split() == p or g.lower().split()[-1] == p[-1] for g in (gold, *aliases))


SPEECH_KINDS = frozenset({"direct", "partial"})
SCORED_KINDS = ("direct", "partial", "scare", "title")


def quote_counts(
    gold: Sequence[GoldQuote],
    pred: Sequence[Quote],
    *,
    with_speaker: bool = True,
    kinds: frozenset[str] | set[str] = frozenset({"direct"}),
) -> tuple[int, int, int]:
    """(true positives, predicted, gold) for quotes of `kinds`, each gold quote matched at most once.

    Gold and predicted quotes are both restricted to `kinds`, so with one kind the count is
    "span and kind right"; with `SPEECH_KINDS` a direct quote predicted as partial (or the
    reverse) still counts, which is the speaker question without the direct/partial one.
    """
    golds = [q for q in gold if q.kind in kinds]
    preds = [q for q in pred if q.kind in kinds]
    used: set[int] = set()
    tp = 0
    for p in preds:
        for i, g in enumerate(golds):
            if i in used or _overlap((p.start, p.end), (g.start, g.end)) < 0.5 * (g.end - g.start):
                continue
            if with_speaker and not same_speaker(g.speaker, p.speaker, g.speaker_aliases):
                continue
            used.add(i)
            tp += 1
            break
    return tp, len(preds), len(golds)


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class GoldDate:
    start: int
    end: int
    value: str
    end_value: str | None = None


def date_counts(
    gold: Sequence[GoldDate], pred: Sequence[TimelineEvent], *, with_value: bool = True
) -> tuple[int, int, int]:
    used: set[int] = set()
    tp = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i in used or not _overlap((p.start, p.end), (g.start, g.end)):
                continue
            if with_value and (p.date != g.value or p.end_date != g.end_value):
                continue
            used.add(i)
            tp += 1
            break
    return tp, len(pred), len(gold)


# ---------------------------------------------------------------- the gold set


@dataclass
class GoldDoc:
    id: str
    text: str
    published: str | None
    entities: list[Cluster]
    quotes: list[GoldQuote]
    dates: list[GoldDate]


def _shared_dir() -> Path:
    return Path(__file__).resolve().parents[3].parent / "shared"


def load_gold(folder: Path, articles: Path | None = None) -> list[GoldDoc]:
    """The gold JSON files in `folder`, each with its article text read from `articles`."""
    articles = articles or _shared_dir() / "data" / "ptc" / "articles"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError(f"no gold files (*.json) in {folder}")
    docs = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        source = articles / f"{data['id']}.txt"
        if not source.is_file():
            raise InputError(f"article text for {data['id']} not found at {source}")
        text = source.read_text(encoding="utf-8")
        docs.append(
            GoldDoc(
                id=data["id"],
                text=text,
                published=data.get("published"),
                entities=[
                    Cluster(TYPE_CLASS[e["type"]], tuple((m["start"], m["end"]) for m in e["mentions"]))
                    for e in data["entities"]
                    if e["mentions"]
                ],
                quotes=[
                    GoldQuote(
                        q["start"],
                        q["end"],
                        q["speaker"],
                        q.get("kind", "direct"),
                        tuple(q.get("speaker_aliases", ())),
                    )
                    for q in data["quotes"]
                ],
                dates=[GoldDate(d["start"], d["end"], d["value"], d.get("end_value")) for d in data["dates"]],
            )
        )
    return docs


def run_stages(gold_docs: Sequence[GoldDoc]) -> list[Document]:
    """The analyze text stages (the pipeline `analyze` runs after anatomy) run on each gold article."""
    from presslens.pipeline import Pipeline

    given = []
    for g in gold_docs:
        doc = Document(source=g.id, text=g.text)
        doc.metadata.published = g.published
        given.append(doc)
    # The gold offsets index the whole file, so the documents start as text with no anatomy.
    nlp = Pipeline.from_names(["parse", "entities", "quotes", "timeline"])
    return list(nlp.pipe(given, batch_size=16))


def evaluate(gold_docs: Sequence[GoldDoc], docs: Sequence[Document] | None = None) -> dict[str, Score]:
    """Score what the stages put on each gold article (`docs`, run now when not given)."""
    docs = run_stages(gold_docs) if docs is None else docs
    keys = ["ceaf", "mention", "quote", "quote_span", "date", "date_span"]
    keys += [f"kind:{k}" for k in SCORED_KINDS] + [f"speaker:{k}" for k in sorted(SPEECH_KINDS)]
    sums = {k: [0.0, 0.0, 0.0] for k in keys}
    for g, doc in zip(gold_docs, docs, strict=True):
        pred = clusters_from_entities(doc.entities)
        s = sums["ceaf"]
        s[0] += ceaf_e(g.entities, pred)
        s[1] += len(pred)
        s[2] += len(g.entities)
        rows = [
            ("mention", mention_counts(g.entities, pred)),
            ("quote", quote_counts(g.quotes, doc.quotes, kinds=SPEECH_KINDS)),
            ("quote_span", quote_counts(g.quotes, doc.quotes, with_speaker=False, kinds=SPEECH_KINDS)),
            ("date", date_counts(g.dates, doc.timeline)),
            ("date_span", date_counts(g.dates, doc.timeline, with_value=False)),
        ]
        rows += [
            (f"kind:{k}", quote_counts(g.quotes, doc.quotes, with_speaker=False, kinds={k}))
            for k in SCORED_KINDS
        ]
        rows += [
            (f"speaker:{k}", quote_counts(g.quotes, doc.quotes, kinds={k})) for k in sorted(SPEECH_KINDS)
        ]
        for key, counts in rows:
            for i in range(3):
                sums[key][i] += counts[i]
    names = {
        "ceaf": "entity clusters",
        "mention": "entity mentions",
        "quote": "quote+speaker",
        "quote_span": "quote spans",
        "date": "dates (value)",
        "date_span": "date spans",
        **{f"kind:{k}": f"{k} quotes" for k in SCORED_KINDS},
        **{f"speaker:{k}": f"{k}+speaker" for k in SPEECH_KINDS},
    }
    return {names[k]: score_counts(*v) for k, v in sums.items()}


# ---------------------------------------------------------------- error listing


def _spans_text(text: str, spans: Iterable[Span]) -> str:
    names = Counter(text[a:b] for a, b in spans)
    return "; ".join(f"{n}×{k}" if k > 1 else n for n, k in names.items())


def entity_errors(g: GoldDoc, entities: Sequence[Entity]) -> list[str]:
    """One line per entity error in one article, from the clusters as scored: `missed` (a gold
    mention no scored cluster has; the entity of another type that has it is named), `split`
    (a gold cluster spread over several predicted ones), `merged` (a predicted cluster holding
    several gold ones), `type` (the class differs), `spurious` (a predicted cluster with no
    gold mention). Predicted clusters are shown as `TYPE name`."""
    out: list[str] = []
    text = g.text
    scored = [(e, c) for e in entities for c in clusters_from_entities([e])]
    pred = [c for _e, c in scored]

    def label(i: int) -> str:
        return f"{scored[i][0].type} {scored[i][0].name!r}"

    for gc in g.entities:
        owners: dict[int, list[Span]] = defaultdict(list)
        missed = []
        for gm in gc.mentions:
            hit = next((i for i, pc in enumerate(pred) if any(_overlap(gm, pm) for pm in pc.mentions)), None)
            if hit is None:
                missed.append(gm)
            else:
                owners[hit].append(gm)
        if missed:
            other = {
                f"{e.type} {e.name!r}"
                for e in entities
                for m in e.mentions
                if any(_overlap(gm, (m.start, m.end)) for gm in missed)
            }
            why = f" (predicted {', '.join(sorted(other))})" if other else ""
            out.append(f"missed   {gc.cls:<6} {_spans_text(text, missed)}{why}")
        if len(owners) > 1:
            parts = " | ".join(f"{label(i)}: {_spans_text(text, ms)}" for i, ms in owners.items())
            out.append(f"split    {gc.cls:<6} {parts}")
        for i in owners:
            if pred[i].cls != gc.cls:
                out.append(f"type     {gc.cls:<6} predicted {label(i)}: {_spans_text(text, owners[i])}")
    for i, pc in enumerate(pred):
        golds = [gc for gc in g.entities if any(_overlap(gm, pm) for gm in gc.mentions for pm in pc.mentions)]
        if not golds:
            out.append(f"spurious {pc.cls:<6} {label(i)}: {_spans_text(text, pc.mentions)}")
        elif len(golds) > 1:
            parts = " | ".join(_spans_text(text, gc.mentions) for gc in golds)
            out.append(f"merged   {pc.cls:<6} {label(i)}: {parts}")
    return out


def quote_errors(g: GoldDoc, pred: Sequence[Quote]) -> list[str]:
    """One line per quote error in one article: `missed`, `spurious`, `kind` (gold → predicted)
    and `speaker` (gold → predicted, speech quotes only)."""
    out: list[str] = []
    text = g.text

    def show(s: int, e: int) -> str:
        q = text[s:e].replace("\n", " ")
        return repr(q if len(q) <= 60 else q[:57] + "...")

    # Reported speech without quote marks (`indirect`) is not annotated, so not scored.
    pred = [p for p in pred if p.kind in SCORED_KINDS]
    used: set[int] = set()
    for gq in g.quotes:
        hit = next(
            (
                i
                for i, p in enumerate(pred)
                if i not in used
                and _overlap((p.start, p.end), (gq.start, gq.end)) >= 0.5 * (gq.end - gq.start)
            ),
            None,
        )
        if hit is None:
            out.append(f"missed   {gq.kind:<8} {show(gq.start, gq.end)} ({gq.speaker})")
            continue
        used.add(hit)
        p = pred[hit]
        if p.kind != gq.kind:
            out.append(
                f"kind     {gq.kind} → {p.kind:<8} {show(gq.start, gq.end)} ({gq.speaker} → {p.speaker})"
            )
        elif gq.kind in SPEECH_KINDS and not same_speaker(gq.speaker, p.speaker, gq.speaker_aliases):
            out.append(f"speaker  {gq.kind:<8} {show(gq.start, gq.end)} ({gq.speaker} → {p.speaker})")
    for i, p in enumerate(pred):
        if i not in used:
            out.append(f"spurious {p.kind:<8} {show(p.start, p.end)} ({p.speaker})")
    return out


def error_report(gold_docs: Sequence[GoldDoc], docs: Sequence[Document]) -> list[str]:
    """Every entity and quote error, article by article, then a count per error class."""
    lines: list[str] = []
    tally: Counter[str] = Counter()
    for g, doc in zip(gold_docs, docs, strict=True):
        errs = [f"entity {e}" for e in entity_errors(g, doc.entities)]
        errs += [f"quote  {e}" for e in quote_errors(g, doc.quotes)]
        if errs:
            lines.append(f"== {g.id}")
            lines.extend(f"  {e}" for e in errs)
        tally.update(" ".join(e.split()[:2]) for e in errs)
    lines.append("== error classes")
    lines.extend(f"  {n:>4}  {k}" for k, n in tally.most_common())
    return lines


# ---------------------------------------------------------------- building gold files


def _find_all(text: str, surface: str) -> list[Span]:
    pattern = r"(?<!\w)" + re.escape(surface) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text)]


def _quote_span(text: str, prefix: str, after: int) -> Span:
    """The words between the quote marks that enclose the first `prefix` at or after `after`."""
    close_for = CLOSING_MARK

    def opener(at: int) -> int:
        while at > 0 and text[at - 1] == " ":
            at -= 1
        return at

    at = text.find(prefix, after)
    while at >= 0 and text[opener(at) - 1 : opener(at)] not in close_for:
        at = text.find(prefix, at + 1)  # the prefix also occurs unquoted: take the quoted one
    if at < 0:
        raise InputError(f"quoted text not found: {prefix!r}")
    opening = opener(at)
    mark = close_for[text[opening - 1]]
    end = at + len(prefix)
    # Mixed marks happen (“… closed with a straight ", or "… with ”): take whichever comes first.
    marks = [mark, '"'] if mark == "”" else [mark, "”"] if mark == '"' else [mark]
    while True:
        found = [i for i in (text.find(m, end) for m in marks) if i >= 0]
        if not found:
            raise InputError(f"no closing mark for {prefix!r}")
        nxt = min(found)
        if mark in "’'" and text[nxt + 1 : nxt + 2].isalpha():
            end = nxt + 1
            continue
        inner = text.rfind("“", end, nxt)
        line_start = text.rfind("\n", 0, inner) + 1
        if mark in '"”' and text[nxt] == "”" and inner >= 0 and text[line_start:inner].strip():
            # A curly quote nested in a double-quoted one (“… told women: “You’re …” …”) is
            # part of the outer one: its closing mark closes the nested quote, not ours. (One
            # that opens a paragraph is the quote going on there, a mark ours closes.)
            end = nxt + 1
            continue
        return opening, nxt


def build(annotations: Path, out: Path, articles: Path) -> list[Path]:
    """Turn the hand-written `annotations` file into one gold JSON file per article."""
    written = []
    for block in re.split(r"^== ", annotations.read_text(encoding="utf-8"), flags=re.M)[1:]:
        lines = [ln.rstrip() for ln in block.splitlines()]
        head = lines[0].split()
        art_id = head[0]
        published = head[1] if len(head) > 1 else None
        text = (articles / f"{art_id}.txt").read_text(encoding="utf-8")
        entities: list[dict[str, Any]] = []
        quotes: list[dict[str, Any]] = []
        dates: list[dict[str, Any]] = []
        surfaces: list[tuple[str, int]] = []
        q_after = 0
        date_seen: dict[str, int] = {}
        # "2016" inside an annotated "March 2016" is not another occurrence of "2016".
        date_surfaces = {ln.split("|", 1)[1].strip() for ln in lines[1:] if ln.startswith("D ")}
        longer_dates = [span for s in date_surfaces for span in _find_all(text, s)]
        for line in lines[1:]:
            if not line.strip() or line.startswith("#"):
                continue
            tag, _, rest = line.partition(" ")
            parts = [p.strip() for p in rest.split("|")]
            if tag == "E":
                etype, name, forms = parts
                entities.append(
                    {
                        "name": name,
                        "type": etype,
                        "surfaces": [f.strip() for f in forms.split(";")],
                        "mentions": [],
                    }
                )
                surfaces.extend((f.strip(), len(entities) - 1) for f in forms.split(";"))
            elif tag == "Q":
                speaker, prefix = parts[0], parts[1]
                kind = parts[2] if len(parts) > 2 else "direct"
                s, e = _quote_span(text, prefix, q_after)
                q_after = s + 1
                quotes.append(
                    {
                        "start": s,
                        "end": e,
                        "text": text[s:e],
                        "speaker": None if speaker == "-" else speaker,
                        "kind": kind,
                        "speaker_aliases": [],
                    }
                )
            elif tag == "D":
                value, surface = parts
                start_value, _, end_value = value.partition("/")
                nth = date_seen.get(surface, 0)
                date_seen[surface] = nth + 1
                spans = [
                    sp
                    for sp in _find_all(text, surface)
                    if not any(_overlap(sp, o) and o[1] - o[0] > sp[1] - sp[0] for o in longer_dates)
                ]
                if len(spans) <= nth:
                    raise InputError(f"{art_id}: date {surface!r} occurrence {nth + 1} not found")
                s, e = spans[nth]
                dates.append(
                    {
                        "start": s,
                        "end": e,
                        "text": surface,
                        "value": start_value,
                        "end_value": end_value or None,
                    }
                )
            else:
                raise InputError(f"{art_id}: unknown line {line!r}")
        # Longest surface first, so "Santa Cruz County Sheriff's Office" wins over "Santa Cruz County".
        taken: list[Span] = []
        for surface, idx in sorted(surfaces, key=lambda s: -len(s[0])):
            for span in _find_all(text, surface):
                if not any(_overlap(span, t) for t in taken):
                    taken.append(span)
                    entities[idx]["mentions"].append(
                        {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}
                    )
        for q in quotes:
            # A speaker may be named by any of its surface forms ("US" for "United States").
            q["speaker_aliases"] = next((e["surfaces"] for e in entities if e["name"] == q["speaker"]), [])
        for ent in entities:
            ent["mentions"].sort(key=lambda m: m["start"])
            if not ent["mentions"]:
                raise InputError(f"{art_id}: no mention found for {ent['name']!r}")
        doc = {
            "id": art_id,
            "published": published,
            "entities": entities,
            "quotes": quotes,
            "dates": sorted(dates, key=lambda d: d["start"]),
        }
        path = out / f"{art_id}.json"
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m presslens.analyze.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--gold", type=Path, default=Path("tests/data/gold"), help="folder of gold JSON files"
    )
    parser.add_argument("--articles", type=Path, default=None, help="folder of article texts (default: PTC)")
    parser.add_argument(
        "--build", action="store_true", help="rebuild the gold JSON from GOLD/annotations.txt"
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument(
        "--errors", action="store_true", help="also list every entity and quote error, article by article"
    )
    args = parser.parse_args(argv)
    articles = args.articles or _shared_dir() / "data" / "ptc" / "articles"
    try:
        if args.build:
            paths = build(args.gold / "annotations.txt", args.gold, articles)
            print(f"wrote {len(paths)} gold files to {args.gold}")
            return 0
        gold = load_gold(args.gold, articles)
        docs = run_stages(gold)
        scores = evaluate(gold, docs)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.errors:
        print("\n".join(error_report(gold, docs)))
    if args.json:
        print(json.dumps({k: vars(v) for k, v in scores.items()}, indent=1))
    else:
        print(f"{len(gold)} gold articles")
        for name, score in scores.items():
            print(score.row(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
