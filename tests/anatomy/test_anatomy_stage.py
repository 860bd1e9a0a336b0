"""The anatomy stages as a user runs them: `Pipeline.from_names(["anatomy"])` on a `RawPage`."""

from __future__ import annotations

import pytest

from presslens.anatomy.htmlpage import HTML_KEY
from presslens.anatomy.layout import LAYOUT_KEY
from presslens.document import Body, Document, Metadata, RawPage, Tag
from presslens.pipeline import Pipeline, create_stage, stage_spec


def run(text: str, **raw: str) -> Document:
    return Pipeline.from_names(["anatomy"])(RawPage(source="t.txt", kind="text", text=text, **raw))


def test_text_input_is_kept_verbatim_with_crlf_and_odd_spacing() -> None:
    text = "\ufeffTitle line\r\n\r\n  Body text that is long enough to be prose, and it ends well.  \r\n"
    doc = run(text, url="https://example.org/story")
    assert doc.text == text
    assert doc.raw is not None and doc.raw.text == text
    assert doc.metadata.url == "https://example.org/story"
    assert (
        doc.body is not None
        and doc.body.text == "Body text that is long enough to be prose, and it ends well."
    )


def test_empty_and_markup_only_pages_give_no_body() -> None:
    for text in ("", "\n\n", "*\n\n---\n\n*"):
        doc = run(text)
        assert doc.body is None and doc.boilerplate == []


def test_record_fields_fill_what_the_page_does_not_say() -> None:
    doc = run(
        "Some headline here\n\nA paragraph of the story that says enough to count as prose here.",
        outlet="Example Times",
        published="2021-05-06T10:00:00Z",
    )
    assert doc.metadata.publisher == "Example Times"
    assert doc.metadata.published == "2021-05-06"
    assert doc.metadata.provenance["publisher"].method == "record:outlet"


def test_html_body_and_metadata_are_kept_and_completed() -> None:
    text = (
        "Headline\n\nThe story itself, told in a sentence that is long enough to be prose.\n\n"
        "Support us on Patreon: https://www.patreon.com/example\n\n© 2024 Example Media. All rights reserved."
    )
    s = text.index("The story")
    e = text.index("prose.") + len("prose.")
    doc = Document(
        source="x.html",
        text=text,
        input_kind="html",
        body=Body(start=s, end=e, text=text[s:e]),
        metadata=Metadata(title="Headline from og:title", tags=[Tag(kind="keyword", value="x")]),
    )
    doc = Pipeline.from_names(["anatomy"])(doc)
    assert (doc.body.start, doc.body.end) == (s, e)  # type: ignore[union-attr]
    assert doc.metadata.title == "Headline from og:title"  # HTML wins
    assert doc.metadata.publisher == "Example Media"  # text fills the gap
    assert [f.channel for f in doc.metadata.funding] == ["patreon"]
    assert [b.kind for b in doc.boilerplate] == ["donation_appeal", "copyright"]
    assert [t.value for t in doc.metadata.tags] == ["x"]


def test_html_pages_go_through_the_html_extractor() -> None:
    html = (
        "<html><head><title>Ferry strike</title></head><body><nav><a href='/'>Home</a> | "
        "<a href='/w'>World</a> | <a href='/b'>Business</a></nav>"
        "<article><h1>Why the Ferry Strike Matters</h1>"
        "<p>The ferry workers walked out at dawn on Tuesday, and by noon the queue of lorries at the port "
        "stretched back past the roundabout. It is the first stoppage on the route in eleven years.</p>"
        "<p>Their complaint is simple: crews now work fourteen-day rotations with fewer rest hours than "
        "competitors. The company says the rota is legal and necessary.</p></article>"
        "<div><p>If you value this blog, buy me a coffee at <a href='https://ko-fi.com/tomhale'>Ko-fi</a>. "
        "Donations keep it going.</p></div><footer><p>© 2022 Harbour Notes. All rights reserved.</p></footer>"
        "</body></html>"
    )
    raw = RawPage(source="ferry.html", kind="html", text=html, url="https://harbournotes.blog/ferry")
    assert create_stage("document")(raw).input_kind == "html"
    doc = Pipeline.from_names(["anatomy"])(raw)
    assert doc.body is not None and doc.body.text.startswith("The ferry workers walked out")
    assert "Ko-fi" not in doc.body.text
    assert {"donation_appeal", "copyright"} <= {b.kind for b in doc.boilerplate}
    assert ("ko-fi", "https://ko-fi.com/tomhale") in {(f.channel, f.value) for f in doc.metadata.funding}
    assert doc.metadata.url == "https://harbournotes.blog/ferry"


def test_anatomy_is_three_stages_each_run_once_on_one_parse() -> None:
    raw = RawPage(
        source="p.html",
        kind="html",
        text="<html><head><title>Bridge closes | Town Crier</title></head><body><article>"
        "<h1>Bridge closes</h1><p>By Jane Doe</p>"
        "<p>The council voted on Tuesday to close the old bridge for repairs, and the work starts soon.</p>"
        "</article><footer><p>Copyright © 2024 Town Crier. All rights reserved.</p></footer></body></html>",
    )
    nlp = Pipeline.from_names(["anatomy"])
    assert nlp.names == ["body", "metadata", "wrapper"]
    doc = nlp(raw)
    assert all(nlp.stats[name].documents == 1 for name in ("document", "body", "metadata", "wrapper"))
    # the parse and the layout are made once and shared through user_data, never serialised
    page, layout = doc.user_data[HTML_KEY], doc.user_data[LAYOUT_KEY]
    assert layout.body == (doc.body.start, doc.body.end)  # type: ignore[union-attr]
    assert page.article is not None and "user_data" not in doc.to_json()
    assert doc.body is not None and doc.body.text.startswith("The council voted")
    assert doc.metadata.title == "Bridge closes" and doc.metadata.authors == ["Jane Doe"]
    assert [b.kind for b in doc.boilerplate] == ["copyright"]
    assert stage_spec("body").assigns == ("body", "user_data.anatomy.layout")
    assert stage_spec("wrapper").requires == ("body", "metadata", "user_data.anatomy.layout")


def test_a_stage_can_be_dropped() -> None:
    doc = Pipeline.from_names(["anatomy"], exclude=["wrapper"])(
        RawPage(
            source="t.txt", kind="text", text="Title\n\nThe council voted on Tuesday to close the bridge."
        )
    )
    assert doc.body is not None and doc.boilerplate == [] and doc.metadata.funding == []


def test_a_declared_language_is_kept_without_detecting_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import presslens.anatomy.facts as facts

    story = "<p>" + "Le gouvernement a annoncé mardi une nouvelle réforme des retraites. " * 4 + "</p>"
    nlp = Pipeline.from_names(["anatomy"])

    def page(lang: str) -> RawPage:
        return RawPage(
            source="p.html", kind="html", text=f"<html{lang}><body><h1>Titre</h1>{story}</body></html>"
        )

    undeclared = nlp(page(""))
    assert undeclared.metadata.language == "fr"
    assert undeclared.metadata.provenance["language"].method == "py3langid:body"

    def never(text: str) -> str | None:
        raise AssertionError("the markup declared the language")

    monkeypatch.setattr(facts, "detect_language", never)
    declared = nlp(page(' lang="fr-FR"'))
    assert declared.metadata.language == "fr"
    assert declared.metadata.provenance["language"].method == "html[lang]"
