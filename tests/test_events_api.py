"""The events JSON API, every answer checked against the OpenAPI document."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import csrf_token, login
from tests.test_api_contract import CheckedApi, checker_for
from webapp.models import now_utc


@pytest.fixture
def api(app, client):
    """The events API through ``client``, checked against the document."""
    return CheckedApi(client, checker_for(app))


def test_event_lifecycle_through_the_api(api, client, other_client, factories, app):
    owner = factories.user(name="Olga")
    login(client, owner)
    created = api.post(
        "/api/v1/events",
        json={
            "name": "Rust Meetup",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-04",
            "timezone": "Europe/Berlin",
        },
    )
    assert created.status_code == 201
    event = created.get_json()
    assert event["slug"] == "rust-meetup" and event["role"] == "owner"
    assert api.get("/api/v1/events").get_json()["events"] == [event]
    patched = api.patch(f"/api/v1/events/{event['id']}", json={"venue": "Hall 2"})
    assert patched.get_json()["venue"] == "Hall 2"

    space = api.post(
        f"/api/v1/events/{event['id']}/spaces",
        json={"name": "Beginners corner", "kind": "mentoring_corner"},
    )
    assert space.status_code == 201
    space_id = space.get_json()["id"]
    assert space.get_json()["poster_url"].startswith("http://localhost/s/")
    assert (
        api.patch(
            f"/api/v1/events/{event['id']}/spaces/{space_id}", json={"description": "Ask anything"}
        ).status_code
        == 200
    )
    assert (
        api.get(f"/api/v1/events/{event['id']}/spaces").get_json()["spaces"][0]["description"]
        == "Ask anything"
    )

    # Someone joins with the join link, then shows up in the member list.
    guest = factories.user(name="Gus")
    login(other_client, guest)
    guest_api = CheckedApi(other_client, checker_for(app))
    joined = guest_api.post("/api/v1/events/join", json={"code": event["join_url"]})
    assert joined.status_code == 201 and joined.get_json()["role"] == "attendee"
    assert (
        guest_api.post("/api/v1/events/join", json={"code": event["join_url"]}).status_code == 200
    )
    members = api.get(f"/api/v1/events/{event['id']}/memberships").get_json()["memberships"]
    assert [(m["name"], m["role"]) for m in members] == [("Gus", "attendee"), ("Olga", "owner")]
    gus, olga = members
    promoted = api.patch(
        f"/api/v1/events/{event['id']}/memberships/{gus['id']}", json={"role": "organizer"}
    )
    assert promoted.get_json()["role"] == "organizer"
    last_owner = api.patch(
        f"/api/v1/events/{event['id']}/memberships/{olga['id']}", json={"role": "attendee"}
    )
    assert last_owner.status_code == 409
    assert last_owner.get_json()["error"]["code"] == "last_owner"
    assert api.delete(f"/api/v1/events/{event['id']}/memberships/{gus['id']}").status_code == 204
    assert api.delete(f"/api/v1/events/{event['id']}/spaces/{space_id}").status_code == 204
    assert api.delete(f"/api/v1/events/{event['id']}").status_code == 204
    assert api.get(f"/api/v1/events/{event['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_on": "2026-05-04", "ends_on": "2026-05-04"}, "name"),
        ({"name": "X", "starts_on": "4 May", "ends_on": "2026-05-04"}, "starts_on"),
        ({"name": "X", "starts_on": "2026-05-04", "ends_on": "2026-05-01"}, "ends_on"),
        (
            {"name": "X", "slug": "Not A Slug", "starts_on": "2026-05-04", "ends_on": "2026-05-04"},
            "slug",
        ),
        (
            {
                "name": "X",
                "starts_on": "2026-05-04",
                "ends_on": "2026-05-04",
                "timezone": "Mars/Olympus",
            },
            "timezone",
        ),
    ],
)
def test_bad_event_input_is_a_422_naming_the_field(api, client, factories, body, field):
    login(client, factories.user())
    response = api.post("/api/v1/events", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_check_ins_import_and_stats_match_the_document(api, client, factories):
    owner = factories.user()
    event_id = factories.event(owner, slug="conf")
    _, space_token = factories.space(event_id, "Hall")
    ada = factories.user(name="Ada")
    factories.member(event_id, ada)
    login(client, owner)
    body = {
        "id": str(uuid.uuid4()),
        "code": ada.badge_token,
        "checked_in_at": now_utc().isoformat(),
    }
    assert api.post(f"/api/v1/events/{event_id}/checkins", json=body).status_code == 201
    assert api.post(f"/api/v1/events/{event_id}/checkins", json=body).status_code == 200
    assert api.get(f"/api/v1/events/{event_id}/checkins").get_json()["checked_in_count"] == 1
    space_body = {"id": str(uuid.uuid4()), "code": space_token}
    assert api.post("/api/v1/spaces/checkins", json=space_body).status_code == 201
    assert api.delete("/api/v1/spaces/checkins/current").status_code == 204
    stats = api.get(f"/api/v1/events/{event_id}/stats").get_json()
    assert stats["checked_in"] == 1 and stats["spaces"][0]["checkins"] == 1

    preview = client.post(
        f"/api/v1/events/{event_id}/imports",
        data=b"Name,Email\nBea,bea@example.org\n",
        content_type="text/csv",
        headers={"X-CSRFToken": csrf_token(client)},
    )
    checker_for(client.application).check("POST", f"/api/v1/events/{event_id}/imports", preview)
    commit = api.post(preview.get_json()["commit_url"], json={"send_claim_emails": False})
    assert commit.get_json()["created"] == 1


def test_meeting_context_tells_the_scanner_where_a_scan_would_be_recorded(api, client, factories):
    owner = factories.user()
    event_id = factories.event(owner, name="PyCon")
    _, token = factories.space(event_id, "Data table")
    ada = factories.user()
    login(client, ada)
    assert api.get("/api/v1/meeting-context").get_json() == {"event": None, "space": None}
    assert (
        api.post(
            "/api/v1/spaces/checkins", json={"id": str(uuid.uuid4()), "code": token}
        ).status_code
        == 201
    )
    context = api.get("/api/v1/meeting-context").get_json()
    assert context["event"]["name"] == "PyCon" and context["space"]["name"] == "Data table"
    api.delete("/api/v1/spaces/checkins/current")
    context = api.get("/api/v1/meeting-context").get_json()
    assert context["event"]["name"] == "PyCon" and context["space"] is None


def test_a_scan_answer_names_where_the_pair_first_met(api, client, factories):
    owner = factories.user()
    event_id = factories.event(owner, name="PyCon")
    _, token = factories.space(event_id, "Data table")
    ada, bob = factories.user(), factories.user(name="Bob Babbage")
    login(client, ada)
    checkin = {"id": str(uuid.uuid4()), "code": token}
    assert api.post("/api/v1/spaces/checkins", json=checkin).status_code == 201

    scan = {"id": str(uuid.uuid4()), "code": bob.badge_token, "scanned_at": now_utc().isoformat()}
    first = api.post("/api/v1/scans", json=scan)
    assert first.status_code == 201
    contact = first.get_json()["contact"]
    assert contact["name"] == "Bob Babbage"
    assert contact["event"]["name"] == "PyCon" and contact["space"]["name"] == "Data table"
    assert api.post("/api/v1/scans", json=scan).get_json() == first.get_json()

    # Met again after leaving the table: still credited to where they first met.
    api.delete("/api/v1/spaces/checkins/current")
    rescan = scan | {"id": str(uuid.uuid4()), "scanned_at": now_utc().isoformat()}
    again = api.post("/api/v1/scans", json=rescan).get_json()
    assert again["new_connection"] is False
    assert again["contact"] == contact
