"""Door check-in (organizers) and space check-in (attendees), through the API and the pages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.conftest import ApiClient, csrf_from_html, login
from webapp.extensions import db
from webapp.models import DoorCheckIn, Membership, SpaceCheckIn, now_utc


@pytest.fixture
def door(factories, client):
    """An event with an organizer at the door (logged in) and two registered attendees."""
    owner = factories.user(name="Olga Owner")
    staff = factories.user(name="Door Dan")
    event_id = factories.event(owner, name="PyCon", slug="pycon")
    factories.member(event_id, staff, role="organizer")
    ada = factories.user(name="Ada Lovelace", company="Analytical")
    bob = factories.user(name="Bob Baker")
    ada_membership = factories.member(event_id, ada)
    factories.member(event_id, bob)
    login(client, staff)
    return {
        "event_id": event_id,
        "staff": staff,
        "ada": ada,
        "bob": bob,
        "ada_membership": ada_membership,
        "api": ApiClient(client),
    }


def scan(door, code, client_id=None, at=None):
    """POST a door check-in."""
    return door["api"].post(
        f"/api/v1/events/{door['event_id']}/checkins",
        json={
            "id": client_id or str(uuid.uuid4()),
            "code": code,
            "checked_in_at": (at or now_utc()).isoformat(),
        },
    )


def test_door_check_in_is_idempotent_and_records_time_and_who(door, app):
    scanned_at = now_utc().replace(microsecond=0) - timedelta(minutes=20)  # queued offline
    client_id = str(uuid.uuid4())
    badge_url = f"http://localhost/c/{door['ada'].badge_token}"
    first = scan(door, badge_url, client_id, scanned_at)
    assert first.status_code == 201
    body = first.get_json()
    assert body == {
        "id": client_id,
        "attendee": {"name": "Ada Lovelace", "company": "Analytical"},
        "checked_in_at": scanned_at.isoformat(),
        "already_checked_in": False,
        "checked_in_count": 1,
    }
    replay = scan(door, badge_url, client_id, scanned_at)
    assert replay.status_code == 200 and replay.get_json() == body
    # Another scan of the same badge: known, already checked in, the first time kept.
    again = scan(door, door["ada"].badge_token)
    assert again.status_code == 201
    assert again.get_json()["already_checked_in"] is True
    assert again.get_json()["checked_in_at"] == scanned_at.isoformat()
    assert again.get_json()["checked_in_count"] == 1
    with app.app_context():
        membership = db.session.get(Membership, door["ada_membership"])
        assert membership.checked_in_at == scanned_at
        assert membership.checked_in_by_id == door["staff"].id
        assert db.session.scalar(sa.select(sa.func.count(DoorCheckIn.id))) == 2


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("https://evil.example/c/abcdefghijklmnopqrstuvwx", 422, "invalid"),
        ("WIFI:S:venue;T:WPA;P:secret;;", 422, "invalid"),
        ("abcdefghijklmnopqrstuvwx", 404, "badge_not_found"),
    ],
)
def test_door_check_in_refuses_codes_that_are_not_attendee_badges(door, code, status, error):
    response = scan(door, code)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == error


def test_door_check_in_of_someone_not_registered(door, factories):
    stranger = factories.user(name="Stranger")
    response = scan(door, stranger.badge_token)
    assert response.status_code == 404
    assert response.get_json()["error"] == {
        "code": "not_registered",
        "message": "Stranger is not registered for PyCon.",
    }


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"id": "not-a-uuid", "code": "x"},
        {"id": str(uuid.uuid4()), "code": 5},
        {"id": str(uuid.uuid4()), "code": "x", "checked_in_at": "yesterday"},
    ],
)
def test_malformed_door_check_ins_get_422_not_500(door, body):
    response = door["api"].post(f"/api/v1/events/{door['event_id']}/checkins", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_check_in_page_is_the_scanner_in_check_in_mode_with_a_live_count(door, client):
    scan(door, door["bob"].badge_token)
    page = client.get("/events/pycon/checkin").get_data(as_text=True)
    assert 'data-mode="checkin"' in page
    assert f'data-checkin-url="/api/v1/events/{door["event_id"]}/checkins"' in page
    assert "data-checked-in>1</strong> of <span data-registered>4</span>" in page
    count = client.get(f"/api/v1/events/{door['event_id']}/checkins")
    assert count.get_json() == {"checked_in_count": 1, "registered": 4}


def test_manual_search_checks_in_someone_without_their_badge(door, client, app):
    page = client.get("/events/pycon/checkin?q=lovelace").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Bob Baker" not in page
    assert f"/events/pycon/checkin/{door['ada_membership']}" in page
    response = client.post(
        f"/events/pycon/checkin/{door['ada_membership']}",
        data={"csrf_token": csrf_from_html(page), "q": "lovelace"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Ada Lovelace is checked in." in page
    assert "data-checked-in>1</strong>" in page
    with app.app_context():
        membership = db.session.get(Membership, door["ada_membership"])
        assert membership.checked_in_by_id == door["staff"].id
    # The manual code box (typed badge code) finds the attendee but only a POST checks in.
    page = client.get(f"/events/pycon/checkin?code={door['bob'].badge_token}").get_data(
        as_text=True
    )
    assert "Bob Baker" in page and 'aria-label="Check in Bob Baker"' in page
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Membership.id)).where(Membership.checked_in_at.is_not(None))
            )
            == 1
        )


def test_door_times_are_shown_in_the_events_own_time_zone(door, client, app):
    with app.app_context():
        event = db.session.get(Membership, door["ada_membership"]).event
        event.timezone = "Europe/Berlin"
        db.session.commit()
    at = now_utc().replace(second=0, microsecond=0) - timedelta(minutes=30)
    assert scan(door, door["ada"].badge_token, at=at).status_code == 201
    berlin = at.astimezone(ZoneInfo("Europe/Berlin"))
    assert berlin.hour != at.hour  # one or two hours ahead of UTC, whatever the season
    page = client.get("/events/pycon/checkin?q=lovelace").get_data(as_text=True)
    assert f"checked in {berlin:%H:%M %Z}" in page
    attendees = client.get("/events/pycon/attendees").get_data(as_text=True)
    assert f"checked in {berlin.day} {berlin:%b %H:%M %Z}" in attendees


def test_space_check_in_api_is_idempotent_and_expires(factories, client, app):
    owner = factories.user()
    event_id = factories.event(owner, name="PyCon")
    space_id, token = factories.space(event_id, "Data Science table")
    ada = factories.user()
    login(client, ada)
    api = ApiClient(client)
    client_id = str(uuid.uuid4())
    at = now_utc().replace(microsecond=0)
    body = {"id": client_id, "code": f"http://localhost/s/{token}", "checked_in_at": at.isoformat()}
    first = api.post("/api/v1/spaces/checkins", json=body)
    assert first.status_code == 201
    data = first.get_json()
    assert data["space"] == {"id": space_id, "name": "Data Science table", "event_name": "PyCon"}
    expires_at = datetime.fromisoformat(data["expires_at"])
    assert timedelta(hours=2) <= expires_at - at <= timedelta(hours=4)
    replay = api.post("/api/v1/spaces/checkins", json=body)
    assert replay.status_code == 200 and replay.get_json() == data
    bare = api.post(
        "/api/v1/spaces/checkins",
        json={"id": str(uuid.uuid4()), "code": token, "checked_in_at": at.isoformat()},
    )
    assert bare.status_code == 201
    with app.app_context():
        # The second check-in ended the first: one place at a time.
        rows = db.session.scalars(sa.select(SpaceCheckIn).order_by(SpaceCheckIn.id)).all()
        assert len(rows) == 2 and rows[0].left_at is not None and rows[1].left_at is None
    missing = api.post(
        "/api/v1/spaces/checkins",
        json={"id": str(uuid.uuid4()), "code": "https://evil.example/s/x"},
    )
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "space_not_found"
    assert api.delete("/api/v1/spaces/checkins/current").status_code == 204
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(SpaceCheckIn.id)).where(SpaceCheckIn.left_at.is_(None))
            )
            == 0
        )


def test_an_hours_old_offline_space_check_in_keeps_its_time(factories, client, app):
    owner = factories.user()
    event_id = factories.event(owner)
    _, token = factories.space(event_id)
    login(client, factories.user())
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    response = ApiClient(client).post(
        "/api/v1/spaces/checkins",
        json={"id": str(uuid.uuid4()), "code": token, "checked_in_at": at.isoformat()},
    )
    assert response.get_json()["checked_in_at"] == at.isoformat()
