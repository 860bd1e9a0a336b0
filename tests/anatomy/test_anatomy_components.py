"""The small anatomy components, one job each, used the way the stage uses them."""

from __future__ import annotations

from typing import Any

import pytest

from presslens.anatomy.boilerplate import classify
from presslens.anatomy.checksums import valid_btc, valid_eth, valid_iban, valid_ltc, valid_xmr
from presslens.anatomy.contacts import find_contacts
from presslens.anatomy.credits import find_according_to, find_credits, find_wire_credit
from presslens.anatomy.dehyphen import dehyphenate, find_word_breaks
from presslens.anatomy.funding import find_funding
from presslens.anatomy.header import parse_byline, parse_dateline, parse_tag_line
from presslens.anatomy.language import detect_language
from presslens.anatomy.markup import clean, iter_links
from presslens.anatomy.media import media_kind
from presslens.anatomy.paragraphs import Paragraph, split_paragraphs
from presslens.lexicon.dates import find_dates, to_iso


def line(text: str, start: int = 0) -> Paragraph:
    return Paragraph(start, start + len(text), text)


# --- paragraphs and split words ------------------------------------------------------------
def test_paragraph_offsets_index_the_text() -> None:
    text = "  Title \n\nFirst line\nsecond line\n \t\nLast.  \n"
    paras = split_paragraphs(text)
    assert [p.text for p in paras] == ["Title", "First line\nsecond line", "Last."]
    assert all(text[p.start : p.end] == p.text for p in paras)
    assert [ln.text for ln in paras[1].lines()] == ["First line", "second line"]


def test_split_word_does_not_end_a_paragraph() -> None:
    text = "The Syrian-Iranian-\n\nRussian coalition held.\n\nNext paragraph - with a dash.\n\nAnd more."
    paras = split_paragraphs(text)
    assert paras[0].text == "The Syrian-Iranian-\n\nRussian coalition held."
    assert len(paras) == 3  # " - " at a break is punctuation, not a split word


def test_dehyphenate_joins_and_maps_back() -> None:
    text = "A Syrian-Iranian-\n\nRussian plan, a soft hy\u00adphen-\nated word"
    d = dehyphenate(text)
    assert d.text == "A Syrian-Iranian-Russian plan, a soft hy\u00adphen-ated word"
    i = d.text.index("Russian")
    assert text[d.to_original(i) : d.to_original(i) + 7] == "Russian"
    s, e = d.span_to_original(d.text.index("Syrian"), d.text.index(" plan"))
    assert text[s:e] == "Syrian-Iranian-\n\nRussian"
    assert [text[b.start] for b in find_word_breaks(text)] == ["-", "-"]
    assert dehyphenate("co\u00ad\noperate").text == "cooperate"  # a soft hyphen is dropped


# --- markup view ---------------------------------------------------------------------------
def test_clean_view_drops_markup_and_keeps_offsets() -> None:
    raw = (
        "Articles by: **[South Front](#)** see <http://southfront.org/donate/> and ![pic](http://x.org/a.png)"
    )
    v = clean(raw, 1000)
    assert v.text == "Articles by: South Front see http://southfront.org/donate/ and pic"
    s, e = v.span_to_original(v.text.index("South"), v.text.index("South") + 11)
    assert raw[s - 1000 : e - 1000] == "South Front"
    assert [(lk.url, lk.text, lk.image) for lk in v.links] == [
        ("#", "South Front", False),
        ("http://southfront.org/donate/", "", False),
        ("http://x.org/a.png", "pic", True),
    ]


def test_iter_links_keeps_underscores_in_urls() -> None:
    links = iter_links("see https://x.org/a_b_c.html, and [t](https://y.org/p?q=1)")
    assert [(lk.url, lk.text) for lk in links] == [
        ("https://x.org/a_b_c.html", ""),
        ("https://y.org/p?q=1", "t"),
    ]


