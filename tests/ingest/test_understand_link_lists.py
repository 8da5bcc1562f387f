"""Lists of subjects: a group paper whose every row is a registry person, one of whom the page
proves, files its other members by name; and never files one it is in doubt of."""

from __future__ import annotations

from pathlib import Path

from archive.catalog import Catalog
from ingest.understand.normal import LOOKALIKE_COST, OTHER_COST, ocr_distance
from tests.ingest.understand_support import (
    DISTINCT,
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

ROWS = ("1 นายสมชาย ใจดี ครูผู้ช่วย", "2 นางสาวสุภาพร ศรีสุข ครูผู้ช่วย",
        "3 ว่าที่ร้อยตรี ธนพล บุญมา ครูผู้ช่วย")
MEMBERS = sorted([SOMCHAI, SUPAPORN, THANAPHON])


def test_a_names_only_group_order_in_a_members_folder_links_every_member(
        tmp_path: Path) -> None:
    # GIVEN an appointment order listing three teachers by name only, in Somchai's folder
    catalog = catalog_with_registry(tmp_path)
    u = _understand(catalog, appointment_order(*ROWS, count="3"), folder=SOMCHAI)
    # THEN the folder's person, named on the list, anchors it: all three are filed
    assert u.category == "appointment"
    assert u.link == "linked" and sorted(u.citizen_ids) == MEMBERS
    assert "listed_with_anchor" in _kinds(u, SUPAPORN)
    # AND unsorted, two names and nothing else on the page wait for a person: in a registry
    # of five, two strangers bearing its names by chance is not rare enough to rule out
    alone = _understand(catalog, appointment_order(*ROWS[:2], count="2"))
    assert alone.link == "needs_review"
    assert sorted(alone.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    assert "listed_together" not in _kinds(alone, SUPAPORN)


def _with_namesakes(n: int) -> list[tuple[str, ...]]:
    """The test registry and n pairs of others who share a full name: a registry drawn
    from few names."""
    firsts = ("อนุชา", "ปวีณา", "ณัฐวุฒิ", "ศศิธร", "ยุทธนา", "ดวงใจ", "ภูวดล", "ชุติมา")
    extra = []
    for k in range(n):
        for twin in (0, 1):
            extra.append((cid(f"3{k:02d}{twin}7001234{k % 10}"), "นาย", firsts[k % len(firsts)],
                          "สายทอง"))
    return [*PERSONS, *extra]


def test_an_unsorted_list_of_registered_names_anchors_itself_where_names_are_distinct(
        tmp_path: Path) -> None:
    # GIVEN an unsorted appointment order listing three teachers by name only, and a registry
    # whose names are all distinct
    catalog = catalog_with_registry(tmp_path)
    u = _understand(catalog, appointment_order(*ROWS, count="3"))
    # THEN three strangers bearing three of its names by chance is too rare: all are filed,
    # each with the evidence that the list names them together
    assert u.link == "linked" and sorted(u.citizen_ids) == MEMBERS
    assert all("listed_together" in _kinds(u, c) for c in MEMBERS)
    # AND where the registry shows many namesakes (full names drawn from few), the same list
    # waits for a person: three such coincidences are then not rare enough
    crowded = catalog_with_registry(tmp_path / "crowded", _with_namesakes(8))
    waits = _understand(crowded, appointment_order(*ROWS, count="3"))
    assert waits.link == "needs_review" and "listed_together" not in _kinds(waits, SOMCHAI)


def test_on_a_list_that_prints_ids_a_row_without_one_is_in_doubt(tmp_path: Path) -> None:
    # GIVEN an order printing its members' IDs, one row with no reading of one
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย",
            f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} ครูผู้ช่วย", ROWS[2])
    u = _understand(catalog, appointment_order(*rows, count="3"))
    # THEN the list vouches for nobody without an ID: a person must look
    assert u.link == "needs_review" and "listed_with_anchor" not in _kinds(u, THANAPHON)


def test_a_damaged_name_on_an_anchored_list_is_read_from_its_row(tmp_path: Path) -> None:
    # GIVEN a row whose name OCR broke (a space in the surname, the title's vowel lost) so the
    # name pattern cannot take it
    catalog = catalog_with_registry(tmp_path)
    rows = (*ROWS, "4 นงกาญจนา ทอ งคำ ครูผู้ช่วย")
    u = _understand(catalog, appointment_order(*rows, count="4"), folder=SOMCHAI)
    # THEN the registry name the row opens with is found, and the list files it too
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([*MEMBERS, KANJANA])
    assert {"name_fuzzy", "listed_with_anchor"} <= _kinds(u, KANJANA)


def test_a_namesake_on_the_list_is_never_filed_by_the_list(tmp_path: Path) -> None:
    # GIVEN a second registered นางสาวสุภาพร ศรีสุข, and the list names one of them
    twin = cid("320050635240")
    catalog = catalog_with_registry(tmp_path, [*PERSONS, (twin, "นางสาว", "สุภาพร", "ศรีสุข")])
    u = _understand(catalog, appointment_order(*ROWS, count="3"), folder=SOMCHAI)
    # THEN the list does not tell them apart: a person must look
    assert u.link == "needs_review"
    assert SUPAPORN in u.citizen_ids and twin in u.citizen_ids


def test_a_committee_list_is_not_filed_by_the_list(tmp_path: Path) -> None:
    # GIVEN an investigation order about Supaporn, in her folder, whose numbered list is the
    # committee: registered colleagues, named but not subjects
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1", "ที่ 77/2567",
        "เรื่อง แต่งตั้งคณะกรรมการสอบสวนวินัยข้าราชการครู",
        "ด้วย นางสาวสุภาพร ศรีสุข ตำแหน่งครู ถูกกล่าวหาว่ากระทำผิดวินัยอย่างร้ายแรง",
        "จึงแต่งตั้งคณะกรรมการสอบสวน ดังนี้",
        "1 นายสมชาย ใจดี ผู้อำนวยการโรงเรียน ประธานกรรมการ",
        "2 นายวิชัย มั่นคง ครู กรรมการ"])
    u = _understand(catalog, text, folder=SUPAPORN)
    # THEN the committee is never filed as owners
    assert u.category == "discipline"
    assert u.link != "linked" or u.citizen_ids == [SUPAPORN]
    assert not (u.link == "linked" and {SOMCHAI, WICHAI} & set(u.citizen_ids))


def test_a_row_naming_another_school_is_in_doubt(tmp_path: Path) -> None:
    # GIVEN a list printing each member's registered school, one row another school
    units = {SOMCHAI: "โรงเรียนบ้านนาคำ", SUPAPORN: "โรงเรียนบ้านโนนทอง",
             THANAPHON: "โรงเรียนบ้านดอนแดง"}
    catalog = catalog_with_registry(tmp_path, [(*p, units.get(p[0], "โรงเรียนบ้านหนองแวง"))
                                               for p in PERSONS])
    rows = [f"1 นายสมชาย ใจดี ครูผู้ช่วย {units[SOMCHAI]}",
            "2 นางสาวสุภาพร ศรีสุข ครูผู้ช่วย โรงเรียนบ้านหนองแวง",
            f"3 ว่าที่ร้อยตรี ธนพล บุญมา ครูผู้ช่วย {units[THANAPHON]}"]
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    assert u.link == "needs_review" and "listed_with_anchor" not in _kinds(u, SUPAPORN)


def test_a_list_in_someone_elses_folder_is_never_filed_there(tmp_path: Path) -> None:
    # GIVEN the order (names only, one ID) misfiled in Kanjana's folder
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย", *ROWS[1:])
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=KANJANA)
    assert u.link == "needs_review" and "folder_hint_contradicted" in u.review_reasons
    assert KANJANA not in u.citizen_ids


def test_a_certificate_number_beside_each_name_is_no_conflicting_id(tmp_path: Path) -> None:
    # GIVEN a training announcement: each row's number is a certificate's (7-4 digits)
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "ประกาศคณะศึกษาศาสตร์ มหาวิทยาลัยขอนแก่น",
        "เรื่อง รายชื่อผู้ผ่านการพัฒนาตามหลักสูตร รหัส 6820058",
        "บัดนี้ การพัฒนาได้เสร็จสิ้นแล้ว จึงประกาศรายชื่อผู้ผ่านการพัฒนาและได้รับวุฒิบัตร ดังนี้",
        "ที่ ชื่อ - สกุล เลขที่วุฒิบัตร",
        "1 นายสมชาย ใจดี 6820058-0095", "2 นางสาวสุภาพร ศรีสุข 6820058-0096",
        "3 ว่าที่ร้อยตรี ธนพล บุญมา 6820058-0097"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN no name is held against its row's number, and the list files all three
    assert u.category == "education_training"
    assert u.link == "linked" and sorted(u.citizen_ids) == MEMBERS
    assert not any(r["kind"] == "citizen_id_conflict" for p in u.persons.owners
                   for r in p.reasons)


def test_a_licence_number_column_the_heading_names_is_no_id_column(tmp_path: Path) -> None:
    # GIVEN a letter sending teachers' licence renewals: each row prints a 13-digit licence
    # number that OCR left ID-shaped, under a heading that calls the column licence numbers
    catalog = catalog_with_registry(tmp_path)
    heading = "ที่ ชื่อ - สกุล เลขที่ใบอนุญาต ตำแหน่ง"
    text = "\n".join([
        "ที่ ศธ 04231/050", "เรื่อง ส่งคำขอต่ออายุใบอนุญาตประกอบวิชาชีพครู", "เรียน เลขาธิการคุรุสภา",
        "สำนักงานเขตพื้นที่การศึกษาได้ตรวจสอบคำขอแล้ว จึงขอส่งคำขอของผู้มีรายชื่อต่อไปนี้", heading,
        f"1 นายสมชาย ใจดี {cid('253261590012')} ครู",
        f"2 นางสาวสุภาพร ศรีสุข {cid('252525463501')} ครู",
        f"3 ว่าที่ร้อยตรี ธนพล บุญมา {cid('243034015351')} ครู",
        "จึงเรียนมาเพื่อโปรดพิจารณา", "(นางดวงใจ สายทอง)", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN no name is held against its licence number, and the list files all three
    assert u.category == "professional_license"
    assert u.link == "linked" and sorted(u.citizen_ids) == MEMBERS
    # AND under a heading that names an ID column, the same numbers speak against the names
    ids = _understand(catalog, text.replace(heading, "ที่ ชื่อ - สกุล เลขประจำตัวประชาชน ตำแหน่ง"),
                      folder=SOMCHAI)
    assert any(r["kind"] == "citizen_id_conflict" for p in ids.persons.owners
               for r in p.reasons)
    # AND under a heading that names both (a row prints the one or the other), a number that
    # is no valid ID is no conflict; one that is a whole valid ID still is
    both = "ที่ ชื่อ - สกุล เลขประจำตัวประชาชน / เลขที่ใบอนุญาต ตำแหน่ง"
    licences = text.replace(heading, both)
    for number in ("253261590012", "252525463501", "243034015351"):
        licences = licences.replace(cid(number), number + "7")
    mixed = _understand(catalog, licences, folder=SOMCHAI)
    assert mixed.link == "linked" and sorted(mixed.citizen_ids) == MEMBERS
    valid = _understand(catalog, text.replace(heading, both), folder=SOMCHAI)
    assert any(r["kind"] == "citizen_id_conflict" for p in valid.persons.owners
               for r in p.reasons)


def test_a_signer_whose_bracket_ocr_lost_is_not_a_member(tmp_path: Path) -> None:
    # GIVEN a list printing IDs, signed by a registered colleague whose "(" OCR lost
    catalog = catalog_with_registry(tmp_path)
    rows = [f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย",
            f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} ครูผู้ช่วย"]
    text = appointment_order(*rows, count="2").replace("(นายประเสริฐ จันทร์เพ็ญ)",
                                                        "นายวิชัย มั่นคง)")
    u = _understand(catalog, text, folder=SOMCHAI)
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_a_row_for_someone_outside_the_agency_does_not_hold_the_list_back(
        tmp_path: Path) -> None:
    # GIVEN an order printing IDs for two registry teachers and a committee member from
    # another office, whose ID (read whole, check digit holding) is nobody's in the registry
    catalog = catalog_with_registry(tmp_path)
    outsider = cid("520990011122")
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครูผู้ช่วย",
            f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} ครูผู้ช่วย",
            f"3 นายประเสริฐ ทองดี {dashed(outsider)} ครูผู้ช่วย")
    u = _understand(catalog, appointment_order(*rows, count="3"))
    # THEN nobody's record would miss it: the two teachers are filed, the outsider is nobody's
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_a_registry_id_misread_into_another_valid_one_is_still_its_persons(
        tmp_path: Path) -> None:
    # GIVEN the third row prints Thanaphon's ID in Thai digits with one ๘ read as ๔ and a
    # check digit that happens to hold, beside a name OCR garbled
    catalog = catalog_with_registry(tmp_path)
    body = THANAPHON[:12]
    k = body.index("8")
    misread = cid(body[:k] + "4" + body[k + 1:])
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI, thai=True)} ครูผู้ช่วย",
            f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN, thai=True)} ครูผู้ช่วย",
            f"3 นายประเสริฐ ทองดี {dashed(misread, thai=True)} ครูผู้ช่วย")
    u = _understand(catalog, appointment_order(*rows, count="3"))
    # THEN the row is not taken for an outsider's: the order is never filed to the other two
    # alone
    assert not (u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN]))



