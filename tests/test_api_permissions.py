"""One person can never read or change another's contacts, notes or follow-ups via the API.

Every URL that names an object is tried by Bob against Ada's objects: each answers 404 (never
403, so ids leak nothing), and the database is exactly as it was.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.test_api_contract import CheckedApi, checker_for
from webapp.extensions import db

NOTE_BODY = {
    "id": "5d2c9e61-7f0b-4f8e-b1a3-2c4d6e8f0a1b",
    "body": "Bob's words",
    "follow_up": {"what": "Bob's plan", "due_on": "2030-01-01"},
}

# (method, URL template, JSON body); {contact}, {note}, {follow_up} and {scan} are Ada's.
FOREIGN_CALLS = [
    ("GET", "/api/v1/contacts/{contact}", None),
    ("DELETE", "/api/v1/contacts/{contact}", None),
    ("POST", "/api/v1/contacts/{contact}/notes", NOTE_BODY),
    ("POST", "/api/v1/scans/{scan}/notes", NOTE_BODY),
    ("PATCH", "/api/v1/notes/{note}", {"body": "Bob was here"}),
    ("DELETE", "/api/v1/notes/{note}", None),
    ("POST", "/api/v1/follow-ups/{follow_up}/done", None),
    ("POST", "/api/v1/follow-ups/{follow_up}/snooze", {"preset": "next_week"}),
    ("POST", "/api/v1/follow-ups/{follow_up}/snooze", {"until": "2031-01-01"}),
]


def database_snapshot(app) -> dict:
    """Every row of every table, to show that nothing changed."""
    with app.app_context():
        return {
            table.name: sorted(map(tuple, db.session.execute(sa.select(table)).all()), key=repr)
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def ada_world(app, client, factories):
    """Ada's contact (made by an API scan), her note on it and its follow-up."""
    ada = factories.user("Ada Lovelace")
    carol = factories.user("Carol Cole")
    login(client, ada)
    api = CheckedApi(client, checker_for(app))
    scan_id = str(uuid.uuid4())
    scanned = api.post(
        "/api/v1/scans",
        json={
            "id": scan_id,
            "code": carol.badge_token,
            "scanned_at": datetime.now(UTC).isoformat(),
        },
    )
    contact_id = scanned.get_json()["contact"]["id"]
    note = api.post(
        f"/api/v1/contacts/{contact_id}/notes",
        json={
            "id": str(uuid.uuid4()),
            "body": "Ada's private note",
            "follow_up": {"what": "Ada's promise", "due_on": "2030-06-01"},
        },
    ).get_json()["note"]
    return {
        "contact": contact_id,
        "scan": scan_id,
        "note": note["id"],
        "follow_up": note["follow_up"]["id"],
    }


@pytest.fixture
def bob_api(app, other_client, factories):
    """Bob, logged in on his own client, connected to Ada's contact Carol too."""
    bob = factories.user("Bob Babbage")
    login(other_client, bob)
    return CheckedApi(other_client, checker_for(app))


@pytest.mark.parametrize(("method", "template", "body"), FOREIGN_CALLS)
def test_another_persons_objects_are_404_and_stay_unchanged(
    app, ada_world, bob_api, method, template, body
):
    url = template.format(**ada_world)
    before = database_snapshot(app)
    if method in ("GET", "DELETE"):
        response = getattr(bob_api, method.lower())(url)
    else:
        response = getattr(bob_api, method.lower())(url, json=body)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] in ("not_found", "scan_not_found")
    assert database_snapshot(app) == before


def test_the_matrix_covers_every_core_route_that_names_an_object(app):
    from tests.test_api_contract import api_routes, openapi_path
    from webapp.api.openapi import PATHS

    urls = app.url_map.bind("localhost")
    sample = {"contact": 1, "note": 1, "follow_up": 1, "scan": str(uuid.uuid4())}
    covered = {
        (openapi_path(urls.match(t.format(**sample), method=m, return_rule=True)[0].rule), m)
        for m, t, _ in FOREIGN_CALLS
    }
    naming_an_object = {(p, m) for p, m in api_routes(app) if p in PATHS and "{" in p}
    assert covered == naming_an_object


def test_lists_show_only_ones_own_objects(ada_world, bob_api):
    assert bob_api.get("/api/v1/contacts").get_json()["items"] == []
    assert bob_api.get("/api/v1/contacts?q=private").get_json()["items"] == []
    assert bob_api.get("/api/v1/follow-ups").get_json()["items"] == []


def test_a_replayed_note_id_of_someone_else_is_just_a_new_id(app, ada_world, bob_api, factories):
    """Client ids are per person: Bob reusing Ada's id neither sees nor touches her note."""
    with app.app_context():
        ada_note_client_id = db.session.execute(
            sa.text("SELECT client_id FROM interactions WHERE id = :id"), {"id": ada_world["note"]}
        ).scalar_one()
    bob_contact = bob_api.post(
        "/api/v1/scans",
        json={
            "id": str(uuid.uuid4()),
            "code": factories.user("Dan Dee").badge_token,
            "scanned_at": datetime.now(UTC).isoformat(),
        },
    ).get_json()["contact"]["id"]
    response = bob_api.post(
        f"/api/v1/contacts/{bob_contact}/notes", json={"id": ada_note_client_id, "body": "Mine"}
    )
    assert response.status_code == 201
    assert response.get_json()["note"]["body"] == "Mine"
    assert response.get_json()["note"]["id"] != ada_world["note"]
