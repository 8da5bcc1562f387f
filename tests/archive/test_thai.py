"""Thai text handling: digits, citizen IDs, Buddhist-Era dates, order references, OCR clean-up."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.thai import (
    THAI_DIGITS,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    OrderRef,
    ThaiTextError,
    be_to_ce,
    ce_to_be,
    citizen_id_check_digit,
    clean_ocr_text,
    find_order_refs,
    fold_digits,
    format_citizen_id,
    format_order_ref,
    format_thai_date,
    is_valid_citizen_id,
    normalize_for_search,
    normalize_order_ref,
    parse_citizen_id,
    parse_date_field,
    parse_order_ref,
    parse_thai_date,
    to_thai_digits,
)

# A real-format ID whose check digit is worked by hand:
# 1·13 + 1·12 + 0·11 + 0·10 + 7·9 + 0·8 + 0·7 + 2·6 + 5·5 + 2·4 + 3·3 + 1·2 = 144;
# 144 mod 11 = 1; (11 - 1) mod 10 = 0.
VALID_ID = "1100700252310"


# --- digits ----------------------------------------------------------------------------------


def test_fold_digits_turns_thai_digits_into_arabic_and_leaves_the_rest() -> None:
    # GIVEN text mixing Thai digits, Arabic digits and letters
    text = "ที่ ๑๒๓/2567 ข้อ ๙"
    # WHEN the digits are folded
    folded = fold_digits(text)
    # THEN only the Thai digits changed
    assert folded == "ที่ 123/2567 ข้อ 9"


def test_to_thai_digits_writes_every_arabic_digit_in_thai() -> None:
    assert to_thai_digits("0123456789 ก.พ.") == THAI_DIGITS + " ก.พ."


@given(st.text(alphabet="0123456789", max_size=30))
def test_folding_thai_digits_gives_back_the_arabic_string(digits: str) -> None:
    assert fold_digits(to_thai_digits(digits)) == digits


# --- citizen IDs -----------------------------------------------------------------------------


def test_check_digit_follows_the_mod_11_rule() -> None:
    assert citizen_id_check_digit(VALID_ID[:12]) == 0
    assert citizen_id_check_digit(to_thai_digits(VALID_ID[:12])) == 0


def test_check_digit_needs_twelve_digits() -> None:
    with pytest.raises(ThaiTextError, match="12 digits"):
        citizen_id_check_digit("123")


@pytest.mark.parametrize(
    "written",
    [
        "1100700252310",
        "1-1007-00252-31-0",
        "1 1007 00252 31 0",
        "1.1007.00252.31.0",
        "๑๑๐๐๗๐๐๒๕๒๓๑๐",
        "๑-๑๐๐๗-๐๐๒๕๒-๓๑-๐",
        "  1-1007-0025231-0 ",
    ],
)
def test_parse_citizen_id_accepts_the_ways_people_write_it(written: str) -> None:
    # GIVEN a valid ID written with Thai or Arabic digits and separators
    # WHEN it is parsed
    # THEN the result is the 13 Arabic digits
    assert parse_citizen_id(written) == VALID_ID
    assert is_valid_citizen_id(written)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "empty"),
        ("110070025231", "has 12 digits"),
        ("11007002523100", "has 14 digits"),
        ("11007002523x0", "contains 'x'"),
        ("1100700252311", "require 0"),
    ],
)
def test_parse_citizen_id_explains_what_is_wrong(written: str, message: str) -> None:
    # GIVEN a citizen ID with a mistake in it
    # WHEN it is parsed
    # THEN the error says what is wrong (and, for a check digit, which digit was expected)
    with pytest.raises(ThaiTextError, match=message):
        parse_citizen_id(written)
    assert not is_valid_citizen_id(written)


def test_format_citizen_id_groups_digits_like_the_id_card() -> None:
    assert format_citizen_id(VALID_ID) == "1-1007-00252-31-0"
    assert format_citizen_id(VALID_ID, thai_digits=True) == "๑-๑๐๐๗-๐๐๒๕๒-๓๑-๐"


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.booleans())
def test_any_formatted_citizen_id_parses_back(first12: str, thai_digits: bool) -> None:
    # GIVEN a generated valid ID
    cid = first12 + str(citizen_id_check_digit(first12))
    # WHEN it is formatted with either digit kind
    written = format_citizen_id(cid, thai_digits=thai_digits)
    # THEN parsing gives the same 13 digits
    assert parse_citizen_id(written) == cid


# --- Buddhist Era dates ----------------------------------------------------------------------


def test_buddhist_era_is_christian_era_plus_543() -> None:
    assert ce_to_be(1987) == 2530
    assert be_to_ce(2567) == 2024


def test_month_tables_have_twelve_full_and_abbreviated_names() -> None:
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == 12
    assert THAI_MONTHS[2] == "มีนาคม"
    assert THAI_MONTHS_ABBR[2] == "มี.ค."


@pytest.mark.parametrize(
    "written",
    [
        "๒๗ มีนาคม ๒๕๓๐",
        "27 มีนาคม 2530",
        "27 มี.ค. 2530",
        "27 มี.ค.2530",
        "27 มี.ค.30",
        "27 มีค 2530",
        "27 มี. ค. 2530",
        "27มีค30",
        "วันที่ ๒๗ เดือน มีนาคม พ.ศ. ๒๕๓๐",
        "วันที่ 27 มีนาคม พ.ศ.2530",
        "วันศุกร์ที่ ๒๗ มีนาคม ๒๕๓๐",
        "ลงวันที่ ๒๗ มี.ค. ๒๕๓๐",
        "27 มีนา 30",
        "27 มีนาคม ค.ศ. 1987",
    ],
)
def test_parse_thai_date_reads_dates_as_thai_documents_write_them(written: str) -> None:
    assert parse_thai_date(written) == date(1987, 3, 27)


def test_parse_thai_date_knows_every_month_by_every_name() -> None:
    for number, (full, abbr) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_ABBR, strict=True), 1):
        assert parse_thai_date(f"1 {full} 2567") == date(2024, number, 1)
        assert parse_thai_date(f"1 {abbr} 2567") == date(2024, number, 1)
        assert parse_thai_date(f"1 {abbr.replace('.', '')} 67") == date(2024, number, 1)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("31 ก.พ. 2567", "not a real date.*29 days"),
        ("29 กุมภาพันธ์ 2566", "not a real date.*28 days"),
        ("31 เมษายน 2567", "30 days"),
        ("27 มีนาคม 1987", "Christian Era"),
        ("27 มีนาค 2530", "month"),
        ("มีนาคม 2530", "cannot read"),
        ("27 มีนาคม 253", "year"),
        ("", "cannot read"),
    ],
)
def test_parse_thai_date_rejects_impossible_or_unreadable_dates(written: str, message: str) -> None:
    with pytest.raises(ThaiTextError, match=message):
        parse_thai_date(written)


def test_format_thai_date_writes_full_or_abbreviated_months() -> None:
    day = date(1987, 3, 27)
    assert format_thai_date(day) == "๒๗ มีนาคม ๒๕๓๐"
    assert format_thai_date(day, abbreviated=True) == "๒๗ มี.ค. ๒๕๓๐"
    assert format_thai_date(day, thai_digits=False) == "27 มีนาคม 2530"


@given(
    st.dates(min_value=date(be_to_ce(2400), 1, 1), max_value=date(be_to_ce(2700), 12, 31)),
    st.booleans(),
    st.booleans(),
)
def test_formatted_thai_dates_parse_back(day: date, abbreviated: bool, thai_digits: bool) -> None:
    written = format_thai_date(day, abbreviated=abbreviated, thai_digits=thai_digits)
    assert parse_thai_date(written) == day


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1987-03-27", date(1987, 3, 27)),
        ("27/3/2530", date(1987, 3, 27)),
        ("27/03/2530", date(1987, 3, 27)),
        ("๒๗/๓/๒๕๓๐", date(1987, 3, 27)),
        ("๑๙๘๗-๐๓-๒๗", date(1987, 3, 27)),
        (" 1/10/2530 ", date(1987, 10, 1)),
        ("29/2/2567", date(2024, 2, 29)),
        ("27 มี.ค. 2530", date(1987, 3, 27)),
        ("๒๗ มีนาคม ๒๕๓๐", date(1987, 3, 27)),
    ],
)
def test_parse_date_field_reads_every_csv_form(written: str, expected: date) -> None:
    assert parse_date_field(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "cannot read"),
        ("1987/03/27", "cannot read"),
        ("27-03-2530", "cannot read"),
        ("2567-02-30", "not a real date"),
        ("30/2/2567", "not a real date"),
        ("29/2/2566", "28 days"),
        ("1/13/2530", "no month 13"),
        ("27/3/1987", "must be Buddhist Era"),
        ("27/3/30", "4 digits"),
        ("2530-03-27", "looks like a Buddhist Era year"),
    ],
)
def test_parse_date_field_rejects_bad_dates_with_a_reason(written: str, message: str) -> None:
    # GIVEN a CSV date field a user got wrong
    # WHEN it is read
    # THEN the error tells them what is wrong
    with pytest.raises(ThaiTextError, match=message):
        parse_date_field(written)


# --- order references ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["๑๒๓/๒๕๖๗", "123/2567", "ที่ ๑๒๓/๒๕๖๗", "ที่ 123 / 2567", "0123/2567", "ที่123/2567"]
)
def test_parse_order_ref_reads_the_usual_forms(written: str) -> None:
    assert parse_order_ref(written) == OrderRef("123", 2567)
    assert normalize_order_ref(written) == "123/2567"


def test_order_ref_drops_leading_zeros_and_prints_number_slash_year() -> None:
    ref = parse_order_ref("0012/2567")
    assert str(ref) == "12/2567"
    assert format_order_ref(ref) == "๑๒/๒๕๖๗"
    assert format_order_ref(ref, thai_digits=False) == "12/2567"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("ศธ 123/2567", "letters"),
        ("123/67", "4-digit"),
        ("123/1987", "Christian Era"),
        ("0/2567", "numbering starts at 1"),
        ("123", "cannot read"),
        ("", "cannot read"),
    ],
)
def test_parse_order_ref_rejects_what_it_cannot_read(written: str, message: str) -> None:
    with pytest.raises(ThaiTextError, match=message):
        parse_order_ref(written)


@given(st.integers(min_value=1, max_value=999_999), st.integers(2400, 2700), st.booleans())
def test_formatted_order_refs_parse_back(number: int, year: int, thai_digits: bool) -> None:
    ref = OrderRef(str(number), year)
    assert parse_order_ref(format_order_ref(ref, thai_digits=thai_digits)) == ref


def test_find_order_refs_picks_orders_out_of_running_text() -> None:
    # GIVEN running text with orders, a slash date, a letter number and a CE "year"
    text = (
        "ตามคำสั่งสำนักงานเขตพื้นที่การศึกษา ที่ ๑๒๓/๒๕๖๗ ลงวันที่ ๒๗/๓/๒๕๖๗ "
        "และคำสั่งที่45/2566 (หนังสือ ที่ ศธ ๐๒๐๖.๒/๖๔, ที่ ว12/2567) "
        "อ้างถึงคำสั่ง 7 / 2560 และ ๑๒๓/๒๕๖๗ อีกครั้ง ข้อ 5/1987"
    )
    # WHEN order references are searched for
    refs = find_order_refs(text)
    # THEN each real order comes out once, in order
    assert refs == [OrderRef("123", 2567), OrderRef("45", 2566), OrderRef("7", 2560)]


# --- OCR clean-up ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("ส\u0e4d\u0e32นักงาน", "สำนักงาน"),
        ("ส\u0e4d \u0e32นักงาน", "สำนักงาน"),
        ("ค\u0e4d\u0e48\u0e32", "ค\u0e48\u0e33"),
        ("ค\u0e48\u0e4d\u0e32", "ค\u0e48\u0e33"),
        ("\u0e40\u0e40ก้ไข", "แก้ไข"),
        ("ก\u0e48\u0e34น", "ก\u0e34\u0e48น"),
        ("ทะเบียน\u200bประวัติ\ufeff", "ทะเบียนประวัติ"),
        ("ท ี่ ๑๒๓", "ที่ ๑๒๓"),
        ("เ ลข ที่", "เลข ที่"),
        ("น า ย ส ม ช า ย ใ จ ด ี", "นายสมชายใจดี"),
        (
            "ค ำ ส ั่ ง ส ำ น ั ก ง า น เ ข ต พ ื้ น ท ี่ ก า ร ศ ึ ก ษ า",
            "คำสั่งสำนักงานเขตพื้นที่การศึกษา",
        ),
        ("ต ่ า ง ๆ น า น า ม า ก", "ต่าง ๆ นานามาก"),
    ],
)
def test_clean_ocr_text_repairs_what_ocr_breaks(ocr: str, expected: str) -> None:
    assert clean_ocr_text(ocr) == expected


@pytest.mark.parametrize(
    "normal",
    [
        "นาย สมชาย ใจดี",
        "นาย ก",
        "ตามคำสั่ง ที่ ๑๒๓/๒๕๖๗ ลงวันที่ ๑ มกราคม ๒๕๖๗",
        "ต่าง ๆ นานา",
        "ชื่อ สกุล ตำแหน่ง เลขที่",
        "ทะเบียนประวัติ ก.ค.ศ. ๑๖",
    ],
)
def test_clean_ocr_text_keeps_the_word_spaces_of_normal_thai(normal: str) -> None:
    assert clean_ocr_text(normal) == normal


def test_clean_ocr_text_keeps_lines_and_pages_and_tidies_whitespace() -> None:
    # GIVEN two OCR'd pages with tabs, runs of spaces and padded lines
    text = "  หน้า\tหนึ่ง  ๑  \r\nบรรทัด   สอง \fหน้า สอง\n"
    # WHEN cleaned
    cleaned = clean_ocr_text(text)
    # THEN lines and the page break stay, and the spacing is tidy
    assert cleaned == "หน้า หนึ่ง ๑\nบรรทัด สอง\fหน้า สอง\n"


def test_clean_ocr_text_judges_a_short_line_by_its_spaced_out_page() -> None:
    # GIVEN a page whose long line is spaced out glyph by glyph, and a short line
    page = "ค ำ ส ั่ ง ส ำ น ั ก ง า น เ ข ต\nน า ย ก"
    # WHEN cleaned
    # THEN the short line is joined too, because the page as a whole is spaced out
    assert clean_ocr_text(page) == "คำสั่งสำนักงานเขต\nนายก"


_OCR_ALPHABET = st.sampled_from(
    list("กขคงจนมยรวสหอะาำเแโใไ")
    + ["\u0e31", "\u0e34", "\u0e35", "\u0e38", "\u0e48", "\u0e49", "\u0e4d", "\u0e45", "ๆ", "ฤ"]
    + list("๑๒3a ") * 3
    + ["\t", "\n", "\f", "\r", "\u200b", "\u00a0"]
)


@given(st.text(alphabet=_OCR_ALPHABET, max_size=80))
def test_clean_ocr_text_is_idempotent(text: str) -> None:
    once = clean_ocr_text(text)
    assert clean_ocr_text(once) == once


def test_normalize_for_search_folds_digits_case_and_ocr_damage() -> None:
    # GIVEN an OCR'd phrase and a typed query for the same thing
    indexed = normalize_for_search("ค\u0e4d\u0e32สั่ง ที่ ๑๒๓/๒๕๖๗ PDF")
    query = normalize_for_search("คำสั่ง ที่ 123/2567 pdf")
    # THEN both fold to the same text
    assert indexed == query == "คำสั่ง ที่ 123/2567 pdf"
