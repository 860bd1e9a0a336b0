"""The `anatomy` pipeline stage: body vs wrapper, wrapper kinds, and page metadata.

Data flow: runs first, on the `Document` that `anatomy.text.make_document` made (plain text
verbatim, or the HTML extractor's text with `body` and HTML metadata already set). It composes
the one-job components of this package:

- `paragraphs` (split with offsets) and `dehyphen` (split words do not end paragraphs),
- `boilerplate` (wrapper kinds by cue score), `header` (byline/dateline/tag lines) and
  `layout` (roles and the body finder), which together give `doc.body` and `doc.boilerplate`,
- `facts` (title, authors, publisher, dates, credits, tags, media, funding, contacts, links,
  language), merged into `doc.metadata` without overwriting what HTML gave.

>>> from presslens.pipeline import Pipeline
>>> from presslens.document import RawPage
>>> doc = Pipeline.from_names(["anatomy"])(RawPage(source="demo", kind="text",
...     text="A Title\\n\\nBy Jane Doe\\n\\n"
...          "The council voted on Tuesday to close the old bridge for repairs.\\n\\n"
...          "Copyright © 2024 Town Crier. All rights reserved."))
>>> doc.metadata.title, doc.metadata.authors, doc.body.text[:11], [b.kind for b in doc.boilerplate]
('A Title', ['Jane Doe'], 'The council', ['copyright'])
"""

from __future__ import annotations

from presslens.anatomy.facts import merge, text_metadata
from presslens.anatomy.language import warm_up
from presslens.anatomy.layout import build_layout
from presslens.document import Body, BoilerplateSegment, Document
from presslens.pipeline import register_stage


@register_stage("anatomy")
class Anatomy:
    """Sets `doc.body` (keeping an HTML-provided one), `doc.boilerplate` and `doc.metadata`."""

    name = "anatomy"

    def __init__(self) -> None:
        # The language model takes about a second to load; start now, while input is read.
        warm_up()

    def __call__(self, doc: Document) -> Document:
        given = (doc.body.start, doc.body.end) if doc.body is not None else None
        layout = build_layout(doc.text, given, html=doc.input_kind == "html")
        if doc.body is None and layout.body is not None:
            s, e = layout.body
            doc.body = Body(start=s, end=e, text=doc.text[s:e])
        doc.boilerplate = [
            BoilerplateSegment(kind=w.kind, start=w.start, end=w.end, text=doc.text[w.start : w.end])
            for w in layout.wrapper
        ]
        found = text_metadata(layout, doc.raw, doc.metadata)
        doc.metadata = merge(doc.metadata, found)
        return doc
