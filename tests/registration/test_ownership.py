"""Only the owner of an address changes what is held about them (issue 17, part 2). Each harm the issue found, done
again: someone registering with another person's address, an erased address brought back, the answer telling
whether an address is known, and made-up addresses filling an event. Each must now fail to do harm."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxAttachment, OutboxMessage
from events_app.people.tables import Delegate
from events_app.registration import notify, schedule
from events_app.registration.register import CHECK_INBOX
from tests.builders import in_person
from tests.conftest import Accounts
from tests.registration.conftest import HEI, delegate, registrations
from tests.registration.test_pages import _csrf

POLICY = "policymaker"


class Inbox:
    """The outbox, read as each address's inbox."""

    def __init__(self, run: Callable[..., Any]) -> None:
        self.run = run

    def messages(self, email: str) -> list[dict[str, Any]]:
        """(kind, text, attachment names) of every message to this address, oldest first."""

        async def read() -> list[dict[str, Any]]:
            rows = await (
                OutboxMessage.select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.text_body)
                .where(OutboxMessage.to_email == email)
                .order_by(OutboxMessage.id)
            )
            found = []
            for row in rows:
                files = await OutboxAttachment.select(OutboxAttachment.filename).where(
                    OutboxAttachment.message == row["id"]
                )
                found.append({"kind": row["kind"], "text": row["text_body"], "files": {f["filename"] for f in files}})
            return found

        return self.run(read)  # type: ignore[no-any-return]

    def newest(self, email: str) -> dict[str, Any]:
        return self.messages(email)[-1]

    def link(self, email: str, kind: str) -> str:
        """The path of a link of this kind ("not-me", "confirm") in the newest message to this address."""
        found = re.search(rf"https?://[^/\s]+(/registrations/{kind}/[A-Za-z0-9_.\-]+)", self.newest(email)["text"])
        assert found, self.newest(email)["text"]
        return found.group(1)


def delegate_row(run: Callable[..., Any], email: str) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        row = await Delegate.select().where(Delegate.email == email).first()
        assert row is not None
        return dict(row)

    return run(read)  # type: ignore[no-any-return]


def by_group(counts: dict[str, Any]) -> dict[str, int]:
    return {g["stakeholder_group"]: g["counts"]["confirmed"] for g in counts["by_group"] if g["counts"]["confirmed"]}


