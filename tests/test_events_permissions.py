"""The permission matrix: every organizer route, for everyone who must not use it.

An anonymous visitor, an organizer of another event and a plain attendee (and, for owner-only
routes, a co-organizer) can neither read nor change anything: pages send anonymous visitors
to log in, the API answers 401, and everyone else gets a 404 (never 403, so ids leak
nothing). Each attempt sends a valid CSRF token and a plausible body, and the whole database
is compared before and after, so a missing check would show up as a change.
"""

from __future__ import annotations

import io
import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import ApiClient, csrf_token, login
from webapp.extensions import db
from webapp.models import ImportBatch, Membership

RANK = {"anonymous": 0, "outsider": 1, "attendee": 2, "organizer": 3, "owner": 4}

CSV = b"Name,Email\nMallory,mallory@example.org\n"

# (method, url template, kind of body, least role allowed). Member routes are covered by the
# outsider and anonymous rows; organizer routes by everyone below organizer.
ROUTES = [
    ("GET", "/events/{slug}/edit", None, "organizer"),
    ("POST", "/events/{slug}/edit", "event_form", "organizer"),
    ("POST", "/events/{slug}/delete", "form", "owner"),
    ("GET", "/events/{slug}/organizers", None, "owner"),
    ("POST", "/events/{slug}/organizers", "organizer_email", "owner"),
    ("POST", "/events/{slug}/organizers/invite", "form", "owner"),
    ("POST", "/events/{slug}/members/{attendee_membership}/role", "role_owner", "owner"),
    ("POST", "/events/{slug}/members/{attendee_membership}/remove", "form", "owner"),
    ("GET", "/events/{slug}/poster", None, "organizer"),
    ("GET", "/events/{slug}/spaces", None, "organizer"),
    ("GET", "/events/{slug}/spaces/new", None, "organizer"),
    ("POST", "/events/{slug}/spaces/new", "space_form", "organizer"),
    ("GET", "/events/{slug}/spaces/{space_id}/edit", None, "organizer"),
    ("POST", "/events/{slug}/spaces/{space_id}/edit", "space_form", "organizer"),
    ("POST", "/events/{slug}/spaces/{space_id}/delete", "form", "organizer"),
    ("GET", "/events/{slug}/spaces/{space_id}/poster", None, "organizer"),
    ("GET", "/events/{slug}/attendees", None, "organizer"),
    ("POST", "/events/{slug}/claim-emails", "form", "organizer"),
    ("GET", "/events/{slug}/claim-letters", None, "organizer"),
    ("GET", "/events/{slug}/badges.pdf", None, "organizer"),
    ("GET", "/events/{slug}/import", None, "organizer"),
    ("POST", "/events/{slug}/import", "csv_upload", "organizer"),
    ("GET", "/events/{slug}/import/{batch_id}", None, "organizer"),
    ("POST", "/events/{slug}/import/{batch_id}/commit", "form", "organizer"),
    ("GET", "/events/{slug}/checkin", None, "organizer"),
    ("GET", "/events/{slug}/checkin?q=Att", None, "organizer"),
    ("POST", "/events/{slug}/checkin/{attendee_membership}", "form", "organizer"),
    ("GET", "/events/{slug}/dashboard", None, "organizer"),
    ("GET", "/events/{slug}", None, "attendee"),
    ("GET", "/events/{slug}/directory", None, "attendee"),
    ("POST", "/events/{slug}/listing", "listing", "attendee"),
    # The JSON API.
    ("GET", "/api/v1/events/{event_id}", None, "attendee"),
    ("PATCH", "/api/v1/events/{event_id}", "json_event", "organizer"),
    ("DELETE", "/api/v1/events/{event_id}", None, "owner"),
    ("GET", "/api/v1/events/{event_id}/spaces", None, "attendee"),
    ("POST", "/api/v1/events/{event_id}/spaces", "json_space", "organizer"),
    ("PATCH", "/api/v1/events/{event_id}/spaces/{space_id}", "json_space", "organizer"),
    ("DELETE", "/api/v1/events/{event_id}/spaces/{space_id}", None, "organizer"),
    ("GET", "/api/v1/events/{event_id}/memberships", None, "organizer"),
    ("PATCH", "/api/v1/events/{event_id}/memberships/{attendee_membership}", "json_role", "owner"),
    ("DELETE", "/api/v1/events/{event_id}/memberships/{attendee_membership}", None, "owner"),
    ("POST", "/api/v1/events/{event_id}/imports", "api_csv", "organizer"),
    ("POST", "/api/v1/events/{event_id}/imports/{batch_id}/commit", "json_empty", "organizer"),
    ("POST", "/api/v1/events/{event_id}/checkins", "json_checkin", "organizer"),
    ("GET", "/api/v1/events/{event_id}/checkins", None, "organizer"),
    ("GET", "/api/v1/events/{event_id}/stats", None, "organizer"),
]

CASES = [
    pytest.param(method, url, body, actor, id=f"{actor}-{method}-{url}")
    for method, url, body, least in ROUTES
    for actor in ("anonymous", "outsider", "attendee", "organizer")
    if RANK[actor] < RANK[least]
]


@pytest.fixture
def world(factories, app):
    """An event with an owner, a co-organizer, an attendee, a space and a pending import;
    and an outsider who organizes another event."""
    owner = factories.user(name="Owner")
    organizer = factories.user(name="Co Organizer")
    attendee = factories.user(name="Attendee Ann")
    outsider = factories.user(name="Other Organizer")
    event_id = factories.event(owner, name="Target", slug="target")
    factories.event(outsider, name="Elsewhere", slug="elsewhere")
    factories.member(event_id, organizer, role="organizer")
    attendee_membership = factories.member(event_id, attendee)
    space_id, _ = factories.space(event_id, "Hall")
    with app.app_context():
        batch = ImportBatch(event_id=event_id, created_by_id=owner.id, content=CSV.decode())
        db.session.add(batch)
        db.session.commit()
        batch_id = batch.id
    return {
        "users": {"outsider": outsider, "attendee": attendee, "organizer": organizer},
        "attendee": attendee,
        "ids": {
            "slug": "target",
            "event_id": event_id,
            "space_id": space_id,
            "batch_id": batch_id,
            "attendee_membership": attendee_membership,
        },
    }


