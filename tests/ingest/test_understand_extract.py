"""Extraction: citizen IDs, titled names, order references, B.E. dates, Gazette references."""

from __future__ import annotations

from datetime import date

from archive.thai import OrderRef, to_thai_digits
from ingest.understand.extract import (
    extract,
    find_names,
    has_relative_label,
    is_signature_line,
    late_name_rows,
    list_rows,
    numbered_to,
    opens_with_title,
    relative_labels,
)
from tests.ingest.understand_support import SOMCHAI, SUPAPORN, dashed


def _row_starts(lines: list[str]) -> list[int]:
    """The first line of each list row list_rows finds."""
    return [first for first, _last in list_rows(lines)]


def test_citizen_ids_in_thai_or_arabic_digits_dashed_spaced_or_plain() -> None:
    # GIVEN one ID written four ways
    spaced = " ".join((SOMCHAI[0], SOMCHAI[1:5], SOMCHAI[5:10], SOMCHAI[10:12], SOMCHAI[12]))
    text = "\n".join([
        f"เลขประจำตัวประชาชน {dashed(SOMCHAI, thai=True)}",
        f"เลขประจำตัวประชาชน {dashed(SOMCHAI)}",
        f"เลขประจำตัวประชาชน {to_thai_digits(spaced)}",
        f"เลขประจำตัวประชาชน {SUPAPORN}",
    ])
    # WHEN extracted THEN the readings hold the 13 digits and the check digit passes
    readings = extract(text).ids
    assert [r.exact for r in readings] == [SOMCHAI, SUPAPORN]  # one reading per ID
    assert [r.arabic for r in readings] == [False, True]  # first seen in Thai digits


def test_a_reading_with_a_wrong_check_digit_is_kept_but_not_exact() -> None:
    misread = SOMCHAI[:5] + str((int(SOMCHAI[5]) + 1) % 10) + SOMCHAI[6:]
    reading = extract(f"เลขประจำตัวประชาชน {misread}").ids[0]
    assert reading.symbols == misread and reading.exact is None


def test_names_with_titles_signers_and_relatives() -> None:
    text = "\n".join([
        "ข้าพเจ้า นางสาวสุภาพร ศรีสุข ตำแหน่งครู",
        "ว่าที่ร้อยตรี ธนพล บุญมา และ ดร.ประเสริฐ วงศ์สวัสดิ์",
        "ชื่อบิดา นายวิชัย ศรีสุข",
        "(นายสมชาย ใจดี)",
    ])
    names = {m.text: m for m in extract(text).names}
    assert set(names) == {"นางสาวสุภาพร ศรีสุข", "ว่าที่ร้อยตรีธนพล บุญมา",
                          "ดร.ประเสริฐ วงศ์สวัสดิ์", "นายวิชัย ศรีสุข", "นายสมชาย ใจดี"}
    assert names["นายสมชาย ใจดี"].signature
    assert names["นายวิชัย ศรีสุข"].relative
    assert not names["นางสาวสุภาพร ศรีสุข"].relative


def test_a_title_ocr_split_with_a_stray_space_is_still_a_title() -> None:
    text = "ขณะที่ นา ยวีระพงษ์ หอมเดช ครู และ นาง สาวสุภาพร ศรีสุข ครู เดินทางกลับ"
    names = [(m.title, m.first, m.last) for m in extract(text).names]
    assert names == [("นาย", "วีระพงษ์", "หอมเดช"), ("นางสาว", "สุภาพร", "ศรีสุข")]


def test_a_relatives_label_reaches_every_name_the_sentence_enumerates_after_it() -> None:
    text = ("ด้วยเป็นผู้อบรมเลี้ยงดูบุตร ได้แก่ นางสาวรัตนาภรณ์ เหล่าสุวรรณ นางสาวศิริพร เหล่า สุวรรณ"
            " และนางสาวอัญชลี เหล่าสุวรรณ ให้เป็นคนดี ทั้งยังปฏิบัติหน้าที่ครู นางวรรณภา ใจดี ครูผู้สอน")
    names = {m.first: m.relative for m in extract(text).names}
    assert names == {"รัตนาภรณ์": True, "ศิริพร": True, "อัญชลี": True, "วรรณภา": False}
    # AND a label's word inside the name before ("แสงบุตร") labels no one, nor the ID after it
    authors = "โดย นางปวีณา แสงบุตร, นายณรงค์ฤทธิ์ หอมภักดี และนางลำดวน สมบูรณ์รัตน์"
    assert not any(m.relative for m in extract(authors).names)
    row = f"2 นายสมชาย สายบุตร {dashed(SOMCHAI)} ครู"
    assert [r.relative for r in extract(row).ids] == [False]
    assert [r.relative for r in extract(f"ชื่อบุตร นายสมชาย สายทอง {dashed(SOMCHAI)}").ids] == [True]