def test_an_outsider_on_the_list_sharing_a_teachers_name_is_not_filed(tmp_path: Path) -> None:
    # GIVEN a committee chaired by a district officer whose name a registry teacher has, with
    # two teachers of the folder's school listed by name
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 นางสาวสุภาพร ศรีสุข ปลัดอำเภอเมืองขอนแก่น ประธานกรรมการ", ROWS[0], ROWS[2])
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    # THEN the chair's row names a district office and no school: it is an outsider's, never
    # filed to the registry teacher of that name, and the teachers are filed
    assert SUPAPORN not in u.citizen_ids
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])
    # AND an outsider's row with nobody's name in it does not hold the list back
    rows = ("1 นายอภิสิทธิ์ แสงทอง ปลัดอำเภอเมืองขอนแก่น ประธานกรรมการ", ROWS[0], ROWS[2])
    chaired = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    assert chaired.link == "linked"
    assert sorted(chaired.citizen_ids) == sorted([SOMCHAI, THANAPHON])
    # AND a teacher's row naming the university she graduated from is still hers
    rows = ("1 นายสมชาย ใจดี ครูผู้ช่วย",
            "2 นางสาวสุภาพร ศรีสุข ครูผู้ช่วย มหาวิทยาลัยขอนแก่น", ROWS[2])
    plain = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    assert plain.link == "linked" and SUPAPORN in plain.citizen_ids


def test_a_teachers_row_naming_a_district_is_no_outsiders_row(tmp_path: Path) -> None:
    # GIVEN a list whose third row is a teacher of the school the registry does not know yet
    # (or whose name OCR damaged past finding), naming the school and its district
    catalog = catalog_with_registry(tmp_path)
    rows = (*ROWS[:2], f"3 นายอภิสิทธิ์ แสงทอง ครูผู้ช่วย {UNIT} อำเภอเมืองขอนแก่น")
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    # THEN the row is not taken for an outsider's: a member is missing, a person looks
    assert u.link == "needs_review" and "group_incomplete" in u.review_reasons


def test_a_list_posting_every_member_to_a_district_office_has_no_outsiders(
        tmp_path: Path) -> None:
    # GIVEN a non-formal-education order posting each appointee to a district's กศน. office,
    # the third appointee someone the registry does not know (or whose name OCR lost)
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 นายสมชาย ใจดี กศน.อำเภอเมืองขอนแก่น", "2 นางสาวสุภาพร ศรีสุข กศน.อำเภอบ้านไผ่",
            "3 นายประเสริฐ ทองดี กศน.อำเภอชุมแพ")
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    # THEN the offices are where the list posts its members, not outsiders' rows: the third
    # row holds the order back, and it is never filed to the first two alone
    assert u.link == "needs_review" and "group_incomplete" in u.review_reasons


def test_a_schools_leave_summary_in_a_members_folder_files_every_teacher(
        tmp_path: Path) -> None:
    # GIVEN a school's leave summary (category "other") listing three teachers by name only,
    # in Somchai's folder
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "บัญชีสรุปวันลา มาสาย และขาดราชการ ข้าราชการครู", f"{UNIT} ปีงบประมาณ พ.ศ. 2567",
        "ที่ ชื่อ - สกุล ลาป่วย ลากิจ มาสาย ขาดราชการ",
        "1 นายสมชาย ใจดี 2/2 1/1 5 0", "2 นางสาวสุภาพร ศรีสุข 0/0 0/0 3 0",
        "3 ว่าที่ร้อยตรี ธนพล บุญมา 1/2 0/0 0 0",
        "ตรวจสอบกับบัญชีลงเวลาปฏิบัติราชการและใบลาแล้ว ถูกต้อง", "(นางลำดวน ปัญญาดี)"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the folder's person anchors the list: all three are filed
    assert u.category == "other"
    assert u.link == "linked" and sorted(u.citizen_ids) == MEMBERS


def test_a_member_of_the_public_on_a_course_list_is_an_outsider(tmp_path: Path) -> None:
    # GIVEN a coaching course's graduates: two teachers and a member of the public whose name
    # a registry teacher shares
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี ครู {UNIT} 65/71", "2 นางสาวสุภาพร ศรีสุข ประชาชนทั่วไป 70/70",
            f"3 ว่าที่ร้อยตรี ธนพล บุญมา ครู {UNIT} 84/70")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN her row is an outsider's: never filed to the teacher of that name
    assert SUPAPORN not in u.citizen_ids
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])


def _roster(*rows: str) -> str:
    """A district's order of duty at a festival's checkpoints: teachers beside volunteers,
    a village head and a policeman."""
    return "\n".join([
        "คำสั่งอำเภอเมืองขอนแก่น", "ที่ 990/2567",
        "เรื่อง แต่งตั้งเจ้าหน้าที่ประจำจุดบริการประชาชน ช่วงเทศกาลปีใหม่ พ.ศ. 2568",
        "จึงแต่งตั้งเจ้าหน้าที่ปฏิบัติหน้าที่ประจำจุดบริการประชาชน ดังนี้",
        "ที่ จุดปฏิบัติงาน ชื่อ - สกุล ตำแหน่ง / หน่วยงาน", *rows,
        "สั่ง ณ วันที่ 24 ธันวาคม พ.ศ. 2567", "(นายธนพล ธรรมรักษ์)", "นายอำเภอเมืองขอนแก่น"])


def test_on_a_list_of_teachers_and_others_a_name_far_from_every_registered_one_is_no_member(
        tmp_path: Path) -> None:
    # GIVEN a duty roster naming two teachers (in Somchai's folder) beside a volunteer, a
    # village head and a policeman, none of them in the registry nor named like anyone in it
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 จุดตรวจทางหลวง 16 นายสมชาย ใจดี ครู " + UNIT,
            "2 จุดตรวจทางหลวง 16 นางสาวสุภาพร ศรีสุข ครู " + UNIT,
            "3 จุดบริการประชาชน นางอรอุมา เพียรทองหล่อ อาสาสมัครสาธารณสุขประจำหมู่บ้าน",
            "4 จุดบริการประชาชน นายเอกพงษ์ จิตรประเวศ ผู้ใหญ่บ้าน หมู่ที่ 5",
            "5 จุดบริการประชาชน ดาบตำรวจอิทธิพล ฟองจำปา สถานีตำรวจภูธรเมืองขอนแก่น")
    u = _understand(catalog, _roster(*rows), folder=SOMCHAI)
    # THEN their rows do not hold the teachers' paper back: both teachers are filed
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    # AND a row whose name is a registered one split in the wrong place is no stranger's:
    # the registered name still stands in its letters, so the paper waits for a person
    split = (*rows[:4], "5 จุดบริการประชาชน นางกาญ จนาทองคำ ครู " + UNIT)
    held = _understand(catalog, _roster(*split), folder=SOMCHAI)
    assert held.link == "needs_review" or KANJANA in held.citizen_ids


def test_a_row_that_says_its_person_is_no_teacher_is_a_strangers_even_if_the_name_is_near(
        tmp_path: Path) -> None:
    # GIVEN a royal visit's duty roster naming two teachers (in Somchai's folder) and a nurse
    # whose name comes near a registered one by chance (สุภาพร ศรีวงศ์, the registry's is
    # สุภาพร ศรีสุข)
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 จุดลงทะเบียน นายสมชาย ใจดี ครู " + UNIT,
            "2 จุดลงทะเบียน ว่าที่ร้อยตรี ธนพล บุญมา ครู " + UNIT,
            "3 จุดปฐมพยาบาล นางสาวสุภาพร ศรีวงศ์ พยาบาลวิชาชีพชำนาญการ โรงพยาบาลขอนแก่น")
    u = _understand(catalog, _roster(*rows), folder=SOMCHAI)
    # THEN the nurse's row does not hold the teachers' paper back, and she is not filed
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])
    # AND so does a public health officer's, and a nurse's whose post OCR misread (ช as ซ)
    for post in ("นักวิชาการสาธารณสุข", "พยาบาลวิซาชีพชำนาญการ"):
        other = (*rows[:2], f"3 จุดปฐมพยาบาล นางสาวสุภาพร ศรีวงศ์ {post} โรงพยาบาลขอนแก่น")
        assert _understand(catalog, _roster(*other), folder=SOMCHAI).link == "linked"
    # AND the same near name on a teacher's row may be the registered teacher damaged: it waits
    teacher = (*rows[:2], "3 จุดปฐมพยาบาล นางสาวสุภาพร ศรีวงศ์ ครู " + UNIT)
    held = _understand(catalog, _roster(*teacher), folder=SOMCHAI)
    assert held.link == "needs_review"


def test_a_role_two_lines_below_a_broken_name_still_marks_a_strangers_row(
        tmp_path: Path) -> None:
    # GIVEN a roster whose third row OCR broke over four lines: its number, a title and first
    # name, the surname, and a village head's role
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 จุดลงทะเบียน นายสมชาย ใจดี ครู " + UNIT,
            "2 จุดลงทะเบียน ว่าที่ร้อยตรี ธนพล บุญมา ครู " + UNIT,
            "3", "นายประยูร", "ศักดิ์ดำรง", "ผู้ใหญ่บ้าน หมู่ที่ 5 ตำบลในเมือง")
    u = _understand(catalog, _roster(*rows), folder=SOMCHAI)
    # THEN the row is a stranger's and does not hold the teachers' paper back
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])
    # AND an outside word that belongs to another column (a research title's "ของนักเรียน")
    # does not make a row whose registered name OCR broke a stranger's
    title = (*rows[:2], "3 การพัฒนาผลสัมฤทธิ์ทางการเรียน", "ของนักเรียนชั้นประถมศึกษาปีที่ 5 นางสาว",
             "สุภาพร", "ศรี สุข " + UNIT)
    held = _understand(catalog, _roster(*title), folder=SOMCHAI)
    assert not (held.link == "linked" and SUPAPORN not in held.citizen_ids)


