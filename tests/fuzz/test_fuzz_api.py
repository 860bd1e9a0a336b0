"""Fuzzing the web API and the analyze form with hostile bodies: broken JSON, wrong field types,
several inputs at once, broken HTML, random uploads in wrong encodings.

Invariant: never a server error (the test client re-raises any exception the app lets through);
an answer below 500 that is either a valid Document (JSON API) / the document page (form) or an
error whose message is one line with a contract exit code. URLs are fuzzed only with values the
analyzer refuses before fetching (no http(s) scheme): nothing is ever fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import strategies as st

from presslens.corpus.store import Store
from presslens.document import Document
from presslens.web.analysis import Analyzer
from presslens.web.app import create_app
from tests.fuzz.conftest import PROFILES, fuzz
from tests.fuzz.invariants import check_document, check_message, time_limit
from tests.fuzz.strategies import JSON_LEAF, PIECES, damaged_text, markup_tree, page_bytes

TOKEN = "fuzz-token"
MAX_BODY = 256 * 1024  # small, so the 413 path is fuzzed too


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app over an empty in-memory corpus, one analysis worker, no rate limit."""
    store = Store("sqlite://")
    with Analyzer(workers=1) as analyzer:
        app = create_app(
            token=TOKEN, store=store, analyzer=analyzer, max_body=MAX_BODY, analyze_per_minute=1e9
        )
        with TestClient(app) as c:
            yield c
    store.close()


def never_fetched(url: str) -> bool:
    return not url.strip().lower().startswith(("http://", "https://"))


short_text = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map(" ".join).flatmap(damaged_text),
    st.text(max_size=300),
)
short_html = st.lists(
    st.one_of(markup_tree, st.sampled_from(PIECES).map(lambda p: f"<p>{p}</p>")), min_size=1, max_size=4
).map("".join)
field_value = st.one_of(short_text, short_html, JSON_LEAF, st.lists(JSON_LEAF, max_size=2))
source = st.text(max_size=60)
# Mostly well-formed requests (so the pipeline runs), then any mix of fields and types.
text_body = st.fixed_dictionaries({"text": short_text}, optional={"source": source})
html_body = st.fixed_dictionaries({"html": short_html}, optional={"source": source})
api_body = st.one_of(
    text_body,
    html_body,
    text_body,
    html_body,
    st.fixed_dictionaries({"url": st.text(max_size=60).filter(never_fetched)}),
    st.dictionaries(
        st.sampled_from(["text", "html", "url", "source", "outlet", "extra"]), field_value, max_size=4
    ).filter(lambda body: never_fetched(str(body.get("url", "")))),
    JSON_LEAF,
)
raw_body = st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda t: t.encode("utf-8")))


def post_json(body: Any) -> bytes:
    """The body as a client sends it: ASCII JSON, a lone surrogate escaped as `\\ud800`."""
    return json.dumps(body).encode("ascii")


def check_json_answer(status: int, payload: Any) -> None:
    assert status < 500, payload
    if status == 200:
        check_document(Document.model_validate(payload))
        return
    error = payload["error"]
    check_message(Exception(error["message"]), terminal=False)
    assert error["exit_code"] in (2, 3, 4, 5)


@pytest.mark.parametrize("profile", PROFILES)
def test_api_analyze_answers_a_document_or_an_error(profile: str, client: TestClient) -> None:
    def check(case: tuple[str, Any]) -> None:
        how, body = case
        with time_limit():
            content = post_json(body) if how == "json" else body
            r = client.post("/api/analyze", content=content, headers={"Content-Type": "application/json"})
        check_json_answer(r.status_code, r.json())

    cases = st.one_of(st.tuples(st.just("json"), api_body), st.tuples(st.just("raw"), raw_body))
    fuzz(profile, cases, check, quick=12, full=600)


@pytest.mark.parametrize("profile", PROFILES)
def test_api_store_rejects_or_stores(profile: str, client: TestClient) -> None:
    """`POST /api/documents` (with the token): bad bodies and bad dates are errors, not crashes."""

    def check(body: Any) -> None:
        with time_limit():
            headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
            r = client.post("/api/documents", content=post_json(body), headers=headers)
        assert r.status_code < 500, r.text
        if r.status_code != 201:
            check_json_answer(r.status_code, r.json())

    dates = st.one_of(
        st.sampled_from(["2020-01-07", "2020-13-45", "", "2020", "0000-00-00"]), st.text(max_size=12)
    )
    bodies = st.one_of(
        api_body,
        st.fixed_dictionaries(
            {"text": short_text}, optional={"published": dates, "outlet": field_value, "source": source}
        ),
    )
    fuzz(profile, bodies, check, quick=6, full=200)


@pytest.mark.parametrize("profile", PROFILES)
def test_analyze_form_upload_never_crashes(profile: str, client: TestClient) -> None:
    def check(case: tuple[bytes, str, str]) -> None:
        data, filename, text = case
        with time_limit():
            if filename:
                r = client.post("/analyze", files={"file": (filename, data)}, headers={"Accept": "text/html"})
            else:
                r = client.post("/analyze", data={"text": text}, headers={"Accept": "text/html"})
        assert r.status_code < 500, r.text[:500]
        assert "Traceback" not in r.text

    names = st.one_of(
        st.sampled_from(["", "page.html", "page.txt", "a.jsonl", "a.warc.gz", "x.gz", "../../etc/passwd"]),
        st.text(max_size=20),
    )
    fuzz(profile, st.tuples(page_bytes, names, short_text), check, quick=8, full=400)


def test_json_answer_check_accepts_the_example(client: TestClient) -> None:
    """The checker above is not vacuous: a normal request gives a 200 Document that it accepts."""
    r = client.post("/api/analyze", json={"text": "The minister said prices rose 12% in 2020."})
    assert r.status_code == 200
    check_json_answer(r.status_code, json.loads(r.content))
