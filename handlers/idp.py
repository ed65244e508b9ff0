"""Individual development plans in the chat (`แผนพัฒนา`), check-ins, and the development survey.

```mermaid
stateDiagram-v2
    [*] --> asking_topic: tap เพิ่มรายการ
    asking_topic --> asking_method: a competency (quick reply) or a typed skill (1-255 chars)
    asking_method --> asking_target: one of the methods of seeds 001/002
    asking_target --> [*]: a date today or later (item saved, audited)
    [*] --> asking_status: tap อัปเดต on an item (checked: the officer's own)
    asking_status --> asking_note: ยังไม่เริ่ม / กำลังดำเนินการ / เสร็จแล้ว
    asking_note --> [*]: a note, ไม่มี, or a training report as evidence (check-in saved)
    state "any state" as any
    any --> any: unknown input (asked again)
    any --> [*]: ยกเลิก / 30 minutes idle
```
The survey is one postback (`action=svy&fy=…&s=1..5`), from the menu or HR's push.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.cards import bubble, row
from handlers.context import Context, refuse
from handlers.conversation import Step
from models import ProgressReport, ReportKind, ReportStatus, Staff, audit
from models.appraisal import (
    CORE_COMPETENCIES,
    MANAGERIAL_COMPETENCIES,
    MANAGERIAL_POSTS,
)
from models.development import (
    IDP_METHODS,
    ITEM_STATUS_TH,
    Idp,
    IdpCheckin,
    IdpItem,
    ItemStatus,
    SurveyResponse,
)
from models.numbers import is_id
from models.rounds import round_dates, round_of
from thai import format_date, parse

FLOW = "idp"
MAX_TOPIC, MAX_NOTE = 255, 1000
EVIDENCE_CHOICES = 5
_EVIDENCE = re.compile(r"^อบรม\s*#(\d+)$")
STATUS_WORDS = {"ยังไม่เริ่ม": ItemStatus.PLANNED, "กำลังดำเนินการ": ItemStatus.IN_PROGRESS,
                "เสร็จแล้ว": ItemStatus.DONE}
SURVEY_QUESTION = ("แบบสำรวจความพึงพอใจต่อการพัฒนาบุคลากร ปีงบประมาณ {fy}\n"
                   "คุณพึงพอใจต่อการพัฒนาที่ได้รับในปีนี้เพียงใด\n"
                   "1 = น้อยที่สุด · 5 = มากที่สุด (ไม่ระบุตัวตนในรายงานสรุป)")


class IdpState(StrEnum):
    ASKING_TOPIC = "asking_topic"
    ASKING_METHOD = "asking_method"
    ASKING_TARGET = "asking_target"
    ASKING_STATUS = "asking_status"
    ASKING_NOTE = "asking_note"


def fiscal_year(today: date) -> int:
    return round_of(today)[0]


def idp_of(session: Session, officer_id: int, year: int) -> Idp | None:
    return session.scalars(select(Idp).where(Idp.officer_id == officer_id,
                                             Idp.fiscal_year == year)).first()


def training_reports(session: Session, officer_id: int, year: int) -> list[ProgressReport]:
    """The officer's finished-training reports in the fiscal year: evidence for the IDP."""
    starts, _ = round_dates(year, 1)
    _, ends = round_dates(year, 2)
    return list(session.scalars(select(ProgressReport).where(
        ProgressReport.officer_id == officer_id, ProgressReport.kind == ReportKind.DEVELOPMENT,
        ProgressReport.status.in_([ReportStatus.PENDING, ReportStatus.CONFIRMED]),
        ProgressReport.reported_on >= starts, ProgressReport.reported_on <= ends)
        .order_by(ProgressReport.reported_on.desc(), ProgressReport.id.desc())))


def show(ctx: Context) -> list[m.Message]:
    """`แผนพัฒนา`: this year's IDP, with add and check-in buttons."""
    staff = ctx.staff
    assert staff is not None
    year = fiscal_year(ctx.now.date())
    idp = idp_of(ctx.session, staff.id, year)
    items = idp.items if idp else []
    rows: list[dict[str, Any]] = []
    if idp is not None and idp.mandatory:
        rows.append(row("หมายเหตุ", "ต้องจัดทำ (ผลการประเมินต่ำกว่าเกณฑ์)", bold=True))
    for number, item in enumerate(items, start=1):
        method = IDP_METHODS[item.method][0] if item.method in IDP_METHODS else item.method
        rows.append({"type": "text", "text": f"{number}. {item.topic}", "weight": "bold",
                     "size": "sm", "wrap": True})
        rows.append(row("วิธีการ", method))
        rows.append(row("เป้าหมาย", format_date(item.target_date)))
        rows.append(row("สถานะ", ITEM_STATUS_TH.get(item.status, item.status)))
    trainings = training_reports(ctx.session, staff.id, year)
    rows.append(row("รายงานการอบรม", f"{len(trainings)} หลักสูตรในปีนี้ (ใช้เป็นหลักฐานได้)"))
    if not items:
        rows.insert(0, row("รายการ", "ยังไม่มี กด เพิ่มรายการ เพื่อเริ่ม"))
    add = m.postback_action("เพิ่มรายการ", "action=idp&do=add", "เพิ่มรายการแผนพัฒนา")
    updates = [m.postback_action(f"อัปเดตข้อ {n}", f"action=idp&do=checkin&item={item.id}",
                                 f"อัปเดตข้อ {n}")
               for n, item in enumerate(items, start=1)][:10]
    card = bubble("แผนพัฒนารายบุคคล (IDP)", f"ปีงบประมาณ {year} · {staff.name_th}", rows,
                  footer=[add])
    return [m.flex(f"แผนพัฒนารายบุคคล ปีงบประมาณ {year}", card,
                   [add, *updates, m.message_action("ช่วยเหลือ")])]


