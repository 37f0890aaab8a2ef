"""Reading the PDFs the site makes as a person (or a scanner) would: their words with pypdf, their pages as
images with pypdfium2 (PDFium, Chrome's PDF engine), and the QR codes on them with zxing-cpp."""

from __future__ import annotations

import io
import re

import PIL.Image
import pypdf
import pypdfium2
import zxingcpp

from tests.qr_reading import read_qr

POINTS_PER_INCH = 72


def words(pdf: bytes) -> list[str]:
    """Each page's text, its runs of spaces and line breaks made one space (a long name wraps on a badge), and
    none after a hyphen that ended a line."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [re.sub(r"-\s+", "-", re.sub(r"\s+", " ", page.extract_text())) for page in reader.pages]


def page_image(pdf: bytes, page: int = 0, dpi: int = 200) -> PIL.Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image: PIL.Image.Image = document[page].render(scale=dpi / POINTS_PER_INCH).to_pil().convert("RGB")
        return image
    finally:
        document.close()


def png(image: PIL.Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def read_one_qr(image: PIL.Image.Image) -> str:
    return read_qr(png(image))


def qr_codes(image: PIL.Image.Image) -> list[str]:
    """Every QR code on an image (a sheet of badges), in no particular order."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    return [str(code.text) for code in found]


def crop(
    image: PIL.Image.Image, box: tuple[float, float, float, float], page_height: float, dpi: int
) -> PIL.Image.Image:
    """The part of a rendered page inside a box given in PDF points (x, y of the lower left corner, width, height)."""
    scale = dpi / POINTS_PER_INCH
    x, y, w, h = box
    return image.crop(
        (
            round(x * scale),
            round((page_height - y - h) * scale),
            round((x + w) * scale),
            round((page_height - y) * scale),
        )
    )
