"""Routes of the installable app: manifest, service worker, scanner, outbox and offline page."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from webapp.models import now_utc
from webapp.services.links import CODE_PREFIXES, parse_code

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#1f5f5b"
BACKGROUND_COLOUR = "#f5f6f3"

# The fallback QR decoder, loaded only by the scanner when the browser has no BarcodeDetector.
DECODER_FILES = ("qr-scanner.min.js", "qr-scanner-worker.min.js")
DECODER_DIR = "vendor/qr-scanner-1.4.2"

# The app shell every page needs, precached by the service worker when it installs.
SHELL_STATIC_FILES = (
    "css/app.css",
    "js/app.js",
    "js/outbox.js",
    "js/sync.js",
    "js/codes.js",
    "js/scan.js",
    "js/outbox-page.js",
    "js/event-checkin.js",  # door check-in works offline too
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
    "icons/apple-touch-icon.png",
    *(f"{DECODER_DIR}/{name}" for name in DECODER_FILES),
)

# Pages kept for offline use after one online visit: a path, a prefix ending in "/", and
# "*" for one path segment.
OFFLINE_PAGES = (
    "/badge",
    "/scan",
    "/contacts",
    "/contacts/",
    "/follow-ups",
    "/outbox",
    "/events/*/checkin",
)


@bp.app_context_processor
def inject_rendered_at() -> dict:
    """Give every page its render time, so an offline copy can say how old it is."""
    return {"rendered_at": now_utc().isoformat(timespec="seconds")}


@lru_cache(maxsize=8)
def _shell_version(static_folder: str) -> str:
    """A short hash of the shell files: a new deploy gets new cache names by itself."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC_FILES:
        path = Path(static_folder) / name
        digest.update(name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    for template in ("pwa/sw.js", "pwa/offline.html", "base.html"):
        source, _, _ = current_app.jinja_env.loader.get_source(current_app.jinja_env, template)
        digest.update(source.encode())
    return digest.hexdigest()[:12]


def shell_version() -> str:
    """The version carried by the service worker's cache names."""
    return _shell_version(current_app.static_folder)


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest that makes Rapport installable on Android and iOS."""

    def icon(name: str) -> str:
        return url_for("static", filename=f"icons/{name}")

    body = {
        "id": "/",
        "name": "Rapport",
        "short_name": "Rapport",
        "description": "Swap badges, note the conversation, follow up.",
        "start_url": url_for("badge.show"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "lang": "en",
        "categories": ["business", "productivity", "social"],
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": icon("icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": icon("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "shortcuts": [
            {"name": "Scan a badge", "short_name": "Scan", "url": url_for("pwa.scan")},
            {"name": "My badge", "short_name": "Badge", "url": url_for("badge.show")},
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the root so its scope is the whole app; never cached stale."""
    shell = [url_for("static", filename=name) for name in SHELL_STATIC_FILES]
    shell += [url_for("pwa.offline"), url_for("pwa.manifest")]
    script = render_template(
        "pwa/sw.js",
        version=shell_version(),
        shell_urls=shell,
        offline_url=url_for("pwa.offline"),
        offline_pages=OFFLINE_PAGES,
    )
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    """The page shown for a page that was never visited online, when there is no network."""
    return render_template("pwa/offline.html")


@bp.get("/scan")
@login_required
def scan():
    """The camera scanner; ``?code=`` is the manual entry that works without JavaScript."""
    code = request.args.get("code", "").strip()
    if code:
        return _open_manual_code(code)
    return render_template("pwa/scan.html", **scanner_context())


def scanner_context(mode: str = "connect", checkin_url: str = "", event=None) -> dict:
    """The context ``pwa/scan.html`` takes; the organizer's door check-in passes its own."""
    if mode not in ("connect", "checkin"):
        raise ValueError(f"unknown scanner mode {mode!r}")
    return {"mode": mode, "checkin_url": checkin_url, "event": event}


def _open_manual_code(code: str):
    """Follow a typed code to its page, the same way a phone camera would open the QR."""
    parsed = parse_code(code)
    if parsed is None:
        flash("This is not a Rapport badge. Check the code and try again.", "error")
        return redirect(url_for("pwa.scan"))
    kind, token = parsed
    return redirect(CODE_PREFIXES[kind] + token)


@bp.get("/outbox")
@login_required
def outbox():
    """What is waiting to sync on this device (read from IndexedDB by the page's script)."""
    return render_template("pwa/outbox.html")
