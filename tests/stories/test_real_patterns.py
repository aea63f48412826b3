"""Story kinds and forces as real outlets write them (issue 12), each pattern on a fixture
of its own, written for the project (invented towns and people; real force names only
where the bundled table must resolve them):

- a reaction or a rewrite whose lead only says the force was "judged as inadequate", was
  "told it needs to improve", or starts "Inspectors ..." is an inspection article;
- not every watchdog story is a PEEL report: enhanced monitoring ("special measures",
  "Engage") decisions, fire and rescue service inspections (no force, never with a force's
  story) and national reports are their own kinds (`Story.inspection_type`);
- a meeting write-up dated "today (Monday)", or headlined by its meeting and dated by
  nothing but its publication day, joins its previews; a force-wide body (the police and
  crime panel) holds one meeting on a date;
- a force named only through its commissioner or chief constable is still the story's
  force, by its official name.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heraldtui.core.models import Article, Story
from heraldtui.core.stories.grouper import group_articles

T0 = datetime(2025, 3, 4, 9, tzinfo=UTC)  # a Tuesday


def item(feed: str, slug: str, when: datetime, title: str, *paras: str) -> Article:
    link = f"https://{feed.lower().replace(' ', '-')}.example/{slug}"
    return Article(feed, link, link, title, None, when, "", "\n\n".join(paras))


def story_of(stories: list[Story], article: Article) -> Story:
    return next(s for s in stories if article in s.articles)


def together(stories: list[Story], *articles: Article) -> bool:
    return len({story_of(stories, a).id for a in articles}) == 1


def peel_release(when: datetime = T0) -> Article:
    return item(
        "Wolds Constabulary News",
        "peel",
        when,
        "Wolds Constabulary responds to PEEL inspection",
        "HMICFRS has published its PEEL 2023-25 report on Wolds Constabulary. The force was "
        "graded inadequate at investigating crime and good at preventing crime.",
        'Chief Constable Omar Lisle said: "We accept the findings in full."',
    )


# ---------------------------------------------------------------- leads without "inspection"


def test_a_reaction_whose_lead_says_judged_inadequate_joins_the_inspection() -> None:
    reaction = item(
        "Office of the Wolds PCC",
        "reaction",
        T0 + timedelta(hours=5),
        "Commissioner vows to fix slow investigations",
        "Wolds Constabulary has been judged as inadequate at investigating crime, and "
        "Commissioner Ines Carrow says she will hold the chief constable to account for "
        "every victim kept waiting.",
        "The inspectorate found that some burglary victims waited a week for a visit.",
    )
    stories = group_articles([peel_release(), reaction])
    assert together(stories, peel_release(), reaction)
    assert story_of(stories, reaction).kind == "inspection"


def test_a_rewrite_whose_lead_says_told_to_improve_joins_the_inspection() -> None:
    rewrite = item(
        "Local Democracy Desk",
        "rewrite",
        T0 + timedelta(days=6),
        "Burglary victims wait days for officers",
        "Wolds Constabulary has been told it needs to improve how it investigates crime, "
        "with some burglary victims in the county waiting several days before an officer "
        "came to their door.",
        "His Majesty's Inspectorate of Constabulary published the findings last week.",
    )
    stories = group_articles([peel_release(), rewrite])
    assert together(stories, peel_release(), rewrite)


def test_a_lead_that_opens_with_inspectors_is_an_inspection_lead() -> None:
    praise = item(
        "Saltings Weekly",
        "praise",
        T0 + timedelta(hours=8),
        "Praise for Wolds Constabulary's work with young people",
        "Inspectors found that Wolds Constabulary does well at keeping young people away "
        "from crime, through its visits to schools and the holiday football sessions its "
        "officers run in the parks.",
        "The report by HMICFRS is published today.",
    )
    stories = group_articles([peel_release(), praise])
    assert together(stories, peel_release(), praise)
    assert story_of(stories, praise).kind == "inspection"


def test_a_near_copy_that_names_nobody_is_still_found() -> None:
    """No force, date, person, place or link to meet under: the opening words are."""
    words = (
        "Police are warning older people about callers who pretend to be from their bank and "
        "ask them to move their savings into a so-called safe account.",
        "Officers said no bank would ever ask a customer to do that, and anyone who gets such "
        "a call should hang up and ring their bank on a number they already trust.",
    )
    original = item("Saltings Weekly", "scam", T0, "Warning over bank callers", *words)
    copy = item(
        "Levels Chronicle",
        "scam",
        T0 + timedelta(days=2),
        "Older people warned about fake bank calls",
        *words,
        "The warning follows several reports of this kind of call in recent weeks.",
    )
    stories = group_articles([original, copy])
    assert together(stories, original, copy)


def test_peel_as_some_outlets_write_it_names_the_report() -> None:
    rewrite = item(
        "Saltings Weekly",
        "detectives",
        T0 + timedelta(days=1),
        "Force 'short of detectives'",
        "A county police force has been told to improve how it investigates crime after a "
        "review found it had too few trained detectives for the number of serious cases.",
        "The Peel report said Wolds Constabulary had asked constables to lead complex cases.",
    )
    stories = group_articles([peel_release(), rewrite])
    assert together(stories, peel_release(), rewrite)


# ---------------------------------------------------------------- kinds of inspection


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        (
            "Wolds Constabulary out of special measures",
            "Wolds Constabulary has been taken out of special measures by the inspectorate.",
        ),
        (
            "Force no longer needs 'enhanced monitoring'",
            "Wolds Constabulary no longer needs 'enhanced monitoring', HMICFRS has decided.",
        ),
        (
            "Inspectorate steps up scrutiny of Wolds Constabulary",
            "HMICFRS has escalated Wolds Constabulary to Engage over its call handling.",
        ),
    ],
)
def test_monitoring_decisions_are_engage_however_written(title: str, lead: str) -> None:
    decision = item("Fen Radio", "decision", T0 + timedelta(days=25), title, lead)
    stories = group_articles([peel_release(), decision])
    assert story_of(stories, decision).inspection_type == "engage"
    assert not together(stories, peel_release(), decision)


def test_an_enhanced_monitoring_decision_is_its_own_story() -> None:
    moved = item(
        "Saltings Weekly",
        "engage",
        T0 + timedelta(days=20),
        "Wolds Constabulary placed in special measures",
        "The police inspectorate has moved Wolds Constabulary into its enhanced level of "
        "monitoring, known as Engage, over the way it handles calls from the public.",
        "HMICFRS said the force must produce an improvement plan.",
    )
    follow = item(
        "Wolds Constabulary News",
        "engage-reply",
        T0 + timedelta(days=20, hours=3),
        "Statement on enhanced monitoring",
        "Wolds Constabulary has been taken out of routine monitoring and into the "
        "inspectorate's Engage process; Chief Constable Omar Lisle said the plan is ready.",
        "HMICFRS will review progress in six months.",
    )
    stories = group_articles([peel_release(), moved, follow])
    assert together(stories, moved, follow)
    assert not together(stories, peel_release(), moved)
    engage = story_of(stories, moved)
    assert (engage.kind, engage.inspection_type) == ("inspection", "engage")
    assert story_of(stories, peel_release()).inspection_type == "peel"


def test_a_graded_report_that_recalls_special_measures_is_no_monitoring_decision() -> None:
    report = item(
        "Saltings Weekly",
        "recall",
        T0 + timedelta(hours=4),
        "Wolds Constabulary rated good in six areas",
        "Wolds Constabulary has been rated good in six areas by inspectors, four years "
        "after it came out of special measures.",
        "HMICFRS published its report today.",
    )
    stories = group_articles([peel_release(), report])
    assert together(stories, peel_release(), report)
    assert story_of(stories, report).inspection_type == "peel"


def _fire_and_police() -> tuple[Article, Article, Article]:
    fire = item(
        "Levels Chronicle",
        "fire",
        T0,
        "Fire service rated good at keeping people safe",
        "Fenmoor County Fire and Rescue Service has been rated good at preventing fires by "
        "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services.",
        "Fenmoor Police, Fire and Crime Commissioner Dara Quell said crews had earned it.",
    )
    fire_copy = item(
        "Fen Radio",
        "fire",
        T0 + timedelta(hours=6),
        "Inspectors praise fire prevention work",
        "Inspectors have praised Fenmoor Fire and Rescue Service for its home safety visits, "
        "rating the service good at preventing fires and adequate at protecting the public.",
        "The inspectorate visited stations in the spring.",
    )
    police = item(
        "Levels Chronicle",
        "police",
        T0 + timedelta(hours=1),
        "Fenmoor Police rated adequate by inspectors",
        "Fenmoor Police has been rated adequate in most areas by His Majesty's Inspectorate "
        "of Constabulary and Fire & Rescue Services in its PEEL report.",
        "Fenmoor Police, Fire and Crime Commissioner Dara Quell said the force would improve.",
    )
    return fire, fire_copy, police


def test_a_fire_service_inspection_has_no_force_and_never_joins_a_force() -> None:
    fire, fire_copy, police = _fire_and_police()
    stories = group_articles([fire, fire_copy, police])
    assert not together(stories, fire, police)
    assert together(stories, fire, fire_copy)
    service = story_of(stories, fire)
    assert (service.kind, service.inspection_type, service.force) == ("inspection", "fire", None)
    force = story_of(stories, police)
    assert (force.inspection_type, force.force) == ("peel", "Fenmoor Police")


def test_a_national_report_is_thematic_and_crime_recording_is_its_own_kind() -> None:
    national = item(
        "Police Oracle Digest",
        "thematic",
        T0,
        "Watchdog's thematic inspection of stalking cases",
        "A thematic inspection by HMICFRS found that victims of stalking across England and "
        "Wales are too often told to keep a diary rather than being helped.",
    )
    recording = item(
        "Saltings Weekly",
        "cdi",
        T0 + timedelta(days=2),
        "Wolds Constabulary praised for crime recording",
        "A crime data integrity inspection has found that Wolds Constabulary now records "
        "nine in ten reported crimes correctly, and inspectors rated the force good.",
    )
    stories = group_articles([national, recording])
    assert story_of(stories, national).inspection_type == "thematic"
    assert story_of(stories, national).force is None
    assert story_of(stories, recording).inspection_type == "crime-data-integrity"


def test_only_inspection_stories_have_an_inspection_type() -> None:
    other = item(
        "Saltings Weekly",
        "fete",
        T0,
        "Police dogs star at Saltings fete",
        "Dogs from Wolds Constabulary were the stars of the summer fete on Saturday.",
    )
    [story] = group_articles([other])
    assert (story.kind, story.inspection_type) == ("other", None)


# ---------------------------------------------------------------- meetings written up


def test_a_write_up_dated_today_with_its_weekday_joins_the_preview() -> None:
    preview = item(
        "Ashworth Echo",
        "preview",
        datetime(2025, 6, 2, 9, tzinfo=UTC),
        "Panel to confirm new chief constable",
        "The Harrowdale Police and Crime Panel will meet at Shire Hall in Ashworth on Monday "
        "9 June to confirm Priya Venn as chief constable.",
    )
    write_up = item(
        "Vale Herald",
        "write-up",
        datetime(2025, 6, 9, 15, tzinfo=UTC),
        "Priya Venn is Harrowdale's new chief constable",
        "Priya Venn is the new chief constable of Harrowdale Police.",
        "Her appointment was confirmed by the Harrowdale Police and Crime Panel at a meeting "
        "at Shire Hall in Ashworth today (Monday).",
    )
    stories = group_articles([preview, write_up])
    assert together(stories, preview, write_up)
    assert story_of(stories, write_up).kind == "meeting"


def _panel_day() -> tuple[Article, Article, Article, Article]:
    office = "Office of the Harrowdale PCC"
    notice = item(
        office,
        "panel",
        datetime(2025, 2, 6, 8, tzinfo=UTC),
        "Police and Crime Panel",
        "Commissioner Nia Okafor meets the Harrowdale Police and Crime Panel at Ashworth "
        "Civic Centre on Thursday 6 February 2025 at 10am to present her budget.",
    )
    write_up = item(
        office,
        "panel-budget",
        datetime(2025, 2, 6, 16, tzinfo=UTC),
        "Police and Crime Panel backs the commissioner's budget",
        "The Harrowdale Police and Crime Panel has backed a budget that adds forty officers to "
        "neighbourhood teams across the county and keeps the rise in the precept small.",
    )
    counter = item(
        office,
        "counter",
        datetime(2025, 2, 6, 17, tzinfo=UTC),
        "Brindle front counter to close",
        "The front counter at Brindle police station will close in April.",
        "Figures shown to the Harrowdale Police and Crime Panel found it had few visitors.",
    )
    next_day = item(
        office,
        "panel-precept",
        datetime(2025, 2, 7, 16, tzinfo=UTC),
        "Police and Crime Panel backs the precept",
        "The Harrowdale Police and Crime Panel has agreed the policing part of council tax "
        "for the year from April, after a long debate on rural patrols.",
    )
    return notice, write_up, counter, next_day


def test_a_write_up_headlined_by_its_meeting_and_naming_no_date_is_that_days_meeting() -> None:
    notice, write_up, counter, next_day = _panel_day()
    stories = group_articles([notice, write_up, counter, next_day])
    assert together(stories, notice, write_up)
    # an item about something else that mentions the panel, and a write-up of another
    # day, are not that meeting
    assert not together(stories, notice, counter)
    assert not together(stories, notice, next_day)


def test_a_force_wide_body_meets_once_on_a_date_whoever_is_named() -> None:
    preview = item(
        "Vale Herald",
        "panel-preview",
        datetime(2025, 2, 3, 9, tzinfo=UTC),
        "Panel to scrutinise the commissioner's budget",
        "Commissioner Nia Okafor will present her budget to the Harrowdale Police and Crime "
        "Panel on Thursday 6 February, with a rise in the precept on the table.",
    )
    write_up = item(
        "Ashworth Echo",
        "panel-write-up",
        datetime(2025, 2, 7, 9, tzinfo=UTC),
        "Precept rise approved by police panel",
        "Councillors on the Harrowdale Police and Crime Panel approved a rise in the policing "
        "precept on Thursday, after Councillor Tom Brereton called for more rural patrols.",
    )
    stories = group_articles([preview, write_up])
    assert together(stories, preview, write_up)


# ---------------------------------------------------------------- forces through their heads


def test_a_force_named_only_through_its_commissioner_or_chief_is_the_storys_force() -> None:
    notice = item(
        "Office of the Suffolk PCC",
        "question-time",
        datetime(2024, 9, 2, 9, tzinfo=UTC),
        "Your chance to question Suffolk's chief constable",
        "The Police and Crime Commissioner for Suffolk will put your questions to the chief "
        "constable at a public meeting on Wednesday 18 September 2024.",
    )
    preview = item(
        "Stourmouth Star",
        "question-time",
        datetime(2024, 9, 10, 9, tzinfo=UTC),
        "Put your questions to Suffolk's chief constable",
        "Residents can quiz Suffolk's chief constable at a public meeting on Wednesday 18 "
        "September, the commissioner's office says.",
    )
    stories = group_articles([notice, preview])
    assert together(stories, notice, preview)
    assert story_of(stories, notice).force == "Suffolk Constabulary"
