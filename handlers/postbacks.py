"""Postback data: every tap a card or quick reply can carry, typed, encoded and decoded here only.

The wire form is LINE's postback `data`, `action=<code>&<field>=<value>…` (cards already sitting
in people's chats keep working). `encode` checks LINE's 300-character limit; `decode` refuses
anything that is not exactly one of the taps below with well-formed values (`BadPostback`), and
the router answers every refusal the same way. A decoded tap is only well-formed: whether this
person may act on it is checked against the database by its handler.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal, TypeVar, Union
from urllib.parse import parse_qs, urlencode

from models.numbers import parse_int

MAX_DATA = 300  # characters of postback data (LINE)
MAX_TEXT = 100  # a free-text field (none is longer: the data limit is 300 in all)


class BadPostback(ValueError):
    """Postback data that is not one of our taps (stale, tampered or malformed)."""


@dataclass(frozen=True)
class Tap:
    """One kind of tap; subclasses name their `ACTION` and their fields, typed."""

    ACTION: ClassVar[str]


TAPS: dict[str, type[Tap]] = {}
T = TypeVar("T", bound=type[Tap])


def tap(action: str) -> typing.Callable[[T], T]:
    """Register a frozen dataclass as the tap for `action`."""
    def register(cls: T) -> T:
        if action in TAPS:
            raise ValueError(f"postback action {action!r} declared twice")
        cls.ACTION = action
        TAPS[action] = cls
        return cls
    return register


# --- every tap the bot sends -----------------------------------------------------------------

@tap("help")
@dataclass(frozen=True)
class ShowHelp(Tap):
    pass


@tap("mydata")
@dataclass(frozen=True)
class ShowMyData(Tap):
    pass


@tap("kpichange")
@dataclass(frozen=True)
class KpiChangeDecision(Tap):
    id: int
    do: Literal["approve", "reject"]


@tap("kpiamend")
@dataclass(frozen=True)
class AmendmentDecision(Tap):
    """The evaluator's อนุมัติ / ไม่อนุมัติ on a whole-agreement amendment."""

    id: int
    do: Literal["approve", "reject"]


@tap("rpt")
@dataclass(frozen=True)
class ReportDecision(Tap):
    """A confirmer's รับรอง / ส่งกลับแก้ไข / ดูรายละเอียด on a report card (id, version)."""

    id: int
    v: int
    do: Literal["ok", "back", "view"]


@tap("rptall")
@dataclass(frozen=True)
class ApproveAll(Tap):
    """รับรองทั้งหมด: first asks (`ok` None), then acts (`ok` 1)."""

    officer: int
    ok: int | None = None


@tap("rptkpi")
@dataclass(frozen=True)
class ReportKpi(Tap):
    """A reminder's "รายงานข้อ N ตอนนี้": start a report on the officer's KPI number `n`."""

    n: int


@tap("myrpt")
@dataclass(frozen=True)
class OwnReport(Tap):
    """The officer's แก้ไข / ถอน on their own open report."""

    id: int
    v: int
    do: Literal["edit", "withdraw"]


@tap("rptset")
@dataclass(frozen=True)
class SubmissionDecision(Tap):
    """A confirmer's รับรอง / ส่งกลับแก้ไข / ดูรายละเอียด on the card of several KPIs reported
    together: the submission's id and `v`, the sum of its reports' versions (an edit of any
    line makes the card stale)."""

    id: int
    v: int
    do: Literal["ok", "back", "view"]


@tap("myset")
@dataclass(frozen=True)
class OwnSubmission(Tap):
    """The officer's ถอนรายงานทั้งชุด on their own submission of several KPIs (id, `v` as above)."""

    id: int
    v: int
    do: Literal["withdraw"]


@tap("ack")
@dataclass(frozen=True)
class AcknowledgeAnnouncement(Tap):
    a: int


@tap("annnames")
@dataclass(frozen=True)
class AnnouncementNames(Tap):
    a: int


