"""Retention persons for the HTTP tests: the sample registry's long-gone owners, with documents.

Unit A (นครราชสีมา เขต 3) holds two owners who left service more than 10 years before AS_OF;
unit B (เชียงราย เขต 1) holds one more. A suspended owner of unit A is never destroyed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from archive.archive import Archive
from archive.catalog import Person, Unit
from tests.retention.records import add_document, add_person, cid

AS_OF = "2026-06-01"
UNIT_A = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครราชสีมา เขต 3"
UNIT_B = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต 1"
A_OLDEST = "3300667326351"  # left 1991, โรงเรียนวัดสว่างอารมณ์
A_NEXT = "8300608295097"  # left 2005, โรงเรียนบ้านห้วยทราย
B_PERSON = "3570196197741"  # left 2000, unit B
A_SUSPENDED = cid(900)  # suspended, "left" 1999: reported as excluded, never destroyed


def give_documents(archive: Archive) -> dict[str, list[str]]:
    """Two stored documents for each eligible owner of units A and B, and the suspended owner."""
    docs: dict[str, list[str]] = {}
    with archive.catalog.session() as s:
        unit_a = s.scalar(select(Unit).where(Unit.path == UNIT_A))
        assert unit_a is not None
        suspended = add_person(s, A_SUSPENDED, status="suspended",
                               left_service_on=date(1999, 1, 1))
        suspended.unit_id = unit_a.id
        for citizen_id in (A_OLDEST, A_NEXT, B_PERSON):
            person = s.scalar(select(Person).where(Person.citizen_id == citizen_id))
            assert person is not None
            docs[citizen_id] = [add_document(s, archive.store, [person], size=2000 + i).id
                                for i in range(2)]
    return docs


def exists(archive: Archive, citizen_id: str) -> bool:
    with archive.catalog.session() as s:
        return s.scalar(select(Person.id).where(Person.citizen_id == citizen_id)) is not None