# --- boilerplate classifier ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Please share this article with your friends.", "share_appeal"),
        ("Support us: donate via PayPal or Patreon.", "donation_appeal"),
        ("This article was originally published on The Saker.", "attribution"),
        ("© 2021 Example Media. All rights reserved.", "copyright"),
        ("Leave a comment", "comments"),
        ("Become a member today and join our community.", "membership"),
        ("The views expressed in this article are solely those of the author.", "disclaimer"),
        (
            "This site contains copyrighted material; we use it under fair use, 17 U.S.C. Section 107.",
            "fair_use",
        ),
        ("For press inquiries, contact press@example.org", "contact"),
        ("Skip to main content", "navigation"),
        ("You might also like", "related"),
        ("Subscribe to our newsletter", "newsletter"),
        ("This website uses cookies. Accept all cookies or manage your cookie settings.", "cookie"),
        ("Follow us on Telegram", "share_appeal"),
        ("Loading comments...", "comments"),
        ("Joe Bloggs is editor-in-chief of Harbour News and a former correspondent.", "attribution"),
        ("Advertisement", "other"),
        ("5 min read", "other"),
    ],
)
def test_each_wrapper_kind_has_general_cues(text: str, kind: str) -> None:
    assert classify(text).kind == kind


def test_article_prose_that_mentions_wrapper_words_stays_article() -> None:
    prose = (
        "The charity said donations had fallen by a third since the spring, and that its volunteers "
        "now share the work of three paid staff. Regulators have asked it to publish its accounts, "
        "a request the board says it will meet before the end of the year, along with a review of "
        "how it handles the personal data and cookies collected by its website. " * 2
    )
    assert classify(prose).kind is None


def test_a_list_of_links_is_navigation() -> None:
    assert classify("[World](/w) [Politics](/p) [Business](/b) [Sport](/s)").kind == "navigation"


# --- header lines --------------------------------------------------------------------------
def test_bylines() -> None:
    assert [f.value for f in parse_byline(line("By [South Front](#)"))] == ["South Front"]
    assert [f.value for f in parse_byline(line("Author: Ana de la Cruz & Li Wei"))] == [
        "Ana de la Cruz",
        "Li Wei",
    ]
    assert [f.value for f in parse_byline(line("By John Smith | January 5, 2021"))] == ["John Smith"]
    assert parse_byline(line("By 2030, the army will have doubled.")) == []
    assert parse_byline(line("Byron Smith")) == []
    # one language list (presslens.lexicon.bylines) for text and HTML alike
    assert [f.value for f in parse_byline(line("door Piet de Vries"))] == ["Piet de Vries"]
    assert [f.value for f in parse_byline(line("By Jane Roe And John Doe"))] == ["Jane Roe", "John Doe"]


def test_datelines() -> None:
    d = parse_dateline(line("Global Research, January 07, 2020"))
    assert d is not None and d.name is not None
    assert (d.name.value, d.date.value, d.label) == ("Global Research", "2020-01-07", "dateline")
    d = parse_dateline(line("[South Front](#) 6 January 2020"))
    assert (
        d is not None and d.name is not None and (d.name.value, d.date.value) == ("South Front", "2020-01-06")
    )
    d = parse_dateline(line("Last updated: 2021-03-04 10:15"))
    assert d is not None and (d.name, d.date.value, d.label) == (None, "2021-03-04", "updated")
    assert parse_dateline(line("He was born on 6 January 1957 in a village near Kerman.")) is None
    d = parse_dateline(line("First Published: Tuesday, November 19, 2019 08:38 AM"))
    assert d is not None and (d.name, d.date.value, d.label) == (None, "2019-11-19", "published")
    assert find_credits(line("First Published: Tuesday, November 19, 2019 08:38 AM")) == []


def test_tag_lines() -> None:
    got = parse_tag_line(line("In-depth Report: [IRAN: THE NEXT WAR?](#)", 100))
    assert [(k, f.value, f.start) for k, f in got] == [("report", "IRAN: THE NEXT WAR?", 118)]
    got = parse_tag_line(line("Filed under: Europe; Energy | Markets"))
    assert [(k, f.value) for k, f in got] == [
        ("section", "Europe"),
        ("section", "Energy"),
        ("section", "Markets"),
    ]
    assert parse_tag_line(line("Theme of the day is patience")) == []
    # Markup inside a value leaves the value (what a reader sees); the span covers the markup.
    text = "Region: Middle East, Asia *0"
    got = parse_tag_line(line(text))
    spans = [(f.value, text[f.start : f.end]) for _, f in got]
    assert spans == [("Middle East", "Middle East"), ("Asia 0", "Asia *0")]


