"""Accessibility (axe-core) and phone screenshots of the floor pages, in a real browser."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.harness import log_in, screenshot, wait_for_service_worker
from webapp.extensions import db
from webapp.models import Contact

pytestmark = pytest.mark.e2e

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text()


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; one line per violation and the elements it concerns."""
    # Evaluated through the DevTools protocol: the app's CSP (rightly) refuses injected tags.
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


def seed_contacts(factories, user) -> int:
    """A few contacts with notes and follow-ups, as after a day at a conference."""
    people = [
        ("Grace Hopper", "Compilers, COBOL and nanoseconds", "Navy"),
        ("Katherine Johnson", "Trajectories that land", "NASA"),
        ("Alan Kay", "Personal computing for children", "Viewpoints"),
    ]
    first = None
    for n, (name, headline, company) in enumerate(people):
        person = factories.user(name, headline=headline, company=company)
        contact_id = factories.connect(user, person)
        first = first or contact_id
        factories.note(
            user,
            contact_id,
            f"Talked about {headline.lower()}.",
            follow_up=f"Send {name.split()[0]} the offline-sync write-up",
            due_on=date.today() + timedelta(days=n - 1),
        )
    return first


def test_the_floor_pages_have_no_accessibility_violations(
    factories, launch_browser, new_page, camera_file
):
    user = factories.user("Ada Lovelace", headline="Analytical engines")
    contact_id = seed_contacts(factories, user)
    page = new_page(launch_browser(camera_file(None)))
    page.goto("/login")
    problems = {"/login": axe_violations(page)}
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    for path in (
        "/badge",
        "/scan",
        "/contacts",
        f"/contacts/{contact_id}",
        "/follow-ups",
        "/outbox",
    ):
        page.goto(path)
        if path == "/scan":
            page.locator("[data-scanner-view]").wait_for()
        problems[path] = axe_violations(page)
    report = [f"{path}: {line}" for path, found in problems.items() for line in found]
    assert not report, "\n".join(report)


def test_phone_screenshots_of_badge_scan_sheet_contacts_and_follow_ups(
    factories, live_server, launch_browser, new_page, camera_file
):
    user = factories.user("Ada Lovelace", headline="Analytical engines", company="Babbage & Co")
    seed_contacts(factories, user)
    newcomer = factories.user("Margaret Hamilton", headline="Software engineering", company="MIT")
    page = new_page(launch_browser(camera_file(f"{live_server}/c/{newcomer.badge_token}")), user)

    page.goto("/badge")
    wait_for_service_worker(page)
    shots = [screenshot(page, "badge")]
    page.goto("/scan")
    page.locator("[data-sheet-title]").filter(has_text="Margaret Hamilton").wait_for()
    page.fill("#quick-note", "Error recovery in flight software; wants our sync design.")
    page.locator("label[for=fu-week]").click()
    shots.append(screenshot(page, "scan-sheet"))
    page.click("[data-sheet-save]")
    page.locator("[data-toast]").wait_for()
    page.goto("/contacts")
    shots.append(screenshot(page, "contacts"))
    page.goto("/follow-ups")
    shots.append(screenshot(page, "follow-ups"))
    page.context.set_offline(True)
    page.goto("/contacts")
    page.locator("[data-offline-banner]").wait_for()
    shots.append(screenshot(page, "contacts-offline"))
    assert all(shot.stat().st_size > 10_000 for shot in shots)


def test_timeline_times_are_shown_in_the_phones_own_time_zone(
    app, factories, live_server, launch_browser
):
    user = factories.user("Ada Abroad")
    contact_id = factories.connect(user, factories.user("Grace Local"))
    with app.app_context():
        met_at = db.session.get(Contact, contact_id).met_at
    # Kolkata is UTC+05:30 all year: the minutes change as well as the hour.
    context = launch_browser().new_context(
        base_url=live_server, timezone_id="Asia/Kolkata", locale="en-GB"
    )
    page = context.new_page()
    log_in(page, live_server, user)
    page.goto(f"/contacts/{contact_id}")
    moment = page.locator("time[data-local-time]").first
    local = met_at.astimezone(ZoneInfo("Asia/Kolkata"))
    assert f"{local:%H:%M}" in moment.inner_text()
    assert moment.get_attribute("title").endswith(f"{met_at:%H:%M} UTC")
