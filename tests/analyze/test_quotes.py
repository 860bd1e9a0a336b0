"""The quotes stage: who is quoted saying what, in every quote style."""

from __future__ import annotations

import pytest

from presslens.analyze.nlp import parse
from presslens.analyze.quotes import QuoteStage, extract_quotes
from presslens.document import Document, Quote, RawPage
from presslens.pipeline import Pipeline


def _quote(quotes: list[Quote], words: str, kind: str | None = None) -> Quote:
    hits = [q for q in quotes if words in q.text and kind in (None, q.kind)]
    assert hits, f"no quote with {words!r}: {[q.text for q in quotes]}"
    return hits[0]


def test_example_page_speakers(soleimani: Document) -> None:
    quotes = QuoteStage()(soleimani).quotes
    martyr = _quote(quotes, "living martyr of the revolution")
    # A fragment worked into the writer's sentence is partial and keeps its speaker.
    assert (martyr.speaker, martyr.kind, martyr.cue) == ("Ali Khamenei", "partial", "described")
    criminals = _quote(quotes, "criminals", kind="partial")
    assert criminals.text == "criminals" and criminals.speaker == "Ali Khamenei"
    flag = _quote(quotes, "Those who want to avenge")
    assert flag.cue == "read"
    assert flag.speaker is None  # the words of a war flag, not a person
    assert all(soleimani.text[q.start : q.end] == q.text for q in quotes)


def test_example_page_indirect_speech(soleimani: Document) -> None:
    quotes = extract_quotes(soleimani)
    denial = _quote(quotes, "he hoped to remain a soldier")
    assert denial.kind == "indirect" and denial.cue == "saying"
    assert denial.speaker is not None and "Suleimani" in denial.speaker  # "He" resolved to the general
    mourning = _quote(quotes, "will double the motivation")
    assert (mourning.kind, mourning.speaker) == ("indirect", "Ali Khamenei")


@pytest.mark.parametrize(
    "text",
    [
        "“We will not back down,” said Boris Johnson.",
        '"We will not back down," said Boris Johnson.',
        "Boris Johnson said: ‘We will not back down.’",
        "Boris Johnson told reporters: «We will not back down.»",
    ],
)
def test_quote_styles(text: str) -> None:
    quote = _quote(extract_quotes(Document(source="t", text=text)), "We will not back down")
    assert quote.speaker == "Boris Johnson" and quote.kind == "direct"
    assert quote.text.startswith("We") and "“" not in quote.text and '"' not in quote.text


def test_apostrophes_are_not_quotes() -> None:
    quotes = extract_quotes(
        Document(source="t", text="Obama’s aides didn’t say it. The dog's bone isn't here.")
    )
    assert [q for q in quotes if q.kind != "indirect"] == []


def test_pronoun_speaker_resolved_through_entities() -> None:
    text = 'Angela Merkel arrived late. "This is a good day for Europe," she said.'
    quote = _quote(extract_quotes(Document(source="t", text=text)), "good day")
    assert quote.speaker == "Angela Merkel"


@pytest.mark.parametrize("text", ["", "No quotes here at all.", '"'])
def test_nothing_quoted(text: str) -> None:
    assert extract_quotes(Document(source="t", text=text)) == []


def test_full_pipeline_on_the_example(soleimani: Document) -> None:
    """anatomy finds the body; the four analyze stages then share one parse of it."""
    names = ["anatomy", "parse", "entities", "quotes", "claims", "timeline"]
    doc = Pipeline.from_names(names)(RawPage(source="example", kind="text", text=soleimani.text))
    assert doc.stages == ["body", "metadata", "wrapper", *names[1:]]
    speakers = {q.text: q.speaker for q in doc.quotes}
    assert speakers["living martyr of the revolution"] == "Ali Khamenei"
    assert speakers["criminals"] == "Ali Khamenei"
    assert any(c.kind == "statistic" and "76%" in c.numbers for c in doc.claims)
    assert ("1980-09-22", "1988-08-20") in {(t.date, t.end_date) for t in doc.timeline}
    start, end = doc.body_range
    spans = [*(m for e in doc.entities for m in e.mentions), *doc.quotes, *doc.claims, *doc.timeline]
    assert all(start <= s.start and s.end <= end for s in spans)


