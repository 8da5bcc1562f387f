"""Linking to persons: IDs, names against the registry, folder hints; never a wrong owner."""

from __future__ import annotations

from pathlib import Path

from archive.thai import to_thai_digits
from tests.ingest.understand_support import (
    KANJANA,
    PERSONS,
    SOMCHAI,
    SUPAPORN,
    THANAPHON,
    UNIT,
    WICHAI,
    appointment_order,
    catalog_with_registry,
    cid,
    dashed,
)
from tests.ingest.understand_support import evidence_kinds as _kinds
from tests.ingest.understand_support import understand_text as _understand


def test_group_order_links_every_person_in_its_table(tmp_path: Path) -> None:
    catalog = catalog_with_registry(tmp_path)
    text = appointment_order(
        f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย โรงเรียนบ้านหนองบัว",
        f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} ครูผู้ช่วย โรงเรียนบ้านโนนทอง",
        f"3 ว่าที่ร้อยตรี ธนพล บุญมา {dashed(THANAPHON)} ครูผู้ช่วย โรงเรียนบ้านนาคำ",
        count="3",
    )
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.link == "linked"
    assert sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, THANAPHON])
    assert {"citizen_id_exact", "name_exact", "folder_hint"} <= _kinds(u, SOMCHAI)
    assert u.category == "appointment"


def test_a_group_order_missing_someone_it_counts_waits_for_review(tmp_path: Path) -> None:
    catalog = catalog_with_registry(tmp_path)
    text = appointment_order(f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย", count="2")
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.link == "needs_review" and "group_incomplete" in u.persons.review_reasons


def test_a_count_ocr_read_below_the_persons_found_is_taken_as_it_may_have_been_printed(
        tmp_path: Path) -> None:
    # GIVEN an order whose three rows (IDs printed) are found, and whose count reads "๒ ราย":
    # below the rows, so misread; ๒ is how OCR reads a printed ๖
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย",
            f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} ครูผู้ช่วย",
            f"3 ว่าที่ร้อยตรี ธนพล บุญมา {dashed(THANAPHON)} ครูผู้ช่วย")
    u = _understand(catalog, appointment_order(*rows, count="๒"), folder=SOMCHAI)
    # THEN printed as ๖ it names three more, rows OCR may have lost: the order waits
    assert u.link == "needs_review" and "group_incomplete" in u.persons.review_reasons
    # AND a count in Arabic digits below the rows counts something else: the order is filed
    arabic = _understand(catalog, appointment_order(*rows, count="2"), folder=SOMCHAI)
    assert arabic.link == "linked"


def test_misfiled_document_is_never_filed_to_the_folders_person(tmp_path: Path) -> None:
    # GIVEN a paper about Supaporn in Somchai's folder
    catalog = catalog_with_registry(tmp_path)
    text = ("หนังสือรับรองความประพฤติ\nหนังสือฉบับนี้ให้ไว้เพื่อรับรองว่า นางสาวสุภาพร ศรีสุข "
            f"เลขประจำตัวประชาชน {dashed(SUPAPORN)} ตำแหน่งครู เป็นผู้มีความประพฤติดี")
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN it waits for review, with the person the content names as the candidate
    assert u.link == "needs_review"
    assert u.citizen_ids == [SUPAPORN]
    assert "folder_hint_contradicted" in u.review_reasons


def test_folder_hint_with_nothing_in_the_text_is_only_a_candidate(tmp_path: Path) -> None:
    catalog = catalog_with_registry(tmp_path)
    u = _understand(catalog, "ใบแสดงผลการศึกษา\nมหาวิทยาลัยขอนแก่น", folder=KANJANA)
    assert u.link == "needs_review" and u.citizen_ids == [KANJANA]
    assert "owner_not_found_in_text" in u.review_reasons


def test_check_digit_rescues_a_single_misread_digit(tmp_path: Path) -> None:
    # GIVEN Thai OCR read one ๘ of the ID as ๕, and the name is not legible
    catalog = catalog_with_registry(tmp_path)
    misread = WICHAI[:1] + "5" + WICHAI[2:]
    assert misread != WICHAI
    text = f"หนังสือรับรอง\nเลขประจำตัวประชาชน {to_thai_digits(dashed(misread))}\nตำแหน่งครู"
    u = _understand(catalog, text)
    assert u.link == "linked" and u.citizen_ids == [WICHAI]
    assert "citizen_id_check_digit" in _kinds(u, WICHAI)


