"""The conference floor in a real browser: scan a badge, save a note, offline and online."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.e2e.harness import outbox_entries, screenshot, wait_for_service_worker
from webapp.extensions import db
from webapp.models import Connection, Contact, FollowUp, Interaction

pytestmark = pytest.mark.e2e


def badge_url(live_server: str, user) -> str:
    """The URL a user's printed badge encodes."""
    return f"{live_server}/c/{user.badge_token}"


def contacts_of(app, user) -> list[Contact]:
    """The contacts ``user`` owns."""
    with app.app_context():
        return list(db.session.scalars(sa.select(Contact).where(Contact.owner_id == user.id)))


def notes_of(app, user) -> list[Interaction]:
    """The notes ``user`` wrote."""
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Interaction).where(
                    Interaction.owner_id == user.id, Interaction.kind == Interaction.KIND_NOTE
                )
            )
        )


def open_sheet(page):
    """Wait for the quick-note sheet that opens after a scan."""
    sheet = page.locator("[data-sheet]")
    sheet.wait_for(state="visible")
    return sheet


def test_online_scan_then_note_connects_both_people_and_keeps_the_note_private(
    app, factories, live_server, launch_browser, new_page, camera_file
):
    scanner = factories.user("Ada Scanner")
    scanned = factories.user("Grace Scanned", headline="Compiler person")
    browser = launch_browser(camera_file(badge_url(live_server, scanned)))
    page = new_page(browser, scanner)

    page.goto("/scan")
    sheet = open_sheet(page)
    page.locator("[data-sheet-title]").filter(has_text="Grace Scanned").wait_for()
    assert "Connected" in sheet.locator("[data-sheet-state]").text_content()
    page.fill("#quick-note", "Talked about compilers for tiny devices")
    page.locator("label[for=fu-tomorrow]").click()
    page.click("[data-sheet-save]")
    page.locator("[data-toast]").filter(has_text="Note saved").wait_for()
    page.wait_for_function("() => document.getElementById('sync-status').hidden")
    assert sheet.is_hidden()
    assert "Ready for the next badge" in page.locator("[data-status]").inner_text()
    # The badge is still in front of the camera: it counted once and does not fire again.
    page.wait_for_timeout(800)
    assert sheet.is_hidden()

    mine = contacts_of(app, scanner)
    theirs = contacts_of(app, scanned)
    assert [c.person_id for c in mine] == [scanned.id]
    assert [c.person_id for c in theirs] == [scanner.id]
    notes = notes_of(app, scanner)
    assert [n.body for n in notes] == ["Talked about compilers for tiny devices"]
    assert notes[0].contact_id == mine[0].id
    assert notes_of(app, scanned) == []
    with app.app_context():
        scans = db.session.scalars(
            sa.select(Interaction.kind).where(Interaction.owner_id == scanner.id)
        ).all()
        assert sorted(scans) == ["met", "note"]
        follow_up = db.session.scalar(sa.select(FollowUp))
        assert follow_up.owner_id == scanner.id
        assert follow_up.due_on == date.today() + timedelta(days=1)
    assert outbox_entries(page) == []


def test_offline_scan_and_note_sync_exactly_once_with_the_original_scan_time(
    app, factories, live_server, launch_browser, new_page, camera_file
):
    scanner = factories.user("Ada Scanner")
    scanned = factories.user("Grace Scanned")
    browser = launch_browser(camera_file(badge_url(live_server, scanned)))
    # No camera yet: visit the floor pages online so the service worker keeps them.
    page = new_page(browser, scanner, camera=False)
    wait_for_service_worker(page)
    assert page.goto("/contacts").ok
    assert page.goto("/scan").ok
    page.locator("[data-camera-help]").wait_for()

    context = page.context
    context.set_offline(True)
    context.grant_permissions(["camera"])
    response = page.goto("/scan")
    assert response.from_service_worker
    sheet = open_sheet(page)
    assert "Saved on this device" in sheet.locator("[data-sheet-state]").text_content()
    page.fill("#quick-note", "Offline chat by the coffee machine")
    page.click("[data-sheet-save]")
    page.locator("[data-toast]").filter(has_text="will sync later").wait_for()

    # The camera still films the same badge: take it away before reloading the scanner.
    context.clear_permissions()
    response = page.reload()
    assert response.from_service_worker
    status = page.locator("#sync-status")
    status.filter(has_text="2 waiting to sync").wait_for()
    entries = outbox_entries(page)
    assert sorted(e["kind"] for e in entries) == ["note", "scan"]
    scanned_at = datetime.fromisoformat(
        next(e for e in entries if e["kind"] == "scan")["body"]["scanned_at"]
    )
    assert contacts_of(app, scanner) == []

    page.wait_for_timeout(1200)  # let the clock move on, so sync time differs from scan time
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('sync-status').hidden")
    # Going online again (or a second tab) must not send anything twice.
    page.reload()
    page.wait_for_timeout(300)

    mine = contacts_of(app, scanner)
    assert len(mine) == 1 and mine[0].person_id == scanned.id
    assert len(contacts_of(app, scanned)) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Connection.id))) == 1
    notes = notes_of(app, scanner)
    assert [n.body for n in notes] == ["Offline chat by the coffee machine"]
    assert abs(mine[0].met_at - scanned_at) < timedelta(seconds=1)
    assert notes[0].happened_at == mine[0].met_at
    assert outbox_entries(page) == []


