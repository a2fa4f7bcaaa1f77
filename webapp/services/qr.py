"""QR code rendering, cached because a code only changes when its token rotates."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _qr(data: str) -> qrcode.QRCode:
    """Build the QR matrix for ``data`` with medium error correction and a 4-module margin."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


@lru_cache(maxsize=4096)
def qr_svg(data: str) -> str:
    """Return a standalone SVG document of the QR code for ``data``."""
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # Let CSS size the code: keep the viewBox, drop the fixed millimetre size.
    return svg.replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)


@lru_cache(maxsize=1024)
def qr_png(data: str, box_size: int = 10) -> bytes:
    """Return PNG bytes of the QR code for ``data``."""
    code = _qr(data)
    code.box_size = box_size  # a QRCode setting: make_image() refuses it as an argument
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