def test_badly_read_thai_id_and_the_name_together_link(tmp_path: Path) -> None:
    # GIVEN the ID as tesseract reads Thai digits (๘ ๔ ๙ -> ๕ ๓ ...) and the owner's name
    catalog = catalog_with_registry(tmp_path)
    read = WICHAI.translate(str.maketrans("4689", "5253"))
    text = f"ข้าพเจ้า นายวิชัย มั่นคง เลขประจำตัวประชาชน {to_thai_digits(dashed(read))} ตำแหน่งครู"
    u = _understand(catalog, text)
    assert u.link == "linked" and u.citizen_ids == [WICHAI]
    assert {"citizen_id_ocr", "name_exact"} <= _kinds(u, WICHAI)


def test_ocr_damaged_name_matches_fuzzily_with_the_folder(tmp_path: Path) -> None:
    # GIVEN marks dropped and one consonant misread in the surname, no ID on the paper
    catalog = catalog_with_registry(tmp_path)
    text = "วุฒิบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า\nนางกาญจนา ทองดำ\nได้ผ่านการอบรมหลักสูตร"
    u = _understand(catalog, text, folder=KANJANA)
    assert u.link == "linked" and u.citizen_ids == [KANJANA]
    assert {"name_fuzzy", "folder_hint"} <= _kinds(u, KANJANA)


def test_a_name_alone_without_folder_or_id_waits_for_review(tmp_path: Path) -> None:
    catalog = catalog_with_registry(tmp_path)
    u = _understand(catalog, "วุฒิบัตร\nนางกาญจนา ทองคำ\nได้ผ่านการอบรมหลักสูตร")
    assert u.link == "needs_review" and u.citizen_ids == [KANJANA]


def test_namesakes_are_told_apart_by_the_id_on_the_paper(tmp_path: Path) -> None:
    twin = cid("320050635240")
    catalog = catalog_with_registry(tmp_path, [*PERSONS, (twin, "นาย", "สมชาย", "ใจดี")])
    text = f"ข้าพเจ้า นายสมชาย ใจดี เลขประจำตัวประชาชน {dashed(twin)} ขอลาป่วย"
    u = _understand(catalog, text)
    assert u.link == "linked" and u.citizen_ids == [twin]


def test_a_stranger_with_a_registered_name_is_not_linked(tmp_path: Path) -> None:
    # GIVEN the name of a registry person but someone else's ID printed next to it
    catalog = catalog_with_registry(tmp_path)
    stranger = cid("377777777777")
    text = f"ข้าพเจ้า นายสมชาย ใจดี เลขประจำตัวประชาชน {dashed(stranger)} ขอลาป่วย"
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.link != "linked"
    assert "citizen_id_conflict" in _kinds(u, SOMCHAI) or SOMCHAI not in u.citizen_ids


def test_the_signer_of_an_order_is_not_its_owner(tmp_path: Path) -> None:
    catalog = catalog_with_registry(tmp_path)
    text = appointment_order(f"1 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} ครูผู้ช่วย").replace(
        "(นายประเสริฐ จันทร์เพ็ญ)", "(นายสมชาย ใจดี)")
    u = _understand(catalog, text)
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]


def test_relatives_in_a_beneficiary_table_are_not_owners(tmp_path: Path) -> None:
    # GIVEN a registry person listed as the owner's spouse (beneficiary), with a stranger's ID
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "หนังสือแสดงเจตนาระบุตัวผู้รับบำเหน็จตกทอด",
        f"ข้าพเจ้า นายสมชาย ใจดี เลขประจำตัวประชาชน {dashed(SOMCHAI)} ขอแสดงเจตนา",
        f"1 นางกาญจนา ทองคำ {dashed(cid('155555555555'))} คู่สมรส 1/2",
    ])
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]


