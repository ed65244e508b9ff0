"""Text that people typed, written safely into the CSV and XLSX files HR opens in Excel.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) is run as a formula by
spreadsheet programs: an officer's form answer `=HYPERLINK("http://…"&A1)` could send the sheet's
other cells away when HR opens the file. Such text is written as text: in XLSX as a string cell,
in CSV with a leading apostrophe (OWASP's advice for CSV injection).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

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
