"""The contacts list, hand-added contacts, a contact's page, its notes and its removal."""

from __future__ import annotations

import html
from datetime import date, timedelta

import sqlalchemy as sa

from tests.conftest import csrf_token, login
from webapp.extensions import db
from webapp.models import Contact, FollowUp, Interaction, Space


def page_text(response) -> str:
    """The response body as the text a person reads (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def post(client, url, **data):
    """Submit a form the way a browser does, with the session's CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def add_space(app, event_id: int, name: str) -> int:
    """A space inside an event; returns its id."""
    with app.app_context():
        space = Space(event_id=event_id, name=name)
        db.session.add(space)
        db.session.commit()
        return space.id


# --- the list ------------------------------------------------------------------------------


def test_an_empty_list_explains_how_to_meet_people(client, factories):
    login(client, factories.user())
    body = page_text(client.get("/contacts"))
    assert "No contacts yet" in body
    assert "show them your badge or scan theirs" in body
    assert 'href="/badge"' in body and 'href="/contacts/new"' in body


def test_the_list_shows_connections_and_hand_added_contacts(app, client, factories):
    ada = factories.user(name="Ada Lovelace")
    bob = factories.user(name="Bob Byte", headline="Looms", company="Jacquard")
    event_id = factories.event(ada, name="PyCon Lisbon")
    space_id = add_space(app, event_id, "Hallway track")
    bob_contact = factories.connect(ada, bob, event_id=event_id, space_id=space_id)
    factories.note(ada, bob_contact, "first", follow_up="send paper")
    factories.note(ada, bob_contact, "second", follow_up="intro to Sam")
    factories.manual_contact(ada, "Carol Crane", company="Crane & Co")
    login(client, ada)
    body = page_text(client.get("/contacts"))
    assert "Bob Byte" in body and "Looms · Jacquard" in body
    assert f"Met {date.today().day} " in body
    assert "at PyCon Lisbon / Hallway track" in body
    assert "2 to do" in body
    assert "Carol Crane" in body and "Added by hand" in body
    assert "2 contacts" in body


def test_the_other_side_sees_the_connection_too(client, factories):
    ada, bob = factories.user(name="Ada Lovelace"), factories.user(name="Bob Byte")
    factories.connect(ada, bob)
    login(client, bob)
    assert "Ada Lovelace" in page_text(client.get("/contacts"))


def test_search_finds_names_companies_and_note_text(client, factories):
    ada = factories.user()
    bob = factories.user(name="Bob Byte", company="Jacquard")
    eve = factories.user(name="Eve Evans")
    factories.connect(ada, bob)
    eve_contact = factories.connect(ada, eve)
    factories.note(ada, eve_contact, "Wants help with offline sync")
    factories.manual_contact(ada, "Carol Crane", company="Crane Works")
    login(client, ada)

    def names(query: str) -> set[str]:
        body = page_text(client.get("/contacts", query_string={"q": query}))
        return {name for name in ("Bob Byte", "Eve Evans", "Carol Crane") if name in body}

    assert names("bob") == {"Bob Byte"}
    assert names("jacq") == {"Bob Byte"}
    assert names("crane works") == {"Carol Crane"}
    assert names("OFFLINE") == {"Eve Evans"}
    assert names("50%_") == set()
    assert "No contacts match" in page_text(client.get("/contacts?q=zzz"))


def test_search_never_finds_a_company_the_person_hides(client, factories):
    ada = factories.user()
    bob = factories.user(name="Bob Byte", company="Hidden Corp", share_company=False)
    factories.connect(ada, bob)
    login(client, ada)
    body = page_text(client.get("/contacts?q=hidden"))
    assert "Bob Byte" not in body and "Hidden Corp" not in body


def test_sorting_by_name_and_by_recently_met(client, factories):
    ada = factories.user()
    for name in ["Zoe Zed", "Adam Ant", "Mia Moss"]:  # met in this order
        factories.connect(ada, factories.user(name=name))
    login(client, ada)
    by_name = page_text(client.get("/contacts?sort=name"))
    assert by_name.index("Adam Ant") < by_name.index("Mia Moss") < by_name.index("Zoe Zed")
    recent = page_text(client.get("/contacts"))
    assert recent.index("Mia Moss") < recent.index("Adam Ant") < recent.index("Zoe Zed")
    assert client.get("/contacts?sort=bogus").status_code == 200


def test_the_list_is_paginated_and_keeps_the_search(client, factories):
    ada = factories.user()
    for n in range(25):
        factories.manual_contact(ada, f"Guest {n:02d}", company="Acme")
    login(client, ada)
    first = page_text(client.get("/contacts?q=acme&sort=name"))
    assert "Guest 00" in first and "Guest 19" in first and "Guest 20" not in first
    assert "Page 1 of 2" in first
    assert 'href="/contacts?q=acme&sort=name&page=2"' in first
    second = page_text(client.get("/contacts?q=acme&sort=name&page=2"))
    assert "Guest 20" in second and "Guest 24" in second and "Guest 19" not in second
    for junk in ["0", "-3", "abc", "99999999999999999999", "1000000"]:
        response = client.get(f"/contacts?page={junk}")
        assert response.status_code == 200, junk


