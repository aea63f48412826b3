"""`plain_text` skips a Markdown pass when the text lacks the characters it needs: the
result must be what running every pass gives, on any mix of those characters."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.text import prose
from heraldtui.core.text.prose import plain_text


def every_pass(markdown: str) -> str:
    """`plain_text` with no pass skipped (the oracle)."""
    text = unicodedata.normalize("NFC", markdown or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = prose._BR.sub("\n", text)
    text = prose._HELD.sub("", text)
    text = prose._ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    text = prose._IMAGE.sub(lambda m: m.group(1), text)
    text = prose._LINK.sub(lambda m: m.group(1), text)
    text = prose._AUTOLINK.sub(lambda m: m.group(1), text)
    text = prose._HEADING.sub("", text)
    text = prose._QUOTE_BLOCK.sub("", text)
    text = prose._EMPHASIS.sub("", text)
    text = prose._HELD.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)
    text = prose._SPACES.sub(" ", text)
    out: list[str] = []
    for line in (line.strip() for line in text.split("\n")):
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


PIECES = st.sampled_from(
    [
        "Jane",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "*",
        "**",
        "_",
        "__",
        "#",
        "# ",
        ">",
        "> ",
        "<",
        "<br>",
        "<BR/>",
        "<https://a.example/x>",
        "[",
        "]",
        "(",
        ")",
        "](",
        "![",
        "[a](https://b.example)",
        "![c](d.png)",
        "\\",
        "\\*",
        "\\[",
        "\ue001",
        "\u00a0",
        "\u2003",
        "é",
        "e\u0301",
        "said",
        ".",
        "x_y",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_skipped_passes_change_nothing(markdown: str) -> None:
    assert plain_text(markdown) == every_pass(markdown)


def test_plain_prose_is_only_trimmed() -> None:
    assert plain_text("  Officers attended.\n\n\n  A man was arrested.  ") == (
        "Officers attended.\n\nA man was arrested."
    )
