"""`presslens eval extraction --data DIR`: score presslens's article-body extraction.

DIR is shaped like the Scrapinghub article-extraction benchmark (`html/KEY.html.gz` and
`ground-truth.json` with `articleBody`). The score is the benchmark's own metric
(`presslens.anatomy.evaluate`): 4-token shingle precision and recall averaged over pages, F1
from those. `benchmarks/extraction.py` runs the same scorer on presslens and trafilatura side
by side; this command scores presslens alone, as a user checking their own data would.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from presslens.cli.app import eval_app
from presslens.errors import InputError, UsageError


@eval_app.command("extraction")
def eval_extraction(
    data: Path = typer.Option(..., "--data", help="Folder with html/KEY.html.gz and ground-truth.json."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    per_page: bool = typer.Option(False, "--per-page", help="Also list each page's precision and recall."),
) -> None:
    """Score article-body extraction with the article-extraction benchmark's shingle metric."""
    from presslens.anatomy.evaluate import aggregate, load_pages, score_page
    from presslens.document import RawPage
    from presslens.pipeline import EXTRACT_STAGES, Pipeline

    if not data.is_dir():
        raise UsageError(f"--data {data}: not a directory")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    rows: list[tuple[str, float, float]] = []
    scores = []
    nlp = Pipeline.from_names(EXTRACT_STAGES)  # what `presslens extract` runs
    start = time.perf_counter()
    for page in load_pages(data):
        try:
            doc = nlp(RawPage(source=page.key, kind="html", text=page.html, url=page.url))
            predicted = doc.body.text if doc.body else ""
        except InputError:
            predicted = ""
        score = score_page(predicted, page.article_body)
        scores.append(score)
        rows.append((page.key, score.precision, score.recall))
    elapsed = time.perf_counter() - start
    if not scores:
        raise InputError(f"no pages in {data}")
    total = aggregate(scores)
    pages_per_s = len(scores) / elapsed if elapsed > 0 else 0.0
    if as_json:
        figures = {
            "pages": total.pages,
            "precision": round(total.precision, 4),
            "recall": round(total.recall, 4),
            "f1": round(total.f1, 4),
            "pages_per_s": round(pages_per_s, 1),
        }
        typer.echo(json.dumps(figures))
        return
    console = Console()
    if per_page:
        detail = Table("page", "precision", "recall", title="per page")
        for key, p, r in rows:
            detail.add_row(key, f"{p:.3f}", f"{r:.3f}")
        console.print(detail)
    table = Table("pages", "precision", "recall", "F1", "pages/s", title="presslens article-body extraction")
    table.add_row(
        str(total.pages),
        f"{total.precision:.4f}",
        f"{total.recall:.4f}",
        f"{total.f1:.4f}",
        f"{pages_per_s:.1f}",
    )
    console.print(table)
