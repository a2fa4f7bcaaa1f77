"""The JSON API under /api/v1: every route, its replays and its answers to bad input.

Every call goes through ``CheckedApi``, so every answer is also checked against the
OpenAPI document.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.test_api_contract import CheckedApi, api_routes, checker_for, openapi_path
from webapp.api.openapi import PATHS
from webapp.extensions import db
from webapp.models import Connection, Contact, FollowUp, Interaction, User


@pytest.fixture
def api(client, app):
    """The JSON API through ``client``'s session, every answer checked against the document."""
    return CheckedApi(client, checker_for(app))


@pytest.fixture
def other_api(other_client, app):
    """The JSON API for a second person."""
    return CheckedApi(other_client, checker_for(app))


def new_id() -> str:
    """A client-generated id, as the offline queue makes them."""
    return str(uuid.uuid4())


def iso(moment: datetime) -> str:
    """An ISO 8601 timestamp as browsers write them."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def utc_today() -> date:
    """Today in UTC, the server's reference for "overdue"."""
    return datetime.now(UTC).date()


def now_iso() -> str:
    """Now, in ISO 8601."""
    return iso(datetime.now(UTC))


def count(app, model, *conditions) -> int:
    """How many rows of ``model`` match."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def scan(api, code: str, client_id: str | None = None, **extra):
    """Scan a badge code through the API."""
    body = {"id": client_id or new_id(), "code": code, "scanned_at": now_iso()} | extra
    return api.post("/api/v1/scans", json=body)


@pytest.fixture
def ada(factories, client):
    """Ada, logged in on ``client``."""
    user = factories.user("Ada Lovelace", headline="Analyst", company="Analytical Engines")
    login(client, user)
    return user


@pytest.fixture
def bob(factories):
    """Bob, who shares his company but not his email."""
    return factories.user("Bob Babbage", company="Difference Ltd", bio="Builds engines.")


# --- me and the badge ------------------------------------------------------------------------


def test_me_returns_the_profile_and_the_badge(api, ada):
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    me = response.get_json()
    assert me["name"] == "Ada Lovelace" and me["email"] == ada.email
    assert me["shared_card"]["company"] == "Analytical Engines"
    assert me["badge"] == {
        "url": f"http://localhost/c/{ada.badge_token}",
        "qr_svg_url": f"/c/{ada.badge_token}/qr.svg",
        "qr_png_url": f"/c/{ada.badge_token}/qr.png",
    }


def test_the_badge_url_uses_the_configured_base_url(api, ada, app, monkeypatch):
    monkeypatch.setitem(app.config, "RAPPORT_BASE_URL", "https://rapport.example")
    badge = api.get("/api/v1/me").get_json()["badge"]
    assert badge["url"] == f"https://rapport.example/c/{ada.badge_token}"


def test_rotating_the_badge_retires_the_old_code_at_once(api, other_api, ada, bob, other_client):
    rotated = api.post("/api/v1/badge/rotate")
    assert rotated.status_code == 200
    new_url = rotated.get_json()["badge"]["url"]
    assert ada.badge_token not in new_url
    assert api.get("/api/v1/me").get_json()["badge"]["url"] == new_url

    login(other_client, bob)
    old = scan(other_api, f"http://localhost/c/{ada.badge_token}")
    assert old.status_code == 404
    assert old.get_json()["error"]["code"] == "badge_not_found"
    assert scan(other_api, new_url).status_code == 201


# --- scans -----------------------------------------------------------------------------------


def test_a_scan_connects_both_people_once_and_a_replay_answers_the_same(api, app, ada, bob):
    client_id = new_id()
    first = scan(api, f"http://localhost/c/{bob.badge_token}", client_id)
    assert first.status_code == 201
    body = first.get_json()
    assert body["id"] == client_id and body["new_connection"] is True
    contact = body["contact"]
    assert contact["name"] == "Bob Babbage" and contact["how"] == "scanned"
    assert contact["card"]["company"] == "Difference Ltd" and "email" not in contact["card"]
    assert contact["url"] == f"/contacts/{contact['id']}"

    replay = scan(api, f"http://localhost/c/{bob.badge_token}", client_id)
    assert replay.status_code == 200
    assert replay.get_json() == body
    assert count(app, Connection) == 1
    assert count(app, Contact) == 2
    assert count(app, Interaction, Interaction.client_id == client_id) == 1


def test_a_replay_answers_the_same_even_after_the_badge_rotated(api, app, ada, bob):
    client_id = new_id()
    first = scan(api, bob.badge_token, client_id)
    with app.app_context():
        db.session.get(User, bob.id).rotate_badge_token()
        db.session.commit()
    replay = scan(api, bob.badge_token, client_id)
    assert (replay.status_code, replay.get_json()) == (200, first.get_json())


def test_the_scanned_person_sees_the_scanner_as_was_scanned(api, other_api, ada, bob, other_client):
    scan(api, bob.badge_token)
    login(other_client, bob)
    items = other_api.get("/api/v1/contacts").get_json()["items"]
    assert [(item["name"], item["how"]) for item in items] == [("Ada Lovelace", "was_scanned")]
    assert items[0]["card"]["headline"] == "Analyst"


def test_a_rescan_is_on_the_timeline_and_makes_no_second_contact(api, app, ada, bob):
    contact_id = scan(api, bob.badge_token).get_json()["contact"]["id"]
    again = scan(api, bob.badge_token)
    assert again.status_code == 201
    assert again.get_json()["new_connection"] is False
    assert again.get_json()["contact"]["id"] == contact_id
    kinds = [e["kind"] for e in api.get(f"/api/v1/contacts/{contact_id}").get_json()["timeline"]]
    assert sorted(kinds) == ["met", "rescan"]
    assert count(app, Contact) == 2 and count(app, Connection) == 1


def test_scanning_again_after_removing_the_contact_brings_it_back(api, app, ada, bob):
    removed = scan(api, bob.badge_token).get_json()["contact"]
    assert api.delete(f"/api/v1/contacts/{removed['id']}").status_code == 204
    again = scan(api, bob.badge_token)
    assert again.status_code == 201
    body = again.get_json()
    # Bob kept his side, so the connection stands and this is a meeting again.
    assert body["new_connection"] is False
    contact = body["contact"]
    assert contact["id"] != removed["id"] and contact["how"] == "scanned"
    assert api.get(f"/api/v1/contacts/{contact['id']}").get_json()["name"] == "Bob Babbage"
    timeline = api.get(f"/api/v1/contacts/{contact['id']}").get_json()["timeline"]
    assert [entry["kind"] for entry in timeline] == ["rescan"]
    assert count(app, Connection) == 1 and count(app, Contact) == 2


def test_a_scan_keeps_the_time_it_happened_offline(api, ada, bob):
    earlier = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    response = scan(api, bob.badge_token, scanned_at=iso(earlier))
    met_at = datetime.fromisoformat(response.get_json()["contact"]["met_at"])
    assert met_at == earlier


def test_a_scan_time_in_the_far_future_becomes_now(api, ada, bob):
    before = datetime.now(UTC)
    response = scan(api, bob.badge_token, scanned_at="2999-01-01T00:00:00Z")
    met_at = datetime.fromisoformat(response.get_json()["contact"]["met_at"])
    assert before - timedelta(seconds=1) <= met_at <= datetime.now(UTC)


def test_a_scan_can_carry_a_note(api, ada, bob):
    contact_id = scan(api, bob.badge_token, note="Loves gears").get_json()["contact"]["id"]
    timeline = api.get(f"/api/v1/contacts/{contact_id}").get_json()["timeline"]
    assert [e["body"] for e in timeline if e["kind"] == "note"] == ["Loves gears"]


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("https://elsewhere.example/c/AAAAAAAAAAAAAAAAAAAAAAAA", 422, "not_a_badge"),
        ("hello there", 422, "not_a_badge"),
        ("http://localhost/s/AAAAAAAAAAAAAAAAAAAAAAAA", 422, "space_code"),
        ("http://localhost/j/AAAAAAAAAAAAAAAAAAAAAAAA", 422, "join_code"),
        ("AAAAAAAAAAAAAAAAAAAAAAAA", 404, "badge_not_found"),
        ("http://localhost/c/AAAAAAAAAAAAAAAAAAAAAAAA", 404, "badge_not_found"),
    ],
)
def test_codes_that_are_not_a_current_badge_are_explained(api, app, ada, code, status, error):
    response = scan(api, code)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == error
    assert response.get_json()["error"]["message"]
    assert count(app, Contact) == 0


def test_scanning_your_own_badge_is_refused_kindly(api, app, ada):
    response = scan(api, ada.badge_token)
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "own_badge",
        "message": "That is your own badge.",
    }
    assert count(app, Contact) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": None}, "id"),
        ({"id": "not-a-uuid"}, "id"),
        ({"id": 12}, "id"),
        ({"id": "6f1d1c1e2a574d589a7e1b2c3d4e5f60"}, "id"),
        ({"code": None}, "code"),
        ({"code": 42}, "code"),
        ({"code": ["x"]}, "code"),
        ({"code": "x" * 2001}, "code"),
        ({"code": "   "}, "code"),
        ({"scanned_at": None}, "scanned_at"),
        ({"scanned_at": "yesterday"}, "scanned_at"),
        ({"scanned_at": "2026-05-04T10:30:00"}, "scanned_at"),
        ({"scanned_at": 1700000000}, "scanned_at"),
        ({"note": "x" * 5001}, "note"),
        ({"note": {"text": "hi"}}, "note"),
    ],
)
def test_malformed_scans_get_422_naming_the_field(api, app, ada, bob, change, field):
    body = {"id": new_id(), "code": bob.badge_token, "scanned_at": now_iso()} | change
    response = api.post("/api/v1/scans", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert count(app, Contact) == 0


def test_several_bad_fields_are_reported_together(api, ada):
    response = api.post("/api/v1/scans", json={"id": "x", "scanned_at": "soon"})
    assert set(response.get_json()["error"]["fields"]) == {"id", "code", "scanned_at"}


@pytest.mark.parametrize(
    ("data", "content_type", "status", "error"),
    [
        ("{not json", "application/json", 400, "bad_json"),
        ('{"id": ', "application/json", 400, "bad_json"),
        (b"\xff\xfe\x00garbage", "application/json", 400, "bad_json"),
        ("[" * 100_000 + "]" * 100_000, "application/json", 413, "too_large"),
        ("[" * 30_000 + "]" * 30_000, "application/json", 400, "bad_json"),
        ('["a list"]', "application/json", 422, "invalid"),
        ("null", "application/json", 422, "invalid"),
        ("id=1&code=2", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_bodies_that_are_not_a_json_object_get_a_clear_4xx(
    api, app, ada, data, content_type, status, error
):
    response = api.post("/api/v1/scans", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == error
    assert count(app, Contact) == 0


def test_writes_without_the_csrf_header_are_refused(client, app, ada, bob):
    body = {"id": new_id(), "code": bob.badge_token, "scanned_at": now_iso()}
    response = client.post("/api/v1/scans", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    checker_for(app).check("POST", "/api/v1/scans", response)
    assert count(app, Contact) == 0


def test_a_scan_id_already_used_for_a_note_creates_nothing(api, app, ada, bob, factories):
    contact_id = factories.manual_contact(ada, "Carol Cole")
    note_id = new_id()
    api.post(f"/api/v1/contacts/{contact_id}/notes", json={"id": note_id, "body": "Hi"})
    response = scan(api, bob.badge_token, note_id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "id_conflict"
    assert count(app, Connection) == 0


# --- contacts --------------------------------------------------------------------------------


def test_contacts_list_searches_sorts_and_paginates(api, ada, factories):
    for name in ("Zoe Zed", "Yann Young", "Xavier Xu", "Wanda Wu", "Victor Vale"):
        factories.connect(ada, factories.user(name))
    manual = factories.manual_contact(ada, "Ursula Upton", company="Umbrella")
    factories.note(ada, manual, "Knows about lighthouses")

    names = []
    url = "/api/v1/contacts?sort=name&per_page=2"
    while url:
        page = api.get(url).get_json()
        assert len(page["items"]) <= 2
        names += [item["name"] for item in page["items"]]
        url = page["next"]
    assert names == sorted(names) and len(names) == 6

    def found(query):
        return [i["name"] for i in api.get(f"/api/v1/contacts?q={query}").get_json()["items"]]

    assert found("xavier") == ["Xavier Xu"]
    assert found("umbrella") == ["Ursula Upton"]
    assert found("lighthouse") == ["Ursula Upton"]
    assert found("50%25") == []
    recent = api.get("/api/v1/contacts").get_json()["items"]
    assert recent[0]["name"] == "Ursula Upton"  # added last
    assert recent[0]["open_follow_ups"] == 0


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=abc", "page=-1", "per_page=0", "per_page=500", "sort=age", f"q={'x' * 201}"],
)
def test_bad_list_arguments_get_422(api, ada, query):
    response = api.get(f"/api/v1/contacts?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_a_contact_shows_the_timeline_and_follow_ups(api, ada, bob, factories):
    contact_id = factories.connect(ada, bob)
    factories.note(ada, contact_id, "Discussed looms", follow_up="Send loom paper")
    detail = api.get(f"/api/v1/contacts/{contact_id}").get_json()
    assert detail["id"] == contact_id and detail["name"] == "Bob Babbage"
    assert [entry["kind"] for entry in detail["timeline"]] == ["note", "met"]
    note = detail["timeline"][0]
    assert note["body"] == "Discussed looms" and note["editable"] is True
    assert note["follow_up"]["what"] == "Send loom paper"
    assert [f["what"] for f in detail["follow_ups"]] == ["Send loom paper"]
    assert detail["timeline"][1]["editable"] is False


def test_an_unknown_contact_is_404(api, ada):
    response = api.get("/api/v1/contacts/999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_removing_a_contact_keeps_the_other_side(api, app, ada, bob, factories):
    contact_id = factories.connect(ada, bob)
    factories.note(ada, contact_id, "Private", follow_up="Call back")
    assert api.delete(f"/api/v1/contacts/{contact_id}").status_code == 204
    assert api.get(f"/api/v1/contacts/{contact_id}").status_code == 404
    assert api.delete(f"/api/v1/contacts/{contact_id}").status_code == 404
    assert count(app, Contact, Contact.owner_id == bob.id) == 1
    assert count(app, Interaction, Interaction.owner_id == ada.id) == 0  # notes went with it
    assert count(app, FollowUp) == 0


# --- notes -----------------------------------------------------------------------------------


def test_a_note_with_a_follow_up_is_written_once_however_often_it_is_sent(
    api, app, ada, bob, factories
):
    contact_id = factories.connect(ada, bob)
    body = {
        "id": new_id(),
        "body": "  Wants an intro to Charles  ",
        "happened_at": now_iso(),
        "follow_up": {"what": "Introduce to Charles", "due_on": "2030-03-01"},
    }
    first = api.post(f"/api/v1/contacts/{contact_id}/notes", json=body)
    assert first.status_code == 201
    note = first.get_json()["note"]
    assert note["client_id"] == body["id"] and note["kind"] == "note"
    assert note["body"] == "Wants an intro to Charles" and note["contact_id"] == contact_id
    assert note["follow_up"]["what"] == "Introduce to Charles"
    assert note["follow_up"]["due_on"] == "2030-03-01" and note["follow_up"]["done_at"] is None

    replay = api.post(f"/api/v1/contacts/{contact_id}/notes", json=body)
    assert (replay.status_code, replay.get_json()) == (200, first.get_json())
    assert count(app, Interaction, Interaction.kind == "note") == 1
    assert count(app, FollowUp) == 1


def test_a_note_id_already_used_for_a_scan_creates_nothing(api, app, ada, bob):
    scan_id = new_id()
    contact_id = scan(api, bob.badge_token, scan_id).get_json()["contact"]["id"]
    response = api.post(f"/api/v1/contacts/{contact_id}/notes", json={"id": scan_id, "body": "x"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "id_conflict"
    assert count(app, Interaction, Interaction.kind == "note") == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": "hi"}, "id"),
        ({"id": "nope", "body": "hi"}, "id"),
        ({"id": "ID"}, "body"),
        ({"id": "ID", "body": None}, "body"),
        ({"id": "ID", "body": 5}, "body"),
        ({"id": "ID", "body": "x" * 5001}, "body"),
        ({"id": "ID", "body": "   "}, "body"),
        ({"id": "ID", "body": "hi", "kind": "met"}, "kind"),
        ({"id": "ID", "body": "hi", "happened_at": "last week"}, "happened_at"),
        ({"id": "ID", "body": "hi", "follow_up": "soon"}, "follow_up"),
        ({"id": "ID", "body": "hi", "follow_up": {"due_on": "2030-01-01"}}, "follow_up.what"),
        (
            {"id": "ID", "body": "", "follow_up": {"what": "x" * 201, "due_on": "2030-01-01"}},
            "follow_up.what",
        ),
        ({"id": "ID", "body": "hi", "follow_up": {"what": "Call"}}, "follow_up.due_on"),
        (
            {"id": "ID", "body": "hi", "follow_up": {"what": "Call", "due_on": "01/02/2030"}},
            "follow_up.due_on",
        ),
        (
            {"id": "ID", "body": "hi", "follow_up": {"what": "Call", "due_on": "2030-02-30"}},
            "follow_up.due_on",
        ),
        (
            {"id": "ID", "body": "hi", "follow_up": {"what": "Call", "due_on": "9999-01-01"}},
            "follow_up.due_on",
        ),
    ],
)
def test_malformed_notes_get_422_naming_the_field(api, app, ada, factories, body, field):
    contact_id = factories.manual_contact(ada, "Carol Cole")
    if body.get("id") == "ID":
        body = body | {"id": new_id()}
    response = api.post(f"/api/v1/contacts/{contact_id}/notes", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert count(app, Interaction) == 0 and count(app, FollowUp) == 0


def test_a_follow_up_alone_is_a_valid_note(api, ada, factories):
    contact_id = factories.manual_contact(ada, "Carol Cole")
    body = {"id": new_id(), "body": "", "follow_up": {"what": "Call", "due_on": "2030-01-01"}}
    response = api.post(f"/api/v1/contacts/{contact_id}/notes", json=body)
    assert response.status_code == 201
    assert response.get_json()["note"]["follow_up"]["what"] == "Call"


def test_a_note_on_an_unknown_contact_is_404(api, app, ada):
    response = api.post("/api/v1/contacts/424242/notes", json={"id": new_id(), "body": "hi"})
    assert response.status_code == 404
    assert count(app, Interaction) == 0


def test_a_note_can_follow_a_scan_by_the_scan_id(api, app, ada, bob):
    scan_id = new_id()
    contact_id = scan(api, bob.badge_token, scan_id).get_json()["contact"]["id"]
    body = {"id": new_id(), "body": "Met at the coffee stand", "kind": "meeting"}
    first = api.post(f"/api/v1/scans/{scan_id.upper()}/notes", json=body)
    assert first.status_code == 201
    assert first.get_json()["note"]["contact_id"] == contact_id
    assert first.get_json()["note"]["kind"] == "meeting"
    replay = api.post(f"/api/v1/scans/{scan_id}/notes", json=body)
    assert (replay.status_code, replay.get_json()) == (200, first.get_json())
    assert count(app, Interaction, Interaction.kind == "meeting") == 1


def test_a_note_for_a_scan_that_never_arrived_is_404(api, app, ada, factories):
    body = {"id": new_id(), "body": "hi"}
    response = api.post(f"/api/v1/scans/{new_id()}/notes", json=body)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "scan_not_found"
    bad = api.post("/api/v1/scans/not-a-uuid/notes", json=body)
    assert bad.status_code == 422 and "scan_client_id" in bad.get_json()["error"]["fields"]
    # A note's id is no scan id either.
    contact_id = factories.manual_contact(ada, "Carol Cole")
    api.post(f"/api/v1/contacts/{contact_id}/notes", json=body)
    other = {"id": new_id(), "body": "again"}
    assert api.post(f"/api/v1/scans/{body['id']}/notes", json=other).status_code == 404
    assert count(app, Interaction) == 1


def test_editing_and_deleting_a_note(api, app, ada, bob, factories):
    contact_id = factories.connect(ada, bob)
    note_id = factories.note(ada, contact_id, "First draft", follow_up="Write back")
    edited = api.patch(f"/api/v1/notes/{note_id}", json={"body": "Second draft"})
    assert edited.status_code == 200
    assert edited.get_json()["note"]["body"] == "Second draft"
    assert api.patch(f"/api/v1/notes/{note_id}", json={"body": ""}).status_code == 422
    assert api.patch(f"/api/v1/notes/{note_id}", json={"body": "x" * 5001}).status_code == 422
    assert api.patch(f"/api/v1/notes/{note_id}", json={}).status_code == 422

    assert api.delete(f"/api/v1/notes/{note_id}").status_code == 204
    assert api.delete(f"/api/v1/notes/{note_id}").status_code == 404
    assert count(app, FollowUp) == 1  # the follow-up stays on the list


def test_scan_records_cannot_be_edited_or_deleted(api, app, ada, bob, factories):
    contact_id = factories.connect(ada, bob)
    met = api.get(f"/api/v1/contacts/{contact_id}").get_json()["timeline"][0]
    assert met["kind"] == "met"
    assert api.patch(f"/api/v1/notes/{met['id']}", json={"body": "x"}).status_code == 404
    assert api.delete(f"/api/v1/notes/{met['id']}").status_code == 404


def test_notes_are_never_visible_to_the_other_side(api, other_api, ada, bob, other_client):
    contact_id = scan(api, bob.badge_token, note="Secret: seems bored").get_json()["contact"]["id"]
    api.post(
        f"/api/v1/contacts/{contact_id}/notes",
        json={
            "id": new_id(),
            "body": "Private musings",
            "follow_up": {"what": "Ping", "due_on": "2030-01-01"},
        },
    )
    login(other_client, bob)
    items = other_api.get("/api/v1/contacts").get_json()["items"]
    theirs = other_api.get(f"/api/v1/contacts/{items[0]['id']}").get_json()
    text = json.dumps(theirs)
    assert "Secret" not in text and "Private musings" not in text and "Ping" not in text
    assert [e["kind"] for e in theirs["timeline"]] == ["met"]
    assert other_api.get("/api/v1/contacts?q=musings").get_json()["items"] == []
    assert other_api.get("/api/v1/follow-ups").get_json()["items"] == []


# --- follow-ups ------------------------------------------------------------------------------


@pytest.fixture
def follow_ups(ada, factories):
    """Three of Ada's follow-ups: overdue, due today and later; and one already done."""
    today = utc_today()
    carol = factories.manual_contact(ada, "Carol Cole")
    dave = factories.manual_contact(ada, "Dave Dunn")
    ids = {}
    for contact, what, due_on in [
        (carol, "later", today + timedelta(days=10)),
        (dave, "overdue", today - timedelta(days=2)),
        (carol, "today", today),
        (dave, "done", today - timedelta(days=5)),
    ]:
        factories.note(ada, contact, f"About {what}", follow_up=what, due_on=due_on)
    with factories.app.app_context():
        for item in db.session.scalars(sa.select(FollowUp)):
            ids[item.what] = item.id
            if item.what == "done":
                item.done_at = datetime.now(UTC)
        db.session.commit()
    return ids | {"carol": carol, "dave": dave}


