"""Exports with Thai headers, streamed: CSV (UTF-8 with BOM, so Excel reads Thai) and XLSX
(openpyxl write-only, rows written as they are read). Used by the console and `flask hr export`.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from itertools import islice
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from handlers import hr_forms as form_module
from handlers.spreadsheets import (
    DATE,
    DATETIME,
    INT,
    ISO_SUFFIX,
    NUMBER,
    NUMBER_FORMATS,
    SAMPLE_ROWS,
    SCORE,
    TEXT,
    csv_text,
    dress_sheet,
    fitted_widths,
    formula_like,
    header_cells,
    xlsx_row,
)
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
from thai import format_date, format_datetime, format_score, local_datetime, status_label
from thai.labels import STATUS_LABELS

FETCH = 2000  # rows fetched from the database at a time


@dataclass
class Table:
    """An export: its name (for the file), Thai headers, and rows produced lazily; `kinds`
    says what each column holds (handlers.spreadsheets TEXT, INT, NUMBER, SCORE, DATE,
    DATETIME; text when not given). A date column is written twice: as people read it (a
    real date shown in พ.ศ. in XLSX, Thai text in CSV) and, beside it, in ISO for machines."""

    name: str
    headers: list[str]
    rows: Iterable[list[Any]]
    tz: tzinfo = UTC  # the zone times are written in: the exports below take the app's
    kinds: list[str] | None = None

    def columns(self) -> list[tuple[str, str]]:
        """(header, kind) of every written column, the ISO twins included."""
        kinds = self.kinds or [TEXT] * len(self.headers)
        out: list[tuple[str, str]] = []
        for header, kind in zip(self.headers, kinds, strict=True):
            out.append((header, kind))
            if kind in (DATE, DATETIME):
                out.append((header + ISO_SUFFIX, TEXT))
        return out


def _local(value: Any, tz: tzinfo) -> Any:
    if isinstance(value, datetime):
        return local_datetime(value, tz)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _iso(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == DATETIME and isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def _shown(value: Any, kind: str) -> Any:
    """A value as the CSV writes it for people (Thai dates; numbers plain, two decimals)."""
    if value is None:
        return ""
    if kind == DATETIME and isinstance(value, datetime):
        return format_datetime(value)
    if kind in (DATE, DATETIME) and isinstance(value, date):
        return format_date(value.date() if isinstance(value, datetime) else value)
    if kind in (NUMBER, SCORE) and isinstance(value, (int, float)):
        return format_score(value).replace(",", "") if kind == SCORE else f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:g}"
    return csv_text(value) if isinstance(value, str) else str(value)


def _expand(table: Table) -> Callable[[list[Any]], list[tuple[Any, str]]]:
    """A row's values in the zone of the table, with a twin for each date: (value, kind)."""
    kinds = table.kinds or [TEXT] * len(table.headers)
    tz = table.tz

    dated = {DATE, DATETIME}

    def expand(row: list[Any]) -> list[tuple[Any, str]]:
        out: list[tuple[Any, str]] = []
        for value, kind in zip(row, kinds, strict=True):
            if value is None or type(value) is str:  # most cells: nothing to convert
                out.append((value, kind))
            else:
                value = _local(value, tz)
                out.append((value, kind))
            if kind in dated:
                out.append((_iso(value, kind), "iso"))
        return out

    return expand


