"""The document maker: a `RawPage` becomes a `Document` whose `text` every stage annotates.

Plain text (and markdown) is kept verbatim — `text = raw.text` — so offsets index the input
exactly and PTC-style span files round-trip; clean-up happens in views that map back
(`anatomy.markup`, `anatomy.dehyphen`), never in the stored text. HTML goes to the HTML
extractor (`anatomy.html.html_to_document`), which lays the page out as blank-line separated
blocks (header, body, the rest) and fills `html_blocks`, `body` and HTML metadata.

>>> doc = make_document(RawPage(source="demo", kind="text", text="Title\\n\\nBody.", url="https://ex.org/a"))
>>> (doc.text, doc.input_kind, doc.metadata.url, doc.raw is not None)
('Title\\n\\nBody.', 'text', 'https://ex.org/a', True)
"""

from __future__ import annotations

from collections.abc import Callable

from presslens.document import Document, Provenance, RawPage
from presslens.pipeline import MAKER, MAKER_ASSIGNS, register_stage


def make_document(raw: RawPage) -> Document:
    """Make the `Document` for one page; the raw page stays attached (`doc.raw`)."""
    if raw.kind == "html":
        # Imported here: the HTML extractor pulls in lxml/trafilatura, which text input never needs.
        from presslens.anatomy.html import html_to_document

        doc = html_to_document(raw)
        doc.source = raw.source
        doc.input_kind = "html"
    else:
        doc = Document(source=raw.source, text=raw.text, input_kind="text")
    if raw.url and not doc.metadata.url:
        doc.metadata.url = raw.url
        doc.metadata.provenance.setdefault("url", Provenance(method="record:url"))
    return doc.attach_raw(raw)


@register_stage(MAKER, assigns=MAKER_ASSIGNS)
def document_maker() -> Callable[[RawPage], Document]:
    """The pipeline's document maker (registered as `"document"`): `make_document` itself."""
    return make_document
