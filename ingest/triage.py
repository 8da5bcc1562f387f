"""First look at an incoming file: what it is, whether it can be read, and a PDF to work on."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

import img2pdf
import numpy as np
import pikepdf
from pikepdf.models.metadata import decode_pdf_date
from PIL import Image, ImageSequence, UnidentifiedImageError

from ingest.scanqa import THAI_TIME, PageUnreadable, page_content

log = logging.getLogger(__name__)

# An image without resolution metadata is taken to be an A4 sheet: the archivist would judge a
# 2480 x 3508 pixel image as a 300 DPI scan of the usual paper size.
A4_LONG_SIDE_IN = 297 / 25.4
# Resolution metadata that would make the sheet larger than A2 cannot describe a paper record:
# cameras write 72 DPI whatever they photograph. Such metadata is ignored like missing metadata.
A2_LONG_SIDE_IN = 594 / 25.4
MIN_TRUSTED_DPI = 10.0  # below: an aspect-ratio placeholder (JFIF 1:1, TIFF without unit)

_SNIFF_BYTES = 1024
_IMAGE_TYPES = {
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
    b"II+\x00": "image/tiff",  # BigTIFF
    b"MM\x00+": "image/tiff",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
# What the sender can do about each rejection, after a sentence saying what is wrong.
_REMEDY = {
    "not_pdf": "scan the paper record to PDF, or save the electronic document as PDF, then "
               "ingest it again",
    "unreadable": "copy it again from the scanner or the sender, or rescan the paper record, "
                  "then ingest it again",
    "encrypted": "ask the sender for an unprotected copy or remove the protection, then ingest "
                 "it again",
}
# EXIF tags: DateTime (IFD0), DateTimeOriginal and DateTimeDigitized (Exif IFD) with the
# OffsetTime tags that say their time zone.
_EXIF_IFD = 0x8769
_EXIF_DATES = ((306, 36880), (36867, 36881), (36868, 36882))
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d\d):(?P<minutes>\d\d)")


class IngestRejected(Exception):
    """The file cannot be taken in; reasons are the contract's codes, detail says what to do."""

    def __init__(self, reasons: list[str], detail: str) -> None:
        super().__init__(detail)
        self.reasons = reasons
        self.detail = detail


@dataclass(frozen=True)
class Triage:
    kind: Literal["pdf", "image"]
    media_type: str  # application/pdf, image/tiff, image/jpeg or image/png
    pdf_path: Path  # the input itself, or the image wrapped into a PDF in the work folder
    pages: int
    created_at: datetime | None  # when the scan or document was made, if it says
    text_pages: list[bool]  # per page: does it already carry a text layer (born digital, OCR)?


def triage(path: Path, workdir: Path) -> Triage:
    """Identify a file by its bytes and make sure every page can be read.

    Raises IngestRejected with not_pdf, unreadable or encrypted.
    """
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError as e:
        raise _rejected("unreadable", f"The file cannot be read ({e.strerror})") from e
    if not head:
        raise _rejected("unreadable", "The file is empty")
    if b"%PDF-" in head:
        # The header may follow some junk bytes; readers accept it within the first kilobyte.
        return _triage_pdf(path)
    media_type = next((t for magic, t in _IMAGE_TYPES.items() if head.startswith(magic)), None)
    if media_type is None:
        raise _rejected("not_pdf", "The file is neither a PDF nor a scanner image "
                              "(TIFF, JPEG or PNG)")
    return _triage_image(path, media_type, workdir)


def _rejected(reason: str, why: str) -> IngestRejected:
    return IngestRejected([reason], f"{why}; {_REMEDY[reason]}.")


def _triage_pdf(path: Path) -> Triage:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as e:
        raise _rejected("encrypted", "The PDF is encrypted and needs a password to open") from e
    except (pikepdf.PdfError, OSError, RuntimeError) as e:
        raise _rejected("unreadable", "The PDF is damaged or cut short") from e
    with pdf:
        for warning in pdf.get_warnings():
            log.info("%s: %s", path, warning)
        if pdf.is_encrypted:
            # Only an owner password: it opens, but OCRmyPDF refuses every encrypted PDF, and an
            # archive copy must not carry restrictions on printing or copying.
            raise _rejected("encrypted", "The PDF is encrypted with permission restrictions")
        try:
            text_pages = [page_content(page).has_text for page in pdf.pages]
        except (PageUnreadable, pikepdf.PdfError, RuntimeError, ValueError, TypeError) as e:
            raise _rejected("unreadable", "A page of the PDF cannot be read (damaged or cut "
                                          "short)") from e
        if not text_pages:
            raise _rejected("unreadable", "The PDF has no pages")
        created_at = _pdf_created_at(pdf)
    return Triage(kind="pdf", media_type="application/pdf", pdf_path=path,
                  pages=len(text_pages), created_at=created_at, text_pages=text_pages)


def _pdf_created_at(pdf: pikepdf.Pdf) -> datetime | None:
    """The earliest creation date the PDF states, in XMP or in its document information.

    A later tool that re-saves a scan may stamp one of the two with its own time; the earlier
    one is the closer to when the scan was made.
    """
    dates: list[datetime] = []
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            value = xmp.get("xmp:CreateDate")
        if value:
            dates.append(datetime.fromisoformat(str(value)))
    except Exception as e:  # XMP is free-form XML written by many tools; a bad one is no date
        log.debug("no usable XMP CreateDate: %s", e)
    raw = pdf.docinfo.get("/CreationDate") if pdf.trailer.get("/Info") is not None else None
    if raw is not None:
        try:
            dates.append(decode_pdf_date(str(raw)))
        except (ValueError, TypeError) as e:
            log.debug("unusable CreationDate %r: %s", raw, e)
    return _earliest(dates)


