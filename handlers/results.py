"""Closing a round: every officer's result, the evaluator's approval, the officer's answer.

`close_round` (from `flask round close`, or the HR console) places each KPI's latest confirmed
result on its five levels, adds the competency assessment, mixes the two by the agency's weights
and bands the overall score (models/appraisal.py has the arithmetic). Approved results are
frozen: closing again recomputes only the rest. A result under 60 opens a low-performer case
(handlers/lowperf.py). In the chat the evaluator approves (`ผลการประเมิน`), the officer is told
(with the scores if the agency allows it) and answers รับทราบ or ไม่เห็นด้วย with a comment:

```mermaid
stateDiagram-v2
    [*] --> computed: round close (competencies assessed)
    [*] --> incomplete: round close (no competency assessment yet)
    incomplete --> computed: round close again, after the assessment
    computed --> computed: round close again (recomputed)
    computed --> approved: the evaluator taps อนุมัติผล (checked: supervises the officer)
    approved --> acknowledged: the officer taps รับทราบ
    approved --> awaiting_comment: the officer taps ไม่เห็นด้วย
    awaiting_comment --> disagreed: a comment (1-500 characters) / ยกเลิก leaves it approved
```
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.cards import bubble, row
from handlers.confirming import push_to_staff
from handlers.context import Context
from handlers.conversation import Step
from models import (
    Agency,
    Kpi,
    KpiAgreement,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Role,
    RoleAssignment,
    Round,
    Staff,
    audit,
)
from models.appraisal import (
    FROZEN,
    PERCENT_UNITS,
    Appraisal,
    AppraisalStatus,
    CompetencyScore,
    achievement_score,
    band_for,
    competencies_for,
    competency_score,
    kpi_level,
    overall_score,
    shown,
)
from models.numbers import is_id
from models.org import carer_ids

FLOW = "appraisal"
MAX_COMMENT = 500
STATUS_TH = {
    AppraisalStatus.INCOMPLETE: "ยังไม่ได้ประเมินสมรรถนะ",
    AppraisalStatus.COMPUTED: "รอผู้ประเมินอนุมัติ",
    AppraisalStatus.APPROVED: "อนุมัติแล้ว รอผู้รับการประเมินรับทราบ",
    AppraisalStatus.ACKNOWLEDGED: "รับทราบแล้ว",
    AppraisalStatus.DISAGREED: "ไม่เห็นด้วย (มีความเห็น)",
}


class AppraisalState(StrEnum):
    AWAITING_COMMENT = "awaiting_comment"


# --- computing ---------------------------------------------------------------------------------

def kpi_result(kpi: Kpi, report: ProgressReport | None) -> Decimal | None:
    """The number a KPI's levels are compared with: the percentage for a ร้อยละ KPI (else the
    value), the value for a counted KPI (else None)."""
    if report is None:
        return None
    return result_of(kpi.unit, report.percent, report.value)


def result_of(unit: str, percent: Decimal | None, value: Decimal | None) -> Decimal | None:
    if unit in PERCENT_UNITS:
        return percent if percent is not None else value
    return value


@dataclass
class CloseSummary:
    round_id: int
    computed: int = 0
    incomplete: list[str] = field(default_factory=list)  # staff codes without competencies
    frozen: int = 0  # approved earlier: left as they were
    low_performers: list[str] = field(default_factory=list)  # staff codes, new cases
    cases_opened: int = 0


def close_round(session: Session, round_: Round, now: datetime, today: date,
                actor_staff_id: int | None = None) -> CloseSummary:
    """Compute (or recompute) every officer's result of the round; open low-performer cases.

    A handful of queries whatever the number of officers; never commits.
    """
    from handlers.lowperf import open_case

    agency = session.get(Agency, round_.agency_id)
    assert agency is not None
    overall_score(Decimal(0), Decimal(0), agency.achievement_weight,
                  agency.competency_weight)  # refuses weights that do not sum to 100, up front
    summary = CloseSummary(round_id=round_.id)
    agreements = session.execute(
        select(KpiAgreement, Staff).join(Staff, Staff.id == KpiAgreement.officer_id)
        .where(KpiAgreement.round_id == round_.id, Staff.active.is_(True))
        .order_by(Staff.staff_code)).all()
    # Plain rows, not ORM objects: a 20,000-officer round has 100,000 KPIs and results.
    kpis_by_agreement: dict[int, list[Any]] = {}
    for kpi in session.execute(
            select(Kpi.id, Kpi.agreement_id, Kpi.number, Kpi.unit, Kpi.weight, Kpi.level1,
                   Kpi.level2, Kpi.level3, Kpi.level4, Kpi.level5)
            .join(KpiAgreement).where(KpiAgreement.round_id == round_.id)
            .order_by(Kpi.agreement_id, Kpi.number)):
        kpis_by_agreement.setdefault(kpi.agreement_id, []).append(kpi)
    confirmed: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    for kpi_id, percent, value in session.execute(
            select(ProgressReport.kpi_id, ProgressReport.percent, ProgressReport.value).where(
                ProgressReport.round_id == round_.id, ProgressReport.kind == ReportKind.KPI,
                ProgressReport.status == ReportStatus.CONFIRMED, ProgressReport.kpi_id.is_not(None))
            .order_by(ProgressReport.reported_on, ProgressReport.id)):
        confirmed[kpi_id] = (percent, value)  # the latest wins
    scores: dict[int, dict[str, int]] = {}
    for officer_id, competency, score in session.execute(
            select(CompetencyScore.officer_id, CompetencyScore.competency, CompetencyScore.score)
            .where(CompetencyScore.round_id == round_.id)):
        scores.setdefault(officer_id, {})[competency] = score
    existing = {a.officer_id: a for a in session.scalars(
        select(Appraisal).where(Appraisal.round_id == round_.id))}

    for agreement, officer in agreements:
        appraisal = existing.get(officer.id)
        if appraisal is not None and appraisal.status in FROZEN:
            summary.frozen += 1
            continue
        levels: list[dict[str, Any]] = []
        for kpi in kpis_by_agreement.get(agreement.id, []):
            percent, value = confirmed.get(kpi.id, (None, None))
            result = result_of(kpi.unit, percent, value)
            thresholds = (kpi.level1, kpi.level2, kpi.level3, kpi.level4, kpi.level5)
            levels.append({"number": kpi.number, "weight": str(kpi.weight),
                           "result": None if result is None else str(result),
                           "level": kpi_level(thresholds, result)})
        achievement = achievement_score((Decimal(x["weight"]), x["level"]) for x in levels)
        required = [code for code, _name in competencies_for(officer)]
        given = scores.get(officer.id, {})
        competency = (competency_score(given[c] for c in required)
                      if all(c in given for c in required) else None)
        overall = (overall_score(achievement, competency, agency.achievement_weight,
                                 agency.competency_weight) if competency is not None else None)
        if appraisal is None:
            appraisal = Appraisal(officer_id=officer.id, round_id=round_.id)
            session.add(appraisal)
        appraisal.achievement, appraisal.competency, appraisal.overall = achievement, competency, overall
        appraisal.band = band_for(overall) if overall is not None else None
        appraisal.achievement_weight = agency.achievement_weight
        appraisal.competency_weight = agency.competency_weight
        appraisal.kpi_levels = levels
        appraisal.computed_at = now
        appraisal.status = (AppraisalStatus.COMPUTED if overall is not None
                            else AppraisalStatus.INCOMPLETE)
        appraisal.officer = officer
        if overall is None:
            summary.incomplete.append(officer.staff_code)
        else:
            summary.computed += 1
    session.flush()
    for appraisal in session.scalars(select(Appraisal).where(
            Appraisal.round_id == round_.id, Appraisal.status == AppraisalStatus.COMPUTED)):
        if appraisal.is_low and open_case(session, appraisal, round_, now, today) is not None:
            summary.low_performers.append(appraisal.officer.staff_code)
            summary.cases_opened += 1
    round_.closed_at = now
    audit(session, "round.closed", actor_staff_id=actor_staff_id, subject=f"round:{round_.id}",
          computed=summary.computed, incomplete=summary.incomplete, frozen=summary.frozen,
          low_performers=summary.low_performers)
    return summary


def results(session: Session, round_: Round) -> list[dict[str, Any]]:
    """Per officer: staff_code, achievement, competency, overall, band (Thai), status."""
    rows = session.execute(select(Appraisal, Staff.staff_code, Staff.name_th)
                           .join(Staff, Staff.id == Appraisal.officer_id)
                           .where(Appraisal.round_id == round_.id)
                           .order_by(Staff.staff_code)).all()
    return [{"staff_code": code, "name_th": name, "achievement": a.achievement,
             "competency": a.competency, "overall": a.overall, "band": a.band,
             "status": a.status} for a, code, name in rows]


# --- cards -------------------------------------------------------------------------------------

def result_rows(appraisal: Appraisal) -> list[dict[str, Any]]:
    rows = [row("ผลสัมฤทธิ์ของงาน", f"{shown(appraisal.achievement)} คะแนน "
                                   f"(สัดส่วน {appraisal.achievement_weight}%)"),
            row("สมรรถนะ", f"{shown(appraisal.competency)} คะแนน "
                          f"(สัดส่วน {appraisal.competency_weight}%)"),
            row("คะแนนรวม", shown(appraisal.overall), bold=True),
            row("ระดับผลการประเมิน", appraisal.band or "-", bold=True)]
    for item in appraisal.kpi_levels:
        rows.append(row(f"ตัวชี้วัดที่ {item['number']}",
                        f"ระดับ {item['level']} (น้ำหนัก {shown(Decimal(item['weight']))})"))
    return rows


def _round_title(session: Session, round_id: int) -> str:
    round_ = session.get(Round, round_id)
    return round_.title_th if round_ else ""


def officer_card(session: Session, appraisal: Appraisal, agency: Agency) -> m.Message:
    """What the officer gets once the result is approved: scores if the agency allows it."""
    base = f"action=apr&id={appraisal.id}"
    actions = [m.postback_action("รับทราบ", f"{base}&do=ack", "รับทราบผลการประเมิน"),
               m.postback_action("ไม่เห็นด้วย", f"{base}&do=disagree", "ไม่เห็นด้วย")]
    title = f"ผลการประเมิน {_round_title(session, appraisal.round_id)}"
    if agency.officers_see_scores:
        rows = result_rows(appraisal)
    else:
        rows = [row("สถานะ", "ผู้ประเมินอนุมัติผลแล้ว"),
                row("คะแนน", "หน่วยงานไม่แสดงคะแนนทางแชต สอบถามได้ที่ผู้ประเมินหรือ HR")]
    card = bubble(title, appraisal.officer.name_th, rows, footer=actions)
    return m.flex(f"{title}: ผู้ประเมินอนุมัติแล้ว กรุณากดรับทราบ", card, actions)


def evaluator_bubble(session: Session, appraisal: Appraisal) -> dict[str, Any]:
    rows = result_rows(appraisal)
    rows.append(row("สถานะ", STATUS_TH.get(appraisal.status, appraisal.status)))
    if appraisal.officer_comment:
        rows.append(row("ความเห็นผู้รับการประเมิน", m.shorten(appraisal.officer_comment, 600)))
    footer = ([m.postback_action("อนุมัติผล", f"action=apr&id={appraisal.id}&do=ok", "อนุมัติผล")]
              if appraisal.status == AppraisalStatus.COMPUTED else None)
    return bubble(f"ผลการประเมิน {_round_title(session, appraisal.round_id)}",
                  appraisal.officer.name_th, rows, footer=footer)


# --- chat ---------------------------------------------------------------------------------------

def my_results(ctx: Context) -> list[m.Message]:
    """`ผลการประเมิน`: results waiting for this evaluator, then the person's own results."""
    staff = ctx.staff
    assert staff is not None
    out: list[m.Message] = []
    # Supervised: the officer's own supervisor_id, or a supervisor assignment (as carer_ids).
    assigned = exists().where(
        RoleAssignment.staff_id == staff.id, RoleAssignment.role == Role.SUPERVISOR,
        RoleAssignment.officer_id == Appraisal.officer_id,
        or_(RoleAssignment.round_id.is_(None), RoleAssignment.round_id == Appraisal.round_id))
    supervised = ctx.session.scalars(
        select(Appraisal).join(Staff, Staff.id == Appraisal.officer_id)
        .where(Appraisal.status.in_([AppraisalStatus.COMPUTED, AppraisalStatus.DISAGREED]),
               Appraisal.officer_id != staff.id,
               or_(Staff.supervisor_id == staff.id, assigned))
        .order_by(Appraisal.status, Staff.name_th).limit(10)).all()
    if supervised:
        waiting = sum(1 for a in supervised if a.status == AppraisalStatus.COMPUTED)
        out.append(m.flex(f"ผลการประเมินของผู้ใต้บังคับบัญชา รออนุมัติ {waiting} คน",
                          m.carousel([evaluator_bubble(ctx.session, a) for a in supervised])))
    own = ctx.session.scalars(select(Appraisal).where(
        Appraisal.officer_id == staff.id, Appraisal.status.in_(FROZEN))
        .order_by(Appraisal.id.desc())).first()
    if own is not None:
        agency = ctx.session.get(Agency, staff.agency_id)
        assert agency is not None
        card = officer_card(ctx.session, own, agency)
        if own.status != AppraisalStatus.APPROVED:  # answered already: no buttons
            card = m.flex(card["altText"], {**card["contents"], "footer": {
                "type": "box", "layout": "vertical", "contents": [
                    {"type": "text", "text": STATUS_TH[AppraisalStatus(own.status)],
                     "size": "sm", "wrap": True}]}})
        out.append(card)
    if not out:
        return [m.text("ยังไม่มีผลการประเมินที่อนุมัติแล้ว และไม่มีผลที่รอคุณอนุมัติ", ctx.menu)]
    if "quickReply" not in out[-1]:
        out[-1] = {**out[-1], "quickReply": m.quick_reply(ctx.menu)}
    return out


