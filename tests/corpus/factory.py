"""Documents built by hand, as anatomy would leave them, for the corpus tests."""

from __future__ import annotations

from datetime import date, timedelta

from presslens.corpus.records import content_key, to_record
from presslens.corpus.store import DocRecord
from presslens.document import Body, BoilerplateSegment, Document, Metadata, OriginalSource, RawPage

ARTICLE = (
    "For the first time in the history of Iran, a red flag was raised over the Holy Dome of Jamkaran "
    "Mosque in the holy city of Qom, both symbolizing blood spilled unjustly and serving as a call to "
    "avenge a person who is killed. This was done in honor of General Qassem Suleimani, who, along with "
    "several other Iranian and Iraqi commanders, was assassinated in US strikes on Baghdad.\n\n"
    "The raised flag demonstrates both the Iranian resolve to respond to the act of state terrorism "
    "committed by the United States and the significance of the personality of Soleimani for the state "
    "and nation. The general, once described by Supreme Leader Ayatollah Ali Khamenei as a living martyr "
    "of the revolution, was one of the key people behind the defeat of ISIS in Syria and Iraq.\n\n"
    "In March 2019, Soleimani was awarded the Order of Zulfaqar, Iran's highest military order. During "
    "his life he was a target of numerous assassination attempts by Israeli, American and Arab intelligence "
    "services, and his death leaves a gap that the leadership in Tehran will struggle to fill for years."
)

OTHER = (
    "Officials in Geneva said on Wednesday that the plague epidemic in Madagascar appeared to be under "
    "control, but warned that the next outbreak could be stronger. The World Health Organisation chief "
    "told reporters that the issue was serious and that more funding was needed for surveillance.\n\n"
    "An outbreak of bubonic and pneumonic plague has killed more than two hundred people since August, "
    "health workers said, and thousands of contacts were traced and treated with antibiotics in the "
    "capital Antananarivo and the port city of Toamasina over the past weeks."
)


def make_doc(
    url: str,
    body: str,
    *,
    published: str | None = None,
    wrapper_before: str = "",
    wrapper_after: str = "",
    credit: str | None = None,
    credit_url: str | None = None,
    canonical: str | None = None,
    outlet: str | None = None,
) -> tuple[Document, RawPage]:
    """A document as anatomy would leave it: body span, boilerplate around it, metadata."""
    before = wrapper_before + "\n\n" if wrapper_before else ""
    text = before + body + ("\n\n" + wrapper_after if wrapper_after else "")
    start = text.index(body)
    boiler = []
    if wrapper_after:
        s = text.index(wrapper_after)
        end = s + len(wrapper_after)
        boiler.append(BoilerplateSegment(start=s, end=end, kind="donation_appeal", text=wrapper_after))
    meta = Metadata(
        title=body.split(".")[0][:60],
        published=published,
        url=url,
        canonical_url=canonical,
        original_source=OriginalSource(name=credit, url=credit_url) if credit or credit_url else None,
    )
    doc = Document(
        source=url,
        text=text,
        input_kind="text",
        body=Body(start=start, end=start + len(body), text=body),
        boilerplate=boiler,
        metadata=meta,
        stages=["anatomy"],
    )
    raw = RawPage(source=url, kind="text", text=text, url=url, outlet=outlet, published=published)
    return doc, raw


def record(url: str, body: str, **kw: object) -> DocRecord:
    doc, raw = make_doc(url, body, **kw)  # type: ignore[arg-type]
    return to_record(doc, content_key(raw), raw)


def day(n: int) -> str:
    return (date(2020, 1, 1) + timedelta(days=n)).isoformat()