def _earliest(dates: list[datetime]) -> datetime | None:
    if not dates:
        return None
    # Naive and aware dates cannot be compared; a date without zone is local (Thai) time.
    return min(dates, key=lambda d: d if d.tzinfo else d.replace(tzinfo=THAI_TIME))


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    dpi: tuple[float, float] | None  # trusted resolution metadata, if any


def _triage_image(path: Path, media_type: str, workdir: Path) -> Triage:
    try:
        with Image.open(path) as image:
            created_at = _image_created_at(image)
            frames = [_read_frame(frame) for frame in ImageSequence.Iterator(image)]
    except Image.DecompressionBombError as e:
        raise _rejected("unreadable", "The image is too large to be a scanned page") from e
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as e:
        raise _rejected("unreadable", "The image is damaged or cut short") from e
    if not frames:
        raise _rejected("unreadable", "The image has no pages")

    workdir.mkdir(parents=True, exist_ok=True)
    # Never the input's own name: a JPEG called scan.pdf may sit in the work folder itself.
    pdf_path = workdir / f"{path.stem}.wrapped.pdf"
    try:
        wrapped = _wrap(path, frames, created_at)
    except Exception as e:  # both img2pdf and the lossless re-encoding gave up on this image
        raise _rejected("unreadable", "The image cannot be converted to PDF") from e
    pdf_path.write_bytes(wrapped)
    return Triage(kind="image", media_type=media_type, pdf_path=pdf_path, pages=len(frames),
                  created_at=created_at, text_pages=[False] * len(frames))


def _read_frame(frame: Image.Image) -> _Frame:
    frame.load()  # decodes the pixels: a cut-short file fails here, not later
    dpi = frame.info.get("dpi")
    trusted: tuple[float, float] | None = None
    if dpi and min(float(dpi[0]), float(dpi[1])) >= MIN_TRUSTED_DPI:
        long_side_in = max(frame.width / float(dpi[0]), frame.height / float(dpi[1]))
        if long_side_in <= A2_LONG_SIDE_IN:
            trusted = (float(dpi[0]), float(dpi[1]))
    return _Frame(frame.width, frame.height, trusted)


def _page_size_pt(frame: _Frame) -> tuple[float, float]:
    """The sheet the image shows: pixels / DPI, or an A4 long side without resolution metadata."""
    if frame.dpi is not None:
        return frame.width / frame.dpi[0] * 72, frame.height / frame.dpi[1] * 72
    inches_per_px = A4_LONG_SIDE_IN / max(frame.width, frame.height)
    return frame.width * inches_per_px * 72, frame.height * inches_per_px * 72


def _wrap(path: Path, frames: list[_Frame], created_at: datetime | None) -> bytes:
    """The image as a PDF, one page per frame, each page exactly the size of its sheet.

    img2pdf embeds JPEG and CCITT data as they are. The output depends only on the input: the
    date written is the image's own, and no clock or random /ID goes in.
    """
    sizes = iter([_page_size_pt(frame) for frame in frames])

    def layout(width_px: int, height_px: int, ndpi: tuple[float, float]
               ) -> tuple[float, float, float, float]:
        width_pt, height_pt = next(sizes)
        return width_pt, height_pt, width_pt, height_pt

    options = {
        # img2pdf's own writer: the pikepdf one stamps a clock-derived /ID into every file.
        "engine": img2pdf.Engine.internal,
        "layout_fun": layout,
        "rotation": img2pdf.Rotation.ifvalid,
        "producer": "Tabian ingest",
        "nodate": created_at is None,
        "creationdate": created_at,
    }
    try:
        return bytes(img2pdf.convert(str(path), **options))
    except Exception as e:  # img2pdf refuses alpha channels, 16-bit and odd modes in many ways
        log.info("%s: img2pdf cannot embed the image as it is (%s); re-encoding it", path, e)
    sizes = iter([_page_size_pt(frame) for frame in frames])
    with Image.open(path) as image:
        pages = [_png(frame) for frame in ImageSequence.Iterator(image)]
    return bytes(img2pdf.convert(pages, **options))


def _png(frame: Image.Image) -> bytes:
    """A frame re-encoded losslessly as 8-bit grey or RGB, transparency flattened onto white."""
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        frame = Image.fromarray((np.asarray(frame, dtype=np.uint32) >> 8).astype(np.uint8), "L")
    elif frame.mode == "F":
        frame = frame.convert("L")
    elif frame.mode in ("1", "L", "RGB"):
        pass
    elif frame.mode in ("LA", "PA", "P", "RGBA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba).convert("RGB")
    else:
        frame = frame.convert("RGB")
    out = io.BytesIO()
    frame.save(out, "PNG")
    return out.getvalue()


def _image_created_at(image: Image.Image) -> datetime | None:
    """The earliest EXIF/TIFF date of the image, with its zone where the file gives one."""
    exif = image.getexif()
    tags = {**dict(exif), **dict(exif.get_ifd(_EXIF_IFD))}
    dates = []
    for date_tag, offset_tag in _EXIF_DATES:
        value = tags.get(date_tag)
        if not isinstance(value, str):
            continue
        try:
            date = datetime.strptime(value.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:  # blank or 0000:00:00 from cameras without a clock
            log.debug("unusable image date %r", value)
            continue
        offset = tags.get(offset_tag)
        if isinstance(offset, str) and (m := _OFFSET.fullmatch(offset.strip("\x00 "))):
            sign = -1 if m["sign"] == "-" else 1
            delta = timedelta(hours=int(m["hours"]), minutes=int(m["minutes"]))
            date = date.replace(tzinfo=timezone(sign * delta))
        dates.append(date)
    return _earliest(dates)
