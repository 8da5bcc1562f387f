"""Scan quality rules of clause 5.6.1: scanned pages in colour, at 300 DPI, legible."""

from __future__ import annotations

import io
import itertools
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image, ImageChops, ImageFilter

log = logging.getLogger(__name__)

THAI_TIME = timezone(timedelta(hours=7), "ICT")
# The handbook took effect on this day; black-and-white scans made before it may still be used.
LEGACY_CUTOFF = datetime(2026, 1, 26, tzinfo=THAI_TIME)
MIN_DPI = 300
DPI_TOLERANCE = 0.02  # a scanner's 300 DPI often lands at 299.x after page-size rounding

# A page is a scan when images that each cover at least 2% of it cover half of it together. The
# emblem (1.4% of A4) or the signature picture (under 1%) on an e-signed order does not count.
SCAN_IMAGE_MIN_SHARE = 0.02
SCAN_COVERAGE = 0.5

# Sharpness is judged at a fixed resolution after a 3x3 mean (which keeps sensor noise from
# passing for detail), so a 600 DPI scan is held to the same standard as a 300 DPI one. On the
# steep part of the edges (gradient above half of the page's 99th-percentile edge gradient), the
# ratio mean |Laplacian| / mean |gradient| falls with the width of the blur and does not depend on
# contrast. It is taken per 8 mm tile and the page scores the 80th percentile of its tiles, so
# bold headings, emblems and photos (soft by nature) do not drown the body text.
# Measured on 64 fixture pages (16 templates x train/held-out fonts and degradations, two seeds,
# 300 DPI JPEG scans):
#   as generated (blur σ 0-1.09 px, noise, fade, skew, JPEG q45-95): 0.533-0.769
#   re-blurred σ=2 px: at most 0.504, σ=2.5: 0.446, σ=3: 0.403; σ=3 on synthetic text pages
#   stays below 0.47 even with noise σ=25 or 50% faded toner. The threshold sits midway.
SHARPNESS_DPI = 150
BLUR_THRESHOLD = 0.47
SHARPNESS_TILE = 48  # pixels at 150 DPI: 8 mm, two or three lines of body text
SHARPNESS_TILE_MIN_EDGES = 30
SHARPNESS_TILE_PERCENTILE = 80
EDGE_FLOOR = 4.0  # grey levels per pixel at 150 DPI after the mean: paper grain, not strokes
EDGE_PEAK_PERCENTILE = 99
EDGE_PEAK_SHARE = 0.5
MIN_EDGE_SHARE = 0.0005  # fewer edge pixels than this is a blank page: nothing to judge

# Colour is measured as chroma max(R,G,B) - min(R,G,B) at the sharpness resolution. Grey stored as
# RGB has chroma 0 even after JPEG q50 (Cb = Cr = 128); a red stamp or a blue ballpoint signature
# is 75-130. A colour scan counts when coloured ink covers a small share of the page (a stamp ring
# alone is 0.2% of A4), or when the whole paper is tinted (median chroma of cream paper is 6-25).
CHROMA_INK = 12
CHROMA_INK_SHARE = 0.0002
CHROMA_TINT = 6

_REASON_ORDER = ("unreadable", "low_resolution", "not_color")
_WARNING_ORDER = ("legacy_bw_scan", "blurry")
# pikepdf gives these where a decoder is missing (JBIG2 without jbig2dec, DeviceN): not the file's
# fault, so the page is left unjudged instead of rejected.
_CANNOT_DECODE = (
    pikepdf.UnsupportedImageTypeError,
    pikepdf.DependencyError,
    pikepdf.NotExtractableError,
    Image.DecompressionBombError,
)


# Images whose samples qpdf can hand over as they are, and the Pillow mode that reads them.
_RAW_MODES = {("RGB", 8): "RGB", ("L", 8): "L", ("1", 1): "1", ("L", 1): "1"}
_QPDF_FILTERS = {"/FlateDecode", "/LZWDecode", "/RunLengthDecode", "/ASCIIHexDecode",
                 "/ASCII85Decode"}


class PageUnreadable(Exception):
    """A page's content refers to objects that are missing or broken."""


