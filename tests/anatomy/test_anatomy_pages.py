"""The same anatomy components on other outlets' scraped pages: different wrappers, same fields.

Each page below is composed to look like what a scraper gets from a kind of site the project
meets in crawls — a Substack post, a personal blog funded by Ko-fi and Bitcoin, a wire story,
a news site with cookie banner, newsletter box and related links, a French article. None shares
a phrase with the Global Research page, so passing here means the rules are general.
"""

from __future__ import annotations

import pytest

from presslens.document import Document, RawPage
from presslens.pipeline import Pipeline

PROSE = (
    "When the Millbrook Courier printed its final edition last spring, the town lost more than a "
    "newspaper. It lost the only reporter who sat through every school board meeting, and the only "
    "record of who said what when the budget was cut."
)


def analyse(text: str, source: str = "page.txt") -> Document:
    return Pipeline.from_names(["anatomy"])(RawPage(source=source, kind="text", text=text))


def kinds(doc: Document) -> dict[str, str]:
    return {b.text.split("\n")[0][:25]: b.kind for b in doc.boilerplate}


SUBSTACK = f"""The Quiet Collapse of Local News

Why small-town papers are disappearing, and what replaces them

Jane Whitfield
Mar 14, 2023

[Subscribe](https://janewhitfield.substack.com/subscribe)

{PROSE}

Across the county, three other weeklies have closed since 2019. Their owners cite falling
advertising revenue, rising printing costs and readers who now get their news from social media.

What replaces them is rarely journalism. Facebook groups fill the gap with rumour, and the
local council's own newsletter becomes the paper of record by default.

There are exceptions. A nonprofit newsroom in the next valley now employs four reporters, paid for
by a mix of foundation grants and small monthly donations from readers.

Thanks for reading The Whitfield Report! Subscribe for free to receive new posts and support my work.

[Share](https://janewhitfield.substack.com/p/the-quiet-collapse?utm_source=share)

Become a paid subscriber to support independent journalism: https://janewhitfield.substack.com/subscribe

[Leave a comment](https://janewhitfield.substack.com/p/the-quiet-collapse/comments)
"""


def test_substack_post() -> None:
    doc = analyse(SUBSTACK)
    md = doc.metadata
    assert md.title == "The Quiet Collapse of Local News"
    assert md.authors == ["Jane Whitfield"]
    assert md.published == "2023-03-14"
    assert doc.body is not None
    assert doc.body.text.startswith("When the Millbrook Courier")
    assert doc.body.text.endswith("small monthly donations from readers.")
    assert kinds(doc) == {
        "[Subscribe](https://janew": "newsletter",
        "Thanks for reading The Wh": "newsletter",
        "[Share](https://janewhitf": "share_appeal",
        "Become a paid subscriber ": "donation_appeal",
        "[Leave a comment](https:/": "comments",
    }
    assert {f.channel for f in md.funding} == {"substack"}
    # The sub-title is header, neither body nor wrapper.
    assert "Why small-town papers" not in doc.body.text
    assert md.language == "en"


BLOG = """# Notes From the Harbour: Why the Ferry Strike Matters

Posted on 2 February 2022 by Tom Hale

Categories: Labour, Shipping
Tags: ferries, strikes, unions

The ferry workers walked out at dawn on Tuesday, and by noon the queue of lorries at the port
stretched back past the roundabout. It is the first stoppage on the route in eleven years.

Their complaint is simple: crews now work fourteen-day rotations with fewer rest hours than the
cross-

Channel competitors they are told to match. The company says the rota is legal and necessary.

Passengers I spoke to were mostly sympathetic, even those who had slept in their cars. "They keep
the boats running in any weather," one driver told me. "They should be paid for it."

---

If you value this blog, you can buy me a coffee at ko-fi.com/tomhale or send Bitcoin to
1BoatSLRHtKNngkdXEeobR76b53LETtpyT. Thank you!

Bitcoin (BTC): bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq

Related posts:
[Dockers vote to walk out](https://harbournotes.blog/dockers-vote)
[The price of a crossing](https://harbournotes.blog/price)

© 2022 Harbour Notes. All rights reserved.
"""


