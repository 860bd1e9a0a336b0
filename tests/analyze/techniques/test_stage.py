"""The `techniques` stage on short texts: valid offsets, headline and body, English only,
scores in [0, 1]."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from presslens.analyze.techniques.evaluate import anatomy_stages, product_pipeline
from presslens.analyze.techniques.stage import TechniquesStage, regions
from presslens.document import Body, Document, Provenance, RawPage
from presslens.pipeline import Pipeline, create_stage
from presslens.vocab import TECHNIQUES

TEXT = (
    "WRAPPER: share this outrageous story with the criminals at the top!\n\n"
    "The regime's thugs unleashed a brutal, barbaric massacre on peaceful protesters, and the "
    "so-called leaders in Washington did nothing. They are traitors, traitors to our nation. "
    "Only a fool would believe their lies.\n\nDonate now."
)
BODY = (TEXT.index("The regime"), TEXT.index("\n\nDonate"))


def _doc() -> Document:
    return Document(
        source="test", text=TEXT, body=Body(start=BODY[0], end=BODY[1], text=TEXT[BODY[0] : BODY[1]])
    )


def test_stage_is_registered_under_its_name(technique_model: object) -> None:
    assert create_stage("techniques").name == "techniques"


def test_spans_lie_in_the_body_and_point_at_their_text(technique_model: object) -> None:
    doc = TechniquesStage()(_doc())
    assert doc.techniques, "a text full of loaded words and labels should be flagged"
    for span in doc.techniques:
        assert BODY[0] <= span.start < span.end <= BODY[1]
        assert span.text == doc.text[span.start : span.end]
        assert span.technique in TECHNIQUES
        assert 0.0 <= span.score <= 1.0
        assert span.evidence


def test_loaded_or_labelling_words_are_found(technique_model: object) -> None:
    doc = TechniquesStage()(_doc())
    flagged = " ".join(s.text.lower() for s in doc.techniques)
    assert any(w in flagged for w in ("thugs", "brutal", "barbaric", "massacre", "traitors", "lies"))


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_non_english_documents_are_skipped(lang: str) -> None:
    doc = _doc()
    doc.metadata.language = lang
    assert TechniquesStage()(doc).techniques == []


def test_empty_body_gives_no_spans(technique_model: object) -> None:
    doc = Document(source="t", text="   \n")
    assert TechniquesStage()(doc).techniques == []


# --- regions: headline and body, each analysed on its own (a fake model records the calls) ---
@dataclass(frozen=True)
class FakeFinding:
    technique: str
    start: int
    end: int
    score: float
    evidence: str = "fake"


class RecordingModel:
    """Flags every occurrence of a few loaded words, and records the texts it was given."""

    WORDS = ("Traitors", "liars", "thugs", "and", "—")

    def __init__(self) -> None:
        self.calls: list[str] = []

    def find(self, text: str) -> list[FakeFinding]:
        self.calls.append(text)
        out = []
        for word in self.WORDS:
            at = text.find(word)
            while at >= 0:
                out.append(FakeFinding("Name_Calling,Labeling", at, at + len(word), 0.9))
                at = text.find(word, at + 1)
        return out


HEADLINE = "Traitors and liars destroy our nation"
ARTICLE = (
    f"{HEADLINE}\n\n"
    "By Jane Doe\n\n"
    "The regime's thugs marched through the capital on Tuesday, witnesses said. The council "
    "met in the evening and voted to extend the curfew by a week.\n\n"
    "Residents said the streets were quiet after dark and most shops stayed closed."
)


def _analysed(model: RecordingModel, text: str = ARTICLE) -> Document:
    nlp = product_pipeline(model)
    return nlp(RawPage(source="article.txt", kind="text", text=text))


def test_the_headline_is_analysed_and_reported_in_document_offsets() -> None:
    model = RecordingModel()
    doc = _analysed(model)
    assert doc.metadata.title == HEADLINE
    assert HEADLINE in model.calls, "the stage must call the model on the title region"
    assert any(call.startswith("The regime's thugs") for call in model.calls)
    flagged = {(s.start, s.end, s.text) for s in doc.techniques}
    assert (0, 8, "Traitors") in flagged
    thugs = ARTICLE.index("thugs")
    assert (thugs, thugs + 5, "thugs") in flagged
    for span in doc.techniques:
        assert span.text == doc.text[span.start : span.end]


def test_overlapping_regions_are_analysed_once() -> None:
    model = RecordingModel()
    doc = Document(source="t", text=ARTICLE, body=Body(start=0, end=len(ARTICLE), text=ARTICLE))
    doc.metadata.title = HEADLINE
    doc.metadata.provenance["title"] = Provenance(start=0, end=len(HEADLINE), method="first-heading")
    assert regions(doc) == [(0, len(ARTICLE))]
    out = TechniquesStage(model=model)(doc)
    assert model.calls == [ARTICLE]
    keys = [(s.start, s.end, s.technique) for s in out.techniques]
    assert len(keys) == len(set(keys))


def test_an_html_title_without_offsets_is_found_above_the_body() -> None:
    body_start = ARTICLE.index("The regime")
    doc = Document(
        source="t", text=ARTICLE, body=Body(start=body_start, end=len(ARTICLE), text=ARTICLE[body_start:])
    )
    doc.metadata.title = HEADLINE
    assert regions(doc) == [(0, len(HEADLINE)), (body_start, len(ARTICLE))]


def test_spans_of_stop_words_or_punctuation_only_are_dropped() -> None:
    doc = _analysed(RecordingModel(), ARTICLE.replace("witnesses said.", "witnesses said — and left."))
    texts = {s.text for s in doc.techniques}
    assert "and" not in texts and "—" not in texts
    assert "liars" in texts


def test_min_score_drops_weak_spans() -> None:
    assert _analysed(RecordingModel()).techniques
    doc = Pipeline([*anatomy_stages(), TechniquesStage(model=RecordingModel(), min_score=0.95)])(
        RawPage(source="a.txt", kind="text", text=ARTICLE)
    )
    assert doc.techniques == []


def test_a_text_gets_the_same_findings_alone_and_in_a_batch(  # type: ignore[no-untyped-def]
    technique_model, tiny_ptc: Path, example_path: Path
) -> None:
    """Dynamically quantized networks scale each call's activations by the whole input: run
    in one batch, a text's windows and spans would be read beside its neighbours' (and their
    padding). One window or span a call makes a text's findings its own."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((tiny_ptc / "articles").glob("*.txt"))]
    texts += [example_path.read_text(encoding="utf-8"), "They are criminals and traitors.", "A shameful deal"]
    alone = [technique_model.find(t) for t in texts]
    assert sum(map(len, alone)) > 0
    assert technique_model.find_many(texts) == alone
    assert technique_model.find_many(list(reversed(texts))) == list(reversed(alone))


