"""A realistic programme for trying events_app: built through the same services organisers use."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from events_app.accounts import services as accounts
from events_app.accounts.roles import Role
from events_app.accounts.schemas import OrganiserCreate
from events_app.core.database import write_transaction
from events_app.people import services as people
from events_app.people.schemas import OrganisationCreate
from events_app.people.tables import Region, StakeholderGroup
from events_app.programme import events, series, sessions, speakers, venues
from events_app.programme import schemas as s
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event

ADMIN_EMAIL = "admin@example.org"

REGIONS = [
    ("north-east-and-yorkshire", "North East and Yorkshire"),
    ("north-west", "North West"),
    ("midlands", "Midlands"),
    ("south-west-and-wales", "South West and Wales"),
    ("london-and-south-east", "London and South East"),
]

ORGANISATIONS = [
    # (name, stakeholder group slug, region slug)
    ("Kingsgate University", "higher-education-institution", "london-and-south-east"),
    ("University of Northbridge", "higher-education-institution", "north-east-and-yorkshire"),
    ("Riverside University", "higher-education-institution", "north-west"),
    ("Midshire University", "higher-education-institution", "midlands"),
    ("Harbourside University", "higher-education-institution", "south-west-and-wales"),
    ("Moorland Institute of Technology", "higher-education-institution", "north-east-and-yorkshire"),
    ("Bright Sparks Science Trust", "third-sector-organisation", "london-and-south-east"),
    ("Community Maths Network", "third-sector-organisation", "north-west"),
    ("Young Engineers Alliance", "third-sector-organisation", "midlands"),
    ("Girls into Physics Collective", "third-sector-organisation", "north-east-and-yorkshire"),
    ("Coast and Valleys STEM Clubs", "third-sector-organisation", "south-west-and-wales"),
    ("First in Family Foundation", "third-sector-organisation", "london-and-south-east"),
    ("Parkside Academy", "school-or-college", "london-and-south-east"),
    ("Eastfield Sixth Form College", "school-or-college", "midlands"),
    ("Westbay College", "school-or-college", "south-west-and-wales"),
    ("Access to STEM Fund", "funder", None),
    ("Northern Skills Foundation", "funder", "north-west"),
    ("Department for Education Access Unit", "policymaker", None),
    ("Regional Skills Partnership Wales", "policymaker", "south-west-and-wales"),
    ("Northline Engineering", "employer", "north-east-and-yorkshire"),
]

SPEAKERS = [
    # (name, job title, organisation, bio)
    (
        "Professor Amara Okafor",
        "Pro Vice-Chancellor for Education",
        "Kingsgate University",
        "Amara leads Kingsgate's access and participation plan and chairs the network's steering group.",
    ),
    (
        "Dr Tomos Griffiths",
        "Senior Lecturer in Physics",
        "Harbourside University",
        "Tomos runs outreach with schools in the valleys and researches first-generation physics students.",
    ),
    (
        "Priya Natarajan",
        "Chief Executive",
        "Bright Sparks Science Trust",
        "Priya founded Bright Sparks, which runs after-school science clubs in twelve London boroughs.",
    ),
    (
        "Dr Helen Marsh",
        "Director of Widening Participation",
        "University of Northbridge",
        "Helen has spent twenty years building partnerships between universities and community groups.",
    ),
    (
        "Kwame Mensah",
        "Programme Manager",
        "Community Maths Network",
        "Kwame coordinates volunteer maths tutors and family learning in the North West.",
    ),
    (
        "Sophie Laurent",
        "Head of Science",
        "Parkside Academy",
        "Sophie leads a science department where most pupils would be the first in their family at university.",
    ),
    (
        "Dr Rhiannon Evans",
        "Research Fellow in Education",
        "Harbourside University",
        "Rhiannon evaluates outreach programmes with mixed methods and community co-researchers.",
    ),
    (
        "Marcus Bell",
        "Head of Grants",
        "Access to STEM Fund",
        "Marcus oversees a grants programme for partnerships between universities and charities.",
    ),
    (
        "Aisha Rahman",
        "Founder",
        "Girls into Physics Collective",
        "Aisha started the Collective as a student; it now mentors 400 girls a year.",
    ),
    (
        "Professor David Chen",
        "Dean of Engineering",
        "Midshire University",
        "David works with employers and colleges on degree apprenticeships and foundation years.",
    ),
    (
        "Leah O'Connor",
        "Youth Programmes Lead",
        "Young Engineers Alliance",
        "Leah designs engineering challenges co-created with young people.",
    ),
    (
        "Dr Samuel Adeyemi",
        "Lecturer in Computer Science",
        "Riverside University",
        "Samuel runs a coding summer school for care-experienced young people.",
    ),
    (
        "Jo Whitfield",
        "Policy Adviser",
        "Department for Education Access Unit",
        "Jo advises on access and participation policy and evidence standards.",
    ),
    (
        "Gareth Price",
        "Partnerships Manager",
        "Coast and Valleys STEM Clubs",
        "Gareth links rural schools with university labs and local employers.",
    ),
    (
        "Nadia Hussain",
        "Early Careers Manager",
        "Northline Engineering",
        "Nadia leads apprenticeships and work experience for a regional engineering firm.",
    ),
]


async def has_events() -> bool:
    return bool(await Event.exists())


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    """Wall-clock time in Europe/London (the services read naive times in the event's zone)."""
    return datetime.combine(day, time(hh, mm))


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


async def load(today: date | None = None) -> str:
    """Load the programme; returns the admin password, which is shown once and stored only hashed."""
    today = today or date.today()
    async with write_transaction():
        await people.ensure_default_groups()
    groups = {g["slug"]: g["id"] for g in await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.slug)}
    for slug, name in REGIONS:
        await Region(slug=slug, name=name).save()
    regions = {r["slug"]: r["id"] for r in await Region.select(Region.id, Region.slug)}

    organisations: dict[str, int] = {}
    for name, group, region in ORGANISATIONS:
        org = await people.create_organisation(
            OrganisationCreate(
                name=name, stakeholder_group_id=groups[group], region_id=regions[region] if region else None
            )
        )
        organisations[name] = org.id
    people_ids: dict[str, int] = {}
    for name, job, org_name, bio in SPEAKERS:
        sp = await speakers.create_speaker(
            s.SpeakerCreate(name=name, job_title=job, organisation_id=organisations[org_name], bio=bio)
        )
        people_ids[name] = sp.id

    await _conference(today, people_ids)
    await _seminars(today, people_ids)
    await _forum(today)
    await _communities(today, regions, people_ids)

    await _registrations()
    await _past_seminar(today)

    password = secrets.token_urlsafe(12)
    await accounts.create_organiser(
        OrganiserCreate(email=ADMIN_EMAIL, name="Demo Admin", role=Role.admin, password=password)
    )
    return password


