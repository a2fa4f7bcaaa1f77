"""Events: creating and editing, roles, joining, the directory, spaces and meeting context."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from tests.conftest import csrf_from_html, csrf_token, login
from webapp.extensions import db
from webapp.models import Connection, Event, Membership, SpaceCheckIn, User
from webapp.services.events import SPACE_CHECKIN_DURATION, meeting_context


def post_form(client, url, data=None, page=None):
    """POST a form with a CSRF token, as the browser would."""
    data = dict(data or {})
    data["csrf_token"] = (
        csrf_from_html(client.get(page).get_data(as_text=True)) if page else (csrf_token(client))
    )
    return client.post(url, data=data)


def test_creating_an_event_makes_the_creator_its_owner(client, factories, app):
    ada = factories.user(name="Ada")
    login(client, ada)
    response = post_form(
        client,
        "/events/new",
        {
            "name": "PyCon Lisboa 2026",
            "slug": "",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-06",
            "timezone": "Europe/Lisbon",
            "venue": "Centro de Congressos",
            "description": "Talks and hallway tracks.",
        },
    )
    assert response.status_code == 302
    assert response.location == "/events/pycon-lisboa-2026"
    page = client.get("/events/pycon-lisboa-2026").get_data(as_text=True)
    assert "PyCon Lisboa 2026" in page and "Europe/Lisbon" in page
    assert "Print join poster" in page
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        membership = db.session.scalar(sa.select(Membership))
        assert (membership.user_id, membership.role) == (ada.id, "owner")
        assert event.starts_on == date(2026, 5, 4)
    assert "PyCon Lisboa 2026" in client.get("/events").get_data(as_text=True)


def test_event_form_explains_bad_dates_and_taken_slugs(client, factories):
    ada = factories.user()
    factories.event(ada, slug="taken")
    login(client, ada)
    response = post_form(
        client,
        "/events/new",
        {
            "name": "X",
            "slug": "taken",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-01",
            "timezone": "UTC",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another event uses this address" in page
    assert "The last day must be on or after the first day." in page


def test_organizer_edits_and_owner_deletes(client, factories, app):
    owner = factories.user()
    event_id = factories.event(owner, name="Old name", slug="old")
    login(client, owner)
    response = post_form(
        client,
        "/events/old/edit",
        {
            "name": "New name",
            "slug": "new",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-04",
            "timezone": "UTC",
            "venue": "Hall",
        },
    )
    assert response.status_code == 302 and response.location == "/events/new"
    assert post_form(client, "/events/new/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Event, event_id) is None


def test_deleting_an_event_keeps_connections_and_leaves_no_orphans(
    client, other_client, factories, app
):
    owner = factories.user()
    event_id = factories.event(owner, slug="gone")
    space_id, token = factories.space(event_id)
    ada, bob = factories.user(), factories.user()
    factories.member(event_id, bob)
    login(client, ada)
    post_form(client, f"/s/{token}")  # Ada checks in to the space, joining the event
    factories.connect(ada, bob)
    with app.app_context():
        assert db.session.scalar(sa.select(Connection.space_id)) == space_id
    login(other_client, owner)
    assert post_form(other_client, "/events/gone/delete").status_code == 302
    with app.app_context():
        connection = db.session.scalar(sa.select(Connection))
        assert (connection.event_id, connection.space_id) == (None, None)
        for model in (Membership, SpaceCheckIn, Event):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_join_link_page_is_public_and_joining_needs_login(client, factories, app):
    owner, guest = factories.user(), factories.user(name="Grace")
    event = factories.event_record(factories.event(owner, name="DevConf"))
    page = client.get(f"/j/{event['join_token']}")
    assert page.status_code == 200
    assert "DevConf" in page.get_data(as_text=True)
    assert f"/login?next=/j/{event['join_token']}" in page.get_data(as_text=True)
    # Opening the link changes nothing.
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 1
    anonymous = client.post(f"/j/{event['join_token']}", data={"csrf_token": csrf_token(client)})
    assert anonymous.status_code == 302 and "/login" in anonymous.location

    login(client, guest)
    response = post_form(client, f"/j/{event['join_token']}")
    assert response.status_code == 302 and response.location == f"/events/{event['slug']}"
    post_form(client, f"/j/{event['join_token']}")  # joining twice is harmless
    with app.app_context():
        roles = db.session.scalars(
            sa.select(Membership.role).where(Membership.user_id == guest.id)
        ).all()
        assert roles == ["attendee"]
    assert client.get("/j/not-a-real-token-at-all").status_code == 404


def test_join_poster_shows_a_qr_of_the_join_url(client, factories):
    owner = factories.user()
    event = factories.event_record(factories.event(owner))
    login(client, owner)
    page = client.get(f"/events/{event['slug']}/poster").get_data(as_text=True)
    assert f"http://localhost/j/{event['join_token']}" in page
    assert "<svg" in page and 'role="img"' in page


def test_owner_adds_organizer_by_email_and_by_invite_link(client, other_client, factories, app):
    owner = factories.user()
    bob = factories.user(email="bob@example.org")
    carol = factories.user()
    event_id = factories.event(owner, slug="conf")
    login(client, owner)
    response = post_form(client, "/events/conf/organizers", {"email": "BOB@example.org"})
    assert response.status_code == 302
    page = post_form(client, "/events/conf/organizers", {"email": "nobody@example.org"})
    assert "No Rapport account uses that email" in page.get_data(as_text=True)

    response = post_form(client, "/events/conf/organizers/invite")
    invite_url = response.location.split("invite=")[1]
    from urllib.parse import unquote

    invite_path = "/" + unquote(invite_url).split("/", 3)[3]
    login(other_client, carol)
    assert "Accept" in other_client.get(invite_path).get_data(as_text=True)
    assert post_form(other_client, invite_path, page=invite_path).status_code == 302
    # The link works once.
    assert other_client.get(invite_path).status_code == 404
    with app.app_context():
        roles = dict(
            db.session.execute(
                sa.select(Membership.user_id, Membership.role).where(
                    Membership.event_id == event_id
                )
            ).all()
        )
    assert roles == {owner.id: "owner", bob.id: "organizer", carol.id: "organizer"}
    # Carol can now manage the event but not its organizers.
    assert other_client.get("/events/conf/attendees").status_code == 200
    assert other_client.get("/events/conf/organizers").status_code == 404


def test_the_last_owner_cannot_be_demoted(client, factories, app):
    owner = factories.user()
    event_id = factories.event(owner, slug="conf")
    login(client, owner)
    with app.app_context():
        membership_id = db.session.scalar(sa.select(Membership.id))
    response = post_form(client, f"/events/conf/members/{membership_id}/role", {"role": "attendee"})
    assert response.status_code == 302
    assert "An event needs at least one owner." in client.get(response.location).get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(Membership, membership_id).role == "owner"
        assert db.session.get(Event, event_id) is not None


def test_directory_is_opt_in_and_searchable_by_shared_topics(client, factories):
    owner = factories.user()
    event_id = factories.event(owner, slug="conf")
    listed = factories.user(
        name="Listed Lin", ask_me_about="Data science, Rust", learning="Gardening"
    )
    unlisted = factories.user(name="Hidden Hal", ask_me_about="Data science")
    private_topics = factories.user(
        name="Private Pat", ask_me_about="Data science", share_topics=False
    )
    factories.member(event_id, listed, in_directory=True)
    factories.member(event_id, unlisted)
    factories.member(event_id, private_topics, in_directory=True)
    login(client, owner)
    page = client.get("/events/conf/directory").get_data(as_text=True)
    assert "Listed Lin" in page and "Private Pat" in page and "Hidden Hal" not in page
    assert "Open to chat" in page and "Gardening" in page

    page = client.get("/events/conf/directory?topic=data+SCIENCE").get_data(as_text=True)
    assert "Listed Lin" in page
    assert "Private Pat" not in page  # hidden topics never match
    assert "Hidden Hal" not in page
    page = client.get("/events/conf/directory?topic=knitting").get_data(as_text=True)
    assert "Listed Lin" not in page and "Nobody listed mentions" in page

    # The owner lists themselves, then hides again.
    post_form(client, "/events/conf/listing", {"listed": "1"})
    assert "Person 1" in client.get("/events/conf/directory").get_data(as_text=True)
    post_form(client, "/events/conf/listing", {"listed": "0"})
    assert "Person 1" not in client.get("/events/conf/directory").get_data(as_text=True)


def test_spaces_crud_poster_and_counts(client, factories, app):
    owner = factories.user()
    factories.event(owner, slug="conf")
    login(client, owner)
    response = post_form(
        client,
        "/events/conf/spaces/new",
        {"name": "Data Science table", "kind": "topic_table", "description": "Bring questions"},
    )
    assert response.status_code == 302
    with app.app_context():
        space = db.session.scalar(sa.select(Event)).spaces[0]
        space_id, token = space.id, space.poster_token
    page = client.get("/events/conf/spaces").get_data(as_text=True)
    assert "Data Science table" in page and "0 check-ins" in page
    poster = client.get(f"/events/conf/spaces/{space_id}/poster").get_data(as_text=True)
    assert f"http://localhost/s/{token}" in poster and "<svg" in poster
    post_form(
        client, f"/events/conf/spaces/{space_id}/edit", {"name": "ML table", "kind": "topic_table"}
    )
    assert "ML table" in client.get("/events/conf/spaces").get_data(as_text=True)
    post_form(client, f"/events/conf/spaces/{space_id}/delete")
    assert "No spaces yet" in client.get("/events/conf/spaces").get_data(as_text=True)


def test_space_check_in_shows_who_is_there_and_attributes_connections(
    client, other_client, factories, app
):
    owner = factories.user()
    event_id = factories.event(owner, slug="conf")
    space_id, token = factories.space(event_id, "Data Science table", "topic_table")
    ada = factories.user(name="Ada", ask_me_about="Statistics")
    bob = factories.user(name="Bob")
    busy = factories.user(name="Busy Bea", open_to_chat=False)
    login(client, ada)
    page = client.get(f"/s/{token}")
    assert page.status_code == 200 and "Check in here" in page.get_data(as_text=True)
    with app.app_context():  # looking is not checking in
        assert db.session.scalar(sa.select(sa.func.count(SpaceCheckIn.id))) == 0
    assert post_form(client, f"/s/{token}").status_code == 302
    for person in (bob, busy):
        login(other_client, person)
        post_form(other_client, f"/s/{token}")
        other_client.post("/logout", data={"csrf_token": csrf_token(other_client)})
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Bob" in page and "Busy Bea" not in page and "Leave Data Science table" in page
    # Checking in joined Ada to the event.
    with app.app_context():
        assert (
            db.session.scalar(sa.select(Membership.role).where(Membership.user_id == ada.id))
            == "attendee"
        )
    factories.connect(ada, bob)
    with app.app_context():
        connection = db.session.scalar(sa.select(Connection))
        assert (connection.event_id, connection.space_id) == (event_id, space_id)
    login(other_client, owner)
    page = other_client.get("/events/conf/spaces").get_data(as_text=True)
    assert "3 here now · 3 check-ins · 1 connections" in page

    post_form(client, f"/s/{token}/leave")
    assert "Check in here" in client.get(f"/s/{token}").get_data(as_text=True)


def test_meeting_context_prefers_the_space_then_an_event_on_today_in_its_time_zone(factories, app):
    owner = factories.user()
    # 23:30 UTC on 4 May is already 5 May in Tokyo, and still 4 May in New York.
    at = datetime(2026, 5, 4, 23, 30, tzinfo=UTC)
    tokyo = factories.event(
        owner, starts_on=date(2026, 5, 5), ends_on=date(2026, 5, 5), timezone="Asia/Tokyo"
    )
    new_york = factories.event(
        owner, starts_on=date(2026, 5, 5), ends_on=date(2026, 5, 5), timezone="America/New_York"
    )
    ada, bob = factories.user(), factories.user()
    factories.member(tokyo, ada)
    factories.member(new_york, bob)
    space_id, _ = factories.space(tokyo)
    with app.app_context():
        ada_user, bob_user = db.session.get(User, ada.id), db.session.get(User, bob.id)
        assert meeting_context(ada_user, at) == (tokyo, None)
        assert meeting_context(bob_user, at) == (None, None)
        assert meeting_context(bob_user, at + timedelta(hours=6)) == (new_york, None)
        db.session.add(
            SpaceCheckIn(
                space_id=space_id,
                user_id=ada.id,
                checked_in_at=at,
                expires_at=at + SPACE_CHECKIN_DURATION,
            )
        )
        db.session.commit()
        assert meeting_context(ada_user, at + timedelta(minutes=5)) == (tokyo, space_id)
        # The check-in runs out after a few hours.
        assert meeting_context(ada_user, at + SPACE_CHECKIN_DURATION) == (tokyo, None)


def test_scans_during_an_event_are_met_at_it(factories, app):
    owner = factories.user()
    event_id = factories.event(owner)  # running today
    ada, bob = factories.user(), factories.user()
    factories.member(event_id, ada)
    factories.connect(ada, bob)
    with app.app_context():
        assert db.session.scalar(sa.select(Connection.event_id)) == event_id


def test_a_finished_event_is_not_the_meeting_context(factories, app):
    owner = factories.user()
    past = date.today() - timedelta(days=10)
    event_id = factories.event(owner, starts_on=past, ends_on=past + timedelta(days=1))
    ada, bob = factories.user(), factories.user()
    factories.member(event_id, ada)
    factories.connect(ada, bob)
    with app.app_context():
        assert db.session.scalar(sa.select(Connection.event_id)) is None
