"""QR images of ticket codes with the qrcode package: PNG (phone screens and print) and SVG."""

from __future__ import annotations

import struct
import zlib
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
    """A black-on-white PNG, one bit a pixel, each module a square of BOX_PIXELS: the image qrcode's PIL
    factory made, written straight from the modules (drawing it through PIL took most of a confirmation's
    ticket time: issue 20's profile of a registration rush)."""
    return _png_of(_qr(code).get_matrix(), BOX_PIXELS[size])


def _png_of(matrix: list[list[bool]], box: int) -> bytes:
    width = len(matrix) * box
    rows = []
    for row in matrix:
        bits = "".join(("0" if dark else "1") * box for dark in row)  # 0 black, 1 white (grey, 1 bit)
        bits += "1" * (-len(bits) % 8)
        line = b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")  # filter type 0 (none)
        rows.append(line * box)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)  # 1 bit, greyscale, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + chunk(b"IEND", b"")
    )


def svg(code: str) -> bytes:
    """Scales to any size without blurring; one path, so it stays small."""
    image = _qr(code).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return bytes(image.to_string(encoding="unicode").encode("utf-8"))


def modules(code: str) -> list[list[bool]]:
    """The code's modules, dark True, rows from the top, the quiet zone (4 modules) included: for drawing the same
    QR code as vectors (badges and certificates in PDF)."""
    return [[bool(module) for module in row] for row in _qr(code).get_matrix()]