@tap("form")
@dataclass(frozen=True)
class OpenForm(Tap):
    f: int


@tap("cmp")
@dataclass(frozen=True)
class AssessOfficer(Tap):
    o: int
    r: int


@tap("cmplist")
@dataclass(frozen=True)
class AssessmentPage(Tap):
    page: int


@tap("apr")
@dataclass(frozen=True)
class AppraisalDecision(Tap):
    id: int
    do: Literal["ok", "ack", "disagree"]


@tap("lp")
@dataclass(frozen=True)
class CaseAction(Tap):
    id: int
    do: Literal["step", "report"]


@tap("idp")
@dataclass(frozen=True)
class IdpAction(Tap):
    do: Literal["add", "checkin"]
    item: int | None = None


@tap("svy")
@dataclass(frozen=True)
class SurveyAnswer(Tap):
    fy: int
    s: int


@tap("hip")
@dataclass(frozen=True)
class HippsAction(Tap):
    do: Literal["submit", "cert", "sent", "back"]
    id: int | None = None
    r: int | None = None
    v: int | None = None


@tap("ms")
@dataclass(frozen=True)
class MilestoneDone(Tap):
    id: int


@tap("snooze")
@dataclass(frozen=True)
class Snooze(Tap):
    day: date


@tap("inno")
@dataclass(frozen=True)
class MarkInnovation(Tap):
    """The officer says a report's work is (or is not) innovation or digital work (seed 004)."""

    id: int
    on: Literal["yes", "no"]


# --- the codec ---------------------------------------------------------------------------------

def encode(tap: Tap) -> str:
    """The postback data for `tap` (fields left None are left out); refuses over 300 characters."""
    pairs: list[tuple[str, str]] = [("action", tap.ACTION)]
    for f in dataclasses.fields(tap):
        value = getattr(tap, f.name)
        if value is not None:
            pairs.append((f.name, value.isoformat() if isinstance(value, date) else str(value)))
    data = urlencode(pairs, safe=":")
    if len(data) > MAX_DATA:
        raise ValueError(f"postback data is {len(data)} characters; LINE takes {MAX_DATA}")
    return data


def decode(data: str) -> Tap:
    """The tap `data` stands for; BadPostback when it is not exactly one of ours."""
    if len(data) > MAX_DATA:
        raise BadPostback("too long")
    try:
        raw = parse_qs(data, keep_blank_values=True, strict_parsing=True, max_num_fields=10)
    except ValueError as exc:
        raise BadPostback(str(exc)) from None
    if any(len(values) != 1 for values in raw.values()):
        raise BadPostback("a field given twice")
    params = {key: values[0] for key, values in raw.items()}
    cls = TAPS.get(params.pop("action", ""))
    if cls is None:
        raise BadPostback("unknown action")
    hints = _hints(cls)
    if set(params) - set(hints):
        raise BadPostback("unknown field")
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        text = params.get(f.name)
        if text is None:
            if f.default is dataclasses.MISSING:
                raise BadPostback(f"{f.name} missing")
            continue
        values[f.name] = _value(hints[f.name], text)
    return cls(**values)


def _value(kind: Any, text: str) -> Any:
    if typing.get_origin(kind) in (Union, types.UnionType):  # `int | None`: the int, when given
        (kind,) = [k for k in typing.get_args(kind) if k is not type(None)]
    if kind is int:
        number = parse_int(text)
        if number is None:
            raise BadPostback("not a number")
        return number
    if kind is date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise BadPostback("not a date") from None
    if typing.get_origin(kind) is Literal:
        if text not in typing.get_args(kind):
            raise BadPostback("not a choice")
        return text
    if kind is str and len(text) <= MAX_TEXT:
        return text
    raise BadPostback("not a value")


_HINTS: dict[type[Tap], dict[str, Any]] = {}


def _hints(cls: type[Tap]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]
