"""A forecast while there is still time: the projection, what-if answers, the one warning."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.postbacks import ReportDecision, encode
from models import OutboxMessage, ProgressReport, ReportKind, ReportStatus, Role, RoleAssignment
from models.appraisal import CompetencyScore, competencies_for
from models.progress import submit
from tests.builders import make_agreement, make_officer
from tests.chat import NOW, Chat, said


def office(session: Session, percents: list[int | None],
           competencies: int | None = 3) -> dict[str, Any]:
    """An officer (supervised, mentored) with confirmed results on the KPIs given a percentage."""
    officer, user = make_officer(session, name="นายสมชาย ตั้งใจ")
    supervisor, supervisor_user = make_officer(session, name="นายวิชัย ศรีสุข", unit=officer.unit)
    mentor, mentor_user = make_officer(session, name="นางมาลี รักงาน", unit=officer.unit)
    officer.supervisor_id = supervisor.id
    session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
    agreement = make_agreement(session, officer)  # ร้อยละ, levels 60/70/80/90/100, 30/20/20/15/15
    for kpi, percent in zip(agreement.kpis, percents, strict=True):
        if percent is not None:
            session.add(ProgressReport(officer_id=officer.id, round_id=agreement.round_id,
                                       kind=ReportKind.KPI, kpi_id=kpi.id, percent=percent,
                                       status=ReportStatus.CONFIRMED, reported_on=NOW.date()))
    if competencies is not None:
        for code, _name in competencies_for(officer):
            session.add(CompetencyScore(officer_id=officer.id, round_id=agreement.round_id,
                                        competency=code, score=competencies,
                                        assessor_id=mentor.id))
    session.flush()
    return {"officer": officer, "user": user, "supervisor_user": supervisor_user,
            "mentor": mentor, "mentor_user": mentor_user, "agreement": agreement}


def test_the_officer_and_the_supervisor_see_the_projection(session: Session, chat: Chat) -> None:
    # KPIs 1-4 confirmed at levels 5, 4, 3, 3 (weights 30, 20, 20, 15); KPI 5 not yet
    o = office(session, [100, 90, 80, 80, None], competencies=4)
    own = said(chat.say(o["user"], "ผลการประเมิน"))
    # achievement projected on the 85 known weight: (30+16+12+9)/85 = 78.82…; competency 80
    # overall = 78.8235… × 0.7 + 80 × 0.3 = 79.17 (ดี)
    assert "คะแนนรวมคาดการณ์ 79.17 (ดี)" in own and "ยังไม่มีผลที่รับรอง: ตัวชี้วัดที่ 5" in own
    theirs = said(chat.say(o["supervisor_user"], "ผลการประเมิน"))
    assert "นายสมชาย ตั้งใจ: คะแนนรวมคาดการณ์ 79.17 (ดี)" in theirs


def test_a_what_if_answer(session: Session, chat: Chat) -> None:
    o = office(session, [100, 90, 80, 80, None], competencies=4)
    answer = said(chat.say(o["user"], "ถ้าข้อ 5 ได้ 100%"))
    # (30+16+12+9+15)/100 = 82 → 82 × 0.7 + 24 = 81.40 (ดีมาก)
    assert "ถ้าข้อ 5 ได้ ร้อยละ 100.00 คะแนนรวมคาดการณ์ 81.40 (ดีมาก)" in answer
    assert session.scalars(select(ProgressReport).where(
        ProgressReport.status == ReportStatus.PENDING)).first() is None  # not a report
    assert "ไม่มีข้อ 9" in said(chat.say(o["user"], "ถ้าข้อ 9 ได้ 100%"))
    assert "เช่น" in said(chat.say(o["user"], "ถ้าได้ดีกว่านี้"))


def test_a_complete_officer_projected_under_60_is_warned_once(session: Session,
                                                              chat: Chat) -> None:
    o = office(session, [60, 60, 60, 60, None], competencies=2)
    kpi5 = o["agreement"].kpis[4]
    report = ProgressReport(officer_id=o["officer"].id, round_id=o["agreement"].round_id,
                            kind=ReportKind.KPI, kpi_id=kpi5.id, percent=Decimal(60),
                            reported_on=NOW.date())
    submit(session, report, NOW, "U-test")
    session.flush()
    assert "รับรอง" in said(chat.tap(o["mentor_user"], encode(ReportDecision(report.id, 1, "ok"))))
    warned = [r for r in session.scalars(select(OutboxMessage))
              if "ต่ำกว่าร้อยละ 60" in str(r.messages)]
    assert len(warned) == 2 and {r.category for r in warned} == {"reminder"}  # office hours
    # another confirmation later does not warn again
    again = ProgressReport(officer_id=o["officer"].id, round_id=o["agreement"].round_id,
                           kind=ReportKind.KPI, kpi_id=kpi5.id, percent=Decimal(61),
                           reported_on=NOW.date())
    submit(session, again, NOW, "U-test")
    session.flush()
    chat.tap(o["mentor_user"], encode(ReportDecision(again.id, 1, "ok")))
    assert session.get(ProgressReport, again.id).status == ReportStatus.CONFIRMED
    warned = [r for r in session.scalars(select(OutboxMessage))
              if "ต่ำกว่าร้อยละ 60" in str(r.messages)]
    assert len(warned) == 2


def test_a_close_is_early_only_before_the_rounds_end_date(session: Session) -> None:
    from datetime import timedelta

    from models import Round
    from models.results import close_preview

    o = office(session, [100, 90, None, None, None])
    round_ = session.get(Round, o["agreement"].round_id)
    assert round_ is not None
    early = close_preview(session, round_, round_.ends_on - timedelta(days=1))
    assert early.before_end and (early.people, early.complete, early.incomplete) == (1, 0, 1)
    assert early.missing == {o["officer"].staff_code: [3, 4, 5]}
    assert not close_preview(session, round_, round_.ends_on).before_end
