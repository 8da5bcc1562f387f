"""Reminders for the records manager, limited to the persons of their scope, with Thai labels."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from api.access import Action, Principal, scope
from api.http.errors import bad_request
from api.services.retention_scope import in_scope, owners_of
from archive import audit
from archive.archive import Archive
from retention.holidays import HolidayError, load_holidays
from retention.reminders import KINDS, list_reminders

KIND_TH = {
    "photo_outdated": "รูปถ่ายเกิน ๖ ปี ต้องถ่ายใหม่",
    "order_recorded_late": "คำสั่งยังไม่บันทึกพร้อมหลักฐานภายใน ๕ วันทำการ",
    "appointee_not_certified": "ผู้บรรจุใหม่ยังไม่รับรองทะเบียนประวัติภายใน ๑๕ วัน",
    "retiring": "เกษียณอายุราชการในปีงบประมาณ",
}


def reminders(db: Session, archive: Archive, principal: Principal, *, as_of: date,
              since: date | None = None, kinds: list[str] | None = None,
              fiscal_year: int | None = None) -> dict[str, Any]:
    unknown = sorted(set(kinds or []) - set(KINDS))
    if unknown:
        raise bad_request("bad_kind", "ไม่รู้จักประเภทการแจ้งเตือนนี้", {"unknown": unknown,
                                                                     "kinds": list(KINDS)})
    if fiscal_year is not None and not 2400 <= fiscal_year <= 2700:
        raise bad_request("bad_fiscal_year", "ปีงบประมาณต้องเป็นปีพุทธศักราช เช่น ๒๕๗๐")
    try:
        holidays = load_holidays(archive.settings.data_dir)
    except HolidayError as exc:
        raise bad_request("bad_holidays", "แฟ้มวันหยุดราชการไม่ถูกต้อง", str(exc)) from exc
    result = list_reminders(db, as_of=as_of, since=since, holidays=holidays,
                            kinds=kinds or None, fiscal_year=fiscal_year)
    sc = scope(principal, Action.RETENTION_REVIEW)
    owners = owners_of(db, [r["citizen_id"] for r in result["reminders"]])
    result["reminders"] = [
        {**r, "kind_th": KIND_TH.get(r["kind"], r["kind"])} for r in result["reminders"]
        if r["citizen_id"] in owners and in_scope(sc, r["citizen_id"],
                                                  owners[r["citizen_id"]].unit_path)
    ]
    result["kinds_th"] = KIND_TH
    audit.append(db, action="reminders.read", subject="reminders", actor=principal.actor,
                 details={"as_of": as_of.isoformat(), "kinds": kinds or list(KINDS),
                          "shown": len(result["reminders"])})
    return result
