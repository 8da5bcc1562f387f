"""Rows of a list as OCR leaves them: a name damaged past the name pattern, an ID cell that
says none was given, rows run together, a post misread, a second name column; and lists the
classifier cannot place in one category but knows to be of subjects."""

from __future__ import annotations

from pathlib import Path

from ingest.understand import load_classifier
from ingest.understand.extract import extract
from ingest.understand.link import LISTS_OF_SUBJECTS, link_persons
from tests.ingest.understand_support import (
    DISTINCT,
    KANJANA,
    PERSONS,
    SOMCHAI,
    SUPAPORN,
    THANAPHON,
    UNIT,
    WICHAI,
    catalog_with_registry,
    cid,
    dashed,
)
from tests.ingest.understand_support import understand_text as _understand


def _amnesty_memo(*rows: str) -> str:
    """A legal group's memo on teachers' requests to have an amnesty recorded: a table of
    the cases (name, school, penalty, order, finding). A discipline paper: its lists are
    no subjects' lists by category (a committee's), but this one names its subjects."""
    return "\n".join([
        "บันทึกข้อความ", "ส่วนราชการ กลุ่มกฎหมายและคดี สพป.ขอนแก่น เขต 1",
        "ที่ ศธ 04001/123 วันที่ 31 ธันวาคม พ.ศ. 2567",
        "เรื่อง ผลการตรวจสอบคำร้องขอให้บันทึกการล้างมลทินในทะเบียนประวัติ",
        "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "ด้วยมีข้าราชการครูในสังกัด ยื่นคำร้องขอให้บันทึกการล้างมลทินในทะเบียนประวัติ "
        "กลุ่มกฎหมายและคดีได้ตรวจสอบคำสั่งลงโทษและวันที่กระทำผิดของแต่ละรายกับพระราชบัญญัติ"
        "ล้างมลทิน ผลการตรวจสอบปรากฏดังนี้",
        "ที่ ชื่อ - ชื่อสกุล สถานศึกษา โทษที่ได้รับ คำสั่งลงโทษ ผลการพิจารณา",
        *rows,
        "จึงเรียนมาเพื่อโปรดพิจารณา", "(นายประเสริฐ จันทร์เพ็ญ)", "นิติกรชำนาญการพิเศษ"])


AMNESTY_ROWS = (f"1 นายสมชาย ใจดี {UNIT} ภาคทัณฑ์ ที่ 12/2550 อยู่ในข่าย",
                f"2 นางสาวสุภาพร ศรีสุข {UNIT} ตัดเงินเดือน ที่ 15/2551 อยู่ในข่าย")


def test_a_name_ocr_damaged_on_a_list_its_category_does_not_make_of_subjects_is_read(
        tmp_path: Path) -> None:
    # GIVEN an amnesty memo in Somchai's folder naming three teachers, the third's title and
    # a vowel of the surname lost to OCR ("นยธนพล บญมา")
    catalog = catalog_with_registry(tmp_path)
    damaged = f"3 นยธนพล บญมา {UNIT} ภาคทัณฑ์ ที่ 18/2552 ไม่อยู่ในข่าย"
    u = _understand(catalog, _amnesty_memo(*AMNESTY_ROWS, damaged), folder=SOMCHAI)
    # THEN the row, checked as a subject's, is read against the registry: all three filed
    assert u.category == "discipline"
    assert u.link == "linked"
    assert sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, THANAPHON])
    # AND where two registry persons bear that name, the row's person is in doubt: the
    # memo waits, never filed to both
    twin = (cid("149870011223"), "ว่าที่ร้อยตรี", "ธนพล", "บุญมา")
    twins = catalog_with_registry(tmp_path / "twins", [*PERSONS, twin])
    waits = _understand(twins, _amnesty_memo(*AMNESTY_ROWS, damaged), folder=SOMCHAI)
    assert waits.link == "needs_review" and "group_member_uncertain" in waits.review_reasons
    # AND a row whose letters are no registered name's still holds the memo back
    lost = f"3 นยปร ะเส ริฐ {UNIT} ภาคทัณฑ์ ที่ 18/2552 ไม่อยู่ในข่าย"
    held = _understand(catalog, _amnesty_memo(*AMNESTY_ROWS, lost), folder=SOMCHAI)
    assert held.link == "needs_review" and "group_incomplete" in held.review_reasons