@pytest.mark.parametrize(
    "text",
    [
        'Reporters met Mike Pompeo, who said "the talks will go on for many weeks."',
        '"The talks will go on for many weeks," according to Mike Pompeo.',
    ],
)
def test_relative_clause_and_according_to_name_the_speaker(text: str) -> None:
    quote = _quote(extract_quotes(Document(source="t", text=text)), "talks will go on")
    assert quote.speaker == "Mike Pompeo"


def test_short_fragment_with_inner_period_is_not_direct() -> None:
    # "called X a '…'" attributes the words: a partial quote, even with the period inside.
    text = 'He called the aide a "trusted counselor." Then he said: "Go home."'
    kinds = {q.text: q.kind for q in extract_quotes(Document(source="t", text=text))}
    assert kinds["trusted counselor."] == "partial"
    assert kinds["Go home."] == "direct"


def test_scare_quotes_have_no_speaker_and_partial_quotes_keep_theirs() -> None:
    text = (
        "Kevin Shaw runs a website that is 'cool' with the 'optics' of the campaign.\n"
        'Ali Khamenei warned that revenge awaits the "criminals" in the region.'
    )
    quotes = extract_quotes(Document(source="t", text=text))
    for word in ("cool", "optics"):
        scare = _quote(quotes, word)
        assert (scare.kind, scare.speaker, scare.cue) == ("scare", None, None)
    partial = _quote(quotes, "criminals", kind="partial")
    assert (partial.text, partial.speaker) == ("criminals", "Ali Khamenei")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "“Man whose vehicle exploded at the base identified,” KGO, March 23, 2018: A man drove in.",
            "Man whose",
        ),
        ("“Top County Official Let People Vote Over Fax,” by Randy DeSoto, Western Journal.", "Top County"),
        ("Wikipedia has a page devoted to “List of Grenade Attacks in Sweden,” which lists 80.", "List of"),
        ("He wore a “Make America Great Again” hat at dinner.", "Make America"),
    ],
)
def test_titles_of_works(text: str, words: str) -> None:
    quote = _quote(extract_quotes(Document(source="t", text="Headline\n" + text)), words)
    assert (quote.kind, quote.speaker) == ("title", None)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The speaker inverted after the cue, behind a role noun.
        ("The car was gone. “The car basically blew up,” said witness Kamren Hernandez.", "Kamren Hernandez"),
        # A person named inside an organisation phrase speaks, not the organisation.
        (
            "World Health Organization official Peter Salama said: “This is a major development.”",
            "Peter Salama",
        ),
        # A line ending in a colon introduces the next paragraph's quote.
        ("Just 30 seconds later, Kara Swisher asked:\n“What do you think of the senator?”", "Kara Swisher"),
    ],
)
def test_speaker_resolution(text: str, speaker: str) -> None:
    quotes = [q for q in extract_quotes(Document(source="t", text=text)) if q.kind == "direct"]
    assert [q.speaker for q in quotes] == [speaker]


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # A title alone is the person the text names with it, however it is abbreviated.
        (
            "Attorney General Jeff Sessions answered hours later.\n"
            "“I took control of the Department of Justice the day I was sworn in,” the AG said.",
            "I took control",
            "Jeff Sessions",
        ),
        (
            "Prime Minister Sarah Ndlovu visited the clinic with John Banda on Monday.\n"
            "“We have enough vaccine for everyone,” the PM told reporters.",
            "enough vaccine",
            "Sarah Ndlovu",
        ),
        # The addressee of a letter and the listener of "told" are not who "he" is.
        (
            "Thomas Weinandy sent a long letter to Pope Francis.\n"
            "“Your pontificate is marked by chronic confusion,” he wrote.",
            "chronic confusion",
            "Thomas Weinandy",
        ),
        (
            "In a letter to Pope Francis, Thomas Weinandy wrote:\n“Your pontificate is marked by confusion.”",
            "marked by confusion",
            "Thomas Weinandy",
        ),
        # A pronoun goes to the last person of its gender, not to the man named in between.
        (
            "Angela Merkel spoke after meeting Peter Mwangi in Berlin.\n"
            "“We agreed on a great deal of trade,” she said.",
            "great deal of trade",
            "Angela Merkel",
        ),
        # The subject of the clause a colon ends speaks.
        (
            "Cardinal Francesco Coccopalmerio made it very clear to the Catholic News Service what the "
            "pope wants: “The letter and the interpretations are authentic magisterium.”",
            "authentic magisterium",
            "Francesco Coccopalmerio",
        ),
        # A headline "X to Y:" is X speaking to Y.
        (
            "Cardinal Raymond Burke to Michael Matt: “Amoris Is Not an Exercise of Magisterium”\n"
            "Raymond Burke gave an interview.",
            "Amoris Is Not",
            "Raymond Burke",
        ),
        # A line that introduces the quote outranks the previous quote's speaker.
        (
            "Just 30 seconds later, as Kara Swisher asked:\n“What do you think of the senator?”\n"
            "Which Hillary Clinton quickly corrected:\n“Well that was Eric Holder…”",
            "Eric Holder",
            "Hillary Clinton",
        ),
        # An organisation speaks when no person is named for the words.
        (
            "The U.S. Conference of Mayors met in Boston this week.\n"
            "“The Conference has a 50-year history of backing gun laws,” the group said.",
            "50-year history",
            "U.S. Conference of Mayors",
        ),
    ],
)
def test_speakers_through_titles_letters_pronouns_and_organisations(
    text: str, words: str, speaker: str
) -> None:
    quote = _quote(extract_quotes(Document(source="t", text=text)), words)
    assert quote.kind in {"direct", "partial"} and quote.speaker == speaker