@dataclass(frozen=True)
class PlacedImage:
    """An image as drawn on a page: its pixels and the size it is drawn at."""

    image: pikepdf.PdfImage | pikepdf.PdfInlineImage
    width_px: int
    height_px: int
    drawn_width_in: float
    drawn_height_in: float
    page_share: float  # drawn area inside the page box / page area

    @property
    def dpi(self) -> float:
        """Effective resolution: the lower of horizontal and vertical."""
        if self.drawn_width_in <= 0 or self.drawn_height_in <= 0:
            return math.inf
        return min(self.width_px / self.drawn_width_in, self.height_px / self.drawn_height_in)


@dataclass(frozen=True)
class PageContent:
    """What a page draws: its images and whether it shows text (a text layer, visible or not)."""

    images: list[PlacedImage]
    has_text: bool


@dataclass(frozen=True)
class PageCheck:
    page: int  # 1-based
    scanned: bool
    dpi: float | None  # effective DPI of the scan; None when not a scan
    color: bool | None  # None when not a scan or the image could not be decoded
    blur: float | None  # sharpness score; None when not judged (no scan, blank page)
    blurry: bool
    # The page's scan is stored in a colour space (RGB, a palette), whatever its pixels show.
    colour_space: bool = False


@dataclass(frozen=True)
class ScanCheck:
    pages: list[PageCheck]
    reasons: list[str]
    warnings: list[str]


def check_scan(pdf_path: Path, *, created_at: datetime | None) -> ScanCheck:
    """Judge every page of a PDF against the scanning rules; pages that are not scans pass."""
    reasons: set[str] = set()
    warnings: set[str] = set()
    pages: list[PageCheck] = []
    try:
        with pikepdf.open(pdf_path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    check = _check_page(number, page)
                except (PageUnreadable, pikepdf.PikepdfError, OSError, ValueError) as e:
                    # A damaged image stream: zlib or JPEG data cut short, or too few samples.
                    log.warning("page %d of %s cannot be read: %s", number, pdf_path, e)
                    reasons.add("unreadable")
                    check = PageCheck(number, scanned=True, dpi=None, color=None, blur=None,
                                      blurry=False)
                pages.append(check)
    except (pikepdf.PikepdfError, OSError) as e:
        log.warning("%s cannot be read: %s", pdf_path, e)
        reasons.add("unreadable")

    # A page with no coloured ink, stored in colour beside pages that show colour, was scanned
    # in colour with the rest of its document: its faint paper tint was lost to JPEG (grey
    # stored as RGB). Scanning it again would give the same file.
    scanned_in_colour = any(check.color is True for check in pages)
    for check in pages:
        if check.dpi is not None and check.dpi < MIN_DPI * (1 - DPI_TOLERANCE):
            reasons.add("low_resolution")
        if check.color is False and not (scanned_in_colour and check.colour_space):
            if is_legacy(created_at):
                warnings.add("legacy_bw_scan")
            else:
                reasons.add("not_color")
        if check.blurry:
            warnings.add("blurry")
    return ScanCheck(
        pages=pages,
        reasons=[r for r in _REASON_ORDER if r in reasons],
        warnings=[w for w in _WARNING_ORDER if w in warnings],
    )


def is_legacy(created_at: datetime | None) -> bool:
    """Whether a scan predates the handbook; a date without zone is taken as Thai time."""
    if created_at is None:
        return False
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=THAI_TIME)
    return created_at < LEGACY_CUTOFF