def database_snapshot(app) -> dict:
    """Every row of every table, so any change at all is visible."""
    with app.app_context():
        db.session.remove()
        return {
            table.name: sorted(
                tuple(str(value) for value in row)
                for row in db.session.execute(sa.select(table)).all()
            )
            for table in db.metadata.sorted_tables
        }


def request_body(kind, world, client):
    """Keyword arguments for the request: a plausible body of the given kind."""
    token = csrf_token(client)
    form = {"csrf_token": token}
    bodies = {
        None: {},
        "form": {"data": form},
        "event_form": {
            "data": form
            | {
                "name": "Hacked",
                "slug": "hacked",
                "starts_on": "2026-01-01",
                "ends_on": "2026-01-02",
                "timezone": "UTC",
            }
        },
        "organizer_email": {"data": form | {"email": world["attendee"].email}},
        "role_owner": {"data": form | {"role": "owner"}},
        "space_form": {"data": form | {"name": "Hacked", "kind": "room"}},
        "csv_upload": {
            "data": form | {"file": (io.BytesIO(CSV), "a.csv")},
            "content_type": "multipart/form-data",
        },
        "listing": {"data": form | {"listed": "1"}},
        "json_event": {"json": {"name": "Hacked"}},
        "json_space": {"json": {"name": "Hacked", "kind": "room"}},
        "json_role": {"json": {"role": "owner"}},
        "json_empty": {"json": {}},
        "json_checkin": {
            "json": {
                "id": str(uuid.uuid4()),
                "code": world["attendee"].badge_token,
                "checked_in_at": "2026-01-01T10:00:00Z",
            }
        },
        "api_csv": {"data": CSV, "content_type": "text/csv"},
    }
    return dict(bodies[kind])


@pytest.mark.parametrize(("method", "url", "body", "actor"), CASES)
def test_nobody_without_the_role_can_read_or_change(client, app, world, method, url, body, actor):
    if actor != "anonymous":
        login(client, world["users"][actor])
    url = url.format(**world["ids"])
    kwargs = request_body(body, world, client)
    if url.startswith("/api/"):
        kwargs["headers"] = {"X-CSRFToken": csrf_token(client)}
    before = database_snapshot(app)
    response = client.open(url, method=method, **kwargs)
    if actor == "anonymous":
        if url.startswith("/api/"):
            assert response.status_code == 401
            assert response.get_json()["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302
            assert "/login" in response.location
    else:
        assert response.status_code == 404, response.get_data(as_text=True)[:300]
        body_text = response.get_data(as_text=True)
        assert "Target" not in body_text and "Attendee Ann" not in body_text
    assert database_snapshot(app) == before


def test_the_matrix_covers_every_organizer_route(app):
    """A new organizer route must be added to the matrix above."""
    documented = {url.split("?")[0] for _, url, _, _ in ROUTES}
    public_or_self = {
        "/events",
        "/events/new",
        "/invite/<token>",
        "/j/<token>",
        "/s/<token>",
        "/s/<token>/leave",
        "/claim/<token>",
        "/api/v1/events",
        "/api/v1/events/join",
        "/api/v1/spaces/checkins",
        "/api/v1/spaces/checkins/current",
        "/api/v1/meeting-context",
    }
    rules = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("events.", "events_api.")) and rule.rule not in public_or_self:
            path = rule.rule
            for name, value in (
                ("<slug>", "{slug}"),
                ("<int:event_id>", "{event_id}"),
                ("<int:space_id>", "{space_id}"),
                ("<int:batch_id>", "{batch_id}"),
                ("<int:membership_id>", "{attendee_membership}"),
            ):
                path = path.replace(name, value)
            rules.add(path)
    assert rules <= documented, rules - documented


def test_organizers_can_use_what_the_matrix_forbids_others(client, world, factories):
    """The matrix is no tautology: the right role gets through the same requests."""
    login(client, world["users"]["organizer"])
    for url in (
        "/events/target/attendees",
        "/events/target/dashboard",
        "/events/target/checkin",
        "/events/target/spaces",
        f"/events/target/import/{world['ids']['batch_id']}",
    ):
        assert client.get(url).status_code == 200, url
    api = ApiClient(client)
    assert api.get(f"/api/v1/events/{world['ids']['event_id']}/stats").status_code == 200


def test_notes_never_reach_organizers(client, world, factories, app):
    """Organizer pages and stats show aggregates only: no note text, no pairs."""
    ann = world["attendee"]
    bob = factories.user(name="Bob Private")
    event_id = world["ids"]["event_id"]
    factories.member(event_id, bob)
    contact_id = factories.connect(ann, bob)
    factories.note(ann, contact_id, "SECRET-NOTE-TEXT", follow_up="send the deck")
    login(client, world["users"]["organizer"])
    pages = [
        client.get("/events/target/dashboard").get_data(as_text=True),
        client.get(f"/api/v1/events/{event_id}/stats").get_data(as_text=True),
        client.get("/events/target/spaces").get_data(as_text=True),
    ]
    for page in pages:
        assert "SECRET-NOTE-TEXT" not in page and "send the deck" not in page
        assert "Bob Private" not in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) >= 4
