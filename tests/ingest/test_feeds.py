"""RSS/Atom feeds: full items are pages, partial items are fetched through the safe fetcher."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from presslens.document import RawPage
from presslens.errors import FetchRefused
from presslens.ingest import ReadFailure, read_sources
from presslens.ingest.feeds import parse_feed, read_feed


def test_rss_items_are_listed_with_links_dates_and_content(data_dir: Path) -> None:
    items = parse_feed((data_dir / "feed.rss").read_bytes(), source="feed.rss")
    assert [i.link for i in items] == [
        "https://news.example/2020/01/full",
        "https://news.example/2020/01/link-only",
        None,
    ]
    assert items[0].published == "2020-01-07T10:00:00+00:00"
    assert items[0].content is not None and "Baghdad airport" in items[0].content
    assert items[1].content is None


def test_full_items_become_pages_and_links_are_fetched(data_dir: Path) -> None:
    fetched: list[str] = []

    def fetch(url: str) -> RawPage:
        fetched.append(url)
        return RawPage(source=url, kind="html", text="<p>fetched page</p>", url=url)

    items = list(read_feed((data_dir / "feed.rss").read_bytes(), source="feed.rss", fetch=fetch))
    full, linked, nothing = items
    assert isinstance(full, RawPage)
    assert (full.source, full.kind, full.url) == ("feed.rss#1", "html", "https://news.example/2020/01/full")
    assert full.published == "2020-01-07T10:00:00+00:00"
    assert isinstance(linked, RawPage)
    assert linked.source == "https://news.example/2020/01/link-only"
    assert linked.published == "2020-01-06T08:30:00+00:00"  # the feed's date fills the gap
    assert isinstance(nothing, ReadFailure)
    assert "no link and no full content" in str(nothing)
    assert fetched == ["https://news.example/2020/01/link-only"]


def test_a_refused_link_is_a_failure_and_the_feed_goes_on(data_dir: Path) -> None:
    def fetch(url: str) -> RawPage:
        raise FetchRefused(f"refused: private address 10.0.0.1 (private) for {url}")

    items = list(read_feed((data_dir / "feed.rss").read_bytes(), source="feed.rss", fetch=fetch))
    assert [type(i).__name__ for i in items] == ["RawPage", "ReadFailure", "ReadFailure"]
    assert "refused: private address" in str(items[1])


def test_feed_files_are_found_by_name_or_root_element_and_can_stay_offline(data_dir: Path) -> None:
    items = list(
        read_sources([str(data_dir / "feed.rss"), str(data_dir / "feed.xml")], fetch_feed_links=False)
    )
    sources = [getattr(i, "source", None) for i in items]
    assert sources[0] == f"{data_dir / 'feed.rss'}#1"
    assert isinstance(items[1], ReadFailure) and "fetching is off" in str(items[1])
    atom = items[-1]
    assert isinstance(atom, RawPage)
    assert (atom.source, atom.url) == (f"{data_dir / 'feed.xml'}#1", "https://atom.example/1")


def test_not_a_feed_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><item><title>unclosed")
    items = list(read_sources([str(path)], fetch_feed_links=False))
    assert len(items) == 1 and isinstance(items[0], ReadFailure)
    assert str(path) in str(items[0])


@settings(max_examples=100, deadline=None)
@given(
    body=st.lists(
        st.sampled_from(
            [
                "<rss>",
                "<channel>",
                "<item>",
                "</item>",
                "<link>",
                "</link>",
                "http://x/",
                "&amp;",
                "<![CDATA[",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_random_feeds_give_items_or_one_failure(body: str) -> None:
    for item in read_feed(("<?xml version='1.0'?>" + body).encode(), source="r.rss", fetch=None):
        assert isinstance(item, (RawPage, ReadFailure))