def test_people_named_in_passing_do_not_hold_up_the_owner(tmp_path: Path) -> None:
    # GIVEN an investigation order: the accused with her ID, a registered colleague named as
    # a committee member without one
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1", "ที่ 77/2567",
        "เรื่อง แต่งตั้งคณะกรรมการสอบสวนวินัยข้าราชการครู",
        f"ด้วย นางสาวสุภาพร ศรีสุข เลขประจำตัวประชาชน {dashed(SUPAPORN)} ถูกกล่าวหาว่ากระทำผิดวินัย",
        "จึงแต่งตั้งคณะกรรมการสอบสวน ประกอบด้วย นายสมชาย ใจดี ผู้อำนวยการโรงเรียน ประธานกรรมการ",
    ])
    u = _understand(catalog, text, folder=SUPAPORN)
    assert u.category == "discipline"
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]


def test_a_numbered_list_with_an_unreadable_name_is_not_filed_half(tmp_path: Path) -> None:
    # GIVEN a names-only list of three, one of them too damaged to read (half its letters
    # lost; a name that lost a letter or two is read: test_understand_link_lists)
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "คำสั่งโรงเรียนบ้านหนองบัว", "ที่ 12/2567", "เรื่อง ให้ข้าราชการครูไปราชการเพื่อศึกษาดูงาน",
        "ที่ ชื่อ - สกุล ตำแหน่ง", "1 นายสมชาย ใจดี ครู", "2 นาง ก ญ ; ท อ ค ำ ครู",
        "3 ว่าที่ร้อยตรี ธนพล บุญมา ครู",
    ])
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.link == "needs_review" and "group_incomplete" in u.review_reasons
    assert THANAPHON in u.citizen_ids and KANJANA not in u.citizen_ids


def test_a_name_ocr_broke_across_lines_is_still_the_name(tmp_path: Path) -> None:
    # GIVEN a letter with no ID whose addressee's name OCR split with spaces and a line break
    catalog = catalog_with_registry(tmp_path)
    text = "เรื่อง ขอชมเชย\nเรียน นางสาวสุภา พร\nศรี สุข\nจังหวัดขอชมเชยและขอบคุณในความตั้งใจของท่าน"
    u = _understand(catalog, text, folder=SUPAPORN)
    # THEN the name counts as whole, and with the folder it is filed
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    assert {"name_joined", "folder_hint"} <= _kinds(u, SUPAPORN)
    # AND a signature line is never taken for a subject
    signed = "เรื่อง ขอชมเชย\nเรียน ผู้อำนวยการโรงเรียน\n(นางสาวสุภา พร ศรีสุข)\nผู้ว่าราชการจังหวัด"
    assert SUPAPORN not in _understand(catalog, signed).citizen_ids


NAMESAKE = cid("320050635240")
OTHER_UNIT = "โรงเรียนวัดสว่างอารมณ์"


def test_the_folder_settles_namesakes_when_the_page_points_nowhere_else(
        tmp_path: Path) -> None:
    # GIVEN two registered นายสมชาย ใจดี at different schools, and a paper with the name only
    catalog = catalog_with_registry(tmp_path, [*PERSONS, (NAMESAKE, "นาย", "สมชาย", "ใจดี",
                                                          OTHER_UNIT)])
    text = "เกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า\nนายสมชาย ใจดี\nได้รับการยกย่องเชิดชูเกียรติ"
    # WHEN it is in one namesake's folder THEN it is filed there, and says why
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    name = next(r for r in u.persons.owners[0].reasons if r["kind"] == "name_exact")
    assert name["told_apart_by"] == "folder_hint" and name["namesakes"] == 2
    # AND without a folder it waits for a person, both namesakes as candidates
    alone = _understand(catalog, text)
    assert alone.link == "needs_review" and sorted(alone.citizen_ids) == sorted([SOMCHAI,
                                                                                 NAMESAKE])


def test_a_paper_naming_the_other_namesakes_unit_is_not_filed_to_the_folder(
        tmp_path: Path) -> None:
    # GIVEN the namesake's paper (their school printed, no ID) misfiled in Somchai's folder
    catalog = catalog_with_registry(tmp_path, [*PERSONS, (NAMESAKE, "นาย", "สมชาย", "ใจดี",
                                                          OTHER_UNIT)])
    text = (f"เกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า\nนายสมชาย ใจดี\nครู {OTHER_UNIT}\n"
            "ได้รับการยกย่องเชิดชูเกียรติ")
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the page's unit tells the namesakes apart, and the folder is contradicted
    assert u.link == "needs_review" and "folder_hint_contradicted" in u.review_reasons
    assert u.citizen_ids == [NAMESAKE]


