"""Shared set-up for the understanding tests: a registry in a throwaway catalog, ID helpers."""

from __future__ import annotations

from pathlib import Path

from archive import registry
from archive.catalog import Catalog
from archive.thai import citizen_id_check_digit, to_thai_digits
from ingest.understand import Understanding, load_classifier, understand

HEADER = ("citizen_id,prefix,first_name,last_name,birth_date,appointed_on,unit,status,"
          "left_service_on,left_reason\n")


def cid(first12: str) -> str:
    return first12 + str(citizen_id_check_digit(first12))


def dashed(citizen_id: str, *, thai: bool = False) -> str:
    c = citizen_id
    text = f"{c[0]}-{c[1:5]}-{c[5:10]}-{c[10:12]}-{c[12]}"
    return to_thai_digits(text) if thai else text


SOMCHAI = cid("110170020345")  # นายสมชาย ใจดี
SUPAPORN = cid("318470012345")  # นางสาวสุภาพร ศรีสุข
THANAPHON = cid("149870099887")  # ว่าที่ร้อยตรี ธนพล บุญมา
KANJANA = cid("356780011223")  # นางกาญจนา ทองคำ
WICHAI = cid("184948350571")  # นายวิชัย มั่นคง: ID with many ๘ ๔ ๙, the worst for Thai OCR
PERSONS = [
    (SOMCHAI, "นาย", "สมชาย", "ใจดี"),
    (SUPAPORN, "นางสาว", "สุภาพร", "ศรีสุข"),
    (THANAPHON, "ว่าที่ร้อยตรี", "ธนพล", "บุญมา"),
    (KANJANA, "นาง", "กาญจนา", "ทองคำ"),
    (WICHAI, "นาย", "วิชัย", "มั่นคง"),
]


# A registry of distinct names, big enough that its namesake share (smoothed towards a prior)
# says so: the test registry and seven more.
DISTINCT = [*PERSONS,
            (cid("310170020341"), "นาย", "บุญเลิศ", "ศรีบุญเรือง"),
            (cid("310170020342"), "นาง", "อัญชลี", "บุญประเสริฐ"),
            (cid("310170020343"), "นาย", "ธีรวัฒน์", "ประเสริฐศรี"),
            (cid("310170020344"), "นางสาว", "ปวีณา", "แก้วมณี"),
            (cid("310170020346"), "นาย", "ยุทธนา", "พรหมวงศ์"),
            (cid("310170020347"), "นาง", "ศศิธร", "เพชรรัตน์"),
            (cid("310170020348"), "นาย", "ภูวดล", "สายทอง")]


UNIT = "โรงเรียนบ้านหนองบัว"


def persons_csv(path: Path, persons: list[tuple[str, ...]] | None = None) -> Path:
    """Rows (citizen_id, prefix, first, last[, unit]); the unit defaults to UNIT."""
    rows = [f"{p[0]},{p[1]},{p[2]},{p[3]},1987-03-27,2010-05-16,"
            f"{p[4] if len(p) > 4 else UNIT},active,,\n" for p in (persons or PERSONS)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def catalog_with_registry(tmp_path: Path,
                          persons: list[tuple[str, ...]] | None = None) -> Catalog:
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    catalog.migrate()
    with catalog.session() as s:
        report = registry.import_persons(s, persons_csv(tmp_path / "persons.csv", persons))
    assert not report.rejected, report.rejected
    return catalog


def understand_text(catalog: Catalog, text: str, folder: str | None = None) -> Understanding:
    """Understand a text against the catalog's registry, as ingest does after OCR."""
    with catalog.session() as s:
        return understand(s, text, folder_hint=folder, classifier=load_classifier())


def evidence_kinds(u: Understanding, citizen_id: str) -> set[str]:
    """The kinds of evidence recorded for one person (none when they are no candidate)."""
    person = next((p for p in u.persons.owners if p.citizen_id == citizen_id), None)
    return {r["kind"] for r in person.reasons} if person is not None else set()


def appointment_order(*rows: str, ref: str = "ที่ 123/2567", count: str = "") -> str:
    """A คำสั่ง บรรจุและแต่งตั้ง with a table of appointees (one row per person)."""
    size = f"จำนวน {count} ราย " if count else ""
    return "\n".join([
        "คำสั่งสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        ref,
        "เรื่อง บรรจุและแต่งตั้งข้าราชการครู",
        f"อาศัยอำนาจตามความในมาตรา 53 จึงบรรจุและแต่งตั้งผู้สอบแข่งขันได้ {size}"
        "เข้ารับราชการเป็นข้าราชการครูและบุคลากรทางการศึกษา ตำแหน่งครูผู้ช่วย",
        "ที่ ชื่อ - สกุล เลขประจำตัวประชาชน ตำแหน่ง/สถานศึกษา",
        *rows,
        "ทั้งนี้ ตั้งแต่วันที่ 1 ตุลาคม พ.ศ. 2567 เป็นต้นไป",
        "สั่ง ณ วันที่ 25 กันยายน พ.ศ. 2567",
        "(นายประเสริฐ จันทร์เพ็ญ)",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
    ])


def store_text_document(data_dir: Path, text: str, *, folder_hint: str | None,
                        name: str = "scan.pdf") -> str:
    """Store a document the way ingest does after OCR (objects, row, understanding, one
    transaction), without a scan: the CLI tests need documents, not tesseract."""
    import hashlib
    import uuid
    from datetime import UTC, datetime

    from archive.archive import open_archive
    from archive.catalog import Document
    from archive.config import load_settings
    from archive.documents import ObjectSource, object_key, write_objects
    from ingest.understand import apply, understand_for_ingest

    archive = open_archive(load_settings(data_dir))
    try:
        data = f"%PDF-1.7 {name} {text}".encode()
        sha = hashlib.sha256(data).hexdigest()
        rows = write_objects(archive.store, [
            ObjectSource("original", object_key(sha, "original"), data=data),
            ObjectSource("text", object_key(sha, "text"), data=text.encode()),
        ])
        understanding = understand_for_ingest(archive, text, folder_hint=folder_hint)
        with archive.catalog.session() as s:
            doc = Document(id=uuid.uuid4().hex, sha256=sha, size=len(data), pages=1,
                           original_name=name, media_type="application/pdf", link="unlinked",
                           warnings=[], folder_hint=folder_hint, created_at=datetime.now(UTC))
            doc.objects.extend(rows)
            s.add(doc)
            apply(s, doc, understanding)
        return doc.id
    finally:
        archive.close()