def test_a_pupil_on_a_list_is_never_a_teacher_of_the_same_name(tmp_path: Path) -> None:
    # GIVEN a sports association's list of grades passed: a teacher (Somchai's folder) and a
    # pupil whose name is, but for his title and one letter lost, a registry teacher's
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "ประกาศสมาคมกีฬาเทควันโดแห่งประเทศไทย", "เรื่อง ผลการสอบเลื่อนสายดำ ครั้งที่ 3/2566",
        "ที่ ชื่อ - สกุล สังกัด ระดับที่สอบผ่าน",
        f"1 นายสมชาย ใจดี ชมรมเทควันโด{UNIT} ดั้ง 3",
        "2 เด็กชายวิชัย มั่นค สโมสรเทควันโดจังหวัดขอนแก่น พุม 2",
        "ประกาศ ณ วันที่ 3 กันยายน พ.ศ. 2566", "(นายภูวดล แก้วมณี)", "นายกสมาคม"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the pupil's row is no registry person's, nor is it held against the teacher's
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    # AND on a list that mixes in pupils, a club member who bears a registry teacher's name,
    # with nothing on the row to say he is staff, is not vouched for by the teacher's row
    club = text.replace("2 เด็กชาย", "2 นายวิชัย มั่นคง สโมสรเทควันโดจังหวัดขอนแก่น ดั้ง 1\n3 เด็กชาย")
    mixed = _understand(catalog, club, folder=SOMCHAI)
    assert WICHAI not in mixed.citizen_ids or mixed.link != "linked"


def test_those_who_attended_a_meeting_are_not_what_its_minutes_decide_on(
        tmp_path: Path) -> None:
    # GIVEN minutes of a committee on double time: five attendees (one of them a registry
    # teacher sitting on it) numbered 1-5, then the two teachers it decides on
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "รายงานการประชุมคณะกรรมการตรวจสอบการนับเวลาราชการทวีคูณ", "ครั้งที่ 6/2567",
        "ผู้มาประชุม",
        "1. นายประเสริฐ จันทร์เพ็ญ รองผู้อำนวยการ ประธานกรรมการ",
        "2. นายเอกพงษ์ จิตรประเวศ คลังจังหวัด กรรมการ",
        "3. ว่าที่ร้อยตรี ธนพล บุญมา ครู กรรมการ",
        "4. นางอรอุมา เพียรทองหล่อ นิติกร กรรมการ",
        "5. นายณัฐวุฒิ โพธิ์ทอง ผู้อำนวยการกลุ่ม กรรมการและเลขานุการ",
        "เริ่มประชุมเวลา 09.30 น.", "ระเบียบวาระที่ 3 เรื่องเพื่อพิจารณา จำนวน 2 ราย",
        "ที่ ชื่อ - สกุล สถานศึกษา ระยะเวลาที่ขอ มติที่ประชุม",
        f"1 นายสมชาย ใจดี {UNIT} 1/5/2552 - 30/9/2555 รับรอง",
        f"2 นางสาวสุภาพร ศรีสุข {UNIT} 1/5/2553 - 30/9/2555 รับรองบางส่วน",
        "เลิกประชุมเวลา 11.00 น.", "(นายณัฐวุฒิ โพธิ์ทอง)", "ผู้จดรายงานการประชุม"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the two it decides on are filed, and the teacher who sat on it is not
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    assert THANAPHON not in u.citizen_ids


def _co_authors(authors: str) -> str:
    return "\n".join([
        "คณะครุศาสตร์ มหาวิทยาลัยราชภัฏเชียงใหม่", "หนังสือรับรองการนำเสนอผลงานวิจัย",
        "การประชุมวิชาการระดับชาติด้านครุศาสตร์ ครั้งที่ 7",
        f"ขอรับรองว่า บทความวิจัยเรื่อง “การใช้โครงงานฐานชุมชน” โดย {authors}",
        "ได้นำเสนอผลงานในภาคบรรยาย ในการประชุมวิชาการดังกล่าว เมื่อวันที่ 20 พฤษภาคม พ.ศ. 2566",
        "ให้ไว้ ณ วันที่ 28 พฤษภาคม พ.ศ. 2566", "(นายสุรชัย ศรีสุวรรณ)", "คณบดีคณะครุศาสตร์"])


def test_teachers_one_sentence_names_together_are_filed_where_names_are_distinct(
        tmp_path: Path) -> None:
    # GIVEN an unsorted certificate of a research paper whose sentence names its authors:
    # three registry teachers (a surname broken by the line's wrap) and a professor from outside
    catalog = catalog_with_registry(tmp_path)
    authors = ("นายสมชาย ใจดี, นางสาวสุภาพร ศรี\nสุข, นางกาญจนา ทองคำ "
               "และ รองศาสตราจารย์ ดร.อรอุมา เพียรทองหล่อ")
    u = _understand(catalog, _co_authors(authors))
    # THEN the three are filed together: three strangers bearing three registry names in one
    # sentence by chance is too rare where the registry's names are distinct
    assert u.category == "education_training"
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, KANJANA])
    assert "named_together" in _kinds(u, KANJANA)
    # AND two names alone wait for a person
    two = _understand(catalog, _co_authors("นายสมชาย ใจดี และ นางกาญจนา ทองคำ"))
    assert two.link == "needs_review" and "named_together" not in _kinds(two, SOMCHAI)
    # AND beside three whole names, one OCR damaged by a letter is placed as a list places it
    near = _understand(catalog, _co_authors(
        "นายสมชาย ใจดี, นางกาญจนา ทองคำ, นายวิชัย มั่นคง และ นางสาวสุภาพร ศรีสุก"))
    assert near.link == "linked" and SUPAPORN in near.citizen_ids
    assert "named_together" in _kinds(near, SUPAPORN)
    # AND in Somchai's folder, where he alone is proven, a damaged co-author's name near a
    # registered one holds the paper back: someone's record would miss it
    damaged = _understand(catalog, _co_authors("นายสมชาย ใจดี, นางกาญ ทองดำ"),
                          folder=SOMCHAI)
    assert damaged.link == "needs_review" and "group_incomplete" in damaged.review_reasons
    # AND a co-author far from every registered name (a professor from outside) does not
    outside = _understand(catalog, _co_authors("นายสมชาย ใจดี, นางอรอุมา เพียรทองหล่อ"),
                          folder=SOMCHAI)
    assert outside.link == "linked" and outside.citizen_ids == [SOMCHAI]


def test_who_received_a_card_for_a_teacher_or_bears_a_name_with_another_title_is_no_member(
        tmp_path: Path) -> None:
    # GIVEN an area office's register of licence cards handed out, in Somchai's folder: one
    # card received on a teacher's behalf by someone whose name is a registry teacher's
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "ทะเบียนจ่ายบัตรใบอนุญาตประกอบวิชาชีพครู จำนวน 2 ใบ",
        "ที่ ชื่อ - สกุล สถานศึกษา วันที่รับ หมายเหตุ",
        f"1 นายสมชาย ใจดี {UNIT} 10 ก.ย. 2566 รับด้วยตนเอง",
        f"2 นางสาวสุภาพร ศรีสุข {UNIT} 11 ก.ย. 2566 รับแทนโดย นางกาญจนา ทองคำ",
        "(นางพัชรินทร์ บุญประเสริฐ)", "ผู้จ่ายบัตร"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the one who received it for her is not filed
    assert KANJANA not in u.citizen_ids
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    # AND nor is a colleague she gives her proxy to, named with his school
    proxy = "\n".join([
        "หนังสือมอบอำนาจ", "เขียนที่ " + UNIT,
        f"ข้าพเจ้า นางสาวสุภาพร ศรีสุข ตำแหน่งครู {UNIT} ได้รับพระราชทานเครื่องราชอิสริยาภรณ์",
        f"จึงขอมอบอำนาจให้ นายวิชัย มั่นคง ตำแหน่งครู {UNIT} เป็นผู้รับแทนข้าพเจ้า",
        "(นางสาวสุภาพร ศรีสุข)", "ผู้มอบอำนาจ"])
    given = _understand(catalog, proxy, folder=SUPAPORN)
    assert WICHAI not in given.citizen_ids and SUPAPORN in given.citizen_ids
    # AND a list vouches for no name read with another title than the registered one
    rows = (ROWS[0], "2 นางสุภาพร ศรีสุข ครูผู้ช่วย", ROWS[2])
    other = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    assert "listed_with_anchor" not in _kinds(other, SUPAPORN)
    assert not (other.link == "linked" and SUPAPORN in other.citizen_ids)


def _witness_statement(second: str) -> str:
    """Two retired colleagues' statement for a teacher whose attendance records burned: its
    numbered paragraphs name the teacher in the first."""
    return "\n".join([
        "บันทึกถ้อยคำของพยานบุคคล",
        "(กรณีเอกสารหลักฐานการปฏิบัติหน้าที่ในเขตที่ได้มีประกาศใช้กฎอัยการศึกสูญหาย)",
        "บันทึกที่ ที่ว่าการอำเภอรามัน จังหวัดยะลา วันที่ ๑๕ กันยายน พ.ศ. ๒๕๖๕",
        "ข้าพเจ้า นายพงศกร ธรรมรักษ์ ข้าราชการบำนาญ และข้าพเจ้า นายประเสริฐ ใจงาม",
        f"๑. นายสมชาย ใจดี ได้ปฏิบัติหน้าที่ครูที่{UNIT} ตั้งแต่วันที่ ๑๓ พ.ย. ๒๕๖๒",
        second,
        "๓. ข้าพเจ้าทั้งสองทราบข้อเท็จจริงข้างต้นเนื่องจากได้ปฏิบัติหน้าที่ร่วมกัน",
        "(นายพงศกร ธรรมรักษ์) (นายประเสริฐ ใจงาม)",
        "ผู้ให้ถ้อยคำ ผู้ให้ถ้อยคำ",
    ])


def test_a_statements_numbered_paragraphs_are_not_rows_whose_names_were_lost(
        tmp_path: Path) -> None:
    # GIVEN a witness statement in Somchai's folder: paragraph ๑ names him, paragraphs ๒ and
    # ๓ tell what happened and who the witnesses are (OCR dropped a vowel: "เมือวันที่")
    catalog = catalog_with_registry(tmp_path)
    prose = "๒. เมือวันที่ ๒๑ เม.ย. ๒๕๖๕ คนร้ายได้ลอบวางเพลิงอาคารสำนักงานของโรงเรียน"
    u = _understand(catalog, _witness_statement(prose), folder=SOMCHAI)
    # THEN the paragraphs are no rows naming someone lost: it is filed to him
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    # AND a numbered line whose title OCR damaged beside them is still a row that waits
    damaged = "๒. นา?สุ??พร ศรีสุ? ครู"
    held = _understand(catalog, _witness_statement(damaged), folder=SOMCHAI)
    assert held.link == "needs_review" and "group_incomplete" in held.review_reasons


