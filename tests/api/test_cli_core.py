"""The CLI contract for the archive core: imports, verify, audit verify, exit codes, JSON only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.archive import open_archive
from archive.catalog import Document
from archive.config import load_settings
from archive.documents import ObjectSource, object_key, write_objects
from tests.cli import tabian

PERSONS = (
    "citizen_id,prefix,first_name,last_name,birth_date,appointed_on,unit,status,left_service_on,left_reason\n"
    "1101700203450,นาย,สมชาย,ใจดี,1987-03-27,2010-05-16,โรงเรียนบ้านหนองบัว,active,,\n"
    "1101700203451,นาย,ผิด,เลขตรวจ,1987-03-27,,,active,,\n"
)


def test_persons_import_prints_only_json_and_reports_bad_rows(tmp_path: Path) -> None:
    csv = tmp_path / "persons.csv"
    csv.write_text(PERSONS, encoding="utf-8")
    result = tabian("persons", "import", csv, "--json", data_dir=tmp_path / "data")
    assert result.code == 0, result.stderr
    assert result.json["imported"] == 1 and result.json["updated"] == 0
    assert [r["line"] for r in result.json["rejected"]] == [3]
    again = tabian("persons", "import", csv, "--json", data_dir=tmp_path / "data")
    assert (again.json["imported"], again.json["updated"]) == (0, 1)


def test_data_dir_may_follow_the_subcommand(tmp_path: Path) -> None:
    csv = tmp_path / "persons.csv"
    csv.write_text(PERSONS, encoding="utf-8")
    result = tabian("persons", "import", csv, "--json", "--data-dir", tmp_path / "other",
                    data_dir=tmp_path / "ignored")
    assert result.code == 0
    assert (tmp_path / "other" / "catalog.sqlite3").exists()


def test_missing_file_and_bad_usage_exit_2(tmp_path: Path) -> None:
    missing = tabian("persons", "import", tmp_path / "nope.csv", data_dir=tmp_path / "d")
    assert missing.code == 2 and "no such file" in missing.stderr
    assert tabian("persons", "explode", data_dir=tmp_path / "d").code == 2


def test_header_without_required_columns_is_reported_not_crashed(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("citizen_id,first_name\n1101700203450,สมชาย\n", encoding="utf-8")
    result = tabian("persons", "import", csv, "--json", data_dir=tmp_path / "d")
    assert result.code == 0
    assert result.json["imported"] == 0
    assert "missing column" in result.json["rejected"][0]["error"]


def test_unreadable_catalog_is_a_system_failure(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "catalog.sqlite3").write_bytes(b"this is not a database" * 100)
    result = tabian("verify", "--json", data_dir=data)
    assert result.code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def _store_one_document(data_dir: Path) -> tuple[str, Path]:
    archive = open_archive(load_settings(data_dir))
    try:
        data = b"%PDF-1.7 fake scan bytes for verify"
        import hashlib
        from datetime import UTC, datetime

        sha = hashlib.sha256(data).hexdigest()
        rows = write_objects(archive.store, [
            ObjectSource("original", object_key(sha, "original"), data=data),
            ObjectSource("text", object_key(sha, "text"), data="คำสั่ง".encode()),
        ])
        with archive.catalog.session() as s:
            doc = Document(id="a" * 32, sha256=sha, size=len(data), pages=1,
                           original_name="x.pdf", media_type="application/pdf", link="unlinked",
                           warnings=[], created_at=datetime.now(UTC))
            doc.objects.extend(rows)
            s.add(doc)
        return doc.id, archive.settings.objects_dir / object_key(sha, "original")
    finally:
        archive.close()


def test_verify_finds_a_flipped_byte_and_exits_non_zero(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    document_id, original = _store_one_document(data_dir)
    clean = tabian("verify", "--json", data_dir=data_dir)
    assert clean.code == 0 and clean.json == {"objects": 2, "ok": 2, "problems": []}
    # WHEN one byte of the stored original is flipped
    raw = bytearray(original.read_bytes())
    raw[5] ^= 0x01
    original.write_bytes(bytes(raw))
    result = tabian("verify", "--json", data_dir=data_dir)
    # THEN verify names the document and exits non-zero
    assert result.code != 0
    assert result.json["ok"] == 1
    assert [(p["kind"], p["document_id"]) for p in result.json["problems"]] == [
        ("checksum_mismatch", document_id)
    ]


def test_verify_reports_missing_and_orphan_objects(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    document_id, original = _store_one_document(data_dir)
    original.unlink()
    stray = original.parent.parent / ("f" * 64) / "original.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left behind by a crash")
    kinds = {(p["kind"], p["document_id"])
             for p in tabian("verify", "--json", data_dir=data_dir).json["problems"]}
    assert kinds == {("missing_object", document_id), ("orphan_object", None)}


def test_audit_verify_names_an_edited_event(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    csv = tmp_path / "persons.csv"
    csv.write_text(PERSONS, encoding="utf-8")
    for _ in range(3):
        tabian("persons", "import", csv, data_dir=data_dir)
    assert tabian("audit", "verify", "--json", data_dir=data_dir).json["ok"] is True
    with sqlite3.connect(data_dir / "catalog.sqlite3") as db:
        db.execute("UPDATE audit_events SET details = '{}' WHERE seq = 2")
    result = tabian("audit", "verify", "--json", data_dir=data_dir)
    assert result.code == 1
    assert result.json["problems"][0]["seq"] == 2
    assert result.json["problems"][0]["kind"] == "edited"


def test_demo_loads_the_sample_registry(tmp_path: Path) -> None:
    result = tabian("demo", "--json", "--scans", "0", data_dir=tmp_path / "d")
    assert result.code == 0, result.stderr
    summary = result.json
    # Demo sign-ins exist and their password is printed for the user.
    assert set(summary["logins"]["staff"]) == {"registrar", "digitizer", "records", "controller"}
    assert summary["logins"]["password"].startswith("demo-")
    assert summary["persons"] >= 30 and summary["entries"] > summary["persons"] // 2
    assert summary["persons_import"]["rejected"] == []
    assert set(summary["persons_by_status"]) == {
        "active", "suspended", "ordered_out_pending", "transferred_out", "left_service"
    }


@pytest.mark.ocr
def test_demo_ingests_sample_scans_and_prints_a_sign_in(tmp_path: Path) -> None:
    """The README's first command: sample scans in, demo sign-ins out (no server with --json)."""
    result = tabian("demo", "--json", "--scans", "2", "--jobs", "1", data_dir=tmp_path / "d")
    assert result.code == 0, result.stderr
    ingest = result.json["ingest"]
    assert ingest["stored"] >= 2, ingest
    assert result.json["logins"]["owner"]
