"""OCR with ocrmypdf in-process: Thai first, an archival PDF/A-2b copy and per-page text."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from archive.thai import clean_ocr_text
from ingest.ocrplugin import PLUGIN

# One BLAS thread for the digit reader's numpy, as tesseract gets one OpenMP thread per worker
# (ingest.batch): pages are read in parallel by processes, and threads fighting over the same
# cores only add time. Read by OpenBLAS when numpy loads, which in an ingest worker is after
# this module (ingest.pipeline imports it before anything that needs numpy).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

log = logging.getLogger(__name__)
# ocrmypdf talks a lot at WARNING (missing display fonts, page notes); its failures reach us
# as exceptions, so only its errors are worth showing.
logging.getLogger("ocrmypdf").setLevel(logging.ERROR)

LANGUAGES = ["tha", "eng"]  # tha first: it decides the script of ambiguous glyphs
# Reads the numbers on each page from its pixels (all ten Thai digits, which tesseract's Thai
# model cannot write) into both the stored text and the PDF/A text layer; on any failure the
# page keeps tesseract's reading (ingest.digits.reader.correct_page).
DIGIT_CORRECTOR = "ingest.digits.reader:correct_page"
DEFAULT_PAGE_TIMEOUT_S = 300.0


class OcrError(Exception):
    """OCR could not run (missing program, crash, time-out): a system problem, not a bad scan."""


class OcrUnreadable(Exception):
    """The file cannot be processed as a PDF by the OCR pipeline (a problem of the input)."""


class OcrFailed(Exception):
    """OCR or PDF/A conversion failed on this one file; the run goes on with the others."""


@dataclass(frozen=True)
class OcrResult:
    archive_pdf: Path  # PDF/A-2b with the text layer
    page_texts: list[str]  # cleaned text, one entry per page
    ocr_pages: int  # pages that went through tesseract


def check_dependencies() -> None:
    """Fail at start-up, with what to install, rather than on the first scan."""
    for program, package in (("tesseract", "tesseract-ocr"), ("gs", "ghostscript")):
        if shutil.which(program) is None:
            raise OcrError(f"{program} is not installed; install the Debian package {package}")
    try:
        langs = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrError(f"tesseract does not run: {exc}") from exc
    for lang, package in (("tha", "tesseract-ocr-tha"), ("eng", "tesseract-ocr-eng")):
        if lang not in langs:
            raise OcrError(f"tesseract has no '{lang}' model; install {package}")


def extract_text_layer(pdf: Path, page: int) -> str:
    """Text of a born-digital page (1-based) as the PDF carries it, via poppler's pdftotext."""
    try:
        proc = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True, timeout=120, check=True,
        )
    except FileNotFoundError as exc:
        raise OcrError(
            "pdftotext is not installed; install the Debian package poppler-utils"
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise OcrUnreadable(f"cannot read the text of page {page}: {exc.stderr!r}") from exc
    return proc.stdout.decode("utf-8", "replace")


def _prepare_input(pdf: Path, workdir: Path) -> Path:
    """A copy without what PDF/A forbids (actions, JavaScript); the original stays untouched."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        root = doc.Root
        changed = False
        for key in ("/OpenAction", "/AA"):
            if key in root:
                del root[key]
                changed = True
        names = root.get("/Names")
        if names is not None and "/JavaScript" in names:
            del names["/JavaScript"]
            changed = True
        for page in doc.pages:
            if "/AA" in page.obj:
                del page.obj["/AA"]
                changed = True
        if not changed:
            return pdf
        prepared = workdir / "input.pdf"
        doc.save(prepared)
    return prepared


def _split_sidecar(sidecar: Path, pages: int) -> list[str]:
    texts = sidecar.read_text(encoding="utf-8").split("\f")
    texts += [""] * (pages - len(texts))
    return texts[:pages]


def ocr_document(
    pdf: Path,
    workdir: Path,
    *,
    text_pages: list[bool],
    page_timeout_s: float = DEFAULT_PAGE_TIMEOUT_S,
    read_digits: bool = True,
) -> OcrResult:
    """OCR the pages that carry no text; born-digital pages keep their own text.

    The stored text is the sidecar (tesseract's own text output, cleaned, with the numbers
    read by ingest.digits when read_digits). The PDF/A text layer is built from the same words
    by ingest.ocrplugin, so pdftotext of the archive copy gives the stored words instead of
    ocrmypdf's one-space-per-Thai-character layer.
    """
    import ocrmypdf
    from ocrmypdf import exceptions as ocr_exc

    workdir.mkdir(parents=True, exist_ok=True)
    out_pdf = workdir / "archive.pdf"
    sidecar = workdir / "sidecar.txt"
    pages = len(text_pages)
    try:
        source = _prepare_input(pdf, workdir)
    except Exception as exc:  # pikepdf raises many kinds for damaged files
        raise OcrUnreadable(f"cannot prepare the PDF: {exc}") from exc
    try:
        ocrmypdf.ocr(
            source,
            out_pdf,
            language=LANGUAGES,
            output_type="pdfa-2",
            pdfa_backend="internal",
            sidecar=sidecar,
            skip_text=True,
            rotate_pages=True,  # pages scanned sideways or upside down
            # No deskew: tesseract's layout analysis copes with scanner skew (CER unchanged
            # with and without it on scans skewed up to 1.5 deg, bench_ocr_options.py), deskew
            # cost a third of the OCR time, and it would re-encode the page image, while the
            # archive copy must stay identical to the scan (clause 5.6.1).
            deskew=False,
            invalidate_digital_signatures=True,  # the signed original is kept untouched
            tesseract_timeout=page_timeout_s,
            progress_bar=False,
            jobs=1,
            optimize=1,
            plugins=[PLUGIN],  # Thai words kept whole in the PDF/A text layer
            tabian_word_corrector=DIGIT_CORRECTOR if read_digits else None,
            # Ruled tables (group orders' name lists, service periods) are read row by row,
            # not dropped as pictures (ingest.ruling; benchmarks/bench_digits.py "+ tables").
            tabian_read_tables=True,
            # Left at their defaults after benchmarks/bench_ocr_options.py: psm 4 or 6, Sauvola
            # or adaptive-Otsu thresholding, oversample 400 and tabian_colour_dropout (stamps
            # and pen faded out for tesseract) did not lower the held-out CER. Adaptive Otsu
            # tripled it; oversample cost +43 % time; colour dropout cut train CER by 8 % but
            # raised held-out CER by 5 %, for +15 % CPU.
        )
    except (ocr_exc.InputFileError, ocr_exc.EncryptedPdfError) as exc:
        raise OcrUnreadable(str(exc) or type(exc).__name__) from exc
    except ocr_exc.MissingDependencyError as exc:
        raise OcrError(f"OCR dependency missing: {exc}") from exc
    except ocr_exc.ExitCodeException as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise OcrFailed(f"{type(exc).__name__}: {first_line}") from exc
    ocr_texts = _split_sidecar(sidecar, pages)
    texts = [
        extract_text_layer(pdf, number) if has_text else ocr_texts[number - 1]
        for number, has_text in enumerate(text_pages, start=1)
    ]
    return OcrResult(
        archive_pdf=out_pdf,
        page_texts=[clean_ocr_text(t) for t in texts],
        ocr_pages=sum(1 for t in text_pages if not t),
    )