def on_tap(ctx: Context, params: dict[str, str]) -> list[m.Message] | Step:
    """`action=apr&id=…&do=ok|ack|disagree`, checked against the database."""
    staff = ctx.staff
    assert staff is not None
    raw = params.get("id", "")
    appraisal = (ctx.session.get(Appraisal, int(raw), with_for_update=True)
                 if is_id(raw) else None)
    do = params.get("do")
    if appraisal is None or do not in ("ok", "ack", "disagree"):
        return _refuse(ctx, params)
    if do == "ok":
        if staff.id not in carer_ids(ctx.session, appraisal.officer_id, Role.SUPERVISOR,
                                     appraisal.round_id) or staff.id == appraisal.officer_id:
            return _refuse(ctx, params)
        if appraisal.status != AppraisalStatus.COMPUTED:
            return [m.text("ผลนี้อนุมัติไปแล้ว หรือยังคำนวณไม่ครบ (ยังไม่ได้ประเมินสมรรถนะ)",
                           ctx.menu)]
        appraisal.status = AppraisalStatus.APPROVED
        appraisal.approved_by_id, appraisal.approved_at = staff.id, ctx.now
        audit(ctx.session, "appraisal.approved", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"appraisal:{appraisal.id}",
              overall=str(appraisal.overall), band=appraisal.band)
        agency = ctx.session.get(Agency, appraisal.officer.agency_id)
        assert agency is not None
        push_to_staff(ctx.session, [appraisal.officer_id],
                      [officer_card(ctx.session, appraisal, agency)])
        return [m.text(f"อนุมัติผลการประเมินของ {appraisal.officer.name_th} แล้ว ✅\n"
                       f"แจ้งผู้รับการประเมินแล้ว", ctx.menu)]
    if appraisal.officer_id != staff.id:
        return _refuse(ctx, params)
    if appraisal.status != AppraisalStatus.APPROVED:
        return [m.text("คุณตอบรับผลการประเมินนี้ไปแล้ว", ctx.menu)]
    if do == "ack":
        appraisal.status, appraisal.responded_at = AppraisalStatus.ACKNOWLEDGED, ctx.now
        audit(ctx.session, "appraisal.acknowledged", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"appraisal:{appraisal.id}")
        return [m.text("รับทราบผลการประเมินแล้ว ✅ ขอบคุณ", ctx.menu)]
    return Step([m.text("กรุณาพิมพ์ความเห็นที่ไม่เห็นด้วยกับผลการประเมิน\n"
                        f"(ไม่เกิน {MAX_COMMENT} ตัวอักษร) ความเห็นจะส่งถึงผู้ประเมิน",
                        [m.message_action("ยกเลิก")])],
                AppraisalState.AWAITING_COMMENT, {"appraisal_id": appraisal.id})


