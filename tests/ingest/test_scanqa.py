"""The scanning rules of clause 5.6.1 on small real scans: resolution, colour, sharpness."""

from __future__ import annotations

import io
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ingest.scanqa import LEGACY_CUTOFF, check_scan, is_legacy

THAI = timezone(timedelta(hours=7))
A6_MM = (105, 148)  # small pages keep the suite fast; DPI = pixels / page inches all the same


def text_page(dpi: float = 300, *, stamp: bool = True, lines: int = 14,
              size_mm: tuple[float, float] = A6_MM) -> Image.Image:
    """A white page of black 12 pt text, with a red stamp ring when stamp is set."""
    size = (round(size_mm[0] / 25.4 * dpi), round(size_mm[1] / 25.4 * dpi))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(8, round(12 / 72 * dpi)))
    margin = round(dpi * 0.4)
    for line in range(lines):
        y = margin + line * round(dpi * 0.25)
        draw.text((margin, y), f"Order 123/2567 line {line}: appointed to the post", font=font,
                  fill="black")
    if stamp:
        r = round(dpi * 0.5)
        cx, cy = size[0] - 2 * r, size[1] - 2 * r
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(200, 30, 30),
                     width=max(2, round(dpi / 40)))
    return image


def write_scan(path: Path, pages: list[tuple[Image.Image, float]], *, created: str | None = None,
               jpeg_quality: int = 85, jfif_dpi: int | None = None) -> Path:
    """A scanned PDF: each image drawn over a whole page sized so its resolution is the given DPI.

    Mode 1 images go in as 1-bit Flate, "RGB-png" style lossless ones when jpeg_quality is 0,
    everything else as JPEG (whose own DPI metadata, jfif_dpi, the check must ignore).
    """
    pdf = pikepdf.new()
    for image, dpi in pages:
        w_pt, h_pt = image.width / dpi * 72, image.height / dpi * 72
        page = pdf.add_blank_page(page_size=(w_pt, h_pt))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=_xobject(
            pdf, image, jpeg_quality=jpeg_quality, jfif_dpi=jfif_dpi or round(dpi))))
        page.Contents = pdf.make_stream(f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /Im0 Do Q".encode())
    if created:
        pdf.docinfo[pikepdf.Name.CreationDate] = created
    pdf.save(path)
    return path


def _xobject(pdf: pikepdf.Pdf, image: Image.Image, *, jpeg_quality: int,
             jfif_dpi: int) -> pikepdf.Stream:
    stream = pdf.make_stream(b"")
    if image.mode == "1":
        stream.write(zlib.compress(image.tobytes()), filter=pikepdf.Name.FlateDecode)
        bits, space = 1, pikepdf.Name.DeviceGray
    elif jpeg_quality == 0:
        stream.write(zlib.compress(image.tobytes()), filter=pikepdf.Name.FlateDecode)
        bits = 8
        space = pikepdf.Name.DeviceGray if image.mode == "L" else pikepdf.Name.DeviceRGB
    else:
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=jpeg_quality, dpi=(jfif_dpi, jfif_dpi))
        stream.write(buf.getvalue(), filter=pikepdf.Name.DCTDecode)
        bits = 8
        space = pikepdf.Name.DeviceGray if image.mode == "L" else pikepdf.Name.DeviceRGB
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height = image.width, image.height
    stream.ColorSpace, stream.BitsPerComponent = space, bits
    return stream


@pytest.fixture(scope="module")
def colour_page() -> Image.Image:
    return text_page()


@pytest.fixture(scope="module")
def grey_page(colour_page: Image.Image) -> Image.Image:
    return colour_page.convert("L")