def test_a_title_ocr_left_on_a_line_of_its_own_still_tells_a_stranger_from_the_registered(
        tmp_path: Path) -> None:
    # GIVEN an order in Somchai's folder whose second row OCR broke over three lines: its
    # number, then นางสาวกาญจนา, then the surname; the registry's Kanjana is นาง
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี ครู {UNIT}", "2", "นางสาวกาญจนา", f"ทองคำ ครู {UNIT}")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN the row's reading keeps the title, and the list does not vouch for the name: an
    # unmarried namesake is not the registry's married Kanjana by the list alone
    assert "listed_with_anchor" not in _kinds(u, KANJANA)
    # AND what the row itself says (her whole name, her school) counts as it would on one
    # line: a paper from before she married
    one_line = _understand(catalog, appointment_order(rows[0], f"2 นางสาวกาญจนา ทองคำ ครู {UNIT}"),
                           folder=SOMCHAI)
    assert (u.link, u.citizen_ids) == (one_line.link, one_line.citizen_ids)
    assert _kinds(u, KANJANA) == _kinds(one_line, KANJANA) == {"name_exact", "unit_on_row"}


def test_names_enumerated_with_each_ones_post_are_still_one_enumeration(
        tmp_path: Path) -> None:
    # GIVEN an unsorted report of an attack whose sentence names the three teachers hurt,
    # each followed by their post, the last surname split by OCR
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "บันทึกข้อความ", f"ส่วนราชการ {UNIT}", "เรื่อง รายงานเหตุการณ์ความไม่สงบ ข้าราชการครูได้รับบาดเจ็บ",
        "ด้วยเมื่อวันที่ 21 มิถุนายน พ.ศ. 2565 ขณะที่ นายสมชาย ใจดี ครู, นางสาวสุภาพร ศรีสุข ครูผู้ช่วย",
        "และ นางกาญจนา ทองคำ ครู เดินทางกลับจากโรงเรียน ได้เกิดเหตุคนร้ายลอบวางระเบิดริมทาง",
        "ในพื้นที่ที่ได้มีประกาศใช้กฎอัยการศึก ทำให้ครูทั้ง 3 รายได้รับบาดเจ็บ",
        "จึงเรียนมาเพื่อโปรดบันทึกเหตุการณ์ในทะเบียนประวัติของผู้ได้รับบาดเจ็บ",
        "(นายวีระพงษ์ หอมเดช)", "ผู้อำนวยการโรงเรียน"])
    u = _understand(catalog, text)
    # THEN the three are one enumeration, filed together
    assert u.category == "martial_law"
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, KANJANA])
    assert "named_together" in _kinds(u, SUPAPORN)


def _curfew_permit(*rows: str) -> str:
    return "\n".join([
        "หน่วยเฉพาะกิจยะลา 12", "หนังสืออนุญาตให้เดินทางในเวลาห้ามออกนอกเคหสถาน", "ที่ 271/2553",
        "ตามที่ได้มีประกาศใช้กฎอัยการศึกในท้องที่อำเภอรามัน จังหวัดยะลา จึงอนุญาตให้บุคคลต่อไปนี้"
        " เดินทางในเวลาห้ามได้",
        "ที่ ชื่อ - สกุล เลขประจำตัวประชาชน ตำแหน่ง", *rows,
        "ออกให้ ณ วันที่ 12 กรกฎาคม พ.ศ. 2553", "(พันเอกวิชัย ภูมิสุวรรณ)", "ผู้บังคับหน่วยเฉพาะกิจยะลา"])


def test_a_name_ocr_broke_over_lines_is_held_against_the_id_printed_after_it(
        tmp_path: Path) -> None:
    # GIVEN a curfew permit in Somchai's folder: his row prints his ID; the second row names
    # นางสาวสุภาพร ศรีสุข broken over two lines, with an ID that is not the registered one's
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครู", "2 นางสาวสุภาพร",
            f"ศรีสุข {dashed(cid('398304603311'))} ครู")
    u = _understand(catalog, _curfew_permit(*rows), folder=SOMCHAI)
    # THEN the ID speaks against her: the row is a stranger's who shares her name, and the
    # permit is filed to Somchai alone
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]


def test_a_list_does_not_vouch_for_a_row_that_says_its_person_is_no_civil_servant(
        tmp_path: Path) -> None:
    # GIVEN a permit in Somchai's folder listing names and posts: Somchai, and a school driver
    # who bears a registry teacher's name
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี - ครู {UNIT}", "2 นายวิชัย มั่นคง - นักการภารโรง (พนักงานขับรถ)")
    u = _understand(catalog, _curfew_permit(*rows), folder=SOMCHAI)
    # THEN the list does not vouch for the driver's name: the registry's teacher is not filed
    assert "listed_with_anchor" not in _kinds(u, WICHAI)
    assert not (u.link == "linked" and WICHAI in u.citizen_ids)


def test_a_row_naming_an_area_office_by_its_abbreviation_is_another_unit(
        tmp_path: Path) -> None:
    # GIVEN an honour roll in Somchai's folder: his row names his school; the next names
    # นางกาญจนา ทองคำ at the secondary area office (สพม.), not at her registered school
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "ประกาศสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น",
        "เรื่อง ยกย่องเชิดชูเกียรติข้าราชการผู้ไม่มีวันลา ประจำปีงบประมาณ พ.ศ. 2566",
        "ที่ ชื่อ - สกุล ตำแหน่ง สถานศึกษา / หน่วยงาน",
        f"1 นายสมชาย ใจดี ครู {UNIT}",
        "2 นางกาญจนา ทองคำ นักจัดการงานทั่วไปปฏิบัติการ สพม.ขอนแก่น",
        "ประกาศ ณ วันที่ 13 พฤศจิกายน พ.ศ. 2566", "(นายอนุชา รุ่งเรือง)",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the list does not vouch for her name: someone at another unit may share it
    assert "listed_with_anchor" not in _kinds(u, KANJANA)
    assert u.link == "needs_review"


def test_who_signs_a_record_as_its_director_is_not_its_subject(tmp_path: Path) -> None:
    # GIVEN Somchai's PLC record: its members' table names the school's director (a registry
    # person), who also signs it as director under "ลงชื่อ"
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "แบบบันทึกกิจกรรมชุมชนการเรียนรู้ทางวิชาชีพ (PLC)", "ภาคเรียนที่ 1/2567",
        "สมาชิกกลุ่ม บทบาท ชื่อ - สกุล ตำแหน่ง / สถานศึกษา",
        f"ครูต้นแบบ (Model Teacher) นายสมชาย ใจดี ครู {UNIT}",
        f"ผู้บริหาร (Administrator) นางกาญจนา ทองคำ ผู้อำนวยการ{UNIT}",
        "บันทึกกิจกรรม ร่วมกันวิเคราะห์ปัญหาและกำหนดประเด็นการพัฒนา 4 ชั่วโมง",
        "ลงชื่อ ........................ ผู้บันทึก", "(นายสมชาย ใจดี)",
        "ขอรับรองว่าข้อมูลข้างต้นเป็นความจริง", "ลงชื่อ", f"...................... ผู้อำนวยการ{UNIT}",
        "( นางกาญ จนา ทองคำ)"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the record is filed to Somchai alone: the director certifies it
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]


def test_a_row_posted_where_the_registry_holds_no_one_is_a_strangers(tmp_path: Path) -> None:
    # GIVEN a working group's order in Somchai's folder: two teachers, and an officer of the
    # area office (the registry holds only schools) whose name comes near a registered one
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี ครู {UNIT} คณะทำงาน", f"2 ว่าที่ร้อยตรี ธนพล บุญมา ครู {UNIT} คณะทำงาน",
            "3 นายวิชัย มั่นใจ นักทรัพยากรบุคคลชำนาญการ สพม.ขอนแก่น คณะทำงานและเลขานุการ")
    text = "\n".join([
        "คำสั่งสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น", "ที่ 145/2567",
        "เรื่อง แต่งตั้งคณะทำงานจัดทำทะเบียนประวัติอิเล็กทรอนิกส์",
        "ที่ ชื่อ - สกุล ตำแหน่ง หน่วยงาน หน้าที่", *rows,
        "สั่ง ณ วันที่ 2 กุมภาพันธ์ พ.ศ. 2567", "(นายอนุชา รุ่งเรือง)",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the officer's row does not hold the teachers' paper back
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])
    # AND the registered name itself on such a row is no stranger's: the paper waits
    named = text.replace("นายวิชัย มั่นใจ", "นายวิชัย มั่นคง")
    held = _understand(catalog, named, folder=SOMCHAI)
    assert held.link == "needs_review"


def test_a_surname_ending_in_a_relatives_word_is_still_placed_on_its_row(
        tmp_path: Path) -> None:
    # GIVEN a check summary in Somchai's folder; its second row names นายวีระ สายบุตร (his
    # surname ends in บุตร, "child"), the title's first letter lost to OCR
    persons = [*PERSONS, (cid("286530011429"), "นาย", "วีระพงษ์", "สายบุตร", UNIT)]
    catalog = catalog_with_registry(tmp_path, persons)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ไม่พบประวัติ", "2 ายวีระพงษ์ สายบตร ไม่พบประวัติ")
    u = _understand(catalog, appointment_order(*rows), folder=SOMCHAI)
    # THEN his row is no relative's: the registered name is placed there
    assert cid("286530011429") in u.citizen_ids


def test_a_dash_in_a_lists_id_column_is_a_member_without_one(tmp_path: Path) -> None:
    # GIVEN a list printing IDs in Somchai's folder: his row prints his; Supaporn's row has a
    # dash in the ID's column (none on record for her)
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครู {UNIT}", "2 นางสาวสุภาพร ศรีสุข - ครู")
    u = _understand(catalog, _curfew_permit(*rows), folder=SOMCHAI)
    # THEN the list vouches for her by name, as for any member of a list of the agency's own
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    # AND a row with no ID and no dash still does not (a signer's line the list ran into)
    bare = (rows[0], "2 นางสาวสุภาพร ศรีสุข ครู")
    held = _understand(catalog, _curfew_permit(*bare), folder=SOMCHAI)
    assert "listed_with_anchor" not in _kinds(held, SUPAPORN)


def test_a_row_naming_an_outside_role_is_a_strangers_unless_the_registry_places_its_name(
        tmp_path: Path) -> None:
    # GIVEN a permit in Somchai's folder: his row, and a school driver's whose name's letters
    # come near a registered one's (นายพิชัย มั่นคงดี holds most of วิชัย มั่นคง)
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครู {UNIT}",
            "2 นายพิชัย มั่นคงดี - นักการภารโรง (พนักงานขับรถ)")
    u = _understand(catalog, _curfew_permit(*rows), folder=SOMCHAI)
    # THEN no list's row would place a registered name there: the driver is a stranger, and
    # the permit is filed to Somchai
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    # AND with Wichai's school on the row, the damaged name could be his: the permit waits
    placed = (rows[0], f"2 นายพิชัย มั่นคงดี - นักการภารโรง {UNIT}")
    held = _understand(catalog, _curfew_permit(*placed), folder=SOMCHAI)
    assert held.link == "needs_review"