FIRST_NAMES = [
    "Aisha",
    "Bethan",
    "Chidi",
    "Dafydd",
    "Eilidh",
    "Farah",
    "Gareth",
    "Hana",
    "Iwan",
    "Jasmine",
    "Kofi",
    "Lowri",
    "Mei",
    "Niamh",
    "Owain",
    "Priya",
    "Rhys",
    "Saoirse",
    "Tomasz",
    "Zoë",
]
LAST_NAMES = ["Ahmed", "Evans", "Ó Súilleabháin", "Kowalski", "Morgan", "Nwosu", "Patel", "Chen", "MacLeod", "Jones"]


async def _registrations() -> None:
    """Delegates from every sector, so organisers see counts by group, a waiting list and pending requests."""
    from events_app.registration import register as registration
    from events_app.registration.schemas import RegistrationCreate

    organisations = ORGANISATIONS
    rows = await (
        Event.select(Event.slug, Event.kind, Event.capacity)
        .where((Event.status == "published") & Event.capacity.is_not_null())
        .order_by(Event.capacity)  # the smallest seminar fills up and gets a waiting list
    )
    wanted = {"conference": 48, "seminar": 64, "forum_meeting": 6}
    seen: set[str] = set()
    for event in rows:
        count = wanted.get(event["kind"], 0)
        if not count or event["kind"] in seen:
            continue
        seen.add(event["kind"])
        for n in range(count):
            first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7) % len(LAST_NAMES)]
            name, group, _ = organisations[n % len(organisations)]
            data = RegistrationCreate(
                name=f"{first} {last}",
                email=f"{first}.{last}.{n}@example.org".lower()
                .replace(" ", "")
                .replace("ó", "o")
                .replace("ú", "u")
                .replace("á", "a")
                .replace("ë", "e"),
                stakeholder_group=group,
                organisation_name=name,
                access_needs="Step-free access" if n % 11 == 0 else "",
                dietary_needs="Vegetarian" if n % 4 == 0 else "",
                consent_to_contact=n % 3 != 0,
            )
            await registration.register(await events.event_row(event["slug"], include_drafts=True), data)