def test_a_names_only_list_of_subjects_links_by_name_and_unit_on_each_row(
        tmp_path: Path) -> None:
    # GIVEN an appointment order listing names and schools, no IDs; each school is the one
    # the registry has for that person
    units = {SOMCHAI: "โรงเรียนบ้านนาคำ", SUPAPORN: "โรงเรียนบ้านโนนทอง",
             THANAPHON: "โรงเรียนบ้านดอนแดง"}
    catalog = catalog_with_registry(tmp_path, [(*p, units.get(p[0], "โรงเรียนอื่น"))
                                               for p in PERSONS])
    rows = [f"1. นายสมชาย ใจดี ครูผู้ช่วย {units[SOMCHAI]}",
            f"2. นางสาวสุภาพร ศรีสุข ครูผู้ช่วย {units[SUPAPORN]}",
            f"3. ว่าที่ร้อยตรี ธนพล บุญมา ครูผู้ช่วย {units[THANAPHON]}"]
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    # THEN every person on the list is linked, each with the unit as a reason
    assert u.category == "appointment"
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted(units)
    assert "unit_on_row" in _kinds(u, SUPAPORN)
    # AND a row whose school is not the registered one gives no such evidence
    rows[1] = "2. นางสาวสุภาพร ศรีสุข ครูผู้ช่วย โรงเรียนบ้านห้วยทราย"
    wrong = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    assert wrong.link == "needs_review" and "group_member_uncertain" in wrong.review_reasons


def test_a_damaged_id_is_read_with_the_name_next_to_it(tmp_path: Path) -> None:
    # GIVEN an ID so damaged the registry alone cannot place it (two digits lost to stand-ins,
    # Thai misreadings), printed next to the owner's name
    catalog = catalog_with_registry(tmp_path)
    read = WICHAI.translate(str.maketrans("4689", "5253"))
    read = read[:3] + "ญ" + read[4:9] + "ฒ" + read[10:]
    text = (f"หนังสือรับรอง\nข้าพเจ้า นายวิชัย มั่นคง ตำแหน่งครู\n"
            f"เลขประจำตัวประชาชน {to_thai_digits(read)}")
    u = _understand(catalog, text)
    # THEN the name and the reading together link him
    assert u.link == "linked" and u.citizen_ids == [WICHAI]
    assert _kinds(u, WICHAI) & {"citizen_id_with_name", "citizen_id_ocr"}


def test_a_certificate_is_no_child_label_and_a_school_name_no_husband(tmp_path: Path) -> None:
    # GIVEN "วุฒิบัตร" before the owner's name: its skeleton บตร is that of บุตร (child)
    catalog = catalog_with_registry(tmp_path)
    u = _understand(catalog, "ขอมอบวุฒิบัตรแก่ นางกาญจนา ทองคำ\nผู้ผ่านการอบรมหลักสูตร",
                    folder=KANJANA)
    # THEN the name is the owner's, not a relative's
    assert u.link == "linked" and u.citizen_ids == [KANJANA]
    assert "name_exact" in _kinds(u, KANJANA)
    # AND a row naming the school "บ้านสามัคคี" (สาม, like สามี) keeps its teacher a subject
    rows = [f"1 นายสมชาย ใจดี โรงเรียนบ้านสามัคคี {dashed(SOMCHAI)}",
            f"2 นางสาวสุภาพร ศรีสุข โรงเรียนบ้านสามัคคี {dashed(SUPAPORN)}"]
    group = _understand(catalog, appointment_order(*rows, count="2"), folder=SOMCHAI)
    assert group.link == "linked" and sorted(group.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_a_real_child_or_husband_label_still_keeps_a_relative_out(tmp_path: Path) -> None:
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "หนังสือแสดงเจตนาระบุตัวผู้รับบำเหน็จตกทอด",
        f"ข้าพเจ้า นางสาวสุภาพร ศรีสุข เลขประจำตัวประชาชน {dashed(SUPAPORN)} ขอแสดงเจตนา",
        "1 ชื่อสามี นายสมชาย ใจดี", "2 ชื่อบุตร นางกาญจนา ทองคำ"])
    u = _understand(catalog, text, folder=SUPAPORN)
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]


