"""Thai text understanding: read free-form Thai chat into typed values, and write Thai dates.

Pure (no database, no Flask). ``python -m bot.thai`` (the fixed interface; ``python -m thai``
too) is its command line.

:func:`parse` reads one message into ``kpi``, ``percent``, ``value``,
``target``, ``date``, ``status`` (``done`` | ``in_progress`` |
``not_started`` | ``delayed``), ``answer`` (``yes`` | ``no``), ``time``
(a time of day, ``"HH:MM"``: "14:00", "8.30 น.", "บ่ายสองโมง", "สองทุ่มครึ่ง")
and ``items``: one entry per KPI reported on, in the order written
("kpi2 80% kpi3 เสร็จแล้ว", "ข้อ 2 กับ ข้อ 4", "KPI 1-3", "1) 30% 2) 55%"),
each with ``kpi``, ``percent``, ``value``, ``target``, ``status``, ``date``;
empty when no KPI is named, and the top-level fields are the first item's.
A delay ("ล่าช้า", "ติดปัญหา") wins over a percentage, and its date is the
new expected one; "3 ใน 4" and "8/10 คน" are a value and a target; office
dates ("กลางเดือนหน้า", "สิ้นปีงบประมาณ", "สิ้นไตรมาสนี้", "อีก 3 วันทำการ"
on the Thai holiday calendar) are dates; laughter ("555") is never a number.
PyThaiNLP is told here, before this package imports it, never to download
or write anything at run time (unless the environment already says otherwise).
"""

from __future__ import annotations

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
if "PYTHAINLP_READ_MODE" not in os.environ:  # PyThaiNLP refuses both at once
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from thai.cleaning import normalize, thai_digits_to_arabic
from thai.extract import ParsedMessage, parse, warm_up
from thai.formatting import (
    DATE_INPUT_HINT,
    DATETIME_INPUT_HINT,
    DateInputError,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_score,
    format_weekday,
    input_date,
    input_datetime,
    local_date,
    local_datetime,
    parse_input_date,
    parse_input_datetime,
)
from thai.labels import audit_label, status_label, subject_label

__all__ = [
    "DATETIME_INPUT_HINT",
    "DATE_INPUT_HINT",
    "DateInputError",
    "ParsedMessage",
    "audit_label",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_score",
    "format_weekday",
    "input_date",
    "input_datetime",
    "local_date",
    "local_datetime",
    "parse_input_date",
    "parse_input_datetime",
    "status_label",
    "subject_label",
    "normalize",
    "parse",
    "thai_digits_to_arabic",
    "warm_up",
]
