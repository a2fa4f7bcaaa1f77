"""The installable app without a browser: manifest, service worker, scanner page, outbox."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from flask import render_template
from PIL import Image

from tests.conftest import login
from webapp.pwa.routes import OFFLINE_PAGES, SHELL_STATIC_FILES, scanner_context


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["name"] == "Rapport" and manifest["short_name"] == "Rapport"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/badge" and manifest["scope"] == "/"
    assert manifest["id"] == "/"
    assert manifest["theme_color"] and manifest["background_color"]
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_every_manifest_icon_is_a_png_of_its_stated_size(client):
    for icon in client.get("/manifest.webmanifest").get_json()["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert Image.open(io.BytesIO(response.data)).size == (width, height)
        response.close()


def test_pages_carry_the_ios_tags_and_their_render_time(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'rel="apple-touch-icon"' in html and 'rel="manifest"' in html
    assert 'name="apple-mobile-web-app-capable"' in html
    rendered_at = re.search(r'<meta name="rendered-at" content="([^"]+)">', html).group(1)
    assert datetime.fromisoformat(rendered_at).tzinfo is not None
    touch_icon = client.get("/static/icons/apple-touch-icon.png")
    assert Image.open(io.BytesIO(touch_icon.data)).size == (180, 180)
    touch_icon.close()


def test_service_worker_is_served_at_the_root_and_never_cached_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    script = response.get_data(as_text=True)
    assert re.search(r'const VERSION = "[0-9a-f]{12}";', script)
    assert "rapport-shell-${VERSION}" in script
    assert "/static/vendor/qr-scanner-1.4.2/qr-scanner-worker.min.js" in script
    assert '"/offline"' in script


def test_everything_the_service_worker_precaches_exists(client):
    """One missing file would make the worker's install fail, and nothing work offline."""
    script = client.get("/sw.js").get_data(as_text=True)
    urls = re.findall(r'"(/[^"]+)"', script.split("const SHELL_URLS = ", 1)[1].split(";", 1)[0])
    assert len(urls) == len(SHELL_STATIC_FILES) + 2
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_the_offline_page_needs_no_login(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "You're offline" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/scan", "/outbox", "/scan?code=abc"])
def test_floor_pages_ask_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_scanner_page_offers_the_camera_and_a_manual_form(client, factories):
    login(client, factories.user())
    html = client.get("/scan").get_data(as_text=True)
    assert 'data-mode="connect"' in html
    assert 'src="/static/js/scan.js"' in html
    assert 'data-decoder-url="/static/vendor/qr-scanner-1.4.2/qr-scanner.min.js"' in html
    assert re.search(r'<form class="panel manual-code" method="get" action="/scan"', html)
    assert 'name="code"' in html
    assert "data-sheet" in html and "Tomorrow" in html and "Next week" in html


def test_the_scanner_template_takes_the_door_check_in_mode(app, factories):
    event_id = factories.event(factories.user(), name="Offline First Conf")
    with app.test_request_context("/events/offline-first-conf/checkin"):
        html = render_template(
            "pwa/scan.html",
            **scanner_context(
                mode="checkin",
                checkin_url=f"/api/v1/events/{event_id}/checkins",
                event={"name": "Offline First Conf"},
            ),
        )
    assert 'data-mode="checkin"' in html
    assert f'data-checkin-url="/api/v1/events/{event_id}/checkins"' in html
    assert "Offline First Conf" in html
    assert "data-sheet" not in html  # check-in has no note sheet
    with pytest.raises(ValueError):
        scanner_context(mode="sideways")


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("http://localhost/c/{token}", "/c/"),
        ("{token}", "/c/"),
        ("  http://localhost/c/{token}/  ", "/c/"),
        ("http://localhost/j/{token}", "/j/"),
        ("http://localhost/s/{token}", "/s/"),
    ],
)
def test_a_typed_code_opens_its_page_without_javascript(client, factories, typed, kind):
    user = factories.user()
    login(client, user)
    token = "A" * 24
    response = client.get("/scan", query_string={"code": typed.format(token=token)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{kind}{token}"


@pytest.mark.parametrize(
    "typed", ["https://evil.example/c/" + "A" * 24, "WIFI:S:venue;T:WPA;P:secret;;", "short"]
)
def test_a_typed_foreign_code_is_refused_and_not_followed(client, factories, typed):
    login(client, factories.user())
    response = client.get("/scan", query_string={"code": typed}, follow_redirects=True)
    assert response.request.path == "/scan"
    assert "This is not a Rapport badge" in response.get_data(as_text=True)


def test_the_outbox_page_explains_it_needs_javascript(client, factories):
    login(client, factories.user())
    html = client.get("/outbox").get_data(as_text=True)
    assert "data-outbox-list" in html and "needs JavaScript" in html


def test_offline_pages_cover_the_floor_flows():
    for path in ("/badge", "/scan", "/contacts", "/contacts/", "/follow-ups"):
        assert path in OFFLINE_PAGES


def test_the_vendored_decoder_carries_its_licence_and_source(app):
    vendor = Path(app.static_folder) / "vendor" / "qr-scanner-1.4.2"
    assert "MIT License" in (vendor / "LICENSE").read_text()
    assert "qr-scanner@1.4.2" in (vendor / "README.md").read_text()