def test_a_name_whose_title_ocr_lost_counts_as_one_run_with_the_folder(tmp_path: Path) -> None:
    # GIVEN a certificate whose title OCR misread (ว่าที่ร้อยตรี -> วาทีรอยตวี), no ID
    catalog = catalog_with_registry(tmp_path)
    text = "ขอมอบเกียรติบัตรแก่\nวาทีรอยตวี ธนพล บุญมา\nครูผู้มีผลงานดีเด่น"
    # THEN first name and surname in one run, with the folder, file it
    u = _understand(catalog, text, folder=THANAPHON)
    assert u.link == "linked" and u.citizen_ids == [THANAPHON]
    assert {"name_run", "folder_hint"} <= _kinds(u, THANAPHON)
    # AND without the folder nobody is filed
    assert _understand(catalog, text).link != "linked"
    # AND the name in a signature, or its parts apart, is no run
    for other in ("ขอมอบเกียรติบัตรแก่ครูผู้มีผลงานดีเด่น\n(ธนพล บุญมา)\nประธานเครือข่าย",
                  "ขอมอบเกียรติบัตรแก่ครูผู้มีผลงานดีเด่น\nบุญมา ผู้ประสานงาน ธนพล"):
        u = _understand(catalog, other, folder=THANAPHON)
        assert u.link == "needs_review" and "name_run" not in _kinds(u, THANAPHON)


def test_a_line_of_ocr_garbage_does_not_split_a_name(tmp_path: Path) -> None:
    catalog = catalog_with_registry(tmp_path)
    text = ("บันทึกข้อความ\nเรื่อง ขออนุญาตประกอบอาชีพเสริม\nข้าพเจ้า นายวิชัย\n;A SB|\n"
            "มั่นคง ตำแหน่งครู ขออนุญาตสอนพิเศษนอกเวลาราชการ")
    u = _understand(catalog, text, folder=WICHAI)
    assert u.link == "linked" and "name_joined" in _kinds(u, WICHAI)


def test_the_house_head_on_a_house_register_is_one_of_its_residents(tmp_path: Path) -> None:
    # GIVEN a house register listing the owner as the house head (เจ้าบ้าน) with his ID
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "ท.ร.๑๔", "ทะเบียนบ้าน", "เลขรหัสประจำบ้าน 1234-567890-1",
        "ลำดับ ชื่อ - สกุล เลขประจำตัวประชาชน สถานภาพ",
        f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} เจ้าบ้าน",
        f"2 นางมาลี ใจดี {dashed(cid('155555555555'))} ผู้อาศัย"])
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.category == "house_registration"
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    assert "citizen_id_exact" in _kinds(u, SOMCHAI)
    # AND on another paper the house head is someone else: a consent to move in
    consent = "\n".join([
        "หนังสือยินยอมให้ใช้บ้านเป็นที่ตั้ง", f"ข้าพเจ้า นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)}",
        f"ได้รับความยินยอมจากเจ้าบ้าน นายสมชาย ใจดี {dashed(SOMCHAI)}"])
    other = _understand(catalog, consent, folder=SUPAPORN)
    assert SOMCHAI not in other.citizen_ids


def test_a_schools_name_ocr_damaged_on_a_row_still_tells_the_unit(tmp_path: Path) -> None:
    # GIVEN a names-only list whose schools OCR misread by a letter (ร read as ว)
    units = {SOMCHAI: "โรงเรียนบ้านนาคำ", SUPAPORN: "โรงเรียนบ้านโนนทอง",
             THANAPHON: "โรงเรียนบ้านดอนแดง"}
    catalog = catalog_with_registry(tmp_path, [(*p, units.get(p[0], "โรงเรียนบ้านหนองแวง"))
                                               for p in PERSONS])
    rows = [f"1. นายสมชาย ใจดี ครูผู้ช่วย {units[SOMCHAI]}",
            "2. นางสาวสุภาพร ศรีสุข ครูผู้ช่วย โวงเรียนบ้านโนนทอง",
            "3. ว่าที่ร้อยตรี ธนพล บุญมา ครูผู้ช่วย โรงเรียนบ้านดอนแคง"]
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    # THEN each is linked, the unit told by its near spelling
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted(units)
    unit = next(r for r in u.persons.owners if r.citizen_id == SUPAPORN).reasons
    assert any(r["kind"] == "unit_on_row" and r.get("similarity") for r in unit)
    # AND a school that is only like another registered one proves nothing
    rows[1] = "2. นางสาวสุภาพร ศรีสุข ครูผู้ช่วย โรงเรียนบ้านหนองแวง"
    wrong = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    assert wrong.link == "needs_review"


