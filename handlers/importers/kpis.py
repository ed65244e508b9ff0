"""`import_kpis`: KPI agreements (5 KPIs a person, weights summing to 100) from HR's file.

Rows are grouped into one agreement per (officer, round) and the group is checked as a whole
with `models.kpi.check_kpis`; one bad row makes its whole agreement bad. An unsigned agreement
is made to match the file exactly (KPIs the file no longer has are removed). A signed one is
never changed here: each KPI that differs becomes a change request for the evaluator (seed
001), once; adding or removing KPIs of a signed agreement is refused.

An optional `วันที่ลงนาม / signed on` column records an agreement signed on paper: it must fall
inside the round, and an unsigned agreement is then marked signed on that day.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Column, select
from sqlalchemy.orm import Session

from handlers.importers import values as v
from handlers.importers.columns import KPI_COLUMNS, KPI_REQUIRED, KPI_TABLE
from handlers.importers.common import (
    Progress,
    RowReader,
    Ticker,
    Transaction,
    audit_rows,
    batches,
    bulk_delete,
    bulk_insert,
    bulk_update,
    expire_cached,
    in_short_transactions,
    write_chunk,
)
from handlers.importers.reading import FileProblem, Sheet, open_sheet
from handlers.importers.report import ImportReport, RowProblem
from models import (
    Agency,
    AgreementError,
    Base,
    ChangeStatus,
    Kpi,
    KpiAgreement,
    KpiChangeRequest,
    Round,
    Staff,
    utcnow,
)
from models.kpi import CHANGEABLE, MAX_KPIS, check_kpis, request_kpi_change
from models.rounds import open_round, round_dates
from thai import format_date

BANGKOK = ZoneInfo("Asia/Bangkok")  # a paper signature's day is a day in Thailand
LEVELS = ("level1", "level2", "level3", "level4", "level5")
NUMERIC = ("weight", "target", *LEVELS)
# Compared with the database, in this order: what a change request may change.
KPI_FIELDS: tuple[str, ...] = CHANGEABLE
assert KPI_FIELDS == ("name", "unit", *NUMERIC)
WEIGHT_LIMIT = Decimal(1000)  # Numeric(5, 2)
FISCAL_YEARS = range(2400, 2800)


@dataclass(slots=True)
class KpiRow:
    """One row of the file, read; duck-types as a `Kpi` for `check_kpis`."""

    line: int
    staff_code: str
    officer_id: int
    fiscal_year: int
    round_no: int
    number: int
    name: str
    unit: str
    weight: Decimal
    target: Decimal
    level1: Decimal
    level2: Decimal
    level3: Decimal
    level4: Decimal
    level5: Decimal
    allow_over_100: bool | None  # None: the file has no such column
    key_project: str | None
    signed_on: date | None

    @property
    def levels(self) -> tuple[Decimal, ...]:
        return (self.level1, self.level2, self.level3, self.level4, self.level5)

    def values(self) -> tuple[Any, ...]:
        return (self.name, self.unit, self.weight, self.target, *self.levels)


Key = tuple[int, int, int]  # officer id, fiscal year, round


@dataclass(slots=True)
class ExistingAgreement:
    id: int
    key_project: str | None
    signed: bool
    kpis: dict[int, tuple[int, tuple[Any, ...], bool]]  # number → id, KPI_FIELDS values, over 100


def import_kpis(session: Session, path: Path, *, agency_code: str, fiscal_year: int | None = None,
                round_no: int | None = None, skip_bad: bool = False,
                progress: Progress | None = None,
                transaction: Transaction | None = None) -> ImportReport:
    """Create or update KPI agreements from a CSV/XLSX file; never commits (unless given
    `transaction`: see `import_staff`).

    `fiscal_year` (BE) and `round_no` stand in for the file's columns when it has none (and
    must agree with them when it has). Every row is checked first; when one is bad nothing is
    written (`report.ok` False) unless `skip_bad`, which writes the good agreements only.
    Writes are bulk statements in the session's transaction (the caller commits); importing
    the same file twice changes nothing. Rounds are opened as needed.
    """
    report = ImportReport("kpis")
    session.flush()
    agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code))
    if agency_id is None:
        report.ok = False
        report.problems.append(RowProblem(None, f"ไม่พบส่วนราชการรหัส {agency_code}",
                                          f"agency {agency_code} does not exist"))
        return report
    if round_no is not None and round_no not in (1, 2):
        report.problems.append(RowProblem(None, f"รอบต้องเป็น 1 หรือ 2 (ได้ {round_no})",
                                          f"the round must be 1 or 2 (got {round_no})"))
    if fiscal_year is not None and fiscal_year not in FISCAL_YEARS:
        report.problems.append(RowProblem(
            None, f"ปีงบประมาณต้องเป็น พ.ศ. เช่น 2570 (ได้ {fiscal_year})",
            f"the fiscal year must be a Buddhist Era year such as 2570 (got {fiscal_year})"))
    if report.problems:
        report.ok = False
        return report
    try:
        with open_sheet(path, KPI_TABLE, KPI_REQUIRED, KPI_COLUMNS) as sheet:
            for column, given, th, en in (("fiscal_year", fiscal_year, "ปีงบประมาณ", "fiscal year"),
                                          ("round", round_no, "รอบ", "round")):
                if given is None and not sheet.has(column):
                    raise FileProblem(f"ไม่ทราบ{th}: เพิ่มคอลัมน์ {th} ในไฟล์ หรือระบุ{th}ตอนนำเข้า",
                                      f"{en} unknown: add a {en} column or give it to the import",
                                      sheet.header_line)
            staff = dict(session.execute(select(Staff.staff_code, Staff.id).where(
                Staff.agency_id == agency_id)).all())
            rows, bad = _read_rows(sheet, staff, fiscal_year, round_no, progress)
            present = set(sheet.columns)
    except FileProblem as problem:
        report.ok = False
        report.problems.append(RowProblem(problem.line, problem.th, problem.en))
        return report
    codes = {officer_id: code for code, officer_id in staff.items()}
    del staff
    groups: dict[Key, list[KpiRow]] = {}
    for row in rows:
        if row.officer_id and row.fiscal_year and row.round_no:
            groups.setdefault((row.officer_id, row.fiscal_year, row.round_no), []).append(row)
    del rows
    rounds = {(r.fiscal_year, r.round_no): r for r in session.scalars(
        select(Round).where(Round.agency_id == agency_id))}
    existing = _load_existing(session, rounds, {key[1:] for key in groups})
    _check_groups(session, groups, bad, rounds, existing, codes, present)
    report.problems.extend(problem for line in sorted(bad) for problem in bad[line])
    report.skipped = len(bad)
    if bad and not skip_bad:
        report.ok = False
        return report
    good = {key: group for key, group in groups.items()
            if not any(row.line in bad for row in group)}
    with in_short_transactions(session, transaction):
        _apply(session, agency_id, good, existing, present, report, Path(path).name)
    return report


def _read_rows(sheet: Sheet, staff: dict[str, int], fiscal_year: int | None,
               round_no: int | None, progress: Progress | None,
               ) -> tuple[list[KpiRow], dict[int, list[RowProblem]]]:
    rows: list[KpiRow] = []
    bad: dict[int, list[RowProblem]] = {}
    seen: dict[tuple[int, int, int, int], int] = {}
    shared: dict[Any, Any] = {}  # equal values share one object: 100,000 rows repeat a lot
    ticker = Ticker(progress, sheet.total)
    cell = RowReader(sheet)
    has_over, has_key, has_signed = (sheet.has("allow_over_100"), sheet.has("key_project"),
                                     sheet.has("signed_on"))

    def number(field: str, **kwargs: Any) -> Decimal:
        raw = cell.raw(field)
        found = shared.get(("d", raw))
        if found is None:
            found = cell.read(field, v.decimal, **kwargs)
            if found is not None and len(shared) < 50_000:
                shared[("d", raw)] = found
        return found if found is not None else Decimal(0)

    for line, cells in sheet.rows:
        ticker.tick()
        cell.start(line, cells)
        code = cell.read("staff_code", v.code, required=True) or ""
        officer_id = staff.get(code)
        if code and officer_id is None:
            cell.problem(f"ไม่พบบุคลากรรหัส {code} ในระบบ (นำเข้าบุคลากรก่อน)",
                         f"unknown staff code {code} (import the staff first)", "staff_code")
        year = _year(cell, fiscal_year)
        round_ = _round(cell, round_no)
        kpi_no = cell.read("kpi_no", v.integer, prefix="ตัวชี้วัดที่")
        if kpi_no is not None and not 1 <= kpi_no <= MAX_KPIS:
            cell.problem(f"ตัวชี้วัดที่ต้องเป็น 1 ถึง {MAX_KPIS} (ได้ {kpi_no})",
                         f"KPI number must be 1 to {MAX_KPIS} (got {kpi_no})", "kpi_no")
        name = cell.read("kpi_name", v.text, 500, required=True) or ""
        unit = cell.read("unit_of_measure", v.text, 64) or ""
        row = KpiRow(
            line=line, staff_code=code, officer_id=officer_id or 0, fiscal_year=year or 0,
            round_no=round_ or 0, number=kpi_no or 0, name=name,
            unit=shared.setdefault(("u", unit), unit),
            weight=number("weight", max_abs=WEIGHT_LIMIT), target=number("target"),
            level1=number("level1"), level2=number("level2"), level3=number("level3"),
            level4=number("level4"), level5=number("level5"),
            allow_over_100=bool(cell.read("allow_over_100", v.yes_no)) if has_over else None,
            key_project=(cell.read("key_project", v.text, 2000) or None) if has_key else None,
            signed_on=cell.read("signed_on", v.day) if has_signed else None)
        if officer_id and year and round_ and kpi_no:
            key = (officer_id, year, round_, kpi_no)
            if key in seen:
                cell.problem(f"ตัวชี้วัดที่ {kpi_no} ของ {code} รอบที่ {round_}/{year} ซ้ำกับแถว {seen[key]}",
                             f"KPI {kpi_no} of {code}, round {round_}/{year}, "
                             f"repeats line {seen[key]}")
            else:
                seen[key] = line
        if cell.problems:
            bad[line] = cell.problems
        rows.append(row)
    ticker.finish()
    return rows, bad


def _year(cell: RowReader, given: int | None) -> int | None:
    year = cell.read("fiscal_year", v.integer, required=False, prefix="พ.ศ.")
    if year is None:
        if (given is None and cell.sheet.has("fiscal_year")
                and cell.raw("fiscal_year").strip() == ""):
            cell.problem("ไม่ระบุปีงบประมาณ", "no fiscal year", "fiscal_year")
        return given if cell.raw("fiscal_year").strip() == "" else None
    if year not in FISCAL_YEARS:
        cell.problem(f"ปีงบประมาณต้องเป็น พ.ศ. เช่น 2570 (ได้ {year})",
                     f"fiscal year must be a Buddhist Era year such as 2570 (got {year})",
                     "fiscal_year")
        return None
    if given is not None and year != given:
        cell.problem(f"ปีงบประมาณ {year} ไม่ตรงกับที่ระบุตอนนำเข้า ({given})",
                     f"fiscal year {year} differs from the one given to the import ({given})",
                     "fiscal_year")
        return None
    return year


def _round(cell: RowReader, given: int | None) -> int | None:
    round_ = cell.read("round", v.integer, required=False, prefix="รอบที่")
    if round_ is None:
        if given is None and cell.sheet.has("round") and cell.raw("round").strip() == "":
            cell.problem("ไม่ระบุรอบการประเมิน", "no round", "round")
        return given if cell.raw("round").strip() == "" else None
    if round_ not in (1, 2):
        cell.problem(f"รอบต้องเป็น 1 หรือ 2 (ได้ {round_})", f"round must be 1 or 2 (got {round_})",
                     "round")
        return None
    if given is not None and round_ != given:
        cell.problem(f"รอบที่ {round_} ไม่ตรงกับที่ระบุตอนนำเข้า ({given})",
                     f"round {round_} differs from the one given to the import ({given})", "round")
        return None
    return round_


def _load_existing(session: Session, rounds: dict[tuple[int, int], Round],
                   wanted: set[tuple[int, int]]) -> dict[tuple[int, int], ExistingAgreement]:
    """(officer id, round id) → the agreement and its KPIs, for the rounds the file touches."""
    round_ids = [rounds[key].id for key in wanted if key in rounds]
    if not round_ids:
        return {}
    agreements: dict[tuple[int, int], ExistingAgreement] = {}
    by_id: dict[int, ExistingAgreement] = {}
    for found in session.execute(select(
            KpiAgreement.id, KpiAgreement.officer_id, KpiAgreement.round_id,
            KpiAgreement.key_project, KpiAgreement.signed_at).where(
            KpiAgreement.round_id.in_(round_ids))):
        agreement = ExistingAgreement(found.id, found.key_project, found.signed_at is not None,
                                      {})
        agreements[(found.officer_id, found.round_id)] = agreement
        by_id[found.id] = agreement
    shared: dict[Any, Any] = {}
    query = (select(Kpi.id, Kpi.agreement_id, Kpi.number, Kpi.name, Kpi.unit, Kpi.weight,
                    Kpi.target, Kpi.level1, Kpi.level2, Kpi.level3, Kpi.level4, Kpi.level5,
                    Kpi.allow_over_100)
             .join(KpiAgreement, KpiAgreement.id == Kpi.agreement_id)
             .where(KpiAgreement.round_id.in_(round_ids)))
    for row in session.execute(query.execution_options(yield_per=10_000)):
        values = tuple(shared.setdefault(value, value) for value in row[3:12])
        by_id[row.agreement_id].kpis[row.number] = (row.id, values, bool(row.allow_over_100))
    return agreements


def _check_groups(session: Session, groups: dict[Key, list[KpiRow]],
                  bad: dict[int, list[RowProblem]], rounds: dict[tuple[int, int], Round],
                  existing: dict[tuple[int, int], ExistingAgreement], codes: dict[int, str],
                  present: set[str]) -> None:
    """Check each agreement as a whole; a bad one makes every one of its rows bad."""
    removals: dict[int, Key] = {}  # KPI id the import would remove → its agreement
    for key, group in groups.items():
        group.sort(key=lambda row: row.number)
        lines = [row.line for row in group if row.line in bad]
        if lines:  # the other rows of the agreement cannot be imported on their own
            shown = ", ".join(str(line) for line in lines[:5])
            _mark([row for row in group if row.line not in bad], bad,
                  f"ข้อตกลงนี้มีแถวที่ผิด (แถว {shown}) จึงนำเข้าไม่ได้ทั้งชุด",
                  f"this agreement has a bad row (line {shown}), so none of it is imported")
            continue
        officer_id, year, round_no = key
        round_ = rounds.get((year, round_no))
        current = existing.get((officer_id, round_.id)) if round_ is not None else None
        problem = _agreement_problem(group, round_, current, present)
        if problem is not None:
            _mark(group, bad, f"{_where_th(key, codes)}: {problem[0]}",
                  f"{_where_en(key, codes)}: {problem[1]}")
        elif current is not None and not current.signed:
            numbers = {row.number for row in group}
            for number, (kpi_id, _values, _over) in current.kpis.items():
                if number not in numbers:
                    removals[kpi_id] = key
    referenced = _referenced_kpis(session, list(removals))
    for key in sorted({removals[kpi_id] for kpi_id in referenced}):
        _mark(groups[key], bad,
              f"{_where_th(key, codes)}: ตัวชี้วัดที่ไม่มีในไฟล์มีข้อมูลอื่นอ้างถึงแล้ว "
              "(เช่น คำขอแก้ไขหรือรายงานความก้าวหน้า) จึงลบไม่ได้",
              f"{_where_en(key, codes)}: a KPI missing from the file already has records "
              "(such as change requests or progress reports), so it cannot be removed")


def _where_th(key: Key, codes: dict[int, str]) -> str:
    return f"ข้อตกลงของ {codes[key[0]]} รอบที่ {key[2]}/{key[1]}"


def _where_en(key: Key, codes: dict[int, str]) -> str:
    return f"agreement of {codes[key[0]]}, round {key[2]}/{key[1]}"


def _agreement_problem(group: list[KpiRow], round_: Round | None,
                       current: ExistingAgreement | None,
                       present: set[str]) -> tuple[str, str] | None:
    """Why this (officer, round)'s rows do not make an agreement the import may write."""
    try:
        check_kpis(cast(Sequence[Kpi], group))
    except AgreementError as error:
        return error.th, error.en
    year, round_no = group[0].fiscal_year, group[0].round_no
    if round_ is not None and round_.closed_at is not None:
        return f"รอบที่ {round_no}/{year} ปิดแล้ว", f"round {round_no}/{year} is closed"
    projects = {row.key_project for row in group if row.key_project}
    if len(projects) > 1:
        return ("โครงการสำคัญไม่ตรงกันในแต่ละแถว (ใส่แถวเดียวหรือให้เหมือนกัน)",
                "the key project differs between rows (give it once, or the same on every row)")
    signed_days = {row.signed_on for row in group if row.signed_on}
    if len(signed_days) > 1:
        return "วันที่ลงนามไม่ตรงกันในแต่ละแถว", "the signing date differs between rows"
    if signed_days:
        signed_on = signed_days.pop()
        starts, ends = round_dates(year, round_no)
        if not starts <= signed_on <= ends:
            return (f"วันที่ลงนาม {format_date(signed_on)} อยู่นอกรอบที่ {round_no}/{year} "
                    f"({format_date(starts)} – {format_date(ends)})",
                    f"signing date {signed_on.isoformat()} is outside round {round_no}/{year} "
                    f"({starts.isoformat()} – {ends.isoformat()})")
    if current is None or not current.signed:
        return None
    numbers, signed_numbers = [row.number for row in group], sorted(current.kpis)
    if numbers != signed_numbers:
        return (f"ข้อตกลงลงนามแล้ว (ตัวชี้วัด {len(signed_numbers)} ข้อ ในไฟล์มี {len(numbers)} ข้อ): "
                "การเพิ่มหรือลบตัวชี้วัดต้องให้ผู้ประเมินดำเนินการ",
                f"the agreement is signed ({len(signed_numbers)} KPIs, the file has "
                f"{len(numbers)}): adding or removing KPIs needs the evaluator")
    if "allow_over_100" in present and any(
            row.allow_over_100 != current.kpis[row.number][2] for row in group):
        return ("ข้อตกลงลงนามแล้ว: การเปลี่ยน 'เกิน 100 ได้' ต้องให้ผู้ประเมินดำเนินการ",
                "the agreement is signed: changing 'allow over 100' needs the evaluator")
    if "key_project" in present and (group_project(group) or None) != (current.key_project or None):
        return ("ข้อตกลงลงนามแล้ว: การเปลี่ยนโครงการสำคัญต้องให้ผู้ประเมินดำเนินการ",
                "the agreement is signed: changing the key project needs the evaluator")
    return None


