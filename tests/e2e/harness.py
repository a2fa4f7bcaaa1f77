"""A reusable harness for browser tests: the app on a free port, Debian's Chromium driven by
Playwright, and a fake camera that films a real QR code made by the app.

Other areas' end-to-end tests use it through the fixtures in ``tests/e2e/conftest.py``:
``live_server`` (the base URL), ``launch_browser(camera=...)``, ``new_page(browser, user=...)``
and ``camera_file(text)``.
"""

from __future__ import annotations

import io
import random
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageFilter
from werkzeug.serving import WSGIRequestHandler, make_server

from webapp.services.qr import qr_png

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

FRAME_SIZE = (640, 480)
FRAME_COUNT = 20


def missing_browser_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed (pip install playwright)"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietRequestHandler(WSGIRequestHandler):
    """Serves requests without logging each one (test output stays readable)."""

    def log_request(self, code="-", size="-") -> None:
        """Do not log successful requests."""


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` from 127.0.0.1 (a secure context) in a thread; yields the base URL."""
    server = make_server(
        "127.0.0.1", free_port(), app, threaded=True, request_handler=QuietRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def qr_image(text: str, *, rotate: float = 4.0, blur: float = 0.7, seed: int = 7) -> Image.Image:
    """A camera's view of a printed QR code: slightly turned and soft, on a grey desk."""
    code = Image.open(io.BytesIO(qr_png(text, box_size=8))).convert("L")
    side = 300
    code = code.resize((side, side), Image.Resampling.NEAREST)
    code = code.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    frame = Image.new("L", FRAME_SIZE, 118)
    frame.paste(code, ((FRAME_SIZE[0] - code.width) // 2, (FRAME_SIZE[1] - code.height) // 2))
    frame = frame.filter(ImageFilter.GaussianBlur(blur))
    noise = random.Random(seed)
    pixels = frame.load()
    for _ in range(4000):
        x, y = noise.randrange(FRAME_SIZE[0]), noise.randrange(FRAME_SIZE[1])
        pixels[x, y] = max(0, min(255, pixels[x, y] + noise.randint(-40, 40)))
    return frame.convert("RGB")


def write_y4m(image: Image.Image, path: Path, frames: int = FRAME_COUNT) -> Path:
    """Write ``image`` as a Y4M video, the format Chromium plays as a fake camera."""
    image = image.convert("RGB").resize(FRAME_SIZE)
    y, cb, cr = image.convert("YCbCr").split()
    half = (FRAME_SIZE[0] // 2, FRAME_SIZE[1] // 2)
    planes = (
        y.tobytes()
        + cb.resize(half, Image.Resampling.BILINEAR).tobytes()
        + cr.resize(half, Image.Resampling.BILINEAR).tobytes()
    )
    width, height = FRAME_SIZE
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n")
            out.write(planes)
    return path


def blank_camera(path: Path) -> Path:
    """A camera that films an empty grey desk."""
    return write_y4m(Image.new("RGB", FRAME_SIZE, (118, 118, 118)), path)


def launch_args(camera: Path | None) -> list[str]:
    """Chromium's arguments, with a fake camera playing ``camera`` when given.

    No ``--use-fake-ui-for-media-stream``: the browser context's permissions decide whether
    the page may use the camera, so a test can deny it.
    """
    args = list(CHROMIUM_ARGS)
    if camera is not None:
        args += [
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera}",
        ]
    return args


def log_in(page, base_url: str, user) -> None:
    """Log ``user`` in through the real login form."""
    page.goto(f"{base_url}/login")
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/login" not in page.url, f"login failed for {user.email}"


def wait_for_service_worker(page, timeout_ms: int = 20_000) -> None:
    """Wait until the service worker has installed (shell precached) and controls the page.

    Polls rather than awaiting ``navigator.serviceWorker.ready`` in the page: an awaited
    promise is not bound by Playwright's timeouts, so a failed install would hang the run.
    A page that loaded while the worker was still installing stays uncontrolled (as in
    any browser); like the person's next visit, a reload brings it under the worker.
    """
    page.evaluate(
        "() => { navigator.serviceWorker.ready.then(() => { window.__workerReady = true; }); }"
    )
    try:
        page.wait_for_function("() => window.__workerReady === true", timeout=timeout_ms)
        if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
            page.reload()
            page.wait_for_function(
                "() => navigator.serviceWorker.controller !== null", timeout=timeout_ms
            )
    except Exception as error:
        state = page.evaluate(
            """async () => {
                const registration = await navigator.serviceWorker.getRegistration();
                if (!registration) return 'no registration';
                const worker = registration.installing || registration.waiting
                    || registration.active;
                return `registration ${registration.scope}: ${worker && worker.state}`;
            }"""
        )
        log = "\n".join(getattr(page, "console_log", []))
        raise AssertionError(f"no service worker controls {page.url} ({state})\n{log}") from error


def outbox_entries(page) -> list[dict]:
    """The entries in the page's IndexedDB outbox."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open('rapport');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains('outbox')) { resolve([]); return; }
                const all = db.transaction('outbox').objectStore('outbox').getAll();
                all.onsuccess = () => resolve(all.result);
                all.onerror = () => reject(all.error);
            };
        })"""
    )


def screenshot(page, name: str, **kwargs) -> Path:
    """Save a screenshot under ``test-artifacts/`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path