def _working_group(*rows: str) -> str:
    return "\n".join([
        "คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1", "ที่ 133/2567",
        "เรื่อง แต่งตั้งคณะทำงานจัดทำทะเบียนประวัติในรูปแบบอิเล็กทรอนิกส์",
        "ที่ ชื่อ - สกุล ตำแหน่ง สังกัด หน้าที่", *rows,
        "ให้คณะทำงานมีหน้าที่ รวบรวมแฟ้มทะเบียนประวัติจากสถานศึกษา สแกน และตรวจสอบไฟล์",
        "สั่ง ณ วันที่ 3 ตุลาคม พ.ศ. 2567", "(นายวิชัย มั่นคม)",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1"])


def test_a_working_groups_area_number_and_closing_hold_no_teacher_back(tmp_path: Path) -> None:
    # GIVEN a working group's order, unsorted: the area office's deputy (a stranger) chairs
    # it, the office's "เขต" number wrapped onto a line of its own; two teachers at their
    # school (ครู read ดรู in one row); the order's charge and signer (a name near a
    # registered one) after the last row
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 นายอนุชา รุ่งเรือง รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต",
            "1 ประธานคณะทำงาน", f"2 นายสมชาย ใจดี ครู {UNIT} คณะทำงาน",
            f"3 ว่าที่ร้อยตรี ธนพล บุญมา ดรู {UNIT} คณะทำงาน")
    u = _understand(catalog, _working_group(*rows))
    # THEN the teachers are filed, each with their school found on their row
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, THANAPHON])
    assert "unit_on_row" in _kinds(u, THANAPHON)


def test_the_unit_a_vacancys_holder_moved_to_is_no_evidence_of_them(tmp_path: Path) -> None:
    # GIVEN an acting-director order in Somchai's folder: the post fell vacant because
    # Kanjana (a registry person at another school) moved to direct that school
    other = "โรงเรียนบ้านดอนแดง"
    persons = [*PERSONS[:3], (*PERSONS[3], other), PERSONS[4]]
    catalog = catalog_with_registry(tmp_path, persons)
    text = "\n".join([
        "คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1", "ที่ 593/2567",
        "เรื่อง ให้ข้าราชการครูรักษาการในตำแหน่งผู้อำนวยการสถานศึกษา",
        f"ด้วยตำแหน่งผู้อำนวยการ{UNIT} ว่างลง เนื่องจาก นางกาญจนา ทองคำ ผู้ดำรงตำแหน่ง"
        f"ได้รับการย้ายไปดำรงตำแหน่งผู้อำนวยการ{other}",
        f"จึงให้ นายสมชาย ใจดี ตำแหน่งครู {UNIT} รักษาการในตำแหน่งผู้อำนวยการ{UNIT}",
        "สั่ง ณ วันที่ 31 ธันวาคม พ.ศ. 2567", "(นายวิชัย มั่นคม)",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN her school, where she went, does not vouch for her name: she is not filed
    assert "unit_on_row" not in _kinds(u, KANJANA)
    assert not (u.link == "linked" and KANJANA in u.citizen_ids)


def test_a_row_ocr_lost_its_number_and_title_from_holds_the_list_back(tmp_path: Path) -> None:
    # GIVEN a duty order in Somchai's folder: three teachers' rows read, and between the
    # second's wrapped duty and the next row a line that is what OCR left of a fourth row
    # ("ชัย มั่นคง ครู ...": number, title and half the name lost), its teacher at a
    # registered school; the last row's number misread, so the numbering shows no gap
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "คำสั่งจังหวัดขอนแก่น", "ที่ 253/2567", "เรื่อง แต่งตั้งเจ้าหน้าที่ปฏิบัติหน้าที่รับเสด็จ",
        "ที่ ชื่อ - สกุล ตำแหน่ง / หน่วยงาน หน้าที่",
        f"1 นายสมชาย ใจดี ครู {UNIT} ควบคุมนักเรียนเฝ้า ฯ รับเสด็จ",
        "2 นางสาวสุภาพร ศรีสุข", "ครู", f"{UNIT} ควบคุมการแสดงของนักเรียน", "หน้าพลับพลาที่ประทับ",
        "และจัดแถวนักเรียนถือธงชาติ", f"ชัย มั่นคง ครู {UNIT} ประจำแปลงเกษตร",
        f"3 ว่าที่ร้อยตรี ธนพล บุญมา ครู {UNIT} ประจำจุดลงทะเบียน",
        "สั่ง ณ วันที่ 12 กุมภาพันธ์ พ.ศ. 2567", "(นายอนุชา รุ่งเรือง)", "ผู้ว่าราชการจังหวัดขอนแก่น"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the paper waits: someone's record would miss it
    assert u.link == "needs_review" and "group_incomplete" in u.review_reasons
    # AND the second row's wrapped cells ("ครู" on a line of its own) hold nothing back
    whole = text.replace("ชัย มั่นคง ครู", "3 นายวิชัย มั่นคง ครู").replace(
        "3 ว่าที่ร้อยตรี", "4 ว่าที่ร้อยตรี")
    assert _understand(catalog, whole, folder=SOMCHAI).link == "linked"


def test_a_post_no_civil_servant_holds_keeps_a_registered_name_off_the_paper(
        tmp_path: Path) -> None:
    # GIVEN a school's committee in Somchai's folder: two teachers, and the school's clerk,
    # a government employee (พนักงานราชการ) who bears a registry teacher's name
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 นายสมชาย ใจดี ครู ประธานกรรมการ", "2 นางสาวสุภาพร ศรีสุข ครู กรรมการ",
            "3 นางกาญจนา ทองคำ พนักงานราชการ ตำแหน่งเจ้าหน้าที่ธุรการ กรรมการและเลขานุการ")
    u = _understand(catalog, _destruction_committee(*rows), folder=SOMCHAI)
    # THEN the list vouches for the teachers, not for the clerk's name (the register of civil
    # servants never holds her): the paper waits rather than file it to Kanjana
    assert "listed_with_anchor" in _kinds(u, SUPAPORN)
    assert "listed_with_anchor" not in _kinds(u, KANJANA)
    assert u.link == "needs_review"
    # AND a registered name and unit on a row that says "contract teacher" waits for a person
    contract = (rows[0], f"2 นางกาญจนา ทองคำ ครูอัตราจ้าง {UNIT} กรรมการ")
    held = _understand(catalog, _destruction_committee(*contract), folder=SOMCHAI)
    assert held.link == "needs_review" and "unit_on_row" in _kinds(held, KANJANA)
    # AND an appointment names the posts its appointees held before: they are still filed
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} พนักงานราชการ ตำแหน่งครู {UNIT}",
            f"2 นางสาวสุภาพร ศรีสุข {dashed(SUPAPORN)} ลูกจ้างชั่วคราว (ครูอัตราจ้าง) {UNIT}")
    appointed = _understand(catalog, appointment_order(*rows, count="2"))
    assert appointed.link == "linked"
    assert sorted(appointed.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_a_stranger_whose_row_prints_their_own_id_does_not_make_the_list_mixed(
        tmp_path: Path) -> None:
    # GIVEN a fingerprint register in Somchai's folder: his row, and Supaporn's by name (a
    # dash in the ID's column, no post: a transfer in); a school clerk's row (a government
    # employee) printing an ID the registry does not hold
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {dashed(SOMCHAI)} ครู {UNIT} ไม่พบประวัติ",
            "2 นางสาวสุภาพร ศรีสุข - รับย้าย ไม่พบประวัติ",
            f"3 นายพีรพัฒน์ ทองคำ {dashed(cid('313149296247'))} พนักงานราชการ (ธุรการโรงเรียน)"
            " ไม่พบประวัติ")
    u = _understand(catalog, _curfew_permit(*rows), folder=SOMCHAI)
    # THEN the clerk is told apart by the ID: the list still vouches for Supaporn
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_rows_grouped_under_their_schools_name_carry_that_school(tmp_path: Path) -> None:
    # GIVEN an unsorted appointment whose table groups its appointees under their school's
    # name, a heading on a line of its own (Somchai and Thanaphon at บ้านหนองบัว, Supaporn at
    # บ้านดอนแดง, where the registry has her)
    other = "โรงเรียนบ้านดอนแดง"
    persons = [*PERSONS[:1], (*PERSONS[1], other), *PERSONS[2:]]
    catalog = catalog_with_registry(tmp_path, persons)
    rows = (f"{UNIT} อำเภอเมือง", "1 นายสมชาย ใจดี ค.บ. (ภาษาไทย) ครูผู้ช่วย 15,050",
            "2 ว่าที่ร้อยตรี ธนพล บุญมา ค.บ. (ดนตรี) ครูผู้ช่วย 15,050",
            f"{other} อำเภอหนองจิก", "3 นางสาวสุภาพร ศรีสุข ศษ.บ. (ศิลปะ) ครูผู้ช่วย 15,050")
    u = _understand(catalog, appointment_order(*rows, count="3"))
    # THEN each is named with their school: all three are filed
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN, THANAPHON])
    assert all("unit_on_row" in _kinds(u, c) for c in (SOMCHAI, SUPAPORN, THANAPHON))
    # AND a heading gives its school to its own rows only: under the other school's heading
    # Supaporn's school is not found
    swapped = (rows[3], rows[1], rows[2], rows[0], rows[4])
    held = _understand(catalog, appointment_order(*swapped, count="3"))
    assert "unit_on_row" not in _kinds(held, SUPAPORN)


def test_a_school_boards_member_bearing_a_teachers_name_and_school_waits_for_a_person(
        tmp_path: Path) -> None:
    # GIVEN an inspection committee in Somchai's folder: his row, and the school board's
    # member for the community, who bears Kanjana's name, with her school (the board's)
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี ครู {UNIT} ประธานกรรมการ",
            f"2 นางกาญจนา ทองคำ ผู้แทนคณะกรรมการสถานศึกษาขั้นพื้นฐาน{UNIT} กรรมการ")
    u = _understand(catalog, _destruction_committee(*rows), folder=SOMCHAI)
    # THEN the row says she is no staff: the paper is not filed to Kanjana unasked
    assert "unit_on_row" in _kinds(u, KANJANA)
    assert u.link == "needs_review"
    # AND a teacher's row that names the board as where she serves is hers
    teacher = (rows[0], f"2 นางกาญจนา ทองคำ ครู {UNIT} ผู้แทนครูในคณะกรรมการสถานศึกษา กรรมการ")
    assert _understand(catalog, _destruction_committee(*teacher), folder=SOMCHAI).link == \
        "linked"


def test_a_form_about_one_teacher_issued_by_her_school_names_her_unit(tmp_path: Path) -> None:
    # GIVEN an unsorted form a school issues about one teacher: her school in its head, her
    # name whole in a labelled field, no list
    catalog = catalog_with_registry(tmp_path)
    text = "\n".join([
        "ครั้งที่ 1/2567", f"{UNIT} สพป.ขอนแก่น เขต 1",
        "แบบแจ้งผลการเลื่อนเงินเดือนข้าราชการครู (รายบุคคล)", "ชื่อ - สกุล", "นางสาวสุภาพร ศรีสุข",
        "ตำแหน่ง ครู วิทยฐานะครูชำนาญการ", "จำนวนเงินที่ได้เลื่อน 520 บาท",
        f"ลงชื่อ ...................... ผู้อำนวยการ{UNIT} ผู้แจ้ง", "(นายอนุชา รุ่งเรือง)"])
    u = _understand(catalog, text)
    # THEN her school on the page is evidence beside her name: it is filed to her
    assert u.link == "linked" and u.citizen_ids == [SUPAPORN]
    assert "unit_on_page" in _kinds(u, SUPAPORN)
    # AND where a namesake shares her name, the school only picks between them: it waits
    twin = [*PERSONS, (cid("399912345678"), "นางสาว", "สุภาพร", "ศรีสุข", "โรงเรียนบ้านดอนแดง")]
    crowded = catalog_with_registry(tmp_path / "twin", twin)
    assert _understand(crowded, text).link == "needs_review"




