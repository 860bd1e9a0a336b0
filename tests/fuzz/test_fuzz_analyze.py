"""Fuzzing the whole analyze pipeline (`presslens.load()`: anatomy, techniques, parse, entities,
quotes, claims, timeline) on short inputs: broken HTML, random text and pieces of news pages.

Invariant: a valid Document (every span of every stage inside `text` and equal to its slice) or
a one-line `PresslensError`; never another exception, never a hang.
"""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

import presslens
from presslens.document import Document, InputKind, RawPage
from presslens.pipeline import Pipeline
from tests.fuzz.conftest import PROFILES, fuzz
from tests.fuzz.invariants import check_document, outcome
from tests.fuzz.strategies import PIECES, damaged_text, markup_tree

_NLP: list[Pipeline] = []


def nlp() -> Pipeline:
    """Built on first use (models load once), so collecting the suite stays cheap."""
    if not _NLP:
        _NLP.append(presslens.load())
    return _NLP[0]


news_text = (
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(PIECES), st.text(max_size=40)),
            st.sampled_from(["\n\n", "\n", " ", ". ", "\u201d ", "-\n"]),
        ),
        max_size=15,
    )
    .map(lambda parts: "".join(p + s for p, s in parts))
    .flatmap(damaged_text)
)
short_html = st.lists(markup_tree, min_size=1, max_size=4).map(lambda parts: "<html><body>" + "".join(parts))


@pytest.mark.parametrize("profile", PROFILES)
def test_full_pipeline_gives_a_valid_document_or_one_line_error(profile: str) -> None:
    pipeline = nlp()

    def check(case: tuple[InputKind, str]) -> None:
        kind, content = case
        page = RawPage(source=f"fuzz.{kind}", kind=kind, text=content)
        doc = outcome(lambda: pipeline(page))
        if isinstance(doc, Document):
            assert doc.stages == pipeline.names
            if kind == "text":
                assert doc.text == content
            check_document(doc)

    cases = st.one_of(
        st.tuples(st.just("text"), st.one_of(news_text, st.text(max_size=400))),
        st.tuples(st.just("html"), short_html),
    )
    fuzz(profile, cases, check, quick=12, full=800)