def test_dates() -> None:
    assert to_iso("Jan. 7th, 2020") == "2020-01-07"
    assert to_iso("February 30, 2020") is None
    assert [d.iso for d in find_dates("Publicado el 7 de enero de 2020")] == ["2020-01-07"]
    assert [d.iso for d in find_dates("publiziert am 25. September 2018")] == ["2018-09-25"]
    assert [d.iso for d in find_dates("Текст: Лида Буслаева·11 октября 2018")] == ["2018-10-11"]
    assert find_dates("The Big Story 2020") == []


@pytest.mark.parametrize(
    "expression",
    ["24 сентября 2018", "25. September 2018", "22 de outubro de 2010", "5 maggio 2020", "12 lutego 2021"],
)
def test_listed_month_names_read_as_dateparser_reads_them(expression: str) -> None:
    import dateparser

    from presslens.lexicon.dates import _languages, _listed_iso

    settings: Any = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"], "DATE_ORDER": "DMY"}
    expected = dateparser.parse(expression, languages=_languages(expression), settings=settings)
    assert expected is not None
    assert _listed_iso(expression) == expected.date().isoformat()


def test_unlisted_or_unsure_month_words_are_left_to_dateparser() -> None:
    from presslens.lexicon.dates import _listed_iso

    # "mart" is Turkish March, but dateparser tries English first and reads it otherwise;
    # "de" is a filler word to dateparser only in Spanish and Portuguese; September has no 31st;
    # "octobre" is read in the first language its stem fits, English, where it is no month.
    for expression in ("7 mart 2019", "1 de août de 2019", "31 сентября 2018", "3 octobre 2019"):
        assert _listed_iso(expression) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2021-03-04T08:00:00+01:00", "2021-03-04"),  # JSON-LD, meta tags
        ("Tue, 19 Nov 2019 10:00:00 GMT", "2019-11-19"),  # RFC 2822 headers
        ("07.01.2020", "2020-01-07"),  # day first, as everywhere it is written so
        ("11/19/2019 06:56 AM", "2019-11-19"),  # month first, as US sites write it
        ("0001-01-01", None),  # a CMS placeholder
        ("Nov 19", None),  # no year, no date
        (None, None),
    ],
)
def test_one_date_to_iso_for_every_source(value: str | None, iso: str | None) -> None:
    assert to_iso(value) == iso


# --- credits -------------------------------------------------------------------------------
def test_credit_phrasings() -> None:
    c = find_credits(
        line("This article was originally published on [The Saker](https://thesaker.is/x) on March 3, 2021.")
    )
    assert [(x.name, x.relation, x.url, x.published) for x in c] == [
        ("The Saker", "original", "https://thesaker.is/x", "2021-03-03")
    ]
    assert [(x.name, x.relation) for x in find_credits(line("Source: Reuters"))] == [("Reuters", "source")]
    assert [
        x.name
        for x in find_credits(line("Republished from The Conversation under a Creative Commons license."))
    ] == ["The Conversation"]
    assert find_credits(line("via: <https://www.patreon.com/southfront>")) == []  # a payment route


def test_according_to_only_credits_outlets() -> None:
    text = "Prices rose, according to the Financial Times. According to John Smith, it is bad."
    assert [c.name for c in find_according_to(text)] == ["Financial Times"]
    assert [c.name for c in find_wire_credit("MOSCOW (TASS) - The ministry said...")] == ["TASS"]


# --- media, funding, contacts --------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://southfront.org/wp-content/uploads/video/06_01_20_FPD_Soleimani.mp4", "video"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "video"),
        ("https://youtu.be/dQw4w9WgXcQ", "video"),
        ("https://rumble.com/v2abc-news.html", "video"),
        ("https://www.bitchute.com/video/abc123/", "video"),
        ("https://player.vimeo.com/video/123", "iframe"),
        ("https://cdn.example.org/podcast/ep12.mp3", "audio"),
        ("https://example.org/photo.JPG?w=800", "image"),
        ("https://www.youtube.com/c/somechannel", None),
        ("https://example.org/news/story", None),
    ],
)
def test_media_kinds(url: str, kind: str | None) -> None:
    assert media_kind(url) == kind


