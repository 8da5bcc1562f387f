"""Search keys: what OCR damages and Thai writing varies must fold to the same key."""

from __future__ import annotations

import re

import pytest

from search.normalize import (
    QueryTooShort,
    digit_variants,
    key_pattern,
    plan_query,
    search_key,
    strip_title,
)


@pytest.mark.parametrize("damaged", [
    "ผู้อำนวยการโรงเรียน",
    "ผูอำนวยการโรงเรียน",  # tone mark dropped
    "ผู้อํานวยการโรงเรียน",  # sara am split into nikhahit + sara aa
    "ผู้ อำนวย การ โรง เรียน",  # spaces between words
    "ผู้อำนวยการ\nโรงเรียน",  # a line break inside the phrase
    "ผู้อำนวยการโรง\u200bเรียน",  # a zero-width space
])
def test_ocr_damage_folds_to_the_clean_key(damaged: str) -> None:
    assert search_key(damaged) == search_key("ผู้อำนวยการโรงเรียน")


def test_thai_and_arabic_digits_give_one_key_and_numbers_stay_whole() -> None:
    assert search_key("ที่ ๑๒๓/๒๕๖๗") == search_key("ที่ 123/2567") == "ที#123#/#2567#"
    assert search_key("1-2345-67890-12-1") == search_key("๑ ๒๓๔๕ ๖๗๘๙๐ ๑๒ ๑") == "#1234567890121#"
    assert search_key("15,800 บาท") == "#15800#บาท"


def test_a_title_is_stripped_only_before_a_name() -> None:
    assert strip_title(search_key("นางสาวสุภาพร")) == "สุภาพร"
    assert strip_title(search_key("นายสมชาย")) == "สมชาย"
    assert strip_title(search_key("นาย")) == "นาย"
    assert strip_title(search_key("นายก")) == "นายก"  # too short to be a name


def test_a_query_plan_reads_names_order_refs_and_citizen_ids() -> None:
    plan = plan_query("นางสาวสุภาพร  ศรีสุข")
    # GIVEN a name with its title: the title is not required, the phrase keeps it
    assert plan.terms == ("สุภาพร", "ศรีสุข")
    assert plan.phrase == "นางสาวสุภาพรศรีสุข"
    ref = plan_query("คำสั่งที่ ๑๒๓/๒๕๖๗")
    assert "#123#/#2567#" in ref.identifiers
    assert "#125#/#2567#" in ref.variants and "#123#/#2567#" not in ref.variants


def test_a_valid_citizen_id_is_an_identifier() -> None:
    assert plan_query("1-0000-00000-01-7").identifiers == ("#1000000000017#",)


@pytest.mark.parametrize("query", ["ก", " ", "่", "-"])
def test_queries_shorter_than_two_characters_are_refused(query: str) -> None:
    with pytest.raises(QueryTooShort):
        plan_query(query)


def test_two_character_thai_queries_are_read() -> None:
    assert plan_query("ปู่").phrase == "ปู"
    assert plan_query("นา").phrase == "นา"


def test_digit_variants_change_one_confusable_digit() -> None:
    variants = digit_variants("#123#")
    assert "#125#" in variants and "#128#" in variants and "#163#" in variants
    assert all(sum(a != b for a, b in zip(v, "#123#", strict=True)) == 1 for v in variants)
    assert digit_variants("#147#") == []


def test_key_patterns_find_keys_in_the_text_people_read() -> None:
    text = "ตามคำสั่ง ที่ ๑๒๓ / ๒๕๖๗ ผู้อํานวยการโรง เรียน ๕๑๑/๒๕๖๐"
    def found(query: str) -> str | None:
        m = re.search(key_pattern(search_key(query)), text)
        return text[m.start():m.end()] if m else None
    assert found("123/2567") == "๑๒๓ / ๒๕๖๗"
    assert found("ผูอำนวยการโรงเรียน") == "ผู้อํานวยการโรง เรียน"
    assert found("11/2560") is None  # numbers are whole


def test_a_title_written_apart_is_not_required() -> None:
    plan = plan_query("ว่าที่ร้อยตรีหญิง สุนิสา พิมพ์ทอง")
    assert plan.terms == ("สุนิสา", "พิมพทอง")
    assert plan.phrase == "วาทีรอยตรีหญิงสุนิสาพิมพทอง"
    assert plan_query("นาย").terms == ("นาย",)