async def test_an_impostor_changes_nothing_of_the_owner_and_the_owner_releases_the_place(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    hall = await in_person(client)  # tickets: places at a door
    earlier = await open_event(title="Seminar in October", capacity=10, **hall)
    seminar = await open_event(title="Seminar in November", capacity=1, **hall)
    inbox = Inbox(run)
    await accounts.sign_in("anonymous")
    sian = delegate("sian", name="Siân Llewelyn", organisation_name="Cardiff University", consent_to_contact=False)
    mine = await client.post(f"/api/events/{earlier['slug']}/registrations", json=sian)
    assert mine.status_code == 202
    before = delegate_row(run, "delegatesian@example.org")

    impostor = {
        **sian,
        "name": "Ivor Impostor",
        "organisation_name": "Ministry of Made-up Things",
        "stakeholder_group": POLICY,
        "consent_to_contact": True,
    }
    answer = await client.post(f"/api/events/{seminar['slug']}/registrations", json=impostor)
    assert (answer.status_code, answer.json()) == (202, {"message": CHECK_INBOX})  # no status, id or ticket
    form = await client.post(
        f"/events/{seminar['slug']}/register",
        data={**impostor, "_csrf_token": await _csrf(client, f"/events/{seminar['slug']}/register")},
    )
    assert "Check your inbox" in form.text and "/tickets/" not in form.text  # the HTML form hands out no ticket
    waiting = await client.post(f"/api/events/{seminar['slug']}/registrations", json=delegate("next"))
    assert waiting.status_code == 202

    # Nothing held about Siân changed: her record, her consent, and the earlier seminar's figures by group.
    assert delegate_row(run, "delegatesian@example.org") == before
    assert before["name"] == "Siân Llewelyn" and before["consent_to_contact"] is False
    await accounts.sign_in("organiser")
    counts = (await client.get(f"/api/events/{earlier['slug']}/registrations/counts")).json()
    assert by_group(counts) == {HEI: 1}
    # An organiser adding the same address by hand does not rewrite her record either.
    manual = await client.post(f"/api/events/{earlier['slug']}/registrations/manual", json=impostor)
    assert manual.status_code == 200  # already registered there
    assert delegate_row(run, "delegatesian@example.org") == before

    # The owner is told, by her own name, who registered with her address, with a way out.
    kinds = [m["kind"] for m in inbox.messages("delegatesian@example.org")]
    # Her own registration's; the impostor's; then a manage link for each second try (the form, the organiser).
    assert kinds == ["registration_confirmed", "registration_confirmed", "manage_link"]
    told = inbox.messages("delegatesian@example.org")[1]
    assert "Seminar in November" in told["text"]
    assert told["text"].startswith("Dear Siân Llewelyn,")
    assert "Ivor Impostor, Ministry of Made-up Things (Policymaker)" in told["text"]
    assert "Dear Ivor" not in "".join(m["text"] for m in inbox.messages("delegatesian@example.org"))
    found = re.search(r"https?://[^/\s]+(/registrations/not-me/[A-Za-z0-9_.\-]+)", told["text"])
    assert found
    not_me = found.group(1)
    token = not_me.rsplit("/", 1)[1]
    assert len(token) >= 27  # a signature of 160 bits, and more

    # A mail scanner following the link changes nothing; the button releases the place to the next person.
    await accounts.sign_in("anonymous")
    page = await client.get(not_me)
    assert page.status_code == 200 and "Release this place" in page.text and "Ivor Impostor" in page.text
    [held, queued] = registrations(run, seminar["id"])
    assert (held["status"], queued["status"]) == ("confirmed", "waitlisted")
    released = await client.post(not_me, data={"_csrf_token": client.cookies["csrftoken"]})
    assert released.status_code == 200 and "The place is released" in released.text
    [held, queued] = registrations(run, seminar["id"])
    assert (held["status"], queued["status"]) == ("cancelled", "confirmed")
    assert inbox.newest("delegatenext@example.org")["kind"] == "promoted"
    assert "ticket.png" in inbox.newest("delegatenext@example.org")["files"]
    again = await client.post(not_me, data={"_csrf_token": client.cookies["csrftoken"]})
    assert again.status_code == 200
    assert [r["status"] for r in registrations(run, seminar["id"])] == ["cancelled", "confirmed"]
    assert (await client.get("/registrations/not-me/forged")).status_code == 404

    await accounts.sign_in("organiser")
    history = (await client.get(f"/api/registrations/{held['id']}/history")).json()
    assert history[-1]["action"] == "cancelled"
    assert "this wasn't me" in history[-1]["detail"]
    # Her next email still greets her by her own name.
    await accounts.sign_in("anonymous")
    await client.post("/api/my/link", json={"email": "delegatesian@example.org"})
    assert inbox.newest("delegatesian@example.org")["text"].startswith("Dear Siân Llewelyn,")
    assert delegate_row(run, "delegatesian@example.org") == before


async def test_the_answer_is_the_same_whatever_is_known_of_the_address(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1, requires_approval=True)
    url = f"/api/events/{event['slug']}/registrations"
    for n in ("confirmed", "waitlisted", "pending", "declined"):
        assert (await client.post(url, json=delegate(n))).status_code == 201  # as the organiser: the full answer
    ids = {r["delegate"]: r["id"] for r in registrations(run, event["id"])}
    [confirmed, waitlisted, _, declined] = ids.values()
    for action, registration_id in (("approve", confirmed), ("approve", waitlisted), ("decline", declined)):
        done = await client.post(f"/api/registrations/{action}", json={"ids": [registration_id]})
        assert done.json()["changed"] == [registration_id]
    assert [r["status"] for r in registrations(run, event["id"])] == ["confirmed", "waitlisted", "pending", "declined"]

    await accounts.sign_in("anonymous")
    answers = set()
    pages = set()
    for n in ("new", "confirmed", "waitlisted", "pending", "declined"):
        response = await client.post(url, json=delegate(n))
        answers.add((response.status_code, response.headers["content-type"], response.content))
        form = {**delegate(n), "_csrf_token": await _csrf(client, f"/events/{event['slug']}/register")}
        page = await client.post(f"/events/{event['slug']}/register", data=form, follow_redirects=False)
        pages.add((page.status_code, page.headers["location"]))
    assert answers == {(202, "application/json", f'{{"message":"{CHECK_INBOX}"}}'.encode())}
    assert pages == {(303, f"/events/{event['slug']}/registered")}
    # Known addresses got their manage link (once an hour, however often asked); the new one its request.
    assert [m["kind"] for m in Inbox(run).messages("delegateconfirmed@example.org")][-1] == "manage_link"
    assert len(Inbox(run).messages("delegateconfirmed@example.org")) == 3  # approved, pending, one manage link
    assert [m["kind"] for m in Inbox(run).messages("delegatenew@example.org")] == ["pending_approval", "manage_link"]


async def test_made_up_addresses_cannot_keep_a_place_when_the_event_asks_for_confirmation(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=3, confirm_email_hours=24, **await in_person(client))
    url = f"/api/events/{event['slug']}/registrations"
    inbox = Inbox(run)
    await accounts.sign_in("anonymous")
    for n in ("bea", "made-up-1", "made-up-2"):
        assert (await client.post(url, json=delegate(n))).status_code == 202
    assert (await client.post(url, json=delegate("real"))).status_code == 202
    rows = registrations(run, event["id"])
    assert [r["status"] for r in rows] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert all(r["hold_expires_at"] is not None and r["email_confirmed_at"] is None for r in rows)

    # The first email asks the owner to confirm; no ticket before that, by email or on the manage page.
    ask = inbox.newest("delegatebea@example.org")
    assert (ask["kind"], ask["files"]) == ("confirm_place", set())
    assert "please confirm by" in ask["text"] and "Delegate bea, University of Testing" in ask["text"]
    bea = rows[0]
    manage = notify.manage_token(bea["delegate"], 1)
    ticket = await client.get(f"/my/{manage}/registrations/{bea['id']}/ticket.png")
    assert ticket.status_code == 404 and "confirm your place" in ticket.text
    mine = (await client.get(f"/my/{manage}")).text
    assert "This place is held until you confirm it" in mine and "ticket.svg" not in mine
    await accounts.sign_in("organiser")
    listed = (await client.get(f"/organiser/events/{event['slug']}/registrations")).text
    assert listed.count("awaiting email confirmation until") == 4
    await accounts.sign_in("anonymous")

    # Bea confirms (the page, then its button): she keeps her place and gets the ticket.
    confirm = inbox.link("delegatebea@example.org", "confirm")
    page = await client.get(confirm)
    assert "Confirm my place" in page.text
    assert registrations(run, event["id"])[0]["email_confirmed_at"] is None  # opening the link changes nothing
    confirmed = await client.post(confirm, data={"_csrf_token": client.cookies["csrftoken"]})
    assert confirmed.status_code == 200 and "Your place is confirmed" in confirmed.text
    booked = inbox.newest("delegatebea@example.org")
    assert (booked["kind"], "ticket.png" in booked["files"]) == ("registration_confirmed", True)
    assert (await client.get(f"/my/{manage}/registrations/{bea['id']}/ticket.png")).status_code == 200
    assert "ticket.svg" in (await client.get(f"/my/{manage}")).text
    # The real person, on the waiting list, confirms too.
    real = inbox.link("delegatereal@example.org", "confirm")
    await client.post(real, data={"_csrf_token": client.cookies["csrftoken"]})
    assert inbox.newest("delegatereal@example.org")["kind"] == "waitlisted"

    # Nobody confirms the made-up ones: the scheduler's job frees them, and the real person gets a place.
    settings = load_mail_settings()

    async def tick(hours: int) -> int:
        return await schedule.tick(settings, now=utc_now() + timedelta(hours=hours))

    run(tick, 23)
    assert [r["status"] for r in registrations(run, event["id"])] == ["confirmed"] * 3 + ["waitlisted"]
    made_up = inbox.link("delegatemade-up-1@example.org", "confirm")
    run(tick, 25)
    rows = registrations(run, event["id"])
    assert [r["status"] for r in rows] == ["confirmed", "cancelled", "cancelled", "confirmed"]
    promoted = inbox.newest("delegatereal@example.org")
    assert (promoted["kind"], "ticket.png" in promoted["files"]) == ("promoted", True)
    assert [m["kind"] for m in inbox.messages("delegatemade-up-2@example.org")] == ["confirm_place"]  # no more
    lapsed = await client.post(made_up, data={"_csrf_token": client.cookies["csrftoken"]})
    assert lapsed.status_code == 409 and "not confirmed in time" in lapsed.text
    await accounts.sign_in("organiser")
    history = (await client.get(f"/api/registrations/{rows[1]['id']}/history")).json()
    assert (history[-1]["action"], history[-1]["detail"], history[-1]["by"]) == (
        "cancelled",
        "not confirmed by email",
        "system",
    )


async def test_an_erased_record_cannot_be_brought_back(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10)
    other = await open_event(capacity=10, title="Another seminar")
    made = (await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(1))).json()
    delegate_id = made["registration"]["delegate_id"]
    assert (await client.post(f"/api/delegates/{delegate_id}/erase")).status_code == 204

    async def by_id() -> dict[str, Any]:
        row = await Delegate.select().where(Delegate.id == delegate_id).first()
        assert row is not None
        return dict(row)

    erased = run(by_id)
    stored = erased["email"]  # random since erasure: erased-<32 hex>@erased.invalid, not to be guessed
    assert stored.endswith("@erased.invalid") and stored != f"erased-{delegate_id}@erased.invalid"

    await accounts.sign_in("anonymous")
    for address in (
        stored,
        f"erased-{delegate_id}@erased.invalid",
        "someone@mail.localhost",
        f"ERASED-{delegate_id}@Erased.Invalid",
    ):
        revived = await client.post(
            f"/api/events/{other['slug']}/registrations",
            json=delegate("back", email=address, name="Someone Else", stakeholder_group=POLICY),
        )
        assert revived.status_code == 400, address
        [error] = revived.json()["errors"]
        assert error["field"] == "email"
        assert "enter a real email address" in error["message"]
    form = {
        **delegate("back", email=stored),
        "_csrf_token": await _csrf(client, f"/events/{other['slug']}/register"),
    }
    page = await client.post(f"/events/{other['slug']}/register", data=form)
    assert page.status_code == 400 and "Email address: enter a real email address" in page.text
    assert run(by_id) == erased
    assert registrations(run, other["id"]) == []
