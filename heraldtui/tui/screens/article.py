"""One article: its feed, author, date (UK time) and link above the stored Markdown.

The link is shown as plain text and opened only by `o`, and only when it is http(s).
`q` or `escape` goes back to the story; `space`/`b` page, `j`/`k` scroll a line. The text
is laid out no wider than `[settings] text_width` columns, when set.
The body is an `ArticleBody`, whose parser leaves no live link (see that module). The
screen dismisses with the article as last seen, so the story list can show the read and
star marks changed here.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from heraldtui.core.errors import HeraldError
from heraldtui.core.models import Article
from heraldtui.core.output.wording import clock_time
from heraldtui.tui.commands import ARTICLE_COMMANDS, Command, bindings
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.present import STAR_MARK, plain
from heraldtui.tui.widgets.article_body import ArticleBody


class ArticleScreen(Screen[Article]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(ARTICLE_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = ARTICLE_COMMANDS
    AUTO_FOCUS = "#article-scroll"

    def __init__(
        self, newsroom: NewsroomPort, article: Article, *, text_width: int | None = None
    ) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.article = article
        self.text_width = text_width

    def compose(self) -> ComposeResult:
        yield Static(id="article-meta")
        with VerticalScroll(id="article-scroll"):
            yield ArticleBody(
                plain(self.article.text) or "*This item has no text.*", id="article-body"
            )
        yield Footer()

    def on_mount(self) -> None:
        if self.text_width is not None:  # the reader's own setting, not a style of ours
            self.query_one(ArticleBody).styles.max_width = self.text_width
        self._show_meta()

    @property
    def scroller(self) -> VerticalScroll:
        return self.query_one("#article-scroll", VerticalScroll)

    def _show_meta(self) -> None:
        a = self.article
        when = clock_time(a.published) if a.published else "undated"
        byline = " · ".join(part for part in (a.feed, a.author, when) if part)
        flags = []
        if a.starred:
            flags.append(f"{STAR_MARK} starred")
        flags.append("read" if a.read else "unread")
        self.query_one("#article-meta", Static).update(
            Content("\n").join(
                [
                    Content.styled(plain(a.title), "bold"),
                    Content.styled(plain(byline), "$foreground-muted"),
                    Content.styled(plain(a.link), "underline"),
                    Content.styled(" · ".join(flags), "$foreground-muted"),
                ]
            )
        )

    def _set(self, *, read: bool | None = None, starred: bool | None = None) -> None:
        try:
            if read is not None:
                self.newsroom.set_read([self.article.id], read)
            if starred is not None:
                self.newsroom.set_starred([self.article.id], starred)
        except HeraldError as error:
            self.app.notify(plain(str(error)), title="Not saved", severity="error", markup=False)
            return
        self.article = dataclasses.replace(
            self.article,
            read=self.article.read if read is None else read,
            starred=self.article.starred if starred is None else starred,
        )
        self._show_meta()

    def action_toggle_read(self) -> None:
        self._set(read=not self.article.read)

    def action_toggle_star(self) -> None:
        self._set(starred=not self.article.starred)

    def action_back(self) -> None:
        self.dismiss(self.article)

    def action_scroll_down(self) -> None:
        self.scroller.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.scroller.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.scroller.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroller.scroll_page_up(animate=False)

    def action_top(self) -> None:
        self.scroller.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroller.scroll_end(animate=False)

    def action_open_link(self) -> None:
        opener = getattr(self.app, "open_link", None)
        if opener is not None:
            opener(self.article.link)
