"""The web tests' corpus: a few documents with known copies, in a store.

The corpus is built from Documents made here (no pipeline run), so the pages have technique
spans, funding, entities and syndication edges whatever stages this checkout has installed:
two outlets republish a South Front article a day and a month later, and an unrelated
article from another outlet is not linked. Documents go in as the API stores them
(`add_document`), edges as the linker writes them (`Store.replace_edges`). The same corpus is
served from an in-memory SQLite store (the app's default), a SQLite file and PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from presslens.corpus.query import add_document
from presslens.corpus.store import Store
from presslens.document import (
    Body,
    BoilerplateSegment,
    Document,
    Entity,
    Funding,
    Mention,
    Metadata,
    OriginalSource,
    TechniqueSpan,
)

TOKEN = "test-token-0123456789"
DATA = Path(__file__).resolve().parents[1] / "data" / "web"

ARTICLE = (
    "For the first time in the history of Iran, a red flag was raised over the Holy Dome of Jamkaran "
    "Mosque. The criminals who killed General Qassem Soleimani will face harsh revenge, said Khamenei. "
    "Hundreds of thousands of people rallied in Iraq and Iran condemning the US aggression."
)
OTHER = (
    "Oil prices rose on Monday after the strike in Baghdad. Analysts said markets feared a wider "
    "conflict in the region, while shipping insurers raised premiums for tankers in the Gulf."
)


def make_doc(
    url: str,
    body: str,
    *,
    title: str,
    published: str,
    wrapper: str = "",
    credit: str | None = None,
    paypal: str | None = None,
) -> Document:
    text = body + ("\n\n" + wrapper if wrapper else "")
    doc = Document(
        source=url,
        text=text,
        metadata=Metadata(
            title=title,
            url=url,
            published=published,
            publisher=None,
            original_source=OriginalSource(name=credit) if credit else None,
            funding=[Funding(channel="paypal", value=paypal)] if paypal else [],
        ),
        stages=["anatomy", "techniques", "entities", "quotes", "claims", "timeline"],
    )
    doc.body = Body(start=0, end=len(body), text=body)
    if wrapper:
        doc.boilerplate = [
            BoilerplateSegment(kind="donation_appeal", start=len(body) + 2, end=len(text), text=wrapper)
        ]
    spans = []
    for word, technique, score in (
        ("criminals", "Name_Calling,Labeling", 0.91),
        ("harsh revenge", "Loaded_Language", 0.82),
        ("US aggression", "Loaded_Language", 0.77),
    ):
        at = body.find(word)
        if at >= 0:
            spans.append(
                TechniqueSpan(
                    technique=technique,
                    start=at,
                    end=at + len(word),
                    text=word,
                    score=score,
                    evidence=f"'{word}' is a loaded term",
                )
            )
    doc.techniques = spans
    at = body.find("Qassem Soleimani")
    if at >= 0:
        doc.entities = [
            Entity(
                name="Qassem Soleimani",
                type="PERSON",
                aliases=["Suleimani"],
                mentions=[Mention(start=at, end=at + 16, text="Qassem Soleimani")],
            )
        ]
    return doc


@dataclass
class Seeded:
    store: Store
    ids: dict[str, str]  # short name -> document id, as URLs and the API write it


def seed(store: Store) -> Seeded:
    """Add the test corpus and its syndication edges to `store`."""
    docs = {
        "original": (
            make_doc(
                "https://southfront.org/soleimani",
                ARTICLE,
                title="Qassem Soleimani: Martyr of Iranian Revolution",
                published="2020-01-06",
                wrapper="Support South Front. PayPal: southfront@list.ru",
                paypal="southfront@list.ru",
            ),
            "southfront.org",
        ),
        "copy1": (
            make_doc(
                "https://www.globalresearch.ca/video-soleimani/5699999",
                ARTICLE,
                title="Video: Qassem Soleimani: Martyr of Iranian Revolution",
                published="2020-01-07",
                wrapper="The original source of this article is South Front. Become a Member of GR",
                credit="South Front",
            ),
            "globalresearch.ca",
        ),
        "copy2": (
            make_doc(
                "https://example-mirror.net/2020/01/soleimani",
                ARTICLE + " Republished.",
                title="Soleimani: Martyr",
                published="2020-02-09",
            ),
            "example-mirror.net",
        ),
        "unrelated": (
            make_doc(
                "https://markets.example.com/oil",
                OTHER,
                title="Oil rises after Baghdad strike",
                published="2020-01-06",
            ),
            "markets.example.com",
        ),
    }
    ids = {}
    for name, (doc, outlet) in docs.items():
        ids[name] = str(add_document(store, doc, outlet=outlet, published=doc.metadata.published).id)
    edges = [("original", "copy1", 1.0, "attribution"), ("original", "copy2", 34.0, "date")]
    store.replace_edges(
        [
            {
                "source_id": int(ids[a]),
                "target_id": int(ids[b]),
                "kind": "near",
                "similarity": 0.98,
                "lag_days": lag,
                "evidence": json.dumps([why]),
                "wrapper": "{}",
                "passages": "[]",
            }
            for a, b, lag, why in edges
        ]
    )
    return Seeded(store, ids)