def _destruction_committee(*rows: str) -> str:
    return "\n".join([
        f"คำสั่ง{UNIT}", "ที่ 510/2566", "เรื่อง แต่งตั้งคณะกรรมการทำลายหนังสือ ประจำปี 2566",
        "อาศัยอำนาจตามระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. 2526 จึงแต่งตั้งคณะกรรมการ"
        "ทำลายหนังสือ ประกอบด้วย",
        "ที่ ชื่อ - สกุล ตำแหน่ง หน้าที่", *rows,
        "ให้คณะกรรมการพิจารณาหนังสือตามบัญชีหนังสือขอทำลาย", "สั่ง ณ วันที่ 25 กุมภาพันธ์ พ.ศ. 2566",
        "(นายวีระพงษ์ หอมเดช)", f"ผู้อำนวยการ{UNIT}"])


def test_a_name_whose_first_name_and_surname_are_two_registered_persons_is_a_strangers(
        tmp_path: Path) -> None:
    # GIVEN a committee order in Somchai's folder: his row, and นางอัญชลี ศรีบุญเรือง's, whose
    # first name is one registered person's (อัญชลี บุญประเสริฐ) and surname another's
    # (บุญเลิศ ศรีบุญเรือง): near a registered name as a whole, near no one in both parts
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    rows = ("1 นายสมชาย ใจดี ครู ประธานกรรมการ", "2 นางอัญชลี ศรีบุญเรือง ครู กรรมการ")
    u = _understand(catalog, _destruction_committee(*rows), folder=SOMCHAI)
    # THEN in a registry of distinct names the row is a stranger's: the order is Somchai's
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    # AND where many of the registry's persons share a name, strangers bear registered names
    # by chance: a list with one on it waits for a person
    crowded = catalog_with_registry(tmp_path / "crowded", [*DISTINCT, *_with_namesakes(8)[5:]])
    waits = _understand(crowded, _destruction_committee(*rows), folder=SOMCHAI)
    assert waits.link == "needs_review" and "group_incomplete" in waits.review_reasons
    # AND a name near one registered person in both parts (OCR's damage) is no stranger's
    damaged = (rows[0], "2 นางอัญชลี บุญประเสรีฐ ครู กรรมการ")
    near = _understand(catalog, _destruction_committee(*damaged), folder=SOMCHAI)
    assert not (near.link == "linked" and near.citizen_ids == [SOMCHAI])


def _petty_patent(inventors: str) -> str:
    return "\n".join([
        "อนุสิทธิบัตร", "เลขที่ 21241",
        "อาศัยอำนาจตามความในพระราชบัญญัติสิทธิบัตร พ.ศ. 2522 อธิบดีกรมทรัพย์สินทางปัญญา"
        "ออกอนุสิทธิบัตรฉบับนี้ให้แก่", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "สำหรับการประดิษฐ์ “สื่อการสอนเศษส่วนแบบแผ่นหมุนซ้อนชั้น”", f"ผู้ประดิษฐ์ {inventors}",
        "คำขอเลขที่ 6603002604 ยื่นคำขอวันที่ 9 ตุลาคม พ.ศ. 2566",
        "ออกให้ ณ วันที่ 7 ธันวาคม พ.ศ. 2567", "(นายธนากร ปัญญาดี)", "อธิบดีกรมทรัพย์สินทางปัญญา"])


def test_a_sentence_naming_the_folders_person_with_others_registered_files_them_all(
        tmp_path: Path) -> None:
    # GIVEN a petty patent in Somchai's folder naming its inventors in one sentence: Somchai
    # and Supaporn, each by their whole registered name, in a registry where many share a
    # name (so a whole name alone proves no one)
    catalog = catalog_with_registry(tmp_path, [*DISTINCT, *_with_namesakes(8)[5:]])
    u = _understand(catalog, _petty_patent("นายสมชาย ใจดี และนางสาวสุภาพร ศรีสุข"),
                    folder=SOMCHAI)
    # THEN the folder's person anchors the sentence: Supaporn is filed with him
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    assert "named_together" in _kinds(u, SUPAPORN)
    # AND unsorted, the same sentence (two names, nothing else) waits for a person
    alone = _understand(catalog, _petty_patent("นายสมชาย ใจดี และนางสาวสุภาพร ศรีสุข"))
    assert alone.link == "needs_review"
    # (where the registry's names are distinct, each whole unique name proves its person)
    distinct = catalog_with_registry(tmp_path / "distinct", DISTINCT)
    assert _understand(distinct, _petty_patent("นายสมชาย ใจดี และนางสาวสุภาพร ศรีสุข")).link \
        == "linked"
    # AND words between two of its names that may be a third name OCR broke leave it waiting
    broken = _understand(catalog, _petty_patent("นายสมชาย ใจดี, นายพงศ\nม่นคง และนางสาวสุภาพร ศรีสุข"),
                         folder=SOMCHAI)
    assert broken.link == "needs_review"


def _course_register(second_row: str) -> str:
    return "\n".join([
        "ศูนย์พัฒนาครูและบุคลากรทางการศึกษา", "ทะเบียนคุมการออกวุฒิบัตร",
        "หลักสูตร การสร้างสื่อการเรียนรู้ด้วยแอปพลิเคชัน จำนวน 12 ชั่วโมง",
        "ที่ เลขที่วุฒิบัตร ชื่อ นามสกุล ตำแหน่ง สถานศึกษา ผล",
        f"1 44-0122 นายสมชาย ใจดี ครู {UNIT} ผ่าน", f"2 44-0123 {second_row} ครูผู้ช่วย {UNIT} ผ่าน",
        "(นายสมชาย บุญมา)", "ผู้อำนวยการหลักสูตร"])


def test_a_stranger_who_shares_a_teachers_first_name_and_school_is_not_placed_on_her_row(
        tmp_path: Path) -> None:
    # GIVEN a course's certificate register in Somchai's folder: his row, and one naming
    # นางสาวรัตนาภรณ์ แสงอรุณ at the school where the registry's นางสาวรัตนาภรณ์ สุขดี teaches
    ratanaporn = cid("310170020349")
    catalog = catalog_with_registry(tmp_path, [*DISTINCT, (ratanaporn, "นางสาว", "รัตนาภรณ์",
                                                           "สุขดี", UNIT)])
    u = _understand(catalog, _course_register("นางสาวรัตนาภรณ์ แสงอรุณ"), folder=SOMCHAI)
    # THEN her row names no registered person: Ratanaporn Sukdee's record does not get it
    assert ratanaporn not in u.citizen_ids or u.link != "linked"
    assert "listed_with_anchor" not in _kinds(u, ratanaporn)
    # AND the registered name damaged in a letter or two, with her school, is still hers
    placed = _understand(catalog, _course_register("นางสาวรัตนาภรณ์ สุขคี"), folder=SOMCHAI)
    assert placed.link == "linked" and ratanaporn in placed.citizen_ids


def test_a_strangers_name_wrapped_over_two_lines_is_still_told_apart(tmp_path: Path) -> None:
    # GIVEN a committee order in Somchai's folder whose second row's surname wrapped onto the
    # next line: นางอัญชลี / ศรีบุญเรือง, near no one registered person in both parts
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    rows = ("1 นายสมชาย ใจดี ครู ประธานกรรมการ", "2 นางอัญชลี", "ศรีบุญเรือง ครู กรรมการ")
    u = _understand(catalog, _destruction_committee(*rows), folder=SOMCHAI)
    # THEN the row is a stranger's, as if read on one line: the order is Somchai's
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    # AND a row whose surname OCR lost (the next line opens the row's next cell) or whose
    # first name is a fragment may be a registered person's: the order waits
    lost = (rows[0], "2 นายบุญเลิศ", "โรงเรียนบ้านหนองบัว ครู กรรมการ")
    assert _understand(catalog, _destruction_committee(*lost), folder=SOMCHAI).link == \
        "needs_review"
    fragment = (rows[0], "2 นายบุ", "ศรีบุญเรือง ครู กรรมการ")
    assert _understand(catalog, _destruction_committee(*fragment), folder=SOMCHAI).link == \
        "needs_review"
    # AND so does one whose next line is the tail of a word OCR cut ("ียนบ้านหนองบัว"), or
    # whose row names the school of a registered teacher with that first name (นางกาญจนา
    # ทองคำ teaches there: the surname read may be what OCR left of hers)
    cut = (rows[0], "2 นางอัญชลี", "ียนบ้านหนองบัว ครู กรรมการ")
    assert _understand(catalog, _destruction_committee(*cut), folder=SOMCHAI).link == \
        "needs_review"
    at_unit = (rows[0], "2 นางกาญจนา", f"ศรีบุญเรือง ครู {UNIT} กรรมการ")
    assert _understand(catalog, _destruction_committee(*at_unit), folder=SOMCHAI).link == \
        "needs_review"
    elsewhere = (rows[0], "2 นางกาญจนา", "ศรีบุญเรือง ครู โรงเรียนบ้านนาคำ กรรมการ")
    assert _understand(catalog, _destruction_committee(*elsewhere), folder=SOMCHAI).link == \
        "linked"


def test_a_name_more_than_two_letters_from_every_registered_one_is_a_strangers(
        tmp_path: Path) -> None:
    # GIVEN a committee order in Somchai's folder: his row, and นางอัญชลี บุญประคอง's, whose
    # first name is a registered person's (อัญชลี บุญประเสริฐ) and whose surname opens as hers
    # does: OCR would have to misread four letters to make the one of the other
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    rows = ("1 นายสมชาย ใจดี ครู ประธานกรรมการ", "2 นางอัญชลี บุญประคอง ครู กรรมการ")
    u = _understand(catalog, _destruction_committee(*rows), folder=SOMCHAI)
    # THEN in a registry of distinct names the row is a stranger's: the order is Somchai's
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]
    # AND her registered name cut short at the line's end may still be hers: the order waits
    cut = (rows[0], "2 นางอัญชลี บุญประ", "ครู กรรมการ")
    assert _understand(catalog, _destruction_committee(*cut), folder=SOMCHAI).link == \
        "needs_review"


def test_an_abbreviated_title_is_the_registered_one(tmp_path: Path) -> None:
    # GIVEN an order in Somchai's folder whose rows print the abbreviated titles (น.ส., ว่าที่
    # ร.ต.) where the registry has them in full, each name broken by OCR's stray spaces
    catalog = catalog_with_registry(tmp_path)
    rows = ("1 นายสมชาย ใจดี ครูผู้ช่วย", "2 น.ส.สุภา พร ศรีสุข ครูผู้ช่วย",
            "3 ว่าที่ ร.ต.ธนพล บุ ญมา ครูผู้ช่วย")
    u = _understand(catalog, appointment_order(*rows, count="3"), folder=SOMCHAI)
    # THEN the titled names are found whole again, as they would be under the full titles
    assert "name_joined" in _kinds(u, SUPAPORN) and "name_joined" in _kinds(u, THANAPHON)
    assert u.link == "linked" and sorted(u.citizen_ids) == MEMBERS