def on_comment(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    comment = " ".join(typed.split())
    if not comment or len(comment) > MAX_COMMENT:
        return Step([m.text(f"กรุณาพิมพ์ความเห็นสั้น ๆ (1–{MAX_COMMENT} ตัวอักษร)",
                            [m.message_action("ยกเลิก")])],
                    AppraisalState.AWAITING_COMMENT, dict(data))
    staff = ctx.staff
    appraisal = ctx.session.get(Appraisal, int(data.get("appraisal_id", 0)), with_for_update=True)
    if (staff is None or appraisal is None or appraisal.officer_id != staff.id
            or appraisal.status != AppraisalStatus.APPROVED):
        return Step(_refuse(ctx, {"id": str(data.get("appraisal_id"))}))
    appraisal.status, appraisal.responded_at = AppraisalStatus.DISAGREED, ctx.now
    appraisal.officer_comment = comment
    audit(ctx.session, "appraisal.disagreed", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"appraisal:{appraisal.id}",
          comment=comment)
    if appraisal.approved_by_id is not None:
        push_to_staff(ctx.session, [appraisal.approved_by_id], [m.text(
            f"{appraisal.officer.name_th} ไม่เห็นด้วยกับผลการประเมิน\nความเห็น: {comment}")])
    return Step([m.text("บันทึกความเห็นแล้ว และแจ้งผู้ประเมินแล้ว")])


STEPS: dict[str, Callable[[Context, str, dict[str, Any]], Step]] = {
    AppraisalState.AWAITING_COMMENT: on_comment,
}


def _refuse(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    from handlers import texts

    audit(ctx.session, "postback.refused", actor_staff_id=ctx.line_user.staff_id,
          actor_line_user_id=ctx.line_user.user_id, data=str(params)[:300])
    return [m.text(texts.STALE_BUTTON, ctx.menu)]


