"""Open a CSV or XLSX file HR exported and stream its rows as text, under a recognised header.

* XLSX (recognised by its content, whatever the name): openpyxl in read-only mode, the first
  worksheet; numbers, percentages and dates become text as Excel shows them.
* CSV: UTF-8 with or without BOM, or Windows-874/TIS-620 (what Thai Excel saves as "CSV"),
  told apart by decoding the whole file strictly as UTF-8 first; UTF-16 with a BOM (Excel's
  "Unicode text") too. The delimiter (`,` `;` tab `|`) is read off the header line.
* Old Excel `.xls` (and password-protected workbooks, which are the same container) are refused
  with a request to save as .xlsx or CSV; so is any other kind of file.

Limits, checked before a cell is read (`check_limits`) and while reading: the file's size,
an XLSX's decompressed size and member count (a zip bomb of shared strings is refused from its
directory, before openpyxl sees it), columns per row, rows, and reading time. A refused file
gets a Thai (and English) message naming the limit.

The header is the first non-blank row. Line numbers count as a person does: every row of the
file (blank ones too), from 1; for XLSX the sheet's row number.
"""
from __future__ import annotations

import codecs
import csv
import time
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from handlers.importers.columns import Column, match_header

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, encrypted .xlsx
TEXT_SUFFIXES = {"", ".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t", "|")
CHUNK = 1 << 20

# Limits on what HR may upload: 20,000 staff (about 8 MB of CSV) or their 100,000 KPIs fit.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_UNZIPPED_BYTES = 128 * 1024 * 1024  # an XLSX's members together, decompressed
MAX_ZIP_MEMBERS = 1000
MAX_ROWS = 250_000
MAX_COLUMNS = 64  # the widest import has 14 columns
MAX_READ_SECONDS = 120.0


class FileProblem(Exception):
    """The file as a whole cannot be imported; `th` and `en` say why."""

    def __init__(self, th: str, en: str, line: int | None = None) -> None:
        super().__init__(f"{th} / {en}")
        self.th, self.en, self.line = th, en, line


@dataclass
class Sheet:
    """A file's recognised columns and its data rows, streamed."""

    header_line: int
    columns: dict[str, int]  # field → position in the row
    headers: dict[str, str]  # field → the header as written in the file
    rows: Iterator[tuple[int, list[str]]]  # (line, cells) of every non-blank row after the header
    total: int | None  # about how many data rows there are (for progress), if known

    def has(self, field: str) -> bool:
        return field in self.columns


SAVE_AS = ("กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx หรือ CSV UTF-8",
           "open it in Excel and save it as .xlsx or CSV UTF-8")


@contextmanager
def open_sheet(path: Path, table: dict[str, Column], required: tuple[str, ...],
               all_columns: tuple[Column, ...]) -> Iterator[Sheet]:
    """The file's sheet, its header checked against `table`; raises FileProblem."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except FileNotFoundError:
        raise FileProblem(f"ไม่พบไฟล์ {path.name}", f"file not found: {path.name}") from None
    except OSError as exc:
        raise FileProblem(f"เปิดไฟล์ {path.name} ไม่ได้", f"cannot open {path.name}: {exc}") from None
    suffix = path.suffix.lower()
    if not head:
        raise FileProblem("ไฟล์ว่างเปล่า", "the file is empty")
    check_limits(path)
    if head.startswith(OLE2_MAGIC) or suffix == ".xls":
        raise FileProblem(f"ไฟล์ Excel รุ่นเก่า (.xls) หรือไฟล์ที่ตั้งรหัสผ่านไว้ อ่านไม่ได้: {SAVE_AS[0]}",
                          "old Excel (.xls) or password-protected workbooks cannot be read: "
                          f"{SAVE_AS[1]}")
    if head.startswith(ZIP_MAGIC):
        if suffix not in EXCEL_SUFFIXES | TEXT_SUFFIXES:
            raise _unsupported(suffix)
        with _xlsx_rows(path) as (rows, total):
            yield _sheet(_bounded(rows), total, table, required, all_columns)
        return
    if suffix in EXCEL_SUFFIXES:
        raise FileProblem(f"ไฟล์ชื่อ {suffix} แต่ไม่ใช่ไฟล์ Excel: {SAVE_AS[0]}",
                          f"the file is named {suffix} but is not an Excel workbook: {SAVE_AS[1]}")
    if suffix not in TEXT_SUFFIXES or head.startswith(b"%PDF"):
        raise _unsupported(suffix)
    with _csv_rows(path) as (rows, total):
        yield _sheet(_bounded(rows), total, table, required, all_columns)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def check_limits(path: Path) -> None:
    """Refuse (FileProblem) a file over the size limits before any of it is parsed."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem(f"ไฟล์ใหญ่เกินกำหนด (ไม่เกิน {_megabytes(MAX_FILE_BYTES)})",
                          f"the file is too large (at most {_megabytes(MAX_FILE_BYTES)})")
    with path.open("rb") as file:
        if file.read(4) != ZIP_MAGIC:
            return
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says it is damaged, in its own words
    unzipped = sum(member.file_size for member in members)
    if len(members) > MAX_ZIP_MEMBERS or unzipped > MAX_UNZIPPED_BYTES:
        raise FileProblem(
            f"ไฟล์ Excel ขยายแล้วใหญ่เกินกำหนด (ไม่เกิน {_megabytes(MAX_UNZIPPED_BYTES)} "
            f"และ {MAX_ZIP_MEMBERS:,} ส่วน): {SAVE_AS[0]}",
            f"the workbook is too large once decompressed (at most "
            f"{_megabytes(MAX_UNZIPPED_BYTES)} and {MAX_ZIP_MEMBERS:,} parts): {SAVE_AS[1]}")


