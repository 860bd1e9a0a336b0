"""`read_sources`: what a user types becomes a stream of pages and counted failures.

The URL tests fetch from a real HTTP server on 127.0.0.1 (the only traffic any test sends),
with `allow_private=True` as a user on an intranet would.
"""

from __future__ import annotations

import gzip
import io
import json
import time
from pathlib import Path

import pytest

from presslens.document import RawPage
from presslens.errors import ExitCode, FetchRefused
from presslens.ingest import ReadFailure, SafeFetcher, iter_directory, read_sources

from .conftest import LoopbackServer, Route

RUSSIAN = "Москва заявила, что санкции против России провалились."


def make_tree(root: Path) -> None:
    (root / "b-section").mkdir()
    (root / "a-section" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "z.txt").write_text("Top-level article.\n")
    (root / "a-section" / "deeper" / "story.html.gz").write_bytes(
        gzip.compress(b"<html><body>gz</body></html>")
    )
    (root / "a-section" / "one.md").write_text("# One\n\nMarkdown body.\n")
    (root / "b-section" / "records.jsonl").write_text(
        json.dumps({"url": "https://x.example/1", "html": "<p>r1</p>"}) + "\n{oops\n"
    )
    (root / "b-section" / "empty.txt").write_text("")
    (root / ".hidden.txt").write_text("never read")
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main")


def test_directories_are_read_recursively_in_a_stable_order_without_hidden_files(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in iter_directory(tmp_path)] == [
        "a-section/deeper/story.html.gz",
        "a-section/one.md",
        "b-section/empty.txt",
        "b-section/records.jsonl",
        "z.txt",
    ]
    items = list(read_sources([str(tmp_path)]))
    summary = [(type(i).__name__, Path(i.source).name) for i in items]
    assert summary == [
        ("RawPage", "story.html.gz"),
        ("RawPage", "one.md"),
        ("ReadFailure", "empty.txt"),
        ("RawPage", "records.jsonl#1"),
        ("ReadFailure", "records.jsonl#2"),
        ("RawPage", "z.txt"),
    ]
    again = [(type(i).__name__, Path(i.source).name) for i in read_sources([str(tmp_path)])]
    assert again == summary  # same input, same order


def test_bad_top_level_inputs_are_yielded_as_failures_not_raised(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 10)
    items = list(
        read_sources([str(tmp_path / "missing.html"), str(junk), "-"], stdin=io.BytesIO(b"From stdin."))
    )
    missing, binary, stdin_page = items
    assert (
        isinstance(missing, ReadFailure)
        and str(missing) == f"no such file or directory: {tmp_path / 'missing.html'}"
    )
    assert isinstance(binary, ReadFailure) and "looks binary" in str(binary)
    assert binary.error.exit_code == ExitCode.INPUT
    (no_scheme,) = read_sources(["www.example.org/story"])
    assert "for a URL, start it with https://" in str(no_scheme)
    assert isinstance(stdin_page, RawPage) and (stdin_page.source, stdin_page.text) == ("-", "From stdin.")


def test_urls_are_refused_by_default_without_contacting_the_server(loopback_server: LoopbackServer) -> None:
    loopback_server.routes["/article.html"] = Route(200, {"Content-Type": "text/html"}, b"<p>x</p>")
    (failure,) = read_sources([loopback_server.url("/article.html")])
    assert isinstance(failure, ReadFailure)
    assert str(failure.error).startswith("refused: private address 127.0.0.1 (loopback)")
    assert failure.error.exit_code == ExitCode.FETCH
    assert loopback_server.requests == []


