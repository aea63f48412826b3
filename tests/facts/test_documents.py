"""Primary documents: found in any article, kinds from words and addresses, merged per story.

Fixtures are invented (`.example` addresses, made-up forces); the shared sets are read
at the end: the seeds story must pin the inspectorate's report, given by both outlets.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heraldtui.core.facts.documents import document_key, find_documents, merge_documents
from heraldtui.core.facts.extract import extract_facts
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article, ArticleFacts, DocumentStated, Story
from heraldtui.core.read.article_text import ArticleText
from tests.support.paths import SHARED

OWN = "https://dalesgazette.example/news/force-inspection"


def found(markdown: str, link: str = OWN) -> list[tuple[str, str]]:
    return [(d.url, d.kind) for d in find_documents(ArticleText(markdown), link)]


def article(feed: str, link: str, content: str, hour: int = 9) -> Article:
    return Article(
        feed=feed,
        guid=link,
        link=link,
        title="Fenland force graded",
        author=None,
        published=datetime(2025, 2, 4, hour, 0, tzinfo=UTC),
        summary="",
        content=content,
    )


# ---------------------------------------------------------------- one article


def test_the_links_own_words_say_its_kind() -> None:
    text = (
        "The inspectors published their findings today. "
        "[Read the full report](https://files.example/fenland.pdf).\n\n"
        "Residents can [watch the panel live](https://tube.example/panel), "
        "read [the agenda](https://council.example/item/12) "
        "or the force's [statement](https://fenland.example/news/ours)."
    )
    assert found(text) == [
        ("https://files.example/fenland.pdf", "report"),
        ("https://tube.example/panel", "webcast"),
        ("https://council.example/item/12", "agenda"),
        ("https://fenland.example/news/ours", "statement"),
    ]


def test_a_bare_link_takes_its_kind_from_the_nearest_words() -> None:
    text = (
        "The report will be discussed by the panel, and the session can be "
        "streamed by using this link https://sho.example/Pnl7. Questions welcome."
    )
    assert found(text) == [("https://sho.example/Pnl7", "webcast")]


def test_a_link_alone_after_a_label_reads_the_label() -> None:
    text = "Watch online:\nhttps://sho.example/Brd2"
    assert found(text) == [("https://sho.example/Brd2", "webcast")]


def test_addresses_say_their_kind_when_no_word_does() -> None:
    text = (
        "More at [this page](https://www.justiceinspectorates.example/hmicfrs/fenland/) "
        "and [this one](https://moderngov.example/ieListDocuments.aspx?MId=9) "
        "and [another](https://video.example/webcast/panel-march)."
    )
    assert found(text) == [
        ("https://www.justiceinspectorates.example/hmicfrs/fenland/", "report"),
        ("https://moderngov.example/ieListDocuments.aspx?MId=9", "agenda"),
        ("https://video.example/webcast/panel-march", "webcast"),
    ]


def test_an_address_written_as_text_is_a_document() -> None:
    text = (
        "A copy of the inspection is available at "
        "inspectorate.example/peel-reports/fenland-2025-26. The panel meets "
        "at www.fenland-pcp.example on Monday."
    )
    assert found(text) == [
        ("https://inspectorate.example/peel-reports/fenland-2025-26", "report"),
        ("https://www.fenland-pcp.example", "other"),
    ]


def test_official_pages_and_files_with_no_cue_are_other_documents() -> None:
    text = (
        "Details at [the office's page](https://fenland-opcc.example/events/rural) and "
        "[a download](https://files.example/plan-2025.PDF)."
    )
    assert found(text) == [
        ("https://fenland-opcc.example/events/rural", "other"),
        ("https://files.example/plan-2025.PDF", "other"),
    ]


def test_links_that_are_not_documents_are_left_out() -> None:
    text = (
        "Read more from [our sister paper](https://otherpaper.example/news/a-story). "
        "See the Neighbourhood Watch [website](https://nw.example/join). "
        "Email [the desk](mailto:desk@dalesgazette.example) or write to "
        "news@dalesgazette.example. Shop at amazon.example today. "
        "Our [earlier report](https://dalesgazette.example/news/last-year) has more."
    )
    assert found(text) == []


def test_the_articles_own_link_is_not_a_document() -> None:
    text = f"This statement is also at [our site]({OWN}/) and {OWN.removeprefix('https://')}."
    assert found(text) == []


def test_an_outlets_own_site_counts_only_by_its_address() -> None:
    text = (
        "Read [the full report](https://dalesgazette.example/news/old-report) and "
        "[the panel's agenda](https://dalesgazette.example/files/agenda-march.pdf)."
    )
    assert found(text) == [("https://dalesgazette.example/files/agenda-march.pdf", "agenda")]


def test_only_web_links_are_documents() -> None:
    text = "[The report](javascript:alert(1)) and [the agenda](ftp://files.example/a)."
    assert found(text) == []


def test_one_address_given_twice_in_an_article_is_one_document() -> None:
    text = (
        "[Read the report](https://inspectorate.example/r/fenland/).\n\n"
        "Again: the report is at inspectorate.example/r/fenland."
    )
    assert found(text) == [("https://inspectorate.example/r/fenland/", "report")]


def test_addresses_compare_without_scheme_www_slash_fragment_or_tracking() -> None:
    same = [
        "https://www.Inspectorate.example/r/fenland/",
        "http://inspectorate.example/r/fenland#summary",
        "https://inspectorate.example/r/fenland?utm_source=x",
    ]
    assert {document_key(u) for u in same} == {"inspectorate.example/r/fenland"}
    assert document_key("https://sho.example/AbC") != document_key("https://sho.example/abc")
    assert document_key("https://a.example:8080/x") == "a.example:8080/x"


# ---------------------------------------------------------------- the story


def test_documents_merge_by_address_with_every_outlet_that_gave_them() -> None:
    a = article("Dales Gazette", OWN, "[Full report](https://inspectorate.example/r/fen/)", 8)
    b = article(
        "Fen Radio",
        "https://fenradio.example/n/1",
        "The report is online at inspectorate.example/r/fen. "
        "The force's [response](https://fenland-police.example/news/response).",
    )
    merged = merge_story(Story("s", "t", "inspection", None, (a, b)))
    assert [(d.url, d.kind, d.sources) for d in merged.documents] == [
        ("https://inspectorate.example/r/fen/", "report", (a.link, b.link)),
        ("https://fenland-police.example/news/response", "statement", (b.link,)),
    ]


def test_the_kind_most_sources_give_wins_and_other_only_when_none_gives_one() -> None:
    url = "https://fenland-opcc.example/meeting/march"
    given = [("report", "a"), ("agenda", "b"), ("agenda", "c"), ("other", "d")]
    articles = [article(f"Outlet {s}", f"https://{s}.example/1", "") for _, s in given]
    facts = [
        ArticleFacts(documents=(DocumentStated(url, kind),))  # type: ignore[arg-type]
        for kind, _ in given
    ]
    [doc] = merge_documents(articles, facts, {})
    assert (doc.kind, len(doc.sources)) == ("agenda", 4)
    [doc] = merge_documents(articles[3:], facts[3:], {})
    assert doc.kind == "other"


def test_documents_rank_by_kind_then_independent_sources() -> None:
    specs = [
        ("a", ["https://x.example/agenda-1"]),
        ("b", ["https://x.example/statement-1", "https://x.example/agenda-2"]),
        ("c", ["https://x.example/agenda-2"]),
        ("d", ["https://x.example/agenda-1"]),
    ]
    articles = [article(f"Outlet {s}", f"https://{s}.example/1", "") for s, _ in specs]
    facts = [
        ArticleFacts(
            documents=tuple(
                DocumentStated(u, "statement" if "state" in u else "agenda") for u in us
            )
        )
        for _, us in specs
    ]
    # d copies a: agenda-1 has one independent source, agenda-2 two
    docs = merge_documents(articles, facts, {"https://d.example/1": "https://a.example/1"})
    assert [d.url for d in docs] == [
        "https://x.example/agenda-2",
        "https://x.example/agenda-1",
        "https://x.example/statement-1",
    ]


def test_a_link_to_an_article_of_the_story_is_not_a_document() -> None:
    a = article("Dales Gazette", OWN, "The inspection found problems with 999 calls.", 8)
    b = article("Fen Radio", "https://fenradio.example/n/1", f"As [their report]({OWN}) says.")
    assert [d.url for d in extract_facts(b).documents] == [OWN]
    assert merge_story(Story("s", "t", "inspection", None, (a, b))).documents == ()


# ---------------------------------------------------------------- the shared sets


def test_the_seeds_story_pins_the_inspectorates_report() -> None:
    if not (SHARED / "seeds" / "articles.jsonl").exists():
        pytest.skip(f"the seeds are not available at {SHARED}")
    from tests.support.sets import load_set

    articles = load_set(SHARED / "seeds")
    merged = merge_story(Story("s", "t", "inspection", None, tuple(articles)))
    report = merged.documents[0]
    assert report.kind == "report"
    assert document_key(report.url) == (
        "hmicfrs.justiceinspectorates.gov.uk/peel-reports/hertfordshire-2023-25"
    )
    assert set(report.sources) == {a.link for a in articles}  # a link and a written address
    assert [(d.kind, d.url) for d in merged.documents[1:]] == [
        ("webcast", "https://bit.ly/HertsAPM5")
    ]


def test_devset_documents_and_the_inspections_that_link_no_report() -> None:
    """The devset links no report: each inspection (Chiltern Vale's two among them) says
    so; the Cotswold Ridge webcast is given by the observer and the commissioner's office,
    and the Haltonburn booking page, on the commissioner's site, is an official page."""
    if not (SHARED / "devset" / "truth.json").exists():
        pytest.skip(f"the devset is not available at {SHARED}")
    import json

    from heraldtui.core.output.wording import report_note
    from tests.support.sets import load_set, set_ids

    ids = set_ids(SHARED / "devset")
    articles = {ids[a.link]: a for a in load_set(SHARED / "devset")}
    truth = json.loads((SHARED / "devset" / "truth.json").read_text("utf-8"))
    found = {}
    for group in truth["groups"]:
        members = tuple(articles[i] for i in group["articles"])
        merged = merge_story(Story(group["id"], group["label"], group["kind"], None, members))
        found[group["id"]] = [
            (d.kind, d.url, [ids[s] for s in d.sources]) for d in merged.documents
        ]
        if group["kind"] == "inspection":
            assert report_note(merged) == "No outlet linked the report", group["id"]
    assert found["g04"] == [("webcast", "https://go.example/CRPapm4", ["a13", "a14"])]
    assert found["g05"] == [
        ("other", "https://tyneborders-pcc.example/events/haltonburn", ["a15", "a16"])
    ]
    assert {g for g, docs in found.items() if docs} == {"g04", "g05"}
    chiltern = [g["id"] for g in truth["groups"] if "Chiltern Vale" in g["label"]]
    assert chiltern == ["g02", "g08"] and not found["g02"] and not found["g08"]
