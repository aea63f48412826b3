"""Quote extraction and attribution, on passages written for these tests."""

from __future__ import annotations

from heraldtui.core.facts.quotes import find_quotes
from heraldtui.core.read.article_text import ArticleText


def test_named_speaker_before_the_quote() -> None:
    text = 'Chief Constable Ada Brennan said: "We will publish a plan for every area by May."'
    [q] = find_quotes(ArticleText(text))
    assert q.speaker == "Ada Brennan"
    assert q.role == "Chief Constable"
    assert q.text == "We will publish a plan for every area by May."


def test_quote_over_three_paragraphs_is_one_quote() -> None:
    text = (
        "Inspector of Constabulary Tom Ferris said: “The force has worked hard this year.\n\n"
        "“Its call handling has improved and victims notice it.\n\n"
        "“There is still more to do on investigations.”\n\n"
        "The report runs to forty pages."
    )
    [q] = find_quotes(ArticleText(text))
    assert q.speaker == "Tom Ferris"
    assert q.text.startswith("The force has worked hard")
    assert q.text.endswith("more to do on investigations.")
    assert q.text.count("\n\n") == 2


def test_quote_split_by_its_attribution_is_two_quotes_by_one_speaker() -> None:
    text = (
        '"We have heard residents loud and clear," said Superintendent Mo Patel. '
        '"Extra patrols start on Monday in the town centre."'
    )
    quotes = find_quotes(ArticleText(text))
    assert [q.speaker for q in quotes] == ["Mo Patel", "Mo Patel"]
    assert quotes[0].text == "We have heard residents loud and clear"
    assert quotes[1].text.startswith("Extra patrols")


def test_pronoun_and_title_refer_back_to_the_named_person() -> None:
    text = (
        "Commissioner Rhian Lloyd opened the session.\n\n"
        "Mrs Lloyd said: “I want every resident to feel heard tonight.”\n\n"
        "She continued: “The panel will publish its answers next month.”\n\n"
        "“Nobody should wait a week for a call back,” she added."
    )
    quotes = find_quotes(ArticleText(text))
    assert [q.speaker for q in quotes] == ["Rhian Lloyd"] * 3


def test_colon_paragraph_before_a_quote_paragraph() -> None:
    text = "Councillor Ben Okafor said:\n\n“The town deserves a visible police presence every day.”"
    [q] = find_quotes(ArticleText(text))
    assert q.speaker == "Ben Okafor"


def test_according_to_and_said_after() -> None:
    text = (
        'According to Dr Lena Holt, "the figures show a clear fall in burglary this spring." '
        "Later, “our volunteers made the difference in every village,” Lena Holt said."
    )
    quotes = find_quotes(ArticleText(text))
    assert [q.speaker for q in quotes] == ["Lena Holt", "Lena Holt"]


def test_reported_speech_and_scare_quotes_are_not_quotes() -> None:
    text = (
        "Chief Constable Ada Brennan said the force would recruit forty officers. "
        "The force was rated 'inadequate' for recording crime, a result she called 'fair'. "
        'Residents described the "new normal" on the estate.'
    )
    assert find_quotes(ArticleText(text)) == []


def test_single_curly_quotes_with_apostrophes_inside() -> None:
    text = (
        "‘The county’s officers have earned this result,’ said Mr Dale Fenwick.\n\n"
        "‘I’ll keep asking for updates at every board meeting.’"
    )
    quotes = find_quotes(ArticleText(text))
    assert [q.speaker for q in quotes] == ["Dale Fenwick", "Dale Fenwick"]
    assert quotes[0].text == "The county’s officers have earned this result"


def test_unattributed_short_quoted_phrase_is_skipped() -> None:
    text = 'The plan, called "Safer Streets Together", was launched in June.'
    assert find_quotes(ArticleText(text)) == []


def test_unclosed_quote_ends_at_its_paragraph() -> None:
    text = 'Sgt Amy Rowe said: "We are out on every street this weekend\n\nThe end of the story.'
    [q] = find_quotes(ArticleText(text))
    assert q.text == "We are out on every street this weekend"
    assert q.speaker == "Amy Rowe"
    assert q.role == "Sergeant"


def test_role_after_the_name_in_the_attribution() -> None:
    text = '"We will not stand still on this," said Priya Kaur, the force\'s chief constable.'
    [q] = find_quotes(ArticleText(text))
    assert (q.speaker, q.role) == ("Priya Kaur", "Chief Constable")


def test_name_then_role_then_said_colon() -> None:
    text = (
        "Ola Bakare, Police and Crime Commissioner for the county, said: “The public "
        "deserve better than this and they will get it.”"
    )
    [q] = find_quotes(ArticleText(text))
    assert (q.speaker, q.role) == ("Ola Bakare", "Police and Crime Commissioner")