def test_a_spans_technique_does_not_depend_on_the_other_spans_asked_about(  # type: ignore[no-untyped-def]
    technique_model, example_path: Path
) -> None:
    """TC (`techniques classify --spans`): a span is labelled from itself and its line only."""
    text = example_path.read_text(encoding="utf-8")
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+(?: \w+){2}", text)][:40]
    together = technique_model.distribution(text, words)
    one_by_one = [technique_model.distribution(text, [w])[0] for w in words]
    assert (together == np.stack(one_by_one)).all()


@pytest.mark.parametrize("marks_found", [False, True])
def test_found_spans_reach_the_classifier_marked_only_when_the_model_learnt_them_so(
    tmp_path: Path, marks_found: bool
) -> None:
    """A classifier trained on found spans too (`--classifier-found-spans`) tells them from
    given spans by a piece after [CLS]; the config says whether the runtime must add it, and
    `classify`'s given spans never get it."""
    import json
    import shutil

    from presslens.analyze.techniques.runtime import TechniqueModel, default_model_dir
    from presslens.analyze.techniques.span_inputs import FOUND_TOKEN

    folder = tmp_path / "model"
    shutil.copytree(default_model_dir(), folder, ignore=shutil.ignore_patterns("cv"))
    config = json.loads((folder / "config.json").read_text())
    config["classifier_marks_found"] = marks_found
    (folder / "config.json").write_text(json.dumps(config))
    model = TechniqueModel.load(folder, threads=1)
    found_id = model.tokenizer.token_to_id(FOUND_TOKEN)
    seen: list[np.ndarray] = []
    run = model.classifier.map

    def recording(calls: Sequence[tuple[np.ndarray, ...]]) -> list[np.ndarray]:
        seen.extend(ids for ids, *_ in calls)
        return run(calls)

    model.classifier.map = recording  # type: ignore[method-assign]
    text = "They are criminals and traitors, a gang of thugs who lie to the nation."
    assert model.find(text)
    assert all((ids[:, 1] == found_id).all() == marks_found for ids in seen)
    seen.clear()
    model.classify(text, [(9, 18)])
    assert seen and all((ids != found_id).all() for ids in seen)
