"""Competency assessment in the chat, by the officer's mentor or evaluator (seed 001).

One question per competency (five core, plus six managerial for อำนวยการ/บริหาร posts), quick
replies 1–5; a comment may follow the score in the same message (`4 ทำงานเป็นทีมดีมาก`). A
summary is shown before anything is saved; saving checks the assessor's role again.

```mermaid
stateDiagram-v2
    [*] --> scoring: tap an officer under ประเมินสมรรถนะ (checked: mentor or supervisor)
    scoring --> scoring: 1-5 (+ comment), next competency / anything else (asked again)
    scoring --> confirming: the last competency scored
    confirming --> [*]: ยืนยัน (checked again, saved, audited)
    confirming --> scoring: เริ่มใหม่
    state "any state" as any
    any --> [*]: ยกเลิก / 30 minutes idle
```
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers import texts
from handlers.appraisals import warn_if_projected_low
from handlers.context import Answer, Context, Step, cancel_action, refuse
from handlers.flow import Flow, dump
from handlers.postbacks import AssessmentPage, AssessOfficer, encode
from models import Role, Round, Staff
from models.appraisal import (
    FROZEN,
    Appraisal,
    CompetencyScore,
    competencies_for,
    competency_score,
    shown,
)
from models.org import carer_ids, officers_in_care
from models.results import assess_competencies
from thai import normalize

MAX_COMMENT = 500
SCALE = "1 = ต่ำกว่าที่คาดหวังมาก · 3 = ตามที่คาดหวัง · 5 = สูงกว่าที่คาดหวังมาก"
ASSESSOR_ROLES = (Role.MENTOR, Role.SUPERVISOR)
_SCORE = re.compile(r"^\s*(?:คะแนน\s*)?([1-5])(?:\s+(.+))?\s*$", re.S)


class CompetencyState(StrEnum):
    SCORING = "scoring"
    CONFIRMING = "confirming"


@dataclass
class Assessment:
    """The assessment being given: per competency code, [score, comment]; `i` is the question."""

    officer_id: int = 0
    round_id: int = 0
    scores: dict[str, list[Any]] = field(default_factory=dict)
    i: int = 0


def assessment_round(session: Session, agency_id: int, today: date) -> Round | None:
    """The round being assessed: the earliest that has started and is not closed yet, else the
    latest that has started (an assessment may come after closing; close again to count it)."""
    started = select(Round).where(Round.agency_id == agency_id, Round.starts_on <= today)
    open_ = session.scalars(started.where(Round.closed_at.is_(None))
                           .order_by(Round.starts_on)).first()
    return open_ or session.scalars(started.order_by(Round.starts_on.desc())).first()


def may_assess(session: Session, assessor_id: int, officer_id: int, round_id: int) -> bool:
    if assessor_id == officer_id:
        return False
    return any(assessor_id in carer_ids(session, officer_id, role, round_id)
               for role in ASSESSOR_ROLES)


PAGE = m.MAX_QUICK_REPLY_ITEMS - 2  # people per page, beside ถัดไป and ยกเลิก


def start(ctx: Context, page: int = 0) -> list[m.Message]:
    """`ประเมินสมรรถนะ`: the people this mentor/evaluator assesses, as quick replies, those
    not assessed yet first, a page at a time (ถัดไป shows the next page)."""
    staff = ctx.staff
    assert staff is not None
    round_ = assessment_round(ctx.session, staff.agency_id, ctx.now.date())
    if round_ is None:
        return [m.text("ยังไม่มีรอบการประเมินที่เปิดให้ประเมินสมรรถนะ", ctx.menu)]
    people: dict[int, Staff] = {}
    for role, officer in officers_in_care(ctx.session, staff.id, round_.id):
        if role in ASSESSOR_ROLES:
            people.setdefault(officer.id, officer)
    if not people:
        return [m.text("ยังไม่มีผู้ที่คุณต้องประเมินสมรรถนะ", ctx.menu)]
    done = set(ctx.session.scalars(select(CompetencyScore.officer_id).where(
        CompetencyScore.round_id == round_.id, CompetencyScore.officer_id.in_(people))))
    ordered = sorted(people.values(), key=lambda p: (p.id in done, p.name_th))
    pages = (len(ordered) + PAGE - 1) // PAGE
    page = min(max(page, 0), pages - 1)
    shown_people = ordered[page * PAGE:(page + 1) * PAGE]
    actions = [m.postback_action(m.shorten_label(("✓ " if p.id in done else "")
                                                 + texts.address(p.name_th)),
                                 encode(AssessOfficer(p.id, round_.id)),
                                 f"ประเมินสมรรถนะ {p.name_th}") for p in shown_people]
    if pages > 1:
        actions.append(m.postback_action("ถัดไป", encode(AssessmentPage((page + 1) % pages)),
                                         "ดูรายชื่อถัดไป"))
    lines = "\n".join(f"• {p.name_th}{' (ประเมินแล้ว)' if p.id in done else ''}"
                      for p in shown_people)
    paging = f" (หน้า {page + 1}/{pages} ทั้งหมด {len(ordered)} คน)" if pages > 1 else ""
    return [m.text(f"ประเมินสมรรถนะ {round_.title_th}\nเลือกผู้รับการประเมิน{paging}\n{lines}",
                   actions + [cancel_action()])]


def list_page(ctx: Context, tap: AssessmentPage) -> list[m.Message]:
    """ถัดไป: another page of the list (only the tapper's own people)."""
    return start(ctx, tap.page if tap.page < 10_000 else 0)


def on_tap(ctx: Context, tap: AssessOfficer) -> Answer:
    """A person chosen from the list: checked against the database."""
    staff = ctx.staff
    assert staff is not None
    officer = ctx.session.get(Staff, tap.o)
    round_ = ctx.session.get(Round, tap.r)
    if (officer is None or round_ is None or round_.agency_id != staff.agency_id
            or not may_assess(ctx.session, staff.id, officer.id, round_.id)):
        return refuse(ctx, tap)
    refused = _not_open(ctx, officer.id, round_)
    if refused is not None:
        return refused
    return _ask(officer, 0, Assessment(officer.id, round_.id))


def _ask(officer: Staff, index: int, data: Assessment, prefix: str = "") -> Step[Assessment]:
    items = competencies_for(officer)
    code, name = items[index]
    actions = [m.message_action(str(n)) for n in range(1, 6)] + [cancel_action()]
    body = (f"{prefix}{officer.name_th}\nสมรรถนะที่ {index + 1}/{len(items)}: {name}\n{SCALE}\n"
            "เลือกคะแนน 1–5 (พิมพ์ความเห็นต่อท้ายได้ เช่น 4 ทำงานร่วมกับผู้อื่นได้ดี)")
    return Step([m.text(body, actions)], CompetencyState.SCORING, replace(data, i=index))


def on_score(ctx: Context, typed: str, data: Assessment) -> Step[Assessment]:
    officer = ctx.session.get(Staff, data.officer_id)
    if officer is None:
        return Step(refuse(ctx, dump(data)))
    index = data.i
    items = competencies_for(officer)
    match = _SCORE.match(normalize(typed))
    if match is None:
        return _ask(officer, index, data, "กรุณาเลือกคะแนน 1–5\n")
    comment = " ".join((match.group(2) or "").split())
    if len(comment) > MAX_COMMENT:
        return _ask(officer, index, data, f"ความเห็นยาวเกิน {MAX_COMMENT} ตัวอักษร\n")
    scores = dict(data.scores)
    scores[items[index][0]] = [int(match.group(1)), comment]
    data = replace(data, scores=scores)
    if index + 1 < len(items):
        return _ask(officer, index + 1, data)
    lines = "\n".join(f"• {name}: {scores[code][0]}" + (f" ({scores[code][1]})" if scores[code][1]
                                                       else "")
                      for code, name in items)
    total = competency_score(scores[code][0] for code, _ in items)
    body = m.shorten(f"สรุปการประเมินสมรรถนะ\n{officer.name_th}\n{lines}\n"
                     f"คะแนนสมรรถนะ {shown(total)} จาก 100\nกด ยืนยัน เพื่อบันทึก")
    return Step([m.text(body, [m.message_action("ยืนยัน"), m.message_action("เริ่มใหม่"),
                               cancel_action()])],
                CompetencyState.CONFIRMING, data)


def on_confirm(ctx: Context, typed: str, data: Assessment) -> Step[Assessment]:
    staff = ctx.staff
    officer = ctx.session.get(Staff, data.officer_id)
    round_ = ctx.session.get(Round, data.round_id)
    if staff is None or officer is None or round_ is None:
        return Step(refuse(ctx, dump(data)))
    answer = "".join(typed.split())
    if answer == "เริ่มใหม่":
        return _ask(officer, 0, replace(data, scores={}))
    if answer not in ("ยืนยัน", "ใช่", "ตกลง", "โอเค"):
        return Step([m.text("กรุณาตอบ ยืนยัน เริ่มใหม่ หรือ ยกเลิก",
                            [m.message_action("ยืนยัน"), m.message_action("เริ่มใหม่"),
                             cancel_action()])], CompetencyState.CONFIRMING, data)
    if not may_assess(ctx.session, staff.id, officer.id, round_.id):
        return Step(refuse(ctx, dump(data)))
    refused = _not_open(ctx, officer.id, round_)
    if refused is not None:
        return Step(refused)
    assess_competencies(ctx.session, officer, round_, staff.id,
                        {code: (int(score), comment) for code, (score, comment)
                         in data.scores.items()}, ctx.now, ctx.line_user.user_id)
    ctx.session.flush()
    warn_if_projected_low(ctx.session, officer, round_.id)
    return Step([m.text(f"บันทึกการประเมินสมรรถนะของ {officer.name_th} แล้ว ✅")])




def _not_open(ctx: Context, officer_id: int, round_: Round) -> list[m.Message] | None:
    frozen = ctx.session.scalar(select(Appraisal.id).where(
        Appraisal.officer_id == officer_id, Appraisal.round_id == round_.id,
        Appraisal.status.in_(FROZEN)))
    if frozen is not None:
        return [m.text("ผลการประเมินรอบนี้อนุมัติแล้ว แก้ไขการประเมินสมรรถนะไม่ได้", ctx.menu)]
    return None



FLOW = Flow(
    name="competency",
    states=CompetencyState,
    steps={CompetencyState.SCORING: on_score, CompetencyState.CONFIRMING: on_confirm},
    data=Assessment,
    commands={"ประเมินสมรรถนะ": start},
    taps={AssessOfficer: on_tap, AssessmentPage: list_page},
    diagram=__doc__,
)
