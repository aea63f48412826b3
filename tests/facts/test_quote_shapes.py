"""How real coverage attributes quotes (issue 13), each shape on a passage written for it.

Every test names the construction it holds; the phrasing catalogue in the issue's report
lists the real shape each one stands for. Precision first: where the text does not say who
speaks, the quote stays unattributed rather than credited to a guess.
"""

from __future__ import annotations

from datetime import UTC, datetime

from heraldtui.core.facts.merge import merge_story
from heraldtui.core.facts.quotes import find_quotes
from heraldtui.core.models import Article, Story
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.text.html_markdown import html_to_markdown


def speakers(text: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(ArticleText(text))]


def quotes(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in find_quotes(ArticleText(text))]


# --- where the attribution sits --------------------------------------------------------


def test_attribution_glued_to_the_next_quote_without_a_space() -> None:
    text = (
        '“Ada Rook came through the interviews as the strongest candidate," the valley’s '
        'police and crime commissioner (PCC), Nell Harrow, said in a statement."Her record '
        "with the county’s officers speaks for itself.\n\n"
        '"The panel agreed with me and I thank them for it."'
    )
    assert [(s, t[:12]) for s, t in quotes(text)] == [
        ("Nell Harrow", "Ada Rook cam"),
        ("Nell Harrow", "Her record w"),
    ]


def test_a_photo_caption_inside_a_long_quote_does_not_end_it() -> None:
    text = (
        "Chief Constable Ivo Brandt said: “I welcome this report and the changes it notes.\n\n"
        "The new control room opened in the spring.\n\n"
        "“These grades put us among the better forces in the region.\n\n"
        "“We will keep going.”"
    )
    [(speaker, body)] = quotes(text)
    assert speaker == "Ivo Brandt"
    assert "control room" not in body and body.endswith("We will keep going.")


def test_a_caption_between_two_quote_paragraphs_keeps_the_speaker() -> None:
    text = (
        "Commissioner Ada Rook spoke after the vote.\n\n"
        "“It is good that policing is being talked about at the highest level,” she said.\n\n"
        "The new station on the harbour front.\n\n"
        "“We do not yet know what it means for the valley’s officers.”"
    )
    assert speakers(text) == ["Ada Rook", "Ada Rook"]


def test_attribution_ending_with_a_semicolon_a_comma_or_a_full_stop() -> None:
    for ending in ("added;", "said,", "said."):
        text = (
            f"Chief Constable Lee Farrant, speaking after Councillor Ann Roe, {ending}\n\n"
            "“I thank every member of staff for the work of the last five years.”"
        )
        assert speakers(text) == ["Lee Farrant"], ending


def test_a_stray_full_stop_inside_the_attribution() -> None:
    text = (
        "In her summary, Ariel Fenn, HM inspector of constabulary. said: “I have concerns "
        "about how the force answers emergency calls.”"
    )
    assert speakers(text) == ["Ariel Fenn"]


def test_unmarked_words_attributed_then_a_quote_paragraph() -> None:
    text = (
        "Ariel Fenn of the Wessex Inspectorate said the force had made progress.\n\n"
        "He added: Chances to get good results are lost because some investigations are "
        "weak.\n\n"
        "“The force is rightly proud of its work with vulnerable people. However, its teams "
        "are short of staff."
    )
    assert speakers(text) == ["Ariel Fenn"]


def test_a_signature_line_after_the_quote() -> None:
    text = (
        "The board meets every month in public.\n\n"
        "“As commissioner I speak for residents, and this board is where I ask their "
        "questions of the chief constable.”\n\n"
        "PCC Lorna Vane"
    )
    assert speakers(text) == ["Lorna Vane"]


def test_a_quote_paragraph_after_a_paragraph_about_him() -> None:
    text = (
        "In his annual report, Mr Owain Teague stressed how the force communicates.\n\n"
        "He highlighted the pressures on the control room over the winter.\n\n"
        "“We are not shielded from what happens elsewhere and the strain has been real.”"
    )
    assert speakers(text) == ["Owain Teague"]


# --- who the attribution names ---------------------------------------------------------


