"""Reading links and text out of stored Markdown: feed text that looks like a link is text."""

from __future__ import annotations

from datetime import UTC, datetime

from heraldtui.core.facts.meetings import find_meetings
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.text.escape import text_to_markdown
from heraldtui.core.text.html_markdown import html_to_markdown
from heraldtui.core.text.prose import links, plain_text, trim_url


def urls(markdown: str) -> list[str]:
    return [link.url for _, link in links(markdown)]


def test_real_links_in_every_form() -> None:
    text = "See [the stream](https://a.example/live), <https://b.example/x> or https://c.example/y."
    assert urls(text) == ["https://a.example/live", "https://b.example/x", "https://c.example/y"]


def test_escaped_brackets_are_text_not_links() -> None:
    assert urls(r"Watch at \[the stream\](https://a.example/live)") == ["https://a.example/live"]
    assert urls(r"a \<https://b.example/x> b") == ["https://b.example/x"]  # the bare address
    assert urls(r"an escaped backslash: \\[real](https://c.example/)") == ["https://c.example/"]


def test_only_web_links_count() -> None:
    assert urls("[x](javascript:alert(1)) [y](data:text/html,hi) <mailto:a@b.example>") == []


def test_feed_text_posing_as_a_meeting_link_is_never_the_meeting_url() -> None:
    said = (
        "The Community Safety Meeting is on 14 November 2024 at 7pm. "
        "Watch online at [the stream](javascript:alert(1))."
    )
    published = datetime(2024, 11, 1, tzinfo=UTC)
    for stored in (text_to_markdown(said), html_to_markdown(f"<p>{said}</p>")):
        (meeting,) = find_meetings(ArticleText(stored), published)
        assert meeting.url is None


def test_plain_text_and_trim_url() -> None:
    assert plain_text(r"**Bold** \*not bold\* [link](https://a.example/)") == (
        "Bold *not bold* link"
    )
    assert trim_url("https://bit.ly/X.") == "https://bit.ly/X"
    assert trim_url("(https://a.example/p)") == "(https://a.example/p"


def test_underscore_emphasis_is_markup_but_underscores_inside_words_are_text() -> None:
    """`_Police and Crime Panel_` hid the meeting from every reader of plain text."""
    assert plain_text("The _Police and Crime Panel_ meets") == "The Police and Crime Panel meets"
    assert plain_text("__strong__ and _em_ and *em*") == "strong and em and em"
    assert plain_text("snake_case, a_b_c and _ on its own _") == (
        "snake_case, a_b_c and _ on its own _"
    )


def test_a_meeting_named_in_underscore_emphasis_is_read() -> None:
    from datetime import UTC, date, datetime

    from heraldtui.core.facts.meetings import find_meetings
    from heraldtui.core.read.article_text import ArticleText

    text = ArticleText("The _Police and Crime Panel_ meets on Thursday 14 November 2024 at 10am.")
    (meeting,) = find_meetings(text, datetime(2024, 11, 1, tzinfo=UTC), "Panel to meet")
    assert meeting.name == "Police and Crime Panel" and meeting.date == date(2024, 11, 14)
