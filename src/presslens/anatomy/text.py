"""The document maker: a `RawPage` becomes a `Document` whose `text` every stage annotates.

Where it sits: the pipeline calls it (registered as `"document"`) before the stages and times
it like one. Plain text (and markdown) is kept verbatim — `text = raw.text` — so offsets index
the input exactly and PTC-style span files round-trip; clean-up happens in views that map back
(`anatomy.markup`, `anatomy.dehyphen`), never in the stored text. HTML is parsed once and laid
out as blank-line separated blocks, the article's in one piece (`anatomy.htmlpage`); the parsed
page stays in `doc.user_data` for the anatomy stages.

>>> doc = DocumentMaker()(RawPage(source="demo", kind="text", text="Title\\n\\nBody."))
>>> (doc.text, doc.input_kind, doc.raw is not None)
('Title\\n\\nBody.', 'text', True)
"""

from __future__ import annotations

from presslens.document import Document, RawPage
from presslens.pipeline import MAKER, MAKER_ASSIGNS, register_stage


@register_stage(
    MAKER,
    assigns=MAKER_ASSIGNS,
    default_config={"max_trafilatura_chars": 3_000_000, "max_trafilatura_depth": 256},
)
class DocumentMaker:
    """Makes the `Document` of one page; the raw page stays attached (`doc.raw`).

    Config: `max_trafilatura_chars` — HTML pages with more markup than this skip trafilatura
    when their article is looked for (a density rule decides), so a 30 MB page costs one parse;
    `max_trafilatura_depth` — so do pages whose elements nest deeper than this (hostile nesting
    makes trafilatura's passes quadratic).
    """

    name = MAKER

    def __init__(self, max_trafilatura_chars: int = 3_000_000, max_trafilatura_depth: int = 256) -> None:
        self.max_trafilatura_chars = max_trafilatura_chars
        self.max_trafilatura_depth = max_trafilatura_depth

    def __call__(self, raw: RawPage) -> Document:
        if raw.kind == "html":
            # Imported here: the HTML side pulls in lxml and trafilatura, which text never needs.
            from presslens.anatomy.article import ArticleFinder
            from presslens.anatomy.htmlpage import make_html_document

            doc = make_html_document(
                raw, ArticleFinder(self.max_trafilatura_chars, self.max_trafilatura_depth)
            )
        else:
            doc = Document(source=raw.source, text=raw.text, input_kind="text")
        return doc.attach_raw(raw)