def _check_page(number: int, page: pikepdf.Page) -> PageCheck:
    content = page_content(page)
    scan = [placed for placed in content.images if placed.page_share >= SCAN_IMAGE_MIN_SHARE]
    if sum(placed.page_share for placed in scan) < SCAN_COVERAGE:
        return PageCheck(number, scanned=False, dpi=None, color=None, blur=None, blurry=False)

    dpi = _page_dpi(scan)
    # The largest image is the one a reader looks at; sharpness is judged on it alone. Colour is
    # looked for in every image whose colour space allows it, until one shows colour.
    main = max(scan, key=lambda placed: placed.page_share)
    color: bool | None = False
    blur: float | None = None
    blank = False
    for placed in sorted(scan, key=lambda placed: placed.page_share, reverse=True):
        may_be_colour = color is not True and _may_be_colour(placed.image)
        if placed is not main and not may_be_colour:
            continue
        measured = _measure(placed, sharpness=placed is main, chroma=may_be_colour)
        if measured is None:
            if may_be_colour and color is False:
                color = None  # could be colour; this machine cannot tell
            continue
        image_colour, score = measured
        if placed is main:
            blur, blank = score, score is None
        if image_colour:
            color = True
    if blank and color is False:
        color = None  # a blank page (a separator, a back side) shows nothing colour could lose
    blurry = blur is not None and blur < BLUR_THRESHOLD
    log.debug("page %d: dpi %.1f colour %s sharpness %s", number, dpi, color, blur)
    return PageCheck(number, scanned=True, dpi=round(dpi, 1), color=color,
                     blur=None if blur is None else round(blur, 3), blurry=blurry,
                     colour_space=_may_be_colour(main.image))


def _page_dpi(scan: list[PlacedImage]) -> float:
    """The highest resolution at which at least half of the page is drawn.

    One full-page image gives its own DPI; a page tiled in strips gives theirs; a mixed raster
    page (sharp black text mask over a coarse colour background) is judged by its text layer,
    and a sharp crop pasted over a coarse scan does not lift the coarse one.
    """
    covered = 0.0
    for placed in sorted(scan, key=lambda placed: placed.dpi, reverse=True):
        covered += placed.page_share
        if covered >= SCAN_COVERAGE:
            return placed.dpi
    return min(placed.dpi for placed in scan)


def _may_be_colour(image: pikepdf.PdfImage | pikepdf.PdfInlineImage) -> bool:
    """False when the colour space alone says grey: no need to look at the pixels."""
    try:
        if image.indexed:
            return True  # a palette may hold colours or only greys: measured
        if image.image_mask or image.bits_per_component == 1:
            return False
        return image.mode not in ("L", "1", "I", "I;16")
    except (NotImplementedError, pikepdf.PdfError, ValueError, TypeError):
        return True