def test_colour_scan_at_300_dpi_with_red_stamp_passes(tmp_path: Path,
                                                      colour_page: Image.Image) -> None:
    # GIVEN a colour scan at 300 DPI of a black-and-white order with a red stamp
    pdf = write_scan(tmp_path / "scan.pdf", [(colour_page, 300)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN nothing is wrong with it
    assert (check.reasons, check.warnings) == ([], [])
    page = check.pages[0]
    assert (page.page, page.scanned, page.dpi, page.color, page.blurry) == (1, True, 300, True,
                                                                           False)


def test_scan_at_150_dpi_is_low_resolution(tmp_path: Path) -> None:
    # GIVEN a colour scan made at 150 DPI
    pdf = write_scan(tmp_path / "scan.pdf", [(text_page(150), 150)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN it is rejected for its resolution, measured from the page
    assert check.reasons == ["low_resolution"]
    assert check.pages[0].dpi == pytest.approx(150, abs=0.5)


def test_resolution_comes_from_the_page_not_the_image_metadata(tmp_path: Path) -> None:
    # GIVEN an image whose JPEG header claims 300 DPI, drawn over the whole page at 150 DPI
    pdf = write_scan(tmp_path / "lies.pdf", [(text_page(150), 150)], jfif_dpi=300)
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN the resolution is what a reader of the page gets
    assert check.reasons == ["low_resolution"]
    assert check.pages[0].dpi == pytest.approx(150, abs=0.5)


@pytest.mark.parametrize(("dpi", "reasons"), [(295, []), (290, ["low_resolution"])])
def test_resolution_tolerance_is_two_percent(tmp_path: Path, colour_page: Image.Image, dpi: float,
                                             reasons: list[str]) -> None:
    # GIVEN a 300 DPI image drawn on a page a little larger, giving 295 or 290 DPI
    pdf = write_scan(tmp_path / "scan.pdf", [(colour_page, dpi)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN 295 passes (within 2% of 300) and 290 does not
    assert check.pages[0].dpi == pytest.approx(dpi, abs=0.5)
    assert check.reasons == reasons


@pytest.mark.parametrize("kind", ["greyscale", "bilevel", "grey_as_rgb_jpeg", "grey_as_rgb_flate"])
def test_black_and_white_scans_are_not_colour(tmp_path: Path, grey_page: Image.Image,
                                              kind: str) -> None:
    # GIVEN a scan without colour, stored in one of the ways scanners store it
    image, quality = {
        "greyscale": (grey_page, 85),
        "bilevel": (grey_page.point(lambda v: 255 if v > 160 else 0).convert("1"), 85),
        "grey_as_rgb_jpeg": (grey_page.convert("RGB"), 75),  # JPEG noise must not read as colour
        "grey_as_rgb_flate": (grey_page.convert("RGB"), 0),
    }[kind]
    pdf = write_scan(tmp_path / "scan.pdf", [(image, 300)], jpeg_quality=quality,
                     created="D:20260302093000+07'00'")
    # WHEN it is checked, made after the handbook took effect
    check = check_scan(pdf, created_at=datetime(2026, 3, 2, 9, 30, tzinfo=THAI))
    # THEN it is rejected as not colour
    assert check.reasons == ["not_color"]
    assert check.pages[0].color is False


def test_colour_scan_of_tinted_paper_is_colour(tmp_path: Path, colour_page: Image.Image) -> None:
    # GIVEN a colour scan of cream paper with black text only (no stamp)
    tinted = Image.blend(text_page(stamp=False), Image.new("RGB", colour_page.size,
                                                            (240, 228, 200)), 0.3)
    pdf = write_scan(tmp_path / "scan.pdf", [(tinted, 300)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN the paper's colour shows it was scanned in colour
    assert check.reasons == []
    assert check.pages[0].color is True


@pytest.mark.parametrize(("created_at", "reasons", "warnings"), [
    (datetime(2025, 6, 1, 10, 0, tzinfo=THAI), [], ["legacy_bw_scan"]),
    (datetime(2026, 3, 2, 9, 30, tzinfo=THAI), ["not_color"], []),
    (None, ["not_color"], []),
])
def test_black_and_white_scans_made_before_the_handbook_are_kept_with_a_warning(
        tmp_path: Path, grey_page: Image.Image, created_at: datetime | None,
        reasons: list[str], warnings: list[str]) -> None:
    # GIVEN a greyscale scan, made in 2025, in 2026 after the handbook, or at an unknown time
    pdf = write_scan(tmp_path / "scan.pdf", [(grey_page, 300)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=created_at)
    # THEN only the one made before 26 Jan 2026 is kept, with a warning
    assert (check.reasons, check.warnings) == (reasons, warnings)


def test_the_cutoff_is_midnight_thai_time() -> None:
    # GIVEN times either side of midnight 26 Jan 2026 in Bangkok
    # WHEN / THEN a date without zone is Thai time, and zones are respected
    assert is_legacy(datetime(2026, 1, 25, 23, 59))
    assert not is_legacy(datetime(2026, 1, 26, 0, 0))
    assert not is_legacy(datetime(2026, 1, 25, 17, 0, tzinfo=UTC))  # 00:00 in Bangkok
    assert is_legacy(LEGACY_CUTOFF - timedelta(seconds=1))
    assert not is_legacy(None)


def test_blurred_scan_is_stored_with_a_warning(tmp_path: Path, colour_page: Image.Image) -> None:
    # GIVEN a colour scan at 300 DPI blurred with a Gaussian of 3 pixels
    blurred = colour_page.filter(ImageFilter.GaussianBlur(3))
    pdf = write_scan(tmp_path / "scan.pdf", [(blurred, 300)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN it passes the rules but carries the blurry warning
    assert (check.reasons, check.warnings) == ([], ["blurry"])
    assert check.pages[0].blurry


def test_slight_scanner_blur_and_noise_is_not_blurry(tmp_path: Path,
                                                     colour_page: Image.Image) -> None:
    # GIVEN an ordinary scan: optics soften by about a pixel, the sensor adds grain, JPEG q70
    soft = colour_page.filter(ImageFilter.GaussianBlur(1))
    grain = Image.effect_noise(soft.size, 12).convert("RGB")
    noisy = Image.blend(soft, grain, 0.08)
    pdf = write_scan(tmp_path / "scan.pdf", [(noisy, 300)], jpeg_quality=70)
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN it is not called blurry
    assert check.warnings == []
    assert check.pages[0].blur is not None and not check.pages[0].blurry


def test_blank_page_is_not_judged_blurry(tmp_path: Path) -> None:
    # GIVEN a colour scan of an empty sheet (the back of a page)
    blank = text_page(lines=0, stamp=False)
    pdf = write_scan(tmp_path / "scan.pdf", [(blank, 300)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN there is nothing to judge and nothing is wrong
    assert (check.reasons, check.warnings) == ([], [])
    assert check.pages[0].blur is None


def test_born_digital_page_passes_every_rule(tmp_path: Path) -> None:
    # GIVEN an electronic order: text and a small signature image, no scan
    signature = tmp_path / "signature.png"
    Image.new("RGB", (300, 100), "white").save(signature)
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=14)
    doc.cell(text="Order 123/2567: appointment")
    doc.image(str(signature), x=120, y=240, w=50)
    doc.output(str(tmp_path / "order.pdf"))
    # WHEN it is checked
    check = check_scan(tmp_path / "order.pdf", created_at=None)
    # THEN it is not a scan and passes
    assert (check.reasons, check.warnings) == ([], [])
    assert check.pages[0].scanned is False
    assert check.pages[0].dpi is None


def test_each_page_is_judged_and_reasons_are_listed_once(tmp_path: Path, colour_page: Image.Image,
                                                         grey_page: Image.Image) -> None:
    # GIVEN four pages: good colour, greyscale, 150 DPI greyscale, greyscale again
    low_grey = text_page(150).convert("L")
    pdf = write_scan(tmp_path / "scan.pdf", [(colour_page, 300), (grey_page, 300),
                                             (low_grey, 150), (grey_page, 300)])
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN every page has its verdict and each reason appears once, in a fixed order
    assert [p.page for p in check.pages] == [1, 2, 3, 4]
    assert [p.color for p in check.pages] == [True, False, False, False]
    assert [round(p.dpi or 0) for p in check.pages] == [300, 300, 150, 300]
    assert check.reasons == ["low_resolution", "not_color"]


def test_image_scaled_through_nested_transforms_and_a_form(tmp_path: Path,
                                                           colour_page: Image.Image) -> None:
    # GIVEN a 300 DPI image wrapped in a form XObject that is drawn at twice the size
    pdf = pikepdf.new()
    w_pt, h_pt = colour_page.width / 300 * 72, colour_page.height / 300 * 72
    page = pdf.add_blank_page(page_size=(2 * w_pt, 2 * h_pt))
    image = _xobject(pdf, colour_page, jpeg_quality=85, jfif_dpi=300)
    form = pdf.make_stream(f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /Im0 Do Q".encode())
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox = [0, 0, w_pt, h_pt]
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=form))
    page.Contents = pdf.make_stream(b"q 2 0 0 1 0 0 cm q 1 0 0 2 0 0 cm /Fm0 Do Q Q")
    pdf.save(tmp_path / "form.pdf")
    # WHEN it is checked
    check = check_scan(tmp_path / "form.pdf", created_at=None)
    # THEN the image is found, covering the page at half its pixel resolution
    assert check.pages[0].scanned
    assert check.pages[0].dpi == pytest.approx(150, abs=0.5)
    assert check.reasons == ["low_resolution"]


def test_missing_image_makes_the_file_unreadable(tmp_path: Path) -> None:
    # GIVEN a page that draws an image the file does not contain
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    page.Contents = pdf.make_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    pdf.save(tmp_path / "broken.pdf")
    # WHEN it is checked
    check = check_scan(tmp_path / "broken.pdf", created_at=None)
    # THEN it is rejected as unreadable rather than crashing
    assert check.reasons == ["unreadable"]


def _single_image_pdf(path: Path, image: Image.Image, colour_space: object, bits: int) -> Path:
    pdf = pikepdf.new()
    w_pt, h_pt = image.width / 300 * 72, image.height / 300 * 72
    page = pdf.add_blank_page(page_size=(w_pt, h_pt))
    stream = pdf.make_stream(zlib.compress(image.tobytes()))
    stream.Filter = pikepdf.Name.FlateDecode
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height, stream.BitsPerComponent = image.width, image.height, bits
    stream.ColorSpace = colour_space
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=stream))
    page.Contents = pdf.make_stream(f"q {w_pt:.4f} 0 0 {h_pt:.4f} 0 0 cm /Im0 Do Q".encode())
    pdf.save(path)
    return path


def test_one_bit_scan_with_a_colour_palette_is_colour(tmp_path: Path,
                                                      grey_page: Image.Image) -> None:
    # GIVEN a 1-bit scan whose two palette entries are red ink and white paper
    bilevel = grey_page.point(lambda v: 255 if v > 160 else 0).convert("1")
    palette = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 1,
                             pikepdf.String(bytes([200, 30, 30, 255, 255, 255]))])
    pdf = _single_image_pdf(tmp_path / "scan.pdf", bilevel, palette, 1)
    # WHEN it is checked / THEN the palette's colour counts
    check = check_scan(pdf, created_at=None)
    assert (check.reasons, check.pages[0].color) == ([], True)


def test_image_no_decoder_here_can_read_is_left_unjudged(tmp_path: Path,
                                                         grey_page: Image.Image) -> None:
    # GIVEN a scan stored in a spot-colour (Separation) space, which Pillow cannot render
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[0, 0, 0, 1],
                              N=1)
    separation = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/Black"),
                                pikepdf.Name.DeviceCMYK, tint])
    pdf = _single_image_pdf(tmp_path / "scan.pdf", grey_page, separation, 8)
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN its resolution is still judged, but not its colour or sharpness: no false rejection
    assert check.reasons == []
    page = check.pages[0]
    assert (page.scanned, page.dpi, page.color, page.blur) == (True, 300, None, None)


def test_cut_short_image_data_is_unreadable(tmp_path: Path, colour_page: Image.Image) -> None:
    # GIVEN a well-formed PDF whose page image holds only the first half of its JPEG
    path = write_scan(tmp_path / "scan.pdf", [(colour_page, 300)])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        image = pdf.pages[0].Resources.XObject.Im0
        data = image.read_raw_bytes()
        image.write(data[: len(data) // 2], filter=pikepdf.Name.DCTDecode)
        pdf.save(path)
    # WHEN it is checked
    check = check_scan(path, created_at=None)
    # THEN it is unreadable
    assert check.reasons == ["unreadable"]


def test_a_grey_page_stored_in_colour_beside_colour_pages_was_scanned_in_colour(
        tmp_path: Path, colour_page: Image.Image, grey_page: Image.Image) -> None:
    # GIVEN a colour scan of two pages: the first with a coloured stamp, the second plain black
    # text whose faint paper tint JPEG lost (grey stored as RGB)
    pdf = write_scan(tmp_path / "scan.pdf", [(colour_page, 300), (grey_page.convert("RGB"), 300)],
                     jpeg_quality=75)
    # WHEN it is checked
    check = check_scan(pdf, created_at=None)
    # THEN the second page shows no colour, but the document was scanned in colour: it passes
    assert [p.color for p in check.pages] == [True, False]
    assert check.reasons == []
    # AND the same plain page alone, or stored as greyscale beside colour, is still rejected
    alone = write_scan(tmp_path / "alone.pdf", [(grey_page.convert("RGB"), 300)], jpeg_quality=75)
    assert check_scan(alone, created_at=None).reasons == ["not_color"]
    mixed = write_scan(tmp_path / "mixed.pdf", [(colour_page, 300), (grey_page, 300)])
    assert check_scan(mixed, created_at=None).reasons == ["not_color"]