# --- hand-added contacts ----------------------------------------------------------------------


def test_adding_a_contact_by_hand(app, client, factories):
    ada = factories.user()
    login(client, ada)
    assert client.get("/contacts/new").status_code == 200
    response = post(
        client, "/contacts/new", name="Carol Crane", email="carol@example.org", company="Crane"
    )
    assert response.status_code == 302
    page = page_text(client.get(response.location))
    assert "Carol Crane is in your contacts." in page
    assert "carol@example.org" in page and "You added Carol Crane by hand." in page


def test_adding_a_contact_by_hand_explains_bad_input(app, client, factories):
    login(client, factories.user())
    cases = [
        ({"name": ""}, "This field is required."),
        ({"name": "Carol", "email": "not-an-email"}, "Enter a valid email address."),
        ({"name": "x" * 121}, "Field cannot be longer than 120 characters."),
    ]
    for data, message in cases:
        response = post(client, "/contacts/new", **data)
        assert response.status_code == 422
        assert message in page_text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 0


# --- the contact page -------------------------------------------------------------------------


def test_the_contact_page_shows_the_card_and_how_you_met(app, client, factories):
    ada = factories.user(name="Ada Lovelace")
    bob = factories.user(
        name="Bob Byte",
        bio="Weaves",
        ask_me_about="looms, punch cards",
        email="bob@example.org",
        share_email=False,
    )
    contact = factories.connect(bob, ada)  # Bob scanned Ada
    ada_contact = factories.contact_id(ada, bob)
    login(client, ada)
    body = page_text(client.get(f"/contacts/{ada_contact}"))
    assert "Bob Byte scanned your badge" in body
    assert "Weaves" in body and "punch cards" in body
    assert "bob@example.org" not in body
    assert client.get(f"/contacts/{contact}").status_code == 404  # Bob's own contact id


def test_an_unknown_contact_is_404(client, factories):
    login(client, factories.user())
    assert client.get("/contacts/999999").status_code == 404
    assert client.get("/contacts/not-a-number").status_code == 404


def test_adding_a_note_with_a_follow_up(app, client, factories):
    ada, bob = factories.user(), factories.user(name="Bob Byte")
    contact = factories.connect(ada, bob)
    login(client, ada)
    due = date.today() + timedelta(days=2)
    response = post(
        client,
        f"/contacts/{contact}/notes",
        body="Lunch next month?",
        kind="meeting",
        follow_up_what="Book a table",
        follow_up_due_on=due.isoformat(),
    )
    assert response.status_code == 302
    page = page_text(client.get(f"/contacts/{contact}"))
    assert "Note saved." in page and "Lunch next month?" in page
    assert "Meeting" in page and "Book a table" in page
    with app.app_context():
        follow_up = db.session.scalar(sa.select(FollowUp))
        assert (follow_up.what, follow_up.due_on, follow_up.owner_id) == (
            "Book a table",
            due,
            ada.id,
        )


def test_a_follow_up_without_a_note_is_fine(app, client, factories):
    ada, bob = factories.user(), factories.user()
    contact = factories.connect(ada, bob)
    login(client, ada)
    response = post(
        client,
        f"/contacts/{contact}/notes",
        body="",
        kind="note",
        follow_up_what="Send slides",
        follow_up_due_on=date.today().isoformat(),
    )
    assert response.status_code == 302
    assert "Follow-up saved." in page_text(client.get(f"/contacts/{contact}"))


def test_bad_notes_are_refused_with_a_clear_message(app, client, factories):
    ada, bob = factories.user(), factories.user()
    contact = factories.connect(ada, bob)
    login(client, ada)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    cases = [
        ({"body": ""}, "Write a note, or add a follow-up below."),
        ({"body": "x" * 5001}, "Keep a note under 5000 characters."),
        ({"body": "hi", "kind": "met"}, "Not a valid choice"),
        ({"body": "hi", "follow_up_what": "Call"}, "Give the follow-up a due date."),
        (
            {"body": "hi", "follow_up_due_on": date.today().isoformat()},
            "Say what to do by that date.",
        ),
        (
            {"body": "hi", "follow_up_what": "Call", "follow_up_due_on": yesterday},
            "Pick today or a later date.",
        ),
        (
            {"body": "hi", "follow_up_what": "Call", "follow_up_due_on": "2026-13-45"},
            "Not a valid date value.",
        ),
        (
            {
                "body": "hi",
                "follow_up_what": "x" * 201,
                "follow_up_due_on": date.today().isoformat(),
            },
            "Keep the follow-up under 200 characters.",
        ),
    ]
    for data, message in cases:
        response = post(client, f"/contacts/{contact}/notes", **{"kind": "note", **data})
        assert response.status_code == 422, data
        assert message in page_text(response), data
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Interaction.id)).where(Interaction.kind == "note")
            )
            == 0
        )
        assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0