def test_order_reference_dates_subject_and_group_size() -> None:
    text = "\n".join([
        "คำสั่งโรงเรียนบ้านหนองบัว",
        "ที่ ๑๒๓/๒๕๖๗",
        "เรื่อง ย้ายข้าราชการครู",
        "จึงย้ายข้าราชการครู จำนวน 3 ราย ตามคำสั่งที่ 45/2566",
        "ทั้งนี้ ตั้งแต่วันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๗ เป็นต้นไป",
        "สั่ง ณ วันที่ 25 ก.ย. 2567",
    ])
    ex = extract(text)
    assert ex.order_refs == [OrderRef("123", 2567), OrderRef("45", 2566)]
    assert ex.is_order and ex.own_ref_raw == "๑๒๓/๒๕๖๗"
    assert ex.effective_on == date(2024, 10, 1) and ex.signed_on == date(2024, 9, 25)
    assert ex.subject == "ย้ายข้าราชการครู" and ex.group_size == 3
    # Thai digits are kept as read, not taken as fact: OCR confuses them
    assert not ex.own_ref_trusted and not ex.effective_trusted and ex.signed_trusted


def test_royal_gazette_reference_for_a_decoration() -> None:
    text = ("ซึ่งได้ประกาศในราชกิจจานุเบกษา เล่ม ๑๔๒ ตอนที่ ๑๒ ข หน้า ๗๗๐ ลำดับที่ ๒๖๒๗\n"
            "หน้า 180 เล่ม 138 ตอนที่ 24 ข ราชกิจจานุเบกษา 26 กันยายน 2564")
    assert [str(g) for g in extract(text).gazette] == [
        "ราชกิจจานุเบกษา เล่ม 142 ตอนที่ 12 ข หน้า 770",
        "ราชกิจจานุเบกษา เล่ม 138 ตอนที่ 24 ข หน้า 180",
    ]


def test_relative_labels_are_told_from_words_with_the_same_skeleton() -> None:
    # บุตร (child) and บัตร (card) share the skeleton บตร; สามี (husband) starts สามัคคี
    for text in ("วุฒิบัตรฉบับนี้ให้ไว้แก่", "เกียรติบัตร", "สำเนาบัตรประจำตัวประชาชน",
                 "โรงเรียนอนุบาลประชาสามัคคี", "มีความสามารถพิเศษ"):
        assert not has_relative_label(text), text
    for text in ("ชื่อบุตร", "ชื่อสามี", "บิดา", "ชื่อสาม ", "บตร"):  # vowels lost: still a label
        assert has_relative_label(text), text
    # AND the house head is a label of its own kind, let through on a house register only
    assert relative_labels("เจ้าบ้าน") == ["เจ้าบ้าน"]
    assert not has_relative_label("เจ้าบ้าน", household_ok=True)
    assert has_relative_label("บิดา เจ้าบ้าน", household_ok=True)


def test_an_id_run_on_into_the_next_columns_number_is_cut_back_to_the_id() -> None:
    # GIVEN a table row where OCR ran the ID on into a position number broken by a space
    line = f"4 นายสมชาย ใจดี {dashed(SOMCHAI, thai=True)} {to_thai_digits('3852 0')} ๑๐/๓/๒๕๖๘"
    # THEN the reading is the ID alone, where it stands on the line
    (reading,) = extract(line).ids
    assert reading.exact == SOMCHAI
    assert line[reading.start:].startswith(dashed(SOMCHAI, thai=True))


def test_list_rows_survive_ocrs_stray_marks_and_lost_spaces() -> None:
    # GIVEN a list whose rows OCR damaged: a stray เ before a Thai row number, a number run
    # into the title, a bare number with a line of garbage under it
    lines = ["ที่ ชื่อ - สกุล ตำแหน่ง", "๑ นายสมชาย ใจดี ครู", "เ๒ นางสาวสุภาพร ศรีสุข ครู",
             "3นางกาญจนา ทองคำ ครู", "4", "; :A Ss|", "นายวิชัย มั่นคง ครู", "ทั้งนี้ ตั้งแต่วันที่"]
    # THEN every row is found, each with its number's line first
    assert _row_starts(lines) == [1, 2, 3, 4]
    # AND a row whose number OCR lost or misread opens with a title all the same
    assert opens_with_title(". นายธนพล บุญมา ครู") and opens_with_title("e. นางสาว ปวีณา ศรีสุข")
    assert not opens_with_title("ตามที่ นายธนพล บุญมา ได้ยื่นคำขอ")


