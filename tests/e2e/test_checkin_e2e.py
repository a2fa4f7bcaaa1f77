"""Door check-in in a real browser: the fake camera shows a badge, online and offline."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.e2e.harness import outbox_entries, wait_for_service_worker
from webapp.extensions import db
from webapp.models import DoorCheckIn, Membership

pytestmark = pytest.mark.e2e


def door_setup(factories):
    """An event with a door organizer and one registered attendee; returns the three."""
    owner = factories.user("Olga Owner")
    event_id = factories.event(owner, name="PyCon", slug="pycon")
    staff = factories.user("Door Dan")
    factories.member(event_id, staff, role="organizer")
    attendee = factories.user("Ada Attendee", company="Analytical")
    membership_id = factories.member(event_id, attendee)
    return staff, attendee, membership_id


def check_in_state(app, membership_id):
    """``(checked_in_at, checked_in_by_id, number of door records)`` of a membership."""
    with app.app_context():
        membership = db.session.get(Membership, membership_id)
        records = db.session.scalar(sa.select(sa.func.count(DoorCheckIn.id)))
        return membership.checked_in_at, membership.checked_in_by_id, records


def test_scanning_a_badge_at_the_door_checks_the_attendee_in(
    app, factories, live_server, launch_browser, new_page, camera_file
):
    staff, attendee, membership_id = door_setup(factories)
    browser = launch_browser(camera_file(f"{live_server}/c/{attendee.badge_token}"))
    page = new_page(browser, staff)

    page.goto("/events/pycon/checkin")
    page.locator("[data-toast]").filter(has_text="Ada Attendee checked in.").wait_for()
    assert "1 in so far" in page.locator("[data-status]").inner_text()
    checked_in_at, checked_in_by, records = check_in_state(app, membership_id)
    assert checked_in_at is not None and checked_in_by == staff.id and records == 1
    # The live count on the page catches up by polling.
    page.locator("[data-checked-in]").filter(has_text="1").wait_for(timeout=12_000)
    assert outbox_entries(page) == []


def test_an_offline_door_scan_syncs_once_with_its_scan_time(
    app, factories, live_server, launch_browser, new_page, camera_file
):
    staff, attendee, membership_id = door_setup(factories)
    browser = launch_browser(camera_file(f"{live_server}/c/{attendee.badge_token}"))
    # Visit the check-in page online without the camera, so the service worker keeps it.
    page = new_page(browser, staff, camera=False)
    wait_for_service_worker(page)
    assert page.goto("/events/pycon/checkin").ok
    page.locator("[data-camera-help]").wait_for()

    context = page.context
    context.set_offline(True)
    context.grant_permissions(["camera"])
    response = page.reload()
    assert response.from_service_worker
    page.locator("[data-status]").filter(has_text="saved on this device").wait_for()
    context.clear_permissions()
    entries = outbox_entries(page)
    assert [e["kind"] for e in entries] == ["checkin"]
    scanned_at = datetime.fromisoformat(entries[0]["body"]["checked_in_at"])
    assert check_in_state(app, membership_id) == (None, None, 0)

    page.wait_for_timeout(1200)  # the clock moves on: the sync time differs from the scan time
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('sync-status').hidden")
    page.reload()
    page.wait_for_timeout(300)

    checked_in_at, checked_in_by, records = check_in_state(app, membership_id)
    assert records == 1 and checked_in_by == staff.id
    assert abs(checked_in_at - scanned_at) < timedelta(seconds=1)
    assert outbox_entries(page) == []