def test_end_to_end_fetch_with_redirect_lying_charset_and_robots(loopback_server: LoopbackServer) -> None:
    server = loopback_server
    server.routes.update(
        {
            "/robots.txt": Route(200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private\n"),
            "/article.html": Route(
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                f"<html><body><p>{RUSSIAN}</p></body></html>".encode("cp1251"),
            ),
            "/old": Route(301, {"Location": "/article.html"}),
            "/private/page": Route(200, {"Content-Type": "text/html"}, b"<p>secret</p>"),
        }
    )
    with SafeFetcher(allow_private=True, timeout=10) as fetcher:
        items = list(read_sources([server.url("/old"), server.url("/private/page")], fetcher=fetcher))
    page, refused = items
    assert isinstance(page, RawPage)
    assert (page.source, page.url, page.kind) == (server.url("/old"), server.url("/article.html"), "html")
    assert RUSSIAN in page.text and page.encoding == "cp1251"
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert isinstance(refused, ReadFailure) and isinstance(refused.error, FetchRefused)
    assert "robots.txt" in str(refused.error)
    paths = [path for path, _ in server.requests]
    assert paths == ["/robots.txt", "/old", "/article.html"]
    assert all(headers["User-Agent"].startswith("presslens/") for _, headers in server.requests)


def test_an_oversized_download_is_cut_off(loopback_server: LoopbackServer) -> None:
    loopback_server.routes["/big"] = Route(
        200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 300_000 + b"</p>"
    )
    with SafeFetcher(allow_private=True, max_bytes=100_000, respect_robots=False) as fetcher:
        (failure,) = read_sources([loopback_server.url("/big")], fetcher=fetcher)
    assert isinstance(failure, ReadFailure)
    assert "larger than the 98 KB limit" in str(failure.error)


def test_url_lists_and_feed_urls(loopback_server: LoopbackServer, tmp_path: Path) -> None:
    server = loopback_server
    article = b"<html><body><p>Linked article.</p></body></html>"
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
        <item><title>A</title><link>{server.url("/a.html")}</link></item>
        <item><title>B</title><link>http://169.254.169.254/latest/</link></item>
        </channel></rss>""".encode()
    server.routes.update(
        {
            "/a.html": Route(200, {"Content-Type": "text/html"}, article),
            "/feed": Route(200, {"Content-Type": "application/rss+xml"}, feed),
        }
    )
    seeds = tmp_path / "seeds.urls"
    seeds.write_text(f"# seeds\n{server.url('/a.html')}\n\n{server.url('/missing')}\n")
    plain_list = tmp_path / "links.txt"
    plain_list.write_text(server.url("/feed") + "\n")
    with SafeFetcher(allow_private=True, respect_robots=False) as fetcher:
        items = list(read_sources([str(seeds)], url_lists=[str(plain_list)], fetcher=fetcher))
    summary = [(type(i).__name__, i.source) for i in items]
    assert summary == [
        ("RawPage", server.url("/a.html")),
        ("ReadFailure", server.url("/missing")),
        ("RawPage", server.url("/a.html")),  # the feed's first item, fetched
        ("ReadFailure", "http://169.254.169.254/latest/"),  # metadata stays refused
    ]
    assert "HTTP 404" in str(items[1])
    assert "cloud metadata" in str(items[3])


def test_a_trickling_server_hits_the_total_deadline(loopback_server: LoopbackServer) -> None:
    import socketserver
    import threading

    class Trickle(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(4096)
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
            try:
                for _ in range(40):  # one byte every 0.1 s: each read is quick, the whole is not
                    self.request.sendall(b"x")
                    time.sleep(0.1)
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with SafeFetcher(allow_private=True, respect_robots=False, timeout=1.0) as fetcher:
            (failure,) = read_sources([f"http://127.0.0.1:{server.server_address[1]}/slow"], fetcher=fetcher)
        assert isinstance(failure, ReadFailure) and "timed out after 1s" in str(failure.error)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("source", ["ftp://example.org/file", "file:///etc/passwd"])
def test_non_http_urls_are_refused(source: str) -> None:
    (failure,) = read_sources([source])
    assert isinstance(failure, ReadFailure) and "refused: scheme" in str(failure.error)


def test_named_pipes_are_read_when_named_and_skipped_inside_folders(tmp_path: Path) -> None:
    import os
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    payload = gzip.compress(b"<!DOCTYPE html><html><body><p>From a pipe.</p></body></html>")

    def write() -> None:
        with pipe.open("wb") as f:
            f.write(payload)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    (page,) = read_sources([str(pipe)])  # like `presslens analyze <(curl …)`
    writer.join(timeout=5)
    assert isinstance(page, RawPage) and page.kind == "html" and "From a pipe." in page.text

    (tmp_path / "article.txt").write_text("Article.\n")
    assert [Path(i.source).name for i in read_sources([str(tmp_path)])] == ["article.txt"]