def upload_problem(path: Path) -> str:
    """The Thai reason a file is over the limits, or "" (for the console, before any lock)."""
    try:
        check_limits(path)
    except FileProblem as problem:
        return problem.th
    return ""


def _bounded(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Rows, refused past MAX_ROWS, MAX_COLUMNS or MAX_READ_SECONDS."""
    deadline = time.monotonic() + MAX_READ_SECONDS
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS + 1:
            raise FileProblem(f"ไฟล์มีเกิน {MAX_ROWS:,} แถว: แบ่งเป็นหลายไฟล์",
                              f"more than {MAX_ROWS:,} rows: split the file", line)
        if len(cells) > MAX_COLUMNS:  # refused at once: a sheet padded to column XFD
            raise FileProblem(f"แถวนี้มีเกิน {MAX_COLUMNS} คอลัมน์ (ลบคอลัมน์ว่างท้ายตารางออก)",
                              f"this row has more than {MAX_COLUMNS} columns "
                              "(delete the empty columns after the table)", line)
        if time.monotonic() > deadline:
            raise FileProblem(f"อ่านไฟล์นานเกิน {MAX_READ_SECONDS:.0f} วินาที: แบ่งเป็นหลายไฟล์",
                              f"reading took over {MAX_READ_SECONDS:.0f} s: split the file", line)
        yield line, cells


def _unsupported(suffix: str) -> FileProblem:
    shown = suffix or "(ไม่มีนามสกุล)"
    return FileProblem(f"ไม่รองรับไฟล์ชนิด {shown}: ใช้ไฟล์ .csv หรือ .xlsx",
                       f"unsupported file type {suffix or '(no extension)'}: use .csv or .xlsx")


def _sheet(rows: Iterator[tuple[int, list[str]]], total: int | None, table: dict[str, Column],
           required: tuple[str, ...], all_columns: tuple[Column, ...]) -> Sheet:
    """Find the header (the first non-blank row) and check it names the required columns."""
    for _line, cells in rows:
        if any(cell.strip() for cell in cells):
            break
    else:
        raise FileProblem("ไฟล์ไม่มีข้อมูล", "the file has no rows")
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        column = match_header(cell, table)
        if column is None:
            continue
        if column.field in columns:
            raise FileProblem(
                f"คอลัมน์ {column.th} ซ้ำกัน ({_letter(columns[column.field])} และ {_letter(index)})",
                f"column {column.en} appears twice ({_letter(columns[column.field])} and "
                f"{_letter(index)})", _line)
        columns[column.field] = index
        headers[column.field] = cell.strip()
    if not columns:
        names = [c for c in all_columns if c.field in required][:3]
        raise FileProblem(
            "ไม่พบแถวหัวตาราง: แถวแรกต้องเป็นชื่อคอลัมน์ เช่น " + ", ".join(c.th for c in names),
            "no header row: the first row must name the columns, e.g. "
            + ", ".join(c.en for c in names), _line)
    missing = [c for c in all_columns if c.field in required and c.field not in columns]
    if missing:
        raise FileProblem("ไม่มีคอลัมน์ที่ต้องมี: " + ", ".join(c.th for c in missing),
                          "required column(s) missing: " + ", ".join(c.en for c in missing), _line)
    data_total = None if total is None else max(total - _line, 0)
    return Sheet(_line, columns, headers, _non_blank(rows), data_total)


YIELD_EVERY = 100  # rows read between two chances for the process's other threads


def _non_blank(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for count, (line, cells) in enumerate(rows, start=1):
        if count % YIELD_EVERY == 0:
            # Reading and checking a large file is pure Python: without a pause the webhook's
            # threads in the same worker wait for the interpreter lock at each of their I/O
            # steps (the convoy effect) and answer LINE seconds late.
            time.sleep(0)
        if any(cell.strip() for cell in cells):
            yield line, cells


def _letter(index: int) -> str:
    """Excel's column letter: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- CSV -----------------------------------------------------------------------------------

def detect_encoding(path: Path) -> tuple[str, int]:
    """(encoding, number of lines): strict UTF-8 (BOM or not), else Windows-874."""
    with path.open("rb") as file:
        head = file.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "cp874")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        newlines, last = 0, b"\n"
        try:
            with path.open("rb") as file:
                while chunk := file.read(CHUNK):
                    last = chunk[-1:]
                    if encoding != "utf-16" and b"\x00" in chunk:
                        raise FileProblem("ไม่ใช่ไฟล์ข้อความ CSV: ใช้ไฟล์ .csv หรือ .xlsx",
                                          "not a CSV text file: use .csv or .xlsx")
                    decoder.decode(chunk)
                    newlines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, newlines + (last not in (b"\n", b"\x00"))
    raise FileProblem("อ่านตัวอักษรในไฟล์ไม่ได้: ไม่ใช่ UTF-8 หรือ Windows-874 (TIS-620) "
                      "กรุณาบันทึกเป็น CSV UTF-8",
                      "cannot read the text: the file is neither UTF-8 nor Windows-874 (TIS-620); "
                      "save it as CSV UTF-8")


