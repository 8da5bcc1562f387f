"""The printable record: a person's record as a Thai PDF in the layout of ก.ค.ศ.๑๖, with a
QR code that leads to Tabian's verification page for this very printout."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import segno

from api.services.records import RecordOut
from archive.thai import format_citizen_id, format_thai_date, to_thai_digits
from retention.thaipdf import ThaiPdf

TITLE = "ทะเบียนประวัติข้าราชการครูและบุคลากรทางการศึกษา"
BANGKOK = ZoneInfo("Asia/Bangkok")
QR_SCALE = 4  # pixels per module: sharp when printed, and exact to read back in tests
QR_BORDER = 4
QR_ERROR = "m"
NOT_HELD = "—"


def qr_code(url: str) -> segno.QRCode:
    """The QR code a printout carries: the verification address, nothing else."""
    return segno.make(url, error=QR_ERROR, micro=False)


def thai_day(d: date | None) -> str:
    return format_thai_date(d, thai_digits=True) if d else NOT_HELD


def thai_moment(t: datetime) -> str:
    local = t.astimezone(BANGKOK)
    return f"{format_thai_date(local.date(), thai_digits=True)} เวลา " \
           f"{to_thai_digits(local.strftime('%H:%M'))} น."


class RecordPdf(ThaiPdf):
    """A4 pages: the footer names the printout, its issuer and time, and the page."""

    def __init__(self, *, printout_id: str, issued_at: datetime, issuer: str,
                 owner: str) -> None:
        self.printout_id = printout_id
        self.footer_text = f"พิมพ์เมื่อ {thai_moment(issued_at)} โดย {issuer} · " \
                           f"เลขที่ {printout_id}"
        self.owner_line = owner
        super().__init__(f"{TITLE} — {owner}", created=issued_at)

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("thai", "", 8)
            self.cell(0, 5, f"ทะเบียนประวัติ (ก.ค.ศ.๑๖) — {self.owner_line}", align="R",
                      new_x="LMARGIN", new_y="NEXT")
            self.ln(1)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("thai", "", 7.5)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"หน้า {self.page_no()}/{{nb}}", align="R")

    def part(self, text: str) -> None:
        self.ln(1)
        self.set_font("thai", "B", 12)
        self.set_fill_color(220, 228, 240)
        self.cell(0, 7, text, fill=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def item_heading(self, text: str) -> None:
        if self.get_y() > self.page_break_trigger - 20:
            self.add_page()
        self.set_font("thai", "B", 10)
        self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")


def _fixed_items(record: RecordOut) -> list[tuple[str, str]]:
    left = record["left_service_on"]
    rows = [
        ("๑. ชื่อ-นามสกุล", record["full_name"]),
        ("๒. เลขประจำตัวประชาชน", format_citizen_id(record["citizen_id"], thai_digits=True)),
        ("๓. วัน เดือน ปี เกิด", thai_day(record["birth_date"])),
        ("๔. หมู่โลหิต", NOT_HELD),
        ("๕. ชื่อ-นามสกุล บิดา", NOT_HELD),
        ("๖. ชื่อ-นามสกุล มารดา", NOT_HELD),
        ("๗. ชื่อ-นามสกุล คู่สมรส", NOT_HELD),
        ("๘. วันบรรจุ", thai_day(record["appointed_on"])),
        ("๙. วันครบเกษียณอายุ", thai_day(record["retirement_on"])),
        ("สังกัด", record["unit"] or NOT_HELD),
        ("สถานภาพ", record["status_th"]),
    ]
    if left:
        reason = f" ({record['left_reason_th']})" if record["left_reason_th"] else ""
        rows.append(("วันที่พ้นจากราชการ", thai_day(left) + reason))
    return rows


def _entry_rows(entries: Sequence[dict[str, object]]) -> list[list[str]]:
    rows = []
    for e in entries:
        ref = e["order_ref"]
        refs = [f"คำสั่งที่ {to_thai_digits(str(ref))}"] if ref else []
        docs = e["documents"]
        assert isinstance(docs, list)
        if docs:
            refs.append(f"หลักฐาน {to_thai_digits(str(len(docs)))} ฉบับ")
        effective = e["effective_on"]
        rows.append([thai_day(effective if isinstance(effective, date) else None),
                     str(e["title"]), "\n".join(refs) or NOT_HELD])
    return rows


def render_record_pdf(record: RecordOut, *, printout_id: str, verify_url: str,
                      issued_at: datetime, issuer: str) -> tuple[bytes, int]:
    """The record as ก.ค.ศ.๑๖ prints it: part 1 the fixed items, part 2 the entries by
    section (items ๑๕-๒๖), then the evidence held, the note on electronic origin and the QR."""
    pdf = RecordPdf(printout_id=printout_id, issued_at=issued_at, issuer=issuer,
                    owner=f"{record['full_name']} "
                          f"{format_citizen_id(record['citizen_id'], thai_digits=True)}")
    pdf.set_subject(verify_url)
    pdf.set_keywords(f"tabian-printout:{printout_id}")
    # QR top right, the title beside it.
    qr_png = io.BytesIO()
    qr_code(verify_url).save(qr_png, kind="png", scale=QR_SCALE, border=QR_BORDER)
    qr_png.seek(0)
    size = 30.0
    pdf.image(qr_png, x=pdf.w - pdf.r_margin - size, y=pdf.t_margin, w=size, h=size)
    pdf.set_right_margin(pdf.r_margin + size + 3)
    pdf.set_font("thai", "B", 15)
    pdf.multi_cell(0, 8, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("thai", "", 10)
    pdf.multi_cell(0, 5.5, "(ก.ค.ศ.๑๖ / ก.พ.๗) พิมพ์จากระบบทะเบียนประวัติอิเล็กทรอนิกส์",
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5.5, f"ข้อมูล ณ วันที่ {thai_moment(issued_at)}", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_right_margin(15)
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + size + 2))

    pdf.part("ส่วนที่ ๑ ข้อมูลประจำตัว")
    pdf.grid(["รายการ", "ข้อมูล"], [list(r) for r in _fixed_items(record)], (60, 120), size=10)

    pdf.part("ส่วนที่ ๒ รายการทะเบียนประวัติ")
    if record["sections_limited"]:
        pdf.paragraph("แสดงเฉพาะหมวดรายการที่ผู้พิมพ์ได้รับมอบหมาย", size=9)
    for section in record["sections"]:
        pdf.item_heading(f"{to_thai_digits(str(section['form_item']))}. {section['name_th']}")
        rows = _entry_rows(section["entries"])  # type: ignore[arg-type]
        if rows:
            pdf.grid(["วัน เดือน ปี", "รายการ", "เอกสารอ้างอิง"], rows, (32, 108, 40), size=9)
        else:
            pdf.paragraph("— ไม่มีรายการ —", size=9)
            pdf.ln(1)

    pdf.part("ส่วนที่ ๓ เอกสารหลักฐานที่จัดเก็บ (ข้อ ๓.๕)")
    pdf.grid(["ที่", "ประเภทเอกสารหลักฐาน", "จำนวน (ฉบับ)"],
             [[to_thai_digits(str(g["code"])) if g["code"] else NOT_HELD, g["name_th"],
               to_thai_digits(str(g["count"]))] for g in record["evidence"]],
             (12, 138, 30), size=9)

    pdf.ln(2)
    pdf.set_font("thai", "", 9)
    for line in ("หมายเหตุ : ทะเบียนประวัติฉบับนี้พิมพ์จากต้นฉบับที่เป็นไฟล์อิเล็กทรอนิกส์",
                 "ในระบบทะเบียนประวัติข้าราชการครูและบุคลากรทางการศึกษา",
                 "สามารถตรวจสอบทะเบียนประวัติได้จาก QR code ที่"):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("mono", "", 8)
    pdf.cell(0, 5, verify_url, new_x="LMARGIN", new_y="NEXT")
    data = pdf.to_bytes()
    return data, pdf.page_no()
