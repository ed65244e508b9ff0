"""Text that people typed, written safely into the CSV and XLSX files HR opens in Excel.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) is run as a formula by
spreadsheet programs: an officer's form answer `=HYPERLINK("http://…"&A1)` could send the sheet's
other cells away when HR opens the file. Such text is written as text: in XLSX as a string cell,
in CSV with a leading apostrophe (OWASP's advice for CSV injection).

The sheets HR opens are ready to use: a bold header row, frozen, with a filter; columns as wide
as their Thai text (from the first rows); numbers and dates as typed cells with Thai formats
(scores `#,##0.00`, dates as real dates shown in พ.ศ.).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value: str) -> str:
    return "'" + value if formula_like(value) else value


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """The row for `sheet.append`, with formula-like text as plain string cells."""
    out: list[Any] = []
    for value in values:
        if formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(value)
    return out


# --- sheets HR can use as they open: typed cells, Thai formats, fitted widths, filters ---------

TEXT, INT, NUMBER, SCORE, DATE, DATETIME = "text", "int", "number", "score", "date", "datetime"
# Thai month names and the Buddhist Era year (calendar 07 of th-TH, Western digits): Excel and
# LibreOffice show 15 ม.ค. 2570 for a real date cell that sorts and filters as a date
DATE_FORMAT = "[$-107041E]d mmm yyyy"
DATETIME_FORMAT = "[$-107041E]d mmm yyyy hh:mm"
NUMBER_FORMATS = {INT: "#,##0", NUMBER: "#,##0.00", SCORE: "#,##0.00", DATE: DATE_FORMAT,
                  DATETIME: DATETIME_FORMAT}
ISO_SUFFIX = " (ISO)"
SAMPLE_ROWS = 200  # rows read to fit the column widths
MIN_WIDTH, MAX_WIDTH = 6, 60
# what a date cell shows is as wide as "15 ม.ค. 2570" / "15 ม.ค. 2570 09:30"
SHOWN_WIDTH = {DATE: 13, DATETIME: 19}


def text_width(value: Any) -> int:
    """How many character cells `value` takes on screen: Thai vowel and tone marks written
    above or below a consonant (combining marks) take none."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if text.isascii():
        return len(max(text.split("\n"), key=len)) if "\n" in text else len(text)
    return max(sum(1 for ch in line if unicodedata.category(ch) != "Mn")
               for line in text.split("\n"))


def fitted_widths(headers: list[str], rows: Iterable[list[Any]],
                  kinds: list[str] | None = None) -> list[float]:
    """Column widths (Excel's character units) from the headers and the given rows."""
    widths = [text_width(h) for h in headers]
    for row in rows:
        for index, value in enumerate(row[:len(widths)]):
            kind = kinds[index] if kinds else TEXT
            width = SHOWN_WIDTH.get(kind) if value is not None and kind in SHOWN_WIDTH \
                else text_width(f"{value:,.2f}" if kind in (NUMBER, SCORE)
                                and isinstance(value, (int, float, Decimal)) else value)
            if width and width > widths[index]:
                widths[index] = width
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, w + 2))) for w in widths]


def dress_sheet(sheet: Any, widths: list[float], *, header_row: int = 1,
                last_row: int | None = None) -> None:
    """Widths, the header row frozen, and a filter on it (`last_row`: where the data ends;
    a write-only sheet sets it after its rows are written)."""
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    if last_row is not None and widths:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(widths))}{last_row}"


def header_cells(sheet: Any, headers: list[str]) -> list[Any]:
    """The header row's cells, bold (text cells, whatever a header starts with)."""
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.data_type = "s"
        cell.font = HEADER_FONT
        cells.append(cell)
    return cells


def typed_cell(sheet: Any, value: Any, kind: str) -> Any:
    """One cell of a normal (not write-only) sheet's row, typed and formatted by `kind`."""
    if value is None or value == "" or kind == TEXT:
        return xlsx_row(sheet, [value])[0]
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = NUMBER_FORMATS[kind]
    return cell


HEADER_FONT = Font(bold=True)
