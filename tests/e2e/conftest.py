"""Fixtures for browser tests: a live server, Chromium launches with a fake camera, pages.

Every test here is marked ``e2e`` and skips cleanly when Chromium or Playwright is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.harness import (
    CHROMIUM,
    PHONE_VIEWPORT,
    blank_camera,
    launch_args,
    log_in,
    missing_browser_reason,
    qr_image,
    serve,
    write_y4m,
)


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip the test when there is no browser to drive."""
    reason = missing_browser_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(app, browser_available) -> str:
    """The app under test (sharing the tests' database), served on 127.0.0.1; its base URL."""
    with serve(app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def playwright_driver(browser_available):
    """One Playwright driver for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def launch_browser(playwright_driver) -> Callable:
    """Launch headless Chromium, with a fake camera playing a Y4M file when one is given."""
    browsers = []

    def launch(camera: Path | None = None):
        browser = playwright_driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=launch_args(camera)
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


@pytest.fixture
def new_page(live_server) -> Callable:
    """A page in a fresh phone-sized context; logged in as ``user`` when one is given.

    ``camera=False`` leaves the camera permission ungranted, so the page is refused it.
    """

    def make(browser, user=None, *, camera: bool = True, viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server,
            viewport=viewport or PHONE_VIEWPORT,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            permissions=["camera"] if camera else [],
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        # Kept for failure messages: what the page logged and which errors it threw.
        page.console_log = []
        page.on(
            "console", lambda message: page.console_log.append(f"{message.type}: {message.text}")
        )
        page.on("pageerror", lambda error: page.console_log.append(f"pageerror: {error}"))
        if user is not None:
            log_in(page, live_server, user)
        return page

    return make


@pytest.fixture
def camera_file(tmp_path) -> Callable:
    """Write a fake-camera video showing a QR code of ``text`` (or nothing); returns its path."""
    counter = iter(range(1000))

    def make(text: str | None = None) -> Path:
        path = tmp_path / f"camera-{next(counter)}.y4m"
        if text is None:
            return blank_camera(path)
        return write_y4m(qr_image(text), path)

    return make
