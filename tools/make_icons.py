"""Draw Rapport's app icons (PNG for the manifest and iOS, SVG for the browser tab).

Run ``python tools/make_icons.py`` after changing the design; the PNGs are committed.
The mark is three QR finder squares and an accent square: "scan, and connect".
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "webapp" / "static" / "icons"
BRAND = "#1f5f5b"
ACCENT = "#e07a4f"
WHITE = "#ffffff"
SUPERSAMPLE = 4

# The mark on a 100-unit grid: (x, y, size) of each finder square, plus the accent square.
FINDERS = ((17, 17), (57, 17), (17, 57))
FINDER_SIZE = 26
RING = 4.5
ACCENT_SQUARE = (62, 62, 16)


def _mark(draw: ImageDraw.ImageDraw, scale: float, offset: float) -> None:
    """Draw the mark, with the 100-unit grid mapped by ``scale`` and ``offset`` in pixels."""

    def box(x: float, y: float, size: float) -> tuple[float, float, float, float]:
        return (
            offset + x * scale,
            offset + y * scale,
            offset + (x + size) * scale,
            offset + (y + size) * scale,
        )

    for x, y in FINDERS:
        draw.rounded_rectangle(box(x, y, FINDER_SIZE), radius=5 * scale, fill=WHITE)
        inner = FINDER_SIZE - 2 * RING
        draw.rounded_rectangle(box(x + RING, y + RING, inner), radius=2.5 * scale, fill=BRAND)
        core = FINDER_SIZE - 4 * RING
        draw.rounded_rectangle(
            box(x + 2 * RING, y + 2 * RING, core), radius=1.5 * scale, fill=WHITE
        )
    draw.rounded_rectangle(box(*ACCENT_SQUARE), radius=4 * scale, fill=ACCENT)


def draw_icon(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    """One square icon; maskable icons fill the square and keep the mark in the safe zone."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable or not rounded:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=BRAND)
    # The safe zone of a maskable icon is the central circle of 80% diameter.
    scale = big / 100 * (0.74 if maskable else 1.0)
    offset = (big - 100 * scale) / 2
    _mark(draw, scale, offset)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def icon_svg() -> str:
    """The same mark as a small SVG for browser tabs."""
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">',
        f'<rect width="100" height="100" rx="22" fill="{BRAND}"/>',
    ]
    for x, y in FINDERS:
        for step, rx, fill in ((0, 5, WHITE), (1, 2.5, BRAND), (2, 1.5, WHITE)):
            at, side = RING * step, FINDER_SIZE - 2 * RING * step
            parts.append(
                f'<rect x="{x + at}" y="{y + at}" width="{side}" height="{side}" '
                f'rx="{rx}" fill="{fill}"/>'
            )
    x, y, s = ACCENT_SQUARE
    parts.append(f'<rect x="{x}" y="{y}" width="{s}" height="{s}" rx="4" fill="{ACCENT}"/>')
    parts.append("</svg>")
    return "".join(parts) + "\n"


def main() -> None:
    """Write every icon file."""
    ICONS.mkdir(parents=True, exist_ok=True)
    draw_icon(192).save(ICONS / "icon-192.png", optimize=True)
    draw_icon(512).save(ICONS / "icon-512.png", optimize=True)
    draw_icon(512, maskable=True).save(ICONS / "icon-maskable-512.png", optimize=True)
    # iOS rounds the corners itself and shows transparency as black: a full square.
    draw_icon(180, rounded=False).convert("RGB").save(ICONS / "apple-touch-icon.png", optimize=True)
    (ICONS / "icon.svg").write_text(icon_svg())
    print(f"icons written to {ICONS}")


if __name__ == "__main__":
    main()
