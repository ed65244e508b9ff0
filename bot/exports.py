"""Exports with Thai headers, streamed: CSV (UTF-8 with BOM, so Excel reads Thai) and XLSX
(openpyxl write-only, rows written as they are read). Used by the console and `flask hr export`.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from handlers import hr_forms as form_module
from handlers.spreadsheets import csv_text, xlsx_row
from models import (
    Announcement,
    AnnouncementRecipient,
    Form,
    Kpi,
    KpiAgreement,
    OutboxMessage,
    OutboxStatus,
    ProgressReport,
    ReportKind,
    Round,
    Staff,
    Unit,
)
from models.progress import SHOWN_STATUSES

FETCH = 2000  # rows fetched from the database at a time
STATUS_TH = {"pending": "รอรับรอง", "confirmed": "รับรองแล้ว", "sent_back": "ส่งกลับแก้ไข",
             "withdrawn": "ถอนแล้ว", "superseded": "มีฉบับใหม่แทน"}


@dataclass
class Table:
    """An export: its name (for the file), Thai headers, and rows produced lazily."""

    name: str
    headers: list[str]
    rows: Iterable[list[Any]]
    tz: tzinfo = UTC  # the zone times are written in: the exports below take the app's


def _cell(value: Any, tz: tzinfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv_text(value: Any, tz: tzinfo) -> str:
    value = _cell(value, tz)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return csv_text(value) if isinstance(value, str) else str(value)


def csv_chunks(table: Table, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV as UTF-8 bytes with a BOM, a chunk at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff".encode()
    # HR may name a section "=…": headers are written as text, as cells are
    writer.writerow([_csv_text(header, table.tz) for header in table.headers])
    pending = 1
    for row in table.rows:
        writer.writerow([_csv_text(value, table.tz) for value in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


def write_xlsx(table: Table, path: str) -> None:
    """Write the XLSX to `path` with openpyxl's write-only mode (constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31] or "export")
    sheet.append(xlsx_row(sheet, list(table.headers)))  # headers are typed text too
    for row in table.rows:
        sheet.append(xlsx_row(sheet, [_cell(value, table.tz) for value in row]))
    workbook.save(path)


def xlsx_chunks(table: Table, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """The XLSX, built in a temporary file and streamed from it; the file is then removed."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(table, path)
        with open(path, "rb") as file:
            while chunk := file.read(chunk_size):
                yield chunk
    finally:
        os.unlink(path)


def write(table: Table, fmt: str, path: str) -> None:
    if fmt == "xlsx":
        write_xlsx(table, path)
        return
    with open(path, "wb") as file:
        for chunk in csv_chunks(table):
            file.write(chunk)


# --- the exports ----------------------------------------------------------------------------

ROUND_HEADERS = ["รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "หน่วยงาน", "ข้าราชการผู้มีผลสัมฤทธิ์สูง",
                 "ลงนามข้อตกลง", "ตัวชี้วัดที่", "ตัวชี้วัด", "น้ำหนัก (%)", "ค่าเป้าหมาย",
                 "ผลล่าสุด", "ร้อยละ", "วันที่รายงาน", "สถานะรายงาน", "วันที่รับรอง/ส่งกลับ",
                 "เหตุผลที่ส่งกลับ"]


def round_table(session: Session, round_: Round, tz: tzinfo) -> Table:
    """The round's progress and confirmations: one row per KPI of every agreement."""
    latest = (select(func.max(ProgressReport.id).label("id"), ProgressReport.kpi_id)
              .where(ProgressReport.round_id == round_.id,
                     ProgressReport.kind == ReportKind.KPI,
                     ProgressReport.status.in_(SHOWN_STATUSES))
              .group_by(ProgressReport.kpi_id).subquery())
    report = aliased(ProgressReport)
    query = (select(Staff.staff_code, Staff.name_th, Staff.position, Unit.name_th,
                    Staff.is_hipps, KpiAgreement.signed_at, Kpi.number, Kpi.name, Kpi.weight,
                    Kpi.target, report.value, report.percent, report.reported_on, report.status,
                    report.decided_at, report.send_back_reason)
             .select_from(KpiAgreement)
             .join(Staff, Staff.id == KpiAgreement.officer_id)
             .outerjoin(Unit, Unit.id == Staff.unit_id)
             .join(Kpi, Kpi.agreement_id == KpiAgreement.id)
             .outerjoin(latest, latest.c.kpi_id == Kpi.id)
             .outerjoin(report, report.id == latest.c.id)
             .where(KpiAgreement.round_id == round_.id)
             .order_by(Staff.staff_code, Kpi.number))

    def rows() -> Iterator[list[Any]]:
        result = session.execute(query.execution_options(yield_per=FETCH))
        for (code, name, position, unit, hipps, signed_at, number, kpi, weight, target, value,
             percent, reported_on, status, decided_at, reason) in result:
            yield [code, name, position, unit or "", "ใช่" if hipps else "", signed_at, number,
                   kpi, weight, target, value, percent, reported_on,
                   STATUS_TH.get(status, "ยังไม่รายงาน") if status else "ยังไม่รายงาน",
                   decided_at, reason or ""]

    return Table(f"รอบ {round_.round_no}-{round_.fiscal_year}", ROUND_HEADERS, rows(), tz)


ACK_HEADERS = ["รหัสบุคลากร", "ชื่อ-สกุล", "หน่วยงาน", "เชื่อม LINE", "ส่งถึงแล้ว",
               "รับทราบ", "วันเวลาที่รับทราบ"]


def announcement_table(session: Session, announcement: Announcement, tz: tzinfo) -> Table:
    query = (select(Staff.staff_code, Staff.name_th, Unit.name_th,
                    AnnouncementRecipient.line_user_id, OutboxMessage.status,
                    AnnouncementRecipient.acknowledged_at)
             .join(Staff, Staff.id == AnnouncementRecipient.staff_id)
             .outerjoin(Unit, Unit.id == Staff.unit_id)
             .outerjoin(OutboxMessage, OutboxMessage.id == AnnouncementRecipient.outbox_id)
             .where(AnnouncementRecipient.announcement_id == announcement.id)
             .order_by(Staff.staff_code))

    def rows() -> Iterator[list[Any]]:
        for code, name, unit, user_id, status, acked in session.execute(
                query.execution_options(yield_per=FETCH)):
            yield [code, name, unit or "", "ใช่" if user_id else "ไม่",
                   "ใช่" if status == OutboxStatus.SENT else "ยัง", "ใช่" if acked else "ยัง",
                   acked]

    return Table(f"ประกาศ {announcement.id}", ACK_HEADERS, rows(), tz)


def form_table(session: Session, form: Form, tz: tzinfo) -> Table:
    return Table(f"แบบฟอร์ม {form.id}", form_module.response_headers(form),
                 form_module.response_rows(session, form), tz)


def find_round(session: Session, agency_id: int, fiscal_year: int, round_no: int) -> Round | None:
    return session.scalars(select(Round).where(and_(
        Round.agency_id == agency_id, Round.fiscal_year == fiscal_year,
        Round.round_no == round_no))).first()


__all__ = ["Table", "announcement_table", "csv_chunks", "find_round",
           "form_table", "round_table", "write", "write_xlsx", "xlsx_chunks"]
