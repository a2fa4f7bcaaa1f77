"""The organizer dashboard: aggregate numbers only, computed right."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import ApiClient, login
from webapp.extensions import db
from webapp.models import Connection, FollowUp, Membership, SpaceCheckIn


def at(day_hour_minute: str) -> datetime:
    """A UTC time on 10 March 2026 (Berlin is UTC+1 that day), e.g. "10:15"."""
    hour, minute = map(int, day_hour_minute.split(":"))
    return datetime(2026, 3, 10, hour, minute, tzinfo=UTC)


@pytest.fixture
def busy_event(factories, app):
    """Five members (two checked in), three connections at the event, one elsewhere."""
    owner = factories.user(name="Olga")
    event_id = factories.event(owner, name="Conf", slug="conf", timezone="Europe/Berlin")
    ann, ben, cat, dan = (factories.user(name=f"{n} Quill") for n in ("Ann", "Ben", "Cat", "Dan"))
    for person in (ann, ben, cat, dan):
        factories.member(event_id, person)
    space_id, _ = factories.space(event_id, "Data table")
    outsider = factories.user(name="Eve Quill")

    ann_ben = factories.connect(ann, ben, event_id=event_id, space_id=space_id)
    factories.connect(ann, cat, event_id=event_id)
    cat_ben = factories.connect(cat, ben, event_id=event_id)
    factories.connect(outsider, dan)  # Eve is no member: not met at the event
    ann_follow_up = factories.note(ann, ann_ben, "PRIVATE: talk about her thesis", follow_up="x")
    cat_follow_up = factories.note(cat, cat_ben, "PRIVATE: slow one", follow_up="y")
    with app.app_context():
        times = {
            (ann.id, ben.id): at("10:15"),
            (ann.id, cat.id): at("10:40"),
            (ben.id, cat.id): at("12:05"),
        }
        for connection in db.session.scalars(sa.select(Connection)):
            key = (connection.user_low_id, connection.user_high_id)
            connection.created_at = times.get(key, at("09:00"))
        follow_ups = {f.interaction_id: f for f in db.session.scalars(sa.select(FollowUp))}
        follow_ups[ann_follow_up].created_at = at("10:15") + timedelta(days=2)
        follow_ups[cat_follow_up].created_at = at("12:05") + timedelta(days=10)
        for person in (ann, ben):
            db.session.execute(
                sa.update(Membership)
                .where(Membership.user_id == person.id)
                .values(checked_in_at=at("08:30"), checked_in_by_id=owner.id)
            )
        for person in (ann, ben):
            db.session.add(
                SpaceCheckIn(
                    space_id=space_id,
                    user_id=person.id,
                    checked_in_at=at("10:00"),
                    expires_at=at("13:00"),
                )
            )
        db.session.commit()
    return owner, event_id


def test_stats_api_gives_the_right_aggregates(client, busy_event):
    owner, event_id = busy_event
    login(client, owner)
    stats = ApiClient(client).get(f"/api/v1/events/{event_id}/stats").get_json()
    assert stats["registered"] == 5
    assert stats["checked_in"] == 2
    assert stats["members_with_connection"] == 3
    assert stats["members_with_connection_share"] == 0.6
    assert stats["connections"] == 3
    assert stats["connections_with_follow_up_within_7_days"] == 1
    assert stats["follow_up_share"] == pytest.approx(1 / 3, abs=1e-4)
    # Hours in Berlin: 11:00 has two, 12:00 none, 13:00 one.
    assert [(h["hour"][11:16], h["connections"]) for h in stats["connections_per_hour"]] == [
        ("11:00", 2),
        ("12:00", 0),
        ("13:00", 1),
    ]
    assert stats["spaces"] == [
        {
            "id": stats["spaces"][0]["id"],
            "name": "Data table",
            "kind": "room",
            "checkins": 2,
            "here_now": 0,
            "connections": 1,
        }
    ]


def test_dashboard_shows_numbers_and_an_svg_chart_but_nothing_private(client, busy_event):
    owner, _ = busy_event
    login(client, owner)
    page = client.get("/events/conf/dashboard").get_data(as_text=True)
    values = dict(re.findall(r'data-stat="([a-z-]+)">([^<]+)<', page))
    assert values == {
        "registered": "5",
        "checked-in": "2",
        "connected-share": "60%",
        "connections": "3",
        "follow-up-share": "33%",
    }
    chart = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
    assert 'viewBox="0 0 360 200"' in chart  # scales to a phone's width
    assert chart.count("<rect") == 3 and "11:00: 2" in chart
    assert "<script" not in chart and "style=" not in chart
    for private in ("PRIVATE", "thesis", "Quill"):
        assert private not in page


def test_an_empty_event_has_zeros_not_errors(client, factories):
    owner = factories.user()
    event_id = factories.event(owner, slug="quiet")
    login(client, owner)
    page = client.get("/events/quiet/dashboard")
    assert page.status_code == 200 and "No connections yet." in page.get_data(as_text=True)
    stats = client.get(f"/api/v1/events/{event_id}/stats").get_json()
    assert stats["registered"] == 1 and stats["connections"] == 0
    assert stats["follow_up_share"] == 0 and stats["connections_per_hour"] == []
