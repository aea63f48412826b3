"""The Newsroom's feed operations: each feed's state for the screens, following a permanent
move, clearing a Gone mark, and editing the feeds file (`add_feed`, `import_opml`,
`export_opml`, static: they work without a data folder, so `heraldtui feeds add` never
creates one)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.config import FeedsConfig, is_bundled, load_config
from heraldtui.core.ingest.feedfate import configured, wait_until
from heraldtui.core.models import FeedState
from heraldtui.core.storage.fates import clear_gone, save_fates
from heraldtui.core.storage.fates import feed_states as stored_states
from heraldtui.core.storage.store import Store

__all__ = ["FeedsPart", "writable"]


def writable(config: Path) -> None:
    """Refuse to edit the default bundled inside the installed package."""
    if is_bundled(config):
        raise ConfigError(
            f"{config}: the default bundled with heraldtui is not edited; "
            "name your own feeds file with --config"
        )


class FeedsPart:
    """Feed states and feeds-file edits, mixed into `Newsroom`."""

    config: FeedsConfig
    store: Store

    def feed_states(self) -> list[FeedState]:
        """One state per configured feed, in the feeds file's order, with its move and
        Gone mark (`fate_notes` words them) and its Retry-After wait as the next refresh
        will honour it (capped)."""
        known = {state.name: state for state in stored_states(self.store)}
        now = datetime.now(UTC)
        out = []
        for feed in self.config.feeds:
            state, _ = configured(known.get(feed.name), feed)
            if state.retry_after is not None:
                state = dataclasses.replace(state, retry_after=wait_until(state, now))
            out.append(state)
        return out

    def follow_move(self, name: str) -> str:
        """Write the URL the feed `name` moved to for good into the feeds file (only that
        value changes; the whole file is checked, then written once, atomically) and
        return it. `ConfigError` when it has not moved or the file cannot take it."""
        from heraldtui.core.ingest.feedsfile import set_feed_url  # tomlkit: only for edits

        state = self._state_of(name)
        if state.moved_to is None:
            raise ConfigError(f"feed {state.name!r} has not moved (no permanent redirect seen)")
        writable(self.config.path)
        set_feed_url(self.config.path, state.name, state.moved_to)
        self.config = load_config(self.config.path)
        moved = dataclasses.replace(state, url=state.moved_to, moved_to=None, moved_at=None)
        self.store.save_feed_state(moved)
        save_fates(self.store, [moved])
        return moved.url

    def clear_gone(self, name: str) -> bool:
        """Let the next refresh fetch the feed `name` although it answered 410 Gone; False
        when it was not marked gone. `ConfigError` when no feed has that name."""
        return clear_gone(self.store, self._state_of(name).name)

    def _state_of(self, name: str) -> FeedState:
        wanted = name.strip().casefold()
        for state in self.feed_states():
            if state.name.casefold() == wanted:
                return state
        raise ConfigError(f"{self.config.path}: no feed named {name!r}")

    @staticmethod
    def add_feed(config: Path, name: str, url: str) -> None:
        """Append one feed to the feeds file, keeping its comments and layout.

        `ConfigError` if the name or URL is already there or the URL is not one a feed
        can have; the edited file is loaded again, so an edit never leaves a file that
        the next start would refuse.
        """
        from heraldtui.core.ingest.feedsfile import add_feed  # tomlkit: only for edits

        writable(config)
        add_feed(config, name, url)
        load_config(config)

    @staticmethod
    def import_opml(config: Path, opml: bytes) -> tuple[int, int]:
        """Add the feeds of an OPML document to the feeds file: (added, already there).

        All or nothing: an unreadable document or an invalid entry raises `ConfigError`
        before the file is touched.
        """
        from heraldtui.core.ingest.feedsfile import add_feeds
        from heraldtui.core.ingest.opml import read_opml

        writable(config)
        added, skipped = add_feeds(config, read_opml(opml))
        load_config(config)
        return added, skipped

    @staticmethod
    def export_opml(config: Path) -> str:
        """The feeds file's feeds as an OPML 2.0 document, for another reader to import."""
        from heraldtui.core.ingest.opml import write_opml

        return write_opml(load_config(config).feeds)