def _house_rent_check(third: str) -> str:
    """A district registry's answer on teachers claiming house rent: each one's house
    register entry, the ID of those sent by ID, a dash for those sent by name."""
    return "\n".join([
        "ที่ มท 0309.12/4567", "ที่ว่าการอำเภอเมืองขอนแก่น", "12 มีนาคม 2567",
        "เรื่อง ผลการตรวจสอบรายการทะเบียนบ้าน",
        "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "สำนักทะเบียนอำเภอเมืองขอนแก่น ได้ตรวจสอบจากฐานข้อมูลทะเบียนราษฎรแล้ว ปรากฏผลตาม"
        "บัญชีต่อไปนี้ รายที่มิได้แจ้งเลขประจำตัวประชาชนมา ได้ตรวจสอบจากชื่อตัว ชื่อสกุล "
        "และวันเดือนปีเกิด",
        "ที่ ชื่อ - สกุล เลขประจำตัวประชาชน ที่อยู่ตามทะเบียนบ้าน ฐานะในบ้าน วันที่ย้ายเข้า",
        f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} 12 ม.3 ต.ในเมือง อ.เมือง จ.ขอนแก่น เจ้าบ้าน "
        "3 ส.ค. 2555",
        f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} 45 ม.7 ต.ศิลา อ.เมือง จ.ขอนแก่น ผู้อาศัย "
        "9 ม.ค. 2560",
        third,
        "จึงเรียนมาเพื่อโปรดทราบ", "ขอแสดงความนับถือ", "(นายณรงค์ฤทธิ์ ศักดิ์สิทธิ์)",
        "ปลัดอำเภอ หัวหน้าฝ่ายทะเบียนและบัตร"])


def test_a_row_whose_id_cell_is_a_dash_names_its_person_on_a_list_that_prints_ids(
        tmp_path: Path) -> None:
    # GIVEN a house-rent check in Somchai's folder: two rows print their teacher's ID, the
    # third a dash (the area office sent that teacher by name and birth date); a registry of
    # distinct names, where a whole name proves its person
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    dash = "3 นางกาญจนา ทองคำ - 8 ม.2 ต.พระลับ อ.เมือง จ.ขอนแก่น ผู้อาศัย 1 ก.ย. 2561"
    u = _understand(catalog, _house_rent_check(dash), folder=SOMCHAI)
    # THEN the name is that row's person, not one named in passing: all three are filed
    assert u.link == "linked"
    assert sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, KANJANA])
    # AND a dash row OCR ran into the one above, its number misread ("e นาง…"), is its
    # person's too: the list is not taken for complete without her
    merged = ("3 นายวิชัย มั่นคง - 8 ม.2 ต.พระลับ อ.เมือง จ.ขอนแก่น ผู้อาศัย 1 ก.ย. 2561\n"
              "e นางกาญจนา ทองคำ - 9 ม.4 ต.พระลับ อ.เมือง จ.ขอนแก่น ผู้อาศัย 2 ก.ย. 2561")
    both = _understand(catalog, _house_rent_check(merged), folder=SOMCHAI)
    assert both.link == "linked"
    assert sorted(both.citizen_ids) == sorted([SOMCHAI, SUPAPORN, WICHAI, KANJANA])
    # AND a row that gives neither an ID nor a dash (the cell lost) leaves its name in doubt
    lost = "3 นางกาญจนา ทองคำ 8 ม.2 ต.พระลับ อ.เมือง จ.ขอนแก่น ผู้อาศัย 1 ก.ย. 2561"
    held = _understand(catalog, _house_rent_check(lost), folder=SOMCHAI)
    assert held.link == "needs_review" and KANJANA not in held.citizen_ids


def _escort_roster(*rows: str) -> str:
    """A school's roster of staff asking for an escort on their way (teachers beside a
    clerk and a contract teacher), names only."""
    return "\n".join([
        "บัญชีรายชื่อครูและบุคลากรผู้ขอรับการรักษาความปลอดภัยในการเดินทาง (รปภ.ครู)",
        f"{UNIT} อำเภอบันนังสตา จังหวัดยะลา ภาคเรียนที่ 2",
        "เสนอ ผู้บังคับกองร้อยทหารพรานที่ 4808",
        "ที่ ชื่อ นามสกุล ตำแหน่ง ที่พัก พาหนะ เวลาออก",
        "1 นายสมชาย ใจดี ครู บ้านทุ่งยาว รถยนต์ 06.45",
        "2 นางสาวสุภาพร ศรีสุข ครู บ้านบูเกะ รถกระบะ 06.45",
        *rows,
        "ข้อมูล ณ วันที่ 15 มีนาคม พ.ศ. 2565", "(นายอภิสิทธิ์ ปัญญาดี)", "ผู้อำนวยการโรงเรียน"])


def test_lists_the_classifier_knows_are_of_subjects_count_as_such_when_unsure_which(
        tmp_path: Path) -> None:
    # GIVEN a roster of two teachers and two strangers (a clerk, a contract teacher), read
    # with its category unsure
    catalog = catalog_with_registry(tmp_path)
    text = _escort_roster("3 นายอนุชา ชัยมงคล เจ้าหน้าที่ธุรการ บ้านปาเระ รถจักรยานยนต์ 07.00",
                          "4 นางปิยะนุช คำภูแสน ครูอัตราจ้าง บ้านปาเระ รถกระบะ 07.00")
    extracted = extract(text)
    with catalog.session() as s:
        def link(likely: float) -> tuple[str, list[str]]:
            found = link_persons(s, text, extracted, folder_hint=SOMCHAI,
                                 category="martial_law", category_sure=False,
                                 subjects_listed=likely)
            return found.link, sorted(f.citizen_id for f in found.owners)
        # THEN where the categories it weighs all list their subjects (martial law, a
        # status order), its rows vouch for their teachers as a sure category's would
        assert link(0.95) == ("linked", sorted([SOMCHAI, SUPAPORN]))
        # AND where they may not (a discipline paper's committee), the names alone wait
        assert link(0.5)[0] == "needs_review"
        # AND understanding weighs the classifier's odds the same way
        odds = sum(p for c, p in load_classifier().predict(text).ranked
                   if c in LISTS_OF_SUBJECTS)
        expected = link(odds)[0]
    assert _understand(catalog, text, folder=SOMCHAI).link == expected


