"""The copy and repeat forms of the organisers' pages: what they post, read into the season's schemas, with every
wrong field named in the words of the form's labels (and tied to the box it is about)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date

import msgspec

from events_app.core.errors import DomainError
from events_app.core.validation import FieldError, InvalidFields, check, errors_of
from events_app.organiser.forms import optional
from events_app.season.schemas import WEEKDAYS, WEEKS, CopyRequest, RunRequest

COPY_LABELS = {"date": "First day", "title": "Title", "slug": "Web address"}
RUN_LABELS = {
    "pattern": "How the copies repeat",
    "count": "How many copies",
    "every": "Every how many weeks",
    "first": "First copy on",
    "week": "Which week of the month",
    "weekday": "Day of the week",
    "month_first": "From the month of",
    "monthly_count": "How many months",
    "dates": "Dates",
    "date": "Day of the meetings",
    "regions": "Regions",
}
PATTERN_LABELS = {
    "weekly": "Weekly, or every few weeks",
    "monthly": "Monthly, on a day such as the second Tuesday",
    "dates": "On dates I list",
    "regions": "One meeting per region (a community-of-practice round)",
}
WEEK_LABELS = {w: w.capitalize() for w in WEEKS}
WEEKDAY_LABELS = {d: d.capitalize() for d in WEEKDAYS}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_copy_form(form: Mapping[str, str]) -> CopyRequest:
    values = {"date": form.get("date", ""), "title": optional(form.get("title")), "slug": optional(form.get("slug"))}
    if not values["date"]:
        raise InvalidFields([FieldError("date", f"{COPY_LABELS['date']}: please give a date, like 2027-07-06")])
    return check(values, CopyRequest, COPY_LABELS, strict=False)


def _dates(text: str) -> tuple[list[str], list[FieldError]]:
    words = [w for w in re.split(r"[\s,;]+", text) if w]
    wrong = [w for w in words if not _DATE.match(w) or not _is_date(w)]
    errors = [FieldError("dates", f"Dates: '{w}' is not a date like 2027-01-12") for w in wrong[:1]]
    return words, errors


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def run_values(form: Mapping[str, str], ticked: list[str]) -> tuple[dict[str, object], list[FieldError]]:
    """The fields of the chosen pattern (the others are left out, so a box of another pattern cannot refuse it)."""
    pattern = form.get("pattern", "")
    values: dict[str, object] = {"pattern": pattern}
    errors: list[FieldError] = []
    if pattern == "weekly":
        values["count"] = form.get("count") or None
        values["every"] = form.get("every") or None
        values["first"] = optional(form.get("first"))
    elif pattern == "monthly":
        values["count"] = form.get("monthly_count") or None
        values["week"] = optional(form.get("week"))
        values["weekday"] = optional(form.get("weekday"))
        values["first"] = optional(form.get("month_first"))
    elif pattern == "dates":
        values["dates"], errors = _dates(form.get("dates", ""))
    elif pattern == "regions":
        values["date"] = optional(form.get("date"))
        values["regions"] = [{"region": slug, "venue_id": optional(form.get(f"venue-{slug}"))} for slug in ticked]
    return {k: v for k, v in values.items() if v is not None}, errors


def read_run_form(form: Mapping[str, str], ticked: list[str]) -> RunRequest:
    values, errors = run_values(form, ticked)
    if errors:
        raise InvalidFields(errors)
    labels = {**RUN_LABELS, **({"count": RUN_LABELS["monthly_count"]} if form.get("pattern") == "monthly" else {})}
    return check(values, RunRequest, labels, strict=False)


def _on_the_form(error: FieldError, ticked: list[str]) -> FieldError:
    """A field of the schema as the box the page shows: `regions.2.venue_id` is the third ticked region's venue;
    the monthly pattern's `first` is its own box."""
    match = re.match(r"^regions\.(\d+)\.(\w+)", error.field)
    if match and int(match.group(1)) < len(ticked):
        slug = ticked[int(match.group(1))]
        box = f"venue-{slug}" if match.group(2) == "venue_id" else f"region-{slug}"
        return FieldError(box, error.message)
    return error


def run_errors(exc: DomainError, form: Mapping[str, str], ticked: list[str]) -> list[FieldError]:
    """Every wrong field of a refused run, each tied to the box the page shows it by."""
    errors = [_on_the_form(e, ticked) for e in errors_of(exc)]
    if form.get("pattern") == "monthly":
        boxes = {"first": "month_first", "count": "monthly_count"}
        errors = [FieldError(boxes.get(e.field, e.field), e.message) for e in errors]
    return errors


def digest(request: RunRequest) -> str:
    """What a preview showed, in a word: making the run asks for the same choices, else it shows them again."""
    shown = msgspec.structs.replace(request, preview=True)
    return hashlib.sha256(msgspec.json.encode(shown)).hexdigest()[:20]