def csv_chunks(table: Table, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV as UTF-8 bytes with a BOM (Excel then reads the Thai), a chunk at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    expand = _expand(table)
    yield "\ufeff".encode()
    # HR may name a section "=…": headers are written as text, as cells are
    writer.writerow([csv_text(header) for header, _kind in table.columns()])
    pending = 1
    for row in table.rows:
        writer.writerow([value if kind == "iso" else _shown(value, kind)
                         for value, kind in expand(row)])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


class _StyledCell(Cell):
    """A typed column's cell, reused row after row: its style is looked up once (openpyxl's
    writer asks every cell for its style id, which costs an index lookup each time)."""

    __slots__ = ("_fixed_style_id",)

    @property
    def style_id(self) -> int:
        return self._fixed_style_id


def _styled_cell(sheet: Any, number_format: str) -> _StyledCell:
    cell = _StyledCell(sheet)
    cell.number_format = number_format
    cell._fixed_style_id = Cell.style_id.fget(cell)  # the base class's property: looked up once
    return cell


def _row_cells(sheet: Any) -> Callable[[list[Any], int], Iterator[Any]]:
    """openpyxl 3.1's write-only `_values_to_row` (pinned), without its detour for cells
    given ready-made: it first tries a cell as a value and builds the error message (the
    cell's repr) before using it, which doubled the time of a typed column."""
    plain = WriteOnlyCell(sheet)

    def values_to_row(values: list[Any], row_idx: int) -> Iterator[Any]:
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            cell = value if isinstance(value, Cell) else plain
            if cell is plain:
                plain.value = value
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    return values_to_row


def write_xlsx(table: Table, path: str) -> None:
    """Write the XLSX to `path` with openpyxl's write-only mode (constant memory): a bold,
    frozen header row with a filter, widths fitted to the first rows, numbers and dates as
    typed cells (one reused styled cell per typed column keeps it fast)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31] or "export")
    sheet._values_to_row = _row_cells(sheet)  # see _row_cells
    columns = table.columns()
    expand = _expand(table)
    rows = iter(table.rows)
    first = [[value for value, _kind in expand(row)] for row in islice(rows, SAMPLE_ROWS)]
    written_kinds = [kind for _header, kind in columns]
    dress_sheet(sheet, fitted_widths([h for h, _k in columns], first, written_kinds))
    sheet.append(header_cells(sheet, [header for header, _kind in columns]))
    # per column: its reused typed cell and the cell type a value of it has ("d" dates)
    styled = [(_styled_cell(sheet, NUMBER_FORMATS[kind]), "d" if kind in (DATE, DATETIME)
               else "n") if kind in NUMBER_FORMATS else (None, "") for kind in written_kinds]

    def cells(values: list[Any]) -> list[Any]:
        out: list[Any] = []
        for value, (cell, data_type) in zip(values, styled, strict=True):
            if value is None or value == "":
                out.append(None)
            elif cell is not None and not isinstance(value, (str, bool)):
                cell._value = value  # a number or a date, known by the column: no checks
                cell.data_type = data_type
                out.append(cell)  # written at once by append, then reused for the next row
            elif formula_like(value):
                out.append(xlsx_row(sheet, [value])[0])
            else:
                out.append(value)
        return out

    count = 1
    for values in first:
        sheet.append(cells(values))
        count += 1
    for row in rows:
        sheet.append(cells([value for value, _kind in expand(row)]))
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count}"
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
ROUND_KINDS = [TEXT, TEXT, TEXT, TEXT, TEXT, DATETIME, INT, TEXT, NUMBER, NUMBER, NUMBER, NUMBER,
               DATE, TEXT, DATETIME, TEXT]
STATUS_TH = STATUS_LABELS["report"]  # a report's status in Thai (thai.labels)


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
                   status_label("report", status, "ยังไม่รายงาน"), decided_at, reason or ""]

    return Table(f"รอบ {round_.round_no}-{round_.fiscal_year}", ROUND_HEADERS, rows(), tz,
                 ROUND_KINDS)


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

    return Table(f"ประกาศ {announcement.id}", ACK_HEADERS, rows(), tz,
                 [TEXT] * 6 + [DATETIME])


def form_table(session: Session, form: Form, tz: tzinfo) -> Table:
    headers = form_module.response_headers(form)
    return Table(f"แบบฟอร์ม {form.id}", headers, form_module.response_rows(session, form), tz,
                 form_module.response_kinds(form))


def find_round(session: Session, agency_id: int, fiscal_year: int, round_no: int) -> Round | None:
    return session.scalars(select(Round).where(and_(
        Round.agency_id == agency_id, Round.fiscal_year == fiscal_year,
        Round.round_no == round_no))).first()


__all__ = ["Table", "announcement_table", "csv_chunks", "find_round",
           "form_table", "round_table", "write", "write_xlsx", "xlsx_chunks"]
