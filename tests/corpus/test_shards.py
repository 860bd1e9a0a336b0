"""Cluster ingest reads a crawl in shards: the shards together are the crawl, page for page and
name for name, and ingest with the workers writing stores what the client path stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.corpus.ingest import ingest, record_of
from presslens.corpus.shards import Shard, ShardTask, ingest_shard, plan_shards, read_shard
from presslens.corpus.store import Store
from presslens.engine import LocalEngine
from presslens.errors import UsageError
from presslens.ingest import ReadFailure, read_sources
from presslens.pipeline import Recipe
from tests.corpus.test_linking import canonical

STORY = "The harbour authority said on Tuesday that the new ferry terminal would open in spring. "


def write_crawl(path: Path, n: int = 40) -> Path:
    lines = []
    for i in range(n):
        if i == 7:
            lines.append("{not json")  # a bad record: counted where it is, whatever the shard
        elif i == 9:
            lines.append("")
        else:
            text = f"Ferry story {i}\n\n" + STORY * (3 + i % 4)
            lines.append(json.dumps({"url": f"https://port{i % 3}.example/{i}", "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def as_read(items: list[object]) -> list[tuple[str, str]]:
    return [
        (it.source, "failure") if isinstance(it, ReadFailure) else (it.source, it.text)  # type: ignore[attr-defined]
        for it in items
    ]


def test_jsonl_shards_together_are_the_file_with_the_same_source_names(tmp_path: Path) -> None:
    crawl = write_crawl(tmp_path / "crawl.jsonl")
    shards = plan_shards([str(crawl)], shard_bytes=700)
    assert len(shards) > 3
    assert [s.start for s in shards[1:]] == [s.end for s in shards[:-1]]
    whole = as_read(list(read_sources([str(crawl)])))
    parts = [item for s in shards for item in as_read(list(read_shard(s)))]
    assert parts == whole
    assert (f"{crawl}#8", "failure") in parts


def test_a_directory_is_cut_into_file_lists_and_its_jsonl_into_ranges(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    for i in range(5):
        (folder / f"page{i}.txt").write_text(f"Page {i}\n\n" + STORY * 4, encoding="utf-8")
    write_crawl(folder / "more.jsonl", 10)
    shards = plan_shards([str(folder)], shard_bytes=1 << 20, shard_files=2)
    assert [len(s.paths) for s in shards if s.first_line is None] == [2, 2, 1]
    assert sum(s.first_line is not None for s in shards) == 1
    whole = sorted(as_read(list(read_sources([str(folder)]))))
    assert sorted(item for s in shards for item in as_read(list(read_shard(s)))) == whole


def test_a_small_crawl_is_cut_into_about_four_shards_a_worker(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    line = json.dumps({"url": "https://port.example/1", "text": STORY * 40}) + "\n"
    crawl.write_text(line * 2000, encoding="utf-8")  # ~7 MB: below one default shard
    assert len(plan_shards([str(crawl)])) == 4
    assert len(plan_shards([str(crawl)], slots=2)) == 8


def test_urls_and_stdin_are_read_by_the_client() -> None:
    assert plan_shards(["https://example.com/story"]) is None
    assert plan_shards(["-"]) is None


def test_a_shard_run_twice_stores_its_pages_once(tmp_path: Path) -> None:
    crawl = write_crawl(tmp_path / "crawl.jsonl", 12)
    url = f"sqlite:///{tmp_path / 'corpus.sqlite'}"
    store = Store(url)
    run = store.begin_run([str(crawl)], [])
    (shard,) = plan_shards([str(crawl)])
    first = ingest_shard(ShardTask(shard, Recipe(()), record_of, url, run))
    again = ingest_shard(ShardTask(shard, Recipe(()), record_of, url, run))
    assert (first.read, first.added, dict(first.failures)) == (11, 10, {"bad JSON record": 1})
    assert (again.added, again.already_stored) == (0, 10)
    assert store.count_documents() == 10
    assert isinstance(shard, Shard) and str(shard).startswith(str(crawl))


@pytest.mark.parametrize("stages", [[], ["anatomy"]])
def test_workers_placement_stores_and_links_what_the_client_placement_does(
    tmp_path: Path, stages: list[str]
) -> None:
    crawl = write_crawl(tmp_path / "crawl.jsonl")
    stores = {}
    reports = {}
    for placement in ("client", "workers"):
        store = Store(f"sqlite:///{tmp_path / placement}.sqlite")
        reports[placement] = ingest([str(crawl)], store, stages=stages, placement=placement)
        stores[placement] = store
    keys = {p: sorted(r.key for r in _rows(s)) for p, s in stores.items()}
    assert keys["workers"] == keys["client"] and len(keys["client"]) == 38
    assert reports["workers"].counts() | {"seconds": 0} == reports["client"].counts() | {"seconds": 0}
    assert canonical(stores["workers"]) == canonical(stores["client"])


def _rows(store: Store) -> list[object]:
    import sqlalchemy as sa

    from presslens.corpus.store import DocumentRow

    with store.session() as s:
        return list(s.execute(sa.select(DocumentRow.key)).all())


def test_an_unknown_placement_is_a_usage_error(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'corpus.sqlite'}")
    with pytest.raises(UsageError):
        ingest([str(write_crawl(tmp_path / "crawl.jsonl", 3))], store, placement="cloud")


def test_local_engine_maps_in_order_inline() -> None:
    assert list(LocalEngine(1).map_unordered(str, [1, 2, 3])) == ["1", "2", "3"]
