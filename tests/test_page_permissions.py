"""Who may do what through the pages: nobody reaches another person's contacts, notes or
follow-ups (always 404, so ids leak nothing), and anonymous visitors are sent to log in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, login
from webapp.extensions import db
from webapp.models import Contact, FollowUp, Interaction

# (method, url, form data); {contact}, {note}, {follow_up} are Ada's, {bobs_contact} is Bob's.
ADAS_THINGS = [
    ("GET", "/contacts/{contact}", {}),
    ("GET", "/contacts/{contact}/contact.vcf", {}),
    ("GET", "/contacts/{contact}/remove", {}),
    ("POST", "/contacts/{contact}/remove", {}),
    ("POST", "/contacts/{contact}/notes", {"body": "planted", "kind": "note"}),
    ("GET", "/contacts/{contact}/notes/{note}/edit", {}),
    ("POST", "/contacts/{contact}/notes/{note}/edit", {"body": "hacked"}),
    ("POST", "/contacts/{contact}/notes/{note}/delete", {}),
    # Ada's note id through Bob's own contact id.
    ("GET", "/contacts/{bobs_contact}/notes/{note}/edit", {}),
    ("POST", "/contacts/{bobs_contact}/notes/{note}/edit", {"body": "hacked"}),
    ("POST", "/contacts/{bobs_contact}/notes/{note}/delete", {}),
    ("POST", "/follow-ups/{follow_up}/done", {}),
    ("POST", "/follow-ups/{follow_up}/reopen", {}),
    ("POST", "/follow-ups/{follow_up}/snooze", {"choice": "tomorrow"}),
    ("POST", "/follow-ups/{follow_up}/snooze", {"choice": "date", "until": "2099-01-01"}),
]

MEMBER_PAGES = [
    ("GET", "/profile", {}),
    ("POST", "/profile", {"name": "Mallory"}),
    ("GET", "/badge", {}),
    ("POST", "/badge/rotate", {}),
    ("GET", "/contacts", {}),
    ("GET", "/contacts/new", {}),
    ("POST", "/contacts/new", {"name": "Mallory"}),
    ("GET", "/contacts/export.vcf", {}),
    ("GET", "/contacts/export.csv", {}),
    ("GET", "/follow-ups", {}),
]


@pytest.fixture
def world(app, factories):
    """Ada and Bob are connected; Ada keeps a private note and follow-up about Bob."""
    ada = factories.user(name="Ada Lovelace")
    bob = factories.user(name="Bob Byte")
    carol = factories.user(name="Carol Crane")
    contact = factories.connect(ada, bob)
    factories.connect(ada, carol)
    note = factories.note(
        ada, contact, "ADA-PRIVATE", follow_up="ADA-TODO", due_on=date.today() + timedelta(days=3)
    )
    with app.app_context():
        follow_up = db.session.scalar(sa.select(FollowUp.id))
    ids = {
        "contact": contact,
        "note": note,
        "follow_up": follow_up,
        "bobs_contact": factories.contact_id(bob, ada),
    }
    return {"ada": ada, "bob": bob, "carol": carol, "ids": ids}


def snapshot(app, ada_id: int) -> dict:
    """Everything of Ada's that an attack could change."""
    with app.app_context():
        return {
            "contacts": db.session.scalars(
                sa.select(Contact.id).where(Contact.owner_id == ada_id).order_by(Contact.id)
            ).all(),
            "notes": db.session.execute(
                sa.select(Interaction.id, Interaction.body, Interaction.kind)
                .where(Interaction.owner_id == ada_id)
                .order_by(Interaction.id)
            ).all(),
            "follow_ups": db.session.execute(
                sa.select(FollowUp.id, FollowUp.what, FollowUp.due_on, FollowUp.done_at)
                .where(FollowUp.owner_id == ada_id)
                .order_by(FollowUp.id)
            ).all(),
        }


def send(client, method: str, url: str, data: dict):
    """Make the request a browser would, with a valid CSRF token on POSTs."""
    if method == "GET":
        return client.get(url)
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


@pytest.mark.parametrize(("method", "url", "data"), ADAS_THINGS)
def test_another_user_gets_404_and_changes_nothing(app, client, world, method, url, data):
    before = snapshot(app, world["ada"].id)
    login(client, world["bob"])
    response = send(client, method, url.format(**world["ids"]), data)
    assert response.status_code == 404
    assert "ADA-PRIVATE" not in response.get_data(as_text=True)
    assert snapshot(app, world["ada"].id) == before


@pytest.mark.parametrize(("method", "url", "data"), ADAS_THINGS + MEMBER_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(app, client, world, method, url, data):
    before = snapshot(app, world["ada"].id)
    response = send(client, method, url.format(**world["ids"]), data)
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert snapshot(app, world["ada"].id) == before


@pytest.mark.parametrize(
    "url", ["/contacts", "/contacts?q=carol", "/contacts/export.csv", "/contacts/export.vcf"]
)
def test_lists_and_exports_hold_only_your_own_contacts(client, world, url):
    login(client, world["bob"])
    body = client.get(url).get_data(as_text=True)
    assert "Ada Lovelace" in body or "carol" in url
    assert "Carol Crane" not in body  # Ada's contact, not Bob's
    assert "ADA-PRIVATE" not in body and "ADA-TODO" not in body


def test_follow_ups_page_holds_only_your_own(client, world):
    login(client, world["bob"])
    body = client.get("/follow-ups").get_data(as_text=True)
    assert "ADA-TODO" not in body and "Nothing to follow up" in body