def on_tap(ctx: Context, params: dict[str, str]) -> list[m.Message] | Step:
    """`action=idp&do=add` / `action=idp&do=checkin&item=…` (checked: the officer's own item)."""
    staff = ctx.staff
    assert staff is not None
    if params.get("do") == "add":
        return _ask_topic(staff)
    if params.get("do") == "checkin":
        item = _own_item(ctx, params.get("item", ""))
        if item is None:
            return refuse(ctx, params)
        return _ask_status(item)
    return refuse(ctx, params)


def _topics(staff: Staff) -> list[tuple[str, str]]:
    return list(CORE_COMPETENCIES + (MANAGERIAL_COMPETENCIES if staff.position_type
                                     in MANAGERIAL_POSTS else ()))


def _ask_topic(staff: Staff, prefix: str = "") -> Step:
    actions = [m.message_action(m.shorten_label(name), name) for _code, name in _topics(staff)]
    actions = actions[:m.MAX_QUICK_REPLY_ITEMS - 1] + [m.message_action("ยกเลิก")]
    return Step([m.text(f"{prefix}ต้องการพัฒนาสมรรถนะหรือทักษะใด\nเลือก หรือพิมพ์ชื่อทักษะเอง "
                        "เช่น การวิเคราะห์ข้อมูลด้วย Excel", actions)], IdpState.ASKING_TOPIC, {})


