"""`tabian ingest` and `documents show` end to end, with real tesseract on small pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import tabian
from tests.ingest.pages import write_scan_pdf

pytestmark = pytest.mark.ocr

CID = "1101700203450"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("inbox")
    write_scan_pdf(root / CID / "order.pdf", ["คำสั่งแต่งตั้ง ที่ 123/2567", "นายสมชาย ใจดี"])
    write_scan_pdf(root / CID / "low.pdf", ["เอกสาร"], dpi=150)
    write_scan_pdf(root / CID / "grey.pdf", ["เอกสาร"], mode="L")
    write_scan_pdf(root / CID / "legacy.pdf", ["เอกสารเก่า"], mode="L",
                   creation_date="D:20240110090000+07'00'")
    (root / "unsorted").mkdir()
    (root / "unsorted" / "notes.pdf").write_text("not a pdf at all", encoding="utf-8")
    (root / "unsorted" / "empty.pdf").write_bytes(b"")
    good = (root / CID / "order.pdf").read_bytes()
    (root / "unsorted" / "cut.pdf").write_bytes(good[: len(good) // 2])
    (root / "unsorted" / "copy-of-order.pdf").write_bytes(good)
    return root


@pytest.fixture(scope="module")
def ingested(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    data_dir = tmp_path_factory.mktemp("data")
    result = tabian("ingest", inbox, "--json", "--quiet", data_dir=data_dir)
    assert result.code == 0, result.stderr
    return data_dir, {Path(o["file"]).name: o for o in result.json_lines}


def test_every_file_gets_one_json_line_with_the_contract_fields(
    ingested: tuple[Path, dict[str, dict]]
) -> None:
    _, out = ingested
    assert set(out) == {"order.pdf", "low.pdf", "grey.pdf", "legacy.pdf", "notes.pdf",
                        "empty.pdf", "cut.pdf", "copy-of-order.pdf"}
    for line in out.values():
        assert {"file", "status", "document_id", "sha256", "pages", "reasons", "warnings",
                "category", "category_confidence", "citizen_ids", "link", "entry_ids"} <= set(line)


def test_outcomes_and_reasons(ingested: tuple[Path, dict[str, dict]]) -> None:
    _, out = ingested
    assert out["order.pdf"]["status"] == "stored" and out["order.pdf"]["pages"] == 1
    assert out["order.pdf"]["category"] is None and out["order.pdf"]["link"] == "unlinked"
    assert (out["low.pdf"]["status"], out["low.pdf"]["reasons"]) == ("rejected", ["low_resolution"])
    assert (out["grey.pdf"]["status"], out["grey.pdf"]["reasons"]) == ("rejected", ["not_color"])
    assert out["legacy.pdf"]["status"] == "stored"
    assert "legacy_bw_scan" in out["legacy.pdf"]["warnings"]
    assert out["notes.pdf"]["reasons"] == ["not_pdf"]
    assert out["empty.pdf"]["reasons"] == ["unreadable"]
    assert out["cut.pdf"]["reasons"] == ["unreadable"]
    # The copy and the original: one is stored, the other names it as a duplicate.
    pair = [out["order.pdf"], out["copy-of-order.pdf"]]
    assert sorted(o["status"] for o in pair) == ["duplicate", "stored"]
    assert pair[0]["document_id"] == pair[1]["document_id"]


def test_documents_show_gives_cleaned_thai_text(ingested: tuple[Path, dict[str, dict]]) -> None:
    data_dir, out = ingested
    stored = next(o for o in (out["order.pdf"], out["copy-of-order.pdf"]) if o["status"] == "stored")
    shown = tabian("documents", "show", stored["document_id"], "--json", data_dir=data_dir)
    assert shown.code == 0, shown.stderr
    doc = shown.json
    assert doc["sha256"] == stored["sha256"] and doc["pages"] == 1
    assert "สมชาย" in doc["text"]
    assert "\u0e4d\u0e32" not in doc["text"]  # nikhahit + sara aa folded to sara am
    audit = tabian("audit", "verify", "--json", data_dir=data_dir)
    assert audit.json["ok"] is True


def test_rerun_reports_duplicates_and_verify_is_clean(
    ingested: tuple[Path, dict[str, dict]], inbox: Path
) -> None:
    data_dir, _ = ingested
    again = tabian("ingest", inbox / CID / "order.pdf", "--json", "--quiet", data_dir=data_dir)
    assert again.json_lines[0]["status"] == "duplicate"
    verify = tabian("verify", "--json", data_dir=data_dir)
    assert verify.code == 0 and verify.json["problems"] == []
    assert verify.json["objects"] == 2 * 3  # original, PDF/A, text for each stored document


def test_batch_report_is_recorded(ingested: tuple[Path, dict[str, dict]]) -> None:
    data_dir, _ = ingested
    batches = tabian("batches", "list", "--json", data_dir=data_dir).json["batches"]
    first = batches[-1]
    assert first["state"] == "done"
    report = first["report"]
    assert report["files"] == 8 and report["stored"] == 2 and report["duplicates"] == 1
    assert report["rejected_by_reason"] == {"low_resolution": 1, "not_color": 1, "not_pdf": 1,
                                            "unreadable": 2}
    shown = tabian("batches", "show", first["batch_id"], "--json", data_dir=data_dir).json
    assert len(shown["items"]) == 8