def test_a_signature_under_ocr_stray_marks_is_still_a_signature(tmp_path: Path) -> None:
    # GIVEN a leave form by Somchai, approved by a registered colleague whose signature line
    # OCR opened with a stray เ
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "แบบใบลาป่วย", "เรื่อง ขอลาป่วย",
        "ข้าพเจ้า นายสมชาย ใจดี ตำแหน่งครู ขอลาป่วย มีกำหนด 2 วัน",
        "(นายสมชาย ใจดี)", "ความเห็นของผู้บังคับบัญชา อนุญาต", "เ(นางสาวสุภาพร ศรีสุข)",
        "ผู้อำนวยการโรงเรียน"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the approver is no subject: the form is filed to its writer alone
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]


def _copy_request(signature_block: list[str]) -> str:
    return "\n".join([
        "แบบ คศ. 1", "คำขอสำเนาทะเบียนประวัติข้าราชการครูและบุคลากรทางการศึกษา",
        "เขียนที่ โรงเรียนบ้านโนนทอง", "วันที่ 20 มิถุนายน พ.ศ. 2568",
        "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "ด้วยข้าพเจ้าผู้มีชื่อท้ายคำขอนี้ ตำแหน่งครู มีความประสงค์ขอสำเนาทะเบียนประวัติ (ก.ค.ศ.16)"
        " ของข้าพเจ้า ฉบับรับรองสำเนาถูกต้อง เพื่อใช้ประกอบการขอย้าย", *signature_block])


def test_a_form_names_its_applicant_only_under_the_signature(tmp_path: Path) -> None:
    # GIVEN a teacher's own request for a copy of her record, in Supaporn's folder: she is
    # named only in the bracket under "ลงชื่อ … ผู้ยื่นคำขอ", OCR having lost a letter of it
    catalog = catalog_with_registry(tmp_path)
    request = _copy_request(["ลงชื่อ .................... ผู้ยื่นคำขอ", "(นางสาวสุภาพ ศรีสุข)",
                             "ลงชื่อ .................... เจ้าหน้าที่ผู้จัดทำ", "(นายสมชาย ใจดี)",
                             "เจ้าหน้าที่ธุรการ"])
    u = _understand(catalog, request, folder=SUPAPORN)
    # THEN the applicant is the paper's subject: it is filed to her, and the clerk who signs
    # as its maker is not
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    # AND the same form in the clerk's folder is not filed to him: it names someone else
    misfiled = _understand(catalog, request, folder=SOMCHAI)
    assert misfiled.link == "needs_review" and SUPAPORN in misfiled.citizen_ids
    # AND a name signed under an authority's post is still no subject of the paper
    director = _copy_request(["ลงชื่อ .................... ผู้อนุญาต", "(นางสาวสุภาพร ศรีสุข)",
                              "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"])
    held = _understand(catalog, director, folder=SUPAPORN)
    assert held.link != "linked"


def test_an_applicants_role_on_its_own_line_and_a_name_ocr_broke_under_it(tmp_path: Path
                                                                          ) -> None:
    # GIVEN the same request in Supaporn's folder, its role on a line of its own between
    # "ลงชื่อ …" and the bracket, the name in it broken by a stray space in the first name
    catalog = catalog_with_registry(tmp_path)
    request = _copy_request(["ลงชื่อ ....................", "ผู้ยื่นคำขอ", "(นางสาวสุ ภาพร ศรีสุข)",
                             "วันที่ 20 มิถุนายน พ.ศ. 2568"])
    u = _understand(catalog, request, folder=SUPAPORN)
    # THEN she is still its applicant, named whole once OCR's space goes: filed to her
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    assert "name_run" in _kinds(u, SUPAPORN) or "name_joined" in _kinds(u, SUPAPORN)
    # AND under an authority's post the same bracket is no subject's
    signer = _copy_request(["ลงชื่อ ....................", "ผู้อนุญาต", "(นางสาวสุ ภาพร ศรีสุข)",
                            "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"])
    assert _understand(catalog, signer, folder=SUPAPORN).link != "linked"