def test_the_subject_of_the_speech_verb_not_the_last_name_before_the_quote() -> None:
    text = (
        "Chief Constable Mina Doyle told Councillor Sam Eke: “We will answer every question "
        "the panel puts to us.”\n\n"
        "Speaking to Councillor Sam Eke, Superintendent Ravi Osei said: “Our teams are out "
        "on every estate this week.”\n\n"
        "Councillor Sam Eke’s deputy, Ann Roe, said: “We will be watching the figures.”\n\n"
        "Commissioner Jane Tull and Chief Constable Mina Doyle said: “We share one plan "
        "for the whole county.”"
    )
    assert speakers(text) == ["Mina Doyle", "Ravi Osei", "Ann Roe", None]


def test_participle_continues_the_subject_of_the_sentence() -> None:
    text = (
        "Police, Fire and Crime Commissioner Dai Morgan praised the officers.\n\n"
        "He thanked his predecessor Ruth Pell, adding: “Please be assured we will never "
        "stand still on this.”\n\n"
        "The commissioner acknowledged “there is more work to be done”, adding: “I will "
        "make sure every recommendation is carried out in full.”"
    )
    assert speakers(text) == ["Dai Morgan", "Dai Morgan", "Dai Morgan"]


def test_first_name_alone_and_initials_with_letters_after_the_name() -> None:
    text = (
        "Police and Crime Commissioner (PCC) Gideon Marsh-Rowe will chair the meeting.\n\n"
        "Gideon said: “So many questions for the first meeting was a real boost.”\n\n"
        "Chief Constable TJ Varga QPM said: “Every officer here is focused on catching "
        "criminals.”"
    )
    assert speakers(text) == ["Gideon Marsh-Rowe", "TJ Varga"]


def test_a_description_in_place_of_the_name() -> None:
    text = (
        "Meanwhile, Mr Hale has welcomed the minister’s pledge of more officers.\n\n"
        "The former Assembly Member for the valley said: “This is good news in principle, "
        "but the detail matters.”"
    )
    assert speakers(text) == ["Mr Hale"]


# --- partial quotes inside reported speech -----------------------------------------------


def test_partial_quote_in_reported_speech_is_the_speakers() -> None:
    text = (
        "Superintendent Ravi Osei said the team had “turned the corner on burglary in every "
        "ward”.\n\n"
        "He said inspectors had “quite rightly set the bar high for every force in the "
        "region”."
    )
    assert speakers(text) == ["Ravi Osei", "Ravi Osei"]


def test_reported_speech_scare_quotes_and_other_clauses_are_not_quotes() -> None:
    text = (
        "Superintendent Ravi Osei said he was “pleased” with the results.\n\n"
        "Superintendent Ravi Osei said progress was steady, but inspectors found “serious "
        "gaps in how the force records crime reports”.\n\n"
        "The report said the force had “a long way to go before it meets the standard”.\n\n"
        "The report, which Superintendent Ravi Osei said was fair, found “serious gaps in "
        "how the force answers emergency calls”."
    )
    assert find_quotes(ArticleText(text)) == []


# --- pronouns: the subject of the sentence before, never a guess --------------------------


def test_she_is_the_subject_of_the_sentence_before_not_the_last_person_named() -> None:
    text = (
        "Judith Carey is now Acting Chief Constable after the retirement of Paul Marr, who "
        "faces an inquiry.\n\n"
        "She said: “I am delighted with the report and proud of every officer.”"
    )
    assert speakers(text) == ["Judith Carey"]


def test_he_passes_over_a_woman_the_text_has_named_as_ms() -> None:
    text = (
        "Commissioner Omar Zaid welcomed Chief Constable Ruth Pell’s plan.\n\n"
        "Ms Pell had drafted it over the summer.\n\n"
        "He said: “The plan is ambitious and the county deserves nothing less.”"
    )
    assert speakers(text) == ["Omar Zaid"]


def test_he_after_a_sentence_about_an_organisation_reads_further_back() -> None:
    text = (
        "Chief Constable Ewan Moss thanked officers for their professionalism.\n\n"
        "The inspectorate said call answering times had improved.\n\n"
        "He told councillors he would go after “every burglar in the county with real "
        "determination”."
    )
    assert speakers(text) == ["Ewan Moss"]


def test_a_pronoun_that_could_be_two_people_stays_unattributed() -> None:
    text = (
        "The award from Commissioner Jane Tull went to Sergeant Sam Eke at the ceremony.\n\n"
        "“Nobody on the team expected this and we are all very proud.” he said."
    )
    assert speakers(text) == [None]


