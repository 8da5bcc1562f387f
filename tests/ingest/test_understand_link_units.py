"""A person's registered unit as evidence of who a name is: named after the name, in a
sentence or on a row; never the unit that follows the next name, and never a namesake's unit
in passing."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.understand_support import (
    KANJANA,
    PERSONS,
    SOMCHAI,
    SUPAPORN,
    THANAPHON,
    UNIT,
    appointment_order,
    catalog_with_registry,
    cid,
)
from tests.ingest.understand_support import evidence_kinds as _kinds
from tests.ingest.understand_support import understand_text as _understand

OTHER_SCHOOL = "โรงเรียนบ้านโนนทอง"
NAMESAKE = cid("356780099881")  # นางสาวกาญจนา ทองคำ of OTHER_SCHOOL: Kanjana's namesake


def _award_letter(addressee: str, school: str) -> str:
    return "\n".join([
        "ที่ ศธ 0205.2/9523",
        "สำนักงานปลัดกระทรวงศึกษาธิการ",
        "ถนนราชดำเนินนอก กทม. 10300",
        "5 มิถุนายน พ.ศ. 2563",
        "เรื่อง แจ้งผลการคัดเลือกรางวัลเสมาป้องกันยาเสพติด",
        f"เรียน {addressee} ครู {school}",
        "ตามที่สำนักงานเขตพื้นที่การศึกษาได้เสนอชื่อท่านเข้ารับการคัดเลือก คณะกรรมการ"
        "คัดเลือกได้พิจารณาแล้ว มีมติให้ท่านได้รับรางวัลเสมาป้องกันยาเสพติด",
        "จึงขอแสดงความยินดีมา ณ โอกาสนี้",
        "ขอแสดงความนับถือ",
        "(นางสาววรรณภา มั่นคง)",
        "รองปลัดกระทรวงศึกษาธิการ",
    ])


def test_a_letter_naming_a_teacher_with_her_school_is_filed_unsorted(tmp_path: Path) -> None:
    # GIVEN an unsorted letter addressed to a registry teacher by name, with her school
    catalog = catalog_with_registry(tmp_path)
    u = _understand(catalog, _award_letter("นางสาวสุภาพร ศรีสุข", UNIT))
    # THEN the name and her registered unit after it together file it to her
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    assert "unit_on_row" in _kinds(u, SUPAPORN)
    # AND with another school after her name, the name alone waits for a person
    other = _understand(catalog, _award_letter("นางสาวสุภาพร ศรีสุข", OTHER_SCHOOL))
    assert other.link == "needs_review" and "owner_uncertain" in other.review_reasons


def test_the_school_after_the_next_name_is_not_this_ones(tmp_path: Path) -> None:
    # GIVEN a university's order pairing mentor teachers with students: a student's name is by
    # chance a registry teacher's (Supaporn), of the same school as her mentor
    persons: list[tuple[str, ...]] = [(*p, OTHER_SCHOOL) if p[0] in (SOMCHAI, SUPAPORN) else p
                                      for p in PERSONS]
    catalog = catalog_with_registry(tmp_path, persons)
    text = "\n".join([
        "คำสั่งคณะครุศาสตร์ มหาวิทยาลัยราชภัฏยะลา",
        "ที่ 550/2565",
        "เรื่อง แต่งตั้งครูพี่เลี้ยงนักศึกษาฝึกประสบการณ์วิชาชีพครู",
        "จึงแต่งตั้งข้าราชการครูในสถานศึกษาเครือข่าย เป็นครูพี่เลี้ยงนักศึกษา ดังนี้",
        "ที่ ครูพี่เลี้ยง สถานศึกษา นักศึกษา วิชาเอก",
        f"1 นายสมชาย ใจดี {OTHER_SCHOOL} นางสาวสุภาพร ศรีสุข ภาษาไทย",
        "สั่ง ณ วันที่ 13 เมษายน พ.ศ. 2565",
        "(นางวิไลวรรณ ปัญญาดี)",
        "คณบดีคณะครุศาสตร์",
    ])
    u = _understand(catalog, text)
    # THEN the school counts for the mentor, named before it, and not for the student
    assert "unit_on_row" in _kinds(u, SOMCHAI)
    assert "unit_on_row" not in _kinds(u, SUPAPORN)
    assert not (u.link == "linked" and SUPAPORN in u.citizen_ids)
    # AND with the student first, the school after the mentor's name is not hers either
    row = f"1 นางสาวสุภาพร ศรีสุข ภาษาไทย นายสมชาย ใจดี {OTHER_SCHOOL}"
    first = _understand(catalog, text.replace(text.split("\n")[5], row))
    assert "unit_on_row" in _kinds(first, SOMCHAI)
    assert "unit_on_row" not in _kinds(first, SUPAPORN)


def test_a_former_school_that_is_a_namesakes_never_files_the_order_to_her(
        tmp_path: Path) -> None:
    # GIVEN two teachers named นางกาญจนา ทองคำ: Kanjana, now at UNIT, and a namesake at the
    # school Kanjana left; an order reinstating Kanjana names her former school after her name
    # and her present one further down
    persons = [*PERSONS, (NAMESAKE, "นาง", "กาญจนา", "ทองคำ", OTHER_SCHOOL)]
    catalog = catalog_with_registry(tmp_path, persons)
    text = "\n".join([
        "คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาร้อยเอ็ด เขต 3",
        "ที่ 802/2563",
        "เรื่อง บรรจุและแต่งตั้งผู้ออกจากราชการไปแล้วกลับเข้ารับราชการ",
        f"ด้วย นางกาญจนา ทองคำ ซึ่งเคยรับราชการ ตำแหน่งครู {OTHER_SCHOOL} ได้ลาออกจากราชการ",
        "บัดนี้ ผู้นั้นประสงค์จะกลับเข้ารับราชการ",
        "อ.ก.ค.ศ. เขตพื้นที่การศึกษา ในการประชุมครั้งที่ 12/2563 มีมติอนุมัติ",
        "อาศัยอำนาจตามความในมาตรา 53 จึงบรรจุและแต่งตั้งกลับเข้ารับราชการ",
        f"ตำแหน่งครู {UNIT}",
        "สั่ง ณ วันที่ 13 มิถุนายน พ.ศ. 2563",
        "(นางณัฐธิดา ศรีสุข)",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาร้อยเอ็ด เขต 3",
    ])
    u = _understand(catalog, text, folder=KANJANA)
    # THEN the school told the namesakes apart and adds nothing more: the namesake whose
    # school it names is never filed, on a name and a school that may be a former one
    assert not (u.link == "linked" and NAMESAKE in u.citizen_ids)
    assert "unit_on_row" not in _kinds(u, NAMESAKE)


def test_a_chair_from_a_district_with_a_short_name_is_an_outsider(tmp_path: Path) -> None:
    # GIVEN a committee whose chair, a district officer of เบตง, shares a registry teacher's
    # name, the chair's row broken over lines as OCR leaves a table
    catalog = catalog_with_registry(tmp_path)
    rows = ("1", "นางสาวสุภาพร", "ศรีสุข ปลัดอำเภอเบตง", "ประธานกรรมการ",
            f"2 นายสมชาย ใจดี ครู {UNIT} กรรมการ",
            f"3 ว่าที่ร้อยตรี ธนพล บุญมา ครู {UNIT} กรรมการ")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN the chair's row is an outsider's: never filed to the teacher of that name
    assert SUPAPORN not in u.citizen_ids
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])


def test_an_outsiders_office_past_ocrs_garbage_still_marks_the_row(tmp_path: Path) -> None:
    # GIVEN a coaching course's list of graduates, teachers and people from a subdistrict
    # office; the outsider shares a registry teacher's name, and a stamp's garbage splits her
    # row before her office
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี ครู {UNIT} 65/71 7-001/2553",
            "2 นางสาวสุภาพร", "ศรีสุข", "sA= sdn i%, e I r",
            "องค์การบริหารส่วนตำบลคอหงส์ 66/74 7-002/2553",
            f"3 ว่าที่ร้อยตรี ธนพล บุญมา ครู {UNIT} 84/70 7-003/2553")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN her row is an outsider's: never filed to the teacher of that name
    assert SUPAPORN not in u.citizen_ids
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])


def _standing_letter(*rows: str) -> str:
    return "\n".join([
        "ที่ ศธ 0206.3/3103 สำนักงาน ก.ค.ศ.",
        "31 ธันวาคม พ.ศ. 2567",
        "เรื่อง การอนุมัติให้ข้าราชการครูมีวิทยฐานะครูเชี่ยวชาญ",
        "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "ก.ค.ศ. พิจารณาแล้ว มีมติอนุมัติให้ข้าราชการครู ดังนี้ มีวิทยฐานะครูเชี่ยวชาญ",
        "ที่ สถานศึกษา ชื่อ - สกุล กลุ่มสาระการเรียนรู้ มีผลตั้งแต่วันที่",
        *rows,
        "จึงเรียนมาเพื่อโปรดทราบ และออกคำสั่งแต่งตั้งผู้มีรายชื่อต่อไป",
        "ขอแสดงความนับถือ",
        "(นางสาวกนกวรรณ แสงอรุณ)",
        "รองเลขาธิการ ก.ค.ศ.",
    ])


def test_a_table_naming_the_school_before_each_teacher_files_every_one(tmp_path: Path) -> None:
    # GIVEN an unsorted letter whose table opens each row with the teacher's school, the
    # teacher's name after it (one row broken over lines by OCR)
    persons: list[tuple[str, ...]] = [(*p, OTHER_SCHOOL) if p[0] == SUPAPORN else p
                                      for p in PERSONS]
    catalog = catalog_with_registry(tmp_path, persons)
    rows = (f"1 {UNIT} นายสมชาย ใจดี คณิตศาสตร์ 3 มี.ค. 2567",
            f"2 {OTHER_SCHOOL} นางสาว", "สุภาพร ศรีสุข ภาษาไทย 9 ต.ค. 2567",
            f"3 {UNIT} ว่าที่ร้อยตรี ธนพล บุญมา สุขศึกษาและพลศึกษา 23 ส.ค. 2567")
    u = _understand(catalog, _standing_letter(*rows))
    # THEN each row's school, before the name, is its teacher's: all three are filed
    assert u.category == "status_orders"
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, THANAPHON])
    assert "unit_on_row" in _kinds(u, SUPAPORN)
    # AND a row whose name OCR lost holds the letter back: no record misses it in silence
    lost = (*rows[:3], f"3 {UNIT} ว่าที่ร้อยตรี ธ?? บ??า สุขศึกษาและพลศึกษา 23 ส.ค. 2567")
    held = _understand(catalog, _standing_letter(*lost))
    assert held.link == "needs_review" and "group_incomplete" in held.review_reasons
    # AND a school before another teacher's name is not the next one's
    swapped = (f"1 {OTHER_SCHOOL} นายสมชาย ใจดี นางสาวสุภาพร ศรีสุข ภาษาไทย", rows[3])
    pair = _understand(catalog, _standing_letter(*swapped))
    assert "unit_on_row" not in _kinds(pair, SUPAPORN)


def test_a_damaged_name_read_with_another_title_is_not_placed_on_the_list(
        tmp_path: Path) -> None:
    # GIVEN a list of graduates in Somchai's folder; its second row names นางสุภาพร ศรีสุข (a
    # member of the public) a little damaged, and the registry's Supaporn is นางสาว
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี ครู {UNIT} 65/71", "2 นางสุภาพร ศรีสุ ประชาชนทั่วไป 70/70",
            f"3 ว่าที่ร้อยตรี ธนพล บุญมา ครู {UNIT} 84/70")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN the list does not place that name on the registry's นางสาวสุภาพร
    assert "listed_with_anchor" not in _kinds(u, SUPAPORN)
    assert not (u.link == "linked" and SUPAPORN in u.citizen_ids)


def _corrections(*rows: str) -> str:
    return "\n".join([
        "ที่ ศธ 0200.2/5125 สำนักงาน ก.ค.ศ.", "27 กุมภาพันธ์ พ.ศ. 2568",
        "เรื่อง การแก้ไขวัน เดือน ปีเกิด ในทะเบียนประวัติข้าราชการครู",
        "ก.ค.ศ. พิจารณาแล้ว มีมติอนุมัติให้แก้ไข ดังนี้",
        "ที่ ชื่อ - สกุล วันเกิดเดิม วันเกิดที่แก้ไข หลักฐาน", *rows,
        "ขอแสดงความนับถือ", "(นางสาวดวงใจ หอมจันทร์)", "รองเลขาธิการ ก.ค.ศ."])


def test_a_registered_date_of_birth_on_the_row_files_a_names_only_list(tmp_path: Path) -> None:
    # GIVEN an unsorted approval of corrected birth dates naming two teachers by name only;
    # the registry holds each one's corrected date (27 March 1987, พ.ศ. 2530)
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 นายสมชาย ใจดี 10 พ.ค. 2530 27 มี.ค. 2530 สูติบัตร",
            "2 นางสาวสุภาพร ศรีสุข 2 พ.ย. 2529 27 มีนาคม พ.ศ. 2530 สำเนาทะเบียนบ้าน")
    u = _understand(catalog, _corrections(*rows))
    # THEN each name with its registered date of birth files the letter to both
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    assert "birth_date_on_row" in _kinds(u, SUPAPORN)
    # AND another date than the registered one is no evidence
    other = _understand(catalog, _corrections(rows[0].replace("27 มี.ค.", "28 มี.ค."),
                                              rows[1].replace("27 มีนาคม", "28 มีนาคม")))
    assert "birth_date_on_row" not in _kinds(other, SOMCHAI)
    assert other.link == "needs_review"


def test_one_person_on_a_list_of_names_does_not_hide_its_other_rows(tmp_path: Path) -> None:
    # GIVEN the same letter whose second row's name OCR lost, the first row's teacher proven
    # by the registry's date of birth
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 นายสมชาย ใจดี 10 พ.ค. 2530 27 มี.ค. 2530 สูติบัตร",
            "2 นางส?? ศ?สข 2 พ.ย. 2529 8 มี.ค. 2530 สำเนาทะเบียนบ้าน")
    u = _understand(catalog, _corrections(*rows))
    # THEN the row naming nobody found holds it back: that person's record would miss it
    assert u.link == "needs_review" and "group_incomplete" in u.review_reasons


def test_the_unit_on_a_wrapped_row_counts_past_ocr_specks_between_its_lines(
        tmp_path: Path) -> None:
    # GIVEN a roll of blood donors whose table rows wrap: a teacher's name, then a line OCR
    # read from a speck (no letters), her occupation and her school on lines of their own
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "ประกาศเหล่ากาชาดจังหวัดขอนแก่น",
        "เรื่อง ประกาศเกียรติคุณผู้บริจาคโลหิต ประจำปี พ.ศ. ๒๕๖๖",
        "ผู้มีรายชื่อต่อไปนี้ได้บริจาคโลหิตครบตามจำนวนครั้งที่กำหนด",
        "บริจาคครบ ที่ ชื่อ - สกุล อาชีพ / หน่วยงาน",
        "๔๕ ครั้ง ๑ นางสาวสุภาพร ศรีสุข",
        ": |",
        "ข้าราชการครู",
        UNIT,
        "ประกาศ ณ วันที่ ๑๔ มิถุนายน พ.ศ. ๒๕๖๖",
        "(นางสาวอรุณี มั่นคง)",
        "นายกเหล่ากาชาดจังหวัดขอนแก่น",
    ])
    u = _understand(catalog, text)
    # THEN her school, two lines of text below her name, counts as her unit on the row
    assert "unit_on_row" in _kinds(u, SUPAPORN)
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    # AND a third line of text between them is past the row's continuation: it does not
    wrapped = text.replace("ข้าราชการครู", "ข้าราชการครู\nชำนาญการพิเศษ\nกลุ่มสาระภาษาไทย")
    assert "unit_on_row" not in _kinds(_understand(catalog, wrapped), SUPAPORN)


PEERAPAT = cid("157420033418")  # นายพีรพัฒน์ เงินรัตน์ of NONG_WAENG
NONG_WAENG = "โรงเรียนบ้านหนองแวง"


def test_a_name_damaged_twice_is_placed_by_its_school_on_the_row(tmp_path: Path) -> None:
    # GIVEN an order in Somchai's folder whose second row names Peerapat with two letters
    # misread and a space inside his surname, and his school after it
    persons = [*PERSONS, (PEERAPAT, "นาย", "พีรพัฒน์", "เงินรัตน์", NONG_WAENG)]
    catalog = catalog_with_registry(tmp_path, persons)
    rows = (f"1 นายสมชาย ใจดี ครู {UNIT}", f"2 นายพีวพัฒน์ เงิ นวัตน์ ครู {NONG_WAENG}")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN the damaged name and his school agree on him: the order is filed to both
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, PEERAPAT])
    assert "unit_on_row" in _kinds(u, PEERAPAT)
    # AND with another school on the row the damaged name is no one's: the order waits
    other = (rows[0], f"2 นายพีวพัฒน์ เงิ นวัตน์ ครู {OTHER_SCHOOL}")
    held = _understand(catalog, appointment_order(*other), folder=SOMCHAI)
    assert held.link == "needs_review" and "group_incomplete" in held.review_reasons
    assert PEERAPAT not in held.citizen_ids


def test_a_transfers_row_naming_the_old_unit_then_the_new_is_no_doubt(tmp_path: Path) -> None:
    # GIVEN an order taking teachers over from a municipality, in Somchai's folder: Supaporn's
    # row wraps over four lines, her old municipal school first, her new one (the registered
    # one) last
    persons: list[tuple[str, ...]] = [(*p, OTHER_SCHOOL) if p[0] == SUPAPORN else p
                                      for p in PERSONS]
    catalog = catalog_with_registry(tmp_path, persons)
    rows = (f"1 นายสมชาย ใจดี พนักงานครูเทศบาล ครู {UNIT}",
            "2 นางสาวสุภาพร ศรีสุข พนักงานครูเทศบาล ตำแหน่งครู", "โรงเรียนเทศบาล 2 (วัดโคกกลาง)",
            "เทศบาลเมืองกุมภวาปี", f"ครู {OTHER_SCHOOL}")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN her registered school on the row's last line clears the old units before it
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
