"""ocrmypdf plugin: tesseract whose text layer keeps Thai words whole (see ingest.textlayer)."""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from ocrmypdf import hookimpl
from ocrmypdf._exec import tesseract
from ocrmypdf.builtin_plugins import tesseract_ocr
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.exceptions import BadArgsError
from ocrmypdf.hocrtransform import HocrParser, OcrElement
from PIL import Image
from pydantic import BaseModel

from ingest.dropout import drop_colour_ink
from ingest.ruling import TABLE_PAGE_SEGMENTATION, erase_ruling, find_ruling
from ingest.textlayer import Word, build_text_layer

log = logging.getLogger(__name__)

PLUGIN = "ingest.ocrplugin"  # what to pass as ocrmypdf.ocr(plugins=[...])

# A named corrector gets the page's words and the image tesseract read (the words' pixels).
PageCorrector = Callable[[list[Word], Image.Image], list[Word]]

_THAI = re.compile("[\u0e00-\u0e7f]")
_PATCH_MARKER = "_tabian_thai_unshaped"


class TabianOcrOptions(BaseModel):
    """Options of this plugin; ocrmypdf.ocr(tabian_word_corrector="pkg.module:function")."""

    # A name, not a function: ocrmypdf OCRs in worker processes, which import it by name.
    word_corrector: str | None = None
    # Red and blue ink (stamps, pen signatures) faded out of the image tesseract reads; the
    # archived page keeps its colours (ingest.dropout).
    colour_dropout: bool = False
    # A page with a ruled table is read with its ruling erased and as one block of lines, row
    # by row; tesseract's own layout analysis loses such tables (ingest.ruling).
    read_tables: bool = False


def load_corrector(name: str) -> PageCorrector:
    """The PageCorrector named "package.module:function"."""
    module, _, attr = name.partition(":")
    if not attr:
        raise ValueError("not of the form 'package.module:function'")
    corrector = getattr(importlib.import_module(module), attr)
    if not callable(corrector):
        raise TypeError(f"{attr} is not a function")
    return cast(PageCorrector, corrector)


class ThaiTextLayerEngine(TesseractOcrEngine):
    """Tesseract as ocrmypdf runs it, with the page's words rebuilt before rendering."""

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(
        input_file: Path, options: Any, page_number: int = 0
    ) -> tuple[OcrElement, str]:
        hocr = input_file.with_name(f"{input_file.stem}_tabian.hocr")
        text = hocr.with_suffix(".txt")  # tesseract names both outputs from one prefix
        name = options.tabian.word_corrector
        if not (name or options.tabian.read_tables):
            TesseractOcrEngine.generate_hocr(input_file, hocr, text, options)
            layer = build_text_layer(HocrParser(hocr).parse(), _read_text(text))
            return layer.page, layer.text
        # The page is decoded once: the table search and the corrector read the same pixels.
        with Image.open(input_file) as image:
            image.load()
            table = _table_page(input_file, image) if options.tabian.read_tables else None
            if table is None:
                TesseractOcrEngine.generate_hocr(input_file, hocr, text, options)
                pixels: Image.Image = image  # the pixels tesseract read
            else:
                source, pixels = table
                _generate_hocr(source, hocr, text, options, pagesegmode=TABLE_PAGE_SEGMENTATION)
            page = HocrParser(hocr).parse()
            tesseract_text = _read_text(text)
            if name:
                try:
                    corrector = load_corrector(name)
                    layer = build_text_layer(
                        page, tesseract_text, correct=lambda words: corrector(words, pixels)
                    )
                    return layer.page, layer.text
                except Exception:  # a corrector only improves the page: never lose it to one
                    log.warning("word corrector %s failed on page %d; tesseract's words kept",
                                name, page_number + 1, exc_info=True)
        layer = build_text_layer(page, tesseract_text)
        return layer.page, layer.text