def _measure(placed: PlacedImage, *, sharpness: bool, chroma: bool
             ) -> tuple[bool, float | None] | None:
    """(colour, sharpness score) of an image, or None if no decoder here can read it."""
    target = (
        max(1, min(placed.width_px, round(placed.drawn_width_in * SHARPNESS_DPI))),
        max(1, min(placed.height_px, round(placed.drawn_height_in * SHARPNESS_DPI))),
    )
    try:
        with _decode(placed.image, target) as decoded:
            image = _normalised(decoded)
            factor = min(image.width // target[0], image.height // target[1])
            if factor >= 2:
                image = image.reduce(factor)  # whole-pixel box averaging, faster than resize
            if image.size != target:
                image = image.resize(target, Image.Resampling.BOX)
            colour = chroma and image.mode == "RGB" and _is_colour(image)
            score = None
            if sharpness:
                # A 3x3 mean first: sensor noise would otherwise pass for detail when blurred.
                smoothed = image.convert("L").filter(ImageFilter.BoxBlur(1))
                score = _sharpness(np.asarray(smoothed))
    except _CANNOT_DECODE as e:
        log.info("image cannot be decoded here, left unjudged: %s", e)
        return None
    return colour, score


def _decode(image: pikepdf.PdfImage | pikepdf.PdfInlineImage, target: tuple[int, int]
            ) -> Image.Image:
    """The image's pixels, cheaply. A /Decode array is ignored: inverting grey changes neither
    chroma nor sharpness."""
    if isinstance(image, pikepdf.PdfImage):
        if image.filters == ["/DCTDecode"]:
            # A JPEG decodes at 1/2, 1/4 or 1/8 scale far faster than at full size.
            jpeg = Image.open(io.BytesIO(image.obj.read_raw_bytes()))
            jpeg.draft(None, target)
            jpeg.load()
            return jpeg
        raw_mode = _RAW_MODES.get((image.mode, image.bits_per_component))
        if raw_mode and not image.indexed and set(image.filters) <= _QPDF_FILTERS:
            # qpdf undoes Flate and PNG predictors in one pass; Pillow's generic path for these
            # decodes the stream twice.
            size = (image.width, image.height)
            return Image.frombuffer(raw_mode, size, image.obj.read_bytes(), "raw", raw_mode, 0, 1)
    return image.as_pil_image(apply_mask=False)


def _normalised(image: Image.Image) -> Image.Image:
    """L or RGB, the two modes that resample by area averaging and measure alike."""
    if image.mode in ("L", "RGB"):
        return image
    if image.mode in ("1", "LA", "I", "I;16", "F"):
        return image.convert("L")
    if image.mode in ("P", "PA", "RGBA", "RGBX", "CMYK", "YCbCr"):
        return image.convert("RGB")
    raise pikepdf.UnsupportedImageTypeError(f"image mode {image.mode}")


def _is_colour(image: Image.Image) -> bool:
    red, green, blue = image.convert("RGB").split()
    # max - min of the three channels, in Pillow's C loops (numpy's per-pixel max is slow).
    high = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    low = ImageChops.darker(ImageChops.darker(red, green), blue)
    counts = ImageChops.subtract(high, low).histogram()
    pixels = sum(counts)
    ink_share = sum(counts[CHROMA_INK:]) / pixels
    tint = next(level for level, seen in enumerate(itertools.accumulate(counts))
                if seen * 2 >= pixels)
    log.debug("chroma: coloured ink %.4f of pixels, median %d", ink_share, tint)
    return ink_share >= CHROMA_INK_SHARE or tint >= CHROMA_TINT


def _sharpness(grey: np.ndarray) -> float | None:
    """The sharpness score of a page image at 150 DPI; None for a blank page."""
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return None
    g = grey.astype(np.float32)
    centre = g[1:-1, 1:-1]
    laplacian = np.abs(g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4 * centre)
    gradient = np.hypot(g[1:-1, 2:] - g[1:-1, :-2], g[2:, 1:-1] - g[:-2, 1:-1]) / 2
    edge_gradients = gradient[gradient > EDGE_FLOOR]
    if edge_gradients.size < MIN_EDGE_SHARE * gradient.size:
        return None
    peak = float(np.percentile(edge_gradients, EDGE_PEAK_PERCENTILE))
    steep = gradient > max(EDGE_FLOOR, EDGE_PEAK_SHARE * peak)
    # Per tile, so bold headings, emblems and photos (soft by nature) do not drown the body text.
    tile_laplacian = _tile_sums(np.where(steep, laplacian, 0))
    tile_gradient = _tile_sums(np.where(steep, gradient, 0))
    judged = _tile_sums(steep.astype(np.float32)) >= SHARPNESS_TILE_MIN_EDGES
    if not judged.any():
        return float(laplacian[steep].mean() / gradient[steep].mean())
    scores = tile_laplacian[judged] / tile_gradient[judged]
    return float(np.percentile(scores, SHARPNESS_TILE_PERCENTILE))


def _tile_sums(values: np.ndarray) -> np.ndarray:
    size = SHARPNESS_TILE
    rows, cols = values.shape[0] // size, values.shape[1] // size
    if rows == 0 or cols == 0:
        return values.sum(keepdims=True)
    cut = values[: rows * size, : cols * size]
    return cut.reshape(rows, size, cols, size).sum(axis=(1, 3))


def page_content(page: pikepdf.Page) -> PageContent:
    """Walk a page's content (and the forms it draws), tracking where each image lands.

    Raises PageUnreadable when the page draws an object that is missing, as in a truncated file
    whose cross-reference table qpdf had to rebuild.
    """
    user_unit = float(page.obj.get("/UserUnit", 1))
    box = [float(v) * user_unit for v in page.cropbox]
    page_box = (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]),
                max(box[1], box[3]))
    walker = _Walker()
    walker.walk(page, _inherited(page.obj, "/Resources"),
                pikepdf.Matrix(user_unit, 0, 0, user_unit, 0, 0), depth=0)
    return PageContent(
        images=[_place(image, ctm, page_box) for image, ctm in walker.images],
        has_text=walker.has_text,
    )


_OPERATORS = "q Q cm Do BI ID EI Tj TJ ' \""
_TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
_MAX_FORM_DEPTH = 16