def test_the_nearest_attributing_clause_across_a_sentence_boundary() -> None:
    text = (
        "Reporters were told about the raids on Friday.\n"
        "World Health Organization officials announced that the raid led to 232 arrests.\n"
        "Of those 232, 180 “were either convicted criminals or had been removed before.”\n"
        "Kevin Shaw wrote that he left.\nJane Doe said it was bad. "
        "Of those, 80 “had been removed once before and came back.”"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "were either convicted").speaker == "World Health Organization"
    assert _quote(quotes, "removed once before").speaker == "Jane Doe"


def test_an_office_is_no_speaker_when_its_holder_is_named() -> None:
    # "AG" is also an organisation's initials here; the speaker is the person holding the office.
    text = (
        "The Attorney General’s Office published the memo.\n"
        "Attorney General Jeff Sessions defended it with Rod Rosenstein.\n"
        "“We will enforce the law,” the AG said."
    )
    quote = _quote(extract_quotes(Document(source="t", text=text)), "enforce the law")
    assert quote.speaker == "Jeff Sessions"


def test_unusual_cue_verbs_headline_repeats_and_one_word_first_names() -> None:
    text = (
        "“We Now Have Urban Ebola” In Congo, Officials Warn Of More Cases\n\n"
        "Health officials met on Monday in Geneva. "
        "But Maria Lopez voiced alarm that “plague in Madagascar behaved in a very different way.”\n"
        "“We have urban Ebola, which is a very different animal,” said Peter Salama, a WHO official.\n"
        "“He was one of the guys,” Harrison Weinhold told CBS News in March 2016."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "plague in Madagascar").speaker == "Maria Lopez"
    assert _quote(quotes, "We Now Have Urban Ebola").speaker == "Peter Salama"
    assert _quote(quotes, "one of the guys").speaker == "Harrison Weinhold"


def test_a_clause_subject_under_a_cue_is_no_speaker() -> None:
    text = (
        "Brett Kavanaugh was nominated in July. Sixty-five women who have known him said he has "
        "always behaved “honorably” in their company."
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "honorably").speaker is None


@pytest.mark.parametrize(
    ("text", "words", "kind"),
    [
        (
            "Friends called him “one of the guys.” “He was never an outcast,” Tom Brady told CBS.",
            "never",
            "direct",
        ),
        (
            "Police were called.\n… “People are shot in pizza restaurants,” Jimmie Akesson said.",
            "People",
            "direct",
        ),
        ("The man walks away saying “Get out of here now.”", "Get out", "direct"),
        (
            "Their findings, Mike Pompeo said, “will be transparent for everyone to see.”",
            "transparent",
            "partial",
        ),
        ("As the video begins, the man says, “… supporting the president.”", "supporting", "direct"),
    ],
)
def test_direct_or_partial_by_how_the_words_stand(text: str, words: str, kind: str) -> None:
    assert _quote(extract_quotes(Document(source="t", text=text)), words).kind == kind