def _certificate(name: str) -> str:
    return "\n".join([
        "เกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า", name,
        "ได้รับการยกย่องเชิดชูเกียรติเป็นครูดีเด่น ประจำปี 2566",
        "ให้ไว้ ณ วันที่ 16 มกราคม พ.ศ. 2567"])


def test_a_whole_unique_name_files_a_paper_where_the_registrys_names_are_distinct(
        tmp_path: Path) -> None:
    # GIVEN an unsorted certificate naming นางสาวปวีณา แก้วมณี, whose name no one else in a
    # registry of distinct names bears
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    pawina = cid("310170020344")
    u = _understand(catalog, _certificate("นางสาวปวีณา แก้วมณี"))
    # THEN a stranger bearing it by chance is too rare: it is filed to her
    assert u.link == "linked" and u.citizen_ids == [pawina]
    # AND where many of the registry's persons share a name, the same paper waits for a person
    crowded = catalog_with_registry(tmp_path / "crowded", [*DISTINCT, *_with_namesakes(8)[5:]])
    assert _understand(crowded, _certificate("นางสาวปวีณา แก้วมณี")).link == "needs_review"
    # AND so does her name read with a title she never had: a married woman's (นาง), a man's
    for title in ("นาง", "นาย", "ว่าที่ร้อยตรีหญิง"):
        other = _understand(catalog, _certificate(f"{title}ปวีณา แก้วมณี"))
        assert other.link == "needs_review", title
    # AND so does her name over another registered school than hers: a namesake's paper
    elsewhere = catalog_with_registry(tmp_path / "elsewhere", [
        *DISTINCT, (cid("310170020350"), "นาย", "อนุชา", "ทองดี", "โรงเรียนบ้านนาคำ")])
    assert _understand(elsewhere, _certificate("นางสาวปวีณา แก้วมณี\nครู โรงเรียนบ้านนาคำ")
                       ).link == "needs_review"
    assert _understand(elsewhere, _certificate(f"นางสาวปวีณา แก้วมณี\nครู {UNIT}")
                       ).link == "linked"
    # AND a registered นาง on a paper from before she married (นางสาว) is still hers
    sasithorn = cid("310170020347")
    before = _understand(catalog, _certificate("นางสาวศศิธร เพชรรัตน์"))
    assert before.link == "linked" and before.citizen_ids == [sasithorn]


def test_a_name_further_from_a_registered_one_than_ocrs_damage_is_not_placed_on_its_row(
        tmp_path: Path) -> None:
    # GIVEN the registry's นางสาวรัตนาภรณ์ สุขดี, and a course register in Somchai's folder
    # whose second row, at her school, names someone else: สุขศรี (a letter no lookalike of
    # ด, and one more) or สุขดีงาม (her surname and more letters of the same word)
    ratanaporn = cid("310170020349")
    catalog = catalog_with_registry(tmp_path, [*DISTINCT, (ratanaporn, "นางสาว", "รัตนาภรณ์",
                                                           "สุขดี", UNIT)])
    for other in ("นางสาวรัตนาภรณ์ สุขศรี", "นางสาวรัตนาภรณ์ สุขดีงาม"):
        u = _understand(catalog, _course_register(other), folder=SOMCHAI)
        # THEN her record does not get the register
        assert ratanaporn not in u.citizen_ids or u.link != "linked", other
    # AND her name as OCR damages it (ด read as its lookalike ค, a space in the word) is hers
    u = _understand(catalog, _course_register("นางสาวรัตนาภรณ์ สุ ขคี"), folder=SOMCHAI)
    assert u.link == "linked" and ratanaporn in u.citizen_ids


def test_ocr_distance_counts_a_lookalike_misread_as_less_than_another_letter() -> None:
    assert ocr_distance("สขด", "สขด") == 0
    assert ocr_distance("สขด", "สขค") == LOOKALIKE_COST  # ด and ค: lookalikes
    assert ocr_distance("สขด", "สขม") == OTHER_COST
    assert ocr_distance("สขด", "สข") == 1  # a letter lost
    assert ocr_distance("ธรรมรกษ", "ธรรมสกล") == 2 * OTHER_COST


def test_a_beneficiary_whose_surname_wrapped_is_still_a_relative(tmp_path: Path) -> None:
    # GIVEN the pension fund's letter to Somchai, in his folder, listing his beneficiaries:
    # his wife, a registered teacher (นางอัญชลี บุญประเสริฐ), her surname wrapped onto the next
    # line beside the column that says she is his spouse
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    text = "\n".join([
        "ที่ กบข. 130/13255 กองทุนบำเหน็จบำนาญข้าราชการ", "เรื่อง แจ้งผลการบันทึกข้อมูลผู้รับผลประโยชน์",
        "เรียน นายสมชาย ใจดี", "ลำดับ ชื่อ - สกุล ผู้รับผลประโยชน์ ความสัมพันธ์ สัดส่วน",
        "1 นางอัญชลี", "บุญประเสริฐ คู่สมรส 50%", "2 นายบุญมา ใจดี บิดา 50%",
        "(นายสมชาย มั่นคง)", "ผู้อำนวยการฝ่ายทะเบียนสมาชิก"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the letter is his alone: his wife's record does not get it
    assert u.link == "linked" and u.citizen_ids == [SOMCHAI]


def _files_somchai_alone(catalog: Catalog, *rows: str) -> bool:
    """Whether a committee order in Somchai's folder, his row first and then these rows, is
    linked to him alone."""
    u = _understand(catalog, _destruction_committee("1 นายสมชาย ใจดี ครู ประธานกรรมการ", *rows),
                    folder=SOMCHAI)
    return u.link == "linked" and u.citizen_ids == [SOMCHAI]


def test_a_stranger_who_shares_only_a_registered_surname_is_told_apart_by_edits(
        tmp_path: Path) -> None:
    # GIVEN a committee order in Somchai's folder whose second row names นายณรงค์ฤทธิ์
    # เหลาสุวรรณ: the long surname is registered (นายธนพล เหลาสุวรรณ's, a short first name),
    # so the row's letters hold most of his name, but the name read is far more than OCR's
    # edits from it
    lao = cid("310170020350")
    catalog = catalog_with_registry(tmp_path, [*DISTINCT, (lao, "นาย", "ธนพล", "เหลาสุวรรณ")])
    # THEN in a registry of distinct names the row is a stranger's: the order is Somchai's
    assert _files_somchai_alone(catalog, "2 นายณรงค์ฤทธิ์ เหลาสุวรรณ ครู กรรมการ")
    # AND no row that may be a registered person's is a stranger's: the name with its first
    # name cut short (a line ended there) and the surname whole, split by OCR in the wrong
    # place, or run into its title
    for row in ("2 นายธน เหลาสุวรรณ ครู กรรมการ", "2 นายธีร ประเสริฐศรี ครู กรรมการ",
                "2 นายธนพลเห ลาสุวรรณ ครู กรรมการ", "2 นายธนพลเหลาสุวรรณ ครู กรรมการ"):
        assert not _files_somchai_alone(catalog, row), row


def test_a_row_whose_name_ocr_split_past_reading_is_judged_by_its_letters(
        tmp_path: Path) -> None:
    # GIVEN a committee order in Somchai's folder whose second row's name OCR split so that
    # no name is read there ("นางวิไลวรร ณ ประเสริฐศรี"): a stranger's
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    # THEN the title opening the row and the letters after it are judged as a name read:
    # they hold no registered name, so the row is a stranger's and the order is Somchai's
    assert _files_somchai_alone(catalog, "2 นางวิไลวรร ณ ประเสริฐศรี ครู กรรมการ")
    # AND a registered name split the same way is no stranger's: the order waits
    assert not _files_somchai_alone(catalog, "2 นางอัญช ลี บุญประเสริฐ ครู กรรมการ")
    # AND so does a row whose title stands before one word only (the surname lost, or the
    # next cell's words): it may be anyone's
    assert not _files_somchai_alone(catalog, "2 นางอัญชลี", "ครู กรรมการ")


def test_an_id_reading_that_names_one_person_never_supports_anothers_name(
        tmp_path: Path) -> None:
    # GIVEN a fingerprinting notice in Somchai's folder: his row, Arunee's (her ID read with a
    # digit OCR could not make out), and a new recruit's who bears a registered teacher's
    # name (นายภูวดล นาคประเสริฐ) but works at another school; that teacher's ID differs from
    # Arunee's only where Thai OCR reads ๔, ๕ and ๘ alike, so her damaged reading also fits his
    arunee, phuwadon = cid("355518550155"), cid("388518550155")
    catalog = catalog_with_registry(tmp_path, [
        *PERSONS, (arunee, "นาง", "อรุณี", "แก้วใส"),
        (phuwadon, "นาย", "ภูวดล", "นาคประเสริฐ", "โรงเรียนบ้านท่าช้าง"),
        (cid("310170020348"), "นาย", "ยุทธนา", "พรหมวงศ์", "โรงเรียนบ้านโคกสูง")])
    reading = dashed(arunee, thai=True)
    text = "\n".join([
        "ประกาศสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "เรื่อง กำหนดวัน เวลา และสถานที่พิมพ์ลายนิ้วมือเพื่อตรวจสอบประวัติบุคคล",
        "จึงให้ผู้มีรายชื่อต่อไปนี้ไปพิมพ์ลายนิ้วมือตามรอบที่กำหนด",
        "ที่ ชื่อ - สกุล เลขประจำตัวสอบ / เลขประจำตัวประชาชน กรณี / สถานศึกษา",
        f"1 นายสมชาย ใจดี {dashed(SOMCHAI, thai=True)} รับย้าย {UNIT}",
        f"2 นางอรุณี แก้วใส {reading[:2]}ญ{reading[3:]} รับโอน {UNIT}",
        "3 นายภูวดล นาคประเสริฐ ๕๒๑๕๕ บรรจุใหม่ โรงเรียนบ้านโคกสูง",
        "ประกาศ ณ วันที่ 10 พฤศจิกายน พ.ศ. 2567", "(นางสาวปวีณา วงศ์สวัสดิ์)",
        "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"])
    u = _understand(catalog, text, folder=SOMCHAI)
    # THEN the reading is Arunee's, who is named beside it; it does not support the
    # registered Phuwadon, whom only a name (at another school) ties to the paper
    assert arunee in u.citizen_ids
    assert "citizen_id_with_name" not in _kinds(u, phuwadon)
    assert not (u.link == "linked" and phuwadon in u.citizen_ids)


def _cadets(*rows: str) -> str:
    """The army's order granting reserve ranks to the universities' cadets."""
    return "\n".join([
        "คำสั่งกองทัพบก (เฉพาะ)", "ที่ 97/2563", "เรื่อง แต่งตั้งยศทหารกองหนุน (นักศึกษาวิชาทหาร)",
        "อาศัยอำนาจตามความในพระราชบัญญัติยศทหาร พ.ศ. 2479 จึงแต่งตั้งยศทหารกองหนุน ดังนี้",
        "ลำดับ ชื่อ - ชื่อสกุล สถานศึกษา หน่วยต้นสังกัดกองหนุน", "ให้เป็น ว่าที่ร้อยตรี", *rows,
        "สั่ง ณ วันที่ 1 กุมภาพันธ์ พ.ศ. 2563", "(พลเอกอภิสิทธิ์ แก้วมณี)", "ผู้บัญชาการทหารบก"])


def test_a_whole_registered_name_among_strangers_on_a_list_proves_no_one_alone(
        tmp_path: Path) -> None:
    # GIVEN the cadets' order in Somchai's folder: his row, a cadet's whose name is far from
    # every registered one, and one bearing the whole name of a registered teacher (บุญเลิศ
    # ศรีบุญเรือง), unique in a registry of distinct names
    catalog = catalog_with_registry(tmp_path, DISTINCT)
    boonlert = DISTINCT[5][0]
    rows = ("1 นายสมชาย ใจดี มหาวิทยาลัยขอนแก่น ร.8 พัน.1",
            "2 นายเกรียงไกร ทับทิมทอง มหาวิทยาลัยบูรพา ร.6 พัน.2",
            "3 นายบุญเลิศ ศรีบุญเรือง มหาวิทยาลัยเชียงใหม่ ช.3 พัน.3")
    u = _understand(catalog, _cadets(*rows), folder=SOMCHAI)
    # THEN the list mixes strangers in: his name alone does not file the order to him
    assert not (u.link == "linked" and boonlert in u.citizen_ids)
    # AND on a list of registered names only, the same whole name still proves its person
    alone = _understand(catalog, _cadets(rows[0], "2" + rows[2][1:]), folder=SOMCHAI)
    assert alone.link == "linked" and sorted(alone.citizen_ids) == sorted([SOMCHAI, boonlert])


def _reporting_summary(*rows: str) -> str:
    """A personnel group's memo on which appointees reported for duty at their schools."""
    return "\n".join([
        "บันทึกข้อความ", "ส่วนราชการ กลุ่มบริหารงานบุคคล สพป.ขอนแก่น เขต 1",
        "ที่ ศธ 04041/350 วันที่ 10 ตุลาคม พ.ศ. 2567",
        "เรื่อง รายงานผลการรายงานตัวของผู้ได้รับการบรรจุและแต่งตั้ง",
        "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "ตามคำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1 ที่ 1520/2567 ได้บรรจุและแต่งตั้ง"
        "ผู้สอบแข่งขันได้เข้ารับราชการเป็นข้าราชการครู ตำแหน่งครูผู้ช่วย รายละเอียดดังนี้",
        "ที่ ชื่อ - ชื่อสกุล สถานศึกษาที่บรรจุ วันที่รายงานตัว หมายเหตุ", *rows,
        "จึงเรียนมาเพื่อโปรดทราบ และพิจารณาอนุมัติให้เรียกผู้สอบแข่งขันได้ในลำดับถัดไป",
        "(นายวีระพงษ์ ใจงาม)", "ผู้อำนวยการกลุ่มบริหารงานบุคคล"])


def test_who_waived_an_appointment_is_no_registry_person_on_its_roll(tmp_path: Path) -> None:
    # GIVEN the memo in Somchai's folder: he and Supaporn reported for duty, a third
    # appointee, a name the registry does not know, waived the appointment
    catalog = catalog_with_registry(tmp_path)
    rows = (f"1 นายสมชาย ใจดี {UNIT} 1 ต.ค. 2567 รายงานตัวแล้ว",
            f"2 นางสาวสุภาพร ศรีสุข {UNIT} 1 ต.ค. 2567 รายงานตัวแล้ว",
            "3 นายเกรียงไกร ทับทิมทอง โรงเรียนบ้านโนนทอง - สละสิทธิ์ (ไม่มารายงานตัวภายในกำหนด)")
    u = _understand(catalog, _reporting_summary(*rows), folder=SOMCHAI)
    # THEN the one who waived was never appointed, so no record misses the memo: it is filed
    # to the two who reported (an unknown name on a roll of appointees otherwise waits)
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    unknown = _understand(catalog, _reporting_summary(
        *rows[:2], f"3 นายเกรียงไกร ทับทิมทอง {UNIT} 1 ต.ค. 2567 รายงานตัวแล้ว"), folder=SOMCHAI)
    assert unknown.link == "needs_review"
    # AND a registered name on the row of one who waived is not filed by the roll: the name
    # may be a stranger's who shares it
    namesake = (*rows[:2], "3 นายวิชัย มั่นคง โรงเรียนบ้านโนนทอง - สละสิทธิ์")
    waived = _understand(catalog, _reporting_summary(*namesake), folder=SOMCHAI)
    assert not (waived.link == "linked" and WICHAI in waived.citizen_ids)


_KANJANA_NAK = cid("356780099881")  # นางกาญจนา นาคสวัสดิ์: a second registered กาญจนา
_CHECKPOINT_TEACHERS = (f"1 จุดตรวจทางหลวง 16 นายสมชาย ใจดี ครู {UNIT}",
                        f"2 จุดตรวจทางหลวง 16 นางสาวสุภาพร ศรีสุข ครู {UNIT}")


def test_a_strangers_row_ocr_ran_into_the_row_above_still_does_not_hold_the_list_back(
        tmp_path: Path) -> None:
    # GIVEN a duty roster in Somchai's folder whose fourth row's number OCR misread ("ญ"), so
    # the row ran into the third: a volunteer, then a stranger who shares a registered first
    # name and whose surname is near that registered person's (นาคประเสริฐ, นาคสวัสดิ์)
    catalog = catalog_with_registry(
        tmp_path, [*PERSONS, (_KANJANA_NAK, "นาง", "กาญจนา", "นาคสวัสดิ์")])
    rows = (*_CHECKPOINT_TEACHERS, "3 จุดบริการประชาชน นายเอกพงษ์ จิตรประเวศ ครูชำนาญการ",
            "ญ 16 นางกาญจนา นาคประเสริฐ ครูชำนาญการ")
    u = _understand(catalog, _roster(*rows), folder=SOMCHAI)
    # THEN the name after the misread number opens a row of its own, a stranger's: the two
    # teachers are filed, and no กาญจนา
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])