class _Walker:
    """Follows the current transformation matrix through q/Q/cm, into forms, to each image."""

    def __init__(self) -> None:
        self.images: list[tuple[pikepdf.PdfImage | pikepdf.PdfInlineImage, pikepdf.Matrix]] = []
        self.has_text = False

    def walk(self, content: pikepdf.Page | pikepdf.Object, resources: pikepdf.Object | None,
             ctm: pikepdf.Matrix, depth: int) -> None:
        stack: list[pikepdf.Matrix] = []
        for instruction in pikepdf.parse_content_stream(content, _OPERATORS):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self.images.append((instruction.iimage, ctm))
                continue
            operands, op = instruction.operands, str(instruction.operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                # An unbalanced Q is common in the wild; viewers keep the state, so do we.
                ctm = stack.pop() if stack else ctm
            elif op == "cm":
                ctm = _matrix(operands) @ ctm
            elif op in _TEXT_SHOWING:
                self.has_text = True
            elif op == "Do" and operands:
                self._draw(operands[0], resources, ctm, depth)

    def _draw(self, name: pikepdf.Object, resources: pikepdf.Object | None, ctm: pikepdf.Matrix,
              depth: int) -> None:
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        xobject = None
        if isinstance(xobjects, pikepdf.Dictionary) and isinstance(name, pikepdf.Name):
            xobject = xobjects.get(name)
        if not isinstance(xobject, pikepdf.Stream):
            raise PageUnreadable(f"the page draws {name}, which is missing")
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.images.append((pikepdf.PdfImage(xobject), ctm))
        elif subtype == "/Form":
            if depth >= _MAX_FORM_DEPTH:
                raise PageUnreadable("forms nested too deep (a cycle?)")
            form_ctm = _matrix(xobject.get("/Matrix")) @ ctm
            self.walk(xobject, xobject.get("/Resources", resources), form_ctm, depth + 1)


def _matrix(values: object) -> pikepdf.Matrix:
    """A matrix from cm operands or a /Matrix array; identity when malformed, as viewers do."""
    try:
        numbers = [float(v) for v in values]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return pikepdf.Matrix()
    return pikepdf.Matrix(*numbers) if len(numbers) == 6 else pikepdf.Matrix()


def _place(image: pikepdf.PdfImage | pikepdf.PdfInlineImage, ctm: pikepdf.Matrix,
           page_box: tuple[float, float, float, float]) -> PlacedImage:
    try:
        width_px, height_px = int(image.width), int(image.height)
    except (AttributeError, KeyError, TypeError, ValueError, pikepdf.PdfError) as error:
        raise PageUnreadable(f"an image without a usable size: {error}") from error
    # An image fills the unit square of its coordinate system; the CTM maps it onto the page.
    a, b, c, d, e, f = ctm.a, ctm.b, ctm.c, ctm.d, ctm.e, ctm.f
    width_in = math.hypot(a, b) / 72
    height_in = math.hypot(c, d) / 72
    xs = (e, a + e, c + e, a + c + e)
    ys = (f, b + f, d + f, b + d + f)
    bbox_area = (max(xs) - min(xs)) * (max(ys) - min(ys))
    inside = (max(0.0, min(max(xs), page_box[2]) - max(min(xs), page_box[0]))
              * max(0.0, min(max(ys), page_box[3]) - max(min(ys), page_box[1])))
    page_area = (page_box[2] - page_box[0]) * (page_box[3] - page_box[1])
    drawn_area = abs(a * d - b * c)
    share = 0.0
    if bbox_area > 0 and page_area > 0:
        share = min(1.0, drawn_area * (inside / bbox_area) / page_area)
    return PlacedImage(
        image=image,
        width_px=width_px,
        height_px=height_px,
        drawn_width_in=width_in,
        drawn_height_in=height_in,
        page_share=share,
    )


def _inherited(node: pikepdf.Object, key: str) -> pikepdf.Object | None:
    """A page attribute that may sit on an ancestor in the page tree."""
    for _ in range(64):  # a page tree deeper than this is a cycle
        if key in node:
            return node.get(key)
        parent = node.get("/Parent")
        if not isinstance(parent, pikepdf.Dictionary):
            return None
        node = parent
    return None
