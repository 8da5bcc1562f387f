"""The roles of clause 6.1 (plus digitizer and records manager) and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A right a user holds over a scope (a unit subtree or assigned persons)."""

    OWNER = "owner"  # เจ้าของประวัติ: implicit for a user whose citizen_id names a person
    RECORDER = "recorder"  # ผู้บันทึกรายการทะเบียนประวัติ
    REGISTRAR = "registrar"  # ผู้จัดทำทะเบียนประวัติ
    CERTIFIER = "certifier"  # ผู้รับรองทะเบียนประวัติ (head of office)
    ACCESS_CONTROLLER = "access_controller"  # ผู้ควบคุมการเข้าใช้งาน
    DATA_CONTROLLER = "data_controller"  # ผู้ควบคุมข้อมูลทะเบียนประวัติ
    DIGITIZER = "digitizer"  # เจ้าหน้าที่นำเข้าเอกสาร (scanning team)
    RECORDS_MANAGER = "records_manager"  # เจ้าหน้าที่บริหารจัดการเอกสาร


ROLE_NAMES_TH: dict[Role, str] = {
    Role.OWNER: "เจ้าของประวัติ",
    Role.RECORDER: "ผู้บันทึกรายการทะเบียนประวัติ",
    Role.REGISTRAR: "ผู้จัดทำทะเบียนประวัติ",
    Role.CERTIFIER: "ผู้รับรองทะเบียนประวัติ",
    Role.ACCESS_CONTROLLER: "ผู้ควบคุมการเข้าใช้งาน",
    Role.DATA_CONTROLLER: "ผู้ควบคุมข้อมูลทะเบียนประวัติ",
    Role.DIGITIZER: "เจ้าหน้าที่นำเข้าเอกสาร",
    Role.RECORDS_MANAGER: "เจ้าหน้าที่บริหารจัดการเอกสาร",
}


class Action(StrEnum):
    """What a request wants to do. Each is checked against a scope by `api.access.policy`."""

    READ_RECORD = "read_record"  # a person's record, entries, documents (and downloads)
    WRITE_ENTRY = "write_entry"  # record entries; confirm draft entries
    RESOLVE_REVIEW = "resolve_review"  # file documents from the review queue
    DECIDE_CORRECTION = "decide_correction"  # approve/reject an owner's correction request
    REQUEST_CORRECTION = "request_correction"  # the owner asks for a correction, with evidence
    CERTIFY = "certify"  # certify a record (head of office)
    GRANT_RIGHTS = "grant_rights"  # create users in the unit, grant/revoke/confirm rights
    READ_RIGHTS = "read_rights"  # see users and grants (the fiscal-year rights report)
    UPLOAD = "upload"  # ingest scans, see batch reports (not record contents)
    RETENTION_REVIEW = "retention_review"  # run reviews, make proposals, paper lists, reminders
    RETENTION_ORDER = "retention_order"  # approve a destruction order and execute it
    LEGAL_HOLD = "legal_hold"  # place or release a legal hold
    READ_AUDIT = "read_audit"  # the audit log


# Which role may do which action, within the scope of its grant. The owner's only scope is
# their own record; staff roles reach the persons of their unit subtree or assigned persons.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset({Action.READ_RECORD, Action.REQUEST_CORRECTION}),
    Role.RECORDER: frozenset({Action.READ_RECORD, Action.WRITE_ENTRY}),
    Role.REGISTRAR: frozenset({
        Action.READ_RECORD, Action.WRITE_ENTRY, Action.RESOLVE_REVIEW,
        Action.DECIDE_CORRECTION,
    }),
    Role.CERTIFIER: frozenset({Action.READ_RECORD, Action.CERTIFY}),
    Role.ACCESS_CONTROLLER: frozenset({Action.GRANT_RIGHTS, Action.READ_RIGHTS}),
    Role.DATA_CONTROLLER: frozenset({
        Action.READ_RECORD, Action.RETENTION_ORDER, Action.LEGAL_HOLD, Action.READ_AUDIT,
        Action.READ_RIGHTS,
    }),
    Role.DIGITIZER: frozenset({Action.UPLOAD}),
    Role.RECORDS_MANAGER: frozenset({Action.RETENTION_REVIEW}),
}

# Roles granted over one assigned person (or a unit); the others only over a unit subtree.
PERSON_SCOPED_ROLES = frozenset({Role.RECORDER, Role.REGISTRAR})
