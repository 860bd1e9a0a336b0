"""Render a Document in the terminal with rich: metadata card, highlighted body, wrapper parts.

Like the HTML report, everything comes from the `Document`; technique spans are coloured
and followed by a bracketed tag (e.g. `[LL]`) so they read in a monochrome terminal too.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from presslens.document import Document
from presslens.report.segments import runs
from presslens.report.style import TECHNIQUE_COLOURS, TECHNIQUE_TAGS, technique_label


def metadata_card(doc: Document) -> Panel:
    md = doc.metadata
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()

    def row(label: str, value: str | None) -> None:
        if value:
            grid.add_row(label, value)

    row("Authors", ", ".join(md.authors))
    row("Publisher", md.publisher)
    row("Published", md.published)
    if md.original_source:
        src = md.original_source
        row("Original source", ", ".join(x for x in (src.name, src.url, src.published) if x))
    row("Language", md.language)
    row("URL", md.url)
    for tag in md.tags:
        row(tag.kind.capitalize(), tag.value)
    for m in md.media:
        row(f"Media ({m.kind})", m.url)
    for f in md.funding:
        row(f"Funding ({f.channel})", f.value)
    for c in md.contacts:
        row(f"Contact ({c.kind})", c.value + (f" — {c.role}" if c.role else ""))
    row("Source", doc.source)
    return Panel(grid, title=Text(md.title or doc.source, style="bold"), border_style="cyan")


def highlighted_body(doc: Document) -> Text:
    start, end = doc.body_range
    out = Text()
    for run in runs(doc.text, start, end, doc.techniques):
        span = run.primary
        if span is None:
            out.append(run.text)
            continue
        out.append(run.text, style=f"black on {TECHNIQUE_COLOURS.get(span.technique, 'yellow')}")
        # Tag a span once, at its end, so nested spans don't repeat tags on every run.
        for s in run.spans:
            if s.end == run.end:
                out.append(f"[{TECHNIQUE_TAGS.get(s.technique, '?')}]", style="bold dim")
    return out


def technique_legend(doc: Document) -> Table | None:
    counts = Counter(s.technique for s in doc.techniques)
    if not counts:
        return None
    table = Table(title="Persuasion techniques", show_edge=False)
    table.add_column("Tag")
    table.add_column("Technique")
    table.add_column("Spans", justify="right")
    table.add_column("Example (evidence)")
    for name, n in counts.most_common():
        # the surest span of the technique, cut at a word, not the first one cut mid-word
        example = max((s for s in doc.techniques if s.technique == name), key=lambda s: s.score)
        shown = "‘" + textwrap.shorten(example.text, 60, placeholder=" …") + "’"
        table.add_row(
            Text(TECHNIQUE_TAGS.get(name, "?"), style=f"black on {TECHNIQUE_COLOURS.get(name, 'yellow')}"),
            technique_label(name),
            str(n),
            shown + (f" — {example.evidence}" if example.evidence else ""),
        )
    return table


def wrapper_table(doc: Document) -> Table | None:
    if not doc.boilerplate:
        return None
    table = Table(title="Wrapper (not part of the article)", show_edge=False, style="dim")
    table.add_column("Kind", style="bold")
    table.add_column("Text")
    for part in doc.boilerplate:
        text = " ".join(part.text.split())
        table.add_row(part.kind, text if len(text) <= 160 else text[:157] + "…")
    return table


def analysis_tables(doc: Document) -> list[Table]:
    tables: list[Table] = []
    if doc.entities:
        t = Table(title="Entities", show_edge=False)
        for col in ("Name", "Type", "Mentions", "Aliases"):
            t.add_column(col)
        for e in sorted(doc.entities, key=lambda e: -len(e.mentions))[:25]:
            t.add_row(e.name, e.type, str(len(e.mentions)), ", ".join(e.aliases[:5]))
        tables.append(t)
    if doc.quotes:
        t = Table(title="Quotes", show_edge=False)
        for col in ("Quote", "Speaker", "Kind"):
            t.add_column(col)
        for q in doc.quotes:
            # Scare quotes and titles are nobody's speech: no speaker to be unknown.
            speaker = q.speaker or ("—" if q.kind in {"scare", "title"} else "unknown")
            t.add_row(f"“{q.text}”", speaker, q.kind)
        tables.append(t)
    if doc.claims:
        t = Table(title="Check-worthy claims", show_edge=False)
        for col in ("Claim", "Kind", "Score"):
            t.add_column(col)
        for c in sorted(doc.claims, key=lambda c: -c.score)[:15]:
            t.add_row(c.text, c.kind, f"{c.score:.2f}")
        tables.append(t)
    if doc.timeline:
        t = Table(title="Timeline", show_edge=False)
        t.add_column("Date", style="bold")
        t.add_column("Event")
        for ev in doc.timeline:
            t.add_row(ev.date + (f" – {ev.end_date}" if ev.end_date else ""), ev.event or ev.text)
        tables.append(t)
    return tables


def render(doc: Document) -> RenderableType:
    parts: list[RenderableType] = [metadata_card(doc)]
    for warning in doc.warnings:
        parts.append(Text(f"warning: {warning}", style="bold yellow"))
    legend = technique_legend(doc)
    if legend is not None:
        parts.append(legend)
    parts.append(Panel(highlighted_body(doc), title="Article", border_style="green"))
    wrapper = wrapper_table(doc)
    if wrapper is not None:
        parts.append(wrapper)
    parts.extend(analysis_tables(doc))
    return Group(*parts)


def print_document(doc: Document, console: Console | None = None) -> None:
    (console or Console()).print(render(doc))
