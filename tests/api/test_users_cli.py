"""Bootstrapping access from the shell: `tabian users` and `tabian rights`, end to end, down
to the first access controller signing in to the web API with the token the shell printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from api.http import create_app
from archive.archive import open_archive
from archive.config import load_settings
from tests.cli import tabian

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาอุดรธานี เขต 1"
PASSWORD = "first-admin-password"


def test_bootstrap_the_first_access_controller_from_the_shell(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert tabian("persons", "import", SAMPLE / "persons.csv", "--json",
                  data_dir=data).code == 0
    # GIVEN a password on standard input (never on the command line)
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "--data-dir", str(data), "users", "create", "somsri",
         "--display-name", "สมศรี ผู้ควบคุม", "--password-stdin", "--unit", OFFICE,
         "--position", "นักทรัพยากรบุคคล", "--json"],
        input=f"{PASSWORD}\n", capture_output=True, text=True, timeout=120,
        env={**os.environ, "TABIAN_ACTOR": "test:cli"})
    assert proc.returncode == 0, proc.stderr
    assert '"unit": "' + OFFICE in proc.stdout
    # WHEN the operator grants the access controller's right and makes a token
    granted = tabian("users", "grant", "somsri", "access_controller", "--unit", OFFICE, "--json",
                     data_dir=data)
    assert granted.code == 0, granted.stderr
    grant_id = granted.json["id"]
    token = tabian("users", "token", "somsri", "--name", "bootstrap", data_dir=data)
    assert token.code == 0 and token.stdout.startswith("tbn_")
    assert "shown once" in token.stderr
    # THEN the web API knows her, with that right, by the token and by her password
    archive = open_archive(load_settings(data))
    try:
        with TestClient(create_app(archive.settings, archive=archive)) as client:
            me = client.get("/api/v1/me",
                            headers={"Authorization": f"Bearer {token.stdout.strip()}"}).json()
            assert me["username"] == "somsri" and me["roles"] == ["access_controller"]
            signed = client.post("/api/v1/auth/login",
                                 json={"login": "somsri", "password": PASSWORD})
            assert signed.status_code == 200
    finally:
        archive.close()
    listed = tabian("users", "list", "--json", data_dir=data).json["users"]
    assert [u["username"] for u in listed] == ["somsri"]
    assert [g["id"] for g in listed[0]["grants"] if g["live"]] == [grant_id]
    # AND the fiscal-year review confirms or revokes it
    report = tabian("rights", "review", "--json", data_dir=data)
    assert report.code == 0 and report.json["total"] == 1
    assert report.json["grants"][0]["needs_confirming"] is False  # granted this year
    confirmed = tabian("rights", "confirm", str(grant_id), "--json", data_dir=data)
    assert confirmed.code == 0 and confirmed.json["confirmed_fy"] == report.json["fiscal_year"]
    assert confirmed.json["confirmed_by"] == "test:cli"
    assert tabian("rights", "revoke", str(grant_id), data_dir=data).code == 2  # reason needed
    revoked = tabian("rights", "revoke", str(grant_id), "--reason", "ย้ายหน่วยงาน", "--json",
                     data_dir=data)
    assert revoked.code == 0 and revoked.json["live"] is False
    again = tabian("users", "revoke", str(grant_id), "--reason", "x", data_dir=data)
    assert again.code == 2 and "already_revoked" in again.stderr
    text = tabian("rights", "review", data_dir=data)
    assert text.code == 0 and "0 live rights" in text.stdout


def test_moving_a_user_from_the_shell_revokes_every_right(tmp_path: Path) -> None:
    data = tmp_path / "data"
    tabian("persons", "import", SAMPLE / "persons.csv", data_dir=data)
    env = {"ADMIN_PW": PASSWORD}
    assert tabian("users", "create", "kru", "--password-env", "ADMIN_PW", "--unit", OFFICE,
                  data_dir=data, env=env).code == 0
    for role in ("registrar", "certifier"):
        assert tabian("users", "grant", "kru", role, "--unit", OFFICE, data_dir=data).code == 0
    moved = tabian("users", "update", "kru", "--position", "ผู้อำนวยการ", "--json",
                   data_dir=data)
    assert moved.code == 0 and moved.json["grants_revoked"] == 2
    left = tabian("users", "update", "kru", "--deactivate", "--json", data_dir=data)
    assert left.json["changed"] == ["deactivated"] and left.json["user"]["active"] is False


def test_bad_requests_exit_2_with_the_reason(tmp_path: Path) -> None:
    data = tmp_path / "data"
    tabian("persons", "import", SAMPLE / "persons.csv", data_dir=data)
    assert tabian("users", "create", "a", "--unit", OFFICE, data_dir=data).code == 0
    dup = tabian("users", "create", "a", data_dir=data)
    assert dup.code == 2 and "user_exists" in dup.stderr
    unit = tabian("users", "create", "b", "--unit", "ไม่มีหน่วยนี้", data_dir=data)
    assert unit.code == 2 and "unknown_unit" in unit.stderr
    missing = tabian("users", "create", "c", "--password-env", "NOT_SET_ANYWHERE", data_dir=data)
    assert missing.code == 2
    scope = tabian("users", "grant", "a", "registrar", data_dir=data)  # neither unit nor person
    assert scope.code == 2
    section = tabian("users", "grant", "a", "certifier", "--unit", OFFICE, "--section",
                     "training", data_dir=data)
    assert section.code == 2 and "bad_scope" in section.stderr
    assert tabian("rights", "confirm", "4242", data_dir=data).code == 2
    assert tabian("rights", "review", "--fiscal-year", "1999", data_dir=data).code == 2
    assert tabian("users", "token", "nobody", "--name", "x", data_dir=data).code == 2


def test_an_hr_import_that_moves_a_staff_member_revokes_their_rights(tmp_path: Path) -> None:
    """Clause 2.2.3/6.2: rights end at once when the registry says the user moved unit."""
    data = tmp_path / "d"
    src = tmp_path / "persons.csv"
    header = ("citizen_id,prefix,first_name,last_name,birth_date,appointed_on,unit,status,"
              "left_service_on,left_reason\n")
    cid = "1101700203450"
    src.write_text(header + f"{cid},นาย,สมชาย,ใจดี,1980-01-01,,หน่วย ก,active,,\n",
                   encoding="utf-8")
    assert tabian("persons", "import", str(src), "--json", data_dir=data).code == 0
    # GIVEN a registrar whose account carries their citizen ID, holding a right in unit ก
    made = tabian("users", "create", "somchai", "--display-name", "สมชาย", "--citizen-id", cid,
                  "--unit", "หน่วย ก", data_dir=data)
    assert made.code == 0, made.stderr
    assert tabian("users", "grant", "somchai", "registrar", "--unit", "หน่วย ก",
                  data_dir=data).code == 0
    # WHEN the HR file moves them to unit ข
    src.write_text(header + f"{cid},นาย,สมชาย,ใจดี,1980-01-01,,หน่วย ข,active,,\n",
                   encoding="utf-8")
    result = tabian("persons", "import", str(src), "--json", data_dir=data)
    # THEN the import says whose rights ended, and none is left
    assert result.code == 0 and result.json["rights_revoked"] == ["somchai"]
    listed = tabian("users", "list", "--json", data_dir=data).json
    user = next(u for u in listed["users"] if u["username"] == "somchai")
    assert len(user["grants"]) == 1 and not user["grants"][0]["live"]