async def _past_seminar(today: date) -> None:
    """A seminar three weeks ago, with its check-ins and feedback, so the attendance, feedback and
    collaboration pages have something to show."""
    from events_app.checkin import services as checkin
    from events_app.feedback import forms, responses
    from events_app.feedback.schemas import FormCreate, ResponseIn
    from events_app.programme.tables import Series
    from events_app.registration import register as registration
    from events_app.registration.schemas import RegistrationCreate

    run = await Series.select(Series.id).where(Series.slug == "seminar-series").first()
    day = today + timedelta(days=2)
    seminar = await events.create_event(
        s.EventCreate(
            title="Seminar: Community partners in university outreach",
            slug="seminar-community-partners",
            kind="seminar",
            status="published",
            summary="How charities and universities plan outreach together: what worked, what did not.",
            starts_at=_at(day, 13),
            ends_at=_at(day, 14, 30),
            online_url="https://meet.example.org/seminar-series",
            series_id=run["id"] if run else None,
            capacity=40,
        )
    )
    ids = []
    for n in range(24):
        first, last = FIRST_NAMES[(n + 3) % len(FIRST_NAMES)], LAST_NAMES[(n * 3) % len(LAST_NAMES)]
        name, group, _ = ORGANISATIONS[(n * 5) % len(ORGANISATIONS)]
        result = await registration.register(
            await events.event_row(seminar.slug, include_drafts=True),
            RegistrationCreate(
                name=f"{first} {last}",
                email=f"past.{n}@example.org",
                stakeholder_group=group,
                organisation_name=name,
            ),
        )
        assert result.registration is not None
        ids.append(result.registration.id)
    row = await event_row_for(seminar.slug)
    for registration_id in ids[:20]:
        await checkin.check_in(row, registration_id, staff_id=None)
    form = await forms.create_form(seminar.slug, FormCreate(template="seminar"))
    q = {question.label: str(question.id) for question in form.questions}
    for n, registration_id in enumerate(ids[:14]):
        answers: dict[str, Any] = {
            q["Overall, how useful was the event for your work?"]: 3 + n % 3,
            q["Was the level right?"]: ["About right", "Too introductory", "About right"][n % 3],
            q["Did you meet someone from another sector you will work with?"]: n % 4 != 0,
            q["How much did hearing from other sectors add to your understanding?"]: 2 + n % 4,
        }
        if n % 5 == 0:
            answers[q["What will you do together, or differently, because of this event?"]] = (
                "Plan a joint summer school with a local charity."
            )
        token = responses.link_path(form.id, registration_id).removeprefix("/feedback/")
        await responses.submit_linked(token, ResponseIn(answers=answers))
    # Move it into the past: the demo shows an event that has happened (its messages were already sent).
    three_weeks = timedelta(days=23)
    await Event.update(
        {Event.starts_at: Event.starts_at - three_weeks, Event.ends_at: Event.ends_at - three_weeks}
    ).where(Event.slug == seminar.slug)


async def event_row_for(slug: str) -> EventRow:
    from events_app.programme.events import event_row

    return await event_row(slug, include_drafts=True)