def test_a_row_ends_where_the_list_does_and_an_area_number_wrapped_is_no_row() -> None:
    # GIVEN a working group's table: the first row's office ends "เขต", its number wrapped
    # onto the next line with the row's duty; the last row is followed by the order's charge
    # to the group and its signing line
    lines = ["ที่ ชื่อ - สกุล ตำแหน่ง หน้าที่",
             "๑ นายสมชาย ใจดี รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต",
             ": |", "๒ ประธานคณะทำงาน",
             "๒ นางสาวสุภาพร ศรีสุข ครู โรงเรียนบ้านหนองบัว คณะทำงาน",
             "ให้คณะทำงานมีหน้าที่ รวบรวมแฟ้มทะเบียนประวัติ", "สั่ง ณ วันที่ ๕ มีนาคม พ.ศ. ๒๕๖๗",
             "(นางกาญจนา ทองคำ)"]
    # THEN the area's number is the first row's, and the last row stops before the charge
    assert list_rows(lines) == [(1, 3), (4, 4)]
    # AND a row's wrapped cell stays the row's
    wrapped = [*lines[:5], "(สแกนและตรวจสอบเอกสาร)", *lines[5:]]
    assert list_rows(wrapped)[-1] == (4, 5)


def test_rows_that_print_the_posts_number_first_and_the_grade_wrapped_under_them() -> None:
    # GIVEN an appointment annex whose rows open with the post's number, labelled, before the
    # name (one row's name wrapped under its label); the post's grade "๑ ระดับ ๓" wrapped
    # under "อาจารย์", and the level's number under "๑ ระดับ"
    lines = ["ร.ร.บ้านหนองบัว อ.กุมภวาปี จ.อุดรธานี",
             "๑. ตำแหน่งเลขที่ ๕๕๕๑ นางสาวดวงใจ วงศ์ประเสริฐ ศศ.บ. อาจารย์",
             "๑ ระดับ ๓", "ขั้น ๖,๓๖๐ บาท",
             "เ๒. ตำแหนงเลขที ๒๘๓๓๑ นางสาวเพ็ญศรี รุ่งเรือง ค.บ. อาจารย์ ๑ ระดับ",
             "๓ ขั้น ๖,๓๒๐ บาท",
             "๓. ตำแหน่งเลขที่", "๓๓๒๕ นายภูวดล วิเศษสกุล ศศ.บ. อาจารย์ ๑ ระดับ ๓",
             "ให้ผู้ได้รับการบรรจุไปรายงานตัว"]
    # THEN three rows, each from its number to the next
    assert list_rows(lines) == [(1, 3), (4, 5), (6, 7)]
    # AND a table's heading that ends with its level column does not take the first row's
    # number: "๑ ร้อยโท…" (a rank no title pattern reads) is still a row
    ranks = ["ที่ ชื่อ - สกุล ตำแหน่ง รวม ระดับ", "๑ ร้อยโทธนากร บุญประเสริฐ ผู้บังคับหมวด",
             "๒ นางสุภาพร วงศ์ไพบูลย์ ครู โรงเรียนวัดศรีสุมังคล์"]
    assert _row_starts(ranks) == [1, 2]


def test_an_amending_orders_last_row_ends_where_its_closing_paragraph_opens() -> None:
    # GIVEN an order amending an earlier one's annex: its last row, then "นอกจากที่แก้ไขนี้
    # ให้คงเป็นไปตามคำสั่ง…" naming the area office, wrapped over lines
    lines = ["ที่ ชื่อ นามสกุล รายการ ตามคำสั่งเดิม แก้ไขเป็น",
             "๑ นายภูวดล จันทร์ไพบูลย์ ตำแหน่งเลขที่ ๓๕๕๓๕ ๓๕๕๓๖",
             "๒ นายณัฐวุฒิ จันทร์วัฒนา อัตราเงินเดือน ๑๕,๓๒๐ บาท ๑๕,๐๐๐ บาท",
             "นอกจากที่แก้ไขนี้ ให้คงเป็นไปตามคำสั่งสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาสุพรรณบุรี",
             "ที่ ๒๑๑/๒๕๕๑ ลงวันที่"]
    # THEN the last row is its own line: the office named below is not its person's unit
    assert list_rows(lines) == [(1, 1), (2, 2)]