@pytest.mark.parametrize("verb", ["insisted", "cautioned", "tweeted", "lamented", "conceded", "pointed out"])
def test_many_ways_of_saying_said_name_the_speaker(verb: str) -> None:
    # NER often tags the surname of such a sentence as a people or nothing at all.
    text = f"“The virus is spreading,” Fauci {verb}."
    assert _quote(extract_quotes(Document(source="t", text=text)), "virus").speaker == "Fauci"


def test_words_in_an_adverbial_clause_are_not_the_verbs_speech() -> None:
    text = (
        "Donald Trump cast himself as a victim, saying when he attempts to “FIGHT BACK or say "
        "anything bad about the Rigged Witch Hunt,” his critics “scream Obstruction!”"
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "FIGHT BACK").speaker == "Donald Trump"


def test_a_quoted_person_name_is_scare_and_an_organisation_like_slogan_a_title() -> None:
    text = (
        "Coroner holds back the report\n"
        "Stephen Paddock fired from the hotel. The coroner has not released the report for "
        "“Stephen Paddock” after the article said the body was not his. One of the men wore a "
        "“Make America Great Again” hat, the station reported."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "Stephen Paddock").kind == "scare"
    assert _quote(quotes, "Make America").kind == "title"


def test_a_term_the_writer_names_is_scare_even_beside_a_cue() -> None:
    text = (
        "Records\n"
        "Researchers said the cooldown could echo the mid-17th century, called the “Maunder Minimum,” "
        "when rivers froze. Officials said the so-called “deep state” was a myth. "
        "Winner called Trump an “orange fascist” on Twitter."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    for words in ("Maunder Minimum", "deep state"):
        assert _quote(quotes, words, kind="scare").speaker is None
        assert not [q for q in quotes if words in q.text and q.kind in {"partial", "direct"}]
    # Someone calling a person something says those words.
    assert _quote(quotes, "orange fascist").kind == "partial"


def test_a_headline_source_after_a_colon_speaks_the_headline_quote() -> None:
    text = (
        "Next plague outbreak in Madagascar could be 'stronger': WHO\n"
        "The World Health Organisation (WHO) chief on Wednesday said the epidemic was under control. "
        "WHO officials met in Geneva."
    )
    quote = _quote(extract_quotes(Document(source="t", text=text)), "stronger")
    assert (quote.kind, quote.speaker) == ("partial", "World Health Organisation")


def test_a_quoted_organisation_name_is_no_title_but_a_slogan_on_a_thing_is() -> None:
    text = (
        "Protest at the ministry\n"
        "The Bureau of Land Management said the lease stands. Critics mocked the "
        "“Bureau of Land Management” for its silence. Marchers carried a “Stop The Lease Now” "
        "banner past the offices."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "Bureau of Land").kind != "title"
    assert _quote(quotes, "Stop The Lease").kind == "title"


def test_by_after_a_short_quote_is_an_agent_not_a_byline() -> None:
    text = (
        "Groups protest\n"
        "The council said that the omission may have been part of a “cover up” by French "
        "authorities. Wikipedia cites “Attacks on the Border Rise,” by Jane Roe, as its source."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert [q.kind for q in quotes if q.text == "cover up"] == ["partial"]
    assert _quote(quotes, "Attacks on the Border").kind == "title"


def test_straight_single_quotes_closed_before_a_dash_are_a_scare_quote() -> None:
    text = (
        "Bishops and the letter\n"
        "The pope has tried to make the bishops' reading of the letter 'magisterial'--a reading "
        "that changes the practice--and the cardinal's reply matters."
    )
    assert [(q.text, q.kind) for q in extract_quotes(Document(source="t", text=text))] == [
        ("magisterial", "scare")
    ]


def test_a_quote_paragraph_with_no_cue_belongs_to_the_subject_just_before() -> None:
    text = (
        "Blast at the base gate\n"
        "Witness Kamren Hernandez watched from the family restaurant.\n"
        "His neighbour Maria Lopez saw it too.\n"
        "“It kept exploding, again and again, for a long time.”\n"
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "kept exploding").speaker == "Maria Lopez"


def test_an_apposition_to_the_subject_speaks_not_the_possessor() -> None:
    text = (
        "Blast at the base gate\n"
        "Witness Kamren Hernandez watched from the family restaurant. Hernandez’ father, Marco, "
        "said: “It kept exploding, again and again, for a long time.”\n"
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "kept exploding").speaker == "Marco"


def test_the_one_who_names_speaks_not_the_one_who_reports_the_naming() -> None:
    text = (
        "Attack in the building\n"
        "Sarah Halimi lived on the third floor. Kobili Traore lived below. Halimi’s daughter said "
        "after the murder that Traore called her, the daughter, a “dirty liar” two years before."
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "dirty liar").speaker == "Kobili Traore"


def test_a_pronoun_is_never_a_person_of_the_other_gender() -> None:
    text = (
        "Bloggers banned\n"
        "Ms Geller spoke on the radio after Tommy Robinson arrived at the station.\n"
        "“It is embarrassing for this land of free speech,” he said.\n"
    )
    quote = _quote(extract_quotes(Document(source="t", text=text)), "embarrassing")
    assert quote.speaker == "Tommy Robinson"


def test_a_pronoun_is_the_main_subject_not_one_in_a_clause_below() -> None:
    text = (
        "Bloggers banned\n"
        "Tommy Robinson said the visitors wanted to lay flowers where Lee Rigby died.\n"
        "“It just shows what sort of a two-tier system we have here,” he said.\n"
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "two-tier").speaker == "Tommy Robinson"


def test_he_after_an_unnamed_spokesman_is_the_spokesman() -> None:
    text = (
        "Bloggers banned\n"
        "Soldier Lee Rigby was killed in Woolwich last month.\n"
        "A government spokesman said the two could be excluded by the home secretary.\n"
        "He added: “We will not stand for extremism in any form.”\n"
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "extremism").speaker is None


def test_a_word_someone_judges_something_as_is_theirs_not_a_scare_quote() -> None:
    text = (
        "Congressman and the preacher\n"
        "Rep. Danny Davis defended Louis Farrakhan on Monday as an “outstanding human being.” "
        "Farrakhan has repeatedly denounced Jews as “satanic,” praised Hitler as a “very great man” "
        "and has been shunned for it.\n"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    got = [(q.text.strip(" ,."), q.kind, q.speaker) for q in quotes if q.kind != "indirect"]
    assert got == [
        ("outstanding human being", "partial", "Danny Davis"),
        ("satanic", "partial", "Louis Farrakhan"),
        ("very great man", "partial", "Louis Farrakhan"),
    ]


def test_a_sentence_after_a_cue_clause_and_a_comma_is_direct() -> None:
    text = (
        "Orban calls for an alliance\n"
        "Viktor Orban told an audience at the Royal Castle in Budapest, "
        "“Christianity is Europe’s last hope.”\n"
    )
    quote = _quote(extract_quotes(Document(source="t", text=text)), "last hope")
    assert (quote.kind, quote.speaker) == ("direct", "Viktor Orban")


def test_a_direct_quote_taken_up_after_its_cue_stays_direct() -> None:
    text = (
        "Cardinal on the pope\n"
        "“The Pope’s statements against abuse are genuine,” Cardinal Sean O’Malley said, "
        "“and they are his commitment.”\n"
    )
    quote = _quote(extract_quotes(Document(source="t", text=text)), "his commitment")
    assert (quote.kind, quote.speaker) == ("direct", "Sean O’Malley")


def test_a_long_quote_going_on_over_paragraphs_is_quoted_paragraph_by_paragraph() -> None:
    # PTC writes a sentence a line: the two paragraphs together run over five line breaks.
    text = (
        "Bloggers banned\n"
        'A researcher, Matthew Collins, said the group was "delighted" with the decision.\n\n'
        '"These two are among the most extreme activists in the world.\n'
        "They have nothing to contribute to life in this country.\n\n"
        "\"They're not here to contribute to good community relations.\n"
        "They only wanted to come here and stir up more trouble.\n"
        'Britain does not need more hate."\n'
    )
    quotes = [q for q in extract_quotes(Document(source="t", text=text)) if q.kind != "indirect"]
    assert [(q.text.split()[0], q.speaker) for q in quotes] == [
        ("delighted", "Matthew Collins"),
        ("These", "Matthew Collins"),
        ("They're", "Matthew Collins"),
    ]


def test_a_word_quoted_further_on_in_a_name_colon_headline_is_that_persons() -> None:
    text = (
        "Cardinal Müller: Blessing homosexual couples would be an ‘atrocity’\n"
        "Former Vatican doctrine chief Cardinal Gerhard Ludwig Müller rejected the idea in a talk.\n"
    )
    quote = _quote(extract_quotes(Document(source="t", text=text)), "atrocity")
    assert (quote.kind, quote.speaker) == ("partial", "Gerhard Ludwig Müller")


def test_a_topic_between_a_name_and_the_colon_names_no_speaker() -> None:
    text = (
        "Staffer on video\n"
        "Omar Smith, a staffer, went to college with Andrew Gillum. Gillum is running for governor.\n"
        'Gillum election strategy: "You have to whip them up into a frenzy in order for them to vote."\n'
    )
    assert _quote(extract_quotes(Document(source="t", text=text)), "frenzy").speaker != "Andrew Gillum"


def test_a_mentioned_term_is_scare_even_with_an_agent() -> None:
    text = (
        "Davis on the question\n"
        "Davis said he had discussed the matter. The term “Jewish Question” is largely used by "
        "anti-Semites."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "Jewish Question").kind == "scare"


def test_a_named_concept_is_scare_even_after_a_verb_of_saying() -> None:
    text = (
        "Blowback\n"
        "Back in 2008, I explained to then-candidate Rudy Giuliani the concept of “blowback.” "
        "As I explained to Giuliani, the concept of “blowback” is well-known in the CIA."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert [q.kind for q in quotes] == ["scare", "scare"]
    assert all(q.speaker is None for q in quotes)


def test_a_short_utterance_ended_after_its_closing_mark_is_direct() -> None:
    text = (
        "Attack at a station\n"
        "A man stabbed four people near Munich while screaming, “Allahu Akbar”. "
        "Police arrested him at the scene."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "Allahu Akbar").kind == "direct"


def test_a_short_term_inside_what_someone_thinks_or_talks_about_is_partial() -> None:
    text = (
        "Sonic attacks in China\n"
        "Initially officials suspected a weapon, although in public senior officials were more "
        "cautious, speaking of “health attacks”. Experts fear an “explosive increase” in cases. "
        "Remember when Obama's “pastor,” Jeremiah Wright uttered “God damn, America!”? "
        "The US embassy issued a health alert after an employee experienced an “abnormal” sound. "
        "The fear of a spread has been confirmed as “100 percent likely.” "
        "Don Lemon wanted to defend the “peaceful” migrants."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    for words in ("health attacks", "explosive increase", "God damn"):
        assert _quote(quotes, words).kind == "partial", words
    assert _quote(quotes, "God damn").speaker == "Jeremiah Wright"
    # Outside any report: a narrative clause, a subject, an agentless passive, a plain object.
    for words in ("pastor", "abnormal", "100 percent likely", "peaceful"):
        assert _quote(quotes, words).kind == "scare", words


def test_an_unnamed_official_of_a_named_body_is_no_speaker() -> None:
    text = (
        "Declassification ordered\n"
        "The FBI released the pages. A Justice Department spokesperson told Fox News that the FBI "
        "“are already working with the Director of National Intelligence.” "
        "“We cannot connect it with Havana,” a US embassy official told AFP. "
        "“We will release them,” Border Patrol officials said."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "are already working").speaker is None
    assert _quote(quotes, "We cannot connect").speaker is None
    # Several officials speak for their body.
    assert _quote(quotes, "We will release").speaker == "Border Patrol"


def test_she_after_a_long_stretch_is_the_last_woman_named() -> None:
    poll = 8 * "Should military force be used to stop the caravan of migrants marching to the border?\n"
    text = (
        "Clinton on politeness\n"
        "Hillary Clinton sat down with Recode’s Kara Swisher to talk about her opponents.\n"
        "“What’s often called political correctness is politeness,” Clinton said.\n"
        + poll
        + "“The Democratic Party is a much more diverse political party, attracting people who are "
        "taken in, where they are included as part of a political movement or party” she added.\n"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "The Democratic Party").speaker == "Hillary Clinton"


def test_a_work_named_as_one_is_a_title() -> None:
    text = (
        "Trump orders declassification\n"
        "Three of the pages contain information included in a section titled “The Russian "
        "Government’s Coordinated Efforts to Influence the 2016 U.S. Presidential Election.” "
        "In December, the AJHS will feature “Rubble Rubble”, a play by Dan Fishback. "
        "They keep a dog named “Rex” at home."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "Coordinated Efforts").kind == "title"
    assert _quote(quotes, "Rubble Rubble").kind == "title"
    assert _quote(quotes, "Rex").kind == "scare"


def test_a_line_broken_after_us_still_reaches_its_attribution() -> None:
    # PTC writes a sentence a line, and its splitter broke this one after "U.S.".
    text = (
        "Pompeo meets Saudi king\n"
        "President Donald Trump on Monday ordered Secretary of State Mike Pompeo to rush to the "
        "kingdom to determine the fate of the missing journalist, Jamal Khashoggi.\n"
        "In his meetings, Pompeo conveyed “U.S.\n"
        "concern” about Khashoggi’s disappearance two weeks ago, the State Department said, and "
        "stressed “the importance of a thorough, transparent, and timely investigation.”\n"
        "Pompeo flew back to the U.S.\n"
        "All were relieved.\n"
    )
    doc = Document(source="t", text=text)
    quotes = extract_quotes(doc)
    assert _quote(quotes, "concern").kind == "partial"
    assert _quote(quotes, "the importance of").speaker == "State Department"
    # A common word after "U.S." and a line break opens a new sentence.
    sents = [s.text for s in parse(doc).doc.sents]
    assert any(s.startswith("All were relieved") for s in sents)


def test_a_quote_that_quotes_others_is_one_quote() -> None:
    text = (
        "Ellison and Farrakhan\n"
        "As Michael Ahrens tweeted, Ellison knew who Farrakhan was. "
        "Ahrens tweeted, “In 1993, Farrakhan told women: “You’re a failure "
        "if you can’t keep a man.” All this came before Ellison praised him as “a role model” in "
        "1995.”\n"
        '"it’s not that BDS is “censoring” work — it’s that BDS is resisting a campaign," Dan '
        "Fishback claimed.\n"
    )
    quotes = [q for q in extract_quotes(Document(source="t", text=text)) if q.kind != "indirect"]
    tweet = _quote(quotes, "In 1993")
    assert tweet.text.endswith("in 1995.") and tweet.speaker == "Michael Ahrens"
    assert _quote(quotes, "censoring").text.startswith("it’s not that BDS")
    assert len(quotes) == 2
    assert not any(
        q.kind == "indirect" and "failure" in q.text for q in extract_quotes(Document(source="t", text=text))
    )


def test_a_participle_on_a_noun_and_a_persons_record_name_the_speaker() -> None:
    text = (
        "Clinton and Farrakhan\n"
        "Former Secretary of State Hillary Clinton mixed up Senator Cory Booker and former Attorney "
        'General Eric Holder and blew it off with a joke saying, "They all look the same." '
        "Louis Farrakhan’s history of racially extreme comments includes blaming Jews for the "
        "attacks, saying white people “deserve to die” and praising Adolf Hitler as a “very great man.”"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "They all look the same").speaker == "Hillary Clinton"
    assert _quote(quotes, "deserve to die").speaker == "Louis Farrakhan"
    assert _quote(quotes, "very great man").speaker == "Louis Farrakhan"


def test_a_countrys_title_names_its_holder_and_that_makes_it_partial() -> None:
    text = (
        "Hungarian Prime Minister: ‘Christianity is Europe’s last hope’\n"
        "BUDAPEST, Hungary, February 19, 2018 (LifeSiteNews) – Brushing aside any semblance of "
        "political correctness, Hungary’s Prime Minister said in his state of the nation speech on "
        "Sunday that, “Christianity is Europe's last hope.”\nAddressing his country, Prime Minister "
        "Viktor Orbán warned that nations which have encouraged migration have “opened the way to "
        "the decline of Christian culture.”\n"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    headline = _quote(quotes, "Christianity is Europe’s")
    assert (headline.kind, headline.speaker) == ("direct", "Viktor Orbán")
    body = _quote(quotes, "Christianity is Europe's", kind="partial")
    assert (body.kind, body.speaker) == ("partial", "Viktor Orbán")


def test_a_cue_aside_attributes_its_whole_sentence() -> None:
    text = (
        "Clinton and Roseanne\n"
        "As The American Mirror’s Kyle Olsen concludes so eloquently, Hillary Clinton appears to "
        "benefit from her progressive privilege – it is the only thing that protects her from "
        "getting the ‘Roseanne treatment’, and not being dismissed in disgrace. "
        "The Daily Mail called it a scandal; he had hoped to “heal” the wounds."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    roseanne = _quote(quotes, "Roseanne treatment")
    assert (roseanne.kind, roseanne.speaker) == ("partial", "Kyle Olsen")
    assert _quote(quotes, "heal").kind == "scare"


def test_a_whole_sentence_after_a_comma_is_direct() -> None:
    text = (
        "Ellison and the saying\n"
        'As the old saying goes, "If you lie down with dogs, you are going to get fleas." '
        "He said in his speech that, “Christianity is the last hope of Europe.”"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "lie down with dogs").kind == "direct"
    assert _quote(quotes, "Christianity is", kind="partial").kind == "partial"


def test_a_subject_the_parse_hangs_on_the_auxiliary_still_speaks() -> None:
    text = (
        "Shock!\n"
        "The Pope Is Now Openly Attacking Child Sexual Abuse Victims For “Slander”\n"
        "Speaking to the Associated Press, Pope Francis said the accusations were lies."
    )
    quotes = extract_quotes(Document(source="t", text=text))
    slander = _quote(quotes, "Slander")
    assert slander.kind == "partial" and slander.speaker in {"Pope Francis", "Francis"}


def test_it_said_is_the_organisation_that_spoke_the_sentence_before() -> None:
    text = (
        "New outbreak of Ebola kills 17 in northwest DR Congo\n"
        "In Geneva, the World Health Organization (WHO) said lab tests in the DRC confirmed the "
        "presence of Ebola virus in two out of five samples.\n"
        '"WHO is working closely with the government of the DRC to rapidly scale up its '
        'operations," it said in a statement.\n'
        '"The action plan prepared by the health ministry has been approved," an official '
        "statement released after a cabinet meeting said.\n"
        '"Since the notification of the cases on May 3, no deaths have been reported," it said.\n'
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "WHO is working").speaker == "World Health Organization"
    assert _quote(quotes, "Since the notification").speaker is None  # the unnamed statement's


def test_a_cue_verb_the_parse_left_without_a_subject_takes_the_person_named_before_it() -> None:
    text = (
        "Parish leaders began bracing for the aftermath of the audit.\n"
        "On Monday, D.C.’s bishop, Father Paul Kerrigan, former longtime leader of the Baltimore "
        "diocese, warned his priests in a memo that the audit will be “deeply painful.”"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    painful = _quote(quotes, "deeply painful", kind="partial")
    assert painful.speaker == "Paul Kerrigan"


def test_a_participle_after_a_record_by_someone_quotes_its_author() -> None:
    text = (
        "In the weeks before the vote, there had been other hostile incidents, including a post "
        "by Karl Mender, an elected member of the student senate, saying: “ban the chaplains.”"
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert _quote(quotes, "ban the chaplains").speaker == "Karl Mender"


def test_according_to_is_the_source_of_its_own_clause_only() -> None:
    text = (
        'So these are the officials who are going to "renew" our schools in the "new era" with its '
        'fresh plans, and led by a minister who, according to Professor Alan Grey, "ignores every '
        'warning that he is given."'
    )
    quotes = extract_quotes(Document(source="t", text=text))
    assert (_quote(quotes, "renew").kind, _quote(quotes, "renew").speaker) == ("scare", None)
    assert (_quote(quotes, "new era").kind, _quote(quotes, "new era").speaker) == ("scare", None)
    assert _quote(quotes, "ignores every warning").speaker == "Alan Grey"
