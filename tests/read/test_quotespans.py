"""Quoted passages: the marks real coverage writes, on passages written for these tests."""

from __future__ import annotations

from heraldtui.core.read.quotespans import quote_spans


def texts(*paras: str) -> list[str]:
    return [s.text for s in quote_spans(list(paras))]


def test_a_straight_mark_glued_to_the_sentence_before_opens_a_quote() -> None:
    para = 'the commissioner said in a statement."Her record speaks for itself.'
    assert texts(para) == ["Her record speaks for itself."]
    assert texts('He was "fine".Then he left.') == ["fine"]


def test_a_caption_between_quote_paragraphs_does_not_end_the_quote() -> None:
    spans = quote_spans(
        ["“We welcome the report.", "The new control room.", "“It shows our progress.”"]
    )
    assert [s.text for s in spans] == ["We welcome the report.\n\nIt shows our progress."]
    assert (spans[0].first, spans[0].last) == (0, 2)


def test_a_paragraph_between_quotes_is_not_a_caption_when_the_next_has_its_own_speaker() -> None:
    paras = ["“We welcome the report.", "The chair nodded.", "“It is late,” said Ann Roe."]
    assert texts(*paras) == ["We welcome the report.", "It is late,"]
    speech = ["“We welcome the report.", "The chair agreed.", "“It is late.”"]
    assert texts(*speech) == ["We welcome the report.", "It is late."]


def test_a_single_mark_after_s_before_that_closes_the_quote() -> None:
    para = "She said she is ‘proud of the positive changes’ that the report found."
    assert texts(para) == ["proud of the positive changes"]
    assert texts("The officers’ work was ‘outstanding in every way’.") == [
        "outstanding in every way"
    ]


def test_a_subheading_inside_a_long_quote_does_not_end_it() -> None:
    paras = [
        "The chief said: “Our teams answered more calls than ever.",
        "‘Still more to do’",
        "“We will keep recruiting call handlers all year.”",
    ]
    assert texts(*paras) == [
        "Our teams answered more calls than ever.\n\nWe will keep recruiting call handlers "
        "all year."
    ]


def test_a_closing_mark_typed_where_the_opening_one_belongs() -> None:
    para = 'The chief added: ”We are moving in the right direction at last."'
    assert texts(para) == ["We are moving in the right direction at last."]
