"""Browser tests: a live `tabian` web server on 127.0.0.1 and headless Chromium (Playwright).

The archive behind the server is built once per session the way a user would: the sample
registry, a few generated scans ingested with real OCR (one of them misfiled, so the review
queue has work), and owners who left service long ago, for a retention review. Screenshots of
every step go to $TABIAN_SCREENSHOTS (default: a temp folder) for people to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from api.access import Role
from api.access.accounts import create_user, grant
from api.http import create_app
from archive import registry
from archive.archive import Archive, open_archive
from archive.config import load_settings
from tests.live_server import serving

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser-test-password"
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"


@dataclass
class Live:
    url: str
    archive: Archive
    root_unit: str
    scans: Path
    shots: Path
    owner_citizen_id: str


def _build(archive: Archive, scans: Path) -> tuple[str, str]:
    from sqlalchemy import select

    from archive.catalog import Unit
    from fixtures.scans import Options, generate
    from ingest.batch import run_batch
    from tests.retention.records import add_document, add_person, cid

    with archive.catalog.session() as s:
        registry.import_persons(s, SAMPLE / "persons.csv")
    generate(Options(out=scans, count=3, seed=5, misfiled=1, persons=2))
    with archive.catalog.session() as s:
        registry.import_persons(s, scans / "persons.csv")
    run_batch(archive, [p for p in sorted(scans.iterdir()) if p.is_dir()], jobs=2,
              show_progress=False)
    with archive.catalog.session() as s:
        root = s.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.path)).all()
        root_paths = [u.path for u in root]
        # Two owners who left service in 2005, in the first top-level unit, with documents.
        for n in (901, 902):
            person = add_person(s, cid(n), left_service_on=date(2005, 3, 1),
                                first_name=f"ทดสอบ{n}", last_name="เกษียณแล้ว")
            person.unit_id = root[0].id
            add_document(s, archive.store, [person], size=2000)
        for username, roles in (
            ("registrar", (Role.REGISTRAR, Role.CERTIFIER)), ("digitizer", (Role.DIGITIZER,)),
            ("records", (Role.RECORDS_MANAGER,)),
            ("controller", (Role.DATA_CONTROLLER, Role.ACCESS_CONTROLLER)),
        ):
            user = create_user(s, username=username, display_name=f"{username} ทดสอบ",
                               actor="test", password=PASSWORD)
            for role in roles:
                for path in root_paths:
                    grant(s, user=user, role=role, actor="test", unit_path=path)
        owner_cid = registry_first_linked_owner(s)
        create_user(s, username="owner", display_name="เจ้าของประวัติ", actor="test",
                    password=PASSWORD, citizen_id=owner_cid)
    return root_paths[0], owner_cid


def registry_first_linked_owner(session) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from archive.catalog import DocumentPerson, Person

    cid = session.scalar(
        select(Person.citizen_id).join(DocumentPerson, DocumentPerson.person_id == Person.id)
        .where(DocumentPerson.state == "linked").order_by(Person.citizen_id).limit(1))
    assert cid, "the ingested scans linked nobody"
    return str(cid)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    if not Path(CHROMIUM).exists() or shutil.which("tesseract") is None:
        pytest.fail("browser tests need /usr/bin/chromium and tesseract: run "
                    "scripts/install.sh --test")
    base = tmp_path_factory.mktemp("browser")
    archive = open_archive(load_settings(base / "data"))
    root_unit, owner_cid = _build(archive, base / "scans")
    app = create_app(archive.settings, archive=archive)
    shots = Path(os.environ.get("TABIAN_SCREENSHOTS") or base / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    with serving(app) as url:
        yield Live(url, archive, root_unit, base / "scans", shots, owner_cid)
    archive.close()


@pytest.fixture(scope="session")
def browser(live: Live):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, live: Live):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live.url, locale="th-TH",
                                  viewport={"width": 1366, "height": 820})
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.get_by_label("ชื่อผู้ใช้หรือเลขประจำตัวประชาชน").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)


def shot(page, live: Live, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(live.shots / f"{name}.png"), full_page=True)
