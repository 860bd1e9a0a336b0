"""What a page's wrapper asks of readers and tells them: funding channels and contacts.

Data flow: the `wrapper` stage calls `page_funding` and `page_contacts` after the `metadata`
stage (HTML links whose anchor text names a payment service are funding too) and fills
`Metadata.funding` and `Metadata.contacts`, each item with its span.
"""

from __future__ import annotations

import re
from html import unescape as html_unescape

from presslens.anatomy.contacts import find_contacts
from presslens.anatomy.funding import find_funding, has_url_stem, url_channel
from presslens.anatomy.layout import Layout
from presslens.anatomy.scan import page_windows
from presslens.document import Contact, Funding, Link, RawPage

# Case-sensitive on purpose: a literal prefix lets the engine jump between "href"s in a large
# page (upper-case HREF is rare enough to miss).
_HREF = re.compile(r"""href\s*=\s*["']([^"'<>\s]{1,2000})["']""")
MAX_HTML_SCAN = 5_000_000  # bytes of raw HTML scanned for funding hrefs


def page_funding(text: str, links: list[Link], raw: RawPage | None) -> list[Funding]:
    """Funding channels written in the text, plus links whose anchor text hides the URL
    ("Ko-fi" -> ko-fi.com/x) and, for HTML, every href of the raw page."""
    found = [f for a, b in page_windows(text) for f in find_funding(text[a:b], a)]
    funding = [Funding(channel=f.channel, value=f.value, start=f.start, end=f.end) for f in found]
    known = {f.value for f in found}
    for link in links:
        channel = url_channel(link.url, context=link.text)
        if channel and link.url not in known:
            known.add(link.url)
            funding.append(Funding(channel=channel, value=link.url, start=link.start, end=link.end))
    if raw is not None and raw.kind == "html":
        for href in _HREF.findall(raw.text, 0, min(len(raw.text), MAX_HTML_SCAN)):
            if "&" not in href and not has_url_stem(href):
                continue  # unescaping changes nothing, and url_channel would say None
            url = html_unescape(href).strip()
            channel = url_channel(url) if url.startswith(("http://", "https://")) else None
            if channel and url not in known:
                known.add(url)
                funding.append(Funding(channel=channel, value=url))
    return funding


def page_contacts(layout: Layout, funding: list[Funding]) -> list[Contact]:
    """E-mails anywhere (payment handles excepted); phones and social profiles only outside the
    article (a number or a profile quoted in the story is not the page's contact)."""
    text = layout.text
    handles = [f.value for f in funding if "@" in f.value]
    hits = [c for a, b in page_windows(text) for c in find_contacts(text[a:b], a, exclude=handles)]
    if layout.body is not None:
        s, e = layout.body
        hits = [c for c in hits if c.kind == "email" or c.end <= s or c.start >= e]
    seen: set[str] = set()
    contacts: list[Contact] = []
    for c in sorted(hits, key=lambda h: h.start):
        if c.value.lower() not in seen:
            seen.add(c.value.lower())
            contacts.append(Contact(kind=c.kind, value=c.value, role=c.role, start=c.start, end=c.end))
    return contacts