async def _conference(today: date, people_ids: dict[str, int]) -> None:
    venue = await venues.create_venue(
        s.VenueCreate(
            name="Kingsgate University Conference Centre",
            address="1 Kingsgate Square",
            city="London",
            postcode="WC1H 0AA",
            latitude=51.5246,
            longitude=-0.1340,
            accessibility="Step-free entrance on Kingsgate Square; hearing loops in the Main Hall; quiet room on the ground floor.",
            rooms=[
                s.RoomCreate(name="Main Hall", capacity=300),
                s.RoomCreate(name="Room A", capacity=80),
                s.RoomCreate(name="Room B", capacity=60),
                s.RoomCreate(name="Workshop Room 1", capacity=25),
                s.RoomCreate(name="Workshop Room 2", capacity=25),
            ],
        )
    )
    room = {r.name: r.id for r in venue.rooms}
    day = _next_weekday(today + timedelta(days=56), 2)
    conf = await events.create_event(
        s.EventCreate(
            title=f"National Conference {day.year}: Collaborating to Widen Access to STEM",
            slug=f"national-conference-{day.year}",
            kind="conference",
            status="published",
            summary="One day of keynotes, parallel sessions and workshops for everyone working to widen access to STEM in higher education.",
            description=(
                "The network's national conference brings universities, third-sector organisations, schools and colleges, "
                "funders and policymakers together.\n\nTwo tracks run in parallel: Partnerships in practice, and Pathways "
                "and progression. Two afternoon workshops have places of their own."
            ),
            starts_at=_at(day, 9),
            ends_at=_at(day, 16, 30),
            venue_id=venue.id,
            online_url="",
            capacity=120,
            registration_opens_at=None,
            registration_closes_at=_at(day - timedelta(days=3), 23, 59),
        )
    )
    partnerships = await events.add_track(conf.slug, s.TrackCreate(name="Partnerships in practice", position=1))
    pathways = await events.add_track(conf.slug, s.TrackCreate(name="Pathways and progression", position=2))

    def who(*names: str, role: s.SpeakerRole = "speaker") -> list[s.SessionSpeakerIn]:
        return [s.SessionSpeakerIn(speaker_id=people_ids[n], role=role) for n in names]

    timetable: list[
        tuple[
            str,
            s.SessionKind,
            tuple[int, int],
            tuple[int, int],
            str | None,
            int | None,
            list[s.SessionSpeakerIn],
            int | None,
        ]
    ] = [
        ("Registration and coffee", "break", (9, 0), (9, 30), None, None, [], None),
        (
            "Opening keynote: What collaboration adds",
            "keynote",
            (9, 30),
            (10, 15),
            "Main Hall",
            None,
            who("Professor Amara Okafor"),
            None,
        ),
        (
            "Universities and charities as equal partners",
            "talk",
            (10, 30),
            (11, 30),
            "Room A",
            partnerships.id,
            who("Priya Natarajan", "Dr Helen Marsh"),
            None,
        ),
        (
            "First in family: physics from school to degree",
            "talk",
            (10, 30),
            (11, 30),
            "Room B",
            pathways.id,
            who("Dr Tomos Griffiths", "Sophie Laurent"),
            None,
        ),
        (
            "Funding partnerships that last",
            "panel",
            (11, 30),
            (12, 30),
            "Room A",
            partnerships.id,
            who("Marcus Bell", "Kwame Mensah") + who("Dr Helen Marsh", role="chair"),
            None,
        ),
        (
            "Foundation years, apprenticeships and colleges",
            "talk",
            (11, 30),
            (12, 30),
            "Room B",
            pathways.id,
            who("Professor David Chen", "Nadia Hussain"),
            None,
        ),
        ("Lunch and networking", "networking", (12, 30), (13, 30), None, None, [], None),
        (
            "Workshop: Co-designing outreach with young people",
            "workshop",
            (13, 30),
            (15, 0),
            "Workshop Room 1",
            partnerships.id,
            who("Leah O'Connor", "Aisha Rahman", role="facilitator"),
            25,
        ),
        (
            "Workshop: Evaluating what works, together",
            "workshop",
            (13, 30),
            (15, 0),
            "Workshop Room 2",
            pathways.id,
            who("Dr Rhiannon Evans", "Dr Samuel Adeyemi", role="facilitator"),
            25,
        ),
        ("Tea", "break", (15, 0), (15, 15), None, None, [], None),
        (
            "Panel: Policy, evidence and the civic university",
            "panel",
            (15, 15),
            (16, 0),
            "Main Hall",
            None,
            who("Jo Whitfield", "Gareth Price", "Priya Natarajan", role="panellist")
            + who("Professor Amara Okafor", role="chair"),
            None,
        ),
        (
            "Closing keynote: From projects to a movement",
            "keynote",
            (16, 0),
            (16, 30),
            "Main Hall",
            None,
            who("Aisha Rahman"),
            None,
        ),
    ]
    for title, kind, start, end, room_name, track, sp, capacity in timetable:
        await sessions.create_session(
            conf.slug,
            s.SessionCreate(
                title=title,
                kind=kind,
                starts_at=_at(day, *start),
                ends_at=_at(day, *end),
                room_id=room[room_name] if room_name else None,
                track_id=track,
                speakers=sp,
                capacity=capacity,
            ),
        )


