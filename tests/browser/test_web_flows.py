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


def test_digitizer_uploads_a_folder_and_watches_it_complete(page, live: Live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fixtures.scans import Options, generate

    # GIVEN a person's folder of new scans, with a stray note that is not a scan
    generate(Options(out=tmp_path / "scans", count=1, seed=77, persons=1))
    with live.archive.catalog.session() as s:
        from archive import registry

        registry.import_persons(s, tmp_path / "scans" / "persons.csv")
    folder = next(p for p in (tmp_path / "scans").iterdir()
                  if p.is_dir() and p.name.isdigit())
    (folder / "บันทึก.txt").write_text("ไม่ใช่เอกสารสแกน", encoding="utf-8")
    sign_in(page, "digitizer")
    page.goto("/upload")
    shot(page, live, "04-upload-empty")
    # WHEN they choose the folder and upload it
    page.set_input_files("#folder", str(folder))
    page.get_by_role("button", name="อัปโหลดและนำเข้า").click()
    # THEN the batch appears with a live progress bar and finishes
    batch = page.locator("section.batch").first
    batch.wait_for()
    page.wait_for_selector("section.batch[data-state=done]", timeout=240_000)
    shot(page, live, "05-upload-done")
    text = batch.inner_text()
    assert "๑" in text  # one stored, one rejected, shown in Thai digits
    # AND the rejection report names the file and says why, in Thai
    report = page.locator("section.batch .report").first
    report.wait_for()
    assert "บันทึก.txt" in report.inner_text()
    assert "PDF" in report.inner_text() or "ไม่ใช่" in report.inner_text()


def test_registrar_accepts_a_review_item_beside_the_page_image(page, live: Live) -> None:  # type: ignore[no-untyped-def]
    # GIVEN the misfiled scan waits in the review queue
    sign_in(page, "registrar")
    page.goto("/review")
    shot(page, live, "06-review-queue")
    page.locator("a[href^='/review/']").first.click()
    page.wait_for_url(re.compile(r"/review/\d+"))
    # THEN the page image shows beside the candidates
    image = page.locator("section[aria-label='ภาพเอกสาร'] img").first
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    shot(page, live, "07-review-item")
    # WHEN they accept what the system proposes THEN the item is decided
    page.get_by_role("button", name="ยืนยันตามที่ระบบเสนอ").click()
    page.wait_for_load_state()
    shot(page, live, "08-review-accepted")
    assert page.get_by_role("button", name="ยืนยันตามที่ระบบเสนอ").count() == 0


def test_retention_review_to_proposal_to_order_to_certificate(page, live: Live) -> None:  # type: ignore[no-untyped-def]
    # GIVEN the records manager runs a review
    sign_in(page, "records")
    page.goto("/retention")
    page.get_by_label("ณ วันที่").fill("2026-11-22")
    page.get_by_role("button", name="ทบทวน", exact=True).click()
    page.wait_for_url(re.compile(r"/retention/reviews/"))
    assert "ทดสอบ901" in page.content() or "3000000009" in page.content()
    shot(page, live, "09-retention-review")
    # WHEN they propose the eligible records
    page.get_by_role("button", name="เสนอบัญชีทำลายต่อผู้ควบคุมข้อมูล").click()
    page.wait_for_url(re.compile(r"/retention/proposals/"))
    proposal_url = page.url
    shot(page, live, "10-retention-proposal")
    page.get_by_role("button", name="ออกจากระบบ").click()
    # AND the data controller approves, which makes the order, and executes it
    sign_in(page, "controller")
    page.goto(proposal_url)
    page.get_by_label("ความจำเป็น", exact=True).select_option("space")
    page.get_by_label("รายละเอียดความจำเป็น").fill("พื้นที่จัดเก็บเต็ม ตามบันทึกที่ ๑/๒๕๖๙")
    page.get_by_role("button", name="อนุมัติและออกคำสั่งทำลาย").click()
    page.get_by_role("button", name="ดำเนินการทำลายตามคำสั่ง").click()
    page.wait_for_selector("text=ทำลายแล้ว")
    shot(page, live, "11-retention-executed")
    # THEN a certificate of destruction can be downloaded as a PDF
    href = page.get_by_role("link", name="ดาวน์โหลด PDF").get_attribute("href")
    assert href
    response = page.request.get(href)  # with the signed-in browser's cookie
    assert response.ok and response.body()[:5] == b"%PDF-"
    assert response.headers["content-type"].startswith("application/pdf")
