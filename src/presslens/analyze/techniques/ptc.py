"""Readers and writers for the Propaganda Techniques Corpus (PTC, SemEval-2020 Task 11) format.

Where it sits: the technique models' training (`presslens.train.span_tagger`,
`presslens.train.span_classifier`), its scorers and the `presslens techniques classify` /
`presslens eval techniques` commands all read the corpus
through this module, so offsets mean one thing everywhere: Python `str` character offsets into
the article file read as UTF-8 with newlines kept (no newline translation), exactly as PTC.

Layout of a corpus directory::

    articles/article<ID>.txt
    labels-si/article<ID>.task1-SI.labels     ID<TAB>start<TAB>end
    labels-tc/article<ID>.task2-TC.labels     ID<TAB>technique<TAB>start<TAB>end

>>> span = GoldSpan("1", "Doubt", 3, 9)
>>> format_tc_line(span)
'1\\tDoubt\\t3\\t9'
>>> parse_tc_line("1\\tDoubt\\t3\\t9")
GoldSpan(article_id='1', technique='Doubt', start=3, end=9)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from presslens.errors import InputError
from presslens.vocab import TECHNIQUES

_ARTICLE_RE = re.compile(r"^article(?P<id>[^.]+)\.txt$")
UNKNOWN = "?"


@dataclass(frozen=True, order=True)
class GoldSpan:
    """One labelled (or, with technique "?", unlabelled) span of one article."""

    article_id: str
    technique: str
    start: int
    end: int


@dataclass
class Article:
    """An article's text, as read, with its labelled spans."""

    article_id: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)


def read_text(path: Path) -> str:
    """Read a file as UTF-8 keeping every newline as is, so PTC offsets index it exactly."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def read_articles(articles_dir: Path) -> dict[str, str]:
    """Map article id -> text for every `article<ID>.txt` in a directory."""
    if not articles_dir.is_dir():
        raise InputError(f"articles directory not found: {articles_dir}")
    out: dict[str, str] = {}
    for path in sorted(articles_dir.iterdir()):
        m = _ARTICLE_RE.match(path.name)
        if m:
            out[m.group("id")] = read_text(path)
    if not out:
        raise InputError(f"no article<ID>.txt files in {articles_dir}")
    return out


def parse_tc_line(line: str, *, where: str = "<line>") -> GoldSpan:
    """Parse `ID<TAB>technique<TAB>start<TAB>end` (technique may be "?", as in templates)."""
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) != 4:
        raise InputError(f"{where}: expected ID<TAB>technique<TAB>start<TAB>end, got {line.strip()!r}")
    aid, tech, s, e = parts
    try:
        start, end = int(s), int(e)
    except ValueError:
        raise InputError(f"{where}: offsets must be integers, got {s!r} {e!r}") from None
    if start < 0 or end < start:
        raise InputError(f"{where}: bad span {start}-{end}")
    if tech != UNKNOWN and tech not in TECHNIQUES:
        raise InputError(f"{where}: unknown technique {tech!r}")
    return GoldSpan(aid, tech, start, end)


def parse_si_line(line: str, *, where: str = "<line>") -> GoldSpan:
    """Parse `ID<TAB>start<TAB>end` (an SI label line); the technique is "?"."""
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) != 3:
        raise InputError(f"{where}: expected ID<TAB>start<TAB>end, got {line.strip()!r}")
    try:
        start, end = int(parts[1]), int(parts[2])
    except ValueError:
        raise InputError(f"{where}: offsets must be integers") from None
    if start < 0 or end < start:
        raise InputError(f"{where}: bad span {start}-{end}")
    return GoldSpan(parts[0], UNKNOWN, start, end)


def read_tc_file(path: Path) -> list[GoldSpan]:
    """Read a TC label or template file (one span per non-empty line)."""
    text = read_text(path)
    return [
        parse_tc_line(line, where=f"{path.name}:{i}")
        for i, line in enumerate(text.splitlines(), 1)
        if line.strip()
    ]


def read_si_file(path: Path) -> list[GoldSpan]:
    text = read_text(path)
    return [
        parse_si_line(line, where=f"{path.name}:{i}")
        for i, line in enumerate(text.splitlines(), 1)
        if line.strip()
    ]


def format_tc_line(span: GoldSpan) -> str:
    return f"{span.article_id}\t{span.technique}\t{span.start}\t{span.end}"


def format_si_line(span: GoldSpan) -> str:
    return f"{span.article_id}\t{span.start}\t{span.end}"


def write_tc_file(path: Path, spans: Iterable[GoldSpan]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for span in spans:
            fh.write(format_tc_line(span) + "\n")


def check_spans(spans: Iterable[GoldSpan], texts: dict[str, str]) -> None:
    """Raise `InputError` for a span of an unknown article or one past the article's end."""
    for span in spans:
        text = texts.get(span.article_id)
        if text is None:
            raise InputError(f"span {span.article_id}:{span.start}-{span.end} names an unknown article id")
        if span.end > len(text):
            raise InputError(
                f"span {span.article_id}:{span.start}-{span.end} is past the article's end "
                f"({len(text)} chars)"
            )


def read_corpus(data_dir: Path) -> list[Article]:
    """Read a PTC directory: articles with their TC labels (missing label files mean no spans)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(f"PTC data directory not found: {data_dir}")
    texts = read_articles(data_dir / "articles")
    tc_dir = data_dir / "labels-tc"
    if not tc_dir.is_dir():
        raise InputError(f"no labels-tc/ directory in {data_dir}")
    articles = []
    for aid, text in texts.items():
        label_path = tc_dir / f"article{aid}.task2-TC.labels"
        spans = sorted(read_tc_file(label_path)) if label_path.exists() else []
        check_spans(spans, {aid: text})
        articles.append(Article(aid, text, spans))
    return articles


def iter_spans(articles: Iterable[Article]) -> Iterator[GoldSpan]:
    for art in articles:
        yield from art.spans


def read_spans_only(data_dir: Path) -> list[Article]:
    """Read a spans-only PTC folder (`articles/`, `spans.tsv` of `ID<TAB>?<TAB>start<TAB>end`):
    articles whose spans are all gold propaganda spans with technique "?" — data for span
    identification only, never for technique classification."""
    data_dir = Path(data_dir)
    texts = read_articles(data_dir / "articles")
    spans = read_tc_file(data_dir / "spans.tsv")
    check_spans(spans, texts)
    by_article: dict[str, list[GoldSpan]] = {aid: [] for aid in texts}
    for span in spans:
        by_article[span.article_id].append(span)
    return [Article(aid, texts[aid], sorted(by_article[aid])) for aid in texts]