def test_a_foreign_qr_code_is_refused_and_never_opened(
    app, factories, live_server, launch_browser, new_page, camera_file
):
    scanner = factories.user()
    browser = launch_browser(camera_file("https://example.com/win-a-prize"))
    page = new_page(browser, scanner)
    page.goto("/scan")
    status = page.locator("[data-status]")
    status.filter(has_text="This is not a Rapport badge").wait_for()
    assert page.url == f"{live_server}/scan"
    assert page.locator("[data-sheet]").is_hidden()
    assert outbox_entries(page) == []
    assert contacts_of(app, scanner) == []


def test_with_the_camera_refused_manual_entry_still_connects(
    app, factories, live_server, launch_browser, new_page, camera_file
):
    scanner = factories.user("Ada Scanner")
    scanned = factories.user("Grace Scanned")
    browser = launch_browser(camera_file(None))
    page = new_page(browser, scanner, camera=False)
    page.goto("/scan")
    help_panel = page.locator("[data-camera-help]")
    help_panel.wait_for()
    assert "refused" in help_panel.inner_text()
    assert "Allow" in help_panel.inner_text()
    screenshot(page, "scan-camera-refused")

    page.fill("#manual-code", "https://elsewhere.example/c/" + scanned.badge_token)
    page.click("[data-manual-form] button[type=submit]")
    page.locator("[data-status]").filter(has_text="not a Rapport badge").wait_for()

    page.fill("#manual-code", badge_url(live_server, scanned))
    page.click("[data-manual-form] button[type=submit]")
    page.locator("[data-sheet-title]").filter(has_text="Grace Scanned").wait_for()
    assert [c.person_id for c in contacts_of(app, scanner)] == [scanned.id]
    assert [c.person_id for c in contacts_of(app, scanned)] == [scanner.id]


PARSE_CODES = """async (samples) => {
    const { parseCode } = await import('/static/js/codes.js');
    return samples.map((text) => parseCode(text));
}"""


def test_the_scanner_knows_our_codes_and_follows_only_join_links(
    factories, live_server, launch_browser, new_page
):
    page = new_page(launch_browser(), factories.user(), camera=False)
    page.goto("/scan")
    token = "Tok3n_with-dashes_0123"
    samples = [
        f"{live_server}/c/{token}",
        token,
        f"{live_server}/s/{token}/",
        f"{live_server}/j/{token}",
        f"https://rapport.example.org/c/{token}",
        f"javascript:alert('{token}')",
        "WIFI:S:Venue;T:WPA;P:hunter22;;",
        f"{live_server}/c/short",
        f"{live_server}/profile",
    ]
    parsed = page.evaluate(PARSE_CODES, samples)
    assert [p and (p["kind"], p["token"]) for p in parsed] == [
        ("badge", token),
        ("badge", token),
        ("space", token),
        ("join", token),
        None,
        None,
        None,
        None,
        None,
    ]

    # An event's join code opens its join page (on this server, never elsewhere).
    page.fill("#manual-code", f"{live_server}/j/{token}")
    with page.expect_navigation():
        page.click("[data-manual-form] button[type=submit]")
    assert page.url == f"{live_server}/j/{token}"
