"""QR images of ticket codes with the qrcode package: PNG (phone screens and print) and SVG."""

from __future__ import annotations

import io
from typing import Literal

import qrcode
import qrcode.exceptions
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

Size = Literal["phone", "print"]
BOX_PIXELS = {"phone": 8, "print": 16}  # 41 modules + border: about 390 px on a phone, 780 px for print


def _qr(code: str) -> qrcode.QRCode:
    """Ticket codes are always 101 characters: QR version 6 at error correction M holds them. Fixing the
    version and the mask saves trying every size and all eight masks (10 ms down to 2 ms per image, which
    matters when a rush of confirmations each carries a ticket); anything longer gets the automatic fit."""
    qr = qrcode.QRCode(version=6, error_correction=ERROR_CORRECT_M, border=4, mask_pattern=2)
    qr.add_data(code)
    try:
        qr.make(fit=False)
    except qrcode.exceptions.DataOverflowError:
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
        qr.add_data(code)
        qr.make(fit=True)
    return qr


def png(code: str, size: Size = "phone") -> bytes:
    qr = _qr(code)
    qr.box_size = BOX_PIXELS[size]
    image = qr.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def svg(code: str) -> bytes:
    """Scales to any size without blurring; one path, so it stays small."""
    image = _qr(code).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return bytes(image.to_string(encoding="unicode").encode("utf-8"))


def modules(code: str) -> list[list[bool]]:
    """The code's modules, dark True, rows from the top, the quiet zone (4 modules) included: for drawing the same
    QR code as vectors (badges and certificates in PDF)."""
    return [[bool(module) for module in row] for row in _qr(code).get_matrix()]