def _read_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def _table_page(input_file: Path, image: Image.Image) -> tuple[Path, Image.Image] | None:
    """For a page (`image`, read from `input_file`) with a ruled table: the page with its
    ruling erased, and the file tesseract reads it from (beside `input_file`); None for any
    other page, which tesseract reads as it is. Looking for a table only improves the page:
    if it fails, the page is read as it is."""
    try:
        ruling = find_ruling(image, tables_only=True)
        if not ruling.has_table:
            return None
        erased = erase_ruling(image, ruling)
        path = input_file.with_name(f"{input_file.stem}_tabian_unruled.png")
        erased.save(path, dpi=(ruling.dpi, ruling.dpi))
    except Exception:
        log.warning("looking for a ruled table failed on %s; the page is read as it is",
                    input_file.name, exc_info=True)
        return None
    return path, erased


def _generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any, *,
                   pagesegmode: int) -> None:
    """TesseractOcrEngine.generate_hocr with another page segmentation mode."""
    tesseract.generate_hocr(
        input_file=input_file,
        output_hocr=output_hocr,
        output_text=output_text,
        languages=options.languages,
        engine_mode=options.tesseract.oem,
        tessconfig=options.tesseract.config,
        timeout=options.tesseract.timeout,
        pagesegmode=pagesegmode,
        thresholding=options.tesseract.thresholding,
        user_words=options.tesseract.user_words,
        user_patterns=options.tesseract.user_patterns,
        omp_thread_limit=options.tesseract.omp_thread_limit,
    )


def render_thai_unshaped() -> None:
    """Make ocrmypdf's renderer write invisible Thai text unshaped, one glyph per character.

    HarfBuzz's Thai shaper splits ำ into two glyphs; fpdf2 gives the first the character and the
    second no Unicode at all, and poppler reads the second glyph's advance as a word gap: "คำ
    สั่ง". Shaping only places glyphs, and the text is invisible, so nothing is lost. ocrmypdf
    decides per word with a private function; this wraps it (the same way ocrmypdf itself
    patches fpdf2), once per process.
    """
    from ocrmypdf.fpdf_renderer import renderer

    needs_shaping = getattr(renderer, "_needs_complex_shaping", None)
    if needs_shaping is None:
        log.warning("ocrmypdf's renderer changed: Thai words with ำ may split in the text layer")
        return
    if getattr(needs_shaping, _PATCH_MARKER, False):
        return

    def needs_shaping_but_thai(text: str) -> bool:
        return bool(needs_shaping(_THAI.sub("", text)))

    setattr(needs_shaping_but_thai, _PATCH_MARKER, True)
    renderer._needs_complex_shaping = needs_shaping_but_thai


@hookimpl
def initialize(plugin_manager: Any) -> None:
    render_thai_unshaped()


@hookimpl
def check_options(options: Any) -> None:
    # Fail before any page is read, not in a worker halfway through the file.
    name = options.tabian.word_corrector
    if name:
        try:
            load_corrector(name)
        except (ImportError, AttributeError, ValueError, TypeError) as exc:
            raise BadArgsError(f"tabian_word_corrector {name!r}: {exc}") from exc


@hookimpl
def register_options() -> dict[str, type[BaseModel]]:
    return {"tabian": TabianOcrOptions}


@hookimpl
def filter_ocr_image(page: Any, image: Image.Image) -> Image.Image | None:
    # A first-result hook: None leaves the image to the built-in tesseract plugin; an answer
    # here skips it, so its shrinking of images too large for tesseract is done here too.
    if not page.options.tabian.colour_dropout:
        return None
    return tesseract_ocr.filter_ocr_image(page, drop_colour_ink(image))


@hookimpl
def get_ocr_engine(options: Any) -> ThaiTextLayerEngine | None:
    # Registered after the built-in tesseract plugin, so this answer wins.
    if options is not None and getattr(options, "ocr_engine", "auto") not in ("auto", "tesseract"):
        return None
    return ThaiTextLayerEngine()