def test_a_row_abbreviating_its_title_and_a_row_whose_name_ocr_lost_are_rows() -> None:
    # GIVEN a list: a row titled น.ส. (นางสาว abbreviated); a row whose number stands alone over
    # what is left of its name, its title and first name lost ("๕" over "ชัยวัฒนา บ.ม."); a
    # date's day wrapped alone over its month; a cell's number in Arabic digits wrapped under
    # its row, repeating the row's number
    lines = ["ที่ ชื่อ นามสกุล ชั้นตรา", "๑ นางวิไลวรรณ ขันติฤทธิ์ บ.ช.",
             "๒ น.ส.ธิดารัตน์ ดวงสวัสดิ์ บ.ช.", "๓", "ชัยวัฒนา บ.ม. ๒๕ ก.ค. ๒๕๖๒",
             "๔ นายภูวดล ศักดิ์มณี บ.ช. ๕", "ม.ค. ๒๕๖๓"]
    # THEN four rows: the abbreviated title's, the lost name's, and no row of the date's day
    assert _row_starts(lines) == [1, 2, 3, 5]
    assert find_names(lines[2:3])[0].first == "ธิดารัตน์"
    wrapped = ["1 นายอภิสิทธิ์ พรภักดี ครู 16", "6 นายภูวดล ศักดิ์มณี", "พรภักดี ครู", "6",
               "7 นางสาววิไลวรรณ พรพันธ์ ครู"]
    assert _row_starts(wrapped) == [0, 1, 4]


def test_a_signers_name_whose_opening_bracket_ocr_lost_is_still_a_signature() -> None:
    assert is_signature_line("นางสาวปิยะนุช ภูมิสุวรรณ)")
    assert is_signature_line("เ(นาง สาวศศิธร มั่นคง)")
    assert not is_signature_line("1 นางสาวปิยะนุช ภูมิสุวรรณ ครู (ชำนาญการ)")
    assert not is_signature_line("นางสาวปิยะนุช ภูมิสุวรรณ ตำแหน่งครู")


def test_a_thai_numbering_bounds_the_rows_a_list_had() -> None:
    # GIVEN a list in Thai digits whose second row OCR lost whole and whose ๔ it read as ๕
    lines = ["๑ นายสมชาย ใจดี", "๓ นางสาวสุภาพร ศรีสุข", "๕ นางกาญจนา ทองคำ", "๕ นายวิชัย มั่นคง"]
    # THEN the numbering says at least five rows: ๕ may be ๔, and the last is above it
    assert numbered_to(lines, list_rows(lines)) == 5
    # AND a list read in order says no more than it shows
    assert numbered_to(lines[:1] + ["๒ นางสาวสุภาพร ศรีสุข"], list_rows(lines[:1] + [
        "๒ นางสาวสุภาพร ศรีสุข"])) == 2
    # AND a list whose only row found is numbered ๒ had a first row OCR lost
    alone = ["ที่ ชื่อ - สกุล สถานศึกษา", "ลี ศรีรัตน์ โรงเรียนบ้านโคกสูง", "๒ นายวิชัย มั่นคง"]
    assert numbered_to(alone, list_rows(alone)) == 2
    assert numbered_to(alone[2:], list_rows(alone[2:])) == 2
    assert numbered_to(["๑ นายวิชัย มั่นคง"], list_rows(["๑ นายวิชัย มั่นคง"])) is None


def test_rows_that_name_their_person_further_on() -> None:
    # GIVEN a table whose rows open with the school, the teacher's name after it (one row
    # broken over lines, one number alone on its line), and the letter's closing
    lines = ["ที่ สถานศึกษา ชื่อ - สกุล กลุ่มสาระ", "๑ โรงเรียนบ้านดอนแดง นายสมชาย ใจดี คณิตศาสตร์",
             "๒", "โรงเรียนบ้านโนนทอง นางสาว", "สุภาพร ศรีสุข ภาษาไทย",
             "๓ โรงเรียนบ้านหนองบัว ว่าที่ร้อยตรี ธนพล บุญมา วิทยาศาสตร์",
             "จึงเรียนมาเพื่อโปรดทราบ", "(นางกาญจนา ทองคำ)"]
    # THEN each numbered row is found, its continuation with it, the signature never
    assert list_rows(lines) == []
    assert late_name_rows(lines) == [(1, 1), (2, 4), (5, 6)]
    # AND numbered clauses that name nobody, or a numbering that goes down, are no such table
    clauses = ["1. ให้ไปรายงานตัวภายในวันที่ 5 มกราคม 2567", "2. ให้นำหลักฐานไปด้วย",
               "3. ให้ นายสมชาย ใจดี เป็นผู้ประสานงาน"]
    assert late_name_rows(clauses) == []
    assert late_name_rows([lines[5], lines[1]]) == []


