"""End to end with real OCR: held-out scans through `tabian ingest`, filed or sent to review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures.scans.generate import Options, generate
from tests.cli import tabian

pytestmark = pytest.mark.ocr


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], dict]:
    # GIVEN three held-out scans (templates and fonts never trained on): a benefits form put
    # in the wrong person's folder, a correction request and an appointment order
    scans = tmp_path_factory.mktemp("scans")
    manifest = generate(Options(out=scans, count=3, seed=14, split="heldout", misfiled=1,
                                persons=3))
    data = tmp_path_factory.mktemp("data")
    assert tabian("persons", "import", scans / "persons.csv", "--json", data_dir=data).code == 0
    # WHEN they are ingested
    result = tabian("ingest", scans, "--json", "--quiet", data_dir=data, timeout=900)
    assert result.code == 0, result.stderr
    out = {Path(o["file"]).relative_to(scans).as_posix(): o for o in result.json_lines}
    return data, manifest, out


def test_categories_and_owners_from_real_ocr(ingested: tuple[Path, list[dict], dict]) -> None:
    _, manifest, out = ingested
    for m in manifest:
        got = out[m["path"]]
        assert got["status"] == "stored"
        assert got["category"] == m["category"], (m["path"], got)
        if got["link"] == "linked":  # never a wrong owner
            assert set(got["citizen_ids"]) <= set(m["persons"]), (m["path"], got)
    regular = [m for m in manifest if not m["misfiled"]]
    assert all(out[m["path"]]["link"] == "linked" for m in regular)
    assert all(sorted(out[m["path"]]["citizen_ids"]) == m["persons"] for m in regular)


def test_the_misfiled_scan_waits_for_review(ingested: tuple[Path, list[dict], dict]) -> None:
    data, manifest, out = ingested
    [misfiled] = [m for m in manifest if m["misfiled"]]
    got = out[misfiled["path"]]
    assert got["link"] == "needs_review"
    assert misfiled["folder_citizen_id"] not in got["citizen_ids"]
    queue = tabian("review", "list", "--json", data_dir=data).json["items"]
    assert got["document_id"] in {i["document_id"] for i in queue}
    shown = tabian("documents", "show", got["document_id"], "--json", data_dir=data).json
    assert (shown["link"], shown["category"]) == ("needs_review", got["category"])


def test_the_order_gets_a_draft_entry(ingested: tuple[Path, list[dict], dict]) -> None:
    data, manifest, out = ingested
    [order] = [m for m in manifest if m["category"] == "appointment"]
    drafts = tabian("drafts", "list", "--json", data_dir=data).json["drafts"]
    mine = [d for d in drafts if out[order["path"]]["document_id"] in d["documents"]]
    assert [d["citizen_id"] for d in mine] == order["persons"]
    assert mine[0]["section"] == "position_salary"
    print(json.dumps(mine, ensure_ascii=False))
