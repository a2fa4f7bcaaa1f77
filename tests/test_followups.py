"""The follow-ups page: open follow-ups by date, overdue first; done, snooze and undo."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, login
from webapp.extensions import db
from webapp.models import FollowUp


def page_text(response) -> str:
    """The response body as the text a person reads (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def post(client, url, **data):
    """Submit a form the way a browser does, with the session's CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def follow_up_id(app, what: str) -> int:
    """The id of the follow-up called ``what``."""
    with app.app_context():
        return db.session.scalar(sa.select(FollowUp.id).where(FollowUp.what == what))


def stored(app, follow_up: int) -> FollowUp:
    """A follow-up as stored now (detached, for reading)."""
    with app.app_context():
        found = db.session.get(FollowUp, follow_up)
        db.session.expunge(found)
        return found


@pytest.fixture
def ada_with_follow_ups(app, client, factories):
    """Ada, logged in, with follow-ups due in the past, today and later for two contacts."""
    ada = factories.user(name="Ada Lovelace")
    bob = factories.connect(ada, factories.user(name="Bob Byte"))
    carol = factories.manual_contact(ada, "Carol Crane")
    today = date.today()
    factories.note(ada, bob, "n1", follow_up="Later thing", due_on=today + timedelta(days=20))
    factories.note(ada, carol, "n2", follow_up="Late thing", due_on=today - timedelta(days=3))
    factories.note(ada, bob, "n3", follow_up="Today thing", due_on=today)
    factories.note(ada, bob, "n4", follow_up="Soon thing", due_on=today + timedelta(days=2))
    login(client, ada)
    return {"ada": ada, "bob": bob, "carol": carol}


def test_an_empty_list_explains_follow_ups(client, factories):
    login(client, factories.user())
    assert "Nothing to follow up" in page_text(client.get("/follow-ups"))


def test_open_follow_ups_by_due_date_overdue_first_and_marked(client, ada_with_follow_ups):
    body = page_text(client.get("/follow-ups"))
    order = [
        body.index(what) for what in ["Late thing", "Today thing", "Soon thing", "Later thing"]
    ]
    assert order == sorted(order)
    overdue_section = body[body.index('id="group-overdue"') : body.index('id="group-today"')]
    assert "Late thing" in overdue_section and "Overdue" in overdue_section
    assert body.count('<span class="badge-pill overdue">Overdue</span>') == 1
    assert f'href="/contacts/{ada_with_follow_ups["carol"]}">Carol Crane</a>' in body
    assert f'href="/contacts/{ada_with_follow_ups["bob"]}">Bob Byte</a>' in body
    assert "4 open" in body


def test_marking_done_moves_it_to_done_recently_and_undo_brings_it_back(
    app, client, ada_with_follow_ups
):
    late = follow_up_id(app, "Late thing")
    response = post(client, f"/follow-ups/{late}/done", next="/follow-ups")
    assert response.status_code == 302 and response.location == "/follow-ups"
    body = page_text(client.get("/follow-ups"))
    assert "Done: Late thing" in body
    done_section = body[body.index("Done recently") :]
    assert "Late thing" in done_section and "Overdue" not in body.replace("Done: Late thing", "")
    assert stored(app, late).done_at is not None

    post(client, f"/follow-ups/{late}/reopen", next="/follow-ups")
    assert stored(app, late).done_at is None
    assert "Back on your list: Late thing" in page_text(client.get("/follow-ups"))


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("tomorrow", lambda today: today + timedelta(days=1)),
        ("next_week", lambda today: today + timedelta(days=7 - today.weekday())),
    ],
)
def test_snoozing_to_tomorrow_or_next_week(app, client, ada_with_follow_ups, choice, expected):
    late = follow_up_id(app, "Late thing")
    response = post(client, f"/follow-ups/{late}/snooze", choice=choice, next="/follow-ups")
    assert response.status_code == 302
    new_due = stored(app, late).due_on
    assert new_due == expected(date.today())
    assert new_due.weekday() == 0 or choice == "tomorrow"
    assert "Snoozed until" in page_text(client.get("/follow-ups"))


def test_snoozing_to_a_chosen_date(app, client, ada_with_follow_ups):
    late = follow_up_id(app, "Late thing")
    chosen = date.today() + timedelta(days=40)
    response = post(client, f"/follow-ups/{late}/snooze", choice="date", until=chosen.isoformat())
    assert response.status_code == 302 and response.location == "/follow-ups"
    assert stored(app, late).due_on == chosen
    body = page_text(client.get("/follow-ups"))
    assert "Overdue" not in body.split("Snoozed until", 1)[1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choice": "date", "until": "yesterday"}, "Enter a real date, like 2026-12-01."),
        ({"choice": "date", "until": "2026-02-30"}, "Enter a real date, like 2026-12-01."),
        ({"choice": "date", "until": ""}, "Pick the date to snooze until."),
        ({"choice": "date"}, "Pick the date to snooze until."),
        ({"choice": "date", "until": "PAST"}, "That date has passed. Pick today or a later date."),
        ({"choice": "date", "until": "9999-12-31"}, "Pick a date within the next five years."),
        ({"choice": "forever"}, "Choose tomorrow, next week or a date."),
        ({}, "Choose tomorrow, next week or a date."),
    ],
)
def test_bad_snooze_dates_are_refused_with_a_clear_message(
    app, client, ada_with_follow_ups, data, message
):
    late = follow_up_id(app, "Late thing")
    before = stored(app, late).due_on
    if data.get("until") == "PAST":
        data = {**data, "until": (date.today() - timedelta(days=1)).isoformat()}
    response = post(client, f"/follow-ups/{late}/snooze", **data)
    assert response.status_code == 422
    body = page_text(response)
    assert message in body
    assert f'id="snooze-error-{late}"' in body
    assert stored(app, late).due_on == before


def test_done_never_redirects_off_site(app, client, ada_with_follow_ups):
    late = follow_up_id(app, "Late thing")
    response = post(client, f"/follow-ups/{late}/done", next="https://evil.example/")
    assert response.status_code == 302 and response.location == "/follow-ups"


def test_unknown_follow_ups_are_404(client, ada_with_follow_ups):
    for action in ["done", "reopen", "snooze"]:
        assert post(client, f"/follow-ups/999999/{action}", choice="tomorrow").status_code == 404
    assert client.get("/follow-ups/1/done").status_code == 405


def test_follow_ups_are_paginated(app, client, factories):
    ada = factories.user()
    contact = factories.manual_contact(ada, "Carol Crane")
    for n in range(55):
        factories.note(
            ada,
            contact,
            f"n{n}",
            follow_up=f"Task {n:02d}",
            due_on=date.today() + timedelta(days=n),
        )
    login(client, ada)
    first = page_text(client.get("/follow-ups"))
    assert "Task 00" in first and "Task 49" in first and "Task 50" not in first
    assert "Page 1 of 2" in first
    second = page_text(client.get("/follow-ups?page=2"))
    assert "Task 54" in second and "Task 00" not in second
    assert client.get("/follow-ups?page=-1").status_code == 200
