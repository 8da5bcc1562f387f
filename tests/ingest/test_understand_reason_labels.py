"""Every kind of evidence and every review reason the linker records has the Thai label the
review screens show: a registrar never reads an English identifier."""

from __future__ import annotations

import re
from pathlib import Path

from api.services.review_service import EVIDENCE_TH, REASONS_TH

LINK = Path(__file__).resolve().parents[2] / "ingest" / "understand" / "link.py"


def test_every_evidence_kind_and_review_reason_of_the_linker_has_a_thai_label() -> None:
    source = LINK.read_text(encoding="utf-8")
    kinds = set(re.findall(r'"kind": "([a-z_]+)"', source)) | \
        set(re.findall(r'(?:kind=|\["kind"\] = |kind == )"([a-z_]+)"', source)) | \
        set(re.findall(r'return [^\n]*, "(name_[a-z_]+)"', source))
    reasons = set(re.findall(r'"((?:owner|group|folder_hint|no_owner)[a-z_]*)"', source))
    # GIVEN what link.py can record (at least the kinds this test knows of)
    assert {"unit_on_row", "birth_date_on_row", "listed_with_anchor", "name_joined"} <= kinds
    assert {"group_incomplete", "owner_uncertain", "folder_hint_contradicted"} <= reasons
    # THEN each has a Thai label
    assert sorted(kinds - set(EVIDENCE_TH)) == []
    assert sorted(reasons - set(REASONS_TH) - {"folder_hint"}) == []
    assert all(re.search("[\u0e01-\u0e4e]", label) for label in
               (*EVIDENCE_TH.values(), *REASONS_TH.values()))
