"""`tabian review`, `drafts` and `classifier` through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import tabian
from tests.ingest.understand_support import (
    KANJANA,
    SOMCHAI,
    SUPAPORN,
    appointment_order,
    dashed,
    persons_csv,
    store_text_document,
)

MISFILED = ("หนังสือรับรองความประพฤติ\nหนังสือฉบับนี้ให้ไว้เพื่อรับรองว่า นางสาวสุภาพร ศรีสุข "
            f"เลขประจำตัวประชาชน {dashed(SUPAPORN)} ตำแหน่งครู เป็นผู้มีความประพฤติดี")


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert tabian("persons", "import", persons_csv(tmp_path / "p.csv"), "--json",
                  data_dir=data).code == 0
    return data


def _open_items(data: Path) -> list[dict]:
    result = tabian("review", "list", "--json", data_dir=data)
    assert result.code == 0, result.stderr
    return result.json["items"]


def test_list_show_and_accept_file_the_document(data_dir: Path) -> None:
    # GIVEN a paper about Supaporn found in Somchai's folder
    doc_id = store_text_document(data_dir, MISFILED, folder_hint=SOMCHAI)
    [item] = _open_items(data_dir)
    assert item["document_id"] == doc_id and "folder_hint_contradicted" in item["reasons"]
    shown = tabian("review", "show", str(item["item"]), "--json", data_dir=data_dir)
    assert shown.json["candidates"][0]["citizen_id"] == SUPAPORN
    assert {r["kind"] for r in shown.json["candidates"][0]["reasons"]} >= {"citizen_id_exact"}
    # WHEN the reviewer accepts the proposal
    accepted = tabian("review", "accept", str(item["item"]), "--json", data_dir=data_dir)
    assert accepted.code == 0, accepted.stderr
    # THEN the document is filed under Supaporn only, and the queue is empty
    doc = tabian("documents", "show", doc_id, "--json", data_dir=data_dir).json
    assert (doc["link"], doc["citizen_ids"]) == ("linked", [SUPAPORN])
    assert _open_items(data_dir) == []
    again = tabian("review", "accept", str(item["item"]), data_dir=data_dir)
    assert again.code == 2 and "already accepted" in again.stderr


def test_correct_sets_category_and_owners_and_keeps_training_data(data_dir: Path) -> None:
    doc_id = store_text_document(data_dir, MISFILED, folder_hint=SOMCHAI)
    result = tabian("review", "correct", doc_id, "--category", "other", "--citizen-id",
                    dashed(KANJANA), "--note", "wrong person on the scan", "--json",
                    data_dir=data_dir)
    assert result.code == 0, result.stderr
    assert result.json["state"] == "corrected"
    doc = tabian("documents", "show", doc_id, "--json", data_dir=data_dir).json
    assert (doc["category"], doc["category_confidence"]) == ("other", 1.0)
    assert (doc["link"], doc["citizen_ids"]) == ("linked", [KANJANA])
    assert tabian("audit", "verify", "--json", data_dir=data_dir).json["ok"]
    # the correction is training data: a retrain counts it
    retrained = tabian("classifier", "retrain", "--per-template", "2", "--quiet", "--json",
                       data_dir=data_dir)
    assert retrained.code == 0, retrained.stderr
    assert (retrained.json["version"], retrained.json["review_examples"]) == (1, 1)
    assert Path(retrained.json["path"]).is_file()
    info = tabian("classifier", "info", "--json", data_dir=data_dir).json
    assert info["path"] == retrained.json["path"] and info["versions"] == [1]


def test_bad_corrections_change_nothing(data_dir: Path) -> None:
    doc_id = store_text_document(data_dir, MISFILED, folder_hint=SOMCHAI)
    before = tabian("documents", "show", doc_id, "--json", data_dir=data_dir).json
    for args in (["--citizen-id", "1234567890123"],  # wrong check digit
                 ["--citizen-id", "1101700203450", "--citizen-id", "3999999999998"],
                 ["--category", "gossip"],
                 []):
        result = tabian("review", "correct", doc_id, *args, data_dir=data_dir)
        assert result.code == 2 and result.stderr.strip(), args
        assert len(result.stderr.strip().splitlines()) == 1
    after = tabian("documents", "show", doc_id, "--json", data_dir=data_dir).json
    assert {k: after[k] for k in ("category", "link", "citizen_ids")} == \
        {k: before[k] for k in ("category", "link", "citizen_ids")}
    assert len(_open_items(data_dir)) == 1
    assert tabian("review", "show", "999", data_dir=data_dir).code == 2


def test_reject_leaves_the_document_filed_under_no_one(data_dir: Path) -> None:
    doc_id = store_text_document(data_dir, MISFILED, folder_hint=SOMCHAI)
    result = tabian("review", "reject", doc_id, "--note", "not ours", "--json",
                    data_dir=data_dir)
    assert result.code == 0 and result.json["state"] == "rejected"
    doc = tabian("documents", "show", doc_id, "--json", data_dir=data_dir).json
    assert (doc["link"], doc["citizen_ids"]) == ("unlinked", [])
    listed = tabian("review", "list", "--state", "rejected", "--json", data_dir=data_dir)
    assert [i["document_id"] for i in listed.json["items"]] == [doc_id]


def test_draft_entries_are_listed_and_confirmed(data_dir: Path) -> None:
    order = appointment_order(f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย")
    doc_id = store_text_document(data_dir, order, folder_hint=SOMCHAI)
    [draft] = tabian("drafts", "list", "--json", data_dir=data_dir).json["drafts"]
    assert (draft["citizen_id"], draft["order_ref"], draft["documents"]) == (
        SOMCHAI, "123/2567", [doc_id])
    confirmed = tabian("drafts", "confirm", draft["entry_id"], "--json", data_dir=data_dir)
    assert confirmed.code == 0 and confirmed.json["state"] == "recorded"
    doc = tabian("documents", "show", doc_id, "--json", data_dir=data_dir).json
    assert doc["entry_ids"] == [draft["entry_id"]]
    assert tabian("drafts", "list", "--json", data_dir=data_dir).json["drafts"] == []
    assert tabian("drafts", "confirm", draft["entry_id"], data_dir=data_dir).code == 2