SEMINARS = [
    ("Mentoring that works across sectors", "Dr Helen Marsh"),
    ("Maths anxiety and family learning", "Kwame Mensah"),
    ("Coding summer schools for care-experienced young people", "Dr Samuel Adeyemi"),
    ("Rural outreach: distance is not destiny", "Gareth Price"),
    ("Measuring impact with community co-researchers", "Dr Rhiannon Evans"),
    ("Engineering challenges co-created with young people", "Leah O'Connor"),
]


async def _seminars(today: date, people_ids: dict[str, int]) -> None:
    run = await series.create_series(
        s.SeriesCreate(
            title="Widening Access Seminar Series",
            slug="seminar-series",
            description="Monthly lunchtime seminars, online and in person, on what works in widening access to STEM.",
        )
    )
    venue = await venues.create_venue(
        s.VenueCreate(
            name="Bright Sparks Science Trust Hub", address="22 Canal Street", city="London", postcode="N1 9AB"
        )
    )
    first = _next_weekday(today + timedelta(days=7), 1)
    for n, (title, presenter) in enumerate(SEMINARS):
        day = first + timedelta(weeks=4 * n)
        seminar = await events.create_event(
            s.EventCreate(
                title=f"Seminar: {title}",
                kind="seminar",
                status="published",
                summary=f"A one-hour seminar with {presenter}, followed by questions.",
                starts_at=_at(day, 13),
                ends_at=_at(day, 14),
                venue_id=venue.id if n % 2 == 0 else None,
                online_url="https://meet.example.org/seminar-series",
                series_id=run.id,
                capacity=60,
            )
        )
        await sessions.create_session(
            seminar.slug,
            s.SessionCreate(
                title=title,
                kind="talk",
                starts_at=_at(day, 13),
                ends_at=_at(day, 14),
                speakers=[s.SessionSpeakerIn(speaker_id=people_ids[presenter])],
            ),
        )


async def _forum(today: date) -> None:
    forum = await series.create_series(
        s.SeriesCreate(
            title="National Forum",
            slug="national-forum",
            description="Invitation-only meetings of funders, policymakers and sector leads to steer the network.",
        )
    )
    venue = await venues.create_venue(
        s.VenueCreate(
            name="Midshire University Council Chamber", address="University Road", city="Birmingham", postcode="B15 2TT"
        )
    )
    for n, weeks in enumerate((5, 21)):
        day = _next_weekday(today + timedelta(weeks=weeks), 3)
        await events.create_event(
            s.EventCreate(
                title=f"National Forum meeting {n + 1}",
                kind="forum_meeting",
                status="published",
                summary="The forum reviews the network's evidence and agrees priorities for the coming term.",
                starts_at=_at(day, 10, 30),
                ends_at=_at(day, 15, 30),
                venue_id=venue.id,
                series_id=forum.id,
                capacity=30,
                requires_approval=True,
            )
        )


async def _communities(today: date, regions: dict[str, int], people_ids: dict[str, int]) -> None:
    places = {
        "north-east-and-yorkshire": ("University of Northbridge, Hub Building", "Newcastle upon Tyne", "NE1 7RU"),
        "north-west": ("Riverside University Library", "Manchester", "M15 6BH"),
        "midlands": ("Eastfield Sixth Form College", "Nottingham", "NG7 2RD"),
        "south-west-and-wales": ("Harbourside University, Bay Campus", "Swansea", "SA1 8EN"),
        "london-and-south-east": ("Parkside Academy", "London", "E15 1DA"),
    }
    for n, (slug, name) in enumerate(REGIONS):
        community = await series.create_series(
            s.SeriesCreate(
                title=f"{name} Community of Practice",
                slug=f"{slug}-community",
                description=f"Practitioners in {name} sharing what works, with a meeting each term.",
                region_id=regions[slug],
            )
        )
        venue_name, city, postcode = places[slug]
        venue = await venues.create_venue(s.VenueCreate(name=venue_name, city=city, postcode=postcode))
        day = _next_weekday(today + timedelta(days=10 + 9 * n), 4)
        await events.create_event(
            s.EventCreate(
                title=f"{name} Community of Practice: autumn meeting",
                kind="community_meeting",
                status="published",
                summary="Short talks from members, then round tables on shared challenges.",
                starts_at=_at(day, 14),
                ends_at=_at(day, 16, 30),
                venue_id=venue.id,
                series_id=community.id,
                capacity=40,
            )
        )
