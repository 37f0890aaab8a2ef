"""Every message renders from email_templates/ with a subject, a plain text part and an HTML part."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import jinja2
import pytest

from events_app.mail.render import EMAIL_TEMPLATES, MESSAGES, RenderedMail, render
from tests.mail.conftest import CONTEXT

EXPECTED_SUBJECTS = {
    "registration_confirmed": "You're booked: Widening Access Conference",
    "waitlisted": "You're on the waiting list: Widening Access Conference",
    "pending_approval": "Request received: Widening Access Conference",
    "confirm_place": "Confirm your place: Widening Access Conference",
    "approved": "Approved: Widening Access Conference",
    "declined": "Your request for Widening Access Conference",
    "promoted": "A place is yours: Widening Access Conference",
    "registration_cancelled": "Registration cancelled: Widening Access Conference",
    "event_changed": "Changed: Widening Access Conference",
    "event_cancelled": "Cancelled: Widening Access Conference",
    "session_changed": "Changed: Workshop: outreach that lasts at Widening Access Conference",
    "reminder": "Reminder: Widening Access Conference tomorrow",
    "feedback_request": "How was Widening Access Conference? Your feedback, in two minutes",
    "manage_link": "Your link to manage your registrations",
    "organiser_message": "Parking at the venue",
    "network_mailing": "Parking at the venue",
    "organiser_invite": "You are invited to organise events with the HE STEM Access Network",
    "password_reset": "Choose a new password for the HE STEM Access Network",
    "speaker_materials_link": "Add your slides and materials for Widening Access Conference",
    "call_received": "Confirm your submission: Mentoring that lasts",
    "call_accepted": "Accepted: Mentoring that lasts",
    "call_declined": "Your submission: Mentoring that lasts",
    "call_waiting": "Still under consideration: Mentoring that lasts",
}


def test_every_message_has_a_folder_with_three_files() -> None:
    folders = sorted(p.name for p in EMAIL_TEMPLATES.iterdir() if p.is_dir())
    assert folders == sorted(MESSAGES)
    for name in MESSAGES:
        assert {p.name for p in (EMAIL_TEMPLATES / name).iterdir()} == {"subject.txt", "body.txt", "body.html"}


@pytest.mark.parametrize("kind", MESSAGES)
def test_each_message_renders_both_parts(kind: str, rendered: Callable[..., RenderedMail]) -> None:
    mail = rendered(kind)
    assert mail.subject == EXPECTED_SUBJECTS[kind]
    assert "\n" not in mail.subject
    assert mail.text.startswith("Dear Siân Llewelyn,\n\n")
    assert "{{" not in mail.text and "{%" not in mail.text
    assert "\n\n\n" not in mail.text
    assert mail.text.rstrip().endswith("http://127.0.0.1:8000/")
    assert '<html lang="en-GB">' in mail.html
    assert "<title>" in mail.html and "<h1 " in mail.html
    assert "Dear Siân Llewelyn," in mail.html


def test_the_links_a_delegate_needs_are_in_both_parts(rendered: Callable[..., RenderedMail]) -> None:
    confirmed = rendered("registration_confirmed")
    for part in (confirmed.text, confirmed.html):
        assert CONTEXT["manage_url"] in part
        assert CONTEXT["event"].url in part
        assert "UK time (Europe/London, BST)" in part
        assert "Workshop: outreach that lasts" in part
    feedback = rendered("feedback_request")
    assert CONTEXT["feedback_url"] in feedback.text
    assert f'href="{CONTEXT["feedback_url"]}"' in feedback.html


def test_what_people_type_is_escaped_in_html_and_left_alone_in_text(rendered: Callable[..., RenderedMail]) -> None:
    mail = rendered("organiser_message", recipient_name="<script>alert(1)</script>", body="Tea & <b>cake</b>")
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert "Tea &amp; &lt;b&gt;cake&lt;/b&gt;" in mail.html
    assert "Dear <script>alert(1)</script>," in mail.text  # plain text is plain: nothing to escape


def test_optional_lines_appear_only_when_given(rendered: Callable[..., RenderedMail]) -> None:
    by_delegate = rendered("registration_cancelled")
    assert "Reason:" not in by_delegate.text
    assert "is cancelled, as you asked" in by_delegate.text
    by_organiser = rendered("registration_cancelled", by_organiser=True, reason="Duplicate booking")
    assert "The organisers have cancelled your registration" in by_organiser.text
    assert "Reason: Duplicate booking" in by_organiser.text
    online = rendered("reminder")  # a place taken online: the delegate's own join link, first thing
    join = CONTEXT["event"].join_url
    assert online.text.index(join) < online.text.index("Event:")
    assert f'href="{join}"' in online.html and "Join the meeting" in online.html
    assert "Bring your ticket" not in online.text
    in_person = rendered("reminder", event=dataclasses.replace(CONTEXT["event"], join_url="", online=False))
    assert "/join/" not in in_person.text and "/join/" not in in_person.html
    assert "Join" not in in_person.html and "Bring your ticket" in in_person.text


def test_the_owner_of_the_address_is_offered_a_way_out_and_a_held_place_the_way_to_keep_it(
    rendered: Callable[..., RenderedMail],
) -> None:
    plain = rendered("registration_confirmed")
    assert "this wasn't you" not in plain.text.lower() and "release the place" not in plain.html
    not_me = "http://127.0.0.1:8000/registrations/not-me/abc"
    confirm = "http://127.0.0.1:8000/registrations/confirm/abc"
    for kind in ("registration_confirmed", "waitlisted", "pending_approval", "confirm_place"):
        mail = rendered(kind, not_me_url=not_me, confirm_url=confirm, hold_until="Tuesday 9 June 2026 at 14:30")
        assert "Siân Llewelyn, Cardiff University (Higher education institution)" in mail.text
        assert not_me in mail.text and f'href="{not_me}"' in mail.html
    held = rendered("confirm_place", not_me_url=not_me, confirm_url=confirm, hold_until="Tuesday 9 June 2026 at 14:30")
    assert confirm in held.text and f'href="{confirm}"' in held.html
    assert "confirm by Tuesday 9 June 2026 at 14:30" in held.text
    for kind in ("promoted", "approved"):
        mail = rendered(kind, confirm_url=confirm, hold_until="Tuesday 9 June 2026 at 14:30")
        assert "Please confirm your place by Tuesday 9 June 2026 at 14:30" in mail.text
        assert f'href="{confirm}"' in mail.html


def test_a_missing_value_is_an_error_not_a_blank_in_a_sent_email() -> None:
    context = {k: v for k, v in CONTEXT.items() if k != "manage_url"}
    with pytest.raises(jinja2.UndefinedError):
        render("registration_confirmed", context)
    with pytest.raises(ValueError, match="No email template"):
        render("no_such_message", CONTEXT)


@pytest.mark.parametrize("kind", ["registration_confirmed", "reminder"])
def test_the_event_note_is_in_confirmations_and_reminders_escaped_in_html(
    kind: str, rendered: Callable[..., RenderedMail]
) -> None:
    note = "Step-free entrance on Tavistock Place.\n\nNo parking: <b>cycle racks</b> & Euston station."
    mail = rendered(kind, email_note=note)
    assert "From the organisers:\nStep-free entrance on Tavistock Place." in mail.text
    assert "No parking: <b>cycle racks</b> & Euston station." in mail.text  # plain text is plain
    assert "<p>Step-free entrance on Tavistock Place.</p>" in mail.html
    assert "<p>No parking: &lt;b&gt;cycle racks&lt;/b&gt; &amp; Euston station.</p>" in mail.html
    without = rendered(kind)
    assert "From the organisers" not in without.text and "From the organisers" not in without.html
