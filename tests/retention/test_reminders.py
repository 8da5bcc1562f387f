"""Reminders: 6-year photos, orders within 5 working days, 15-day certification, retirements."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from archive.archive import Archive
from retention.holidays import HolidayError, Holidays, built_in, load_holidays
from retention.reminders import list_reminders, record_certification, record_photo
from tests.retention.records import add_document, add_entry, add_person, cid

NO_HOLIDAYS = Holidays()


def _kinds(archive: Archive, as_of: date, kind: str, holidays: Holidays = NO_HOLIDAYS,
           **kw: object) -> list[dict]:
    with archive.catalog.session() as s:
        found = list_reminders(s, as_of=as_of, holidays=holidays, kinds=[kind], **kw)  # type: ignore[arg-type]
    return found["reminders"]


def test_working_days_skip_weekends_and_holidays() -> None:
    holidays = load_holidays()
    # Thursday 9 April 2026; Songkran 13-15 April; the 5th working day is Tuesday 21 April
    assert holidays.add_working_days(date(2026, 4, 9), 5) == date(2026, 4, 21)
    # Friday 2 Jan 2026 -> Mon 5 ... Fri 9
    assert NO_HOLIDAYS.add_working_days(date(2026, 1, 2), 5) == date(2026, 1, 9)
    assert date(2027, 12, 5) in built_in() and date(2025, 10, 13) in built_in()


def test_moving_holidays_come_from_the_configured_file(tmp_path: Path) -> None:
    (tmp_path / "holidays.csv").write_text(
        "date,name\n# วันมาฆบูชา วันวิสาขบูชา ตามประกาศ\n3/3/2569,วันมาฆบูชา\n2026-06-01,ชดเชย\n",
        encoding="utf-8")
    holidays = load_holidays(tmp_path)
    assert holidays.days[date(2026, 3, 3)] == "วันมาฆบูชา"
    assert not holidays.is_working_day(date(2026, 6, 1))
    assert date(2026, 1, 1) in holidays.days  # the built-in dates stay
    (tmp_path / "bad.csv").write_text("31/2/2569,ผิด\n", encoding="utf-8")
    with pytest.raises(HolidayError, match="line 1"):
        load_holidays(path=tmp_path / "bad.csv")


def test_photos_older_than_six_years(archive: Archive) -> None:
    with archive.catalog.session() as s:
        for n, taken in [(1, date(2020, 1, 26)), (2, date(2020, 1, 25)), (3, date(2024, 1, 1))]:
            add_person(s, cid(n), status="active", left_service_on=None)
            record_photo(s, citizen_id=cid(n), taken_on=taken, actor="rm")
        add_person(s, cid(4), left_service_on=date(2019, 1, 1))
        record_photo(s, citizen_id=cid(4), taken_on=date(2001, 1, 1), actor="rm")
        # a newer photo replaces the old one
        record_photo(s, citizen_id=cid(3), taken_on=date(2010, 1, 1), actor="rm")
    found = _kinds(archive, date(2026, 1, 26), "photo_outdated")
    assert [(r["citizen_id"], r["renew_by"]) for r in found] == [(cid(2), "2026-01-25")]


def test_orders_not_recorded_within_five_working_days(archive: Archive) -> None:
    holidays = load_holidays()
    order_day = date(2026, 4, 9)  # deadline Tuesday 21 April (Songkran in between)

    def at(day: int, hour: int = 3) -> datetime:
        return datetime(2026, 4, day, hour, tzinfo=UTC)

    with archive.catalog.session() as s:
        p = add_person(s, cid(1), status="active", left_service_on=None)
        cases = {"on-time": at(21), "late": at(22), "late-by-thai-clock": at(21, 17),
                 "evidence-late": at(20), "no-evidence": at(10)}
        for entry_id, recorded in cases.items():
            doc = add_document(s, archive.store, [p])
            doc.created_at = at(23) if entry_id == "evidence-late" else recorded
            add_entry(s, p, entry_id, effective_on=order_day, created_at=recorded,
                      documents=[] if entry_id == "no-evidence" else [doc])
        add_entry(s, p, "no-order", effective_on=order_day, order_ref=None, created_at=at(30))
    found = _kinds(archive, date(2026, 5, 1), "order_recorded_late", holidays)
    assert sorted((r["entry_id"], r["deadline"]) for r in found) == [
        ("evidence-late", "2026-04-21"), ("late", "2026-04-21"),
        ("late-by-thai-clock", "2026-04-21"), ("no-evidence", "2026-04-21")]
    missing = next(r for r in found if r["entry_id"] == "no-evidence")
    assert missing["evidence_on"] is None and "missing evidence" in missing["detail"]


def test_new_appointees_certified_within_fifteen_days(archive: Archive) -> None:
    appointed = date(2026, 1, 1)  # certify by 16 January
    with archive.catalog.session() as s:
        for n in (1, 2, 3, 4):
            add_person(s, cid(n), status="active", left_service_on=None, appointed_on=appointed)
        record_certification(s, citizen_id=cid(1), certified_on=date(2026, 1, 16), actor="c")
        record_certification(s, citizen_id=cid(2), certified_on=date(2026, 1, 17), actor="c")
        add_person(s, cid(5), status="active", left_service_on=None,
                   appointed_on=date(2026, 1, 20))  # not due yet
    found = _kinds(archive, date(2026, 2, 1), "appointee_not_certified")
    assert [(r["citizen_id"], r["certified_on"]) for r in found] == [
        (cid(2), "2026-01-17"), (cid(3), None), (cid(4), None)]


def test_owners_retiring_in_the_coming_fiscal_year(archive: Archive) -> None:
    # as of 26 Jan 2026 (fiscal year 2569) the coming fiscal year is 2570: retire 30 Sep 2027
    with archive.catalog.session() as s:
        for n, born in [(1, date(1967, 3, 27)), (2, date(1966, 10, 2)), (3, date(1966, 10, 1)),
                        (4, date(1968, 1, 1))]:
            add_person(s, cid(n), status="active", left_service_on=None, birth_date=born)
        add_person(s, cid(5), left_service_on=date(2020, 1, 1), birth_date=date(1967, 5, 5))
    found = _kinds(archive, date(2026, 1, 26), "retiring")
    assert [(r["citizen_id"], r["retirement_on"], r["fiscal_year"]) for r in found] == [
        (cid(1), "2027-09-30", 2570), (cid(2), "2027-09-30", 2570)]
    this_year = _kinds(archive, date(2026, 1, 26), "retiring", fiscal_year=2569)
    assert [r["citizen_id"] for r in this_year] == [cid(3)]
