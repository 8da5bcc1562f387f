"""Extraction: citizen IDs, titled names, order references, B.E. dates, Gazette references."""

from __future__ import annotations

from datetime import date

from archive.thai import OrderRef, to_thai_digits
from ingest.understand.extract import extract, has_relative_label, relative_labels
from tests.ingest.understand_support import SOMCHAI, SUPAPORN, dashed


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
