"""Thai and Arabic digits read from the page pixels, where tesseract's Thai model cannot."""

from __future__ import annotations

from ingest.digits.model import MODEL_PATH, GlyphClassifier, ModelError
from ingest.digits.page import PageOcrError, read_page_text
from ingest.digits.reader import DigitReader, correct_page, corrector_for, default_reader

__all__ = [
    "MODEL_PATH",
    "DigitReader",
    "GlyphClassifier",
    "ModelError",
    "PageOcrError",
    "correct_page",
    "corrector_for",
    "default_reader",
    "read_page_text",
]
