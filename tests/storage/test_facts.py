"""Articles' extracted facts in the store, against real SQLite files in tmp_path.

The store keeps what `facts.extract` found in each article as a record it does not
interpret: these check the round trip, that a row answers only for the text and the
extractor version it was made from, that facts never outlive or precede their article,
and that a writer killed mid-transaction loses nothing it had committed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heraldtui.core.models import (
    ArticleFacts,
    CountStated,
    DocumentStated,
    GradeStated,
    MeetingStated,
    PersonStated,
    QuoteStated,
    TextSketch,
)
from heraldtui.core.storage.facts_codec import decode_facts, encode_facts
from heraldtui.core.storage.schema import MIGRATIONS, SCHEMA_VERSION
from heraldtui.core.storage.store import Store
from tests.storage.test_store import integrity, make_article, state
from tests.support.paths import REPO

FULL = ArticleFacts(
    grades=(
        GradeStated("investigating-crime", "good", 120, True, False),
        GradeStated("preventing-crime", "inadequate", 40, False, True),
    ),
    counts=(CountStated("good", 2, 10), CountStated("adequate", 3, 30)),
    quotes=(
        QuoteStated("We will act “now”.\nAnd again.", "Jane Roe", "Chief Constable", 7),
        QuoteStated("Unattributed ✓", None, None, 99),
    ),
    meetings=(
        MeetingStated(
            "Police and Crime Panel", date(2025, 3, 4), time(10, 30), "https://p.example/m",
            "County Hall", False, 300,
        ),
        MeetingStated("public meeting", date(2025, 3, 11), None, None, None, True, 410),
    ),
    people=(
        PersonStated("Zoë O'Dell", "Zoë", "O'Dell", "Commissioner", 0, False, "Dame"),
        PersonStated("Mrs O'Dell", None, "O'Dell", None, 55, True, None),
    ),
    documents=(
        DocumentStated("https://inspectorate.example/reports/county-2025", "report"),
        DocumentStated("https://go.example/Panel?x=1&y=2", "webcast"),
    ),
    sketch=TextSketch.of(140, (0, 7, 2**31, 2**32 - 1)),
)  # fmt: skip


def _stored(store: Store, count: int = 3) -> list[str]:
    articles = [make_article("f", n) for n in range(count)]
    store.save_feed_result(state("f"), articles)
    return [a.id for a in articles]


def test_facts_round_trip_through_a_database_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "heraldtui.sqlite3"
    with Store(path) as store:
        a, b, c = _stored(store)
        store.save_article_facts([(a, "src-a", FULL), (b, "src-b", ArticleFacts())], version=1)
    with Store(path) as store:  # read back through a new connection
        found = store.article_facts({a: "src-a", b: "src-b", c: "src-c"}, version=1)
    assert found == {a: FULL, b: ArticleFacts()}
    assert integrity(path) == "ok"


def test_a_row_answers_only_for_its_source_and_version(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite3") as store:
        a, b, _ = _stored(store)
        store.save_article_facts([(a, "old-text", FULL), (b, "text", FULL)], version=1)
        # the text changed since: stale, whatever the version
        assert store.article_facts({a: "new-text", b: "text"}, version=1) == {b: FULL}
        # a new extractor: everything stored by the old one is stale
        assert store.article_facts({a: "old-text", b: "text"}, version=2) == {}
        # saving again replaces the row in place
        store.save_article_facts([(a, "new-text", ArticleFacts())], version=2)
        assert store.article_facts({a: "new-text"}, version=2) == {a: ArticleFacts()}
        assert store.article_facts({a: "old-text"}, version=1) == {}
        rows = store._raw("SELECT count(*) FROM article_facts")
        assert rows[0][0] == 2


def test_facts_of_an_article_not_stored_are_not_kept(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite3") as store:
        [a] = _stored(store, 1)
        store.save_article_facts([("not-stored", "s", FULL), (a, "s", FULL)], version=1)
        assert store.article_facts({"not-stored": "s", a: "s"}, version=1) == {a: FULL}


def test_an_unreadable_row_counts_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with Store(path) as store:
        a, b, c = _stored(store)
        store.save_article_facts([(a, "s", FULL), (b, "s", FULL), (c, "s", FULL)], version=1)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE article_facts SET facts = '[[1]]' WHERE article_id = ?", (a,))
        conn.execute("UPDATE article_facts SET facts = '{' WHERE article_id = ?", (b,))
    with Store(path) as store:
        assert store.article_facts({a: "s", b: "s", c: "s"}, version=1) == {c: FULL}


def test_many_articles_are_read_past_the_parameter_cap(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite3") as store:
        ids = _stored(store, 1_200)
        store.save_article_facts([(i, f"s{i}", FULL) for i in ids], version=3)
        found = store.article_facts({i: f"s{i}" for i in ids}, version=3)
    assert len(found) == 1_200


def test_the_facts_migration_keeps_every_article_and_mark(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    item = make_article("f", 0)
    with sqlite3.connect(path) as conn:  # version 5, as an older heraldtui left it
        for statements in MIGRATIONS[:5]:
            for sql in statements:
                conn.execute(sql)
        conn.execute("PRAGMA user_version = 5")
        conn.execute("INSERT INTO feeds (name, url) VALUES ('f', 'https://f.example/')")
        conn.execute(
            "INSERT INTO articles (id, feed, guid, link, title, summary, content, "
            "content_hash, read, first_seen) VALUES (?, 'f', ?, ?, ?, '', ?, 'h', 1, '2024')",
            (item.id, item.guid, item.link, item.title, item.content),
        )
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [article] = store.articles()
        assert article.read
        assert store.article_facts({article.id: "s"}, version=1) == {}
        store.save_article_facts([(article.id, "s", FULL)], version=1)
        assert store.article_facts({article.id: "s"}, version=1) == {article.id: FULL}
    assert integrity(path) == "ok"


_text = st.text(st.characters(codec="utf-8"), max_size=30)
_start = st.integers(0, 10**6)
_facts = st.builds(
    ArticleFacts,
    grades=st.lists(st.builds(GradeStated, _text, _text, _start, st.booleans(), st.booleans()))
    .map(tuple),
    counts=st.lists(st.builds(CountStated, _text, st.integers(0, 99), _start)).map(tuple),
    quotes=st.lists(st.builds(QuoteStated, _text, st.none() | _text, st.none() | _text, _start))
    .map(tuple),
    meetings=st.lists(
        st.builds(
            MeetingStated, _text, st.dates(), st.none() | st.times(), st.none() | _text,
            st.none() | _text, st.booleans(), _start,
        )
    ).map(tuple),
    people=st.lists(
        st.builds(
            PersonStated, _text, st.none() | _text, _text, st.none() | _text, _start,
            st.booleans(), st.none() | _text,
        )
    ).map(tuple),
    documents=st.lists(
        st.builds(DocumentStated, _text, st.sampled_from(["report", "agenda", "other"]))
    ).map(tuple),
    sketch=st.builds(
        TextSketch.of, st.integers(1, 10**5), st.lists(st.integers(0, 2**32 - 1)).map(tuple)
    ) | st.just(TextSketch()),
)  # fmt: skip


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(_facts)
def test_any_facts_survive_the_codec(facts: ArticleFacts) -> None:
    assert decode_facts(encode_facts(facts)) == facts


def test_the_codec_refuses_what_it_did_not_write() -> None:
    bad_sketch = '[[], [], [], [], [], [], [5, "not base64!"]]'
    for text in (
        "", "{}", "[1,2,3,4,5,6]", "[[[1]]]", '[[], [["good"]]]', "null",
        "[[], [], [], [], [], [], [], []]", bad_sketch, '[[], [], [], [], [], [], [5, "AAA="]]',
    ):  # fmt: skip
        with pytest.raises(ValueError, match="not a facts record"):
            decode_facts(text)


_WRITER = """
import sys, time
from heraldtui.core.models import ArticleFacts, PersonStated
from heraldtui.core.storage.store import Store
from heraldtui.core.storage.schema import UPSERT_FACTS
from heraldtui.core.storage.facts_codec import encode_facts