def on_topic(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    topic = " ".join(typed.split())
    if not topic or len(topic) > MAX_TOPIC:
        assert ctx.staff is not None
        return _ask_topic(ctx.staff, f"กรุณาพิมพ์ 1–{MAX_TOPIC} ตัวอักษร\n")
    return _ask_method({"topic": topic})


def _ask_method(data: dict[str, Any], prefix: str = "") -> Step:
    actions = [m.message_action(short) for _name, short in IDP_METHODS.values()]
    return Step([m.text(f"{prefix}พัฒนาด้วยวิธีใด", actions + [m.message_action("ยกเลิก")])],
                IdpState.ASKING_METHOD, data)


def on_method(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    key = "".join(typed.split()).casefold()
    method = next((code for code, (name, short) in IDP_METHODS.items()
                   if key in ("".join(short.split()).casefold(), "".join(name.split()).casefold(),
                              code)), None)
    if method is None:
        return _ask_method(data, "กรุณาเลือกวิธีจากรายการ\n")
    return _ask_target({**data, "method": method}, ctx.now.date())


def _ask_target(data: dict[str, Any], today: date, prefix: str = "") -> Step:
    year = fiscal_year(today)
    _, year_end = round_dates(year, 2)
    return Step([m.text(f"{prefix}ตั้งเป้าหมายให้เสร็จภายในวันที่เท่าไร\nเช่น 31 มี.ค. {year}",
                        [m.message_action("สิ้นปีงบประมาณ", format_date(year_end)),
                         m.message_action("ยกเลิก")])],
                IdpState.ASKING_TARGET, data)


def on_target(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    staff = ctx.staff
    assert staff is not None
    today = ctx.now.date()
    day = parse(typed, today).date
    if day is None or day < today:
        problem = "ไม่เข้าใจวันที่นี้" if day is None else f"วันที่ {format_date(day)} ผ่านไปแล้ว"
        return _ask_target(data, today, f"{problem}\n")
    year = fiscal_year(today)
    idp = idp_of(ctx.session, staff.id, year)
    if idp is None:
        idp = Idp(officer_id=staff.id, fiscal_year=year)
        ctx.session.add(idp)
    item = IdpItem(topic=str(data["topic"]), method=str(data["method"]), target_date=day,
                   created_at=ctx.now, updated_at=ctx.now)
    idp.items.append(item)
    ctx.session.flush()
    audit(ctx.session, "idp.item_added", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"idp:{idp.id}", item=item.id,
          topic=item.topic, method=item.method, target=day.isoformat())
    return Step([m.text(f"เพิ่มรายการในแผนพัฒนาแล้ว ✅\n{item.topic}\n"
                        f"{IDP_METHODS[item.method][0]}\nเป้าหมาย {format_date(day)}"),
                 *show(ctx)])


def _ask_status(item: IdpItem, prefix: str = "") -> Step:
    return Step([m.text(f"{prefix}{item.topic}\nสถานะตอนนี้",
                        [m.message_action(w) for w in STATUS_WORDS] + [m.message_action("ยกเลิก")])],
                IdpState.ASKING_STATUS, {"item_id": item.id})


def on_status(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    item = _own_item(ctx, str(data.get("item_id")))
    if item is None:
        return Step(refuse(ctx, data))
    status = STATUS_WORDS.get("".join(typed.split()))
    if status is None:
        return _ask_status(item, "กรุณาเลือกสถานะจากรายการ\n")
    return _ask_note(ctx, item, {**data, "status": status})


def _ask_note(ctx: Context, item: IdpItem, data: dict[str, Any], prefix: str = "") -> Step:
    assert ctx.staff is not None
    reports = training_reports(ctx.session, ctx.staff.id, item.idp.fiscal_year)[:EVIDENCE_CHOICES]
    actions = [m.message_action("ไม่มี")] + [
        m.message_action(m.shorten_label(f"หลักฐาน: {r.title}"), f"อบรม #{r.id}") for r in reports]
    hint = "\nหรือเลือกรายงานการอบรมเป็นหลักฐาน" if reports else ""
    return Step([m.text(f"{prefix}มีบันทึกเพิ่มเติมไหม (สิ่งที่ทำไป ผลที่ได้){hint}",
                        actions + [m.message_action("ยกเลิก")])], IdpState.ASKING_NOTE, data)


def on_note(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    staff = ctx.staff
    item = _own_item(ctx, str(data.get("item_id")), lock=True)
    if staff is None or item is None:
        return Step(refuse(ctx, data))
    note = " ".join(typed.split())
    report_id = None
    evidence = _EVIDENCE.match(note)
    if evidence is not None:
        allowed = {r.id for r in training_reports(ctx.session, staff.id, item.idp.fiscal_year)}
        if int(evidence.group(1)) not in allowed:
            return _ask_note(ctx, item, data, "รายงานการอบรมนี้ใช้เป็นหลักฐานไม่ได้\n")
        report_id, note = int(evidence.group(1)), ""
    elif note == "ไม่มี":
        note = ""
    elif len(note) > MAX_NOTE:
        return _ask_note(ctx, item, data, f"บันทึกยาวเกิน {MAX_NOTE} ตัวอักษร\n")
    status = str(data["status"])
    before = item.status
    item.status, item.updated_at = status, ctx.now
    item.checkins.append(IdpCheckin(status=status, note=note, report_id=report_id, at=ctx.now))
    ctx.session.flush()
    audit(ctx.session, "idp.checkin", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"idp_item:{item.id}",
          before=before, status=status, note=note, report=report_id)
    evidence_line = ""
    if report_id is not None:
        report = ctx.session.get(ProgressReport, report_id)
        evidence_line = f"\nหลักฐาน: รายงานการอบรม {report.title if report else ''}"
    return Step([m.text(f"บันทึกความคืบหน้าแล้ว ✅\n{item.topic}\n"
                        f"สถานะ: {ITEM_STATUS_TH[ItemStatus(status)]}{evidence_line}")])


STEPS: dict[str, Callable[[Context, str, dict[str, Any]], Step]] = {
    IdpState.ASKING_TOPIC: on_topic,
    IdpState.ASKING_METHOD: on_method,
    IdpState.ASKING_TARGET: on_target,
    IdpState.ASKING_STATUS: on_status,
    IdpState.ASKING_NOTE: on_note,
}


# --- the survey ----------------------------------------------------------------------------------

def survey_message(year: int) -> m.Message:
    actions = [m.postback_action(str(n), f"action=svy&fy={year}&s={n}", f"ความพึงพอใจ {n}")
               for n in range(1, 6)]
    return m.text(SURVEY_QUESTION.format(fy=year), actions)


def ask_survey(ctx: Context) -> list[m.Message]:
    return [survey_message(fiscal_year(ctx.now.date()))]


def on_survey(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    """`action=svy&fy=…&s=…`: this fiscal year only, a score 1–5; answering again replaces it."""
    staff = ctx.staff
    assert staff is not None
    year = fiscal_year(ctx.now.date())
    score = params.get("s", "")
    if params.get("fy") != str(year) or score not in {"1", "2", "3", "4", "5"}:
        return refuse(ctx, params)
    existing = ctx.session.scalars(select(SurveyResponse).where(
        SurveyResponse.staff_id == staff.id, SurveyResponse.fiscal_year == year)).first()
    if existing is None:
        ctx.session.add(SurveyResponse(staff_id=staff.id, agency_id=staff.agency_id,
                                       fiscal_year=year, score=int(score), at=ctx.now))
    else:
        existing.score, existing.at = int(score), ctx.now
    audit(ctx.session, "survey.answered", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"survey:{year}")
    return [m.text("ขอบคุณสำหรับคำตอบ 🙏\nคำตอบนี้ใช้ในรายงานสรุปแบบไม่ระบุตัวตน", ctx.menu)]


def _own_item(ctx: Context, raw: str, *, lock: bool = False) -> IdpItem | None:
    if ctx.staff is None or not is_id(raw):
        return None
    item = ctx.session.get(IdpItem, int(raw), with_for_update=lock or None)
    if item is None or item.idp.officer_id != ctx.staff.id:
        return None
    return item

