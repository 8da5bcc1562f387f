"""Colour dropout: stamps and pen signatures leave the OCR image, typed black text stays."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PIL import Image, ImageDraw, ImageStat

from ingest import ocrplugin
from ingest.dropout import drop_colour_ink

PAPER = (246, 240, 226)  # cream, as many archived papers are
BLACK = (25, 25, 30)
STAMP_RED = (196, 30, 45)
PEN_BLUE = (22, 40, 150)
TEXT_BOX = (40, 60, 360, 90)  # a thick bar standing in for a line of typed letters
STAMP_RING = (100, 20, 300, 140)


def _page() -> Image.Image:
    """Paper with a black text bar, and a red stamp ring half over it, as alpha-blended ink."""
    page = Image.new("RGBA", (400, 160), (*PAPER, 255))
    ImageDraw.Draw(page).rectangle(TEXT_BOX, fill=(*BLACK, 255))
    ink = Image.new("RGBA", page.size, (0, 0, 0, 0))
    ImageDraw.Draw(ink).ellipse(STAMP_RING, outline=(*STAMP_RED, 128), width=12)
    page.alpha_composite(ink)
    return page.convert("RGB")


def _mean(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    return float(ImageStat.Stat(image.convert("L").crop(box)).mean[0])


def test_red_stamp_over_black_text_is_dropped_and_the_text_stays() -> None:
    # GIVEN a page where a red stamp ring crosses a line of black text
    page = _page()
    stamp_on_paper = (192, 20, 208, 32)  # top of the ring, above the text
    under_stamp = (104, 68, 114, 82)  # left side of the ring, where it covers the text
    text_only = (40, 60, 95, 90)  # text left of the ring
    assert _mean(page, stamp_on_paper) < 170  # plain greyscale would keep the stamp

    # WHEN the colour ink is dropped
    out = drop_colour_ink(page)

    # THEN the stamp on paper is white, and the text (alone or under the stamp) stays dark
    assert _mean(out, stamp_on_paper) > 245
    assert _mean(out, text_only) < 40
    assert _mean(out, under_stamp) < 130


def test_a_blue_pen_signature_is_dropped() -> None:
    # GIVEN a ballpoint stroke on cream paper
    page = Image.new("RGB", (200, 60), PAPER)
    ImageDraw.Draw(page).line([(10, 30), (190, 30)], fill=PEN_BLUE, width=5)

    # WHEN the colour ink is dropped
    out = drop_colour_ink(page)

    # THEN the stroke is paler than any threshold between ink and paper would keep
    assert _mean(out, (20, 28, 180, 33)) > 200


def test_a_page_without_colour_ink_reaches_ocr_unchanged() -> None:
    # GIVEN black and grey print on cream paper, nothing coloured
    page = Image.new("RGB", (200, 60), PAPER)
    draw = ImageDraw.Draw(page)
    draw.rectangle((10, 10, 90, 50), fill=BLACK)
    draw.rectangle((110, 10, 190, 50), fill=(120, 118, 115))

    # WHEN the colour ink is dropped
    out = drop_colour_ink(page)

    # THEN every pixel is as it was
    assert out.tobytes() == page.tobytes()


def test_the_ocr_image_keeps_its_resolution(tmp_path: Path) -> None:
    # GIVEN a page image as ocrmypdf hands it over, with its DPI
    path = tmp_path / "page.png"
    _page().save(path, dpi=(300, 300))

    # WHEN the colour ink is dropped
    with Image.open(path) as page:
        out = drop_colour_ink(page)

    # THEN the DPI the text layer is placed by is still there
    assert round(out.info["dpi"][0]) == 300


def test_greyscale_pages_come_back_unchanged() -> None:
    page = Image.new("L", (50, 50), 200)
    assert drop_colour_ink(page) is page


def _page_context(*, colour_dropout: bool) -> SimpleNamespace:
    """What ocrmypdf hands the hook, as far as it reads it."""
    tesseract = SimpleNamespace(downsample_large_images=True, downsample_above=32767)
    tabian = SimpleNamespace(colour_dropout=colour_dropout)
    return SimpleNamespace(options=SimpleNamespace(tesseract=tesseract, tabian=tabian))


def test_the_plugin_drops_colour_only_when_asked() -> None:
    # GIVEN a stamped page
    page = _page()

    # WHEN ocrmypdf asks the plugin for the image to OCR, with and without the option
    off = ocrplugin.filter_ocr_image(_page_context(colour_dropout=False), page)
    on = ocrplugin.filter_ocr_image(_page_context(colour_dropout=True), page)

    # THEN without it the built-in tesseract hook decides; with it the stamp is gone
    assert off is None
    assert on is not None
    assert _mean(on, (192, 20, 208, 32)) > 245