@contextmanager
def _csv_rows(path: Path) -> Iterator[tuple[Iterator[tuple[int, list[str]]], int | None]]:
    encoding, lines = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as file:
        delimiter = _delimiter(file)
        file.seek(0)  # the decoder starts again, and drops the BOM again
        yield _csv_records(csv.reader(file, delimiter=delimiter)), lines


def _delimiter(file: Any) -> str:
    """The likeliest delimiter in the first non-blank line."""
    for _ in range(100):
        line = file.readline()
        if not line:
            break
        if line.strip():
            counts = {d: line.count(d) for d in DELIMITERS}
            best = max(DELIMITERS, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def _csv_records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    line = 0
    try:
        for line, record in enumerate(reader, start=1):
            if line == 1 and record and record[0].startswith("\ufeff"):
                record[0] = record[0][1:]
            yield line, record
    except csv.Error as exc:
        raise FileProblem(f"รูปแบบ CSV ผิด: {exc}", f"malformed CSV: {exc}", line + 1) from None


# --- XLSX ----------------------------------------------------------------------------------

@contextmanager
def _xlsx_rows(path: Path) -> Iterator[tuple[Iterator[tuple[int, list[str]]], int | None]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # Workbooks from other programs trip openpyxl's style and validation warnings.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a zip that is not a workbook, or a damaged one
        raise FileProblem(f"อ่านไฟล์ Excel ไม่ได้ (ไฟล์เสียหรือไม่ใช่ .xlsx): {SAVE_AS[0]}",
                          "cannot read the Excel file (damaged, or not .xlsx: "
                          f"{type(exc).__name__}): {SAVE_AS[1]}") from None
    try:
        if not workbook.worksheets:
            raise FileProblem("ไฟล์ Excel ไม่มีแผ่นงาน", "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        total = sheet.max_row  # from the file's own dimension: a hint, for progress only
        sheet.reset_dimensions()  # read every cell, even when the stored dimension is wrong
        yield _xlsx_records(sheet), total
    finally:
        workbook.close()


def _xlsx_records(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    line = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for line, row in enumerate(sheet.iter_rows(), start=1):
                yield line, [cell_text(cell) for cell in row]
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem("ไฟล์ Excel เสียหาย อ่านต่อไม่ได้", f"the workbook is damaged: {exc}",
                          line + 1) from None


def cell_text(cell: Any) -> str:
    """An XLSX cell as the text Excel shows: 25 not 25.0, 0.25 formatted as % → 25%, dates ISO."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return (value.date().isoformat() if value.time() == datetime.min.time()
                else value.isoformat())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        percent = "%" in (getattr(cell, "number_format", None) or "")
        if percent:
            number *= 100
        shown = f"{number.normalize():f}" if number != number.to_integral_value() \
            else str(int(number))
        return shown + ("%" if percent else "")
    return str(value)
