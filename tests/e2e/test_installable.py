"""The installable app in a real browser: manifest, service worker, pages that work offline."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import csrf_from_html
from tests.e2e.harness import wait_for_service_worker

pytestmark = pytest.mark.e2e


def test_the_badge_page_shows_a_qr_code_that_decodes_to_the_badge_url_while_offline(
    factories, live_server, launch_browser, new_page
):
    user = factories.user("Ada Offline")
    page = new_page(launch_browser(), user)
    wait_for_service_worker(page)
    assert page.goto("/badge").ok  # now the service worker keeps a copy

    page.context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    assert "Offline — as of" in page.locator("[data-offline-banner]").inner_text()
    shot = page.locator(".badge-qr").screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert [code.text for code in decoded] == [f"{live_server}/c/{user.badge_token}"]


def test_the_page_that_installs_the_service_worker_is_itself_kept_for_offline_use(
    factories, live_server, launch_browser, new_page
):
    user = factories.user("Ada First Visit")
    page = new_page(launch_browser())
    # Log in without opening a page, so /badge is the very first page: the one that
    # registers the worker, and that the worker therefore never saw being loaded.
    login_form = page.request.get("/login").text()
    response = page.request.post(
        "/login",
        form={
            "email": user.email,
            "password": user.password,
            "csrf_token": csrf_from_html(login_form),
        },
    )
    assert response.ok and "/login" not in response.url
    assert page.goto("/badge").ok
    saved = "() => caches.match('/badge').then((copy) => copy !== undefined)"
    for _ in range(100):
        if page.evaluate(saved):
            break
        page.wait_for_timeout(200)
    assert page.evaluate(saved), "the worker kept no copy of the first page"

    page.context.set_offline(True)
    response = page.goto("/badge")
    assert response.from_service_worker
    assert "Ada First Visit" in page.locator("main").inner_text()
    assert page.locator(".badge-qr svg").count() == 1


def test_contacts_and_follow_ups_work_offline_as_read_only_copies_with_their_time(
    factories, launch_browser, new_page
):
    user = factories.user()
    friend = factories.user("Grace Friend")
    contact_id = factories.connect(user, friend)
    factories.note(user, contact_id, "Promised the paper", follow_up="Send the paper")
    page = new_page(launch_browser(), user)
    wait_for_service_worker(page)
    for path in ("/contacts", f"/contacts/{contact_id}", "/follow-ups"):
        assert page.goto(path).ok
    rendered_at = page.locator('meta[name="rendered-at"]').get_attribute("content")
    assert rendered_at

    page.context.set_offline(True)
    for path, expected in (
        ("/contacts", "Grace Friend"),
        (f"/contacts/{contact_id}", "Promised the paper"),
        ("/follow-ups", "Send the paper"),
    ):
        response = page.goto(path)
        assert response.from_service_worker, path
        assert expected in page.locator("main").inner_text()
        banner = page.locator("[data-offline-banner]").inner_text()
        assert re.search(r"Offline — as of \d{1,2}:\d{2}", banner), banner
    # A page never opened online gets the offline page, not the browser's error.
    response = page.goto("/profile")
    assert response.from_service_worker
    assert "You're offline" in page.locator("h1").inner_text()


def test_the_manifest_is_complete_and_the_service_worker_controls_the_page(
    factories, live_server, launch_browser, new_page
):
    page = new_page(launch_browser(), factories.user())
    manifest_href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(manifest_href)
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    for key in (
        "id",
        "name",
        "short_name",
        "start_url",
        "scope",
        "theme_color",
        "background_color",
    ):
        assert manifest[key], key
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith(manifest["scope"])
    sizes = {}
    for icon in manifest["icons"]:
        reply = page.request.get(icon["src"])
        assert reply.ok, icon["src"]
        assert reply.headers["content-type"].split(";")[0] == icon["type"]
        if icon["type"] == "image/png":
            image = Image.open(io.BytesIO(reply.body()))
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert image.size == (width, height), icon["src"]
            sizes.setdefault(icon.get("purpose", "any"), set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"]
    assert "512x512" in sizes["maskable"]

    touch_icon = page.locator('link[rel="apple-touch-icon"]').get_attribute("href")
    assert Image.open(io.BytesIO(page.request.get(touch_icon).body())).size == (180, 180)
    assert page.locator('meta[name="apple-mobile-web-app-capable"]').count() == 1

    worker = page.request.get("/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["service-worker-allowed"] == "/"
    wait_for_service_worker(page)
    page.reload()
    state = page.evaluate(
        """async () => ({
            controller: navigator.serviceWorker.controller?.scriptURL,
            scope: (await navigator.serviceWorker.ready).scope,
            caches: await caches.keys(),
            decoderCached: !!(await caches.match(
                '/static/vendor/qr-scanner-1.4.2/qr-scanner-worker.min.js')),
            offlineCached: !!(await caches.match('/offline')),
        })"""
    )
    assert state["controller"] == f"{live_server}/sw.js"
    assert state["scope"] == f"{live_server}/"
    assert any(re.fullmatch(r"rapport-shell-[0-9a-f]{12}", name) for name in state["caches"])
    assert state["decoderCached"] and state["offlineCached"]
