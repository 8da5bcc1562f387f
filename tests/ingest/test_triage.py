"""Triage of incoming files: type by content, readability, images wrapped into PDFs."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw

from ingest.scanqa import check_scan
from ingest.triage import IngestRejected, Triage, triage

THAI = timezone(timedelta(hours=7))
A6_300DPI = (1240, 1748)  # 105 x 148 mm


def page_image(size: tuple[int, int] = A6_300DPI, mode: str = "RGB") -> Image.Image:
    """A small colour page: lines of 'text' and a red stamp ring."""
    image = Image.new("RGB", size, (250, 248, 242))
    draw = ImageDraw.Draw(image)
    for y in range(120, size[1] - 300, 60):
        draw.rectangle((100, y, size[0] - 100, y + 14), fill=(30, 30, 30))
    r = min(size) // 8
    draw.ellipse((size[0] - 3 * r, size[1] - 3 * r, size[0] - r, size[1] - r),
                 outline=(200, 30, 30), width=8)
    return image.convert(mode)


def scan_pdf(path: Path, *, pages: int = 1, created: str | None = None) -> Path:
    """A scanned PDF made the usual way: JPEG page images at 300 DPI."""
    images = []
    for _ in range(pages):
        buf = io.BytesIO()
        page_image().save(buf, "JPEG", quality=80, dpi=(300, 300))
        images.append(buf.getvalue())
    pdf = pikepdf.open(io.BytesIO(_img2pdf(images)))
    if created:
        pdf.docinfo[pikepdf.Name.CreationDate] = created
    pdf.save(path)
    return path


def _img2pdf(images: list[bytes]) -> bytes:
    import img2pdf

    return bytes(img2pdf.convert(images, nodate=True))


def rejected(path: Path, workdir: Path) -> IngestRejected:
    with pytest.raises(IngestRejected) as caught:
        triage(path, workdir)
    return caught.value


def page_boxes(pdf_path: Path) -> list[tuple[float, float]]:
    with pikepdf.open(pdf_path) as pdf:
        return [(round(float(p.mediabox[2]), 1), round(float(p.mediabox[3]), 1))
                for p in pdf.pages]


# --- what is not a readable PDF or scanner image ------------------------------------------------


def test_text_file_named_pdf_is_not_a_pdf(tmp_path: Path) -> None:
    # GIVEN a text file someone renamed .pdf
    path = tmp_path / "order.pdf"
    path.write_text("คำสั่ง ที่ 123/2567\n", encoding="utf-8")
    # WHEN it is triaged
    error = rejected(path, tmp_path / "work")
    # THEN it is refused as not a PDF, with a sentence saying what to do
    assert error.reasons == ["not_pdf"]
    assert "save the electronic document as PDF" in error.detail


def test_word_document_named_pdf_is_not_a_pdf(tmp_path: Path) -> None:
    # GIVEN a .docx (a zip) renamed .pdf
    path = tmp_path / "order.pdf"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    path.write_bytes(buf.getvalue())
    # WHEN it is triaged / THEN it is not a PDF
    assert rejected(path, tmp_path / "work").reasons == ["not_pdf"]


def test_empty_file_is_unreadable(tmp_path: Path) -> None:
    # GIVEN an upload of zero bytes
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"")
    # WHEN it is triaged
    error = rejected(path, tmp_path / "work")
    # THEN it is unreadable (there is no type to speak of)
    assert error.reasons == ["unreadable"]
    assert "empty" in error.detail


@pytest.mark.parametrize("cut", ["in_page_tree", "in_image"])
def test_truncated_pdf_is_unreadable(tmp_path: Path, cut: str) -> None:
    # GIVEN a scanned PDF cut short, before its first page object or inside its page image
    whole = scan_pdf(tmp_path / "whole.pdf").read_bytes()
    keep = whole.index(b"/Type /Page") if cut == "in_page_tree" else len(whole) // 2
    path = tmp_path / "scan.pdf"
    path.write_bytes(whole[:keep])
    # WHEN it is triaged
    error = rejected(path, tmp_path / "work")
    # THEN it is unreadable
    assert error.reasons == ["unreadable"]


def test_pdf_without_pages_is_unreadable(tmp_path: Path) -> None:
    # GIVEN a well-formed PDF with no page
    path = tmp_path / "scan.pdf"
    pikepdf.new().save(path)
    # WHEN it is triaged / THEN it is unreadable
    assert rejected(path, tmp_path / "work").reasons == ["unreadable"]


def test_damaged_image_is_unreadable(tmp_path: Path) -> None:
    # GIVEN a JPEG from the scanner, cut in half on the way
    buf = io.BytesIO()
    page_image().save(buf, "JPEG", quality=80, dpi=(300, 300))
    path = tmp_path / "scan.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    # WHEN it is triaged / THEN it is unreadable
    assert rejected(path, tmp_path / "work").reasons == ["unreadable"]


@pytest.mark.parametrize(("user", "owner"), [("secret", "owner"), ("", "owner")])
def test_encrypted_pdf_is_refused(tmp_path: Path, user: str, owner: str) -> None:
    # GIVEN a PDF that needs a password, or opens but carries an owner password (OCRmyPDF
    # refuses both, and an archive copy must not carry restrictions)
    path = tmp_path / "scan.pdf"
    with pikepdf.open(scan_pdf(tmp_path / "plain.pdf")) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user=user, owner=owner))
    # WHEN it is triaged
    error = rejected(path, tmp_path / "work")
    # THEN it is refused as encrypted, saying how to fix it
    assert error.reasons == ["encrypted"]
    assert "remove the protection" in error.detail


# --- PDFs -----------------------------------------------------------------------------------


def test_scanned_pdf_is_taken_as_it_is(tmp_path: Path) -> None:
    # GIVEN a two-page scanned PDF, dated by the scanner
    path = scan_pdf(tmp_path / "scan.pdf", pages=2, created="D:20250110140500+07'00'")
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN it is processed as it is, with its date and no text layer
    assert result == Triage(kind="pdf", media_type="application/pdf", pdf_path=path, pages=2,
                            created_at=datetime(2025, 1, 10, 14, 5, tzinfo=THAI),
                            text_pages=[False, False])


def test_type_is_told_by_content_not_by_name(tmp_path: Path) -> None:
    # GIVEN a PDF named .jpg, and a JPEG named .pdf
    pdf = scan_pdf(tmp_path / "scan.jpg")
    jpeg = tmp_path / "photo.pdf"
    page_image().save(jpeg, "JPEG", dpi=(300, 300))
    # WHEN they are triaged / THEN each is what its bytes say
    assert triage(pdf, tmp_path / "w1").kind == "pdf"
    assert triage(jpeg, tmp_path / "w2").media_type == "image/jpeg"


def test_born_digital_pdf_has_a_text_layer(tmp_path: Path) -> None:
    # GIVEN an electronic order written as PDF, dated in its XMP earlier than in its info
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=14)
    doc.cell(text="Order 123/2567")
    doc.add_page()  # a blank second page
    doc.set_creation_date(datetime(2024, 5, 1, 9, 0, tzinfo=THAI))
    path = tmp_path / "order.pdf"
    doc.output(str(path))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["xmp:CreateDate"] = "2024-04-30T08:00:00+07:00"
        pdf.save(path)
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN the text layer is seen per page, and the earlier date is the creation date
    assert result.text_pages == [True, False]
    assert result.created_at == datetime(2024, 4, 30, 8, 0, tzinfo=THAI)


# --- scanner images -------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "media_type"), [
    (".jpg", "image/jpeg"), (".png", "image/png"), (".tif", "image/tiff")])
def test_scanner_image_at_300_dpi_is_wrapped_and_passes(tmp_path: Path, suffix: str,
                                                        media_type: str) -> None:
    # GIVEN a colour A6 page from a scanner at 300 DPI as JPEG, PNG or TIFF
    path = tmp_path / f"scan{suffix}"
    page_image().save(path, dpi=(300, 300))
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN it becomes a one-page PDF in the work folder, the size of the sheet
    assert (result.kind, result.media_type, result.pages) == ("image", media_type, 1)
    assert result.pdf_path.parent == tmp_path / "work"
    assert page_boxes(result.pdf_path) == [(297.6, 419.5)]  # 1240 x 1748 px at 300 DPI
    assert result.text_pages == [False]
    # AND the scanning rules see a 300 DPI colour scan
    check = check_scan(result.pdf_path, created_at=result.created_at)
    assert (check.reasons, check.pages[0].dpi) == ([], 300)


def test_jpeg_is_embedded_without_recompression(tmp_path: Path) -> None:
    # GIVEN a JPEG from the scanner
    path = tmp_path / "scan.jpg"
    page_image().save(path, "JPEG", quality=80, dpi=(300, 300))
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN the PDF holds the very same JPEG bytes
    with pikepdf.open(result.pdf_path) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert image.read_raw_bytes() == path.read_bytes()


def test_multipage_tiff_becomes_a_multipage_pdf(tmp_path: Path) -> None:
    # GIVEN a three-page TIFF: colour, grey and bilevel pages at 300 DPI
    path = tmp_path / "scan.tif"
    first = page_image()
    first.save(path, save_all=True, append_images=[page_image(mode="L"), page_image(mode="1")],
               dpi=(300, 300), compression="tiff_deflate")
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN there is one PDF page per TIFF page, each judged on its own
    assert result.pages == 3
    assert page_boxes(result.pdf_path) == [(297.6, 419.5)] * 3
    check = check_scan(result.pdf_path, created_at=None)
    assert [p.color for p in check.pages] == [True, False, False]
    assert check.reasons == ["not_color"]


def test_image_without_resolution_is_taken_as_an_a4_sheet(tmp_path: Path) -> None:
    # GIVEN a PNG of 1240 x 1754 pixels with no DPI metadata
    path = tmp_path / "scan.png"
    page_image((1240, 1754)).save(path)
    # WHEN it is triaged and checked
    result = triage(path, tmp_path / "work")
    check = check_scan(result.pdf_path, created_at=None)
    # THEN it is an A4 page (297 mm tall), so 150 DPI: too coarse
    assert page_boxes(result.pdf_path) == [(595.2, 841.9)]
    assert check.reasons == ["low_resolution"]


def test_camera_resolution_metadata_is_not_believed(tmp_path: Path) -> None:
    # GIVEN a 12-megapixel photo that says 72 DPI (a 1.4 m wide sheet)
    path = tmp_path / "photo.jpg"
    page_image((4000, 3000)).save(path, "JPEG", quality=70, dpi=(72, 72))
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN it is taken as an A4 sheet in landscape instead
    assert page_boxes(result.pdf_path) == [(841.9, 631.4)]


def test_image_date_and_zone_come_from_exif(tmp_path: Path) -> None:
    # GIVEN a JPEG whose EXIF says when it was scanned, and in which time zone
    exif = Image.Exif()
    exif[306] = "2025:12:31 16:30:00"
    exif.get_ifd(0x8769)[36880] = "+07:00"  # OffsetTime
    path = tmp_path / "scan.jpg"
    page_image().save(path, "JPEG", dpi=(300, 300), exif=exif)
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN the scan's date is known, zone included
    assert result.created_at == datetime(2025, 12, 31, 16, 30, tzinfo=THAI)


@pytest.mark.parametrize("kind", ["alpha_png", "sixteen_bit_tiff"])
def test_images_with_alpha_or_deep_pixels_are_wrapped(tmp_path: Path, kind: str) -> None:
    # GIVEN a PNG with transparency, or a 16-bit greyscale TIFF (img2pdf refuses the latter)
    if kind == "alpha_png":
        path = tmp_path / "scan.png"
        page_image(mode="RGBA").save(path, dpi=(300, 300))
    else:
        path = tmp_path / "scan.tif"
        grey = np.asarray(page_image(mode="L"), dtype=np.uint16) * 257
        Image.fromarray(grey).save(path, dpi=(300, 300))
    # WHEN it is triaged
    result = triage(path, tmp_path / "work")
    # THEN it still becomes a PDF of the right size
    assert page_boxes(result.pdf_path) == [(297.6, 419.5)]


def test_wrapping_is_deterministic(tmp_path: Path) -> None:
    # GIVEN a TIFF from the scanner
    path = tmp_path / "scan.tif"
    page_image().save(path, dpi=(300, 300))
    # WHEN it is triaged twice, with the clock a second on between the two
    first = triage(path, tmp_path / "w1").pdf_path.read_bytes()
    time.sleep(1.1)
    second = triage(path, tmp_path / "w2").pdf_path.read_bytes()
    # THEN the PDFs are the same bytes
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