def test_blog_with_kofi_and_bitcoin() -> None:
    doc = analyse(BLOG)
    md = doc.metadata
    assert md.title == "Notes From the Harbour: Why the Ferry Strike Matters"
    assert md.authors == ["Tom Hale"]
    assert md.published == "2022-02-02"
    assert md.publisher == "Harbour Notes"
    assert {(t.kind, t.value) for t in md.tags} == {
        ("section", "Labour"),
        ("section", "Shipping"),
        ("keyword", "ferries"),
        ("keyword", "strikes"),
        ("keyword", "unions"),
    }
    funding = [(f.channel, f.value) for f in md.funding]
    assert funding == [
        ("ko-fi", "ko-fi.com/tomhale"),
        ("crypto:BTC", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
        ("crypto:BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
    ]
    body = doc.body
    assert body is not None
    assert body.text.startswith("The ferry workers walked out")
    assert body.text.endswith('"They should be paid for it."')
    assert "cross-\n\nChannel competitors" in body.text  # not cut at the split word
    assert kinds(doc) == {
        "If you value this blog, y": "donation_appeal",
        "Bitcoin (BTC): bc1qar0srr": "donation_appeal",
        "Related posts:": "related",
        "© 2022 Harbour Notes. All": "copyright",
    }
    related = next(b for b in doc.boilerplate if b.kind == "related")
    assert related.text.endswith("(https://harbournotes.blog/price)")
    assert {lk.text for lk in md.links} >= {"Dockers vote to walk out", "The price of a crossing"}


WIRE = """Oil prices climb as Red Sea shipping disruptions persist

Published: 15 January 2024

LONDON (Reuters) - Oil prices rose on Monday as attacks on ships in the Red Sea kept traders on
edge, with Brent crude futures up 1.2% at $79.10 a barrel by 1030 GMT.

Several large tanker operators have diverted vessels around the Cape of Good Hope, adding up to
two weeks to voyages between Asia and Europe, according to the Financial Times.

Analysts said the market remained well supplied despite the disruption. "The physical market is
not tight yet," said one commodities strategist in Singapore.

Source: Reuters

Reporting by Alex Lawler; Editing by Susan Fenton

Share this article on Facebook, Twitter, WhatsApp
"""


def test_wire_story_credits_its_source() -> None:
    doc = analyse(WIRE)
    md = doc.metadata
    assert md.title == "Oil prices climb as Red Sea shipping disruptions persist"
    assert md.published == "2024-01-15"
    assert md.authors == ["Alex Lawler"]
    assert md.original_source is not None
    assert (md.original_source.name, md.original_source.relation) == ("Reuters", "source")
    chain = [(c.name, c.relation) for c in md.republication_chain]
    assert chain == [("Reuters", "source"), ("Financial Times", "according_to")]
    assert doc.body is not None
    assert doc.body.text.startswith("LONDON (Reuters) - Oil prices rose")
    assert doc.body.text.endswith("commodities strategist in Singapore.")
    assert kinds(doc) == {
        "Source: Reuters": "attribution",
        "Reporting by Alex Lawler;": "attribution",
        "Share this article on Fac": "share_appeal",
    }


NEWS_SITE = """Home | World | Business | Climate | Opinion

We use cookies to improve your experience. By continuing to browse you accept our Cookie Policy.
[Accept all cookies](#) [Manage preferences](#)

Glaciers in the Alps lost a record share of their ice this year

By Maria Keller and Luca Bianchi
Updated: 29 September 2023

Section: Climate

Switzerland's glaciers lost 4% of their remaining volume this year, the second-largest loss on
record, according to the monitoring network's annual report published on Thursday.

The losses followed a winter with little snow and a summer in which the freezing level rose to a
record 5,298 metres. Scientists said several small glaciers had effectively disappeared.

![A glacier tongue in retreat](https://cdn.alpineherald.example/img/glacier-2023.jpg)

"Measuring a glacier that is no longer there is a strange experience," said one field researcher,
who has visited the same sites every autumn for two decades.

Sign up for our weekly climate newsletter. Enter your email address and get the best stories
delivered to your inbox.

Related articles
[Swiss ski resorts face shorter seasons](https://alpineherald.example/ski)
[Heatwave records tumble across Europe](https://alpineherald.example/heat)
[What melting permafrost means for the Alps](https://alpineherald.example/permafrost)

Privacy Policy | Terms of Use | Contact Us | Advertise

© 2023 Alpine Herald Media Group
"""


def test_news_site_with_cookie_banner_newsletter_and_related_links() -> None:
    doc = analyse(NEWS_SITE)
    md = doc.metadata
    assert md.title == "Glaciers in the Alps lost a record share of their ice this year"
    assert md.authors == ["Maria Keller", "Luca Bianchi"]
    assert md.updated == "2023-09-29"
    assert md.publisher == "Alpine Herald Media Group"
    assert [(t.kind, t.value) for t in md.tags] == [("section", "Climate")]
    assert [(m.kind, m.url) for m in md.media] == [
        ("image", "https://cdn.alpineherald.example/img/glacier-2023.jpg")
    ]
    assert doc.body is not None
    assert doc.body.text.startswith("Switzerland's glaciers lost 4%")
    assert doc.body.text.endswith("every autumn for two decades.")
    assert kinds(doc) == {
        "Home | World | Business |": "navigation",
        "We use cookies to improve": "cookie",
        "Sign up for our weekly cl": "newsletter",
        "Related articles": "related",
        "Privacy Policy | Terms of": "navigation",
        "© 2023 Alpine Herald Medi": "copyright",
    }


FRENCH = """Réforme des retraites : le gouvernement recule sur l'âge légal

Par Claire Dubois

Publié le 7 janvier 2020

Le gouvernement a annoncé mardi qu'il renonçait à relever l'âge légal de départ à la retraite,
après cinq semaines de grève dans les transports publics et plusieurs journées de manifestations.

Les syndicats ont salué un premier recul, tout en appelant à poursuivre la mobilisation jusqu'au
retrait complet du projet de loi. Le Premier ministre doit recevoir leurs représentants jeudi.

Selon les économistes interrogés, le financement du système reste l'enjeu principal des
négociations qui s'ouvrent, et aucune piste n'est pour l'instant écartée.

Partagez cet article sur vos réseaux sociaux.

Abonnez-vous à notre newsletter pour recevoir nos articles.

© 2020 Le Journal du Soir. Tous droits réservés.
"""


def test_french_page_language_and_dates() -> None:
    doc = analyse(FRENCH)
    md = doc.metadata
    assert md.language == "fr"
    assert md.title == "Réforme des retraites : le gouvernement recule sur l'âge légal"
    assert md.authors == ["Claire Dubois"]
    assert md.published == "2020-01-07"
    assert md.publisher == "Le Journal du Soir"
    assert doc.body is not None
    assert doc.body.text.startswith("Le gouvernement a annoncé mardi")
    assert doc.body.text.endswith("aucune piste n'est pour l'instant écartée.")
    assert kinds(doc) == {
        "Partagez cet article sur ": "share_appeal",
        "Abonnez-vous à notre news": "newsletter",
        "© 2020 Le Journal du Soir": "copyright",
    }


@pytest.mark.parametrize("page", [SUBSTACK, BLOG, WIRE, NEWS_SITE, FRENCH])
def test_wrapper_never_inside_the_body(page: str) -> None:
    doc = analyse(page)
    assert doc.body is not None
    for seg in doc.boilerplate:
        assert seg.end <= doc.body.start or seg.start >= doc.body.end
        assert doc.text[seg.start : seg.end] == seg.text


P = "The committee met for six hours on Wednesday and agreed on a draft that now goes to the full assembly. "
INLINE_BOXES = (
    f"SITE NEWS\n\nMenu\n\nCity council approves new tram line\n\nBy Ana Ruiz | March 3, 2021\n\n{P * 2}\n\n"
    f"Photo: Jane Roe/Reuters\n\n{P * 3}\n\n{P}\n\nRead more: [Budget talks stall](https://x.org/a)\n\n"
    "Tags: transport, city"
)


def test_a_photo_credit_inside_the_article_does_not_cut_it() -> None:
    doc = analyse(INLINE_BOXES)
    assert doc.body is not None
    assert doc.body.text.startswith(P.strip()) and doc.body.text.count("The committee met") == 6
    assert "Photo: Jane Roe/Reuters" in doc.body.text
    assert doc.metadata.title == "City council approves new tram line"
    assert (doc.metadata.authors, doc.metadata.published, doc.metadata.publisher) == (
        ["Ana Ruiz"],
        "2021-03-03",
        None,
    )
    assert [b.kind for b in doc.boilerplate] == ["other", "navigation", "related", "navigation"]


def test_prose_that_mentions_sharing_and_donations_is_still_article() -> None:
    mention = (
        f"{P}Many readers share this article on Facebook every day, and the paper says its donation "
        f"drive raised money for the cookie factory. {P}"
    )
    doc = analyse(f"Headline about things\n\n{mention}\n\n{P}")
    assert doc.boilerplate == []
    assert doc.body is not None and doc.body.text.startswith(mention.strip())


def test_an_authors_own_dateline_is_neither_publisher_nor_credit() -> None:
    doc = analyse(
        f"A headline for the story\n\nBy Jane Doe\n\nJane Doe, January 5, 2021\n\n{P * 3}"
        "\n\n© 2021 Example Gazette"
    )
    md = doc.metadata
    assert (md.authors, md.published, md.publisher) == (["Jane Doe"], "2021-01-05", "Example Gazette")
    assert md.original_source is None and md.republication_chain == []