def test_a_strangers_row_ocr_ran_below_the_next_rows_number_does_not_hold_the_list_back(
        tmp_path: Path) -> None:
    # GIVEN the roster with a clerk's row whose number OCR left at the end of the row above
    # ("3 นายอนุชา ชัยมงคล เจ้าหน้าที่ธุรการ 4." / "นางปิยะนุช คำภูแสน …")
    catalog = catalog_with_registry(tmp_path)
    text = _escort_roster("3 นายอนุชา ชัยมงคล เจ้าหน้าที่ธุรการ บ้านปาเระ 4.",
                          "นางปิยะนุช คำภูแสน นักการภารโรง บ้านปาเระ รถกระบะ 07.00")
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the second name opens a row of its own, a stranger's: the teachers are filed
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_rows_ocr_ran_together_count_each_person_against_the_numbering(
        tmp_path: Path) -> None:
    # GIVEN the roster numbered to 5, OCR having run the strangers' rows 3 and 4 into one
    catalog = catalog_with_registry(tmp_path)
    text = _escort_roster("3. นายอนุชา ชัยมงคล เจ้าหน้าที่ธุรการ 4. นางปิยะนุช คำภูแสน "
                          "ครูอัตราจ้าง",
                          "5 นายประยุทธ ศรีวงศ์ นักการภารโรง บ้านปาเระ รถกระบะ 07.00")
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN five persons are accounted for, as numbered: nothing was lost, the teachers filed
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_a_teachers_post_ocr_misread_still_says_the_row_is_staff(tmp_path: Path) -> None:
    # GIVEN the roster with a stranger (a clerk) and a third teacher whose post OCR misread
    # ("ควูผู้ช่วย", ร read as its lookalike ว)
    catalog = catalog_with_registry(tmp_path)
    text = _escort_roster("3 นายวิชัย มั่นคง ควูผู้ช่วย บ้านปาเระ รถกระบะ 07.00",
                          "4 นายอนุชา ชัยมงคล เจ้าหน้าที่ธุรการ บ้านปาเระ 07.00")
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the row still says its person is staff: the list vouches for him
    assert u.link == "linked"
    assert sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, WICHAI])


def _mentor_order(second: str) -> str:
    """A faculty's order naming each school's mentor teacher and the student they take."""
    return "\n".join([
        "คำสั่ง คณะศึกษาศาสตร์ มหาวิทยาลัยขอนแก่น", "ที่ 220/2551",
        "เรื่อง แต่งตั้งครูพี่เลี้ยงนักศึกษาฝึกประสบการณ์วิชาชีพครู ภาคเรียนที่ 2/2550",
        "จึงแต่งตั้งข้าราชการครูในสถานศึกษาเครือข่าย เป็นครูพี่เลี้ยงนักศึกษา ดังนี้",
        "ที่ ครูพี่เลี้ยง สถานศึกษา นักศึกษา วิชาเอก",
        f"1 นายสมชาย ใจดี {UNIT} นายณัฐวุฒิ ศักดิ์สิทธิ์ การศึกษาปฐมวัย",
        second,
        f"3 ว่าที่ร้อยตรี ธนพล บุญมา {UNIT} นางสาวอัญชลี เหล่าสุวรรณ สังคมศึกษา",
        "ให้ครูพี่เลี้ยงให้คำแนะนำ นิเทศ และประเมินผลการปฏิบัติการสอนของนักศึกษา",
        "สั่ง ณ วันที่ 12 มกราคม พ.ศ. 2551", "(นายยุทธนา แสงอรุณ)", "คณบดีคณะศึกษาศาสตร์"])


def test_a_student_in_a_second_name_column_is_never_filed_as_a_teacher_of_that_name(
        tmp_path: Path) -> None:
    # GIVEN a mentor order in Somchai's folder whose second row wrapped: the mentor's name,
    # the school, and on a line of its own the student, who bears Wichai's name
    catalog = catalog_with_registry(tmp_path)
    second = f"2 นางสาวสุภาพร ศรีสุข\n{UNIT}\nนายวิชัย มั่นคง สุขศึกษาและพลศึกษา"
    u = _understand(catalog, _mentor_order(second), folder=SOMCHAI)
    # THEN the line the student's name opens is the row's second name column, not a row
    # whose number OCR lost: Wichai is not filed by the list
    assert not (u.link == "linked" and WICHAI in u.citizen_ids)
