"""The destruction review on a real catalog (SQLite and PostgreSQL): order, exclusions, bytes."""

from __future__ import annotations

from datetime import date

import pytest

from archive.archive import Archive
from retention import RetentionError, place_hold, release_hold, run_review
from tests.retention.conftest import RECORDS_MANAGER
from tests.retention.records import add_document, add_person, cid

AS_OF = date(2026, 1, 26)


def _review(archive: Archive, **kw: int) -> dict:
    with archive.catalog.session() as s:
        return run_review(s, as_of=AS_OF, **kw).as_dict()


def test_eligible_oldest_first_then_citizen_id_and_excluded_with_reasons(
    archive: Archive,
) -> None:
    # GIVEN owners who left long ago, recently, or who are suspended, pending, transferred
    with archive.catalog.session() as s:
        add_person(s, cid(5), left_service_on=date(2010, 5, 1))
        add_person(s, cid(4), left_service_on=date(2003, 1, 1), left_reason="died")
        add_person(s, cid(3), left_service_on=date(2010, 5, 1), left_reason="dismissed")
        add_person(s, cid(6), left_service_on=date(2020, 1, 1))
        add_person(s, cid(7), status="suspended", left_service_on=date(2001, 1, 1))
        add_person(s, cid(8), status="ordered_out_pending", left_service_on=date(2002, 1, 1))
        add_person(s, cid(9), status="transferred_out", left_service_on=date(2001, 1, 1))
        add_person(s, cid(10), status="active", left_service_on=None)
        add_person(s, cid(11), status="suspended", left_service_on=date(2024, 1, 1))
        add_person(s, cid(12), left_service_on=date(2016, 1, 26))  # exactly 10 years
        add_person(s, cid(13), left_service_on=date(2016, 1, 25))  # 10 years and a day
    # WHEN the records manager reviews as of 26 Jan 2026
    result = _review(archive)
    # THEN
    assert result["as_of"] == "2026-01-26"
    assert [e["citizen_id"] for e in result["eligible"]] == [cid(4), cid(3), cid(5), cid(13)]
    assert result["eligible"][0]["left_service_on"] == "2003-01-01"
    assert result["excluded"] == [
        {"citizen_id": cid(7), "reason": "suspended"},
        {"citizen_id": cid(8), "reason": "ordered_out_pending"},
    ]


def test_a_legal_hold_excludes_until_released(archive: Archive) -> None:
    with archive.catalog.session() as s:
        add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        hold = place_hold(s, citizen_id=cid(1), reason="คดีปกครองยังไม่ถึงที่สุด",
                          authority="ศาลปกครองกลาง", actor=RECORDS_MANAGER)
    assert _review(archive)["excluded"] == [{"citizen_id": cid(1), "reason": "legal_hold"}]
    assert _review(archive)["eligible"] == []
    with archive.catalog.session() as s:
        release_hold(s, hold_id=hold.id, reason="คดีถึงที่สุดแล้ว", authority="นิติกร",
                     actor=RECORDS_MANAGER)
    assert [e["citizen_id"] for e in _review(archive)["eligible"]] == [cid(1)]


def test_a_hold_needs_a_reason_an_authority_and_a_known_person(archive: Archive) -> None:
    with archive.catalog.session() as s:
        add_person(s, cid(1))
    with pytest.raises(RetentionError, match="authority"), archive.catalog.session() as s:
        place_hold(s, citizen_id=cid(1), reason="คดี", authority="  ", actor=RECORDS_MANAGER)
    with pytest.raises(RetentionError, match="no person"), archive.catalog.session() as s:
        place_hold(s, citizen_id=cid(2), reason="คดี", authority="ศาล", actor=RECORDS_MANAGER)


def test_bytes_are_every_stored_object_of_the_owners_documents(archive: Archive) -> None:
    with archive.catalog.session() as s:
        p = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        add_document(s, archive.store, [p], size=100)  # original + PDF/A + text
        add_document(s, archive.store, [p], size=50, kinds=("original", "archive", "text",
                                                           "thumbnail"))
        add_document(s, archive.store, [p], size=7, state="candidate")  # not filed: not counted
    [entry] = _review(archive)["eligible"]
    assert entry["documents"] == 2
    assert entry["bytes"] == 3 * 100 + 4 * 50


def test_a_group_document_counts_only_for_its_last_owner_and_only_if_all_go(
    archive: Archive,
) -> None:
    # GIVEN A (left 2001) and B (left 2005) share a group order; A also shares one with C,
    # who is still in service
    with archive.catalog.session() as s:
        a = add_person(s, cid(1), left_service_on=date(2001, 1, 1))
        b = add_person(s, cid(2), left_service_on=date(2005, 1, 1))
        c = add_person(s, cid(3), status="active", left_service_on=None)
        add_document(s, archive.store, [a, b], size=100)
        add_document(s, archive.store, [a, c], size=1000)
    eligible = _review(archive)["eligible"]
    # THEN A's destruction frees nothing (both documents stay for B or C); B's frees the pair
    assert [(e["citizen_id"], e["documents"], e["bytes"], e["shared_documents"])
            for e in eligible] == [(cid(1), 2, 0, 2), (cid(2), 1, 300, 0)]


def test_free_bytes_gives_the_shortest_oldest_first_prefix(archive: Archive) -> None:
    with archive.catalog.session() as s:
        for n, (year, size) in enumerate([(2001, 100), (2002, 10), (2003, 1000), (2004, 1)]):
            p = add_person(s, cid(n + 1), left_service_on=date(year, 1, 1))
            add_document(s, archive.store, [p], size=size, kinds=("original",))
    assert [e["citizen_id"] for e in _review(archive, free_bytes=100)["eligible"]] == [cid(1)]
    assert [e["citizen_id"] for e in _review(archive, free_bytes=101)["eligible"]] == [
        cid(1), cid(2)]
    result = _review(archive, free_bytes=110)
    assert [e["citizen_id"] for e in result["eligible"]] == [cid(1), cid(2)]
    assert (result["bytes"], result["target_met"]) == (110, True)
    assert len(_review(archive, free_bytes=111)["eligible"]) == 3
    assert _review(archive, free_bytes=0)["eligible"] == []
    everything = _review(archive, free_bytes=10**9)
    assert len(everything["eligible"]) == 4
    assert everything["target_met"] is False