def test_editing_and_deleting_your_notes(app, client, factories):
    ada, bob = factories.user(), factories.user()
    contact = factories.connect(ada, bob)
    note = factories.note(ada, contact, "Talked about looms", follow_up="Send the paper")
    login(client, ada)
    edit_url = f"/contacts/{contact}/notes/{note}/edit"
    assert "Talked about looms" in page_text(client.get(edit_url))
    response = post(client, edit_url, body="Talked about punch cards")
    assert response.status_code == 302
    page = page_text(client.get(f"/contacts/{contact}"))
    assert "Note updated." in page and "Talked about punch cards" in page

    response = post(client, edit_url, body="   ")
    assert response.status_code == 422
    assert "A note can't be empty. Delete it instead." in page_text(response)

    response = post(client, f"/contacts/{contact}/notes/{note}/delete")
    assert response.status_code == 302
    page = page_text(client.get(f"/contacts/{contact}"))
    assert "Note deleted." in page and "punch cards" not in page
    assert "Send the paper" in page  # the follow-up written with it stays
    assert client.get(edit_url).status_code == 404


def test_scan_records_on_the_timeline_cannot_be_edited(app, client, factories):
    ada, bob = factories.user(), factories.user()
    contact = factories.connect(ada, bob)
    with app.app_context():
        met = db.session.scalar(sa.select(Interaction.id).where(Interaction.owner_id == ada.id))
    login(client, ada)
    assert client.get(f"/contacts/{contact}/notes/{met}/edit").status_code == 404
    assert post(client, f"/contacts/{contact}/notes/{met}/delete").status_code == 404


def test_marking_a_follow_up_done_from_the_contact_page(app, client, factories):
    ada, bob = factories.user(), factories.user()
    contact = factories.connect(ada, bob)
    factories.note(ada, contact, "hi", follow_up="Send the paper")
    with app.app_context():
        follow_up = db.session.scalar(sa.select(FollowUp.id))
    login(client, ada)
    assert "To do" in page_text(client.get(f"/contacts/{contact}"))
    response = post(client, f"/follow-ups/{follow_up}/done", next=f"/contacts/{contact}")
    assert response.status_code == 302 and response.location == f"/contacts/{contact}"
    page = page_text(client.get(f"/contacts/{contact}"))
    assert "Done: Send the paper" in page
    assert "1 done follow-up" in page and "To do" not in page


def test_removing_a_contact_asks_first_and_the_other_side_keeps_theirs(
    app, client, other_client, factories
):
    ada, bob = factories.user(name="Ada Lovelace"), factories.user(name="Bob Byte")
    contact = factories.connect(ada, bob)
    factories.note(ada, contact, "private", follow_up="Send the paper")
    login(client, ada)
    confirm = page_text(client.get(f"/contacts/{contact}/remove"))
    assert "Remove Bob Byte?" in confirm and "keeps you in their own contacts" in confirm
    response = post(client, f"/contacts/{contact}/remove")
    assert response.status_code == 302 and response.location == "/contacts"
    listing = page_text(client.get("/contacts"))
    assert "Bob Byte was removed from your contacts" in listing
    assert client.get(f"/contacts/{contact}").status_code == 404
    follow_ups = client.get("/follow-ups")
    assert follow_ups.status_code == 200 and "Send the paper" not in page_text(follow_ups)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Interaction.id)).where(Interaction.owner_id == ada.id)
            )
            == 0
        )

    login(other_client, bob)
    assert "Ada Lovelace" in page_text(other_client.get("/contacts"))


def test_notes_are_private_to_their_author_everywhere(app, client, other_client, factories):
    ada, bob = factories.user(name="Ada Lovelace"), factories.user(name="Bob Byte")
    ada_contact = factories.connect(ada, bob, note="ADA-SECRET-SCAN-NOTE")
    factories.note(ada, ada_contact, "ADA-SECRET-NOTE", follow_up="ADA-SECRET-FOLLOW-UP")
    bob_contact = factories.contact_id(bob, ada)
    login(other_client, bob)
    pages = [
        "/contacts",
        f"/contacts/{bob_contact}",
        "/follow-ups",
        "/contacts/export.csv",
        "/contacts/export.vcf",
        f"/contacts/{bob_contact}/contact.vcf",
        f"/c/{ada.badge_token}",
    ]
    for url in pages:
        response = other_client.get(url)
        assert response.status_code == 200, url
        assert "ADA-SECRET" not in response.get_data(as_text=True), url
    assert "Ada Lovelace" not in page_text(other_client.get("/contacts?q=ADA-SECRET"))
    # ...while Ada sees all of it.
    login(client, ada)
    assert "ADA-SECRET-NOTE" in page_text(client.get(f"/contacts/{ada_contact}"))
    assert "Bob Byte" in page_text(client.get("/contacts?q=ada-secret-note"))