def group_project(group: list[KpiRow]) -> str | None:
    return next((row.key_project for row in group if row.key_project), None)


def _mark(rows: list[KpiRow], bad: dict[int, list[RowProblem]], th: str, en: str) -> None:
    for row in rows:
        bad.setdefault(row.line, []).append(RowProblem(row.line, th, en))


def _referenced_kpis(session: Session, kpi_ids: list[int]) -> set[int]:
    """Those of these KPIs that another table's row points at (so removing them would break it)."""
    if not kpi_ids:
        return set()
    kpis = Kpi.__table__
    referring: list[Column[Any]] = [
        fk.parent for table in Base.metadata.sorted_tables for fk in table.foreign_keys
        if fk.column.table is kpis and table is not kpis]
    found: set[int] = set()
    for column in referring:
        for batch in batches(sorted(kpi_ids)):
            found.update(session.scalars(select(column).where(column.in_(batch)).distinct()))
    return found


def _text(value: Any) -> str:
    """How a changed value is written into a change request: `25`, `33.5`, the name as is."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _same_change(pending: dict[str, Any], wanted: dict[str, str]) -> bool:
    if set(pending) != set(wanted):
        return False
    for field, value in wanted.items():
        if field in NUMERIC:
            try:
                if Decimal(str(pending[field])) != Decimal(value):
                    return False
            except InvalidOperation:
                return False
        elif str(pending[field]) != value:
            return False
    return True


def _apply(session: Session, agency_id: int, groups: dict[Key, list[KpiRow]],
           existing: dict[tuple[int, int], ExistingAgreement], present: set[str],
           report: ImportReport, file_name: str) -> None:
    now = utcnow()
    with write_chunk(session):
        round_ids = {key: open_round(session, agency_id, *key).id
                     for key in sorted({key[1:] for key in groups})}
        session.flush()
    new_agreements = [key for key in groups if (key[0], round_ids[key[1:]]) not in existing]
    bulk_insert(session, KpiAgreement.__table__, [
        {"officer_id": key[0], "round_id": round_ids[key[1:]], "signed_at": None,
         "signed_by_id": None,
         "key_project": group_project(groups[key]) if "key_project" in present else None}
        for key in new_agreements])
    agreement_ids = {pair: agreement.id for pair, agreement in existing.items()}
    if new_agreements:
        new_pairs = {(key[0], round_ids[key[1:]]) for key in new_agreements}
        for made in session.execute(select(KpiAgreement.officer_id, KpiAgreement.round_id,
                                           KpiAgreement.id).where(
                KpiAgreement.round_id.in_(sorted({pair[1] for pair in new_pairs})))):
            if (made.officer_id, made.round_id) in new_pairs:
                agreement_ids[(made.officer_id, made.round_id)] = made.id

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    removals: list[int] = []
    agreement_updates: list[dict[str, Any]] = []
    requests: list[tuple[int, dict[str, str]]] = []
    signings: list[int] = []
    entries: list[tuple[str, str, dict[str, Any]]] = []
    pending = _pending_requests(session, groups, existing, round_ids)
    for key, group in groups.items():
        pair = (key[0], round_ids[key[1:]])
        agreement_id = agreement_ids[pair]
        current = existing.get(pair)
        have = current.kpis if current is not None else {}
        if current is not None and current.signed:
            for row in group:
                kpi_id, values, _over = have[row.number]
                changes = {field: _text(new) for field, old, new
                           in zip(KPI_FIELDS, values, row.values(), strict=True) if old != new}
                if not changes:
                    report.unchanged += 1
                elif any(_same_change(p, changes) for p in pending.get(kpi_id, [])):
                    report.unchanged += 1
                else:
                    requests.append((kpi_id, changes))
            continue
        done: dict[str, list[int]] = {"created": [], "updated": [], "removed": []}
        for row in group:
            wanted = dict(zip(KPI_FIELDS, row.values(), strict=True))
            if row.allow_over_100 is not None:
                wanted["allow_over_100"] = row.allow_over_100
            if row.number not in have:
                inserts.append({"agreement_id": agreement_id, "number": row.number,
                                "allow_over_100": False, **wanted})
                done["created"].append(row.number)
                continue
            kpi_id, old_values, old_over = have[row.number]
            old = dict(zip(KPI_FIELDS, old_values, strict=True), allow_over_100=old_over)
            changed = {field: value for field, value in wanted.items() if old[field] != value}
            if changed:
                updates.append({"id": kpi_id, **wanted})
                done["updated"].append(row.number)
        numbers = {row.number for row in group}
        for number, (kpi_id, _values, _over) in sorted(have.items()):
            if number not in numbers:
                removals.append(kpi_id)
                done["removed"].append(number)
        report.created += len(done["created"])
        report.updated += len(done["updated"])
        report.removed += len(done["removed"])
        report.unchanged += len(group) - len(done["created"]) - len(done["updated"])
        agreement_change: dict[str, Any] = {}
        if "key_project" in present and current is not None and \
                (group_project(group) or None) != (current.key_project or None):
            agreement_change["key_project"] = group_project(group)
            report.agreements_updated += 1
        signed_on = next((row.signed_on for row in group if row.signed_on), None)
        if signed_on is not None:
            agreement_change["signed_at"] = datetime.combine(signed_on, time(), BANGKOK)
            signings.append(agreement_id)
        if agreement_change:
            agreement_updates.append({"id": agreement_id, **agreement_change})
        if any(done.values()) or agreement_change:
            entries.append(("kpi.imported", f"agreement:{agreement_id}", {
                "file": file_name, **{what: kpi_nos for what, kpi_nos in done.items() if kpi_nos},
                **({"key_project": True} if "key_project" in agreement_change else {})}))
    bulk_delete(session, Kpi.__table__, removals)
    bulk_update(session, Kpi.__table__, updates)
    bulk_insert(session, Kpi.__table__, inserts)
    bulk_update(session, KpiAgreement.__table__, agreement_updates)
    entries += [("agreement.signed", f"agreement:{agreement_id}",
                 {"file": file_name, "on_paper": True})
                for agreement_id in signings]
    expire_cached(session, Kpi, KpiAgreement, KpiChangeRequest)
    _request_changes(session, requests, file_name)
    report.change_requests = len(requests)
    report.agreements_signed = len(signings)
    if report.changed:
        entries.append(("import.kpis", f"agency:{agency_id}", {
            "file": file_name, "created": report.created, "updated": report.updated,
            "removed": report.removed, "unchanged": report.unchanged,
            "change_requests": report.change_requests, "skipped": report.skipped}))
    audit_rows(session, entries, now)


def _pending_requests(session: Session, groups: dict[Key, list[KpiRow]],
                      existing: dict[tuple[int, int], ExistingAgreement],
                      round_ids: dict[tuple[int, int], int]) -> dict[int, list[dict[str, Any]]]:
    """kpi id → the changes of its pending requests, for the signed agreements in the file."""
    kpi_ids = sorted(
        kpi_id for key in groups
        if (agreement := existing.get((key[0], round_ids[key[1:]]))) is not None
            and agreement.signed
        for kpi_id, _values, _over in agreement.kpis.values())
    pending: dict[int, list[dict[str, Any]]] = {}
    for batch in batches(kpi_ids):
        for kpi_id, changes in session.execute(select(
                KpiChangeRequest.kpi_id, KpiChangeRequest.changes).where(
                KpiChangeRequest.kpi_id.in_(batch),
                KpiChangeRequest.status == ChangeStatus.PENDING.value)):
            pending.setdefault(kpi_id, []).append(changes or {})
    return pending


def _request_changes(session: Session, requests: list[tuple[int, dict[str, str]]],
                     file_name: str) -> None:
    """One change request per differing KPI of a signed agreement (through the model's helper)."""
    reason = f"นำเข้าจากไฟล์ {file_name}"
    for batch in batches(requests):
        kpis = {kpi.id: kpi for kpi in session.scalars(
            select(Kpi).where(Kpi.id.in_([kpi_id for kpi_id, _ in batch])))}
        with write_chunk(session):
            for kpi_id, changes in batch:
                request_kpi_change(session, kpis[kpi_id], changes, requested_by_id=None,
                                   reason=reason)
            session.flush()
