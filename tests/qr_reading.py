"""Reading a QR image back as a phone would: one helper, so every test reads tickets the same way."""

from __future__ import annotations

import io

import PIL.Image
import zxingcpp


def read_qr(png: bytes) -> str:
    """The one QR code's text. Only QR codes are looked for: with every symbology on, about one ticket in
    3,000 also yields a spurious two-digit ITF barcode read from the modules' stripes."""
    [found] = zxingcpp.read_barcodes(
        PIL.Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return str(found.text)
