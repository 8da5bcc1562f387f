"""What the users of the web interface do, in real headless Chromium against a live server.

Each test follows one user group: a registrar searching and opening evidence, a digitization
team uploading a folder, a registrar clearing the review queue, and records manager plus data
controller carrying a retention review through to the certificate.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from archive.catalog import Document, DocumentPerson, Person
from tests.browser.conftest import Live, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.ocr]


def _a_linked_owner_and_document(live: Live) -> tuple[str, str, str]:
    with live.archive.catalog.session() as s:
        person, doc_id = s.execute(
            select(Person, DocumentPerson.document_id)
            .join(DocumentPerson, DocumentPerson.person_id == Person.id)
            .where(DocumentPerson.state == "linked").order_by(Person.citizen_id).limit(1)
        ).one()
        name = s.get(Document, doc_id).original_name  # type: ignore[union-attr]
        return person.last_name, doc_id, name


def test_registrar_signs_in_searches_and_opens_a_hit(page, live: Live) -> None:  # type: ignore[no-untyped-def]
    # GIVEN a registrar of the unit
    sign_in(page, "registrar")
    shot(page, live, "01-home")
    # WHEN they search for an owner's surname (no spaces needed between Thai words)
    last_name, doc_id, _ = _a_linked_owner_and_document(live)
    page.get_by_role("link", name="ค้นหาเอกสาร").first.click()
    page.get_by_label("คำค้น (ชื่อ เลขที่คำสั่ง ข้อความ)").fill(last_name)
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    # THEN hits show with the surname marked in the snippet
    page.wait_for_selector("ol.hits li")
    assert last_name in page.locator("ol.hits mark").first.inner_text()
    shot(page, live, "02-search")
    # WHEN they open the hit THEN the document page shows its text and downloads
    page.locator(f"ol.hits a[href='/documents/{doc_id}']").first.click()
    page.wait_for_url(re.compile(f"/documents/{doc_id}$"))
    assert last_name in page.content()
    shot(page, live, "03-document")


def test_signing_out_ends_the_session(page, live: Live) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "registrar")
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.goto("/search")
    assert "/login" in page.url