def test_a_registered_name_ocr_cut_or_split_is_no_strangers_where_strangers_are_told(
        tmp_path: Path) -> None:
    # GIVEN a duty roster in Somchai's folder, and a registry of distinct names, where a name
    # far from every registered one is a stranger's
    catalog = catalog_with_registry(tmp_path)
    stranger = "3 จุดบริการประชาชน นางกาญจนา เพียรทองหล่อ ครูชำนาญการ"
    assert _understand(catalog, _roster(*_CHECKPOINT_TEACHERS, stranger),
                       folder=SOMCHAI).link == "linked"
    # THEN Kanjana ทองคำ's row is no stranger's however OCR cut or split her name: her first
    # name split in two with the surname wrapped past the next column, her surname split
    # after a letter, her title's สาว misread into her first name over a line of garbage
    for row in ("3 จุดบริการประชาชน นางกาญ จนา ครูชำนาญการ\nองคำ",
                "3 จุดบริการประชาชน นางกาญจนา ท ครูชำนาญการ\nองคำ",
                "3\nนาง ศาวกาญจนา\nIad\nทองคำ ครูชำนาญการ"):
        u = _understand(catalog, _roster(*_CHECKPOINT_TEACHERS, row), folder=SOMCHAI)
        assert u.link == "needs_review" or KANJANA in u.citizen_ids, row
    # AND a letter that opens her surname proves nothing where the rest of the line says
    # otherwise ("ท งอรุณ"): a stranger's row
    other = (*_CHECKPOINT_TEACHERS, "3 นางกาญจนา ท งอรุณ ครูชำนาญการ")
    assert _understand(catalog, _roster(*other), folder=SOMCHAI).link == "linked"


def test_a_namesakes_unit_on_another_persons_row_is_no_evidence_of_them(tmp_path: Path) -> None:
    # GIVEN two registered นางกาญจนา ทองคำ, at two schools, and an order whose row for
    # Somchai names his school (the second Kanjana's too) while Kanjana's row names none
    other = "โรงเรียนบ้านโคกสูง"
    catalog = catalog_with_registry(tmp_path, [
        (SOMCHAI, "นาย", "สมชาย", "ใจดี", other), *PERSONS[1:],
        (_KANJANA_NAK, "นาง", "กาญจนา", "ทองคำ", other)])
    text = appointment_order(f"1 นายสมชาย ใจดี ครูผู้ช่วย {other}", "2 นางกาญจนา ทองคำ ครูผู้ช่วย")
    # THEN in the first Kanjana's folder the page points to no other Kanjana: the folder
    # tells them apart, and the order is hers
    u = _understand(catalog, text, folder=KANJANA)
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, KANJANA])
    # AND unsorted, nothing tells them apart: it waits for a person
    assert _understand(catalog, text, folder=None).link == "needs_review"


def test_a_strangers_name_under_a_title_ocr_spaced_apart_is_still_read_with_its_surname(
        tmp_path: Path) -> None:
    # GIVEN a duty roster in Somchai's folder whose third row's title OCR broke ("ว่าที่ ร.ต .")
    # and whose surname wrapped onto the next line: a stranger, far from every registered name
    catalog = catalog_with_registry(tmp_path)
    rows = (*_CHECKPOINT_TEACHERS, "3 ว่าที่ ร.ต .เอกพงษ์", "จิตรประเวศ จุดบริการประชาชน ครูชำนาญการ")
    u = _understand(catalog, _roster(*rows), folder=SOMCHAI)
    # THEN the first name and the wrapped surname are read as the row's name, a stranger's:
    # the teachers are filed
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    # AND a wrapped line that opens with a cell's words is no surname: the row waits
    lost = (*_CHECKPOINT_TEACHERS, "3 ว่าที่ ร.ต .กาญจนา", f"ครู {UNIT}")
    assert _understand(catalog, _roster(*lost), folder=SOMCHAI).link == "needs_review"


def _red_cross_fair(*rows: str) -> str:
    """A province's order setting up its red-cross fair's committees: teachers beside the
    province's officials."""
    return "\n".join([
        "คำสั่งจังหวัดขอนแก่น", "ที่ 515/2567",
        "เรื่อง แต่งตั้งคณะกรรมการดำเนินงานจัดงานกาชาดจังหวัดขอนแก่น ประจำปี 2568",
        "จึงแต่งตั้งคณะกรรมการดำเนินงาน ดังนี้", "คณะกรรมการฝ่ายการแสดงบนเวที",
        f"1) นายสมชาย ใจดี ครู {UNIT} กรรมการ", f"2) นางสาวสุภาพร ศรีสุข ครู {UNIT} กรรมการ", *rows,
        "สั่ง ณ วันที่ 2 ธันวาคม พ.ศ. 2567", "(นายปิยะพงษ์ ธรรมรักษ์)", "ผู้ว่าราชการจังหวัดขอนแก่น"])


def test_a_provinces_official_on_a_committee_is_a_stranger_even_if_the_name_is_near(
        tmp_path: Path) -> None:
    # GIVEN a red-cross fair's committee in Somchai's folder: two teachers, and the deputy
    # governor's officer whose name comes within OCR's edits of Somchai's (ใจงาม, ใจดี)
    catalog = catalog_with_registry(tmp_path)
    official = "3) นายสมชาย ใจงาม ปลัดจังหวัดขอนแก่น กรรมการ"
    u = _understand(catalog, _red_cross_fair(official), folder=SOMCHAI)
    # THEN the row says its person is the province's, no teacher: it holds nothing back
    assert u.link == "linked" and sorted(u.citizen_ids) == sorted([SOMCHAI, SUPAPORN])
    # AND the same near name on a teacher's row may be Somchai damaged: it waits
    teacher = "3) นายสมชาย ใจงาม ครู โรงเรียนบ้านโคกสูง กรรมการ"
    assert _understand(catalog, _red_cross_fair(teacher), folder=SOMCHAI).link == "needs_review"