def test_they_is_never_resolved() -> None:
    text = (
        "Chief Constable Ewan Moss met the inspectors on Monday.\n\n"
        "They said: “The force has improved the way it answers emergency calls.”"
    )
    assert speakers(text) == [None]


# --- organisations are never people -----------------------------------------------------


def test_an_outlet_or_a_body_is_never_the_speaker() -> None:
    text = (
        "Chief Constable Ewan Moss spoke to reporters on Friday.\n\n"
        "He told Valley Hits Radio: “We have work to do on every estate in the county.”\n\n"
        "Wessex Police said: “The force accepts all of the recommendations in full.”\n\n"
        "The Federation said: “Officers have been stretched thin for far too long.”\n\n"
        "“Recording of violent crime is not good enough across the county,” the report said."
    )
    assert speakers(text) == ["Ewan Moss", None, None, None]


# --- quotes set apart from the text ------------------------------------------------------


def _from_html(html: str) -> list[tuple[str | None, str]]:
    return quotes(html_to_markdown(html, "https://news.example/a"))


def test_a_blockquote_with_a_cite_line_is_the_cited_persons_quote() -> None:
    marked = (
        "<p>The board met on Monday.</p><blockquote><p>“Every answer we are given will be "
        "published in full.”</p><p><cite>— Chief Constable Ines Albright</cite></p>"
        "</blockquote>"
    )
    unmarked = (
        "<p>The board met on Monday.</p><blockquote><p>Every answer we are given will be "
        "published in full for residents to read.</p><cite>Lorna Vane, Police and Crime "
        "Commissioner for Wessex</cite></blockquote>"
    )
    assert [s for s, _ in _from_html(marked)] == ["Ines Albright"]
    assert _from_html(unmarked) == [
        ("Lorna Vane", "Every answer we are given will be published in full for residents to read.")
    ]


def test_a_blockquote_without_a_person_is_no_quote() -> None:
    html = (
        "<blockquote><p>Wessex Police has published its report on the night of the storm "
        "for everyone to read.</p><p>— Wessex Police (@WessexPolice) June 3, 2023</p>"
        "</blockquote>"
    )
    assert _from_html(html) == []


def test_rank_word_alone_before_a_surname() -> None:
    text = (
        "Chief Constable Wyn Roper took questions from the panel.\n\n"
        "Chief Roper said: “We have doubled the number of officers on the night shift.”"
    )
    assert speakers(text) == ["Wyn Roper"]


def test_a_person_named_as_the_object_before_a_quote_paragraph_is_not_its_speaker() -> None:
    text = (
        "The board is where the commissioner holds Chief Constable Ruth Pell to account.\n\n"
        "“As commissioner I speak for residents, and I will ask their questions every "
        "quarter.”"
    )
    assert speakers(text) == [None]
    signed = text + "\n\nCommissioner Dai Morgan"
    assert speakers(signed) == ["Dai Morgan"]


def test_a_quote_paragraph_after_the_speaker_is_named_in_the_paragraph_before() -> None:
    text = (
        "Police and Crime Commissioner Idris Penrose-Hale took office in May.\n\n"
        "Mr Penrose-Hale is going to set out his plans to the panel next week.\n\n"
        "“Every town in the county deserves officers it knows by name."
    )
    assert speakers(text) == ["Idris Penrose-Hale"]


# --- across a story: one quote, however much of it each outlet prints --------------------


def test_a_fragment_quoted_in_one_article_folds_into_the_full_quote() -> None:
    when = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    fragment = (
        "Chief constable Ada Rook says the force is ‘working at a pace to address the "
        "issues’.\n\nShe said the plan was on track."
    )
    full = (
        "Chief Constable Ada Rook said: “We are working at a pace to address the issues "
        "the inspectors raised, and every team knows it.”"
    )
    articles = tuple(
        Article(f"Feed {n}", f"g{n}", f"https://news.example/{n}", "t", None, when, "", body)
        for n, body in enumerate((fragment, full))
    )
    merged = merge_story(Story("s", "t", "inspection", None, articles))
    assert [(q.speaker, q.text[:22], len(q.sources)) for q in merged.quotes] == [
        ("Ada Rook", "We are working at a pa", 2)
    ]
