"""The 10-year rule of clause 5.6.2 on its boundaries, as a pure function."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retention.rule import (
    Candidate,
    DocumentShare,
    Verdict,
    assess,
    attribute_documents,
    last_left_date_past_retention,
    past_retention,
    prefilter_before,
    shortest_prefix,
)

LEFT = "left_service"


def test_exactly_ten_years_is_not_eligible_one_day_more_is() -> None:
    # GIVEN an owner who left service on 15 June 2015
    left = date(2015, 6, 15)
    # THEN on the 10th anniversary the record is kept, the day after it may be destroyed
    assert assess(LEFT, left, date(2025, 6, 15), held=False) is Verdict.NOT_APPLICABLE
    assert assess(LEFT, left, date(2025, 6, 16), held=False) is Verdict.ELIGIBLE
    assert assess(LEFT, left, date(2025, 6, 14), held=False) is Verdict.NOT_APPLICABLE


def test_leaving_on_29_february_counts_the_anniversary_as_28_february() -> None:
    # GIVEN an owner who left on 29 February 2016 (the 10th anniversary year 2026 is common)
    left = date(2016, 2, 29)
    # THEN 28 February 2026 is the anniversary: not yet; 1 March 2026 is after it
    assert not past_retention(left, date(2026, 2, 28))
    assert past_retention(left, date(2026, 3, 1))
    assert assess(LEFT, left, date(2026, 3, 1), held=False) is Verdict.ELIGIBLE


def test_leaving_on_28_february_before_a_leap_anniversary() -> None:
    # GIVEN an owner who left on 28 Feb 2014: the anniversary 28 Feb 2024 is in a leap year
    left = date(2014, 2, 28)
    assert not past_retention(left, date(2024, 2, 28))
    assert past_retention(left, date(2024, 2, 29))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("left_service", Verdict.ELIGIBLE),
        ("suspended", Verdict.SUSPENDED),
        ("ordered_out_pending", Verdict.ORDERED_OUT_PENDING),
        ("transferred_out", Verdict.NOT_APPLICABLE),
        ("active", Verdict.NOT_APPLICABLE),
    ],
)
def test_only_owners_who_left_service_are_eligible(status: str, expected: Verdict) -> None:
    # GIVEN an owner whose date of leaving (or being put out) is 20 years back
    assert assess(status, date(2005, 1, 1), date(2025, 1, 1), held=False) is expected


def test_a_hold_blocks_and_status_is_reported_before_the_hold() -> None:
    as_of, left = date(2025, 1, 1), date(2005, 1, 1)
    assert assess(LEFT, left, as_of, held=True) is Verdict.LEGAL_HOLD
    assert assess("suspended", left, as_of, held=True) is Verdict.SUSPENDED


def test_suspended_within_ten_years_is_not_even_listed_as_excluded() -> None:
    assert assess("suspended", date(2020, 1, 1), date(2025, 1, 1), held=False) is (
        Verdict.NOT_APPLICABLE
    )


def test_unknown_date_of_leaving_is_never_past() -> None:
    assert assess(LEFT, None, date(2099, 1, 1), held=False) is Verdict.NOT_APPLICABLE


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
       st.dates(min_value=date(1960, 1, 1), max_value=date(2100, 12, 31)))
def test_the_sql_cutoff_is_exactly_the_rule(left: date, as_of: date) -> None:
    # The review compares dates with a cutoff instead of calling the rule per owner.
    assert past_retention(left, as_of) == (left <= last_left_date_past_retention(as_of))
    if past_retention(left, as_of):
        assert left < prefilter_before(as_of)


@pytest.mark.parametrize(("as_of", "cutoff"), [
    (date(2026, 1, 26), date(2016, 1, 25)),
    (date(2026, 2, 28), date(2016, 2, 27)),
    (date(2026, 3, 1), date(2016, 2, 29)),  # left 29 Feb 2016: anniversary 28 Feb 2026
    (date(2024, 2, 29), date(2014, 2, 28)),  # a leap-day as-of
])
def test_cutoffs_on_the_leap_day_boundaries(as_of: date, cutoff: date) -> None:
    assert last_left_date_past_retention(as_of) == cutoff


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_eligibility_starts_exactly_the_day_after_the_anniversary(left: date) -> None:
    first = next(left + timedelta(days=d) for d in range(3640, 3700)
                 if past_retention(left, left + timedelta(days=d)))
    assert not past_retention(left, first - timedelta(days=1))
    assert past_retention(left, first + timedelta(days=400))


def _c(pid: int, size: int) -> Candidate:
    return Candidate(pid, f"{pid:013d}", date(2000, 1, pid), bytes=size)


def test_free_bytes_takes_the_shortest_oldest_first_prefix() -> None:
    ordered = [_c(1, 100), _c(2, 50), _c(3, 300), _c(4, 10)]
    assert [c.person_id for c in shortest_prefix(ordered, 100)] == [1]
    assert [c.person_id for c in shortest_prefix(ordered, 101)] == [1, 2]
    assert [c.person_id for c in shortest_prefix(ordered, 150)] == [1, 2]
    assert [c.person_id for c in shortest_prefix(ordered, 151)] == [1, 2, 3]
    assert shortest_prefix(ordered, 0) == []
    # more than everything: all of it, as far as the rule allows
    assert len(shortest_prefix(ordered, 10**9)) == 4


def test_a_shared_document_is_freed_by_its_last_owner_only_if_all_are_listed() -> None:
    # GIVEN owners 1, 2 (listed, in that order) and 9 (not listed)
    docs: list[DocumentShare] = [
        (10, (1,), 1),  # A's own
        (100, (2, 1), 2),  # A and B's
        (1000, (1, 2, 9), 3),  # with 9, who is not listed
        (5, (2,), 2),  # B's, with an owner who is not even a candidate
    ]
    figures = attribute_documents([1, 2], docs)
    # THEN the pair document's bytes go to owner 2, destroyed last; the group document to none
    assert figures[1] == (3, 10, 2)
    assert figures[2] == (3, 100, 2)
