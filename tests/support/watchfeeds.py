"""Feeds for the watch-rule and digest tests, written for them (no real article's text).

Four unrelated stories from two outlets, dated relative to the moment the test runs, so
`--since 7d` keeps three of them: an inspection of Hertfordshire Constabulary, a council's
bus lane row, a police and crime commissioner's public meeting in Wolds, and a month-old
appeal in Cumbria.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.utils import format_datetime

from heraldtui.core.newsroom import today_in_uk


@dataclass(frozen=True, slots=True)
class Item:
    slug: str
    title: str
    days_ago: int
    paragraphs: tuple[str, ...]


INSPECTION = Item(
    "herts-inspection",
    "Hertfordshire Constabulary told to improve after inspection",
    1,
    (
        "Inspectors from HMICFRS have published their PEEL report on Hertfordshire "
        "Constabulary, grading the force as requires improvement at investigating crime.",
        "The inspectorate found the force good at responding to the public but said "
        "too many victims waited days for an officer to call them back.",
        "The report sets out how the force should improve before the next inspection.",
    ),
)
BUS_LANES = Item(
    "bus-lanes",
    "Traders object to new bus lanes on the high street",
    2,
    (
        "Shop owners in the market town say the planned bus lanes will take away the "
        "parking bays their customers rely on.",
        "The county council said the consultation closes at the end of the month.",
    ),
)
MEETING = Item(
    "wolds-meeting",
    "Wolds commissioner Marlow to answer questions at public meeting",
    3,
    (
        "Police and Crime Commissioner Jane Marlow will take questions from residents "
        "about rural burglary at a public meeting in the village hall on 14 November 2030 "
        "at 7pm.",
        '"I want to hear directly from people who feel forgotten," Jane Marlow said.',
        "Wolds Police officers will also attend to talk about crime prevention.",
    ),
)
OLD_APPEAL = Item(
    "cumbria-appeal",
    "Cumbria Constabulary appeals for sightings of stolen tractor",
    40,
    (
        "Cumbria Constabulary is asking farmers to check their yards after a red "
        "tractor was taken from a farm near the fells overnight.",
        "Anyone with dashcam footage of the lanes is asked to contact the force.",
    ),
)
LATE_NEWS = Item(
    "jane-marlow-budget",
    "Commissioner sets out policing budget for next year",
    0,
    (
        "Police and Crime Commissioner Jane Marlow has published her budget plans for "
        "the coming year, with more money for neighbourhood teams.",
        '"Every pound has to reach the front line," Jane Marlow said.',
    ),
)


def _published(days_ago: int, now: datetime) -> datetime:
    """Noon (UTC) of the UK day `days_ago` days back, so `--since Nd` never depends on the
    hour the test runs; today's item a minute ago (never in the future)."""
    if days_ago == 0:
        return now - timedelta(minutes=1)
    noon = datetime.combine(today_in_uk(now), time(12), tzinfo=UTC)
    return noon - timedelta(days=days_ago)


def rss(base: str, items: list[Item], now: datetime | None = None) -> bytes:
    """An RSS 2.0 feed of `items`, each linking to `base/<slug>`, full text inline."""
    moment = now or datetime.now(UTC)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel><title>Outlet</title><link>https://outlet.example/</link>",
        "<description>test outlet</description>",
    ]
    for item in items:
        when = format_datetime(_published(item.days_ago, moment))
        body = "".join(f"<p>{p}</p>" for p in item.paragraphs)
        parts.append(
            f"<item><title>{item.title}</title><link>{base}/{item.slug}</link>"
            f"<guid>{base}/{item.slug}</guid><pubDate>{when}</pubDate>"
            f"<description>{item.paragraphs[0]}</description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")