def test_funding_channels_by_host_and_checksum() -> None:
    text = (
        "Support: paypal.me/janedoe, https://www.patreon.com/janedoe, https://jane.substack.com/subscribe, "
        "buymeacoffee.com/jane, https://www.gofundme.com/f/legal-fund, https://example.org/donate/. "
        "ETH: 0x52908400098527886E0F7030069857D2E4169EE7 "
        "XMR: 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBY"
        "Bb98uNbr2VBBEt7f2wfn3RVGQBEP3A "
        "LTC: LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz IBAN: DE89 3704 0044 0532 0130 00 BIC: COBADEFFXXX"
    )
    got = [f.channel for f in find_funding(text)]
    assert got == [
        "paypal",
        "patreon",
        "substack",
        "buymeacoffee",
        "gofundme",
        "donate_page",
        "crypto:ETH",
        "crypto:XMR",
        "crypto:LTC",
        "bank:IBAN",
        "bank:SWIFT",
    ]
    for f in find_funding(text, 10):
        assert text[f.start - 10 : f.end - 10] == f.value


def test_lookalike_addresses_are_not_funding() -> None:
    fake = (
        "Order ref 1BoatSLRHtKNngkdXEeobR76b53LETtpyU, "
        "hash 0x52908400098527886E0F7030069857D2E4169Ee7, DE89 3704 0044 0532 0130 01"
    )
    assert find_funding(fake) == []
    assert not valid_btc("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx")
    assert valid_ltc("LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz") and not valid_xmr("4" * 95)
    assert valid_eth("0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae") and not valid_eth("0x" + "0" * 40)
    assert valid_iban("GB82 WEST 1234 5698 7654 32") and not valid_iban("GB82 WEST 1234 5698 7654 33")


def test_contacts_with_roles() -> None:
    text = (
        "PayPal: shop@example.org. For media inquiries: press@example.org\n"
        "Advertising enquiries: ads@example.org. Tel: +44 20 7946 0958. Follow https://twitter.com/example"
    )
    got = [(c.kind, c.value, c.role) for c in find_contacts(text, exclude=["shop@example.org"])]
    assert got == [
        ("email", "press@example.org", "media inquiries"),
        ("email", "ads@example.org", "advertising enquiries"),
        ("phone", "+44 20 7946 0958", "tel"),
        ("social", "https://twitter.com/example", None),
    ]


def test_years_and_counts_are_not_phone_numbers() -> None:
    assert find_contacts("Between 1980 - 1988 the war killed 500000 people; call it 2019-2020.") == []


def test_language_detection_is_offline_and_honest() -> None:
    assert detect_language("Die Regierung hat am Dienstag eine neue Rentenreform angekündigt.") == "de"
    assert detect_language("ok") is None


def test_literal_pattern_matches_exactly_its_words() -> None:
    import re

    from presslens.anatomy.boilerplate import HINTS
    from presslens.anatomy.scan import literal_pattern

    words = {w for stems in HINTS.values() for w in stems}
    trie = re.compile(literal_pattern(words))
    assert all(trie.fullmatch(w) for w in words)
    # every prefix and one-letter extension that is not itself a word is refused
    others = {w[:i] for w in words for i in range(len(w))} | {w + "x" for w in words}
    assert not any(trie.fullmatch(w) for w in others - words)


@pytest.mark.parametrize(
    "expression",
    [
        "January 07, 2020",
        "6 January 2020",
        "7th of March, 2021",
        "Sept. 31, 2020",
        "Feb 29, 2019",
        "DEC 25 2019",
    ],
)
def test_month_name_dates_read_as_dateutil_reads_them(expression: str) -> None:
    from presslens.lexicon.dates import _dateutil_iso, _en_iso

    assert _en_iso(expression) == _dateutil_iso(expression, fuzzy=False)
