"""Retirement dates (clause 3.2.10), fiscal years and the 10-year anniversary."""

from __future__ import annotations

from datetime import date

import pytest

from archive.domain import (
    CATEGORY_BY_SLUG,
    EVIDENCE_CATEGORIES,
    fiscal_year_be,
    retention_eligible_after,
    retirement_date,
)
from archive.thai import be_to_ce


def be(day: int, month: int, year_be: int) -> date:
    return date(be_to_ce(year_be), month, day)


@pytest.mark.parametrize(
    ("born", "retires"),
    [
        # The handbook's three worked examples (clause 3.2.10).
        (be(27, 3, 2530), be(30, 9, 2590)),
        (be(1, 10, 2530), be(30, 9, 2590)),
        (be(2, 10, 2530), be(30, 9, 2591)),
    ],
)
def test_retirement_date_matches_the_handbook_examples(born: date, retires: date) -> None:
    # GIVEN a birth date from the handbook WHEN retirement is computed THEN it is the handbook's
    assert retirement_date(born) == retires


def test_retirement_of_someone_born_on_29_february() -> None:
    # 60th birthday 29 Feb 2048 (leap); reaches 60 on 28 Feb 2048, so retires 30 Sep 2048.
    assert retirement_date(date(1988, 2, 29)) == date(2048, 9, 30)
    # 60th birthday in a common year falls back to 28 Feb; reached on 27 Feb.
    assert retirement_date(date(1964, 2, 29)) == date(2024, 9, 30)


def test_fiscal_year_starts_on_1_october() -> None:
    assert fiscal_year_be(date(2026, 9, 30)) == 2569
    assert fiscal_year_be(date(2026, 10, 1)) == 2570


def test_tenth_anniversary_of_29_february_is_28_february() -> None:
    assert retention_eligible_after(date(2016, 2, 29)) == date(2026, 2, 28)
    assert retention_eligible_after(date(2015, 6, 1)) == date(2025, 6, 1)


def test_sixteen_categories_with_unique_codes_and_slugs() -> None:
    assert [c.code for c in EVIDENCE_CATEGORIES] == list(range(1, 17))
    assert len(CATEGORY_BY_SLUG) == 16
    assert not CATEGORY_BY_SLUG["appointment"].optional
    assert CATEGORY_BY_SLUG["decorations"].optional
