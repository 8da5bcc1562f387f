"""Importing persons and entries from CSV: good rows in, every bad row reported by line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from archive import registry
from archive.catalog import Catalog, Person, RecordEntry, Unit

HEADER = "citizen_id,prefix,first_name,last_name,birth_date,appointed_on,unit,status,left_service_on,left_reason\n"
GOOD = [
    "1101700203450,นาย,สมชาย,ใจดี,1987-03-27,2010-05-16,สพป.เชียงใหม่ เขต 1 > โรงเรียนบ้านหนองบัว,active,,",
    "๓-๑๐๐๖-๐๐๑๒๓-๔๕-๐,นาง,สมศรี,มีสุข,๒/๑๐/๒๕๑๐,1/6/2533,สพป.เชียงใหม่ เขต 1,left_service,30/9/2550,retired",
]


def _write(path: Path, lines: list[str], header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.write_bytes((header + "\n".join(lines) + "\n").encode(encoding))
    return path


def _import(catalog: Catalog, path: Path) -> registry.ImportReport:
    with catalog.session() as s:
        return registry.import_persons(s, path)


def test_good_rows_are_imported_with_normalised_values(catalog: Catalog, tmp_path: Path) -> None:
    report = _import(catalog, _write(tmp_path / "p.csv", GOOD))
    assert report.as_dict() == {"imported": 2, "updated": 0, "changed": 0, "rejected": []}
    with catalog.session() as s:
        p = s.scalar(select(Person).where(Person.citizen_id == "3100600123450"))
        assert p is not None
        assert p.birth_date == date(1967, 10, 2)
        assert p.appointed_on == date(1990, 6, 1)
        assert p.retirement_on == date(2028, 9, 30)
        assert p.left_service_on == date(2007, 9, 30) and p.left_reason == "retired"
        paths = set(s.scalars(select(Unit.path)))
        assert paths == {"สพป.เชียงใหม่ เขต 1", "สพป.เชียงใหม่ เขต 1 > โรงเรียนบ้านหนองบัว"}


def test_reimport_updates_by_citizen_id(catalog: Catalog, tmp_path: Path) -> None:
    path = _write(tmp_path / "p.csv", GOOD)
    _import(catalog, path)
    again = _import(catalog, path)
    assert (again.imported, again.updated, again.changed) == (0, 2, 0)
    changed = _write(tmp_path / "p2.csv", [GOOD[0].replace("ใจดี", "ใจงาม")])
    report = _import(catalog, changed)
    assert (report.imported, report.updated, report.changed) == (0, 1, 1)
    with catalog.session() as s:
        assert (
            s.scalar(select(Person.last_name).where(Person.citizen_id == "1101700203450"))
            == "ใจงาม"
        )
        assert s.query(Person).count() == 2


def test_every_bad_row_is_reported_and_good_rows_still_import(
    catalog: Catalog, tmp_path: Path
) -> None:
    # GIVEN a stored person
    _import(catalog, _write(tmp_path / "first.csv", GOOD[:1]))
    bad = [
        "1101700203451,นาย,ผิด,เลขตรวจ,1987-03-27,,,active,,",  # line 2 check digit
        "1101700203450,นาย,สมชาย,เปลี่ยน,1987-03-27,,,on_holiday,,",  # line 3 status
        "1234567890121,นาย,วันที่,ไม่มี,1987-02-30,,,active,,",  # line 4 impossible
        "1234567890121,นาย,วันที่,ผิดรูป,27-03-1987,,,active,,",  # line 5 malformed
        "3100600123450,นาง,ออก,ไม่มีสถานะ,1967-10-02,,,active,,retired",  # line 6 reason
        GOOD[1],  # line 7 good
        GOOD[1],  # line 8 duplicate
        "1101700203450,นาย,สมชาย",  # line 9 missing cols
    ]
    report = _import(catalog, _write(tmp_path / "bad.csv", bad))
    lines = {e.line: e.error for e in report.rejected}
    assert sorted(lines) == [2, 3, 4, 5, 6, 8, 9]
    assert "check digit" in lines[2]
    assert "unknown status 'on_holiday'" in lines[3]
    assert "birth_date" in lines[4] and "birth_date" in lines[5]
    assert "left_reason" in lines[6] and "left_service" in lines[6]
    assert "line 7" in lines[8]
    assert "fields" in lines[9]
    assert report.imported == 1
    # THEN the stored person named on rejected line 3 is unchanged
    with catalog.session() as s:
        assert (
            s.scalar(select(Person.last_name).where(Person.citizen_id == "1101700203450")) == "ใจดี"
        )


def test_tis620_lines_are_rejected_with_a_hint(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "tis.csv"
    path.write_bytes(
        HEADER.encode() + GOOD[0].encode("utf-8") + b"\n" + GOOD[1].encode("cp874") + b"\n"
    )
    report = _import(catalog, path)
    assert report.imported == 1
    assert len(report.rejected) == 1 and report.rejected[0].line == 3
    assert "TIS-620" in report.rejected[0].error and "UTF-8" in report.rejected[0].error


def test_entries_import_links_to_persons_and_normalises_order_refs(
    catalog: Catalog, tmp_path: Path
) -> None:
    _import(catalog, _write(tmp_path / "p.csv", GOOD))
    path = tmp_path / "e.csv"
    path.write_text(
        "entry_id,citizen_id,section,effective_on,order_ref,title\n"
        "E1,1101700203450,position_salary,2010-05-16,๑๒๓/๒๕๕๓,บรรจุและแต่งตั้ง\n"
        "E2,1101700203450,dancing,2010-05-16,1/2553,x\n"
        "E3,9999999999994,training,2010-05-16,1/2553,อบรม\n",
        encoding="utf-8",
    )
    with catalog.session() as s:
        report = registry.import_entries(s, path)
    assert report.imported == 1
    errors = {e.line: e.error for e in report.rejected}
    assert "unknown section" in errors[3]
    assert "persons import" in errors[4]
    with catalog.session() as s:
        entry = s.scalar(select(RecordEntry).where(RecordEntry.entry_id == "E1"))
        assert entry is not None and entry.order_ref == "123/2553"
