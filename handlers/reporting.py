"""Officers report progress on a KPI, or a finished training course, in free-form Thai.

`ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60`, `ข้อสามเสร็จแล้วค่ะ`, `KPI 4 ร้อยละ ๗๐` or the menu's
"รายงานความก้าวหน้า" start the KPI branch; `อบรมหลักสูตร … จบแล้ววันที่ …` or "รายงานการอบรม"
the training branch. Whatever the message did not say is asked for, one question at a time, with
quick replies; a confirmation card shows what was understood before anything is saved. Photos
and files sent during the flow are recorded as evidence (fetched later by bot/evidence.py).

```mermaid
stateDiagram-v2
    [*] --> choosing_kpi: report text or menu, KPI not said
    [*] --> asking_value: KPI said (or a reminder's รายงานข้อ N ตอนนี้), no value or percentage
    [*] --> asking_status: KPI and value said, no status
    [*] --> asking_note: everything said but the (optional) note
    choosing_kpi --> asking_value: a KPI of the officer (KPI 9 of 5 is questioned)
    asking_value --> asking_status: a value or percentage in range (else questioned)
    asking_status --> asking_note: done / in progress / not started
    asking_note --> confirming: a note, or ไม่มี
    [*] --> asking_course: training text or menu, course not said
    [*] --> asking_course_date: course said, no date
    [*] --> asking_summary: course and date said, no summary
    asking_course --> asking_course_date
    asking_course_date --> asking_summary: a date not in the future
    asking_summary --> confirming: a summary of what was learned
    confirming --> [*]: ยืนยัน / ใช่ / โอเค (saved, pending; confirmers notified)
    confirming --> choosing_fix: แก้ไข / ไม่ใช่
    confirming --> confirming: a correction typed (shown again) / anything else (asked again)
    choosing_fix --> choosing_kpi: ตัวชี้วัด
    choosing_fix --> asking_value: ผลงาน
    choosing_fix --> asking_status: สถานะ
    choosing_fix --> asking_note: หมายเหตุ
    choosing_fix --> asking_course: ชื่อหลักสูตร
    choosing_fix --> asking_course_date: วันที่จบ
    choosing_fix --> asking_summary: สรุป
    state "any state" as any
    any --> abandoning: a new report (menu, or a report on another KPI) mid-flow
    abandoning --> [*]: เริ่มใหม่ (the new report starts)
    abandoning --> any: ทำต่อ (the old report is asked again)
    any --> any: a photo or file (kept as evidence) / unknown input (asked again)
    any --> [*]: ยกเลิก / 30 minutes idle
```
Every question offers quick replies; a state never needs a retyped format.

A message (or an answer) naming several KPIs goes through the same states: each KPI becomes a
line, a line missing its result or status is asked for in asking_value / asking_status, and
confirming shows one card of every line (แก้ไขข้อ N asks that line's result again; a typed
"ข้อ 5 แก้เป็น 25" changes it; choosing_fix offers แก้ไขข้อ N / ไม่รายงานข้อ N). ยืนยัน saves one
report per line, sharing a submission id. A report begun from the menu or a "รายงานข้อ N" ends
offering "รายงานข้อ N ต่อ" for the next KPI still missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from handlers import conversation, texts
from handlers import messages as m
from handlers.cards import bubble
from handlers.context import Answer, Context, Step, cancel_action, command_key, refuse, tap_data
from handlers.conversation import UNKNOWN
from handlers.events import MediaReceived
from handlers.flow import Flow, dump
from handlers.notices import hold_for_staff, notify_confirmers, tell_hr_no_confirmer
from handlers.postbacks import OwnReport, OwnSubmission, ReportKpi, encode
from handlers.reminders import missing_kpis
from handlers.report_cards import (
    lines_rows,
    report_rows,
    report_title,
    submission_title,
)
from models import (
    ROLE_NAMES_TH,
    Evidence,
    Kpi,
    KpiAgreement,
    ProgressReport,
    ReportKind,
    WorkStatus,
    audit,
)
from models.progress import (
    confirmers,
    missing_roles,
    revise,
    submission_reports,
    submission_version,
    submit,
    withdraw,
)
from models.rounds import Round, current_round, round_of
from thai import ParsedMessage, format_date, normalize, parse

PERCENT_UNITS = ("ร้อยละ", "%", "เปอร์เซ็นต์")
EVIDENCE_KINDS = ("image", "video", "audio", "file")
MAX_NOTE = 1000
MAX_TITLE = 300
MAX_SUMMARY = 5000  # as long as LINE allows a message (seed 003's own summary is 2,557)
MIN_SUMMARY = 10
HUNDRED = Decimal(100)


class ReportState(StrEnum):
    CHOOSING_KPI = "choosing_kpi"
    ASKING_VALUE = "asking_value"
    ASKING_STATUS = "asking_status"
    ASKING_NOTE = "asking_note"
    ASKING_COURSE = "asking_course"
    ASKING_COURSE_DATE = "asking_course_date"
    ASKING_SUMMARY = "asking_summary"
    CONFIRMING = "confirming"
    CHOOSING_FIX = "choosing_fix"
    ABANDONING = "abandoning"


@dataclass
class ReportDraft:
    """What the officer has said so far (values as the text read them), and where the flow is."""

    kind: str = ReportKind.KPI
    evidence: list[int] = field(default_factory=list)  # photos and files sent during the flow
    kpi: int | None = None  # the KPI's number
    value: str | None = None
    target: str | None = None
    percent: str | None = None
    status: str | None = None
    date: str | None = None  # ISO: the day the result is as of (or the course ended)
    note: str | None = None  # None: not asked yet; "": none
    title: str | None = None  # a training report's course
    summary: str | None = None  # … and what was learned
    batch: str | None = None  # … the course's รุ่น, when the message says it
    tested_on: str | None = None  # … and the test's date (ISO), when it says it
    report_id: int | None = None  # editing an open report: which one, at which version
    version: int | None = None
    agreement: dict[str, Any] | None = None  # the officer's KPIs, read once per flow
    old: dict[str, Any] | None = None  # the report set aside while asked whether to abandon it
    new_text: str | None = None  # … and the message that started a new one
    new_kind: str | None = None
    # Several KPIs in one message: the lines ready for the card (each as the KPI fields above),
    # the lines still to complete (asked one at a time in the fields above), and the KPI
    # numbers named that are not the officer's. `lines` None: a report on one KPI.
    lines: list[dict[str, Any]] | None = None
    queue: list[dict[str, Any]] = field(default_factory=list)
    not_yours: list[int] = field(default_factory=list)
    auto: bool = False  # the line's status was read from its result, not said
    guided: bool = False  # started from the menu or a "รายงานข้อ N": offer the next KPI after

    def __post_init__(self) -> None:
        # Fresh lists: the loaded ones are the stored JSON's own, which a change in place
        # would alter unseen (the row would compare equal and not be written).
        self.lines = None if self.lines is None else [dict(line) for line in self.lines]
        self.queue = [dict(line) for line in self.queue]


# What can be fixed from the confirmation card, by kind: label → the data keys it clears.
FIXES: dict[str, dict[str, tuple[str, ...]]] = {
    ReportKind.KPI: {"ตัวชี้วัด": ("kpi",), "ผลงาน": ("value", "target", "percent"),
                     "สถานะ": ("status",), "หมายเหตุ": ("note",)},
    ReportKind.DEVELOPMENT: {"ชื่อหลักสูตร": ("title",), "วันที่จบ": ("date",),
                             "สรุปการเรียนรู้": ("summary",)},
}
_SPACES = re.compile(r"\s+")
# "ไม่มี", "ข้าม", "-" (with a polite particle): no note.
_NO_NOTE = re.compile(r"^(?:ไม่มี|ข้าม|ไม่|-|no|none|skip)(?:ครับ|ค่ะ|คะ|จ้า|จ้ะ|นะ)*$")
# A minus sign right before a number: thai reads the number without its sign.
_NEGATIVE = re.compile(r"(?:^|[\s(:=])[-−]\s*\d|ติดลบ")
# The training branch: "อบรม", "ฝึกอบรม", "สัมมนา", "หลักสูตร" in the first line.
_TRAINING = re.compile(r"อบรม|สัมมนา|หลักสูตร")
# The course's name: after "หลักสูตร" (or "อบรม"), up to a word that ends it.
_COURSE = re.compile(
    r"(?:หลักสูตร|(?:ฝึก)?อบรม|สัมมนา)\s*(?:เรื่อง|หลักสูตร)?\s*[\"“”'‘’]?(?P<title>.+?)[\"“”'‘’]?"
    r"\s*(?:(?:ได้)?(?:จบ|เสร็จ|ผ่าน|เรียบร้อย)|เมื่อ|วันที่|ระหว่าง|แล้ว|$)")
_COMMANDS_OF_TRAINING = ("รายงานการอบรม", "อบรม")
# The course's รุ่น ("รุ่น 01", "รุ่นที่ 3") and the line about its test ("ทำแบบทดสอบ … วันที่ …").
_BATCH = re.compile(r"รุ่น(?:ที่)?\s*([0-9A-Za-z][0-9A-Za-z/.-]{0,20})")
_TEST_LINE = re.compile(r"^.*ทดสอบ.*$", re.M)


# --- the officer's KPIs --------------------------------------------------------------------

@dataclass
class Agreement:
    round_id: int
    kpis: dict[int, Kpi]


# What the flow's questions and card need of each KPI; saving reads the KPIs afresh.
_KPI_SNAPSHOT = ("id", "number", "name", "unit", "target", "allow_over_100")
_LEVELS = ("level1", "level2", "level3", "level4", "level5")


def _agreement(ctx: Context, data: ReportDraft | None = None) -> Agreement | None:
    """The officer's KPIs in the current round, by number (two queries).

    With the flow's `data`, the first call keeps a snapshot of the KPIs there, and later steps
    of the same flow read the snapshot instead of the database. Saving calls this without
    `data`, so what is stored is always checked against the database.
    """
    if data is not None and data.agreement:
        snapshot = data.agreement
        kpis = [Kpi(**{**k, **{f: Decimal(k[f]) for f in ("target", *_LEVELS) if f in k}})
                for k in snapshot["kpis"]]
        return Agreement(snapshot["round_id"], {k.number: k for k in kpis})
    staff = ctx.staff
    assert staff is not None
    fiscal_year, round_no = round_of(ctx.now.date())
    rows = ctx.session.execute(_KPIS_IN_ROUND, {
        "officer": staff.id, "agency": staff.agency_id, "fiscal_year": fiscal_year,
        "round_no": round_no}).all()
    if not rows:
        return None
    round_id, kpis = rows[0][1], [kpi for kpi, _round_id in rows]
    if data is not None:
        data.agreement = {"round_id": round_id, "kpis": [
            {**{f: getattr(k, f) for f in _KPI_SNAPSHOT},
             **{f: str(getattr(k, f)) for f in ("target", *_LEVELS)}} for k in kpis]}
    return Agreement(round_id, {k.number: k for k in kpis})


# The officer's KPIs in the agency's round of a date, with the round's id (one statement, built
# once; none when the round is not open or the officer has no agreement in it).
_KPIS_IN_ROUND = (
    select(Kpi, Round.id).join(KpiAgreement, KpiAgreement.id == Kpi.agreement_id)
    .join(Round, Round.id == KpiAgreement.round_id)
    .where(KpiAgreement.officer_id == bindparam("officer", type_=Integer),
           Round.agency_id == bindparam("agency", type_=Integer),
           Round.fiscal_year == bindparam("fiscal_year", type_=Integer),
           Round.round_no == bindparam("round_no", type_=Integer))
    .order_by(Kpi.number))


# --- entry points -----------------------------------------------------------------------------

def looks_like_report(parsed: ParsedMessage) -> bool:
    """A free-form message that reports progress (not just a number or a word)."""
    said_amount = parsed.percent is not None or (parsed.value is not None
                                                 and parsed.target is not None)
    return said_amount or (parsed.kpi is not None and (parsed.value is not None
                                                       or parsed.status is not None))


def looks_like_training(text: str) -> bool:
    first_line = normalize(text).split("\n", 1)[0]
    return bool(_TRAINING.search(first_line))


def start_report(ctx: Context) -> Step:
    """`รายงานความก้าวหน้า` from the menu."""
    return start(ctx, None, guided=True)


def report_kpi(ctx: Context, tap: ReportKpi) -> Step:
    """A reminder's "รายงานข้อ N ตอนนี้" (or "รายงานข้อ N ต่อ" after a report): a report on KPI N
    (a KPI not theirs is questioned)."""
    return start(ctx, f"ตัวชี้วัดข้อ {tap.n}", guided=True)


def start_training_report(ctx: Context) -> Step:
    """`รายงานการอบรม` from the menu."""
    return start(ctx, None, ReportKind.DEVELOPMENT)


def on_text(ctx: Context, text: str) -> Step | None:
    """A free-form message that reports a training course or progress starts a report."""
    if normalize(text).startswith("ถ้า"):  # a what-if question (handlers/results.py)
        return None
    if looks_like_training(text):
        return start(ctx, text, ReportKind.DEVELOPMENT)
    parsed = parse(text, ctx.now.date())
    if looks_like_report(parsed):
        return start(ctx, text, parsed=parsed)
    return None


def start(ctx: Context, text: str | None, kind: str = ReportKind.KPI,
          parsed: ParsedMessage | None = None, *, guided: bool = False) -> Step:
    """A new report: from the menu (`text` None) or a free-form message.

    In the middle of a report it first asks whether to abandon the old one.
    """
    current = (conversation.current(ctx.session, ctx.line_user.user_id, ctx.now)
               if ctx.current is UNKNOWN else ctx.current)
    if (current is not None and current.flow == FLOW.name
            and current.state != ReportState.ABANDONING):
        return _ask_abandon(current.state, FLOW.load(current.data), text, kind)
    return _begin(ctx, text, kind, parsed, guided=guided)


def _begin(ctx: Context, text: str | None, kind: str, parsed: ParsedMessage | None = None, *,
           guided: bool = False) -> Step:
    data = ReportDraft(kind=kind, guided=guided)
    if kind == ReportKind.DEVELOPMENT:
        if text is not None and command_key(text) not in _COMMANDS_OF_TRAINING:
            _read_training(ctx, text, data)
        return _advance_training(ctx, data, [])
    agreement = _agreement(ctx, data)
    if agreement is None:
        return Step([m.text(texts.NO_AGREEMENT_TO_REPORT)])
    notes: list[str] = []
    if text is not None:
        parsed = parsed or parse(text, ctx.now.date())
        if _several(parsed):
            return _begin_lines(ctx, parsed, data, agreement)
        _merge(ctx, parsed, data, notes, agreement)
    return _advance(ctx, data, agreement, notes)


def _ask_abandon(state: str, data: ReportDraft, text: str | None, kind: str) -> Step:
    return Step([m.text(texts.ABANDON_QUESTION, [
        m.message_action("เริ่มรายงานใหม่"), m.message_action("ทำรายงานเดิมต่อ"),
        cancel_action()])], ReportState.ABANDONING,
        ReportDraft(old={"state": state, "data": dump(data)}, new_text=text, new_kind=kind))


# --- steps: the KPI branch -------------------------------------------------------------------

def on_kpi(ctx: Context, typed: str, data: ReportDraft) -> Step:
    return _answer(ctx, typed, data, ReportState.CHOOSING_KPI)


def on_value(ctx: Context, typed: str, data: ReportDraft) -> Step:
    return _answer(ctx, typed, data, ReportState.ASKING_VALUE)


def on_status(ctx: Context, typed: str, data: ReportDraft) -> Step:
    return _answer(ctx, typed, data, ReportState.ASKING_STATUS)


def on_note(ctx: Context, typed: str, data: ReportDraft) -> Step:
    agreement = _agreement(ctx, data)
    if agreement is None:
        return Step([m.text(texts.NO_AGREEMENT_TO_REPORT)])
    if _another_kpi(parse(typed, ctx.now.date()), data, ReportState.ASKING_NOTE):
        return _ask_abandon(ReportState.ASKING_NOTE, data, typed, ReportKind.KPI)
    note = " ".join(typed.split())
    data.note = "" if _NO_NOTE.match(command_key(typed)) else m.shorten(note, MAX_NOTE)
    return _advance(ctx, data, agreement, [])


def _answer(ctx: Context, typed: str, data: ReportDraft, state: ReportState) -> Step:
    agreement = _agreement(ctx, data)
    if agreement is None:
        return Step([m.text(texts.NO_AGREEMENT_TO_REPORT)])
    parsed = parse(typed, ctx.now.date())
    if (data.lines is None and data.report_id is None and _several(parsed)
            and (data.kpi is None or data.kpi == parsed.kpi)):
        return _begin_lines(ctx, parsed, data, agreement)  # the answer names several KPIs
    if _another_kpi(parsed, data, state):
        return _ask_abandon(state, data, typed, ReportKind.KPI)
    notes: list[str] = []
    if not _merge(ctx, parsed, data, notes, agreement, state):
        notes.append(texts.NOT_UNDERSTOOD)
    return _advance(ctx, data, agreement, notes)


def _another_kpi(parsed: ParsedMessage, data: ReportDraft, state: str) -> bool:
    """A whole report on another KPI in the middle of this one: a new report, not an answer."""
    return (state != ReportState.CHOOSING_KPI and data.kpi is not None
            and parsed.kpi is not None and parsed.kpi != data.kpi
            and looks_like_report(parsed))


def _merge(ctx: Context, parsed: ParsedMessage, data: ReportDraft, notes: list[str],
           agreement: Agreement, state: str | None = None) -> bool:
    """Take every field the message says into `data`; False when it said nothing usable."""
    changed = False
    if parsed.kpi is not None:
        data.kpi, changed = parsed.kpi, True
    elif (state == ReportState.CHOOSING_KPI and parsed.value is not None
          and parsed.percent is None and float(parsed.value).is_integer()):
        data.kpi = int(parsed.value)  # a bare number answers "which KPI"
        return True
    if parsed.percent is not None or parsed.value is not None:
        if _NEGATIVE.search(parsed.normalized):
            notes.append(texts.NEGATIVE_VALUE)
        else:
            data.value = _text(parsed.value)
            data.target = _text(parsed.target)
            data.percent = _text(parsed.percent)
        changed = True
    if parsed.status == "delayed":
        # The work itself is still in progress; the officer's words say why it is late.
        data.status, changed = WorkStatus.IN_PROGRESS.value, True
        if data.note is None:
            data.note = m.shorten(" ".join(parsed.text.split()), MAX_NOTE)
    elif parsed.status is not None:
        data.status, changed = parsed.status, True
    if parsed.date is not None and parsed.status != "delayed":  # a delay's date is when it expects
        if parsed.date > ctx.now.date():
            notes.append(texts.FUTURE_DATE.format(date=format_date(parsed.date)))
        else:
            data.date = parsed.date.isoformat()
        changed = True
    return changed


def _derived(data: ReportDraft, kpi: Kpi) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(value, target, percent) as they will be saved, read against the **agreed** KPI.

    A ร้อยละ KPI keeps the officer's own count ("45 จาก 60" is 75%). Any other KPI is measured
    against its agreed target: a bare percentage ("100%") is that share of the agreed target,
    and the percentage shown is of the agreed target; a lower-is-better KPI or a level scale
    gets no percentage (it would read as the wrong thing)."""
    value, target, percent = _decimal(data.value), _decimal(data.target), _decimal(data.percent)
    if kpi.unit.strip() in PERCENT_UNITS:
        if value is not None and percent is None:
            if target is None:
                return None, None, value  # "70" on a percentage KPI is 70%
            if target > 0:
                percent = (value * HUNDRED / target).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return value, target, percent
    agreed = Decimal(kpi.target)
    if value is None and percent is not None:
        value = (percent * agreed / HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if value is None:
        return None, None, percent
    if _falling(kpi) or _level_scale(kpi):
        return value, agreed, None
    percent = ((value * HUNDRED / agreed).quantize(Decimal("0.01"), ROUND_HALF_UP)
               if agreed > 0 else None)
    return value, agreed, percent


def _falling(kpi: Kpi) -> bool:
    """Lower is better: the level thresholds fall from level 1 to level 5."""
    first, last = getattr(kpi, "level1", None), getattr(kpi, "level5", None)
    return first is not None and last is not None and Decimal(first) > Decimal(last)


def _level_scale(kpi: Kpi) -> bool:
    """The KPI is measured as a level (ระดับ 1–5) itself."""
    return kpi.unit.strip().startswith("ระดับ")


def _problem(data: ReportDraft, agreement: Agreement) -> str | None:
    """Why the data cannot be saved as it is (the offending fields are cleared), if it cannot;
    or a note when a typed target differs from the agreed one (the agreed one is used)."""
    number = data.kpi
    if number is not None and number not in agreement.kpis:
        data.kpi = None
        return texts.KPI_OUT_OF_RANGE.format(kpi=number, count=len(agreement.kpis))
    if number is None:
        return None
    kpi = agreement.kpis[number]
    typed_value, typed_target = _decimal(data.value), _decimal(data.target)
    percent_kpi = kpi.unit.strip() in PERCENT_UNITS
    if (not percent_kpi and typed_target is not None and typed_value is not None
            and typed_target != Decimal(kpi.target)):
        data.target = None  # the agreed target is what the result is read against
        return texts.AGREED_TARGET.format(
            target=f"{_plain(Decimal(kpi.target))} {kpi.unit}".strip())
    value, target, percent = _derived(data, kpi)
    problem = None
    if _level_scale(kpi) and value is not None and (
            value != value.to_integral_value() or not 1 <= value <= 5):
        problem = texts.LEVEL_OUT_OF_RANGE
    elif percent_kpi and target is not None and target <= 0 and value is not None:
        problem = texts.ZERO_TARGET
    elif percent_kpi and percent is not None and percent > HUNDRED and not kpi.allow_over_100:
        problem = texts.PERCENT_TOO_HIGH.format(percent=_plain(percent))
    if problem:
        data.value = data.target = data.percent = None
    return problem


def _advance(ctx: Context, data: ReportDraft, agreement: Agreement, notes: list[str]) -> Step:
    """Ask for the first thing still missing, or show the confirmation card."""
    if data.lines is not None:
        return _advance_lines(ctx, data, agreement, notes)
    problem = _problem(data, agreement)
    if problem:
        notes.append(problem)
    lead = "\n".join(notes)
    if data.kpi is None:
        actions = [m.message_action(m.shorten_label(f"{k.number}. {k.name}"), f"ตัวชี้วัดที่ {k.number}")
                   for k in agreement.kpis.values()][:12]
        return _ask(lead, texts.ASK_KPI, actions, ReportState.CHOOSING_KPI, data)
    kpi = agreement.kpis[data.kpi]
    if data.value is None and data.percent is None:
        question, actions = _value_question(kpi)
        return _ask(lead, question, actions, ReportState.ASKING_VALUE, data)
    if data.status is None:
        actions = [m.message_action(label) for label in texts.WORK_STATUS.values()]
        return _ask(lead, texts.ASK_STATUS, actions, ReportState.ASKING_STATUS, data)
    if data.note is None:
        return _ask(lead, texts.ASK_NOTE, [m.message_action("ไม่มี")], ReportState.ASKING_NOTE,
                    data)
    messages = [m.text(lead)] if lead else []
    messages.append(_confirm_card(ctx, _draft(ctx, data, agreement.round_id, kpi), data))
    return Step(messages, ReportState.CONFIRMING, data)


def _value_question(kpi: Kpi) -> tuple[str, list[m.Action]]:
    if _level_scale(kpi):  # measured as a level itself: the levels are the choices
        return (f"ตัวชี้วัดที่ {kpi.number}. {kpi.name}\n{texts.ASK_LEVEL}",
                [m.message_action(f"ระดับ {n}") for n in range(1, 6)])
    return (f"ตัวชี้วัดที่ {kpi.number}. {kpi.name}\n{texts.ASK_VALUE}",
            [m.message_action(p) for p in ("25%", "50%", "75%", "100%")])


def _ask(lead: str, question: str, actions: list[m.Action], state: ReportState,
         data: ReportDraft) -> Step:
    body = f"{lead}\n\n{question}" if lead else question
    return Step([m.text(body, [*actions, cancel_action()])], state, data)


# --- steps: the training branch -------------------------------------------------------------

def on_course(ctx: Context, typed: str, data: ReportDraft) -> Step:
    title = " ".join(typed.split())
    notes = []
    if title:
        data.title = m.shorten(title, MAX_TITLE)
    else:
        notes.append(texts.NOT_UNDERSTOOD)
    return _advance_training(ctx, data, notes)


def on_course_date(ctx: Context, typed: str, data: ReportDraft) -> Step:
    parsed = parse(typed, ctx.now.date())
    notes = []
    if parsed.date is None:
        notes.append(texts.NOT_UNDERSTOOD)
    elif parsed.date > ctx.now.date():
        notes.append(f"วันที่ {format_date(parsed.date)} ยังมาไม่ถึง")
    else:
        data.date = parsed.date.isoformat()
    return _advance_training(ctx, data, notes)


def on_summary(ctx: Context, typed: str, data: ReportDraft) -> Step:
    summary = typed.strip()
    if len(summary) < MIN_SUMMARY:
        return _advance_training(ctx, data, [texts.SUMMARY_TOO_SHORT])
    data.summary = m.shorten(summary, MAX_SUMMARY)
    return _advance_training(ctx, data, [])


def _read_training(ctx: Context, text: str, data: ReportDraft) -> None:
    """Course name, end date and (from the following lines) the summary of a training message."""
    first, _, rest = normalize(text).partition("\n")
    match = _COURSE.search(first)
    if match and match["title"].strip():
        data.title = m.shorten(match["title"].strip(), MAX_TITLE)
    parsed = parse(first, ctx.now.date())
    if parsed.date is not None and parsed.date <= ctx.now.date():
        data.date = parsed.date.isoformat()
    if len(rest.strip()) >= MIN_SUMMARY:
        data.summary = m.shorten(text.partition("\n")[2].strip(), MAX_SUMMARY)
    head = "\n".join(normalize(text).split("\n")[:4])  # the course lines, not the summary body
    batch = _BATCH.search(head)
    if batch:
        data.batch = batch[1]
    test_line = _TEST_LINE.search(head)
    tested = parse(test_line[0], ctx.now.date()).date if test_line else None
    if tested is not None and tested <= ctx.now.date():
        data.tested_on = tested.isoformat()


def _advance_training(ctx: Context, data: ReportDraft, notes: list[str]) -> Step:
    lead = "\n".join(notes)
    if not data.title:
        return _ask(lead, texts.ASK_COURSE, [], ReportState.ASKING_COURSE, data)
    if not data.date:
        return _ask(lead, texts.ASK_COURSE_DATE,
                    [m.message_action("วันนี้"), m.message_action("เมื่อวาน")],
                    ReportState.ASKING_COURSE_DATE, data)
    if not data.summary:
        return _ask(lead, texts.ASK_SUMMARY, [], ReportState.ASKING_SUMMARY, data)
    round_ = current_round(ctx.session, _staff(ctx).agency_id, ctx.now.date())
    messages = [m.text(lead)] if lead else []
    messages.append(_confirm_card(ctx, _draft(ctx, data, round_.id if round_ else None, None),
                                  data))
    return Step(messages, ReportState.CONFIRMING, data)


# --- confirming, fixing, abandoning ---------------------------------------------------------

def on_confirm(ctx: Context, typed: str, data: ReportDraft) -> Step:
    parsed = parse(typed, ctx.now.date())
    key = command_key(typed)
    if data.lines is not None:
        line_step = _line_command(ctx, key, data)
        if line_step is not None:
            return line_step
    if parsed.answer == "yes":
        return _save(ctx, data)
    if parsed.answer == "no" or key == "แก้ไข":
        return _ask_fix(data)
    if data.lines is not None and _says_something(parsed):
        return _correct_lines(ctx, parsed, data)
    if data.kind == ReportKind.KPI and _says_something(parsed):
        return _answer(ctx, typed, data, ReportState.CONFIRMING)  # a correction, shown again
    return _again(ctx, data, [texts.PLEASE_ANSWER_CONFIRM])


def on_fix(ctx: Context, typed: str, data: ReportDraft) -> Step:
    key = command_key(typed)
    if data.lines is not None:
        line_step = _line_command(ctx, key, data)
        if line_step is not None:
            return line_step
        parsed = parse(typed, ctx.now.date())
        if parsed.answer == "yes":
            return _save(ctx, data)
        if _says_something(parsed):
            return _correct_lines(ctx, parsed, data)
        return _ask_fix(data, texts.NOT_UNDERSTOOD)
    fixes = FIXES[ReportKind(data.kind)]
    for label, fields in fixes.items():
        if key == command_key(label):
            for name in fields:
                setattr(data, name, None)
            return _again(ctx, data, [])
    parsed = parse(typed, ctx.now.date())
    if parsed.answer == "yes":
        return _save(ctx, data)
    if data.kind == ReportKind.KPI and _says_something(parsed):
        return _answer(ctx, typed, data, ReportState.CHOOSING_FIX)
    return _ask_fix(data, texts.NOT_UNDERSTOOD)


def _says_something(parsed: ParsedMessage) -> bool:
    return any(v is not None for v in (parsed.kpi, parsed.value, parsed.percent, parsed.status,
                                       parsed.date))


def _ask_fix(data: ReportDraft, lead: str = "") -> Step:
    if data.lines is not None:
        numbers = [line["kpi"] for line in data.lines]
        actions = [m.message_action(texts.MULTI_FIX_LINE.format(kpi=n)) for n in numbers]
        actions += [m.message_action(texts.MULTI_DROP_LINE.format(kpi=n)) for n in numbers]
        return _ask(lead, texts.MULTI_WHICH_FIX, actions[:12], ReportState.CHOOSING_FIX, data)
    labels = list(FIXES[ReportKind(data.kind)])
    return _ask(lead, texts.WHICH_FIX, [m.message_action(label) for label in labels],
                ReportState.CHOOSING_FIX, data)


def on_abandon(ctx: Context, typed: str, data: ReportDraft) -> Step:
    key = command_key(typed)
    answer = parse(typed, ctx.now.date()).answer
    old = data.old or {}
    if answer == "yes" or key in ("เริ่มรายงานใหม่", "เริ่มใหม่"):
        return _begin(ctx, data.new_text, data.new_kind or ReportKind.KPI)
    if answer == "no" or key in ("ทำรายงานเดิมต่อ", "ทำต่อ"):
        return _again(ctx, FLOW.load(old.get("data")), [texts.RESUMED])
    return _ask_abandon(old.get("state", ""), FLOW.load(old.get("data")), data.new_text,
                        data.new_kind or ReportKind.KPI)


def _again(ctx: Context, data: ReportDraft, notes: list[str]) -> Step:
    """Ask whatever the data still needs (or show the card again)."""
    if data.kind == ReportKind.DEVELOPMENT:
        return _advance_training(ctx, data, notes)
    agreement = _agreement(ctx, data)
    if agreement is None:
        return Step([m.text(texts.NO_AGREEMENT_TO_REPORT)])
    return _advance(ctx, data, agreement, notes)


def on_media(ctx: Context, event: MediaReceived, state: str, data: ReportDraft) -> Step:
    """A photo or file during the flow is evidence; anything else is noted. Then ask again."""
    if event.kind not in EVIDENCE_KINDS or state == ReportState.ABANDONING:
        intro = texts.MEDIA.get(event.kind, "ได้รับข้อความแล้ว")
        step = _again(ctx, data, [intro]) if state != ReportState.ABANDONING else Step(
            [m.text(intro)], state, data)
        return step
    staff = _staff(ctx)
    existing = ctx.session.scalars(select(Evidence).where(
        Evidence.line_message_id == event.message_id[:64])).first()
    if existing is None:
        existing = Evidence(staff_id=staff.id, line_message_id=event.message_id[:64],
                            kind=event.kind)
        ctx.session.add(existing)
        ctx.session.flush()
        audit(ctx.session, "evidence.received", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"evidence:{existing.id}",
              kind=event.kind)
    ids = [i for i in data.evidence if i != existing.id] + [existing.id]
    data.evidence = ids
    note = texts.EVIDENCE_RECEIVED.format(kind=texts.EVIDENCE_KINDS[event.kind], count=len(ids))
    return _again(ctx, data, [note])


# --- saving ----------------------------------------------------------------------------------

def _save(ctx: Context, data: ReportDraft) -> Step:
    if data.lines is not None:
        return _save_lines(ctx, data)
    staff = _staff(ctx)
    kind = ReportKind(data.kind)
    if kind == ReportKind.KPI:
        agreement = _agreement(ctx)
        if agreement is None:
            return Step([m.text(texts.NO_AGREEMENT_TO_REPORT)])
        problem = _problem(data, agreement)
        if problem or data.kpi is None:
            data.agreement = None  # the flow's snapshot is out of date: read it again
            return _advance(ctx, data, agreement, [problem] if problem else [])
        round_id: int | None = agreement.round_id
        fields = _fields(ctx, data, agreement.kpis[data.kpi])
    else:
        round_ = current_round(ctx.session, staff.agency_id, ctx.now.date())
        round_id = round_.id if round_ else None
        fields = _fields(ctx, data, None)
    report_id = data.report_id
    if report_id is not None:
        report = ctx.session.get(ProgressReport, int(report_id), with_for_update=True)
        if (report is None or report.officer_id != staff.id or not report.is_open
                or report.version != data.version):
            return Step([m.text(texts.REPORT_NOT_OPEN)])
        revise(ctx.session, report, ctx.now, ctx.line_user.user_id, fields)
        said = texts.REPORT_REVISED.format(version=report.version)
    else:
        report = ProgressReport(officer_id=staff.id, round_id=round_id, kind=kind, **fields)
        submit(ctx.session, report, ctx.now, ctx.line_user.user_id)
        said = texts.REPORT_SAVED
    evidence_ids = [int(i) for i in data.evidence]
    if evidence_ids:
        for item in ctx.session.scalars(select(Evidence).where(
                Evidence.id.in_(evidence_ids), Evidence.staff_id == staff.id,
                Evidence.report_id.is_(None))):
            item.report = report
    elif report_id is None:
        set_committed_value(report, "evidence", [])  # a new report with none: nothing to load
    ctx.session.flush()
    by_role = confirmers(ctx.session, staff, report.round_id)
    names = notify_confirmers(ctx.session, report, staff, by_role)
    missing = missing_roles(ctx.session, staff, report.round_id)
    tell_hr_no_confirmer(ctx.session, staff, missing)
    lines = [said, report_title(report)]
    if names:
        lines.append(texts.SENT_TO.format(names=", ".join(names)))
    if missing:
        lines.append(texts.NO_CONFIRMER.format(
            roles=" และ ".join(ROLE_NAMES_TH.get(r, r) for r in missing)))
    after = _next_kpi(ctx, data, lines) if kind == ReportKind.KPI else []
    if report.submission_id is not None:  # a line of several, edited: the whole still withdrawable
        after += own_submission_actions(submission_reports(ctx.session, report.submission_id))[:1]
    return Step([m.text("\n".join(lines),
                        [*after, *own_report_actions(report), *ctx.menu][:13])])


def _fields(ctx: Context, data: ReportDraft, kpi: Kpi | None) -> dict[str, Any]:
    reported_on = date.fromisoformat(data.date) if data.date else ctx.now.date()
    if kpi is None:
        return {"kpi_id": None, "title": data.title, "summary": data.summary,
                "reported_on": reported_on, "work_status": "done", "value": None,
                "target": None, "percent": None, "note": "", "batch": data.batch or "",
                "tested_on": date.fromisoformat(data.tested_on) if data.tested_on else None}
    value, target, percent = _derived(data, kpi)
    return {"kpi_id": kpi.id, "value": value, "target": target, "percent": percent,
            "work_status": data.status, "note": data.note or "",
            "reported_on": reported_on}


def own_report_actions(report: ProgressReport) -> list[m.Action]:
    """The officer's แก้ไขรายงาน / ถอนรายงาน on an open report."""
    return [m.postback_action("แก้ไขรายงาน", encode(OwnReport(report.id, report.version, "edit")),
                              "แก้ไขรายงาน"),
            m.postback_action("ถอนรายงาน",
                              encode(OwnReport(report.id, report.version, "withdraw")),
                              "ถอนรายงาน")]


def on_own_report(ctx: Context, tap: OwnReport) -> Answer:
    """แก้ไขรายงาน / ถอนรายงาน on the officer's own open report, checked."""
    staff = _staff(ctx)
    report = ctx.session.get(ProgressReport, tap.id, with_for_update=True)
    if report is None or report.officer_id != staff.id:
        return refuse(ctx, tap)
    if not report.is_open or report.version != tap.v:
        audit(ctx.session, "postback.stale", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"report:{report.id}",
              data=tap_data(tap))
        return [m.text(texts.REPORT_NOT_OPEN, ctx.menu)]
    if tap.do == "withdraw":
        withdraw(ctx.session, report, ctx.now, ctx.line_user.user_id)
        hold_for_staff(ctx.session, list(confirmers(ctx.session, staff, report.round_id)),
                       [m.text(texts.TO_CONFIRMER_WITHDRAWN.format(name=staff.name_th,
                                                                   what=report_title(report)))],
                       ctx.now)
        return [m.text(f"{texts.REPORT_WITHDRAWN}\n{report_title(report)}", ctx.menu)]
    data = ReportDraft(kind=report.kind, report_id=report.id, version=report.version,
                       date=report.reported_on.isoformat())
    if report.kind == ReportKind.DEVELOPMENT:
        data.title, data.summary = report.title, report.summary
        data.batch = report.batch or None
        data.tested_on = report.tested_on.isoformat() if report.tested_on else None
    else:
        data.kpi = report.kpi.number if report.kpi else None
        data.value = _text(report.value)
        data.target = _text(report.target) if report.value is not None else None
        data.percent = _text(report.percent) if report.value is None else None
        data.status, data.note = report.work_status, report.note
    step = _again(ctx, data, [])
    fix = _ask_fix(data)
    return Step([*step.messages[-1:], *fix.messages], ReportState.CHOOSING_FIX, data)


# --- helpers -----------------------------------------------------------------------------

def _draft(ctx: Context, data: ReportDraft, round_id: int | None,
           kpi: Kpi | None) -> ProgressReport:
    """An unsaved report with what the officer said, for the confirmation card."""
    fields = _fields(ctx, data, kpi)
    fields.pop("kpi_id")
    draft = ProgressReport(officer_id=_staff(ctx).id, round_id=round_id,
                           kind=data.kind, **fields)
    draft.kpi = kpi
    return draft


def _confirm_card(ctx: Context, draft: ProgressReport, data: ReportDraft) -> m.Message:
    rows = report_rows(draft, evidence_count=len(data.evidence))
    rows.append({"type": "text", "text": texts.CONFIRM_QUESTION, "size": "sm", "wrap": True,
                 "color": "#888888", "margin": "lg"})
    editing = f" · แก้ไขฉบับที่ {data.version}" if data.report_id else ""
    card = bubble(f"ตรวจสอบ{report_title(draft)}", f"{_staff(ctx).name_th}{editing}", rows)
    return m.flex(f"ตรวจสอบ{report_title(draft)} ก่อนส่ง", card,
                  [m.message_action("ยืนยัน"), m.message_action("แก้ไข"),
                   m.message_action("ยกเลิก")])


def _staff(ctx: Context) -> Any:
    assert ctx.staff is not None
    return ctx.staff


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _plain(value: Decimal) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"




# --- several KPIs in one message ----------------------------------------------------------------
# Each KPI named becomes a line; a line missing its result or status is asked for, one line at a
# time, in the draft's own KPI fields (the same questions as a report on one KPI); the note is
# not asked. Then one card lists every line, and ยืนยัน saves one report per line, sharing a
# submission id: the confirmers get one card for all of them.

_LINE_FIELDS = ("kpi", "value", "target", "percent", "status", "date", "note")


def _several(parsed: ParsedMessage) -> bool:
    return len({item.kpi for item in parsed.items}) >= 2


def _item_message(parsed: ParsedMessage, item: Any) -> ParsedMessage:
    """The message as if it said only this item (what `_merge` reads)."""
    return replace(parsed, kpi=item.kpi, percent=item.percent, value=item.value,
                   target=item.target, status=item.status, date=item.date, items=(item,))


def _line_of(data: ReportDraft) -> dict[str, Any]:
    return {**{f: getattr(data, f) for f in _LINE_FIELDS}, "auto": data.auto}


def _line_draft(line: dict[str, Any]) -> ReportDraft:
    draft = ReportDraft()
    _into_slot(draft, line)
    return draft


def _into_slot(data: ReportDraft, line: dict[str, Any]) -> None:
    for name in _LINE_FIELDS:
        setattr(data, name, line.get(name))
    data.auto = bool(line.get("auto"))


def _clear_slot(data: ReportDraft) -> None:
    _into_slot(data, {})


def _begin_lines(ctx: Context, parsed: ParsedMessage, data: ReportDraft,
                 agreement: Agreement) -> Step:
    """A message on several KPIs: a line for each of the officer's, the others named."""
    named = list(dict.fromkeys(item.kpi for item in parsed.items))
    data.not_yours = [n for n in named if n not in agreement.kpis]
    notes: list[str] = []
    queue: list[dict[str, Any]] = []
    for item in parsed.items:
        if item.kpi in agreement.kpis and all(line["kpi"] != item.kpi for line in queue):
            line = ReportDraft()
            _merge(ctx, _item_message(parsed, item), line, notes, agreement)
            queue.append(_line_of(line))
    if not queue:  # none of them is the officer's: asked which, as for one KPI
        data.not_yours = []
        _merge(ctx, parsed, data, notes, agreement)
        return _advance(ctx, data, agreement, notes)
    _clear_slot(data)  # in the guided flow, the KPI asked about is one of the lines now
    data.lines, data.queue = [], queue
    return _advance(ctx, data, agreement, notes)


def _infer(data: ReportDraft, kpi: Kpi) -> None:
    """What a line of several leaves unsaid and its result tells: "เสร็จแล้ว" alone is the whole
    target; a result without a status is done when it reaches the target, else in progress."""
    if (data.status == WorkStatus.DONE and data.value is None and data.percent is None
            and not (_falling(kpi) or _level_scale(kpi))):
        data.percent = "100"
    if data.status is None and (data.value is not None or data.percent is not None):
        value, _target, percent = _derived(data, kpi)
        agreed = Decimal(kpi.target)
        if _falling(kpi) or _level_scale(kpi):  # no percentage: the value against the target
            reached = value is not None and (value <= agreed if _falling(kpi) else value >= agreed)
        else:
            reached = percent is not None and percent >= HUNDRED
        data.status = (WorkStatus.DONE if reached else WorkStatus.IN_PROGRESS).value
        data.auto = True


def _advance_lines(ctx: Context, data: ReportDraft, agreement: Agreement,
                   notes: list[str]) -> Step:
    """Complete the line being asked about, then the next; then the card of every line."""
    assert data.lines is not None
    while True:
        if data.kpi is not None:
            problem = _problem(data, agreement)
            if problem:
                notes.append(problem)
            if data.kpi is None:
                _clear_slot(data)
            else:
                kpi = agreement.kpis[data.kpi]
                _infer(data, kpi)
                lead = "\n".join(notes)
                if data.value is None and data.percent is None:
                    question, actions = _value_question(kpi)
                    return _ask(lead, question, actions, ReportState.ASKING_VALUE, data)
                if data.status is None:
                    actions = [m.message_action(label) for label in texts.WORK_STATUS.values()]
                    return _ask(lead, f"ตัวชี้วัดที่ {kpi.number}. {kpi.name}\n{texts.ASK_STATUS}",
                                actions, ReportState.ASKING_STATUS, data)
                if data.note is None:
                    data.note = ""
                line = _line_of(data)
                at = next((i for i, old in enumerate(data.lines) if old["kpi"] == line["kpi"]),
                          None)
                if at is None:
                    data.lines.append(line)
                else:
                    data.lines[at] = line
                _clear_slot(data)
        if not data.queue:
            break
        _into_slot(data, data.queue.pop(0))
    if not data.lines:  # every line taken out: a report on one KPI, asked which
        data.lines = None
        return _advance(ctx, data, agreement, notes)
    lead = "\n".join(notes)
    messages = [m.text(lead)] if lead else []
    messages.append(_lines_card(ctx, data, agreement))
    return Step(messages, ReportState.CONFIRMING, data)


def _lines_card(ctx: Context, data: ReportDraft, agreement: Agreement) -> m.Message:
    assert data.lines is not None
    drafts = [_draft(ctx, _line_draft(line), agreement.round_id, agreement.kpis[line["kpi"]])
              for line in data.lines]
    rows = lines_rows(drafts)
    if data.not_yours:
        rows.append({"type": "text", "wrap": True, "size": "sm", "color": "#B3261E",
                     "margin": "lg", "text": texts.MULTI_NOT_YOURS.format(
                         numbers=", ".join(str(n) for n in data.not_yours))})
    if data.evidence:
        rows.append({"type": "text", "size": "sm", "margin": "md",
                     "text": f"หลักฐาน {len(data.evidence)} รายการ"})
    rows.append({"type": "text", "text": texts.MULTI_CONFIRM_QUESTION, "size": "sm",
                 "wrap": True, "color": "#888888", "margin": "lg"})
    title = f"ตรวจสอบ{submission_title(drafts)}"
    card = bubble(title, _staff(ctx).name_th, rows)
    fixes = [m.message_action(texts.MULTI_FIX_LINE.format(kpi=line["kpi"]))
             for line in data.lines]
    return m.flex(f"{title} ก่อนส่ง", card,
                  [m.message_action("ยืนยัน"), *fixes[:10], m.message_action("ยกเลิก")])


def _line_command(ctx: Context, key: str, data: ReportDraft) -> Step | None:
    """แก้ไขข้อ N (its result asked again) or ไม่รายงานข้อ N (taken out), from the card."""
    assert data.lines is not None
    for line in list(data.lines):
        number = line["kpi"]
        if key == command_key(texts.MULTI_FIX_LINE.format(kpi=number)):
            _into_slot(data, line)
            data.value = data.target = data.percent = None
            if data.auto:
                data.status, data.auto = None, False
            return _again(ctx, data, [])
        if key == command_key(texts.MULTI_DROP_LINE.format(kpi=number)):
            data.lines.remove(line)
            return _again(ctx, data, [texts.MULTI_DROPPED.format(kpi=number)])
    return None


def _correct_lines(ctx: Context, parsed: ParsedMessage, data: ReportDraft) -> Step:
    """A correction typed at the card ("ข้อ 5 แก้เป็น 25"): each KPI it names is changed (or
    added, when it is the officer's); then the card again."""
    assert data.lines is not None
    agreement = _agreement(ctx, data)
    if agreement is None:
        return Step([m.text(texts.NO_AGREEMENT_TO_REPORT)])
    notes: list[str] = []
    items = [item for item in parsed.items if item.kpi is not None]
    if not items:
        return _again(ctx, data, [texts.NOT_UNDERSTOOD])
    for item in items:
        if item.kpi not in agreement.kpis:
            notes.append(texts.KPI_OUT_OF_RANGE.format(kpi=item.kpi, count=len(agreement.kpis)))
            continue
        line = next((old for old in data.lines if old["kpi"] == item.kpi), None)
        draft = _line_draft(line) if line else ReportDraft()
        if draft.auto and item.status is None:  # read from the old result: read it again
            draft.status, draft.auto = None, False
        _merge(ctx, _item_message(parsed, item), draft, notes, agreement)
        data.queue.append(_line_of(draft))
    return _advance(ctx, data, agreement, notes)


def _save_lines(ctx: Context, data: ReportDraft) -> Step:
    """ยืนยัน on the card of several KPIs: one report per line, one submission, one answer."""
    assert data.lines is not None
    staff = _staff(ctx)
    agreement = _agreement(ctx)
    if agreement is None:
        return Step([m.text(texts.NO_AGREEMENT_TO_REPORT)])
    checked = []
    for line in data.lines:
        draft = _line_draft(line)
        problem = _problem(draft, agreement)
        if problem or draft.kpi is None:
            data.agreement = None  # the flow's snapshot is out of date: read it again
            data.queue, data.lines = list(data.lines), []
            return _advance(ctx, data, agreement, [problem] if problem else [])
        checked.append(draft)
    if len(checked) == 1:  # one line left: a report on one KPI
        _into_slot(data, data.lines[0])
        data.lines = None
        return _save(ctx, data)
    reports = []
    for draft in checked:
        assert draft.kpi is not None
        report = ProgressReport(officer_id=staff.id, round_id=agreement.round_id,
                                kind=ReportKind.KPI,
                                **_fields(ctx, draft, agreement.kpis[draft.kpi]))
        submit(ctx.session, report, ctx.now, ctx.line_user.user_id)
        reports.append(report)
    lead = reports[0]
    for report in reports:
        report.submission_id = lead.id
    evidence_ids = [int(i) for i in data.evidence]
    if evidence_ids:  # the photos and files go with the first line
        for item in ctx.session.scalars(select(Evidence).where(
                Evidence.id.in_(evidence_ids), Evidence.staff_id == staff.id,
                Evidence.report_id.is_(None))):
            item.report = lead
    for report in reports[1:] if evidence_ids else reports:
        set_committed_value(report, "evidence", [])
    ctx.session.flush()
    audit(ctx.session, "report.submission", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"submission:{lead.id}",
          reports=[r.id for r in reports])
    by_role = confirmers(ctx.session, staff, lead.round_id)
    names = notify_confirmers(ctx.session, lead, staff, by_role)
    missing = missing_roles(ctx.session, staff, lead.round_id)
    tell_hr_no_confirmer(ctx.session, staff, missing)
    lines = [texts.MULTI_SAVED.format(count=len(reports)),
             *(f"• {report_title(r)}" for r in reports)]
    if data.not_yours:
        lines.append(texts.MULTI_NOT_YOURS.format(
            numbers=", ".join(str(n) for n in data.not_yours)))
    if names:
        lines.append(texts.SENT_TO.format(names=", ".join(names)))
    if missing:
        lines.append(texts.NO_CONFIRMER.format(
            roles=" และ ".join(ROLE_NAMES_TH.get(r, r) for r in missing)))
    after = _next_kpi(ctx, data, lines)
    return Step([m.text("\n".join(lines),
                        [*after, *own_submission_actions(reports), *ctx.menu][:13])])


def own_submission_actions(reports: list[ProgressReport]) -> list[m.Action]:
    """ถอนรายงานทั้งชุด, and แก้ไขข้อ N for each open line, on the officer's own submission."""
    lead = reports[0]
    version = submission_version(reports)
    assert lead.submission_id is not None
    actions = [m.postback_action(texts.MULTI_WITHDRAW, encode(OwnSubmission(
        lead.submission_id, version, "withdraw")), texts.MULTI_WITHDRAW)]
    for report in reports:
        if report.is_open and report.kpi is not None:
            label = texts.MULTI_FIX_LINE.format(kpi=report.kpi.number)
            actions.append(m.postback_action(
                label, encode(OwnReport(report.id, report.version, "edit")), label))
    return actions


def on_own_submission(ctx: Context, tap: OwnSubmission) -> Answer:
    """ถอนรายงานทั้งชุด: every open line of the officer's own submission, at once, checked."""
    staff = _staff(ctx)
    reports = submission_reports(ctx.session, tap.id, lock=True)
    if not reports or reports[0].officer_id != staff.id:
        return refuse(ctx, tap)
    open_lines = [r for r in reports if r.is_open]
    if not open_lines or submission_version(reports) != tap.v:
        audit(ctx.session, "postback.stale", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"submission:{tap.id}",
              data=tap_data(tap))
        return [m.text(texts.REPORT_NOT_OPEN, ctx.menu)]
    for report in open_lines:
        withdraw(ctx.session, report, ctx.now, ctx.line_user.user_id)
    what = submission_title(open_lines)
    hold_for_staff(ctx.session, list(confirmers(ctx.session, staff, reports[0].round_id)),
                   [m.text(texts.TO_CONFIRMER_WITHDRAWN.format(name=staff.name_th, what=what))],
                   ctx.now)
    return [m.text(f"{texts.REPORT_WITHDRAWN}\n{what}", ctx.menu)]


def _next_kpi(ctx: Context, data: ReportDraft, lines: list[str]) -> list[m.Action]:
    """In the guided flow: "รายงานข้อ N ต่อ" for the first KPI still missing this round (no
    pending or confirmed report, as the reminders count it; its line added to the answer)."""
    if not data.guided:
        return []
    agreement = _agreement(ctx, data)
    if agreement is None:
        return []
    missing = missing_kpis(ctx.session, [_staff(ctx).id], [agreement.round_id]).get(
        _staff(ctx).id, [])
    if not missing:
        return []
    lines.append(texts.NEXT_KPI_HINT.format(numbers=", ".join(str(n) for n in missing)))
    label = texts.NEXT_KPI.format(kpi=missing[0])
    return [m.postback_action(label, encode(ReportKpi(missing[0])), label)]


FLOW = Flow(
    name="report",
    states=ReportState,
    steps={
        ReportState.CHOOSING_KPI: on_kpi,
        ReportState.ASKING_VALUE: on_value,
        ReportState.ASKING_STATUS: on_status,
        ReportState.ASKING_NOTE: on_note,
        ReportState.ASKING_COURSE: on_course,
        ReportState.ASKING_COURSE_DATE: on_course_date,
        ReportState.ASKING_SUMMARY: on_summary,
        ReportState.CONFIRMING: on_confirm,
        ReportState.CHOOSING_FIX: on_fix,
        ReportState.ABANDONING: on_abandon,
    },
    commands={"รายงานความก้าวหน้า": start_report, "รายงานผล": start_report,
              "รายงาน": start_report, "รายงานการอบรม": start_training_report},
    taps={OwnReport: on_own_report, ReportKpi: report_kpi, OwnSubmission: on_own_submission},
    data=ReportDraft,
    on_media=on_media,
    on_text=on_text,
    diagram=__doc__,
)
