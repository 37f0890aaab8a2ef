"""The demo's programme: the national conference, the seminar series, forum meetings and the regional
communities of practice, built through the same services organisers use."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from events_app.demo.data import REGIONS, SEMINARS
from events_app.programme import events, series, sessions, venues
from events_app.programme import schemas as s


def at(day: date, hh: int, mm: int = 0) -> datetime:
    """Wall-clock time in Europe/London (the services read naive times in the event's zone)."""
    return datetime.combine(day, time(hh, mm))


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


async def conference(today: date, people_ids: dict[str, int]) -> None:
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
    day = next_weekday(today + timedelta(days=56), 2)
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
            starts_at=at(day, 9),
            ends_at=at(day, 16, 30),
            venue_id=venue.id,
            online_url="",
            capacity=120,
            registration_opens_at=None,
            registration_closes_at=at(day - timedelta(days=3), 23, 59),
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
                starts_at=at(day, *start),
                ends_at=at(day, *end),
                room_id=room[room_name] if room_name else None,
                track_id=track,
                speakers=sp,
                capacity=capacity,
            ),
        )


async def seminars(today: date, people_ids: dict[str, int]) -> None:
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
    first = next_weekday(today + timedelta(days=7), 1)
    for n, (title, presenter) in enumerate(SEMINARS):
        day = first + timedelta(weeks=4 * n)
        seminar = await events.create_event(
            s.EventCreate(
                title=f"Seminar: {title}",
                kind="seminar",
                status="published",
                summary=f"A one-hour seminar with {presenter}, followed by questions.",
                starts_at=at(day, 13),
                ends_at=at(day, 14),
                venue_id=venue.id if n % 2 == 0 else None,
                # Every other seminar is online only, the rest hybrid: delegates join through their own link.
                attendance_mode="hybrid" if n % 2 == 0 else "online",
                online_url="https://meet.example.org/seminar-series",
                series_id=run.id,
                # Hybrid: 40 in the room and 20 online, so the first one fills its room and has a waiting list.
                capacity=40 if n % 2 == 0 else 60,
                online_capacity=20 if n % 2 == 0 else None,
            )
        )
        await sessions.create_session(
            seminar.slug,
            s.SessionCreate(
                title=title,
                kind="talk",
                starts_at=at(day, 13),
                ends_at=at(day, 14),
                speakers=[s.SessionSpeakerIn(speaker_id=people_ids[presenter])],
            ),
        )


async def forum(today: date) -> None:
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
        day = next_weekday(today + timedelta(weeks=weeks), 3)
        await events.create_event(
            s.EventCreate(
                title=f"National Forum meeting {n + 1}",
                kind="forum_meeting",
                status="published",
                summary="The forum reviews the network's evidence and agrees priorities for the coming term.",
                starts_at=at(day, 10, 30),
                ends_at=at(day, 15, 30),
                venue_id=venue.id,
                series_id=forum.id,
                capacity=30,
                requires_approval=True,
            )
        )


async def communities(today: date, regions: dict[str, int], people_ids: dict[str, int]) -> None:
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
        day = next_weekday(today + timedelta(days=10 + 9 * n), 4)
        await events.create_event(
            s.EventCreate(
                title=f"{name} Community of Practice: autumn meeting",
                kind="community_meeting",
                status="published",
                summary="Short talks from members, then round tables on shared challenges.",
                starts_at=at(day, 14),
                ends_at=at(day, 16, 30),
                venue_id=venue.id,
                series_id=community.id,
                capacity=40,
            )
        )
