"""Explicit evidence for the 16 categories: titles, issuing bodies and form codes.

Phrases are written as a clerk would print them and matched on `match_key` forms (skeleton,
no spaces or dots), so dropped tone marks and stray spaces do not hide them. A phrase in the
subject line (เรื่อง ...) or the heading counts more than one in the body: a transfer order
that says "มาบรรจุและแต่งตั้ง" in its body is still a transfer (status_orders), not a first
appointment. Form codes carry digits OCR confuses (๔ read as ๕, ๙ as ๕ or ๓), so their usual
misreadings are listed with them; a code counts only as a token of its own (not the คร of
"มหานคร" before a date's ๒๕).

What tells two kinds of paper apart, from clause 3.5 of the handbook and the papers a file
holds: a first appointment says บรรจุ / เข้ารับราชการ / รายงานตัว in its subject unless it moves
someone already in service (โอน, ย้าย, บรรจุกลับ), appoints to an administrator's post, or
reports back from a secondment or study leave (each rule group may name such `unless`
phrases); a background check names ตรวจสอบประวัติ / สืบประวัติ / ลายพิมพ์นิ้วมือ; personal status
the civil registers (คำนำหน้านาม, ชื่อสกุล, สมรส, หย่า, form codes ช. คร. สด. ท.ร.๓) where a
house register is ท.ร.๑๔ / ทะเบียนบ้าน; special service ช่วยราชการ / ยืมตัว / ปฏิบัติราชการ
ชั่วคราว / ภารกิจพิเศษ; leave of any kind is "other" except study leave (education).

The subject line's first phrase names the paper (HEAD); what follows says whom it is about.
A long title phrase with one letter misread or lost inside still counts, a little less.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from archive.thai import fold_digits
from ingest.understand.normal import match_key, skeleton

TITLE, STRONG, BODY = 3.0, 2.5, 1.2
# A word that names the paper only in general ("บรรจุ", "เข้ารับราชการ" in a subject line)
# counts less than a clerk's full title for it.
WORD = 2.0
# The first phrase of a subject line names the paper; what follows says whom or what it is
# about: "รายงานผลการสืบประวัติ ... ของผู้ได้รับการบรรจุ" is a background check about an
# appointee, "ให้ข้าราชการครูเข้ารับการพัฒนาก่อนแต่งตั้งให้มีวิทยฐานะ" a course before a
# standing. The category whose phrase comes first in the subject line earns this much more.
HEAD = 1.0

# Leave of any kind is "other" (clause 3.5: การลาต่าง ๆ) except study leave, which is
# education and training; resignation (ลาออก) is a status order.
_NOT_PLAIN_LEAVE = ("ลาออก", "ลาศึกษา", "ลาไปศึกษา", "ศึกษาต่อ", "ฝึกอบรม", "ดูงาน", "วิจัย")

# Orders that move someone already in service: a transfer in or out, a reinstatement.
_MOVES = ("บรรจุกลับ", "กลับเข้ารับราชการ", "โอน", "ย้ายข้าราชการ", "ย้ายไป", "ย้ายมา", "ย้ายและ",
          "ได้รับการย้าย", "ย้ายต่างเขต")
# Administrators and supervisors are chosen from serving teachers: an order that "appoints"
# (บรรจุและแต่งตั้ง) someone to such a post is a later status order, not a first appointment.
_LATER_POSTS = ("ตำแหน่งรองผู้อำนวยการ", "ตำแหน่งผู้อำนวยการ", "ผู้บริหารสถานศึกษา",
                "ตำแหน่งศึกษานิเทศก์", "ตำแหน่งผู้ช่วยผู้อำนวยการ")

# A medical certificate names the physician's licence (ใบอนุญาตประกอบวิชาชีพเวชกรรม): that
# is no teacher's licence; nor is a private school's licence to open, which a certificate it
# issues prints under its name ("ใบอนุญาตให้จัดตั้งโรงเรียน", signed by "ผู้รับใบอนุญาต").
_PHYSICIAN = ("เวชกรรม", "แพทย์")
_NOT_A_TEACHERS_LICENCE = (*_PHYSICIAN, "ใบอนุญาตให้จัดตั้ง", "ใบอนุญาตจัดตั้ง", "ผู้รับใบอนุญาต",
                           # a driving licence (a skill: special abilities)
                           "ใบอนุญาตขับ", "ขับรถ", "ขับขี่")

# An application form (ใบสมัครสอบ) says in its heading what the exam is for (เพื่อบรรจุและแต่งตั้ง):
# it is no appointment; what it proves is the degree applied with (clause 3.5.2).
_APPLICATION = ("ใบสมัครสอบ", "ใบสมัคร")
# An appointee's degree weighed against the post (its major, the qualification it gives): the
# degree used to apply (clause 3.5.2), whatever the paper says of the appointment.
_DEGREE_CHECK = ("คุณวุฒิ", "วิชาเอก")

# A course whose outcome is a skill outside teaching (a sports coach's or referee's
# certificate, Thai massage) is evidence of a special ability (clause 4.4.5: abilities beyond
# those the post requires), not of training for the post.
_SKILL_COURSES = ("ผู้ฝึกสอนกีฬา", "ผู้ตัดสินกีฬา", "นวดไทย", "การนวด", "แพทย์แผนไทย")
# Having served as a resource person at a course: the duty (special service), not attending it.
_SERVED_AS_SPEAKER = ("ปฏิบัติหน้าที่วิทยากร", "ปฏิบัติหน้าที่เป็นวิทยากร")

# Reporting back for duty after a secondment or study leave is evidence of that, not of a
# first appointment's report for duty (รายงานตัว).
_BACK_TO_DUTY = ("รายงานตัวกลับ", "กลับเข้าปฏิบัติราชการ", "กลับมาปฏิบัติราชการ", "กลับจาก",
                 "ช่วยราชการ", "ลาศึกษา")

# The lists of those punished (ก.พ. and ก.ค.ศ. circulate them) a name is checked against.
_PUNISHED_LISTS = ("บัญชีผู้ถูกลงโทษ", "บัญชีรายชื่อผู้ถูกลงโทษ", "รายชื่อผู้ถูกลงโทษ")

# A student still studying holds no degree yet: a certificate of that is evidence of study
# (education and training), not of a qualification.
_STUDYING = ("สถานภาพนักศึกษา", "สถานภาพการเป็นนักศึกษา", "อยู่ระหว่างศึกษา", "กำลังศึกษา",
             "คาดว่าจะสำเร็จการศึกษา")

# category -> [(scope, weight, phrases[, unless])]; scope "title" = subject line or heading,
# "subject" = the subject line (เรื่อง ...) only, "any" = anywhere. A group with `unless`
# says nothing where one of those phrases is in the same zone.
RULES: dict[str, list[tuple[Any, ...]]] = {
    "appointment": [
        ("title", TITLE, ("บรรจุและแต่งตั้ง", "รายงานตัวเข้าปฏิบัติหน้าที่", "รายงานตัว",
                          "แจ้งการบรรจุ", "บรรจุเข้ารับราชการ", "บรรจุบุคคลเข้ารับราชการ",
                          "รับบุคคลเข้ารับราชการ", "ผู้สอบแข่งขันได้", "สอบแข่งขันได้",
                          "ปฏิญาณตน", "เรียกตัวผู้สอบ", "เลือกสถานศึกษา",
                          "ดำรงตำแหน่งครูผู้ช่วย"),
         (*_MOVES, *_LATER_POSTS, *_BACK_TO_DUTY, *_APPLICATION)),
        # A first appointment says "บรรจุ" or "เข้ารับราชการ" in its subject line, however it
        # is worded (a scholarship graduate, a special selection, a local-government teacher),
        # unless the order moves someone already in service (_MOVES: a transfer says
        # "รับโอน ... มาบรรจุและแต่งตั้ง"). Only the subject line: a form's
        # heading says "(สำหรับผู้เข้ารับราชการ)" of a medical certificate too.
        ("subject", WORD, ("บรรจุ", "เข้ารับราชการ"),
         (*_MOVES, *_LATER_POSTS, *_BACK_TO_DUTY, *_APPLICATION, *_DEGREE_CHECK)),
        # Hiring under a contract (a university's laboratory school, a government employee)
        # is the appointment of that employment; a procurement contract is no hiring.
        ("title", TITLE, ("สัญญาจ้างพนักงาน", "จ้างและแต่งตั้ง", "จ้างเป็นพนักงาน", "จ้างบุคคล",
                          "ได้รับการจัดจ้างเป็น", "จัดจ้างเป็นพนักงาน"),
         (*_MOVES, *_LATER_POSTS, *_BACK_TO_DUTY, "พัสดุ", "จัดซื้อ")),
        ("any", BODY, ("บรรจุและแต่งตั้ง", "ผู้สอบแข่งขันได้", "ตำแหน่งครูผู้ช่วย",
                       "ทดลองปฏิบัติหน้าที่ราชการ", "รายงานตัวเพื่อเข้าปฏิบัติหน้าที่",
                       "บรรจุเข้ารับราชการ", "ผู้ได้รับการบรรจุ", "ขึ้นบัญชีผู้สอบแข่งขันได้",
                       "เข้ารับราชการเป็นข้าราชการครู", "ผู้รับทุน", "รายงานตัวเข้ารับราชการ")),
    ],
    "status_orders": [
        ("title", TITLE, ("ย้ายข้าราชการ", "รับโอน", "ให้โอน", "เลื่อนเงินเดือน",
                          "เลื่อนขั้นเงินเดือน", "วิทยฐานะ", "เลื่อนตำแหน่ง", "เลื่อนระดับ",
                          "ปรับปรุงการกำหนดตำแหน่ง", "ให้รักษาการในตำแหน่ง", "รักษาราชการแทน",
                          "ลาออกจากราชการ", "เกษียณอายุราชการ", "พ้นจากราชการ", "ปรับอัตราเงินเดือน",
                          "ให้ได้รับเงินเดือน", "ย้ายและแต่งตั้ง", "แต่งตั้งให้ดำรงตำแหน่ง",
                          "โอนไป", "โอนมา", "การโอน", "ย้ายไป", "ย้ายมา", "ย้ายสับเปลี่ยน",
                          "รักษาการในตำแหน่ง", "ระดับที่สูงขึ้น", "ตำแหน่งที่สูงขึ้น",
                          "ได้รับเงินเดือน", "ปรับเงินเดือน", "เงินเดือนตามคุณวุฒิ", "ปรับวุฒิ",
                          "บรรจุกลับ", "กลับเข้ารับราชการ", "ลาออก", "เกษียณ", "พ้นจากตำแหน่ง",
                          "แก้ไขคำสั่ง", "ยกเลิกคำสั่ง", "เปลี่ยนตำแหน่ง", "ตัดโอนตำแหน่ง",
                          "พ้นจากการเตรียมความพร้อม",
                          # a transfer's dispatch of the teachers moved, with their records
                          "ส่งตัวข้าราชการ", "ได้รับการย้าย", "ย้ายต่างเขต",
                          # an assistant teacher's two years of preparation (ก.ค.ศ.), the
                          # first step towards the post of ครู
                          "เตรียมความพร้อมและพัฒนาอย่างเข้ม",
                          *_LATER_POSTS,
                          "เงินประจำตำแหน่ง", "ออกจากราชการ")),
        ("any", BODY, ("จึงย้าย", "ย้ายไปดำรงตำแหน่ง", "จึงรับโอน", "ขอโอน", "เลื่อนเงินเดือน",
                       "เงินเดือนใหม่", "มีวิทยฐานะ", "เงินวิทยฐานะ", "มาตรา 58", "มาตรา 59",
                       "มาตรา 73", "ตำแหน่งเดิม", "อัตราเงินเดือนเดิม", "ดำรงตำแหน่งใหม่")),
    ],
    "background_check": [
        ("any", STRONG, ("กองทะเบียนประวัติอาชญากร", "ประวัติอาชญากร", "ลายพิมพ์นิ้วมือ",
                         "พิสูจน์หลักฐาน", "ประวัติการกระทำความผิด", "สืบประวัติ",
                         "ประวัติและพฤติการณ์")),
        # A person's conduct (พฤติการณ์) is looked into for a check, and for a discipline case.
        ("title", TITLE, ("พฤติการณ์",), ("กระทำผิด", "วินัย", "กล่าวหา", "สอบสวน")),
        # A person's name checked against the lists of those dismissed (the qualification
        # "never dismissed from the service" of an appointee): a check, no penalty.
        ("title", TITLE, (*_PUNISHED_LISTS, "ตรวจสอบรายชื่อ")),
        ("any", STRONG, _PUNISHED_LISTS),
        ("title", TITLE, ("ผลการตรวจสอบประวัติ", "ตรวจสอบประวัติบุคคล", "ตรวจสอบประวัติ",
                          "ตรวจสอบคุณสมบัติ", "ตรวจสอบข้อมูลบุคคล",
                          "ตรวจสอบข้อมูลประวัติ", "ลายพิมพ์นิ้วมือ", "ตรวจพิสูจน์")),
        ("any", BODY, ("ตรวจสอบประวัติ", "สารบบ", "ไม่พบประวัติ", "ไม่เคยต้องโทษ", "ต้องโทษจำคุก",
                       "คดีอาญา", "หมายจับ", "ไม่มีประวัติ", "พฤติการณ์")),
    ],
    "personal_status": [
        # A certificate that two names are one person (a village head's, a district's): the
        # evidence for a record whose names differ, as a name change's is.
        ("title", TITLE, ("หนังสือรับรองบุคคล", "รับรองบุคคล", "บุคคลเดียวกัน",
                          "บุคคลคนเดียวกัน")),
        ("title", TITLE, ("สูติบัตร", "ใบสำคัญการสมรส", "ใบสำคัญการหย่า", "ทะเบียนการหย่า",
                          "ทะเบียนสมรส", "เปลี่ยนชื่อตัว", "เปลี่ยนชื่อสกุล", "ทหารกองเกิน",
                          "ทหารกองหนุน", "ใบรับรองผลการตรวจเลือก", "ทร3", "คร3", "คร2",
                          "คร7", "ช3", "ช1", "ช2", "ช4", "ช5", "ช6", "สด9", "สด5", "สด3", "สด8",
                          "สด43", "สด45", "ใบมรณบัตร", "หนังสือสำคัญแสดงการจดทะเบียน",
                          "คำนำหน้านาม", "เปลี่ยนชื่อ", "การสมรส", "การหย่า",
                          "บัตรประจำตัวประชาชน", "บัตรประชาชน", "มรณบัตร", "รับรองบุตร",
                          "บุตรบุญธรรม", "ฐานะแห่งครอบครัว", "คร11", "คร22", "ใบสำคัญทหาร",
                          "ตรวจเลือกเข้ารับราชการทหาร", "id card",
                          # a reserve officer's rank (ว่าที่ร้อยตรี) for a military student
                          "แต่งตั้งยศ", "ยศทหาร", "นักศึกษาวิชาทหาร")),
        ("any", BODY, ("จดทะเบียนสมรส", "จดทะเบียนการหย่า", "การเปลี่ยนชื่อ", "ชื่อสกุลเดิม",
                       "ชื่อตัวเดิม", "ชื่อตัวใหม่", "ชื่อสกุลใหม่", "สถานที่เกิด", "ผู้แจ้งการเกิด",
                       "ภูมิลำเนาทหาร", "ลงบัญชีทหาร", "สัสดี", "ประมวลกฎหมายแพ่งและพาณิชย์",
                       "นายทะเบียนท้องที่", "ทะเบียนราษฎร", "คำนำหน้านาม", "วันออกบัตร",
                       "บัตรหมดอายุ", "นายทะเบียนอำเภอ", "การสมรสสิ้นสุด")),
    ],
    "house_registration": [
        ("title", TITLE, ("ทะเบียนบ้าน", "ทร14", "ทร15", "รายการเกี่ยวกับบุคคลในบ้าน",
                          "รับรองรายการทะเบียนราษฎร", "รายการทะเบียนบ้าน", "ทร13", "ทร6",
                          "การย้ายที่อยู่", "ย้ายที่อยู่", "ย้ายเข้า", "รับรองการอยู่อาศัย", "ทร31", "ทร100",
                          "รับรองถิ่นที่อยู่", "ถิ่นที่อยู่", "ที่อยู่ตามทะเบียนบ้าน")),
        ("any", STRONG, ("เลขรหัสประจำบ้าน", "รหัสประจำบ้าน", "แจ้งย้ายที่อยู่",
                         "ใบแจ้งการย้ายที่อยู่", "ย้ายออกจากทะเบียนบ้าน")),
        ("any", BODY, ("เจ้าบ้าน", "ผู้อาศัย", "ย้ายเข้ามาเมื่อ", "ประเภทบ้าน", "ลักษณะบ้าน",
                       "ทะเบียนบ้าน", "มีชื่ออยู่ในทะเบียนบ้าน", "พักอาศัยอยู่จริง")),
    ],
    "qualification": [
        ("title", TITLE, ("ใบแสดงผลการศึกษา", "ปริญญาบัตร", "ให้ปริญญา", "รับรองคุณวุฒิ",
                          "หนังสือรับรองคุณวุฒิ", "ใบรับรองคุณวุฒิ", "ประกาศนียบัตรบัณฑิต",
                          "รับรองการสำเร็จการศึกษา", "transcript", "ระเบียนแสดงผลการเรียน",
                          "แสดงผลการศึกษา", "ตรวจสอบวุฒิ", "ตรวจสอบคุณวุฒิ",
                          "วุฒิการศึกษา", "อนุปริญญา", "ประกาศนียบัตรวิชาชีพ",
                          "พิจารณาคุณวุฒิ", "ชื่อวิชาเอก")),
        ("title", WORD, ("degree", "diploma", "bachelor", "master")),
        # Clause 3.5.2 names this evidence "สำเนาวุฒิการศึกษาที่ใช้สมัคร": the degree a
        # teacher applied with, on the application form or a copy certified for it.
        ("any", STRONG, ("วุฒิการศึกษาที่ใช้สมัคร", "คุณวุฒิที่ใช้สมัคร", "วุฒิที่ใช้สมัคร")),
        ("any", BODY, ("ปริญญา", "สำเร็จการศึกษา", "คะแนนเฉลี่ยสะสม", "หน่วยกิต",
                       "สภามหาวิทยาลัย", "อนุมัติให้ได้รับปริญญา", "คุณวุฒิ", "รหัสประจำตัวนักศึกษา",
                       "บัณฑิต", "เกรดเฉลี่ย", "ผลการเรียนเฉลี่ย", "ได้รับปริญญา", "ปีการศึกษาที่สำเร็จ",
                       "ระดับปริญญาตรี"), _STUDYING),
    ],
    "education_training": [
        # Certificates of international bodies print the course in English.
        ("any", STRONG, ("trainingprogramme", "trainingprogram", "trainingcourse", "workshop",
                         "seminar")),
        ("title", TITLE, ("ฝึกอบรม", "อบรม", "ศึกษาดูงาน", "ดูงาน", "ลาศึกษาต่อ", "ศึกษาต่อ",
                          "วิจัย", "สัมมนา", "พัฒนาบุคลากร", "ประชุมเชิงปฏิบัติการ", "วุฒิบัตร",
                          "เข้ารับการพัฒนา", "ผลการพัฒนา", "พัฒนาตนเอง", "ชั่วโมงการพัฒนา",
                          "ศึกษาเพิ่มเติม", "ไปศึกษา", "ลาไปศึกษา", "ประชุมวิชาการ",
                          "ประชุมทางวิชาการ", "ประชุมสัมมนา", "หลักสูตรพัฒนา", "การพัฒนาครู",
                          "คัดเลือกเข้าศึกษา", "เข้าศึกษา"),
         (*_SKILL_COURSES, *_SERVED_AS_SPEAKER)),
        ("title", TITLE, ("สถานภาพนักศึกษา", "สถานภาพการเป็นนักศึกษา", "รับรองการเป็นนักศึกษา")),
        ("any", STRONG, _STUDYING),
        ("any", BODY, ("ผ่านการอบรม", "หลักสูตรการอบรม", "ได้ผ่านการอบรมหลักสูตร", "ศึกษาดูงาน",
                       "การวิจัย", "งานวิจัย", "วิจัยในชั้นเรียน", "รวม ชั่วโมง", "ชั่วโมง",
                       "พัฒนาวิชาชีพ", "ลาศึกษาต่อ", "ผู้เข้ารับการอบรม", "เข้ารับการพัฒนา",
                       "ชุมชนการเรียนรู้ทางวิชาชีพ", "ชั่วโมงการพัฒนา", "ศึกษาเพิ่มเติม")),
    ],
    "special_abilities": [
        ("title", TITLE, _SKILL_COURSES),
        ("title", TITLE, ("ความสามารถพิเศษ", "ทดสอบความสามารถ", "รับรองความสามารถ",
                          "ความสามารถทางภาษา", "proficiency", "ความรู้ภาษา", "วัดระดับความรู้",
                          "วัดระดับความสามารถ", "ความสามารถภาษา", "ทดสอบภาษา",
                          "ทดสอบสมรรถนะ", "สมรรถนะด้านดิจิทัล", "ทักษะดิจิทัล", "ฝีมือแรงงาน",
                          "ความรู้ความสามารถเฉพาะด้าน", "ความสามารถเฉพาะด้าน", "ความเชี่ยวชาญ",
                          "ผู้ตัดสิน", "ผู้ฝึกสอน", "นักกีฬา", "ทีมชาติ", "hsk", "jlpt", "topik",
                          "toefl", "ielts", "toeic", "cefr", "ทักษะภาษา", "ทดสอบทักษะ",
                          "มาตรฐานทักษะ", "ล่ามภาษา", "เป็นล่าม", "ภาษามือ", "มัคคุเทศก์",
                          "ธรรมศึกษา", "นักธรรม", "วิทยุสมัครเล่น",
                          # a skill tested for speed (typing); an invention the state patents
                          "พิมพ์ดีด", "วัดความสามารถ", "สิทธิบัตร", "อนุสิทธิบัตร", "การประดิษฐ์",
                          "ผู้ประดิษฐ์",
                          # a martial art's graded belts (สายดำ, ดั้ง); a tested rescue skill
                          "สอบเลื่อนสาย", "เลื่อนสาย", "สายดำ", "ผู้ช่วยชีวิต", "lifeguard",
                          # a licence to drive; a textbook the teacher wrote, approved for use
                          "ใบอนุญาตขับ", "ใบขับขี่", "หนังสืออ่านเพิ่มเติม", "ผู้เรียบเรียง",
                          "ตรวจพิจารณาคุณภาพหนังสือ")),
        ("any", BODY, ("ความสามารถพิเศษ", "ความรู้ความสามารถพิเศษ", "cefr", "toeic", "ielts",
                       "ความเชี่ยวชาญ", "ผู้ฝึกสอน", "ผู้ตัดสิน", "นักกีฬา", "ทักษะ", "listening",
                       "speaking", "ระดับความสามารถ", "ความสามารถเฉพาะด้าน", "มาตรฐานฝีมือ",
                       "ผู้ประดิษฐ์", "การประดิษฐ์", "ทรัพย์สินทางปัญญา", "ความเร็วสุทธิ")),
    ],
    "special_service": [
        ("title", TITLE, ("ช่วยราชการ", "ไปช่วยราชการ", "แต่งตั้งคณะกรรมการ", "คณะกรรมการดำเนินการ",
                          "ปฏิบัติราชการพิเศษ", "ปฏิบัติหน้าที่พิเศษ", "เลือกตั้ง",
                          "ปฏิบัติหน้าที่กรรมการ", "ราชการพิเศษ", "ยืมตัว", "ช่วยปฏิบัติงาน",
                          "ช่วยปฏิบัติราชการ", "ปฏิบัติราชการเป็นการชั่วคราว",
                          "ปฏิบัติราชการชั่วคราว", "ปฏิบัติหน้าที่ประจำศูนย์", "ประจำสนามสอบ",
                          "สนามสอบ", "คุมสอบ", "กำกับห้องสอบ", "อยู่เวร", "ภารกิจพิเศษ",
                          "คณะทำงาน", "แต่งตั้งผู้ฝึกสอน", "ผู้ควบคุมทีม"),
         # a committee that prepares and assesses an assistant teacher: their status
         ("เตรียมความพร้อม",)),
        # Serving on a panel, judging a contest, speaking as a resource person: duties beyond
        # the post. A panel of inquiry is discipline.
        # Official travel abroad (a team's escort, a delegation) is a duty beyond the post;
        # travel to study, train or attend a meeting is education and training.
        ("title", TITLE, ("ไปราชการต่างประเทศ", "เดินทางไปราชการ"),
         ("ศึกษาดูงาน", "ดูงาน", "ฝึกอบรม", "อบรม", "ประชุม", "สัมมนา", "ศึกษาต่อ", "วิจัย")),
        # A court's lay roles a teacher is appointed to beside the post.
        ("title", TITLE, ("ผู้พิพากษาสมทบ", "ผู้ประนีประนอม")),
        # A resource person thanked or invited; a course that trains resource persons is
        # education and training.
        ("title", TITLE, ("วิทยากร",), ("อบรม", "หลักสูตร", "พัฒนา", "สอบสวน", "วินัย")),
        # Having served as one is the duty itself, at a course too (a camp's staff).
        ("title", TITLE, _SERVED_AS_SPEAKER),
        ("title", TITLE, ("แต่งตั้งกรรมการ", "เป็นกรรมการ", "กรรมการตัดสิน", "คณะผู้ประเมิน",
                          "เป็นวิทยากร", "บุคลากรเป็นวิทยากร", "จิตอาสา", "ผู้ประสบภัย"),
         ("สอบสวน", "สืบสวน", "วินัย", "จรรยาบรรณ", "กล่าวหา", "เตรียมความพร้อม")),
        ("any", BODY, ("ไปช่วยราชการ", "กรรมการคุมสอบ", "สนามสอบ", "ประธานกรรมการ",
                       "กรรมการประจำหน่วยเลือกตั้ง", "หน่วยเลือกตั้ง", "ได้รับมอบหมาย",
                       "ปฏิบัติหน้าที่ที่ได้รับมอบหมาย", "การเลือกตั้ง", "ยืมตัว",
                       "ช่วยปฏิบัติงาน", "คณะทำงาน", "ผู้ประสบภัย", "กำกับห้องสอบ")),
    ],
    "discipline": [
        ("title", TITLE, ("ลงโทษ", "ภาคทัณฑ์", "ตัดเงินเดือน", "ลดเงินเดือน", "ลดขั้นเงินเดือน",
                          "ปลดออก", "ไล่ออก", "สอบสวน", "ล้างมลทิน", "วินัย", "ให้ออกจากราชการไว้ก่อน",
                          "พักราชการ", "จรรยาบรรณ", "ร้องเรียน", "แต่งตั้งคณะกรรมการสอบสวน",
                          "ตั้งกรรมการสอบสวน", "คณะกรรมการสอบสวน", "ว่ากล่าวตักเตือน", "ตักเตือน",
                          "ทัณฑ์บน", "สืบสวน", "ข้อกล่าวหา", "ผู้ถูกกล่าวหา", "อุทธรณ์",
                          "ร้องทุกข์", "งดโทษ", "นิรโทษกรรม", "ยุติเรื่อง",
                          "ออกจากราชการไว้ก่อน", "พักใช้ใบอนุญาต", "เพิกถอนใบอนุญาต"), _PUNISHED_LISTS),
        ("any", BODY, ("กระทำผิดวินัย", "ความผิดวินัย", "คณะกรรมการสอบสวน", "สอบสวน", "กล่าวหา",
                       "ลงโทษ", "ล้างมลทิน", "อุทธรณ์", "โทษทางวินัย", "วินัยอย่างร้ายแรง",
                       "วินัยอย่างไม่ร้ายแรง", "จรรยาบรรณ", "ทัณฑ์บน", "ตักเตือน", "สืบสวน",
                       "ออกจากราชการไว้ก่อน"), _PUNISHED_LISTS),
    ],
    "martial_law": [
        ("any", STRONG, ("กฎอัยการศึก", "อัยการศึก", "ชายแดนภาคใต้",
                         # the armed escort of teachers on their way, in the border provinces
                         "รปภ.ครู", "รักษาความปลอดภัยครู", "ชุดคุ้มครองครู", "ทหารพราน")),
        ("title", TITLE, ("พื้นที่จังหวัดชายแดนภาคใต้", "เวลาราชการทวีคูณ", "พื้นที่พิเศษ",
                          "ทวีคูณ", "สู้รบ", "พสร", "ความไม่สงบ", "รักษาความมั่นคงภายใน")),
        ("any", BODY, ("ทวีคูณ", "สถานการณ์ความไม่สงบ", "ความไม่สงบ", "ประกาศใช้กฎอัยการศึก",
                       "เงินเพิ่มพิเศษสำหรับการสู้รบ", "รักษาความปลอดภัยครู")),
    ],
    "decorations": [
        ("any", STRONG, ("เครื่องราชอิสริยาภรณ์", "ราชกิจจานุเบกษา", "เหรียญจักรพรรดิมาลา",
                         "ช้างเผือก", "มงกุฎไทย")),
        ("title", TITLE, ("พระราชทานเครื่องราช", "เครื่องราช", "เหรียญตรา", "ขอพระราชทาน",
                          "ประกาศนียบัตรกำกับ", "เหรียญจักรมาลา", "เหรียญดุษฎีมาลา")),
        # The Thai Red Cross's medals are conferred with royal permission (ด้วยพระบรมราชานุญาต)
        # and worn with the royal decorations.
        ("title", TITLE, ("เหรียญกาชาด", "เข็มกาชาด")),
        ("any", BODY, ("จัตุรถาภรณ์", "ตริตาภรณ์", "ทวีติยาภรณ์", "ประถมาภรณ์", "เบญจมาภรณ์",
                       "มหาวชิรมงกุฎ", "มหาปรมาภรณ์", "ตอนที่", "ทรงพระกรุณาโปรดเกล้า")),
    ],
    "professional_license": [
        ("title", TITLE, ("ใบอนุญาตประกอบวิชาชีพ", "ต่ออายุใบอนุญาต", "วิชาชีพครู",
                          "วิชาชีพผู้บริหาร", "ใบอนุญาต", "ยกเว้นใบอนุญาต", "ขอรับใบอนุญาต",
                          "อนุญาตให้ประกอบวิชาชีพ", "ได้รับอนุญาตประกอบวิชาชีพ", "elicense",
                          "การประกอบวิชาชีพ", "ประกอบวิชาชีพ"), _NOT_A_TEACHERS_LICENCE),
        ("any", STRONG, ("ใบอนุญาตประกอบวิชาชีพ",), _PHYSICIAN),
        ("any", BODY, ("คุรุสภา", "มาตรฐานวิชาชีพ", "สภาครูและบุคลากรทางการศึกษา", "เลขที่ใบอนุญาต",
                       "วันหมดอายุ", "วันออกใบอนุญาต")),
        ("any", BODY, ("ใบอนุญาต",), _NOT_A_TEACHERS_LICENCE),
    ],
    "honors": [
        ("title", TITLE, ("เกียรติบัตร", "ยกย่องเชิดชูเกียรติ", "เชิดชูเกียรติ", "รางวัล", "ดีเด่น",
                          "ผลการคัดเลือก", "โล่เกียรติคุณ", "เกียรติคุณ", "รางวัลพระราชทาน",
                          "ชมเชย", "ยกย่อง", "มอบโล่", "โล่รางวัล", "คุรุสดุดี",
                          "ผลงานดีเด่น", "แสดงความยินดี")),
        ("any", BODY, ("เกียรติบัตร", "เชิดชูเกียรติ", "ได้รับรางวัล", "รางวัล", "ดีเด่น", "คุรุชน",
                       "ครูดีเด่น", "ผู้ได้รับการคัดเลือก", "ระดับรางวัล", "ยกย่อง", "ชมเชย",
                       "มอบโล่")),
    ],
    "benefits": [
        ("title", TITLE, ("บำเหน็จตกทอด", "ผู้รับผลประโยชน์", "แสดงเจตนา", "ระบุตัวผู้รับ",
                          "ผู้รับเงิน", "ฌาปนกิจ", "กบข", "ชพค", "ชพส", "ผู้รับประโยชน์",
                          "ผู้รับโอนประโยชน์", "ประกันชีวิต", "ผู้มีสิทธิรับเงิน", "เงินช่วยพิเศษ",
                          "ทายาท", "กรณีถึงแก่กรรม", "กรณีถึงแก่ความตาย", "สงเคราะห์ครอบครัว")),
        ("any", STRONG, ("บำเหน็จตกทอด", "กองทุนบำเหน็จบำนาญ", "ผู้รับผลประโยชน์",
                         "ฌาปนกิจสงเคราะห์", "ผู้รับประโยชน์")),
        ("any", BODY, ("แสดงเจตนา", "ถึงแก่ความตาย", "บำนาญ", "ผู้มีสิทธิรับเงิน", "ทายาท",
                       "เงินสงเคราะห์", "สมาชิก", "ส่วนที่ได้รับ", "ผู้เอาประกัน", "ถึงแก่กรรม")),
    ],
    "other": [
        ("title", TITLE, ("ใบลา", "ขอลา", "ลาป่วย", "ลากิจ", "ลาพักผ่อน", "ลาคลอด",
                          "อนุญาตให้ลา", "ลาติดตามคู่สมรส", "ลาอุปสมบท", "ประกอบพิธีฮัจย์",
                          "ลาไปช่วยเหลือภริยา", "ลาเข้ารับการตรวจเลือก", "ลาไปปฏิบัติงาน",
                          "ลาไปฟื้นฟูสมรรถภาพ"), _NOT_PLAIN_LEAVE),
        # A request to correct an entry of the house register is house-registration evidence.
        ("title", TITLE, ("ขอแก้ไข", "แก้ไขข้อมูล", "คำร้อง"), ("ทะเบียนบ้าน", "ทะเบียนราษฎร")),
        # The right to a house-rent allowance, tied to a posting: an important paper.
        ("title", TITLE, ("ค่าเช่าบ้าน",)),
        ("title", TITLE, ("แก้ไขวันเดือนปีเกิด", "รับรองความประพฤติ",
                          "หนังสือรับรองเงินเดือน", "รับรองการเป็นข้าราชการ",
                          "ใบรับรองแพทย์", "ไปต่างประเทศ", "อาชีพเสริม", "รับรองการปฏิบัติงาน",
                          "รับรองการทำงาน", "ผ่านงาน", "รับรองเงินเดือน",
                          "รับรองการได้รับเงินเดือน", "บัตรประจำตัวเจ้าหน้าที่ของรัฐ",
                          "บัตรประจำตัวข้าราชการ", "บัตรข้าราชการ", "บ้านพักครู",
                          "บ้านพักข้าราชการ", "คัดสำเนาทะเบียนประวัติ", "หักเงินเดือน",
                          "ตรวจลงตรา")),
        # A power of attorney says in its body what it empowers (a house register's move,
        # a salary's collection): its title alone counts less.
        ("title", WORD, ("มอบอำนาจ",)),
        ("any", STRONG, ("ใบรับรองแพทย์", "ประกอบวิชาชีพเวชกรรม", "แพทย์ผู้ตรวจ")),
        ("any", BODY, ("สถิติการลา", "ลามาแล้ว", "ความประพฤติดี", "วันเดือนปีเกิด",
                       "แก้ไขข้อมูลในทะเบียนประวัติ", "ขอแก้ไข", "ระหว่างลา",
                       "นอกเวลาราชการ", "ตรวจร่างกาย")),
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


def _groups() -> list[tuple[str, str, float, tuple[str, ...], tuple[str, ...]]]:
    """(category, scope, weight, phrases, unless) of every rule group."""
    out = []
    for category, groups in RULES.items():
        for group in groups:
            scope, weight, phrases, *rest = group
            out.append((category, scope, weight, phrases, rest[0] if rest else ()))
    return out


_CODE = re.compile(r"([ก-ฮ]{1,3})(\d{1,2})")


def _code_pattern(key: str) -> re.Pattern[str] | None:
    """A form code (ท.ร.๑๔, สด.๙, ช.๓) as a token of its own: not the tail of a word
    ("มหานคร ๒๕" is no คร.๒) and not the head of a longer number."""
    match = _CODE.fullmatch(key)
    if match is None:
        return None
    letters = r"[\s.]*".join(match.group(1))
    digits = r"\s*".join(match.group(2))
    return re.compile(f"(?<![ก-ฮ]){letters}[\\s.]*{digits}(?!\\d)")


_COMPILED = [
    (category, scope, weight, phrase, match_key(phrase), tuple(match_key(u) for u in unless),
     _code_pattern(match_key(phrase)))
    for category, scope, weight, phrases, unless in _groups()
    for phrase in phrases
]
_MARKS = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\\s]*"
# "เรื่อง" as OCR leaves it: marks dropped or doubled, stray spaces inside, ร read as ว,
# เ as แ.
_SUBJECT = re.compile(f"[เแ]{_MARKS}[รว]{_MARKS}อ{_MARKS}ง\\s*[:：]?\\s*(.*)")
_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")
HEADING_LINES = 4
# Title phrases of at least NEAR_MIN letters are also found with one letter misread.
NEAR_MIN, NEAR_SHARE = 7, 0.8


def _subject_at(lines: list[str]) -> tuple[int, str] | None:
    """The line holding the subject (เรื่อง ...) and the subject's text: the label opens the
    line (after at most a stray mark or two), never inside a word such as a name."""
    for i, line in enumerate(lines[:40]):
        match = _SUBJECT.search(line)
        if match and match.start() < 8 and not _THAI_LETTER.search(line[:match.start()]
                                                                   .replace("เ", "")):
            return i, match.group(1)
    return None


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.replace("\f", "\n").split("\n") if ln.strip()]


def _subject_lines(lines: list[str]) -> list[str] | None:
    found = _subject_at(lines)
    if found is None:
        return None
    i, subject = found
    zone = [subject]
    if i + 1 < len(lines) and len(subject) < 40:
        zone.append(lines[i + 1])  # a subject wrapped onto the next line
    return zone


def subject_zone(text: str) -> str:
    """The subject line (เรื่อง ...), with its wrapped continuation; where there is none (a
    certificate, a form, a register page), the heading lines."""
    lines = _lines(text)
    zone = _subject_lines(lines)
    return "\n".join(zone if zone is not None else lines[:HEADING_LINES])


def title_zone(text: str) -> str:
    """The heading (first lines) and the subject line(s), where a document names itself."""
    lines = _lines(text)
    return "\n".join(lines[:HEADING_LINES] + (_subject_lines(lines) or []))


_NEAR = [(category, scope, weight, phrase, key, unless)
         for category, scope, weight, phrase, key, unless, code in _COMPILED
         if scope in ("title", "subject") and code is None and len(key) >= NEAR_MIN]


def _near_hits(zones: dict[str, str], exact: set[str]
               ) -> list[tuple[str, str, float, str, str]]:
    """Title phrases OCR changed by one letter (ร read as ว, ช as ซ, one lost): rapidfuzz finds the
    candidates, _one_letter_off confirms them. They count NEAR_SHARE of a phrase read
    whole."""
    out = []
    for scope in ("title", "subject"):
        zone = zones[scope]
        rows = [r for r in _NEAR if r[1] == scope and r[4] not in exact]
        if not zone or not rows:
            continue
        scores = process.cdist([zone], [r[4] for r in rows], scorer=fuzz.partial_ratio,
                               score_cutoff=100.0 * (1 - 1 / NEAR_MIN) - 1e-6)[0]
        for (category, _scope, weight, phrase, key, unless), score in zip(rows, scores,
                                                                           strict=True):
            if score >= 100.0 * (1 - 1 / len(key)) - 1e-6 and _one_letter_off(key, zone) \
                    and not any(u in zone for u in unless):
                out.append((category, scope, weight * NEAR_SHARE, phrase, key))
    return out


def _one_letter_off(key: str, zone: str) -> bool:
    """The phrase in the zone with one letter inside it misread or lost, its first and last
    letters as printed (a phrase missing its first letter is often another word: ปรับ/รับ)."""
    n = len(key)
    lost = {key[:i] + key[i + 1:] for i in range(1, n - 1)}
    for at in range(len(zone) - n + 2):
        window = zone[at:at + n]
        if len(window) == n and window[0] == key[0] and window[-1] == key[-1] and \
                sum(a != b for a, b in zip(window, key, strict=True)) <= 1:
            return True
        if window[:n - 1] in lost:
            return True
    return False


def evidence(text: str) -> list[Evidence]:
    """Every rule phrase found, each at most once per scope, best weight first; and the
    category named first in the subject line (HEAD).

    The longest phrase wins where two overlap: "แต่งตั้งคณะกรรมการสอบสวน" is evidence of
    discipline, and its "แต่งตั้งคณะกรรมการ" then says nothing about special service.
    """
    lines = _lines(text)
    subject = _subject_lines(lines)
    title = "\n".join(lines[:HEADING_LINES] + (subject or []))
    zones = {"title": match_key(title), "subject": match_key("\n".join(subject or [])),
             "any": match_key(text)}
    codes = {"title": fold_digits(skeleton(title)).lower()}
    hits = []
    for category, scope, weight, phrase, key, unless, code in _COMPILED:
        zone = zones[scope]
        if not key or key not in zone or any(u in zone for u in unless):
            continue
        if code is not None and not code.search(codes.get(scope) or codes.setdefault(
                scope, fold_digits(skeleton(text)).lower())):
            continue
        hits.append((category, scope, weight, phrase, key))
    hits += _near_hits(zones, {key for *_x, key in hits})
    # The subject line is part of the title zone: one zone for overlaps and repeats.
    same = {"title": "title", "subject": "title", "any": "any"}
    kept = [(category, scope, weight, phrase, key)
            for category, scope, weight, phrase, key in hits
            if not any(same[scope] == same[s] and category != c and key != k and key in k
                       for c, s, _w, _p, k in hits)]
    found: dict[tuple[str, str], Evidence] = {}
    for category, scope, weight, phrase, _key in kept:
        slot = (category, same[scope])
        current = found.get(slot)
        # One phrase per category and scope: repeating the same idea is not new evidence.
        if current is None or weight > current.weight:
            found[slot] = Evidence(category, phrase, scope, weight)
    if subject is not None:
        subject_key = match_key("\n".join(subject))
        placed = [(subject_key.find(key), -len(key), category, phrase)
                  for category, scope, _w, phrase, key in kept
                  if scope in ("title", "subject") and key in subject_key]
        if placed:
            _at, _length, category, phrase = min(placed)
            found[(category, "head")] = Evidence(category, phrase, "head", HEAD)
    return sorted(found.values(), key=lambda e: -e.weight)
