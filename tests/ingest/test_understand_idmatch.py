"""Whether a run of digits can be a citizen ID at all: its dashes and its length."""

from __future__ import annotations

from ingest.understand.idmatch import could_be_id, dashes_fit_id
from tests.ingest.understand_support import SOMCHAI, dashed


def test_an_ids_dashes_fit_even_with_a_dash_lost_or_a_stand_in_added() -> None:
    assert dashes_fit_id(dashed(SOMCHAI))  # 1-1017-00203-45-x
    assert dashes_fit_id(dashed(SOMCHAI).replace("-", "", 1))  # the first dash lost
    assert dashes_fit_id("ญ " + dashed(SOMCHAI, thai=True))  # a stand-in glyph before it
    assert dashes_fit_id(SOMCHAI)  # no dashes: nothing to go by


def test_a_certificates_or_a_licences_grouping_is_no_id() -> None:
    # GIVEN numbers that other papers print in a list's next column
    for raw in ("6820058-0097", "๖๘๒๐๐ ๕๘-๐๐๙๗ ๕", "64-1-10-0012345"):
        # THEN their dashes cannot be an ID's (1-2345-67890-12-3)
        assert not dashes_fit_id(raw), raw
        assert not could_be_id(raw, raw.replace("-", "").replace(" ", ""), arabic=True)


def test_two_digits_off_an_ids_length_is_another_number() -> None:
    # One digit lost or gained is an OCR slip; two is another kind of number.
    for size, expected in ((11, False), (12, True), (13, True), (14, True), (15, False)):
        digits = (SOMCHAI * 2)[:size]
        assert could_be_id(digits, digits, arabic=False) is expected, size
