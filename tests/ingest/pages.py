"""Small real test scans for the ingest tests: colour pages with Thai text at a chosen DPI."""

from __future__ import annotations

from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/tlwg/Garuda.ttf"


def thai_page(lines: list[str], *, dpi: int = 300, width_in: float = 4.1, height_in: float = 2.0,
              mode: str = "RGB", stamp: bool = True) -> Image.Image:
    """A small page (default about A7 landscape) so OCR in tests stays quick."""
    size = (round(width_in * dpi), round(height_in * dpi))
    image = Image.new("RGB", size, (252, 250, 244))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, max(8, round(dpi * 16 / 72)))
    y = round(dpi * 0.2)
    for line in lines:
        draw.text((round(dpi * 0.2), y), line, font=font, fill=(20, 20, 20))
        y += round(dpi * 0.3)
    if stamp:
        r = round(dpi * 0.3)
        cx, cy = size[0] - 2 * r, size[1] - 2 * r
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(200, 30, 30), width=max(2, dpi // 60))
    return image.convert(mode) if mode != "RGB" else image


def write_scan_pdf(path: Path, lines: list[str], *, dpi: int = 300, mode: str = "RGB",
                   creation_date: str | None = None) -> Path:
    """A scanned PDF: one JPEG page image drawn over the whole page at `dpi`."""
    import io

    buf = io.BytesIO()
    thai_page(lines, dpi=dpi, mode=mode).save(buf, format="JPEG", quality=88, dpi=(dpi, dpi))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(img2pdf.convert(buf.getvalue()))
    if creation_date:
        import pikepdf

        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            pdf.docinfo["/CreationDate"] = creation_date
            pdf.save(path)
    return path
