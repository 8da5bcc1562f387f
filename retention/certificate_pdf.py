"""The destruction certificate as a Thai PDF, from the certificate's JSON data."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from retention.thaipdf import ThaiPdf, thai_date

THAI_TIME = timezone(timedelta(hours=7))
NECESSITY_TH = {"space": "พื้นที่จัดเก็บไม่เพียงพอ", "other": "ความจำเป็นอื่น"}
REASON_TH = {
    "not_found": "ไม่พบในระบบ",
    "already_destroyed": "ทำลายแล้วตามคำสั่งอื่น",
    "not_left_service": "ยังไม่พ้นจากราชการ",
    "not_yet_eligible": "ยังไม่เกิน 10 ปีนับแต่พ้นจากราชการ",
    "suspended": "ถูกสั่งพักราชการ",
    "ordered_out_pending": "ถูกสั่งให้ออกจากราชการไว้ก่อน",
    "legal_hold": "มีการระงับการทำลาย",
}
KIND_TH = {"original": "ต้นฉบับ", "archive": "PDF/A", "text": "ข้อความ",
           "thumbnail": "ภาพย่อ", "uncatalogued": "สำเนาอื่น"}


def _when(iso: str | None) -> str:
    """Thai date and Thai time (UTC+7), as people there read it."""
    if not iso:
        return "-"
    moment = datetime.fromisoformat(iso).astimezone(THAI_TIME)
    return f"{thai_date(moment)} เวลา {moment:%H:%M:%S} น."


def _day(iso: str) -> str:
    return thai_date(date.fromisoformat(iso))


def render_certificate_pdf(data: dict[str, Any], *, created: datetime) -> bytes:
    order, execution, totals = data["order"], data["execution"], data["totals"]
    pdf = ThaiPdf(data["title"], created=created, landscape=True)
    pdf.heading(data["title"])
    pdf.fields([
        ("คำสั่งทำลายเลขที่", order["order_ref"] or "-"),
        ("รหัสคำสั่งในระบบ", order["order_id"]),
        ("ผู้สั่งทำลาย", f"{order['approved_by']} (ผู้ควบคุมข้อมูลทะเบียนประวัติ) "
                         f"เมื่อ {_when(order['approved_at'])}"),
        ("ความจำเป็น", f"{NECESSITY_TH.get(order['necessity'], order['necessity'])}: "
                       f"{order['necessity_detail']}"),
        ("ผู้เสนอบัญชี", f"{order['proposed_by']} เมื่อ {_when(order['proposed_at'])}"),
        ("ทบทวน ณ วันที่", _day(order["review_as_of"]) if order["review_as_of"] else "-"),
        ("ดำเนินการโดย", execution["executed_by"] or "-"),
        ("เริ่ม / เสร็จสิ้น", f"{_when(execution['started_at'])} / "
                              f"{_when(execution['finished_at'])}"),
        ("สรุป", f"ทำลายทะเบียนประวัติ {totals['persons_destroyed']} ราย "
                 f"เอกสาร {totals['documents_destroyed']} ฉบับ "
                 f"วัตถุจัดเก็บ {totals['objects_destroyed']} รายการ "
                 f"รวม {totals['bytes']:,} ไบต์; เอกสารร่วมที่ถอนการเชื่อมโยงเท่านั้น "
                 f"{totals['documents_unlinked']} ฉบับ; ไม่ทำลาย {totals['persons_skipped']} ราย"),
    ])
    pdf.set_font("thai", "B", 11)
    pdf.cell(0, 7, "ทะเบียนประวัติที่ทำลาย", new_x="LMARGIN", new_y="NEXT")
    pdf.rows(
        ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "วันที่พ้นจากราชการ", "เอกสารที่ทำลาย",
         "เอกสารร่วมที่ถอนการเชื่อมโยง", "ขนาด (ไบต์)"],
        (
            [str(i), d["citizen_id"], d["full_name"], _day(d["left_service_on"]),
             str(len(d["documents"])), str(len(d["documents_unlinked"])), f"{d['bytes']:,}"]
            for i, d in enumerate(data["destroyed"], start=1)
        ),
        (14, 36, 70, 38, 28, 46, 35), size=9, mono_columns=(1,),
    )
    pdf.set_font("thai", "B", 11)
    pdf.cell(0, 7, "วัตถุที่ทำลาย พร้อมค่า sha256 (ทุกรุ่นของวัตถุถูกลบ)",
             new_x="LMARGIN", new_y="NEXT")
    pdf.rows(
        ["เลขประจำตัวประชาชน", "รหัสเอกสาร", "ชนิด", "sha256", "ขนาด (ไบต์)"],
        (
            [d["citizen_id"], doc["document_id"], KIND_TH.get(o["kind"], o["kind"]),
             o["sha256"], f"{o['size']:,}"]
            for d in data["destroyed"] for doc in d["documents"] for o in doc["objects"]
        ),
        (28, 60, 20, 130, 27), size=8, mono_columns=(0, 1, 3),
    )
    if data["skipped"] or data["struck"]:
        pdf.set_font("thai", "B", 11)
        pdf.cell(0, 7, "รายชื่อที่ไม่ทำลาย", new_x="LMARGIN", new_y="NEXT")
        pdf.grid(
            ["เลขประจำตัวประชาชน", "เหตุผล"],
            [[s["citizen_id"], "ตรวจสอบซ้ำขณะทำลาย: " + REASON_TH.get(s["reason"], s["reason"])]
             for s in data["skipped"]]
            + [[s["citizen_id"], f"ตัดออกจากบัญชี: {s['reason']}"] for s in data["struck"]],
            (50, 217),
        )
    pdf.paragraph(
        "หนังสือนี้ออกโดยระบบ Tabian เมื่อการทำลายเสร็จสิ้น ค่า sha256 ของหนังสือฉบับนี้ทั้งแบบ "
        "PDF และ JSON บันทึกไว้ในบันทึกการตรวจสอบ (audit log) ซึ่งเชื่อมโยงด้วยค่าแฮชต่อเนื่องกัน",
        size=9,
    )
    return pdf.to_bytes()
