"""An article's stored Markdown, rendered with every link made inert.

Feed text is untrusted. Textual's Markdown widget turns links and images into clickable
`@click` actions and the GFM parser also turns bare URLs into links; a feed could point
them anywhere. The parser used here keeps links as words: a core rule runs after inline
parsing and replaces each `link_open`/`link_close` pair and each image with plain text
tokens (the link text followed by its address in angle brackets, `[image: alt]`), raw
HTML is not parsed (it shows as the characters it is), and linkify is off. With no link
tokens left, nothing in the body can carry an action; `open_links=False` is kept as a
second guard. The only way to a browser is the `o` key, which checks the scheme.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from textual.widgets import Markdown


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _unlink_inline(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    hrefs: list[tuple[str, int]] = []
    for child in children:
        if child.type == "link_open":
            hrefs.append((str(child.attrs.get("href", "")), len(out)))
            continue
        if child.type == "link_close":
            href, start = hrefs.pop() if hrefs else ("", len(out))
            shown = "".join(t.content for t in out[start:])
            if href and href != shown and f"mailto:{shown}" != href:
                out.append(_text(f" <{href}>"))
            continue
        if child.type == "image":
            alt = "".join(t.content for t in child.children or []) or child.content
            out.append(_text(f"[image: {alt}]" if alt else "[image]"))
            continue
        out.append(child)
    return out


def _unlink(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _unlink_inline(token.children)


def inert_parser() -> MarkdownIt:
    """A GFM-like parser whose output holds no link, image or raw HTML token."""
    parser = MarkdownIt("gfm-like", {"html": False, "linkify": False})
    parser.disable(["html_inline", "html_block", "linkify"], ignoreInvalid=True)
    parser.core.ruler.push("heraldtui_inert_links", _unlink)
    return parser


class ArticleBody(Markdown):
    """Markdown of an article; see the module docstring for why links are inert."""

    def __init__(self, markdown: str | None = None, *, id: str | None = None) -> None:
        super().__init__(markdown, id=id, parser_factory=inert_parser, open_links=False)
