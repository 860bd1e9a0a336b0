"""Fuzzing anatomy (`presslens.load(["anatomy"])`, what `presslens extract` runs) with broken
HTML, deep nesting, huge attributes, broken JSON-LD and random text.

Invariant: a valid Document (every span inside `text`, body and boilerplate texts equal to
their slices; plain text kept exactly) or a one-line `PresslensError`; never a hang.
"""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

import presslens
from presslens.document import Document, RawPage
from tests.fuzz.conftest import PROFILES, fuzz
from tests.fuzz.invariants import check_document, outcome
from tests.fuzz.strategies import PIECES, damaged_text, deep_nesting, html_page, markup_tree

EXTRACT = presslens.load(["anatomy"])

html_inputs = st.one_of(html_page(), markup_tree, deep_nesting())
text_inputs = st.one_of(
    st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from(["\n\n", "\n", " ", "\r\n", "-\n"])), max_size=30
    )
    .map(lambda parts: "".join(p + s for p, s in parts))
    .flatmap(damaged_text),
    st.text(max_size=2000),
)


@pytest.mark.parametrize("profile", PROFILES)
def test_html_gives_a_valid_document_or_one_line_error(profile: str) -> None:
    def check(case: tuple[str, str | None]) -> None:
        markup, url = case
        doc = outcome(lambda: EXTRACT(RawPage(source="fuzz.html", kind="html", text=markup, url=url)))
        if isinstance(doc, Document):
            check_document(doc)

    urls = st.sampled_from([None, "https://news.example/2020/01/story.html", "not a url", "http://[::1"])
    fuzz(profile, st.tuples(html_inputs, urls), check, quick=20, full=2500)


@pytest.mark.parametrize("profile", PROFILES)
def test_text_is_kept_exactly_and_spans_hold(profile: str) -> None:
    def check(text: str) -> None:
        doc = outcome(lambda: EXTRACT(RawPage(source="fuzz.txt", kind="text", text=text)))
        if isinstance(doc, Document):
            assert doc.text == text
            check_document(doc)

    fuzz(profile, text_inputs, check, quick=25, full=1500)


@pytest.mark.parametrize("profile", PROFILES)
def test_strings_are_sniffed_and_analysed(profile: str) -> None:
    """`nlp(string)`: the kind is sniffed from the string, as the Python API and the web do."""

    def check(markup_or_text: str) -> None:
        doc = outcome(lambda: EXTRACT(markup_or_text))
        if isinstance(doc, Document):
            check_document(doc)

    fuzz(profile, st.one_of(html_inputs, text_inputs), check, quick=15, full=500)
