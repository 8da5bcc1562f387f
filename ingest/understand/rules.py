"""Explicit evidence for the 16 categories: titles, issuing bodies and form codes.

Phrases are written as a clerk would print them and matched on `match_key` forms (skeleton,
no spaces or dots), so dropped tone marks and stray spaces do not hide them. A phrase in the
subject line (เรื่อง ...) or the heading counts more than one in the body: a transfer order
that says "มาบรรจุและแต่งตั้ง" in its body is still a transfer (status_orders), not a first
appointment. Form codes carry digits OCR confuses (๔ read as ๕, ๙ as ๕ or ๓), so their usual
misreadings are listed with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.understand.normal import match_key

TITLE, STRONG, BODY = 3.0, 2.5, 1.2

# category -> (scope, weight, phrases); scope "title" = subject line or heading only.
RULES: dict[str, list[tuple[str, float, tuple[str, ...]]]] = {
    "appointment": [
        ("title", TITLE, ("บรรจุและแต่งตั้ง", "รายงานตัวเข้าปฏิบัติหน้าที่", "รายงานตัว",
                          "แจ้งการบรรจุ", "บรรจุเข้ารับราชการ", "บรรจุบุคคลเข้ารับราชการ")),
        ("any", BODY, ("บรรจุและแต่งตั้ง", "ผู้สอบแข่งขันได้", "ตำแหน่งครูผู้ช่วย",
                       "ทดลองปฏิบัติหน้าที่ราชการ", "รายงานตัวเพื่อเข้าปฏิบัติหน้าที่",
                       "บรรจุเข้ารับราชการ", "ผู้ได้รับการบรรจุ")),
    ],
    "status_orders": [
        ("title", TITLE, ("ย้ายข้าราชการ", "รับโอน", "ให้โอน", "เลื่อนเงินเดือน",
                          "เลื่อนขั้นเงินเดือน", "วิทยฐานะ", "เลื่อนตำแหน่ง", "เลื่อนระดับ",
                          "ปรับปรุงการกำหนดตำแหน่ง", "ให้รักษาการในตำแหน่ง", "รักษาราชการแทน",
                          "ลาออกจากราชการ", "เกษียณอายุราชการ", "พ้นจากราชการ", "ปรับอัตราเงินเดือน",
                          "ให้ได้รับเงินเดือน", "ย้ายและแต่งตั้ง", "แต่งตั้งให้ดำรงตำแหน่ง")),
        ("any", BODY, ("จึงย้าย", "ย้ายไปดำรงตำแหน่ง", "จึงรับโอน", "ขอโอน", "เลื่อนเงินเดือน",
                       "เงินเดือนใหม่", "มีวิทยฐานะ", "เงินวิทยฐานะ", "มาตรา 58", "มาตรา 59",
                       "มาตรา 73")),
    ],
    "background_check": [
        ("any", STRONG, ("กองทะเบียนประวัติอาชญากร", "ประวัติอาชญากร", "ลายพิมพ์นิ้วมือ",
                         "พิสูจน์หลักฐาน", "ประวัติการกระทำความผิด")),
        ("title", TITLE, ("ผลการตรวจสอบประวัติ", "ตรวจสอบประวัติบุคคล")),
        ("any", BODY, ("ตรวจสอบประวัติ", "สารบบ", "ไม่พบประวัติ")),
    ],
    "personal_status": [
        ("title", TITLE, ("สูติบัตร", "ใบสำคัญการสมรส", "ใบสำคัญการหย่า", "ทะเบียนการหย่า",
                          "ทะเบียนสมรส", "เปลี่ยนชื่อตัว", "เปลี่ยนชื่อสกุล", "ทหารกองเกิน",
                          "ทหารกองหนุน", "ใบรับรองผลการตรวจเลือก", "ทร3", "คร3", "คร2",
                          "คร7", "ช3", "ช1", "ช2", "ช4", "ช5", "ช6", "สด9", "สด5", "สด3", "สด8",
                          "สด43", "สด45", "ใบมรณบัตร", "หนังสือสำคัญแสดงการจดทะเบียน")),
        ("any", BODY, ("จดทะเบียนสมรส", "จดทะเบียนการหย่า", "การเปลี่ยนชื่อ", "ชื่อสกุลเดิม",
                       "ชื่อตัวเดิม", "ชื่อตัวใหม่", "ชื่อสกุลใหม่", "สถานที่เกิด", "ผู้แจ้งการเกิด",
                       "ภูมิลำเนาทหาร", "ลงบัญชีทหาร", "สัสดี", "ประมวลกฎหมายแพ่งและพาณิชย์",
                       "นายทะเบียนท้องที่", "ทะเบียนราษฎร")),
    ],
    "house_registration": [
        ("title", TITLE, ("ทะเบียนบ้าน", "ทร14", "ทร15", "รายการเกี่ยวกับบุคคลในบ้าน",
                          "รับรองรายการทะเบียนราษฎร", "รายการทะเบียนบ้าน")),
        ("any", STRONG, ("เลขรหัสประจำบ้าน", "รหัสประจำบ้าน")),
        ("any", BODY, ("เจ้าบ้าน", "ผู้อาศัย", "ย้ายเข้ามาเมื่อ", "ประเภทบ้าน", "ลักษณะบ้าน",
                       "ทะเบียนบ้าน")),
    ],
    "qualification": [
        ("title", TITLE, ("ใบแสดงผลการศึกษา", "ปริญญาบัตร", "ให้ปริญญา", "รับรองคุณวุฒิ",
                          "หนังสือรับรองคุณวุฒิ", "ใบรับรองคุณวุฒิ", "ประกาศนียบัตรบัณฑิต",
                          "รับรองการสำเร็จการศึกษา", "transcript")),
        ("any", BODY, ("ปริญญา", "สำเร็จการศึกษา", "คะแนนเฉลี่ยสะสม", "หน่วยกิต", "วิชาเอก",
                       "สภามหาวิทยาลัย", "อนุมัติให้ได้รับปริญญา", "คุณวุฒิ", "รหัสประจำตัวนักศึกษา",
                       "บัณฑิต")),
    ],
    "education_training": [
        ("title", TITLE, ("ฝึกอบรม", "อบรม", "ศึกษาดูงาน", "ดูงาน", "ลาศึกษาต่อ", "ศึกษาต่อ",
                          "วิจัย", "สัมมนา", "พัฒนาบุคลากร", "ประชุมเชิงปฏิบัติการ", "วุฒิบัตร")),
        ("any", BODY, ("ผ่านการอบรม", "หลักสูตรการอบรม", "ได้ผ่านการอบรมหลักสูตร", "ศึกษาดูงาน",
                       "การวิจัย", "งานวิจัย", "วิจัยในชั้นเรียน", "รวม ชั่วโมง", "ชั่วโมง",
                       "พัฒนาวิชาชีพ", "ลาศึกษาต่อ")),
    ],
    "special_abilities": [
        ("title", TITLE, ("ความสามารถพิเศษ", "ทดสอบความสามารถ", "รับรองความสามารถ",
                          "ความสามารถทางภาษา", "proficiency")),
        ("any", BODY, ("ความสามารถพิเศษ", "ความรู้ความสามารถพิเศษ", "cefr", "toeic", "ielts",
                       "ความเชี่ยวชาญ", "ผู้ฝึกสอน", "ผู้ตัดสิน", "นักกีฬา", "ทักษะ", "listening",
                       "speaking")),
    ],
    "special_service": [
        ("title", TITLE, ("ช่วยราชการ", "ไปช่วยราชการ", "แต่งตั้งคณะกรรมการ", "คณะกรรมการดำเนินการ",
                          "ปฏิบัติราชการพิเศษ", "ปฏิบัติหน้าที่พิเศษ", "เลือกตั้ง",
                          "ปฏิบัติหน้าที่กรรมการ", "ราชการพิเศษ")),
        ("any", BODY, ("ไปช่วยราชการ", "กรรมการคุมสอบ", "สนามสอบ", "ประธานกรรมการ",
                       "กรรมการประจำหน่วยเลือกตั้ง", "หน่วยเลือกตั้ง", "ได้รับมอบหมาย",
                       "ปฏิบัติหน้าที่ที่ได้รับมอบหมาย", "การเลือกตั้ง")),
    ],
    "discipline": [
        ("title", TITLE, ("ลงโทษ", "ภาคทัณฑ์", "ตัดเงินเดือน", "ลดเงินเดือน", "ลดขั้นเงินเดือน",
                          "ปลดออก", "ไล่ออก", "สอบสวน", "ล้างมลทิน", "วินัย", "ให้ออกจากราชการไว้ก่อน",
                          "พักราชการ", "จรรยาบรรณ", "ร้องเรียน", "แต่งตั้งคณะกรรมการสอบสวน",
                          "ตั้งกรรมการสอบสวน", "คณะกรรมการสอบสวน")),
        ("any", BODY, ("กระทำผิดวินัย", "ความผิดวินัย", "คณะกรรมการสอบสวน", "สอบสวน", "กล่าวหา",
                       "ลงโทษ", "ล้างมลทิน", "อุทธรณ์", "โทษทางวินัย", "วินัยอย่างร้ายแรง",
                       "วินัยอย่างไม่ร้ายแรง", "จรรยาบรรณ")),
    ],
    "martial_law": [
        ("any", STRONG, ("กฎอัยการศึก", "อัยการศึก", "ชายแดนภาคใต้")),
        ("title", TITLE, ("พื้นที่จังหวัดชายแดนภาคใต้", "เวลาราชการทวีคูณ", "พื้นที่พิเศษ")),
        ("any", BODY, ("ทวีคูณ", "สถานการณ์ความไม่สงบ", "ความไม่สงบ", "ประกาศใช้กฎอัยการศึก")),
    ],
    "decorations": [
        ("any", STRONG, ("เครื่องราชอิสริยาภรณ์", "ราชกิจจานุเบกษา", "เหรียญจักรพรรดิมาลา",
                         "ช้างเผือก", "มงกุฎไทย")),
        ("title", TITLE, ("พระราชทานเครื่องราช", "เครื่องราช", "เหรียญตรา", "ขอพระราชทาน")),
        ("any", BODY, ("จัตุรถาภรณ์", "ตริตาภรณ์", "ทวีติยาภรณ์", "ประถมาภรณ์", "เบญจมาภรณ์",
                       "มหาวชิรมงกุฎ", "มหาปรมาภรณ์", "ตอนที่", "ทรงพระกรุณาโปรดเกล้า")),
    ],
    "professional_license": [
        ("title", TITLE, ("ใบอนุญาตประกอบวิชาชีพ", "ต่ออายุใบอนุญาต", "วิชาชีพครู",
                          "วิชาชีพผู้บริหาร", "ใบอนุญาต")),
        ("any", STRONG, ("ใบอนุญาตประกอบวิชาชีพ",)),
        ("any", BODY, ("คุรุสภา", "มาตรฐานวิชาชีพ", "สภาครูและบุคลากรทางการศึกษา", "เลขที่ใบอนุญาต",
                       "วันหมดอายุ", "วันออกใบอนุญาต", "ใบอนุญาต")),
    ],
    "honors": [
        ("title", TITLE, ("เกียรติบัตร", "ยกย่องเชิดชูเกียรติ", "เชิดชูเกียรติ", "รางวัล", "ดีเด่น",
                          "ผลการคัดเลือก", "โล่เกียรติคุณ", "เกียรติคุณ", "รางวัลพระราชทาน")),
        ("any", BODY, ("เกียรติบัตร", "เชิดชูเกียรติ", "ได้รับรางวัล", "รางวัล", "ดีเด่น", "คุรุชน",
                       "ครูดีเด่น", "ผู้ได้รับการคัดเลือก", "ระดับรางวัล")),
    ],
    "benefits": [
        ("title", TITLE, ("บำเหน็จตกทอด", "ผู้รับผลประโยชน์", "แสดงเจตนา", "ระบุตัวผู้รับ",
                          "ผู้รับเงิน", "ฌาปนกิจ", "กบข", "ชพค", "ชพส")),
        ("any", STRONG, ("บำเหน็จตกทอด", "กองทุนบำเหน็จบำนาญ", "ผู้รับผลประโยชน์",
                         "ฌาปนกิจสงเคราะห์")),
        ("any", BODY, ("แสดงเจตนา", "ถึงแก่ความตาย", "บำนาญ", "ผู้มีสิทธิรับเงิน", "ทายาท",
                       "เงินสงเคราะห์", "สมาชิก", "ส่วนที่ได้รับ")),
    ],
    "other": [
        ("title", TITLE, ("ใบลา", "ขอลา", "ลาป่วย", "ลากิจ", "ลาพักผ่อน", "ลาคลอด",
                          "แก้ไขวันเดือนปีเกิด", "รับรองความประพฤติ", "ขอแก้ไข", "แก้ไขข้อมูล",
                          "หนังสือรับรองเงินเดือน", "รับรองการเป็นข้าราชการ", "คำร้อง")),
        ("any", BODY, ("สถิติการลา", "ลามาแล้ว", "ความประพฤติดี", "วันเดือนปีเกิด",
                       "แก้ไขข้อมูลในทะเบียนประวัติ", "ขอแก้ไข", "ระหว่างลา", "มีกำหนด")),
    ],
}


@dataclass(frozen=True)
class Evidence:
    """One explicit clue: the phrase as written in the rules, where it was found, its weight."""

    category: str
    phrase: str
    scope: str
    weight: float

    def as_json(self) -> dict[str, object]:
        return {"category": self.category, "phrase": self.phrase, "scope": self.scope,
                "weight": self.weight}


_COMPILED = [
    (category, scope, weight, phrase, match_key(phrase))
    for category, rules in RULES.items()
    for scope, weight, phrases in rules
    for phrase in phrases
]
_SUBJECT = re.compile(r"(?:เรื่อง|เรอง|เร่อง|เรือง)\s*[:：]?\s*(.*)")
HEADING_LINES = 4


def subject_zone(text: str) -> str:
    """The subject line (เรื่อง ...), with its wrapped continuation; where there is none (a
    certificate, a form, a register page), the heading lines."""
    lines = [ln.strip() for ln in text.replace("\f", "\n").split("\n") if ln.strip()]
    for i, line in enumerate(lines[:40]):
        match = _SUBJECT.search(line)
        if match and match.start() < 8:
            zone = [match.group(1)]
            if i + 1 < len(lines) and len(match.group(1)) < 40:
                zone.append(lines[i + 1])
            return "\n".join(zone)
    return "\n".join(lines[:HEADING_LINES])


def title_zone(text: str) -> str:
    """The heading (first lines) and the subject line(s), where a document names itself."""
    lines = [ln.strip() for ln in text.replace("\f", "\n").split("\n") if ln.strip()]
    zone = lines[:HEADING_LINES]
    for i, line in enumerate(lines[:40]):
        match = _SUBJECT.search(line)
        if match and match.start() < 8:
            zone.append(match.group(1))
            if i + 1 < len(lines) and len(match.group(1)) < 40:
                zone.append(lines[i + 1])  # a subject wrapped onto the next line
            break
    return "\n".join(zone)


def evidence(text: str) -> list[Evidence]:
    """Every rule phrase found, each at most once per scope, best weight first.

    The longest phrase wins where two overlap: "แต่งตั้งคณะกรรมการสอบสวน" is evidence of
    discipline, and its "แต่งตั้งคณะกรรมการ" then says nothing about special service.
    """
    title_key = match_key(title_zone(text))
    body_key = match_key(text)
    hits = [
        (category, scope, weight, phrase, key)
        for category, scope, weight, phrase, key in _COMPILED
        if key and key in (title_key if scope == "title" else body_key)
    ]
    found: dict[tuple[str, str], Evidence] = {}
    for category, scope, weight, phrase, key in hits:
        if any(scope == s and category != c and key != k and key in k
               for c, s, _w, _p, k in hits):
            continue
        slot = (category, scope)
        current = found.get(slot)
        # One phrase per category and scope: repeating the same idea is not new evidence.
        if current is None or weight > current.weight:
            found[slot] = Evidence(category, phrase, scope, weight)
    return sorted(found.values(), key=lambda e: -e.weight)