def test_an_applicants_role_past_ocrs_garbage_or_misread_still_names_the_applicant(
        tmp_path: Path) -> None:
    # GIVEN the same request in Supaporn's folder, a line of OCR's garbage between
    # "ลงชื่อ …" and the role on its own line, the name in the bracket broken by a space
    catalog = catalog_with_registry(tmp_path)
    request = _copy_request(["ลงชื่อ ....................", "S : W%;", "ผู้ยื่นคำขอ",
                             "(นางสาวสุ ภาพร ศรีสุข)", "วันที่ 20 มิถุนายน พ.ศ. 2568"])
    u = _understand(catalog, request, folder=SUPAPORN)
    # THEN she is still its applicant: filed to her
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    # AND so she is where OCR misread a letter of the role as its lookalike (ผ as ฝ)
    misread = _copy_request(["ลงชื่อ ....................", "ฝู้ยื่นคำขอ", "(นางสาวสุ ภาพร ศรีสุข)"])
    assert _understand(catalog, misread, folder=SUPAPORN).link == "linked"
    # AND a short word on a line of the block ("ครู", the applicant's post) is no damaged role:
    # the director who signs the approval under it is no applicant
    approval = _copy_request(["ลงชื่อ .................... ผู้ยื่นคำขอ", "(นางสาวสุภาพร ศรีสุข)", "ครู",
                              "- อนุญาต -", "(นายสมชาย ใจ ดี)", "ผูอำนวยกาว" + UNIT])
    approved = _understand(catalog, approval, folder=SUPAPORN)
    assert approved.link == "linked" and approved.citizen_ids == [SUPAPORN]
    # AND an authority's post past the garbage is still no applicant's
    signer = _copy_request(["ลงชื่อ ....................", "S : W%;", "ผู้อนุญาต",
                            "(นางสาวสุ ภาพร ศรีสุข)", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"])
    assert _understand(catalog, signer, folder=SUPAPORN).link != "linked"


def _rank_order_copy(certification: list[str]) -> str:
    """A copy of the army's order granting reserve ranks, listing a teacher under her maiden
    name; the copy certified under it."""
    return "\n".join([
        "คำสั่งกองทัพบก (เฉพาะ)", "ที่ 163/2555", "เรื่อง แต่งตั้งยศทหารกองหนุน (นักศึกษาวิชาทหาร)",
        "อาศัยอำนาจตามความในพระราชบัญญัติยศทหาร พ.ศ. 2479 จึงแต่งตั้งยศทหารกองหนุน ดังนี้",
        "ให้เป็น ว่าที่ร้อยตรีหญิง", "1 นางสาวสุภาพร ทองดี มหาวิทยาลัยขอนแก่น ร.8 พัน.1",
        "สั่ง ณ วันที่ 25 มกราคม พ.ศ. 2555", "(พลเอกสุทธิพงษ์ พิมพ์ทอง)", "ผู้บัญชาการทหารบก",
        *certification])


def test_the_folders_person_certifying_a_copy_of_her_own_paper_files_it_to_her(
        tmp_path: Path) -> None:
    # GIVEN the copy in Supaporn's folder, certified true under her name with the rank it
    # gave her, the name broken over lines by a line of OCR's garbage
    catalog = catalog_with_registry(tmp_path)
    certified = ["(ว่าที่ ร.ต.หญิงสุภาพร", "S ; W% d", "ศรีสุข)", "สำเนาถูกต้อง"]
    u = _understand(catalog, _rank_order_copy(certified), folder=SUPAPORN)
    # THEN her signature certifying the copy says it is her own paper: filed to her
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    assert "name_certified_copy" in _kinds(u, SUPAPORN)
    # AND with a letter of her name misread and one lost it still is
    damaged = ["(ว่าที่ ร.ต.หญิงสุภาพร ศรีลุ)", "สำเนาถูกต้อง"]
    assert _understand(catalog, _rank_order_copy(damaged), folder=SUPAPORN).link == "linked"
    # AND her name signed with no certification under it proves nothing on its own
    signed = _understand(catalog, _rank_order_copy(certified[:-1]), folder=SUPAPORN)
    assert signed.link != "linked"
    # AND a copy someone else certified is not filed to her by it
    other = ["(นายสมชาย ใจดี)", "สำเนาถูกต้อง"]
    assert _understand(catalog, _rank_order_copy(other), folder=SUPAPORN).link != "linked"
