"""The hub's themes: one fixed vocabulary for widening access to university STEM, so a filter by theme finds
every resource about it (free tags would split "mentoring" from "mentor schemes"). Slugs are kept in the
resources; labels are what people read. Add a theme here (never rename a slug: resources keep it)."""

from __future__ import annotations

THEMES: dict[str, str] = {
    "mentoring": "Mentoring",
    "schools-outreach": "Outreach in schools",
    "summer-schools": "Summer schools and residentials",
    "family-learning": "Family learning",
    "teacher-cpd": "Teachers' professional development",
    "student-ambassadors": "Student ambassadors",
    "charity-partnerships": "Partnerships with charities",
    "community-engagement": "Community engagement",
    "evaluation": "Evaluation and evidence",
    "admissions-transition": "Admissions and transition to university",
    "care-experienced": "Care-experienced and estranged students",
    "disabled-students": "Disabled students",
    "girls-in-stem": "Girls and women in STEM",
    "online-learning": "Online and blended learning",
    "careers": "Careers and employers",
}

KINDS: dict[str, str] = {"resource": "Resource", "case_study": "Case study"}


def theme_label(slug: str) -> str:
    """A kept theme's words; a slug no longer listed is shown as it is rather than failing a page."""
    return THEMES.get(slug, slug)