def test_a_count_of_pupils_is_no_group_size() -> None:
    # GIVEN an order sending a teacher abroad with a team of pupils it counts
    text = "\n".join([
        "คำสั่งสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "ที่ 580/2568",
        "เรื่อง อนุมัติให้ข้าราชการเดินทางไปราชการต่างประเทศชั่วคราว",
        "ได้คัดเลือกนักเรียนผู้แทนประเทศไทย จำนวน 3 คน และให้ นายสมชาย ใจดี เป็นผู้ควบคุมทีม",
        "สั่ง ณ วันที่ 1 ธันวาคม พ.ศ. 2568"])
    # THEN the pupils' count does not say how many persons the order is about
    assert extract(text).group_size is None
    # AND a count of appointees still does
    appointed = text.replace("ได้คัดเลือกนักเรียนผู้แทนประเทศไทย จำนวน 3 คน",
                             "จึงบรรจุผู้สอบแข่งขันได้ จำนวน 3 ราย")
    assert extract(appointed).group_size == 3


def test_a_row_of_a_late_named_table_stops_at_a_signature() -> None:
    # GIVEN a request's numbered enclosures, the last one just above the applicant's signature
    lines = ["เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา เขต", "2",
             "ข้าพเจ้า นายสมชาย ใจดี ขอแก้ไขข้อมูลในทะเบียนประวัติ", "หลักฐานที่แนบ",
             "1. สำเนาสูติบัตร จำนวน 1 ฉบับ", "2. สำเนาทะเบียนบ้าน จำนวน 1 ฉบับ",
             "3. สำเนาบัตรประจำตัวประชาชน จำนวน 1 ฉบับ", "(นายสมชาย ใจดี)", "ผู้ยื่นคำร้อง"]
    # THEN the signer's name is in no row: the enclosures are no table of persons
    assert late_name_rows(lines) == []


def test_a_forms_numbered_fields_and_wrapped_cell_numbers_make_no_late_named_table() -> None:
    # GIVEN an order whose numbered fields name the appointee once, and whose probation's
    # "๖ / เดือน" broke onto lines of its own above a date in มิถุนายน (นาย inside a word)
    form = ["เรื่อง บรรจุและแต่งตั้งข้าราชการพลเรือนสามัญ", "1. ชื่อ - สกุล นางธิดารัตน์ ทิพย์มณี",
            "2. เลขประจำตัวประชาชน 3-5325-01224-25-5", "โดยให้ทดลองปฏิบัติหน้าที่ราชการเป็นระยะเวลา",
            "6", "เดือน", "สั่ง ณ วันที่ 23 มิถุนายน พ.ศ. 2552"]
    # THEN there is no table of persons in it
    assert late_name_rows(form) == []
    # AND in a table, a grade's number wrapped onto its own line is not a row of its own
    table = ["1 การพัฒนาผลสัมฤทธิ์ทางการเรียนของนักเรียนชั้นมัธยมศึกษาปีที่", "2",
             "โดยใช้สื่อความจริงเสริม นางสุภาพร ศรีสุข โรงเรียนบ้านห้วยทราย 30,000",
             "2 การพัฒนาทักษะการอ่าน โดยใช้เกม นายสมชาย ใจดี โรงเรียนบ้านดอนแดง 20,000"]
    assert late_name_rows(table) == [(0, 2), (3, 3)]


def test_rows_that_open_with_a_number_cell_and_a_misread_row_number() -> None:
    # GIVEN a council's list of those who passed its test: each row's number, then the seat's
    # number, then the name; one seat number alone on its line with the name below; and OCR
    # read the fourth row's ๔ as ๕
    lines = ["ที่ เลขที่นั่งสอบ ชื่อ - สกุล สนามสอบ", "๑ ๒๓๕๒๕๐๕๑ นางสาวสุภาพร ศรีสุข มหาวิทยาลัยขอนแก่น",
             "๒ ๑๓๕๕๕๕๑๕ นายสมชาย ใจดี มหาวิทยาลัยขอนแก่น", "๓ ๐๓๑๑๒๕๒๓",
             "นางกาญจนา ทองคำ มหาวิทยาลัยนเรศวร", "๕ ๒๓๑๕๒๕๕๐ นายวิชัย มั่นคง มหาวิทยาลัยนเรศวร",
             "๕ ๐๓๕๑๑๒๓๙ ว่าที่ร้อยตรี ธนพล บุญมา มหาวิทยาลัยนเรศวร", "ประกาศ ณ วันที่ ๒๓ มีนาคม ๒๕๖๓"]
    # THEN every row is found, the wrapped one with its name
    assert late_name_rows(lines) == [(1, 1), (2, 2), (3, 4), (5, 5), (6, 7)]
    # AND two numbers read alike twice over, or on a list of two rows, make no table
    twice = [lines[1], lines[1], lines[2], lines[2]]
    assert late_name_rows(twice) == []
    assert late_name_rows([lines[1], lines[1]]) == []


def test_a_lists_closing_count_and_a_bare_thai_zero_row_number() -> None:
    # GIVEN a table that closes "รวม ๑๐ ราย", and a row whose number OCR read as a bare ๐ on
    # a line of its own (a ๖ or ๘ misread)
    assert extract("ที่ ชื่อ - สกุล\n๑ นายสมชาย ใจดี ครู\nรวม ๑๐ ราย").group_size == 10
    assert extract("รวมทั้งสิ้น 4 ราย").group_size == 4
    assert extract("นักเรียนรวม 30 คน").group_size is None  # a count of pupils, or of คน
    lines = ["๕ นายสมชาย ใจดี ครู", "๐", "นางสาวสุภาพร ศรีสุข ครู", "0", "นายวิชัย มั่นคง"]
    # THEN the count is the list's size, and the ๐ opens a row (an Arabic 0 does not)
    assert _row_starts(lines) == [0, 1]


def test_rows_numbered_in_thai_digits_ocr_misread_past_the_sixth_are_still_a_table() -> None:
    # GIVEN an appointment list whose rows open with their number and the post's number, the
    # name after them; OCR read ๔ as ๕, ๖ as ๒ and ๗ as ๑ (so the numbering reads ๑ ๒ ๓ ๕ ๕ ๒ ๑)
    names = ("นายบุญเลิศ เพชรศักดิ์", "นายธนากร ภูมิศรี", "นายพีรพัฒน์ ศรีรัตน์", "นายธีรวัฒน์ นิลวิไล",
             "ว่าที่ร้อยตรี บุญเลิศ มณีกุล", "นางมณีรัตน์ เหล่าแก้ว", "นางสาวอรุณี หอมพันธ์")
    lines = ["ที่ ตำแหน่งเลขที่ ชื่อ - สกุล คุณวุฒิ (วิชาเอก) ตำแหน่ง เงินเดือน",
             *(f"{n} {post} {name} ค.บ. ครูผู้ช่วย" for n, post, name in zip(
                 "๑๒๓๕๕๒๑", ("๕๐๕๒๑", "๕๕๓๕๕", "๒๓๓๒๒", "๒๖๕๕๕", "๓๕๕๕๐", "๑๑๒๕", "๑๓๑๓๓"), names,
                 strict=True))]
    # THEN every row is one (each read number may have been printed as the next one)
    assert late_name_rows(lines) == [(n, n) for n in range(1, 8)]
    # AND in Arabic digits, read as printed, the same numbering is no table's
    arabic = [lines[0], *(f"{n} 5{n}21 {name} ค.บ." for n, name in zip("1235521", names,
                                                                       strict=True))]
    assert late_name_rows(arabic) == []
    # AND a Thai number that cannot have been the next one's breaks it too (๑ then ๑)
    assert late_name_rows([lines[0], lines[1], lines[1].replace("๕๐๕๒๑", "๕๐๕๒๒")]) == []


def test_a_title_ocr_dropped_marks_from_is_still_read_as_printed() -> None:
    # GIVEN names whose titles lost their tone marks and upper vowels, or a stray space
    lines = ["๒. วาที ร.ต. จักรพันธ์ วงศ์สวัสดิ์ ครู", "ว่าที ร.ต.หญิงเพ็ญศรี ศักดิ์มงคล",
             "๑๐. ว่าทีรอยตรี วิชัย วงศ์พันธ์"]
    found = [(m.title, m.first, m.last) for m in find_names(lines)]
    # THEN each is a name, with its title as printed in full
    assert found == [("ว่าที่ ร.ต.", "จักรพันธ์", "วงศ์สวัสดิ์"),
                     ("ว่าที่ ร.ต.หญิง", "เพ็ญศรี", "ศักดิ์มงคล"),
                     ("ว่าที่ร้อยตรี", "วิชัย", "วงศ์พันธ์")]


