"""URL lists: a file of URLs to fetch, one per line.

Data flow: `read_sources` reads a file as a URL list when its name ends in `.urls` (or
`.urls.gz`), or when it is passed in `url_lists=` (the CLI's `--url-list FILE`, for lists
saved as `.txt`). Blank lines and lines starting with `#` are skipped; every other line must be
an absolute URL and is fetched through the `SafeFetcher`, so a list cannot reach a private
address either.

>>> parse_url_list("# crawl seeds\\nhttps://example.org/a\\n\\n  https://example.org/b  \\n")
['https://example.org/a', 'https://example.org/b']
"""

from __future__ import annotations

import re

URL_LIST_SUFFIXES = (".urls", ".urls.gz")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(source: str) -> bool:
    """Whether a source string is a URL (any scheme; the fetcher decides which are allowed).

    >>> is_url("https://example.org/x"), is_url("file:///etc/passwd"), is_url("pages/a.html")
    (True, True, False)
    """
    return bool(_SCHEME.match(source))


def parse_url_list(text: str) -> list[str]:
    """The URLs of a URL list, in order, without blanks and `#` comments."""
    urls: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls
