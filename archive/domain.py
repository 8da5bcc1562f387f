"""The record's vocabulary: service statuses, entry sections, evidence categories, retirement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ServiceStatus(StrEnum):
    """สถานะการรับราชการ of a record owner."""

    ACTIVE = "active"
    SUSPENDED = "suspended"  # พักราชการ
    ORDERED_OUT_PENDING = "ordered_out_pending"  # ให้ออกจากราชการไว้ก่อน
    TRANSFERRED_OUT = "transferred_out"  # โอน/ย้ายออก: not leaving service
    LEFT_SERVICE = "left_service"  # พ้นจากราชการ (section 107)


class LeftReason(StrEnum):
    """Why an owner left service (section 107 of the Teachers Act 2004)."""

    DIED = "died"
    RETIRED = "retired"
    RESIGNED = "resigned"
    ORDERED_OUT = "ordered_out"
    DISMISSED = "dismissed"
    OTHER = "other"


class EntrySection(StrEnum):
    """Record entry sections of clause 4.4."""

    POSITION_SALARY = "position_salary"
    TRAINING = "training"
    RESEARCH = "research"
    STUDY_VISIT = "study_visit"
    SPECIAL_ABILITY = "special_ability"
    SPECIAL_SERVICE = "special_service"
    DISCIPLINE = "discipline"
    ETHICS = "ethics"
    MARTIAL_LAW = "martial_law"
    DECORATION = "decoration"
    LEAVE = "leave"
    OTHER = "other"


@dataclass(frozen=True)
class EvidenceCategory:
    """One of the 16 kinds of evidence of clause 3.5 (เอกสารหลักฐาน)."""

    code: int
    slug: str
    name_th: str
    name_en: str
    clause: str
    optional: bool


EVIDENCE_CATEGORIES: tuple[EvidenceCategory, ...] = (
    EvidenceCategory(1, "appointment", "คำสั่งบรรจุและแต่งตั้ง และหลักฐานการรายงานตัว",
                     "Appointment order and report-for-duty evidence", "3.5.1", False),
    EvidenceCategory(2, "qualification", "สำเนาปริญญาบัตร/ใบแสดงผลการศึกษาที่ใช้สมัคร",
                     "Degree or transcript used to apply", "3.5.2", False),
    EvidenceCategory(3, "background_check", "ผลการตรวจสอบประวัติอาชญากร/ลายพิมพ์นิ้วมือ",
                     "Criminal-record and fingerprint check result", "3.5.3", False),
    EvidenceCategory(4, "personal_status", "หลักฐานสถานภาพส่วนตัว (สูติบัตร เปลี่ยนชื่อ สมรส หย่า สด.๙)",
                     "Birth, name change, marriage, divorce, military status", "3.5.4", False),
    EvidenceCategory(5, "status_orders", "คำสั่งเปลี่ยนแปลงสถานภาพ (ย้าย เลื่อนเงินเดือน วิทยฐานะ)",
                     "Later orders on status: transfer, salary, academic standing", "3.5.5", False),
    EvidenceCategory(6, "house_registration", "สำเนาทะเบียนบ้านปัจจุบัน",
                     "Current house registration copy", "3.5.6", False),
    EvidenceCategory(7, "education_training", "หลักฐานการศึกษา ฝึกอบรม วิจัย ดูงาน",
                     "Education, training, research and study-visit evidence", "3.5.7", False),
    EvidenceCategory(8, "special_abilities", "ความสามารถพิเศษ (ถ้ามี)",
                     "Special abilities", "3.5.8", True),
    EvidenceCategory(9, "special_service", "การปฏิบัติราชการพิเศษ (ถ้ามี)",
                     "Special service assignments", "3.5.9", True),
    EvidenceCategory(10, "discipline", "การสอบสวน การลงโทษทางวินัย การล้างมลทิน (ถ้ามี)",
                     "Discipline investigations, penalties, amnesty", "3.5.10", True),
    EvidenceCategory(11, "martial_law", "การรับราชการในเขตที่ประกาศกฎอัยการศึก (ถ้ามี)",
                     "Service in areas under martial law", "3.5.11", True),
    EvidenceCategory(12, "decorations", "เครื่องราชอิสริยาภรณ์และเหรียญตรา (ถ้ามี)",
                     "Royal decorations and medals", "3.5.12", True),
    EvidenceCategory(13, "professional_license", "ใบอนุญาตประกอบวิชาชีพจากคุรุสภา (ถ้ามี)",
                     "Professional licence from the Teachers Council", "3.5.13", True),
    EvidenceCategory(14, "honors", "เกียรติประวัติและรางวัล (ถ้ามี)",
                     "Honours and awards", "3.5.14", True),
    EvidenceCategory(15, "benefits", "หนังสือแสดงเจตนาระบุตัวผู้รับบำเหน็จตกทอด (ถ้ามี)",
                     "Beneficiary designations for death gratuity / pension", "3.5.15", True),
    EvidenceCategory(16, "other", "เอกสารสำคัญอื่น ๆ",
                     "Other important documents", "3.5.16", True),
)

CATEGORY_BY_SLUG: dict[str, EvidenceCategory] = {c.slug: c for c in EVIDENCE_CATEGORIES}


def add_years(d: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def sixtieth_year_reached_on(birth_date: date) -> date:
    """The day the owner reaches 60: the day before the 60th birthday (clause 3.2.10)."""
    return date.fromordinal(add_years(birth_date, 60).toordinal() - 1)


def retirement_date(birth_date: date) -> date:
    """วันครบเกษียณอายุราชการ: 30 September ending the fiscal year in which the owner reaches 60.

    The fiscal year runs 1 October - 30 September, so a 60th year reached on 1 October or
    later retires on 30 September of the following calendar year.
    """
    reached = sixtieth_year_reached_on(birth_date)
    year = reached.year + 1 if reached.month >= 10 else reached.year
    return date(year, 9, 30)


def fiscal_year_be(d: date) -> int:
    """Thai fiscal year (ปีงบประมาณ) in Buddhist Era: starts 1 October of the year before."""
    return (d.year + 1 if d.month >= 10 else d.year) + 543


def retention_eligible_after(left_service_on: date) -> date:
    """The 10th anniversary of leaving; destruction is allowed only strictly after it (5.6.2)."""
    return add_years(left_service_on, 10)