def test_a_name_whose_surname_wrapped_onto_the_next_line_is_read_whole() -> None:
    # GIVEN rows whose title and first name stand alone on their line, the surname below
    # (past a line of a stamp's garbage), one first name damaged by OCR
    lines = ["ที่ ชื่อ - สกุล ที่อยู่", "2 นายศมชาย", "%. ;=", "ศรีทอง 257 ม.4", "3 นางสาวมณีรัตน์",
             "อุดมเรือง 131 ม.4"]
    found = [(m.title, m.first, m.last, m.line) for m in extract("\n".join(lines)).names]
    # THEN each is a name, on the line it opens
    assert found == [("นาย", "ศมชาย", "ศรีทอง", 1), ("นางสาว", "มณีรัตน์", "อุดมเรือง", 4)]
    # AND where the next line is the row's next cell (a school), no surname is made up
    assert extract("2 นายบุญเลิศ\nโรงเรียนบ้านหนองบัว ครู").names == []
    # AND a relative's label in the column after the wrapped surname is the name's
    heir = extract("ลำดับ ชื่อ - สกุล ความสัมพันธ์ สัดส่วน\n๑ นายยุทธนา\nสุขแกว คู่สมรส ๕๐%").names
    assert [(m.first, m.last, m.relative) for m in heir] == [("ยุทธนา", "สุขแกว", True)]


def test_a_heading_numbered_otherwise_over_its_rows_is_no_row():
    # "๑." heads a committee whose members are numbered "๑)": the heading is no member's
    # row whose title OCR damaged (it held a red-cross fair order back as incomplete).
    lines = ["จึงแต่งตั้งคณะกรรมการดำเนินงาน ดังนี้",
             "๑. คณะกรรมการอำนวยการ",
             "๑) นายสุรชัย ธรรมรักษ์ รองผู้ว่าราชการจังหวัด ประธานกรรมการ",
             "๒) นายอนุชา เพชรรัตน์ ปลัดจังหวัด รองประธานกรรมการ",
             "๓) นางสาวมณีรัตน์ ชัยมงคล ศึกษาธิการจังหวัด กรรมการ"]
    assert _row_starts(lines) == [2, 3, 4]
    # Numbered the same way as its neighbours, the damaged row still counts.
    same = [*lines[:1], "๑) คณะกรรมการอำนวยการ", *lines[2:]]
    assert _row_starts(same) == [1, 2, 3, 4]


def test_a_quantity_wrapped_onto_its_own_line_is_no_row():
    # "ลดเงินเดือน ร้อยละ" then "๒ ที่ ๔๒๕/๒๕๕๒ …": the percentage, not a row whose title OCR
    # lost; "… เป็นเวลา" then "๓ เดือน …": the months.
    lines = ["ที่ ชื่อ - ชื่อสกุล โทษที่ได้รับ คำสั่งลงโทษ",
             "๑ นางสาวมณีรัตน์ เงินสิงห์ ภาคทัณฑ์ ที่ ๕๑๕/๒๕๕๑",
             "๒ นายณัฐวุฒิ แก้วรัตน์ โรงเรียนบ้านห้วยทราย ลดเงินเดือน รอ ยละ",
             "๒ ที่ ๔๒๕/๒๕๕๒ ลว. ๓๑ ธ.ค. ๒๕๕๒",
             "๓ นายสมศักดิ์ อินทร์นคร ตัดเงินเดือน ร้อยละ ๒ เป็นเวลา",
             "๓ เดือน ที่ ๓๕๕/๒๕๕๓",
             "๔ นางจิราพร แหล่สิงห์ ภาคทัณฑ์ ที่ ๓๕๙/๒๕๕๓"]
    assert _row_starts(lines) == [1, 2, 4, 6]


def test_a_row_before_one_whose_number_ocr_misread_lower_is_still_a_row():
    # "๗ างกน กรรรณ…" lost its title; the next row's ๘ was read ๕: that misread number is
    # below the row before it, so it bounds nothing, and the damaged row still counts (it was
    # run into the row above, and a taekwondo list was filed without its teacher).
    lines = ["ที่ ชื่อ - สกุล สังกัด ระดับที่สอบผ่าน",
             "๕ นายพีรพัฒน์ เพชรเดช ชมรมเทควันโดโรงเรียนบ้านดอนแดง ดั้ง ๓",
             "๖ นางณัฐธิดา ดวงวัฒนา ชมรมเทควันโดโรงเรียนวัดศรีสุมังคล์ ดั้ง ๔",
             "๗ างกน กรรรณันทร์มณี ชมรมเทควันโดโรงเรียนวัดสว่างอารมณ์ ดั้ง ๔",
             "๕ นายธีรวัฒน์ ศิริประเสริฐ ชมรมเทควันโดโรงเรียนบ้านนาคำ ดั้ง ๒"]
    assert _row_starts(lines) == [1, 2, 3, 4]
    # A number above the next row's where that one is in order is still no row.
    ordered = [*lines[:3], "๘ ปีการศึกษา ๒๕๖๓ ชมรมเทควันโด",
               "๗ นายธีรวัฒน์ ศิริประเสริฐ ชมรมเทควันโดโรงเรียนบ้านนาคำ ดั้ง ๒"]
    assert _row_starts(ordered) == [1, 2, 4]


