"""`memo.kept_when_short` keeps the readings of short texts only: a recurring paragraph is
read once, and a long one (a hostile feed's one-paragraph articles) is never kept."""

from __future__ import annotations

from heraldtui.core.text import memo


def test_a_short_text_is_read_once_and_a_long_one_every_time() -> None:
    reads: list[str] = []

    @memo.kept_when_short
    def read(text: str) -> int:
        reads.append(text)
        return len(text)

    short = "Anyone with information should call 101."
    long = "word " * (memo.LONGEST_KEPT // 5 + 1)
    assert len(short) <= memo.LONGEST_KEPT < len(long)
    assert [read(short), read(short), read(long), read(long)] == [len(short)] * 2 + [len(long)] * 2
    assert reads == [short, long, long]


def test_only_the_latest_texts_are_kept() -> None:
    reads: list[str] = []

    @memo.kept_when_short
    def read(text: str) -> str:
        reads.append(text)
        return text

    texts = [f"paragraph {n}" for n in range(memo.TEXTS_KEPT + 1)]
    for text in texts:
        read(text)
    read(texts[-1])  # kept
    read(texts[0])  # the oldest, gone
    assert len(reads) == len(texts) + 1
    assert reads[-1] == texts[0]
