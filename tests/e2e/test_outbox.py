"""The offline outbox: exactly once across tabs and lost responses, refusals kept visible."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.e2e.harness import outbox_entries, screenshot, wait_for_service_worker
from webapp.extensions import db
from webapp.models import Connection, Contact, Interaction

pytestmark = pytest.mark.e2e


def count(app, model, *where) -> int:
    """How many rows of ``model`` match."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def go_offline_on_the_scanner(page) -> None:
    """Save the floor pages while online, then cut the network and open the scanner."""
    wait_for_service_worker(page)
    page.goto("/contacts")
    page.goto("/scan")
    page.locator("[data-camera-help]").wait_for()
    page.context.set_offline(True)
    assert page.goto("/scan").from_service_worker


def type_code(page, code: str) -> None:
    """Use the manual entry form of the scanner."""
    page.fill("#manual-code", code)
    page.click("[data-manual-form] button[type=submit]")


def test_two_tabs_and_a_lost_response_still_sync_exactly_once(
    app, client, api, factories, live_server, launch_browser, new_page
):
    scanner = factories.user("Ada Scanner")
    scanned = factories.user("Grace Scanned")
    page = new_page(launch_browser(), scanner, camera=False)
    go_offline_on_the_scanner(page)
    type_code(page, f"{live_server}/c/{scanned.badge_token}")
    page.locator("[data-sheet]").wait_for()
    page.fill("#quick-note", "Queued while offline")
    page.click("[data-sheet-save]")
    page.locator("#sync-status").filter(has_text="2 waiting to sync").wait_for()
    second_tab = page.context.new_page()
    assert second_tab.goto("/contacts").from_service_worker
    second_tab.locator("#sync-status").filter(has_text="2 waiting to sync").wait_for()

    # The scan once reached the server but its answer was lost (a reload mid-sync): the
    # same write, with the same client id, arrived from this person's session.
    scan = next(e for e in outbox_entries(page) if e["kind"] == "scan")
    login(client, scanner)
    # (The test client's host is not the live server's, so it sends the bare token.)
    same_scan = {**scan["body"], "code": scanned.badge_token}
    assert api.post(scan["url"], json=same_scan).status_code == 201
    # Both tabs hear "online" at the same moment and replay the whole outbox.
    page.context.set_offline(False)
    for tab in (page, second_tab):
        tab.wait_for_function("() => document.getElementById('sync-status').hidden")

    assert count(app, Connection) == 1
    assert count(app, Contact, Contact.owner_id == scanner.id) == 1
    assert count(app, Interaction, Interaction.kind == Interaction.KIND_NOTE) == 1
    assert outbox_entries(page) == []


def test_a_refused_scan_is_shown_with_its_reason_until_dismissed(
    app, factories, live_server, launch_browser, new_page
):
    scanner = factories.user()
    page = new_page(launch_browser(), scanner, camera=False)
    go_offline_on_the_scanner(page)
    type_code(page, "NoSuchBadgeToken_0123456789")
    page.locator("[data-sheet]").wait_for()
    page.click("[data-sheet-skip]")
    page.locator("#sync-status").filter(has_text="1 waiting to sync").wait_for()

    page.context.set_offline(False)
    status = page.locator("#sync-status")
    status.filter(has_text="1 could not be sent").wait_for()
    page.reload()  # a refusal is permanent: reloading does not make it disappear
    status.filter(has_text="1 could not be sent").wait_for()
    status.locator("a").click()
    entry = page.locator(".outbox-entry[data-status=failed]")
    entry.wait_for()
    assert "Not sent:" in entry.inner_text()
    screenshot(page, "outbox-refused")
    entry.get_by_role("button", name="Dismiss").click()
    page.locator("[data-outbox-empty]").wait_for()
    assert outbox_entries(page) == []
    assert status.is_hidden()
    assert count(app, Contact) == 0
