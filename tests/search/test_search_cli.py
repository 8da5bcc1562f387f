"""`tabian search`, `reindex`, `index` and the index part of `verify`, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.archive import open_archive
from archive.config import load_settings
from tests.cli import tabian
from tests.search.archive_docs import add_person, citizen_id, store_document

ORDER = """คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต ๑
ที่ ๑๒๓/๒๕๖๗
เรื่อง บรรจุและแต่งตั้งข้าราชการครู
นางสาวสุภาพร ศรีสุข ให้ดำรงตำแหน่งครูผู้ช่วย"""
HOUSE = "สำเนาทะเบียนบ้าน ท.ร.๑๔ นายสมชาย ใจดี บ้านเลขที่ ๑๒"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    archive = open_archive(load_settings(data))
    try:
        add_person(archive, citizen_id(1), "นางสาว", "สุภาพร", "ศรีสุข")
        add_person(archive, citizen_id(2), "นาย", "สมชาย", "ใจดี")
        store_document(archive, ORDER, name="order-123.pdf", category="appointment",
                       persons=[(citizen_id(1), "linked")])
        store_document(archive, HOUSE, name="house.pdf", category="house_registration",
                       persons=[(citizen_id(2), "linked")])
    finally:
        archive.close()
    return data


def test_search_json_follows_the_contract(data_dir: Path) -> None:
    result = tabian("search", "๑๒๓/๒๕๖๗", "--json", data_dir=data_dir)
    assert result.code == 0, result.stderr
    body = result.json
    assert body["total"] == 1
    (hit,) = body["hits"]
    assert set(hit) == {"document_id", "original_name", "citizen_ids", "category", "score",
                        "snippet"}
    assert hit["original_name"] == "order-123.pdf"
    assert hit["citizen_ids"] == [citizen_id(1)]
    assert hit["category"] == "appointment"
    assert "«๑๒๓/๒๕๖๗»" in hit["snippet"]


def test_thai_and_arabic_digits_and_no_spaces(data_dir: Path) -> None:
    for query in ("123/2567", "๑๒๓/๒๕๖๗", "บรรจุและแต่งตั้ง", "สุภาพรศรีสุข", "นางสาวสุภาพร ศรีสุข"):
        hits = tabian("search", query, "--json", data_dir=data_dir).json["hits"]
        assert [h["original_name"] for h in hits] == ["order-123.pdf"], query


def test_filters_and_limit(data_dir: Path) -> None:
    def names(*args: str) -> list[str]:
        result = tabian("search", *args, "--json", data_dir=data_dir)
        assert result.code == 0, result.stderr
        return [h["original_name"] for h in result.json["hits"]]

    assert sorted(names("ที่")) == ["house.pdf", "order-123.pdf"]
    assert names("ที่", "--category", "house_registration") == ["house.pdf"]
    assert names("ที่", "--citizen-id", "๑-๐๐๐๐-๐๐๐๐๐-๐๑-๗") == ["order-123.pdf"]
    limited = tabian("search", "ที่", "--limit", "1", "--json", data_dir=data_dir).json
    assert limited["total"] == 2 and len(limited["hits"]) == 1


def test_bad_usage_exits_2_with_a_reason(data_dir: Path) -> None:
    for args in (("ก",), ("คำสั่ง", "--category", "nope"), ("คำสั่ง", "--citizen-id", "123"),
                 ("คำสั่ง", "--limit", "0")):
        result = tabian("search", *args, "--json", data_dir=data_dir)
        assert result.code == 2, args
        assert result.stdout == "" and result.stderr.startswith("tabian: ")


def test_reindex_status_and_verify(data_dir: Path) -> None:
    assert tabian("reindex", "--json", data_dir=data_dir).json["indexed"] == 2
    status = tabian("index", "status", "--json", data_dir=data_dir).json
    assert status == {"backend": "embedded", "documents": 2, "pending": 0}
    assert tabian("verify", "--json", data_dir=data_dir).json["problems"] == []
    # GIVEN a document stored behind the index's back (no outbox row)
    archive = open_archive(load_settings(data_dir))
    try:
        stray = store_document(archive, "หนังสือรับรอง", outbox=False)
    finally:
        archive.close()
    result = tabian("verify", "--json", data_dir=data_dir)
    assert result.code == 1
    assert [(p["kind"], p["document_id"]) for p in result.json["problems"]] == [
        ("index_missing", stray)
    ]
    assert tabian("reindex", data_dir=data_dir).code == 0
    assert tabian("verify", "--json", data_dir=data_dir).code == 0