def test_a_title_alone_on_its_line_wraps_no_name():
    # "ว่าที่ร้อยตรีหญิง" alone on its line (marks lost), the name below split past reading:
    # "หญิง" is the title's, no first name, and "เกนกวร" no surname.
    lines = ["ที่ ชื่อ - สกุล ตำแหน่ง", "๒", "วาทีรอยตรีหญิง", "เกนกวร รณ",
             "๓-ญ โรงเรียนชุมชนบ้านนาเจริญ"]
    assert [(m.title, m.first) for m in extract("\n".join(lines)).names] == []
    # A rank with a first name after it still wraps its surname.
    lines[2] = "วาทีรอยตรีหญิงกนกวรรณ"
    lines[3] = "สายศรี ครู"
    assert [(m.first, m.last) for m in extract("\n".join(lines)).names] == [
        ("กนกวรรณ", "สายศรี")]


def test_a_row_whose_number_ocr_lost_but_not_its_mark_is_a_row():
    # ") นางสาวศุภาพร" between rows marked "๕)" and "๗)": the sixth member's row, not the
    # fifth's wrapped cell (a red-cross fair order was filed without her).
    lines = ["๒. คณะกรรมการฝ่ายการแสดงบนเวที",
             "๕) นายจักรพันธ์ พรเดช ครูผู้ช่วย",
             "โรงเรียนชุมชนบ้านนาเจริญ กรรมการ",
             ") นางสาวศุภาพร",
             "ศักดิ์รักษ์ ครู โรงเรียนชุมชนบ้านนาเจริญ กรรมการ",
             "๗) นางวิไลวรรณ ภูมินันท์ ครู โรงเรียนบ้านดอนแดง กรรมการ"]
    assert _row_starts(lines) == [1, 3, 5]
    # Where the rows near it are marked otherwise, it is no row.
    dotted = ["๒) คณะกรรมการฝ่ายการแสดงบนเวที",
              *(line.replace("๕)", "๕.").replace("๗)", "๗.") for line in lines[1:])]
    assert _row_starts(dotted) == [1, 5]


def test_a_wrapped_line_opening_with_a_school_ocr_split_is_no_surname():
    # "นายธนพล" alone, then "โรง เรียนบ้านดอนแดง": the surname is lost, not "โรง".
    lines = ["ที่ ชื่อ - สกุล สังกัด", "๔", "นายธนพล", "โรง เรียนบานดอนแดง", "86475"]
    assert extract("\n".join(lines)).names == []


def test_an_area_number_wrapped_after_a_cut_off_khet_is_no_row():
    # "… สพท.ยะลา เข" (เขต cut short) then "๒" alone then "กรรมการ": the office's area number
    # and the row's role, not a row whose name OCR lost.
    lines = ["๒. นายวิชัย ปัญญาชัย ครูผู้ช่วย โรงเรียนบ้านหนองแวง สพท.ยะลา เข", "๒", "กรรมการ",
             "๓. ว่าที่ ร.ต.ธนพล เพชรรัตน์ ครู โรงเรียนวัดศรีสุมังคล์ กรรมการ"]
    assert _row_starts(lines) == [0, 3]


def test_a_number_alone_with_its_mark_below_a_long_row_is_a_row():
    # "๕)" alone on its line, its name broken below it ("นยจักรพันธ์", garbage, "หอมดี"), five
    # lines under the row above it: a row of its own, not the row above's wrapped cells.
    lines = ["๓)", "นางวรรณภา เจริญบุตร ครู", "วิทยฐานะครูชำนาญการพิเศษ โรงเรียนวัดศรีสุมังคล์",
             "กรรมการ", "๔)", "นยจักรพันธ์", "%=| : I W= AA y", "หอมดี",
             "ครู วิทยฐานะครูชำนาญการพิเศษ โรงเรียนบ้านท่าช้าง กรรมการ"]
    assert _row_starts(lines) == [0, 4]