def test_told_the_meeting_and_who_chairs_the_panel() -> None:
    text = (
        'Priya Kaur told the meeting: "Every call matters and every caller deserves an '
        'answer." Gareth Lyle, who chairs the panel, said: "We want to see the plan before '
        'the summer recess."'
    )
    assert [q.speaker for q in find_quotes(ArticleText(text))] == ["Priya Kaur", "Gareth Lyle"]


def test_speaker_named_by_role_only_is_the_person_with_that_role() -> None:
    text = (
        "Police and Crime Commissioner Ola Bakare and Chief Constable Priya Kaur took "
        'questions. "There is work to do across the county," the chief constable said. '
        '"We hope many residents come along next time," the commissioner said.'
    )
    assert [q.speaker for q in find_quotes(ArticleText(text))] == ["Priya Kaur", "Ola Bakare"]


def test_role_only_with_nobody_holding_it_stays_unattributed() -> None:
    text = '"There is a great deal of work to do here," the chief constable said.'
    [q] = find_quotes(ArticleText(text))
    assert q.speaker is None


def test_pronoun_after_a_conjunction() -> None:
    text = (
        'In a statement, Priya Kaur said: "We are committed to improving." And she '
        'promised: "We will report back to the panel every three months."'
    )
    assert [q.speaker for q in find_quotes(ArticleText(text))] == ["Priya Kaur", "Priya Kaur"]


def test_quote_paragraph_after_a_paragraph_introducing_one_person() -> None:
    text = (
        "Chief Constable Priya Kaur welcomed the report.\n\n"
        '"We accept the findings in full and we will act on them."'
    )
    [q] = find_quotes(ArticleText(text))
    assert q.speaker == "Priya Kaur"


def test_quote_paragraph_after_two_people_or_none_is_not_guessed() -> None:
    two = (
        "Chief Constable Priya Kaur met Commissioner Ola Bakare on Monday.\n\n"
        '"We accept the findings in full and we will act on them."'
    )
    none = (
        "The force was inspected in the summer.\n\n"
        '"We accept the findings in full and we will act on them."'
    )
    assert [q.speaker for q in find_quotes(ArticleText(two))] == [None]
    assert [q.speaker for q in find_quotes(ArticleText(none))] == [None]


def test_dash_attribution_after_the_quote() -> None:
    text = '"We accept all of the findings and are already acting" – Chief Constable Amir Shah.'
    [q] = find_quotes(ArticleText(text))
    assert (q.speaker, q.role) == ("Amir Shah", "Chief Constable")
    far = (
        '"We accept all of the findings and are already acting" - a statement issued on '
        "behalf of the force by its press office on Tuesday evening, which Amir Shah leads."
    )
    assert [q.speaker for q in find_quotes(ArticleText(far))] == [None]


def test_quote_split_by_a_pronoun_attribution_mid_sentence() -> None:
    text = (
        "Sergeant Ada Moss leads the team. “We will not give up on this estate,” she said, "
        "“and we will be back every week until it is safe.”"
    )
    quotes = find_quotes(ArticleText(text))
    assert [q.speaker for q in quotes] == ["Ada Moss", "Ada Moss"]
    assert quotes[1].text.startswith("and we will be back")


# --- "according to" after the quote ----------------------------------------------------


def test_according_to_a_role_and_name_after_the_quote() -> None:
    text = (
        "“Waiting times for emergency calls are simply too long in the county,” "
        "according to HM Inspector Gwen Ashby."
    )
    [quote] = find_quotes(ArticleText(text))
    assert (quote.speaker, quote.role) == ("Gwen Ashby", "HM Inspector")


def test_according_to_a_name_then_a_clause_about_them() -> None:
    text = (
        '"Burglary has fallen for a third year running across the district," according '
        "to Detective Superintendent Omar Lytton, who leads the team."
    )
    [quote] = find_quotes(ArticleText(text))
    assert quote.speaker == "Omar Lytton"


def test_according_to_her_refers_back_to_the_person_named_before() -> None:
    text = (
        "Councillor Jo Bell chairs the panel. "
        '"We will publish every answer we are given," according to her.'
    )
    [quote] = find_quotes(ArticleText(text))
    assert quote.speaker == "Jo Bell"


def test_according_to_a_document_names_no_speaker() -> None:
    text = '"The figures speak for themselves on this one," according to the annual report.'
    assert [q.speaker for q in find_quotes(ArticleText(text))] == [None]


def test_every_attribution_verb_names_the_speaker() -> None:
    """The people finder and the quote finder accept the same speech verbs."""
    for verb in ("vowed", "warns", "agreed", "highlighted"):
        (quote,) = find_quotes(
            ArticleText(f'"We will not stop until every lane is safe," {verb} Jane Roe.')
        )
        assert quote.speaker == "Jane Roe", verb
