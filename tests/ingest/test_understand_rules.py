"""Explicit evidence for the categories (rules.py): what decides between two kinds of paper
that share words, on texts written for these tests (no fixture template's wording)."""

from __future__ import annotations

import pytest

from ingest.understand import rules
from ingest.understand.classify import load_classifier


def _order(subject: str, body: str) -> str:
    return "\n".join(["คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำพูน เขต 1", "ที่ 45/2568",
                      f"เรื่อง {subject}", "-" * 18, body, "สั่ง ณ วันที่ 3 มีนาคม พ.ศ. 2568",
                      "(นายประเสริฐ จันทร์เพ็ญ)", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"])


def _memo(subject: str, body: str) -> str:
    return "\n".join(["บันทึกข้อความ", "ส่วนราชการ โรงเรียนบ้านป่าซาง", "ที่ 12/2568 วันที่ 5 มีนาคม 2568",
                      f"เรื่อง {subject}", "เรียน ผู้อำนวยการโรงเรียนบ้านป่าซาง", body,
                      "(นางสาวสุภาพร ศรีสุข)"])


def _found(text: str) -> set[tuple[str, str]]:
    return {(e.category, e.scope) for e in rules.evidence(text)}


CASES = {
    # A first appointment however its subject is worded: บรรจุ ... เข้ารับราชการ.
    "appointment": _order(
        "บรรจุนักศึกษาทุนโครงการส่งเสริมการผลิตครูเข้ารับราชการในท้องถิ่น",
        "ด้วยนักศึกษาทุนได้สำเร็จการศึกษาแล้ว จึงให้เข้ารับราชการเป็นข้าราชการครู ตำแหน่งครูผู้ช่วย"),
    # "บรรจุและแต่งตั้ง" to an administrator's post: a later status order.
    "status_orders": _order(
        "บรรจุและแต่งตั้งผู้ผ่านการคัดเลือกให้ดำรงตำแหน่งรองผู้อำนวยการสถานศึกษา",
        "ตามที่ได้คัดเลือกข้าราชการครูเพื่อแต่งตั้งให้ดำรงตำแหน่งรองผู้อำนวยการสถานศึกษา นั้น"),
    # The head of the subject names the paper; the appointee it is about does not.
    "background_check": _memo(
        "แจ้งผลการสืบประวัติและพฤติการณ์ของผู้ได้รับการบรรจุใหม่",
        "ตำรวจภูธรได้สืบแล้ว ไม่ปรากฏว่าเคยต้องโทษจำคุก และไม่มีหมายจับค้าง"),
    "personal_status": "\n".join([
        "บันทึกการเปลี่ยนคำนำหน้านามของหญิงที่จดทะเบียนสมรส", "ผู้ยื่นคำขอ นางสาวสุภาพร ศรีสุข",
        "ขอใช้คำนำหน้านามว่า นาง", "นายทะเบียนได้แก้ไขรายการในทะเบียนบ้านแล้ว"]),
    "special_service": _memo(
        "ขอยืมตัวครูไปช่วยปฏิบัติงานศูนย์ปฏิบัติการจังหวัด",
        "ศูนย์ปฏิบัติการจังหวัดมีภารกิจเร่งด่วน จึงขอยืมตัว นางสาวสุภาพร ศรีสุข เป็นเวลา 60 วัน"),
    # Reporting back from a secondment is not a first appointment's report for duty.
    "special_service ": _memo(
        "รายงานตัวกลับจากการไปช่วยราชการ",
        "บัดนี้ครบกำหนดไปช่วยราชการแล้ว จึงขอรายงานกลับมาปฏิบัติราชการ ณ โรงเรียนเดิม"),
    # Leave of any kind is "other" (การลาต่าง ๆ) ...
    "other": _order("อนุญาตให้ข้าราชการลาไปฟื้นฟูสมรรถภาพด้านอาชีพ",
                    "จึงอนุญาตให้ลาได้ มีกำหนด 6 เดือน"),
    # ... except study leave, which is education and training.
    "education_training": _order("อนุญาตให้ข้าราชการครูลาไปศึกษาต่อภายในประเทศ",
                                 "จึงอนุญาตให้ลาศึกษาต่อระดับปริญญาโท มีกำหนด 2 ปี"),
    # A medical certificate names the physician's licence: no teacher's licence.
    "other ": "\n".join([
        "(สำหรับผู้สมัครเข้ารับราชการ)", "โรงพยาบาลลำพูน", "ใบรับรองแพทย์",
        "ข้าพเจ้า นายแพทย์ธนพล ใจดี ใบอนุญาตประกอบวิชาชีพเวชกรรมเลขที่ 12345",
        "ได้ตรวจร่างกาย นางสาวสุภาพร ศรีสุข แล้ว ไม่เป็นโรคต้องห้าม", "แพทย์ผู้ตรวจ"]),
}


@pytest.mark.parametrize("category", list(CASES))
def test_papers_that_share_words_get_the_category_their_evidence_decides(category: str
                                                                         ) -> None:
    prediction = load_classifier().predict(CASES[category])
    assert prediction.category == category.strip(), prediction.ranked
    assert any(e.category == category.strip() for e in prediction.evidence)


def test_the_first_phrase_of_the_subject_line_names_the_paper() -> None:
    found = rules.evidence(CASES["background_check"])
    head = [e for e in found if e.scope == "head"]
    assert [(e.category, e.weight) for e in head] == [("background_check", rules.HEAD)]
    # AND the appointee the check is about still counts, only less
    assert ("appointment", "any") in _found(CASES["background_check"])


def test_a_transfer_or_an_administrators_post_is_no_first_appointment_evidence() -> None:
    for subject in ("รับโอนข้าราชการครูมาบรรจุและแต่งตั้ง", "ย้ายข้าราชการครูผู้ช่วย",
                    "บรรจุและแต่งตั้งให้ดำรงตำแหน่งผู้อำนวยการสถานศึกษา",
                    "บรรจุกลับเข้ารับราชการ"):
        found = _found(_order(subject, "ตามที่ได้พิจารณาแล้ว"))
        assert ("appointment", "title") not in found, subject
        assert ("appointment", "subject") not in found, subject
        assert ("status_orders", "title") in found, subject


def test_resignation_is_a_status_order_and_not_a_leave() -> None:
    found = _found(_memo("ขอลาออกจากราชการ", "ข้าพเจ้ามีความประสงค์ขอลาออก"))
    assert ("status_orders", "title") in found and ("other", "title") not in found


def test_the_subject_line_is_found_where_ocr_damaged_its_label() -> None:
    for label in ("เรื่อง", "เรื่ อง", "เร่ือง", "เรอง", "แรื่อง", "เวื่อง"):
        text = f"บันทึกข้อความ\nส่วนราชการ โรงเรียน\nที่ 1/2568\n{label} ขอชมเชย\nเรียน ครู"
        assert rules.subject_zone(text).startswith("ขอชมเชย"), label
    # AND a name that merely starts like the label is no subject line
    assert not rules.subject_zone("นายเรืองศักดิ์ ใจดี\nครู").startswith("ศักดิ์")


def test_a_form_code_is_a_token_of_its_own() -> None:
    # GIVEN "คร" ending a place name and a date's digits after it: no marriage form คร.๒
    letter = "ที่ ศธ 1505/3115 สำนักงานเลขาธิการคุรุสภา\nกรุงเทพมหานคร\n25 มกราคม 2568\nเรื่อง ขอส่งเอกสาร"
    assert ("personal_status", "title") not in _found(letter)
    # AND the code itself, however spaced, still is one
    for code in ("คร.๒", "คร. ๒", "แบบ คร.2"):
        assert ("personal_status", "title") in _found(f"{code}\nทะเบียนเลขที่ 257"), code


def test_a_subject_that_names_no_kind_of_paper_stays_uncertain() -> None:
    # GIVEN a memo whose subject and body name no category's evidence
    text = _memo("ขอส่งเอกสาร", "ขอส่งเอกสารตามที่ได้แจ้งไว้ จำนวน 2 ฉบับ")
    prediction = load_classifier().predict(text)
    # THEN it waits for a person
    assert prediction.uncertain


def test_a_title_phrase_with_one_letter_misread_still_counts_less() -> None:
    # GIVEN a subject OCR read with ร as ว inside a long phrase
    text = _order("ให้ข้าราชการไปปฏิบัติวาชการเป็นการชั่วคราว", "เพื่อให้การดำเนินงานเป็นไปด้วยความเรียบร้อย")
    near = [e for e in rules.evidence(text) if e.category == "special_service"]
    assert near and near[0].weight == rules.TITLE * rules.NEAR_SHARE
    # AND a phrase short of its first letter is another word: ปรับเงินเดือน is no รับเงินเดือน
    certificate = "หนังสือรับรองการได้รับเงินเดือน\nขอรับรองว่า นายสมชาย ใจดี ได้รับเงินเดือนเดือนละ 30,000 บาท"
    assert ("status_orders", "title") not in _found(certificate)
    assert ("other", "title") in _found(certificate)


def test_a_hire_under_contract_is_an_appointment_and_a_procurement_contract_is_not() -> None:
    # GIVEN a university hiring a teacher for its school, and a procurement panel's order
    hire = _order("จ้างบุคคลเป็นพนักงานมหาวิทยาลัยสายวิชาการ ตำแหน่งอาจารย์",
                  "จึงจ้าง นางสาวสุภาพร ศรีสุข ปฏิบัติงานสอน มีกำหนดสามปี")
    panel = _order("แต่งตั้งคณะกรรมการตรวจรับพัสดุตามสัญญาจ้างพนักงานทำความสะอาด",
                   "จึงแต่งตั้งข้าราชการต่อไปนี้เป็นกรรมการตรวจรับพัสดุ")
    # THEN the hire is evidence of an appointment, the procurement order is not
    assert ("appointment", "title") in _found(hire)
    assert ("appointment", "title") not in _found(panel)
    assert ("special_service", "title") in _found(panel)


def test_serving_on_a_panel_is_special_service_and_an_inquiry_panel_is_discipline() -> None:
    judges = _memo("แจ้งให้เป็นกรรมการตัดสินการประกวดโครงงานวิทยาศาสตร์",
                   "ขอให้ท่านไปปฏิบัติหน้าที่ในวันเสาร์ที่ 8 มีนาคม 2568")
    speaker = _memo("ขอความร่วมมือให้ครูเป็นวิทยากรอบรมการปฐมพยาบาล",
                    "ขอเชิญ นางสาวสุภาพร ศรีสุข ไปบรรยายให้แก่อาสาสมัคร")
    inquiry = _order("แต่งตั้งกรรมการสอบสวนข้าราชการครู", "กรณีถูกกล่าวหาว่าขาดราชการ")
    assert ("special_service", "title") in _found(judges)
    assert ("special_service", "title") in _found(speaker)
    assert ("special_service", "title") not in _found(inquiry)
    assert ("discipline", "title") in _found(inquiry)


def test_an_officials_own_card_is_other_and_a_citizen_id_card_is_personal_status() -> None:
    official = "บัตรประจำตัวเจ้าหน้าที่ของรัฐ\nกรมส่งเสริมการเรียนรู้\nชื่อ นางสาวสุภาพร ศรีสุข"
    citizen = "สำเนาบัตรประจำตัวประชาชน\nชื่อตัวและชื่อสกุล นางสาวสุภาพร ศรีสุข"
    assert ("other", "title") in _found(official)
    assert ("personal_status", "title") not in _found(official)
    assert ("personal_status", "title") in _found(citizen)


def test_an_interpreters_registration_is_a_special_ability() -> None:
    text = "หนังสือรับรองการเป็นล่ามภาษาจีนประจำจังหวัด\nขอรับรองว่า นายสมชาย ใจดี ผ่านการทดสอบการแปล"
    assert ("special_abilities", "title") in _found(text)


def test_a_licence_suspended_for_an_ethics_breach_is_discipline() -> None:
    text = _order("พักใช้ใบอนุญาตประกอบวิชาชีพของผู้ประพฤติผิดจรรยาบรรณ",
                  "คณะกรรมการพิจารณาแล้ว จึงให้พักใช้ใบอนุญาตมีกำหนดหกเดือน")
    prediction = load_classifier().predict(text)
    assert ("discipline", "title") in _found(text)
    assert prediction.category == "discipline", prediction.ranked


def test_an_application_form_proves_the_degree_applied_with_not_an_appointment() -> None:
    # GIVEN a candidate's application form for the teachers' exam, whose heading says what
    # the exam is for, listing the degree used to apply (clause 3.5.2's wording)
    form = "\n".join([
        "ใบสมัครสอบคัดเลือก", "เพื่อบรรจุและแต่งตั้งเป็นข้าราชการครู ตำแหน่งครูผู้ช่วย",
        "ชื่อ - ชื่อสกุล นางสาวสุภาพร ศรีสุข", "คุณวุฒิที่ใช้สมัคร ครุศาสตรบัณฑิต (ค.บ.)",
        "สถาบัน มหาวิทยาลัยราชภัฏลำปาง สำเร็จการศึกษาเมื่อ 30 มีนาคม 2567",
        "คะแนนเฉลี่ยสะสม 3.12", "แนบ สำเนาใบแสดงผลการเรียน (Transcript) 1 ฉบับ",
        "ลงชื่อ ............ ผู้สมัคร"])
    found = _found(form)
    # THEN it is evidence of the qualification, and its heading is no appointment title
    assert ("qualification", "any") in found
    assert ("appointment", "title") not in found
    assert load_classifier().predict(form).category == "qualification"


def test_official_travel_abroad_is_special_service_and_a_study_trip_is_training() -> None:
    escort = _order("อนุมัติให้ข้าราชการเดินทางไปราชการต่างประเทศเพื่อควบคุมนักเรียน",
                    "ให้ นายสมชาย ใจดี เดินทางไปราชการ ณ ประเทศญี่ปุ่น ในฐานะหัวหน้าคณะนักเรียน")
    visit = _order("อนุมัติให้ข้าราชการเดินทางไปราชการต่างประเทศเพื่อศึกษาดูงาน",
                   "ให้ นายสมชาย ใจดี เดินทางไปศึกษาดูงานการจัดการศึกษา ณ ประเทศสิงคโปร์")
    assert ("special_service", "title") in _found(escort)
    assert ("special_service", "title") not in _found(visit)
    assert ("education_training", "title") in _found(visit)


def test_red_cross_medals_same_person_certificates_and_resource_persons() -> None:
    medal = "สภากาชาดไทย\nประกาศนียบัตรเหรียญกาชาดสมนาคุณ\nมอบเหรียญกาชาดสมนาคุณ ชั้นที่ 2 ให้แก่ นายสมชาย ใจดี"
    same = ("หนังสือรับรองบุคคล\nเขียนที่ ที่ว่าการอำเภอแม่ทา\nขอรับรองว่า นางสาวสุภาพร ศรีสุข "
            "และ นางสาวสุภาภรณ์ ศรีสุข เป็นบุคคลเดียวกัน")
    thanks = _memo("ขอบคุณวิทยากร", "ขอขอบคุณ นางสาวสุภาพร ศรีสุข ที่ได้ไปบรรยายให้แก่ผู้ต้องขัง")
    course = _memo("ขออนุญาตเข้ารับการอบรมหลักสูตรพัฒนาวิทยากรแกนนำ",
                   "ข้าพเจ้าประสงค์จะเข้ารับการอบรม ระหว่างวันที่ 3-5 มีนาคม 2568")
    judge = _memo("แจ้งการได้รับแต่งตั้งเป็นผู้พิพากษาสมทบ",
                  "บัดนี้ ได้มีพระบรมราชโองการแต่งตั้งท่านเป็นผู้พิพากษาสมทบ มีวาระสามปี")
    english = "CERTIFICATE OF COMPLETION\nThis is to certify that\nนายสมชาย ใจดี\n" \
        "has completed the Regional Training Programme on STEM Learning (40 hours)"
    assert ("decorations", "title") in _found(medal)
    assert ("personal_status", "title") in _found(same)
    assert ("special_service", "title") in _found(thanks)
    assert ("special_service", "title") not in _found(course)
    assert ("special_service", "title") in _found(judge)
    assert ("education_training", "any") in _found(english)


def test_a_course_that_certifies_a_skill_outside_teaching_is_a_special_ability() -> None:
    # GIVEN a sports coaching course's results and a teaching course's certificate
    coach = "\n".join(["ประกาศกรมพลศึกษา",
                       "เรื่อง รายชื่อผู้ผ่านการอบรมหลักสูตรผู้ฝึกสอนกีฬาฟุตซอล ระดับพื้นฐาน",
                       "ผู้ผ่านการอบรมจะได้รับประกาศนียบัตรผู้ฝึกสอนกีฬา ดังรายชื่อต่อไปนี้",
                       "1 นายสมชาย ใจดี ครู โรงเรียนบ้านหนองบัว"])
    teaching = _memo("รายงานผลการอบรมหลักสูตรการจัดการเรียนรู้เชิงรุก",
                     "ข้าพเจ้าได้เข้ารับการอบรม ระหว่างวันที่ 3-5 มีนาคม 2568 รวม 18 ชั่วโมง")
    # THEN the coach's course is evidence of a special ability (clause 4.4.5), not of training
    # for the post; the teaching course stays training
    assert ("special_abilities", "title") in _found(coach)
    assert ("education_training", "title") not in _found(coach)
    assert ("education_training", "title") in _found(teaching)
    assert ("special_abilities", "title") not in _found(teaching)


def test_an_appointees_degree_belts_a_camps_staff_house_rent_and_register_corrections(
        ) -> None:
    # GIVEN papers whose words belong to two kinds of evidence
    major = _memo("การตรวจสอบคุณวุฒิของผู้ได้รับการบรรจุ กรณีวิชาเอกไม่ตรงกับตำแหน่ง",
                  "ด้วย นางสาวสุภาพร ศรีสุข ได้รับการบรรจุและแต่งตั้ง ใช้ปริญญาวิชาเอกภาษาไทยประยุกต์")
    belt = "\n".join(["ประกาศสมาคมยูโดแห่งประเทศไทย", "เรื่อง ผลการสอบเลื่อนสายประจำปี 2566",
                      "1 นายสมชาย ใจดี สายดำ ขั้น 1"])
    staff = "\n".join(["คณะกรรมการลูกเสือชาวบ้านจังหวัดลำพูน",
                       "หนังสือรับรองการปฏิบัติหน้าที่วิทยากรประจำค่ายฝึกอบรมลูกเสือชาวบ้าน",
                       "รับรองว่า นายสมชาย ใจดี ได้ปฏิบัติหน้าที่วิทยากรประจำกอง รุ่นที่ 4"])
    rent = _memo("ขออนุมัติเบิกเงินค่าเช่าบ้านข้าราชการ",
                 "ด้วย นายสมชาย ใจดี ได้รับคำสั่งย้ายมาดำรงตำแหน่งครู มีสิทธิได้รับค่าเช่าบ้าน")
    house = "\n".join(["คำร้อง", "เรื่อง ขอแก้ไขรายการวันเกิดในทะเบียนบ้าน",
                       "ข้าพเจ้า นางสาวสุภาพร ศรีสุข ขอให้นายทะเบียนแก้ไขรายการในทะเบียนบ้าน"])
    birth = "\n".join(["คำร้อง", "เรื่อง ขอแก้ไขวันเดือนปีเกิดในทะเบียนประวัติ",
                       "ข้าพเจ้า นางสาวสุภาพร ศรีสุข ขอแก้ไขวันเดือนปีเกิด"])
    # THEN the appointee's degree weighed against the post is the qualification (3.5.2), and
    # its subject is no appointment
    assert ("qualification", "title") in _found(major)
    assert ("appointment", "subject") not in _found(major)
    # AND a sport's belts are a special ability; serving on a camp's staff is a duty
    assert ("special_abilities", "title") in _found(belt)
    assert ("special_service", "title") in _found(staff)
    assert ("education_training", "title") not in _found(staff)
    # AND a house-rent allowance is an important paper of its own (other, 16)
    assert ("other", "title") in _found(rent)
    # AND a request to correct the house register is evidence of it, not "other"; one to
    # correct a birth date in the personnel record stays "other"
    assert ("other", "title") not in _found(house)
    assert ("other", "title") in _found(birth)


def test_a_transfers_dispatch_of_teachers_is_a_status_paper_not_an_appointment() -> None:
    # GIVEN an area office's letter sending the teachers transferred to another area, who are
    # to report (รายงานตัว) at their new schools
    letter = _memo("ส่งตัวข้าราชการครูที่ได้รับการย้ายต่างเขตพื้นที่การศึกษา",
                   "จึงขอส่งตัวผู้มีรายชื่อ พร้อมทะเบียนประวัติ เพื่อไปรายงานตัวต่อสถานศึกษาแห่งใหม่")
    found = _found(letter)
    # THEN it is evidence of a later status order, and its report for duty no appointment
    assert ("status_orders", "title") in found
    assert ("appointment", "title") not in found
    assert ("appointment", "subject") not in found


def test_an_assistant_teachers_preparation_a_lifeguard_test_and_a_civil_registry_request(
        ) -> None:
    # GIVEN a committee appointed for assistant teachers' two years of preparation, a pool
    # lifeguard test's results, and a request for certified copies of civil registration
    prep = _order("แต่งตั้งคณะกรรมการเตรียมความพร้อมและพัฒนาอย่างเข้ม ตำแหน่งครูผู้ช่วย",
                  "จึงแต่งตั้งคณะกรรมการสำหรับข้าราชการครูผู้ช่วย ดังต่อไปนี้")
    guard = "\n".join(["ประกาศสำนักงานป้องกันควบคุมโรคที่ 5",
                       "เรื่อง ผลการทดสอบผู้ช่วยชีวิตทางน้ำในสระว่ายน้ำ",
                       "1 นายสมชาย ใจดี ครู โรงเรียนบ้านหนองบัว ผ่าน"])
    copy = "\n".join(["ท.ร.100", "คำร้องขอตรวจคัดและรับรองเอกสารการทะเบียนราษฎร",
                      "ข้าพเจ้า นายสมชาย ใจดี มีความประสงค์ขอคัดและรับรองสำเนาทะเบียนบ้าน"])
    # THEN the preparation is the assistant teachers' status, not a duty of its committee
    assert ("status_orders", "title") in _found(prep)
    assert ("special_service", "title") not in _found(prep)
    # AND a tested rescue skill is a special ability; the copies are of the house register
    assert ("special_abilities", "title") in _found(guard)
    assert ("house_registration", "title") in _found(copy)
    assert ("other", "title") not in _found(copy)


def test_a_language_test_given_in_the_border_provinces_is_a_special_ability() -> None:
    # GIVEN the southern border provinces' centre announcing a Malay language test's results
    text = "\n".join(["ประกาศศูนย์อำนวยการบริหารจังหวัดชายแดนภาคใต้",
                      "เรื่อง ผลการทดสอบวัดระดับความสามารถภาษามลายูถิ่นเพื่อการสื่อสาร",
                      "1 นายสมชาย ใจดี ครู โรงเรียนบ้านหนองบัว 37 38 14 89 ระดับสูง"])
    # THEN its title names a tested language skill
    assert ("special_abilities", "title") in _found(text)


def test_a_private_schools_typing_certificate_an_invention_and_an_admission_to_study() -> None:
    # GIVEN a private commercial school's typing certificate, which prints the school's own
    # licence to open under its name; a petty patent for a teacher's teaching aid; a graduate
    # school's list of those admitted to study
    typing = "\n".join(["โรงเรียนพณิชยการสุโขทัย", "ใบอนุญาตให้จัดตั้งโรงเรียนเลขที่ 112/2510",
                        "ประกาศนียบัตรพิมพ์ดีด", "ให้ไว้เพื่อแสดงว่า นายสมชาย ใจดี",
                        "ได้ผ่านการสอบวัดความสามารถในการพิมพ์ดีดภาษาไทย 35 คำต่อนาที",
                        "(นางสาวสุภาพร ศรีสุข) ผู้รับใบอนุญาต"])
    patent = "\n".join(["อนุสิทธิบัตร", "เลขที่ 21535",
                        "อธิบดีกรมทรัพย์สินทางปัญญาออกอนุสิทธิบัตรฉบับนี้ให้แก่ สำนักงานเขตพื้นที่การศึกษา",
                        "สำหรับการประดิษฐ์ ชุดสื่อการสอนเศษส่วน ผู้ประดิษฐ์ นายสมชาย ใจดี"])
    admitted = "\n".join(["ประกาศบัณฑิตวิทยาลัย มหาวิทยาลัยราชภัฏเชียงใหม่",
                          "เรื่อง รายชื่อผู้ผ่านการคัดเลือกเข้าศึกษาระดับบัณฑิตศึกษา ภาคพิเศษ",
                          "1 นายสมชาย ใจดี ครู โรงเรียนบ้านหนองบัว"])
    # THEN the school's licence is no teacher's: typing speed is a tested skill
    assert ("special_abilities", "title") in _found(typing)
    assert not {c for c, _scope in _found(typing)} & {"professional_license"}
    # AND an invention is a special ability; an admission to study is education
    assert ("special_abilities", "title") in _found(patent)
    assert ("education_training", "title") in _found(admitted)


def test_an_inventions_certificate_names_its_inventor_in_its_body() -> None:
    # GIVEN a petty patent whose title OCR read, and whose body names the invention's inventor
    text = "\n".join(["อนุสิทธิบัตร", "เลขที่ 21535",
                      "กรมทรัพย์สินทางปัญญาออกอนุสิทธิบัตรฉบับนี้ สำหรับการประดิษฐ์ ชุดสื่อการสอน",
                      "ผู้ประดิษฐ์ นายสมชาย ใจดี"])
    # THEN the body's words are evidence of a special ability too, and the classifier is sure
    assert ("special_abilities", "any") in _found(text)
    assert load_classifier().predict(text).confidence >= 0.8


def test_a_names_check_against_the_lists_of_the_dismissed_is_a_background_check() -> None:
    # GIVEN a legal officer's memo: new staff's names checked against the circulated lists of
    # those dismissed (ปลดออก, ไล่ออก), none found
    text = _memo("ผลการตรวจสอบรายชื่อกับบัญชีผู้ถูกลงโทษปลดออกหรือไล่ออก",
                 "ได้ตรวจสอบรายชื่อข้าราชการครูที่รับย้ายมากับบัญชีรายชื่อผู้ถูกลงโทษทางวินัยที่สำนักงาน ก.ค.ศ."
                 " แจ้งเวียนแล้ว ไม่ปรากฏชื่อ 1. นายสมชาย ใจดี 2. นางสาวสุภาพร ศรีสุข")
    # THEN it is a check of the persons, no penalty of theirs
    found = _found(text)
    assert ("background_check", "title") in found
    assert not {c for c, _scope in found} & {"discipline"}
    # AND a penalty order is still discipline
    assert ("discipline", "title") in _found(_order("ลงโทษไล่ออกจากราชการ",
                                                   "ด้วยนายสมชาย ใจดี กระทำผิดวินัยอย่างร้ายแรง"))


def test_a_students_status_a_moves_power_of_attorney_a_driving_licence_and_an_escort() -> None:
    # GIVEN a graduate school's certificate that a teacher is a student still studying
    student = "\n".join(["บัณฑิตวิทยาลัย มหาวิทยาลัยราชภัฏลำปาง", "หนังสือรับรองสถานภาพนักศึกษา",
                         "ขอรับรองว่า นายสมชาย ใจดี รหัสประจำตัวนักศึกษา 6712345 เป็นนักศึกษาระดับปริญญาโท",
                         "มีคะแนนเฉลี่ยสะสม 3.52 คาดว่าจะสำเร็จการศึกษาในปีการศึกษา 2569"])
    found = _found(student)
    # THEN it is evidence of study under way, no degree held
    assert ("education_training", "title") in found
    assert not {c for c, _scope in found} & {"qualification"}
    # AND a power of attorney to move a name out of a house register is the register's
    moving = "\n".join(["หนังสือมอบอำนาจ", "เขียนที่ โรงเรียนบ้านหนองบัว",
                        "ข้าพเจ้า นายสมชาย ใจดี ขอมอบอำนาจให้ นายวิชัย ใจดี บิดา",
                        "เป็นผู้แจ้งย้ายที่อยู่ของข้าพเจ้าออกจากทะเบียนบ้านเลขที่ 14 ต่อนายทะเบียนอำเภอ"])
    weights = {e.category: e.weight for e in rules.evidence(moving)}
    assert weights["house_registration"] > weights["other"]
    # AND a driving licence is a skill, no teacher's licence
    driving = "\n".join(["กรมการขนส่งทางบก", "ใบอนุญาตขับรถยนต์ส่วนบุคคล", "ชื่อ นายสมชาย ใจดี"])
    assert ("special_abilities", "title") in _found(driving)
    assert not {c for c, _scope in _found(driving)} & {"professional_license"}
    # AND the rangers' escort of teachers is service in the border provinces
    escort = "\n".join(["บัญชีรายชื่อครูผู้ขอรับการรักษาความปลอดภัยในการเดินทาง (รปภ.ครู)",
                        "เสนอ ผู้บังคับกองร้อยทหารพรานที่ 4607", "1 นายสมชาย ใจดี ครู รถยนต์ 07.45"])
    assert ("martial_law", "any") in _found(escort)