path, ids = sys.argv[1], sys.argv[2].split(",")
facts = ArticleFacts(people=(PersonStated("Jane Roe", "Jane", "Roe", None, 0),))
store = Store(path)
half = len(ids) // 2
for i in ids[:half]:  # committed, one transaction each
    store.save_article_facts([(i, "s", facts)], version=1)
conn = store._connection()
conn.execute("BEGIN IMMEDIATE")
for i in ids[half:]:
    conn.execute(UPSERT_FACTS, (i, "s", 1, encode_facts(facts), i))
print("in the transaction", flush=True)
time.sleep(60)
"""


def test_a_writer_killed_mid_transaction_loses_nothing_it_committed(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with Store(path) as store:
        ids = _stored(store, 10)
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), ",".join(ids)],
        stdout=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"in the transaction"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with Store(path) as store:  # the kernel released the dead writer's locks
        found = store.article_facts({i: "s" for i in ids}, version=1)
    assert sorted(found) == sorted(ids[:5]), "committed rows kept, the open transaction gone"
    assert integrity(path) == "ok"
    with Store(path) as store:  # and the store writes again
        store.save_article_facts([(i, "s", ArticleFacts()) for i in ids], version=1)
        assert len(store.article_facts({i: "s" for i in ids}, version=1)) == 10
