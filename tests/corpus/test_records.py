"""What the store keeps of a page for syndication: the body without the widgets pasted into it,
and the credits it gives (a credit line, not an "according to" mention)."""

from __future__ import annotations

from presslens.anatomy.boilerplate import classify
from presslens.corpus.records import credits_of, strip_widgets, to_record
from presslens.document import OriginalSource
from tests.corpus.factory import ARTICLE, make_doc

POLL = [
    "take our poll - story continues below",
    "Whom do you consider to be the most corrupt politician in the capital?",
    "* Yes No Not sure Email *",
    "Name This field is for validation purposes and should be left unchanged.",
    "Completing this poll grants you access to Freedom Outpost updates free of charge.",
    "You may opt out at anytime.",
    "You also agree to this site's Privacy Policy and Terms of Use.",
]


def test_a_poll_widget_is_its_own_boilerplate_kind() -> None:
    assert classify(POLL[0]).kind == "poll"
    assert classify(POLL[4]).kind == "poll"
    assert classify("The survey found that most voters may opt out of the plan.").kind is None


def test_the_stored_body_leaves_out_a_poll_widget_and_the_question_inside_it() -> None:
    first, rest = ARTICLE.split("\n\n", 1)
    body = "\n".join([first, *POLL, rest])
    kept = strip_widgets(body)
    assert "poll" not in kept.lower() and "corrupt politician" not in kept
    assert kept.startswith(first) and kept.endswith(rest)
    doc, raw = make_doc("https://freedom.example/a", body)
    assert to_record(doc, "k", raw).body_text == kept
    assert strip_widgets(ARTICLE) == ARTICLE  # an article without widgets is kept as it is


def test_credits_read_the_outlet_not_the_author_and_skip_according_to() -> None:
    doc, _ = make_doc(
        "https://mirror.example/a",
        ARTICLE,
        wrapper_after="This article was originally published by Tyler Durden at Zero Hedge.",
    )
    assert ("Zero Hedge", None) in credits_of(doc)
    doc.metadata.original_source = OriginalSource(name="Natural News", relation="according_to")
    assert ("Natural News", None) not in credits_of(doc)
