"""The anatomy stages — `body`, `metadata`, `wrapper` — and the group `anatomy` that runs them.

Data flow: after the document maker (`anatomy.text`: plain text verbatim, HTML parsed once and
laid out with its parsed page in `doc.user_data`), each stage does one job, once:

- `body`: body vs the rest. Lays out every paragraph's role (`anatomy.layout`: wrapper kind,
  header line, prose) and picks the body; keeps that `Layout` in `doc.user_data[LAYOUT_KEY]`.
- `metadata`: title, authors, publisher, dates, credits and republication chain, tags, media,
  links, language. The HTML markup is read once (`htmlfields`, `htmllinks`: JSON-LD, meta
  tags, visible markup), the text once (`facts`: bylines, datelines, credit lines); the
  markup's values win, the text fills the gaps (`facts.merge`).
- `wrapper`: the boilerplate segments by kind, funding channels and contacts.

>>> from presslens.pipeline import Pipeline
>>> doc = Pipeline.from_names(["anatomy"])(RawPage(source="demo", kind="text",
...     text="A Title\\n\\nBy Jane Doe\\n\\n"
...          "The council voted on Tuesday to close the old bridge for repairs.\\n\\n"
...          "Copyright © 2024 Town Crier. All rights reserved."))
>>> doc.metadata.title, doc.metadata.authors, doc.body.text[:11], [b.kind for b in doc.boilerplate]
('A Title', ['Jane Doe'], 'The council', ['copyright'])
"""

from __future__ import annotations

from presslens.anatomy.facts import merge, text_metadata
from presslens.anatomy.htmlpage import HTML_KEY, HtmlPage
from presslens.anatomy.language import warm_up
from presslens.anatomy.layout import LAYOUT_KEY, Article, Layout, build_layout
from presslens.anatomy.wrapper import page_contacts, page_funding
from presslens.document import Body, BoilerplateSegment, Document, Metadata, Provenance, RawPage
from presslens.pipeline import register_group, register_stage

LAYOUT_DATA = f"user_data.{LAYOUT_KEY}"  # how requires/assigns name the layout


@register_stage("body", requires=("text",), assigns=("body", LAYOUT_DATA))
class BodyFinder:
    """Sets `doc.body` (keeping one given upstream) and the document's `Layout`.

    For HTML the maker laid the article's blocks out in one piece; the body is that stretch
    minus the header lines (byline, dateline, tag lines, headline) at its top. For text it is
    the longest run of prose paragraphs that are neither wrapper nor header lines.
    """

    name = "body"

    def __call__(self, doc: Document) -> Document:
        page = doc.user_data.get(HTML_KEY)
        article = None
        if isinstance(page, HtmlPage) and page.article is not None:
            headings = [(b.start, b.tag) for b in doc.html_blocks if b.tag in ("h1", "h2")]
            article = Article(
                *page.article,
                headings=frozenset(start for start, _ in headings),
                headlines=frozenset(start for start, tag in headings if tag == "h1"),
                titles=page.titles,
            )
        given = (doc.body.start, doc.body.end) if doc.body is not None else None
        layout = build_layout(doc.text, article, given)
        doc.user_data[LAYOUT_KEY] = layout
        if doc.body is None and layout.body is not None:
            s, e = layout.body
            doc.body = Body(start=s, end=e, text=doc.text[s:e])
        return doc


@register_stage("metadata", requires=("body", LAYOUT_DATA), assigns=("metadata",))
class MetadataReader:
    """Fills `doc.metadata`: what a Document came with wins, then the HTML markup, then the text."""

    name = "metadata"

    def __init__(self) -> None:
        # The language model takes about a second to load; start now, while input is read.
        warm_up()

    def __call__(self, doc: Document) -> Document:
        layout: Layout = doc.user_data[LAYOUT_KEY]
        page = doc.user_data.get(HTML_KEY)
        prior = doc.metadata
        if isinstance(page, HtmlPage) and doc.raw is not None:
            markup = _html_metadata(page, doc.raw, layout)
            prior = merge(prior, markup) if prior != Metadata() else markup
        elif doc.raw is not None and doc.raw.url and prior.url is None:
            prior = prior.model_copy(
                update={
                    "url": doc.raw.url,
                    "provenance": {**prior.provenance, "url": Provenance(method="record:url")},
                }
            )
        # A language the record or the markup states wins in `merge`: no need to detect it.
        found = text_metadata(layout, doc.raw, prior.canonical_url, with_language=prior.language is None)
        doc.metadata = merge(prior, found)
        return doc


def _html_metadata(page: HtmlPage, raw: RawPage, layout: Layout) -> Metadata:
    """Every field the markup states, each with the element it came from."""
    # Imported here: trafilatura's and htmldate's metadata lists, which text never needs.
    from presslens.anatomy.htmlcontext import MarkupContext
    from presslens.anatomy.htmlfields import (
        base_url,
        read_authors,
        read_canonical,
        read_language,
        read_published,
        read_publisher,
        read_title,
        read_updated,
        read_url,
    )
    from presslens.anatomy.htmllinks import read_links, read_media, read_tags

    # The article's blocks, headline and byline included: what sits around and inside them
    # (a lead image under the headline, links in the story) belongs to the article.
    span = page.article or layout.body
    ctx = MarkupContext(page, raw, tuple(page.blocks_within(*span)) if span else ())
    url, canonical, title = read_url(ctx), read_canonical(ctx), read_title(ctx)
    base = base_url(ctx, url.value if url else canonical.value if canonical else None)
    fields = {
        "url": url,
        "canonical_url": canonical,
        "title": title,
        "authors": read_authors(ctx),
        "publisher": read_publisher(ctx, title.value if title else None),
        "published": read_published(ctx),
        "updated": read_updated(ctx),
        "language": read_language(ctx),
        "links": read_links(ctx, base),
        "media": read_media(ctx, base),
        "tags": read_tags(ctx),
    }
    found = {name: f for name, f in fields.items() if f is not None}
    return Metadata.model_validate(
        {
            **{name: f.value for name, f in found.items()},
            "provenance": {name: f.provenance for name, f in found.items()},
        }
    )


@register_stage(
    "wrapper",
    requires=("body", "metadata", LAYOUT_DATA),
    assigns=("boilerplate", "metadata.funding", "metadata.contacts"),
)
class WrapperReader:
    """Sets `doc.boilerplate` (wrapper segments by kind) and the funding and contacts the
    wrapper gives."""

    name = "wrapper"

    def __call__(self, doc: Document) -> Document:
        layout: Layout = doc.user_data[LAYOUT_KEY]
        doc.boilerplate = [
            BoilerplateSegment(kind=w.kind, start=w.start, end=w.end, text=doc.text[w.start : w.end])
            for w in layout.wrapper
        ]
        funding = page_funding(doc.text, doc.metadata.links, doc.raw)
        contacts = page_contacts(layout, funding)
        provenance = dict(doc.metadata.provenance)
        if funding:
            provenance["funding"] = Provenance(
                start=funding[0].start, end=funding[0].end, method="funding-patterns"
            )
        if contacts:
            provenance["contacts"] = Provenance(
                start=contacts[0].start, end=contacts[0].end, method="contact-patterns"
            )
        doc.metadata = doc.metadata.model_copy(
            update={"funding": funding, "contacts": contacts, "provenance": provenance}
        )
        return doc


register_group("anatomy", ("body", "metadata", "wrapper"))
