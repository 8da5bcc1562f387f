"""A page's OCR text with its numbers read by the digit model: one tesseract run, then fixes."""

from __future__ import annotations

import logging
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from ingest.digits.reader import DigitReader, default_reader
from ingest.textlayer import Word, build_text_layer

log = logging.getLogger(__name__)

LANGUAGES = ("tha", "eng")  # as ingest.ocr runs tesseract
DEFAULT_TIMEOUT_S = 300.0


class PageOcrError(Exception):
    """Tesseract could not read the page (missing, crashed, timed out)."""


def tesseract_hocr(image_path: Path, out_base: Path, *, languages: Sequence[str] = LANGUAGES,
                   timeout_s: float = DEFAULT_TIMEOUT_S,
                   pagesegmode: int | None = None) -> tuple[Path, str]:
    """Run tesseract once for both hOCR (word boxes) and plain text (word spaces)."""
    psm = ["--psm", str(pagesegmode)] if pagesegmode is not None else []
    cmd = ["tesseract", str(image_path), str(out_base), "-l", "+".join(languages), *psm,
           "hocr", "txt"]
    try:
        subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=True)
    except FileNotFoundError as e:
        raise PageOcrError("tesseract is not installed; install tesseract-ocr") from e
    except subprocess.TimeoutExpired as e:
        raise PageOcrError(f"tesseract took longer than {timeout_s:.0f} s on {image_path}") from e
    except subprocess.CalledProcessError as e:
        raise PageOcrError(f"tesseract failed on {image_path}: {e.stderr!r}") from e
    # tesseract appends its own suffixes to the base name, whatever dots that has
    hocr = out_base.with_name(out_base.name + ".hocr")
    return hocr, out_base.with_name(out_base.name + ".txt").read_text(encoding="utf-8")


def page_words(hocr: Path, text: str) -> tuple[list[Word], str]:
    """Whole words (Thai words joined as tesseract's text spaces them) and the cleaned text."""
    from ocrmypdf.hocrtransform import HocrParser

    collected: list[Word] = []

    def keep(words: list[Word]) -> list[Word]:
        collected.extend(words)
        return words

    layer = build_text_layer(HocrParser(hocr).parse(), text, correct=keep)
    return collected, layer.text


def read_page_text(image: Image.Image, *, reader: DigitReader | None = None,
                   languages: Sequence[str] = LANGUAGES,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> str:
    """Tesseract's text of the page, cleaned, with every number read by the digit model.

    Lines and paragraphs stay as tesseract's text output lays them out.
    """
    reader = reader or default_reader()
    with tempfile.TemporaryDirectory(prefix="tabian-digits-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        hocr, text = tesseract_hocr(path, Path(tmp) / "page", languages=languages,
                                    timeout_s=timeout_s)
        from ocrmypdf.hocrtransform import HocrParser

        layer = build_text_layer(HocrParser(hocr).parse(), text,
                                 correct=lambda words: reader.correct_words(image, words))
    return layer.text
