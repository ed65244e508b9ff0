"""`import_staff`: people, their units, supervisors, mentors and coaches, from HR's file.

A column present in the file sets that field for every row (a blank cell sets the default: no
supervisor, not HiPPS, active); leave a column out to keep what the database has. Units are
the exception: a unit's name, kind and parent are taken from any row that gives them, and a
blank unit cell leaves them as they are. People missing from the file are never deleted.
Mentor and coach cells may list several codes; they set the standing (every-round)
assignments of that officer, and leave round-specific ones alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.importers import values as v
from handlers.importers.columns import STAFF_COLUMNS, STAFF_REQUIRED, STAFF_TABLE
from handlers.importers.common import (
    Progress,
    RowReader,
    Ticker,
    Transaction,
    audit_rows,
    bulk_delete,
    bulk_insert,
    bulk_update,
    expire_cached,
    in_short_transactions,
    write_chunk,
)
from handlers.importers.reading import FileProblem, Sheet, open_sheet
from handlers.importers.report import ImportReport, RowProblem
from models import Agency, PositionType, Role, RoleAssignment, Staff, Unit, utcnow
from models.rounds import add_default_deadline_rules

CARE_ROLES = {"mentor_code": Role.MENTOR.value, "coach_code": Role.COACH.value}
ROLE_TH = {Role.MENTOR.value: ("พี่เลี้ยง", "mentor"), Role.COACH.value: ("ผู้สอนงาน", "coach")}
DEFAULT_UNIT_KIND = "กอง"


@dataclass(slots=True)
class StaffRow:
    line: int
    code: str
    name: str
    position: str
    level: str
    position_type: str
    unit_code: str
    unit_name: str
    parent_code: str
    unit_kind: str | None
    supervisor: str
    carers: dict[str, list[str]]  # role → staff codes
    hipps: bool
    active: bool


@dataclass(slots=True)
class UnitSpec:
    """What the file says of one unit (None: not said)."""

    name: str | None = None
    kind: str | None = None
    parent: str | None = None


@dataclass(slots=True)
class ExistingStaff:
    id: int
    values: dict[str, Any]


def import_staff(session: Session, path: Path, *, agency_code: str,
                 agency_name: str | None = None, skip_bad: bool = False,
                 progress: Progress | None = None,
                 transaction: Transaction | None = None) -> ImportReport:
    """Create or update the agency's staff from a CSV/XLSX file; never commits (unless given
    `transaction`, below).

    Every row is checked first; when one is bad nothing is written (`report.ok` False) unless
    `skip_bad`, which writes the good rows only. Writes are bulk statements in the session's
    transaction (the caller commits). Importing the same file twice changes nothing. The agency
    is created (with the default deadline rules) only when it is missing and `agency_name` is
    given.

    With `transaction` (bot.db.import_transaction), the file is read and every row checked
    before anything is written, and the writes then go in bounded chunks, each its own short
    transaction (holding the database writer lock only while it writes): nothing can fail on
    the data once writing starts, and a run cut short (a crash, a lost database) is completed
    by importing the same file again, since an import changes only what differs.
    """
    report = ImportReport("staff")
    session.flush()
    agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code))
    agency_missing = agency_id is None and not (agency_name or "").strip()
    if agency_missing:
        report.problems.append(RowProblem(
            None, f"ไม่พบส่วนราชการรหัส {agency_code} (ระบุชื่อส่วนราชการเพื่อสร้างใหม่)",
            f"agency {agency_code} does not exist (give its name to create it)"))
    db = _Existing.load(session, agency_id)
    try:
        with open_sheet(path, STAFF_TABLE, STAFF_REQUIRED, STAFF_COLUMNS) as sheet:
            present = set(sheet.columns)
            rows, bad = _read_rows(sheet, progress)
    except FileProblem as problem:
        report.ok = False
        report.problems.append(RowProblem(problem.line, problem.th, problem.en))
        return report
    good = [row for row in rows if row.line not in bad]
    units = _resolve(good, bad, db, present, sheet.headers)
    good = [row for row in good if row.line not in bad]
    report.problems.extend(problem for line in sorted(bad) for problem in bad[line])
    report.skipped = len(bad)
    if agency_missing or (bad and not skip_bad):
        report.ok = False
        return report
    with in_short_transactions(session, transaction):
        if agency_id is None:
            with write_chunk(session):
                agency = Agency(code=agency_code, name_th=(agency_name or "").strip())
                session.add(agency)
                session.flush()
                add_default_deadline_rules(session, agency.id)
                session.flush()
            agency_id, report.agency_created = agency.id, True
        _apply(session, agency_id, good, units, db, present, report, Path(path).name)
    return report


class _Existing:
    """What the database holds for the agency, keyed by natural keys (one query each)."""

    def __init__(self) -> None:
        self.staff: dict[str, ExistingStaff] = {}
        # code → id, name, kind, parent
        self.units: dict[str, tuple[int, str, str, int | None]] = {}
        self.unit_codes: dict[int, str] = {}
        self.carers: dict[tuple[int, str], dict[int, int]] = {}  # (officer, role) → staff → row id

    @classmethod
    def load(cls, session: Session, agency_id: int | None) -> _Existing:
        existing = cls()
        if agency_id is None:
            return existing
        for row in session.execute(select(
                Staff.id, Staff.staff_code, Staff.name_th, Staff.position, Staff.level,
                Staff.position_type, Staff.unit_id, Staff.is_hipps, Staff.active,
                Staff.supervisor_id).where(Staff.agency_id == agency_id)):
            existing.staff[row.staff_code] = ExistingStaff(row.id, {
                "name_th": row.name_th, "position": row.position, "level": row.level,
                "position_type": row.position_type, "unit_id": row.unit_id,
                "is_hipps": bool(row.is_hipps), "active": bool(row.active),
                "supervisor_id": row.supervisor_id})
        for unit in session.execute(select(Unit.id, Unit.code, Unit.name_th, Unit.kind,
                                           Unit.parent_id).where(Unit.agency_id == agency_id)):
            existing.units[unit.code] = (unit.id, unit.name_th, unit.kind, unit.parent_id)
            existing.unit_codes[unit.id] = unit.code
        agency_staff = select(Staff.id).where(Staff.agency_id == agency_id)
        for assignment in session.execute(select(
                RoleAssignment.id, RoleAssignment.staff_id, RoleAssignment.role,
                RoleAssignment.officer_id).where(
                RoleAssignment.round_id.is_(None),
                RoleAssignment.role.in_(list(CARE_ROLES.values())),
                RoleAssignment.officer_id.in_(agency_staff))):
            existing.carers.setdefault((assignment.officer_id, assignment.role), {})[
                assignment.staff_id] = assignment.id
        return existing


def _read_rows(sheet: Sheet, progress: Progress | None,
               ) -> tuple[list[StaffRow], dict[int, list[RowProblem]]]:
    """Every row read and checked on its own; the bad ones with their problems."""
    rows: list[StaffRow] = []
    bad: dict[int, list[RowProblem]] = {}
    first_line: dict[str, int] = {}
    ticker = Ticker(progress, sheet.total)
    cell = RowReader(sheet)
    for line, cells in sheet.rows:
        ticker.tick()
        cell.start(line, cells)
        code = cell.read("staff_code", v.code, required=True) or ""
        key = code.casefold()  # D0001 and d0001 are the same person
        if code and key in first_line:
            cell.problem(f"รหัสบุคลากรซ้ำกับแถว {first_line[key]}",
                         f"staff code repeats line {first_line[key]}")
        elif code:
            first_line[key] = line
        carers: dict[str, list[str]] = {}
        for column, role in CARE_ROLES.items():
            found = cell.read(column, v.codes) or []
            if code in found:
                th, en = ROLE_TH[role]
                cell.problem(f"เป็น{th}ของตัวเองไม่ได้", f"cannot be their own {en}", column)
            carers[role] = found
        supervisor = cell.read("supervisor_code", v.code) or ""
        if supervisor and supervisor == code:
            cell.problem("เป็นผู้บังคับบัญชาของตัวเองไม่ได้", "cannot be their own supervisor",
                         "supervisor_code")
        row = StaffRow(
            line=line, code=code,
            name=cell.read("name", v.text, 255, required=True) or "",
            position=cell.read("position", v.text, 255) or "",
            level=cell.read("level", v.text, 64) or "",
            position_type=cell.read("position_type", v.position_type) or PositionType.GENERAL.value,
            unit_code=cell.read("unit_code", v.code) or "",
            unit_name=cell.read("unit", v.text, 255) or "",
            parent_code=cell.read("parent_unit_code", v.code) or "",
            unit_kind=cell.read("unit_kind", v.unit_kind),
            supervisor=supervisor, carers=carers,
            hipps=bool(cell.read("hipps", v.yes_no)),
            active=cell.read("status", v.active) is not False)
        if cell.problems:
            bad[line] = cell.problems
        rows.append(row)
    ticker.finish()
    return rows, bad


def _unit_specs(rows: list[StaffRow], bad: dict[int, list[RowProblem]],
                headers: dict[str, str]) -> dict[str, UnitSpec]:
    """What the rows say of each unit code; a row contradicting an earlier one is bad."""
    specs: dict[str, UnitSpec] = {}
    for row in rows:
        if not row.unit_code:
            continue
        spec = specs.setdefault(row.unit_code, UnitSpec())
        said = {"name": row.unit_name or None, "kind": row.unit_kind,
                "parent": row.parent_code or None}
        for attribute, value in said.items():
            if value is None:
                continue
            known = getattr(spec, attribute)
            if known is None:
                setattr(spec, attribute, value)
            elif known != value:
                what = {"name": ("ชื่อ", "name"), "kind": ("ประเภท", "kind"),
                        "parent": ("หน่วยงานต้นสังกัด", "parent unit")}[attribute]
                bad.setdefault(row.line, []).append(RowProblem(
                    row.line, f"หน่วยงาน {row.unit_code} มี{what[0]}ไม่ตรงกับแถวก่อนหน้า ({known})",
                    f"unit {row.unit_code} has a different {what[1]} on an earlier line ({known})",
                    headers.get({"name": "unit", "kind": "unit_kind", "parent": "parent_unit_code"}
                                [attribute])))
    return specs


def _resolve(rows: list[StaffRow], bad: dict[int, list[RowProblem]], db: _Existing,
             present: set[str], headers: dict[str, str]) -> dict[str, UnitSpec]:
    """Check references (units, supervisors, mentors, coaches) until only good rows remain.

    A row that refers to someone only a bad row would create is bad as well, so this repeats
    until nothing more turns bad. Returns the units the good rows define.
    """
    _unit_specs(rows, bad, headers)
    while True:
        good = [row for row in rows if row.line not in bad]
        specs = _unit_specs(good, {}, headers)
        known_units = set(db.units) | set(specs)
        by_name: dict[str, set[str]] = {}
        for code, (_id, name, _kind, _parent) in db.units.items():
            by_name.setdefault((specs[code].name or name) if code in specs else name,
                               set()).add(code)
        for code, spec in specs.items():
            if spec.name:
                by_name.setdefault(spec.name, set()).add(code)
        cyclic = _cyclic_units(specs, db)
        codes = set(db.staff) | {row.code for row in good}
        turned_bad = False
        for row in good:
            problems = _row_references(row, specs, set(db.units), known_units, by_name, cyclic,
                                       codes, present)
            if problems:
                bad[row.line] = [RowProblem(row.line, th, en, headers.get(column))
                                 for th, en, column in problems]
                turned_bad = True
        if not turned_bad:
            return specs


def _row_references(row: StaffRow, specs: dict[str, UnitSpec], db_units: set[str],
                    known_units: set[str],
                    by_name: dict[str, set[str]], cyclic: set[str], codes: set[str],
                    present: set[str]) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if row.unit_code:
        spec = specs[row.unit_code]
        if spec.name is None and row.unit_code not in db_units:
            problems.append((f"หน่วยงานรหัส {row.unit_code} ยังไม่มีในระบบ: ใส่ชื่อหน่วยงานด้วย",
                             f"unit {row.unit_code} is new: give its name too", "unit"))
        if spec.parent and spec.parent not in known_units:
            problems.append((f"ไม่พบหน่วยงานต้นสังกัดรหัส {spec.parent}",
                             f"parent unit {spec.parent} does not exist", "parent_unit_code"))
        elif spec.parent == row.unit_code or row.unit_code in cyclic:
            problems.append((f"หน่วยงาน {row.unit_code} เป็นต้นสังกัดของตัวเองไม่ได้ (วนกลับมาที่ตัวเอง)",
                             f"unit {row.unit_code} cannot be its own parent (the parents loop)",
                             "parent_unit_code"))
    elif row.unit_name:
        found = by_name.get(row.unit_name, set())
        if not found:
            problems.append((f"ไม่พบหน่วยงาน {row.unit_name}: ใส่รหัสหน่วยงานด้วย",
                             f"unit {row.unit_name} not found: give its unit code", "unit"))
        elif len(found) > 1:
            problems.append((f"มีหน่วยงานชื่อ {row.unit_name} หลายแห่ง: ใส่รหัสหน่วยงานด้วย",
                             f"several units are named {row.unit_name}: give the unit code",
                             "unit"))
    if row.supervisor and row.supervisor not in codes:
        problems.append((f"ไม่พบผู้บังคับบัญชารหัส {row.supervisor} (ไม่มีในไฟล์และในระบบ)",
                         f"supervisor {row.supervisor} is neither in the file nor in the system",
                         "supervisor_code"))
    for column, role in CARE_ROLES.items():
        if column not in present:
            continue
        th, en = ROLE_TH[role]
        for carer in row.carers[role]:
            if carer not in codes:
                problems.append((f"ไม่พบ{th}รหัส {carer} (ไม่มีในไฟล์และในระบบ)",
                                 f"{en} {carer} is neither in the file nor in the system", column))
    return problems


def _cyclic_units(specs: dict[str, UnitSpec], db: _Existing) -> set[str]:
    """Units whose chain of parents (the file's, else the database's) comes back to them."""
    parent: dict[str, str | None] = {
        code: db.unit_codes.get(p) if p is not None else None
        for code, (_i, _n, _k, p) in db.units.items()}
    for code, spec in specs.items():
        if spec.parent is not None:
            parent[code] = spec.parent
    cyclic: set[str] = set()
    for start in specs:
        seen, up = {start}, parent.get(start)
        while up is not None:
            if up == start:
                cyclic.add(start)
                break
            if up in seen:
                break
            seen.add(up)
            up = parent.get(up)
    return cyclic


def _apply(session: Session, agency_id: int, rows: list[StaffRow], specs: dict[str, UnitSpec],
           db: _Existing, present: set[str], report: ImportReport, file_name: str) -> None:
    """Write the good rows: units, then people, then supervisors and carers, then the audit."""
    now = utcnow()
    unit_ids = _apply_units(session, agency_id, specs, db, report)
    unit_by_name = {name: code for code, (_i, name, _k, _p) in db.units.items()}
    unit_by_name.update({spec.name: code for code, spec in specs.items() if spec.name})

    def wanted(row: StaffRow) -> dict[str, Any]:
        values: dict[str, Any] = {"name_th": row.name}
        if "position" in present:
            values["position"] = row.position
        if "level" in present:
            values["level"] = row.level
        if "position_type" in present:
            values["position_type"] = row.position_type
        if "unit_code" in present or "unit" in present:
            unit_code = row.unit_code or unit_by_name.get(row.unit_name)
            values["unit_id"] = unit_ids[unit_code] if unit_code else None
        if "hipps" in present:
            values["is_hipps"] = row.hipps
        if "status" in present:
            values["active"] = row.active
        return values

    new_rows = [row for row in rows if row.code not in db.staff]
    bulk_insert(session, Staff.__table__, [
        {"agency_id": agency_id, "staff_code": row.code, "position": "", "level": "",
         "position_type": PositionType.GENERAL.value, "unit_id": None, "supervisor_id": None,
         "is_hipps": False, "active": True, "created_at": now, **wanted(row)}
        for row in new_rows])
    ids = {code: existing.id for code, existing in db.staff.items()}
    if new_rows:
        ids.update(session.execute(select(Staff.staff_code, Staff.id).where(
            Staff.agency_id == agency_id, Staff.staff_code.in_([r.code for r in new_rows]))
            .execution_options(yield_per=5000)).all())
    updates: list[dict[str, Any]] = []
    changed: dict[int, list[str]] = {}
    for row in rows:
        staff_id = ids[row.code]
        values = wanted(row) if row.code in db.staff else {}
        if "supervisor_code" in present:
            values["supervisor_id"] = ids[row.supervisor] if row.supervisor else None
        before = db.staff[row.code].values if row.code in db.staff else None
        if before is None:
            if values.get("supervisor_id") is not None:
                updates.append({"id": staff_id, "supervisor_id": values["supervisor_id"]})
            continue
        fields = [key for key, value in values.items() if before[key] != value]
        if fields:
            updates.append({"id": staff_id, **{key: values[key] for key in fields}})
            changed[staff_id] = fields
    bulk_update(session, Staff.__table__, updates)
    _apply_carers(session, rows, ids, db, present, changed)
    created_ids = {ids[row.code] for row in new_rows}
    report.created = len(new_rows)
    report.updated = len(changed)
    report.unchanged = len(rows) - report.created - report.updated
    entries: list[tuple[str, str, dict[str, Any]]] = [
        ("staff.imported", f"staff:{staff_id}", {"created": True, "file": file_name})
        for staff_id in sorted(created_ids)]
    entries += [("staff.imported", f"staff:{staff_id}", {"fields": fields, "file": file_name})
                for staff_id, fields in sorted(changed.items())]
    if report.changed:
        entries.append(("import.staff", f"agency:{agency_id}", {
            "file": file_name, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "skipped": report.skipped,
            "units_created": report.units_created, "units_updated": report.units_updated}))
    audit_rows(session, entries, now)
    expire_cached(session, Staff, Unit, RoleAssignment)


def _apply_units(session: Session, agency_id: int, specs: dict[str, UnitSpec], db: _Existing,
                 report: ImportReport) -> dict[str, int]:
    """Create and update the units the file names; return code → id for all of them."""
    new_codes = [code for code in specs if code not in db.units]
    bulk_insert(session, Unit.__table__, [
        {"agency_id": agency_id, "code": code, "name_th": specs[code].name or code,
         "kind": specs[code].kind or DEFAULT_UNIT_KIND, "parent_id": None} for code in new_codes])
    ids = {code: unit[0] for code, unit in db.units.items()}
    if new_codes:
        ids.update(session.execute(select(Unit.code, Unit.id).where(
            Unit.agency_id == agency_id, Unit.code.in_(new_codes))).all())
    updates: list[dict[str, Any]] = []
    for code, spec in specs.items():
        if code in db.units:
            _id, name, kind, parent_id = db.units[code]
        else:
            name, kind, parent_id = spec.name or code, spec.kind or DEFAULT_UNIT_KIND, None
        values = {"name_th": spec.name or name, "kind": spec.kind or kind,
                  "parent_id": ids[spec.parent] if spec.parent else parent_id}
        before = {"name_th": name, "kind": kind, "parent_id": parent_id}
        fields = {key: value for key, value in values.items() if before[key] != value}
        if fields:
            updates.append({"id": ids[code], **fields})
            if code in db.units:
                report.units_updated += 1
    bulk_update(session, Unit.__table__, updates)
    report.units_created = len(new_codes)
    return ids


def _apply_carers(session: Session, rows: list[StaffRow], ids: dict[str, int], db: _Existing,
                  present: set[str], changed: dict[int, list[str]]) -> None:
    """Make the standing mentor/coach assignments of each officer in the file what it says."""
    inserts: list[dict[str, Any]] = []
    deletes: list[int] = []
    for column, role in CARE_ROLES.items():
        if column not in present:
            continue
        for row in rows:
            officer_id = ids[row.code]
            have = db.carers.get((officer_id, role), {})
            want = {ids[code] for code in row.carers[role]}
            added, dropped = want - set(have), set(have) - want
            if not (added or dropped):
                continue
            inserts += [{"staff_id": staff_id, "role": role, "officer_id": officer_id,
                         "round_id": None} for staff_id in sorted(added)]
            deletes += [have[staff_id] for staff_id in dropped]
            if row.code in db.staff:
                changed.setdefault(officer_id, []).append(role)
    bulk_delete(session, RoleAssignment.__table__, deletes)
    bulk_insert(session, RoleAssignment.__table__, inserts)
