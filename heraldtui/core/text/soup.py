"""One way into BeautifulSoup for feed and page HTML, without its warnings.

bs4 guesses at what it is given and says so on standard error ("looks like XML", "looks
like a URL"). What a feed or page sends is whatever it sends: the guesses are noise to the
user, and a warning written to the terminal under the reader's screen garbles it. They are
filtered once, here, where every parse starts.
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

__all__ = ["parse_html"]

warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)


def parse_html(markup: str) -> BeautifulSoup:
    """`markup` parsed by the standard library's HTML parser (no lxml, no html5lib)."""
    return BeautifulSoup(markup, "html.parser")