def test_follow_ups_list_open_ones_overdue_first_with_their_contact(api, follow_ups):
    items = api.get("/api/v1/follow-ups").get_json()["items"]
    assert [item["what"] for item in items] == ["overdue", "today", "later"]
    assert [item["overdue"] for item in items] == [True, False, False]
    assert items[0]["contact"] == {
        "id": follow_ups["dave"],
        "name": "Dave Dunn",
        "url": f"/contacts/{follow_ups['dave']}",
    }


def test_follow_ups_paginate(api, follow_ups):
    first = api.get("/api/v1/follow-ups?per_page=2").get_json()
    second = api.get(first["next"]).get_json()
    assert [i["what"] for i in first["items"] + second["items"]] == ["overdue", "today", "later"]
    assert second["next"] is None


def test_a_done_follow_up_leaves_the_list(api, follow_ups):
    response = api.post(f"/api/v1/follow-ups/{follow_ups['overdue']}/done")
    assert response.status_code == 200
    assert response.get_json()["follow_up"]["done_at"] is not None
    items = api.get("/api/v1/follow-ups").get_json()["items"]
    assert [item["what"] for item in items] == ["today", "later"]
    assert api.post(f"/api/v1/follow-ups/{follow_ups['overdue']}/done").status_code == 200


def test_snoozing_moves_a_follow_up(api, follow_ups):
    today = utc_today()
    url = f"/api/v1/follow-ups/{follow_ups['overdue']}/snooze"
    tomorrow = api.post(url, json={"preset": "tomorrow"}).get_json()["follow_up"]
    assert tomorrow["due_on"] == (today + timedelta(days=1)).isoformat()
    assert tomorrow["overdue"] is False
    next_week = api.post(url, json={"preset": "next_week"}).get_json()["follow_up"]
    assert date.fromisoformat(next_week["due_on"]).weekday() == 0
    chosen = (today + timedelta(days=20)).isoformat()
    assert api.post(url, json={"until": chosen}).get_json()["follow_up"]["due_on"] == chosen
    items = api.get("/api/v1/follow-ups").get_json()["items"]
    assert [item["what"] for item in items] == ["today", "later", "overdue"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"preset": "someday"},
        {"until": "2020-01-01"},
        {"until": utc_today().isoformat()},
        {"until": "tomorrow"},
        {"until": 20300101},
        {"until": "2030-01-01", "preset": "tomorrow"},
    ],
)
def test_bad_snoozes_get_422(api, app, follow_ups, body):
    response = api.post(f"/api/v1/follow-ups/{follow_ups['overdue']}/snooze", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    with app.app_context():
        assert db.session.get(FollowUp, follow_ups["overdue"]).due_on < utc_today()


@pytest.mark.parametrize(
    "url", ["/api/v1/follow-ups/999999/done", "/api/v1/follow-ups/999999/snooze"]
)
def test_unknown_follow_ups_are_404(api, ada, url):
    assert api.post(url, json={"preset": "tomorrow"}).status_code == 404


# --- anonymous -------------------------------------------------------------------------------

ANONYMOUS_CALLS = [
    ("GET", "/api/v1/me"),
    ("POST", "/api/v1/badge/rotate"),
    ("POST", "/api/v1/scans"),
    ("GET", "/api/v1/contacts"),
    ("GET", "/api/v1/contacts/1"),
    ("DELETE", "/api/v1/contacts/1"),
    ("POST", "/api/v1/contacts/1/notes"),
    ("POST", "/api/v1/scans/6f1d1c1e-2a57-4d58-9a7e-1b2c3d4e5f60/notes"),
    ("PATCH", "/api/v1/notes/1"),
    ("DELETE", "/api/v1/notes/1"),
    ("GET", "/api/v1/follow-ups"),
    ("POST", "/api/v1/follow-ups/1/done"),
    ("POST", "/api/v1/follow-ups/1/snooze"),
]


@pytest.mark.parametrize(("method", "url"), ANONYMOUS_CALLS)
def test_anonymous_calls_get_401_json(api, method, url):
    call = {"GET": api.get, "POST": api.post, "PATCH": api.patch, "DELETE": api.delete}[method]
    kwargs = {} if method in ("GET", "DELETE") else {"json": {}}
    response = call(url, **kwargs)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_every_private_route_is_in_the_anonymous_list(app):
    urls = app.url_map.bind("localhost")
    covered = {
        (openapi_path(urls.match(url, method=method, return_rule=True)[0].rule), method)
        for method, url in ANONYMOUS_CALLS
    }
    core = {(path, method) for path, method in api_routes(app) if path in PATHS}
    assert covered == core - {("/api/v1/csrf-token", "GET")}


# --- query counts ----------------------------------------------------------------------------


def queries_for(app, api, url: str) -> int:
    """How many SQL statements answering ``url`` runs."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert api.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_lists_and_a_contact_run_as_many_queries_for_many_contacts_as_for_few(
    app, api, ada, factories
):
    def grow(n):
        for _ in range(n):
            contact_id = factories.connect(ada, factories.user())
            factories.note(ada, contact_id, "A note", follow_up="Call")
            factories.note(ada, contact_id, "Another note")
        return contact_id

    few_contact = grow(2)
    few = [queries_for(app, api, url) for url in ("/api/v1/contacts", "/api/v1/follow-ups")]
    few.append(queries_for(app, api, f"/api/v1/contacts/{few_contact}"))
    for _ in range(3):
        factories.note(ada, few_contact, "More", follow_up="More")
    grow(8)
    many = [queries_for(app, api, url) for url in ("/api/v1/contacts", "/api/v1/follow-ups")]
    many.append(queries_for(app, api, f"/api/v1/contacts/{few_contact}"))
    assert many == few


def test_unknown_api_urls_and_methods_answer_json(client, ada):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    wrong_method = client.put("/api/v1/scans", json={})
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in wrong_method.headers["Allow"]


def test_a_scan_rolled_back_by_its_request_leaves_nothing_behind(app, ada, bob):
    """The savepoint inside ``scan_badge`` nests in the request's transaction, on SQLite too."""
    from webapp.services.connections import scan_badge

    with app.app_context():
        scan_badge(db.session.get(User, ada.id), bob.badge_token, client_id=new_id())
        db.session.rollback()
    assert count(app, Connection) == 0
    assert count(app, Contact) == 0 and count(app, Interaction) == 0
