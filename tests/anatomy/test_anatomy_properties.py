"""Property tests: whatever text arrives, anatomy never raises and every span it reports is
inside the text, indexes it exactly, and no wrapper segment overlaps the body."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presslens.anatomy.dehyphen import dehyphenate
from presslens.anatomy.markup import clean
from presslens.anatomy.paragraphs import split_paragraphs
from presslens.document import Document, RawPage
from presslens.pipeline import Pipeline

NLP = Pipeline.from_names(["anatomy"])

# Pieces of real pages, so random documents hit the rules, not only random characters.
PIECES = [
    "By [South Front](#)",
    "Global Research, January 07, 2020",
    "Region: [Middle East](#), [Asia](#)",
    "The talks resumed on Monday after a week of delays, officials said.",
    "PayPal: someone@example.org or via: <http://example.org/donate/>",
    "Copyright © Example, 2020",
    "Syrian-Iranian-",
    "Russian forces moved.",
    "*",
    "**bold** _em_ [link](http://x.org/a_b)",
    "Subscribe to our newsletter",
    "Related articles",
    "https://example.org/v.mp4",
    "Source: Reuters",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "For media inquiries: press@example.org",
    "# Heading",
    "Publié le 7 janvier 2020",
    "according to the Financial Times.",
    "© 2024",
    "[](",
    "<http://",
    "",
]
SEPARATORS = ["\n\n", "\n", " ", "\r\n\r\n", "\n \n", "-\n\n"]

page_text = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=25).map(
    lambda parts: "".join(p + s for p, s in parts)
)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
texts = st.one_of(page_text, any_text, st.text(alphabet="ab -*_[]()<>#:@.\n©/", max_size=300))


def check_spans(doc: Document) -> None:
    n = len(doc.text)
    if doc.body is not None:
        assert 0 <= doc.body.start <= doc.body.end <= n
        assert doc.text[doc.body.start : doc.body.end] == doc.body.text
    for seg in doc.boilerplate:
        assert 0 <= seg.start <= seg.end <= n
        assert doc.text[seg.start : seg.end] == seg.text
        if doc.body is not None:
            assert seg.end <= doc.body.start or seg.start >= doc.body.end
    md = doc.metadata
    for item in [*md.tags, *md.media, *md.funding, *md.contacts, *md.links, *md.republication_chain]:
        if item.start is not None and item.end is not None:
            assert 0 <= item.start <= item.end <= n
    for tag in md.tags:
        assert doc.text[tag.start : tag.end] == tag.value  # type: ignore[index]
    for prov in md.provenance.values():
        if prov.start is not None and prov.end is not None:
            assert 0 <= prov.start <= prov.end <= n


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_anatomy_never_raises_and_spans_hold(text: str) -> None:
    doc = NLP(RawPage(source="fuzz", kind="text", text=text))
    assert doc.text == text
    check_spans(doc)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_components_keep_offsets(text: str) -> None:
    for p in split_paragraphs(text):
        assert text[p.start : p.end] == p.text
    d = dehyphenate(text)
    assert len(d.offsets) == len(d.text)
    assert all(text[o] == c for o, c in zip(d.offsets, d.text, strict=True))
    v = clean(text, 7)
    assert all(text[o - 7] == c for o, c in zip(v.offsets, v.text, strict=True))
    for lk in v.links:
        assert 7 <= lk.start <= lk.end <= len(text) + 7
