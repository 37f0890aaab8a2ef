"""The demo hub: published resources and case studies of university–charity collaboration, made through the
hub's services, linked to the demo's events, sessions, speakers and organisations."""

from __future__ import annotations

from dataclasses import dataclass

from events_app.hub import services as hub
from events_app.people.sectors import SectorRole
from events_app.people.tables import Region
from events_app.programme.tables import Event


@dataclass(frozen=True)
class DemoResource:
    title: str
    kind: str
    summary: str
    body: str
    themes: tuple[str, ...]
    sectors: tuple[SectorRole, ...]
    region: str | None
    year: int
    organisations: tuple[str, ...] = ()
    events: tuple[str, ...] = ()  # event titles, or "conference" / "south-west community" for the demo's own
    sessions: tuple[str, ...] = ()  # session titles at the conference
    speakers: tuple[str, ...] = ()


RESOURCES = [
    DemoResource(
        "Mentoring schemes run with charities in the South West",
        "case_study",
        "Harbourside University and Coast and Valleys STEM Clubs pair undergraduate mentors with pupils in coastal "
        "and valley schools, for a year of fortnightly sessions.",
        "The scheme began in 2023 with twenty mentors and has grown to sixty. The charity recruits the schools and "
        "runs safeguarding; the university trains the mentors and gives them credit towards a module.\n\n"
        "Pupils who took part were twice as likely to choose a science A level. What made it work: the charity "
        "knew the families, the university brought the students, and both met every half term to change the plan.",
        ("mentoring", "charity-partnerships", "student-ambassadors"),
        ("university", "civil_society", "school_college"),
        "south-west-and-wales",
        2026,
        organisations=("Harbourside University", "Coast and Valleys STEM Clubs", "Westbay College"),
        events=("south-west community",),
        sessions=("First in family: physics from school to degree",),
        speakers=("Dr Tomos Griffiths",),
    ),
    DemoResource(
        "After-school science clubs with a university partner",
        "case_study",
        "Bright Sparks Science Trust and Kingsgate University run weekly science clubs in twelve London boroughs.",
        "Undergraduates lead the experiments; the trust's staff keep the clubs going through the holidays.",
        ("schools-outreach", "charity-partnerships", "student-ambassadors"),
        ("university", "civil_society"),
        "london-and-south-east",
        2025,
        organisations=("Bright Sparks Science Trust", "Kingsgate University"),
        sessions=("Universities and charities as equal partners",),
        speakers=("Priya Natarajan",),
    ),
    DemoResource(
        "Evaluating outreach together: a shared toolkit",
        "resource",
        "Survey questions, consent forms and an analysis plan that a university and its charity partners share.",
        "A toolkit for measuring what changes for young people, written so that small charities can use it "
        "without a research team.",
        ("evaluation", "charity-partnerships"),
        ("university", "civil_society"),
        None,
        2026,
        sessions=("Workshop: Evaluating what works, together",),
        events=("conference",),
    ),
    DemoResource(
        "Family maths evenings in community centres",
        "case_study",
        "Community Maths Network brings parents and children together for maths games, with Riverside University "
        "students as helpers.",
        "Families come for a meal and stay for puzzles. Parents said they felt able to help with homework afterwards.",
        ("family-learning", "community-engagement"),
        ("civil_society", "university"),
        "north-west",
        2025,
        organisations=("Community Maths Network", "Riverside University"),
    ),
    DemoResource(
        "Girls into physics: a residential summer school",
        "case_study",
        "A week at the University of Northbridge for girls in Year 12, planned with the Girls into Physics Collective.",
        "Days in the labs, evenings with women physicists, and a mentor for the year after.",
        ("summer-schools", "girls-in-stem", "mentoring"),
        ("university", "civil_society"),
        "north-east-and-yorkshire",
        2024,
        organisations=("University of Northbridge", "Girls into Physics Collective"),
    ),
    DemoResource(
        "Co-designing outreach with young people",
        "resource",
        "A workshop plan for designing outreach with the young people it is for, not only for them.",
        "Three sessions: listening, trying ideas out, and deciding together what to keep.",
        ("schools-outreach", "community-engagement"),
        ("university", "civil_society", "school_college"),
        "midlands",
        2026,
        organisations=("Young Engineers Alliance", "Midshire University"),
        sessions=("Workshop: Co-designing outreach with young people",),
    ),
    DemoResource(
        "Teachers' physics CPD in partnership with a college",
        "resource",
        "Twilight sessions for non-specialist physics teachers, run by a university and a sixth form college.",
        "Six evenings of practicals teachers can take straight back to the classroom.",
        ("teacher-cpd",),
        ("university", "school_college"),
        "midlands",
        2025,
        organisations=("Midshire University", "Eastfield Sixth Form College"),
    ),
    DemoResource(
        "First in family: foundation years and apprenticeships",
        "resource",
        "A guide for advisers on routes into STEM degrees for students who are the first in their family.",
        "Foundation years, degree apprenticeships and college routes compared, with questions to ask each.",
        ("admissions-transition", "careers"),
        ("university", "employer", "school_college"),
        None,
        2026,
        organisations=("First in Family Foundation", "Northline Engineering"),
        sessions=("Foundation years, apprenticeships and colleges",),
    ),
]


async def _event_titles() -> dict[str, str]:
    rows = await Event.select(Event.title, Event.kind)
    conference = next((r["title"] for r in rows if r["kind"] == "conference"), "")
    south_west = next((r["title"] for r in rows if r["title"].startswith("South West and Wales Community")), "")
    return {"conference": conference, "south-west community": south_west}


async def resources() -> None:
    """Make and publish the demo's resources."""
    regions = {r["slug"]: r["id"] for r in await Region.select(Region.id, Region.slug)}
    events = await _event_titles()
    conference = events["conference"]
    for item in RESOURCES:
        ids = await hub.ids_from_names(
            organisations=item.organisations,
            events=[events.get(e, e) for e in item.events],
            sessions=[f"{conference}{hub.SESSION_SEPARATOR}{s}" for s in item.sessions],
            speakers=item.speakers,
        )
        resource_id = await hub.create_resource(
            hub.ResourceInput(
                title=item.title,
                kind=item.kind,
                summary=item.summary,
                body=item.body,
                themes=item.themes,
                sectors=item.sectors,
                region=regions.get(item.region) if item.region else None,
                year=item.year,
                organisations=ids.organisations,
                events=ids.events,
                sessions=ids.sessions,
                speakers=ids.speakers,
            )
        )
        await hub.publish_resource((await hub.get_resource_by_id(resource_id)).slug)
