"""The demo's people and places: regions, organisations, speakers, the seminar series' talks, and the
names its delegates are made from."""

from __future__ import annotations

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


SEMINARS = [
    ("Mentoring that works across sectors", "Dr Helen Marsh"),
    ("Maths anxiety and family learning", "Kwame Mensah"),
    ("Coding summer schools for care-experienced young people", "Dr Samuel Adeyemi"),
    ("Rural outreach: distance is not destiny", "Gareth Price"),
    ("Measuring impact with community co-researchers", "Dr Rhiannon Evans"),
    ("Engineering challenges co-created with young people", "Leah O'Connor"),
]
