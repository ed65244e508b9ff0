"""Rounds, KPI agreements and their rules; what officers and carers see over LINE."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import texts
from models import (
    AgreementError,
    AuditEntry,
    ChangeStatus,
    Kpi,
    KpiChangeRequest,
    OutboxMessage,
    Role,
    RoleAssignment,
)
from models.kpi import check_kpis, decide_kpi_change, request_kpi_change, sign_agreement
from models.rounds import Anchor, DeadlineRule, round_dates, round_of
from tests.builders import counting_statements, make_agency, make_agreement, make_officer
from tests.chat import Chat, flat

BKK = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=BKK)  # fiscal year 2570, round 1


# --- the calendar -----------------------------------------------------------------------------

@pytest.mark.parametrize(("fy", "round_no", "starts", "ends"), [
    (2570, 1, date(2026, 10, 1), date(2027, 3, 31)),
    (2570, 2, date(2027, 4, 1), date(2027, 9, 30)),
    (2567, 1, date(2023, 10, 1), date(2024, 3, 31)),  # a leap year's February inside
])
def test_round_dates(fy: int, round_no: int, starts: date, ends: date) -> None:
    assert round_dates(fy, round_no) == (starts, ends)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 10, 1), (2570, 1)), (date(2026, 12, 31), (2570, 1)), (date(2027, 1, 1), (2570, 1)),
    (date(2027, 3, 31), (2570, 1)), (date(2027, 4, 1), (2570, 2)), (date(2027, 9, 30), (2570, 2)),
    (date(2027, 10, 1), (2571, 1)),
])
def test_round_of(day: date, expected: tuple[int, int]) -> None:
    assert round_of(day) == expected


@pytest.mark.parametrize(("rule", "round_no", "due"), [
    (DeadlineRule(code="x", title_th="x", anchor=Anchor.FIXED, month=4, day=10), 1,
     date(2027, 4, 10)),
    (DeadlineRule(code="x", title_th="x", anchor=Anchor.FIXED, month=10, day=10), 2,
     date(2027, 10, 10)),
    (DeadlineRule(code="x", title_th="x", anchor=Anchor.ROUND_START, offset_days=30), 1,
     date(2026, 10, 31)),
    (DeadlineRule(code="x", title_th="x", anchor=Anchor.ROUND_END, offset_days=-15), 2,
     date(2027, 9, 15)),
], ids=["hipps-round1", "hipps-round2", "agreement", "confirmation"])
def test_deadline_rules_are_data(rule: DeadlineRule, round_no: int, due: date) -> None:
    assert rule.due_in(*round_dates(2570, round_no)) == due


# --- agreement rules --------------------------------------------------------------------------

def kpis_with(weights: list[str], levels: tuple[int, ...] = (1, 2, 3, 4, 5)) -> list[Kpi]:
    return [Kpi(number=i, name=f"ตัวชี้วัด {i}", weight=Decimal(w), target=Decimal(1),
                level1=Decimal(levels[0]), level2=Decimal(levels[1]), level3=Decimal(levels[2]),
                level4=Decimal(levels[3]), level5=Decimal(levels[4]))
            for i, w in enumerate(weights, start=1)]


@pytest.mark.parametrize(("weights", "levels", "problem"), [
    (["30", "20", "20", "15", "14.99"], (1, 2, 3, 4, 5), "น้ำหนักรวมต้องเท่ากับ 100"),
    (["30", "20", "20", "15", "15.01"], (1, 2, 3, 4, 5), "100.01"),
    ([], (1, 2, 3, 4, 5), "1–10 ข้อ"),
    (["10"] * 9 + ["5", "5"], (1, 2, 3, 4, 5), "มี 11 ข้อ"),
    (["50", "50"], (1, 2, 2, 4, 5), "เกณฑ์ระดับ"),
    (["100", "0"], (1, 2, 3, 4, 5), "น้ำหนักต้องมากกว่า 0"),
], ids=["sum-99.99", "sum-100.01", "none", "eleven", "flat-levels", "zero-weight"])
def test_agreement_rules(weights: list[str], levels: tuple[int, ...], problem: str) -> None:
    with pytest.raises(AgreementError) as error:
        check_kpis(kpis_with(weights, levels))
    assert problem in error.value.th and error.value.en


@pytest.mark.parametrize("weights", [["100"], ["33.33", "33.33", "33.34"], ["20"] * 5, ["10"] * 10])
def test_valid_agreements(weights: list[str]) -> None:
    check_kpis(kpis_with(weights))
    check_kpis(kpis_with(weights, (100, 80, 60, 40, 20)))  # lower is better


# --- over LINE: my KPIs, deadlines, people in care --------------------------------------------



def test_my_kpis_card(session: Session, chat: Chat) -> None:
    officer, user_id = make_officer(session, name="นายสมชาย ตั้งใจ", is_hipps=True)
    make_agreement(session, officer, key_project="ระบบติดตามตัวชี้วัดผ่าน LINE")
    replies = chat.say(user_id, "ตัวชี้วัดของฉัน")
    card = flat(replies)
    assert replies[0]["type"] == "flex" and replies[0]["contents"]["type"] == "carousel"
    assert "รอบที่ 1/2570 (1 ต.ค. 2569 – 31 มี.ค. 2570)" in card
    assert "5 ข้อ น้ำหนักรวม 100%" in card
    assert "ลงนามข้อตกลงตัวชี้วัด 31 ต.ค. 2569" not in card  # already past on 21 Nov
    assert "รายงานความก้าวหน้า 1 มี.ค. 2570" in card  # the next deadline
    assert "ระบบติดตามตัวชี้วัดผ่าน LINE" in card
    assert "1. ร้อยละของงานที่ 1" in card and "30%" in card and "80 ร้อยละ" in card


@pytest.mark.parametrize("kpi_count", [1, 5, 10])
def test_my_kpis_takes_a_bounded_number_of_queries(session: Session,
                                                   chat: Chat, kpi_count: int) -> None:
    officer, user_id = make_officer(session)
    weights = {1: (100,), 5: (20,) * 5, 10: (10,) * 10}[kpi_count]
    make_agreement(session, officer, weights=weights)
    for _i in range(20):  # other people in the database change nothing
        other, _ = make_officer(session, unit=officer.unit)
    session.expire_all()
    with counting_statements(session.get_bind().engine) as statements:
        replies = chat.say(user_id, "ตัวชี้วัดของฉัน")
    assert replies[0]["type"] == "flex"
    # line user, staff, conversation state, round (+ deadlines), agreement (+ KPIs),
    # the person's roles (for the quick replies of their role)
    assert len(statements) <= 8, statements


def test_without_a_round_or_agreement(session: Session, chat: Chat) -> None:
    officer, user_id = make_officer(session)
    assert texts.NO_ROUND in flat(chat.say(user_id, "ตัวชี้วัดของฉัน"))
    other, other_user = make_officer(session, unit=officer.unit)
    make_agreement(session, other)
    assert "ยังไม่มีข้อตกลงตัวชี้วัดของคุณในรอบที่ 1/2570" in flat(
        chat.say(user_id, "ตัวชี้วัดของฉัน"))


def test_deadlines(session: Session, chat: Chat) -> None:
    officer, user_id = make_officer(session)
    make_agreement(session, officer)
    text = chat.say(user_id, "กำหนดส่ง")[0]["text"]
    assert "ลงนามข้อตกลงตัวชี้วัด: 31 ต.ค. 2569 (✓ ผ่านแล้ว)" in text
    assert "รายงานความก้าวหน้า: 1 มี.ค. 2570 (อีก 100 วัน)" in text
    assert "HiPPS" not in text  # not a HiPPS officer


def test_people_in_my_care(session: Session, chat: Chat) -> None:
    mentor, mentor_user = make_officer(session, name="นางมาลี รักงาน")
    a, _ = make_officer(session, name="นายเอ หนึ่ง", unit=mentor.unit)
    b, _ = make_officer(session, name="นายบี สอง", unit=mentor.unit, is_hipps=True)
    outsider, _ = make_officer(session, name="นายซี นอกกลุ่ม", unit=mentor.unit)
    for officer in (a, b):
        session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
    make_agreement(session, a)
    make_agreement(session, b, signed=False)
    card = flat(chat.say(mentor_user, "ผู้อยู่ในความดูแล"))
    assert "นายเอ หนึ่ง" in card and "นายบี สอง · HiPPS" in card and "นายซี" not in card
    assert "ลงนามข้อตกลงแล้ว" in card and "ยังไม่ลงนามข้อตกลง" in card
    assert texts.NOBODY_IN_CARE in flat(chat.say(_user_of(session, outsider), "ผู้อยู่ในความดูแล"))


def _user_of(session: Session, staff: Any) -> str:
    from models import LineUser

    return session.scalars(select(LineUser.user_id).where(LineUser.staff_id == staff.id)).one()


# --- KPI changes after signing need the evaluator -------------------------------------------

def change_setup(session: Session) -> tuple[Any, str, Any, str, KpiChangeRequest]:
    boss, boss_user = make_officer(session, name="นายวิชัย ศรีสุข")
    officer, officer_user = make_officer(session, name="นายสมชาย ตั้งใจ", unit=boss.unit)
    officer.supervisor_id = boss.id
    agreement = make_agreement(session, officer)
    request = request_kpi_change(session, agreement.kpis[0], {"target": "90"},
                                 requested_by_id=officer.id, reason="งานเพิ่มขึ้น")
    return boss, boss_user, officer, officer_user, request


def test_the_evaluator_sees_and_approves_a_change(session: Session, chat: Chat) -> None:
    boss, boss_user, officer, officer_user, request = change_setup(session)
    card = flat(chat.say(boss_user, "รออนุมัติ"))
    assert "ขอแก้ไขตัวชี้วัด" in card and "80 → 90" in card and "งานเพิ่มขึ้น" in card
    done = chat.tap(boss_user, f"action=kpichange&id={request.id}&do=approve")
    assert "บันทึกแล้ว: อนุมัติ" in flat(done)
    assert request.status == ChangeStatus.APPROVED and request.kpi.target == Decimal(90)
    push = session.scalars(select(OutboxMessage)).one()
    assert push.recipients == [officer_user] and "ได้รับการอนุมัติ" in push.messages[0]["text"]
    # a double tap (or a redelivered postback) changes nothing more
    assert texts.ALREADY_DECIDED in flat(chat.tap(boss_user,
                                                  f"action=kpichange&id={request.id}&do=reject"))
    assert request.status == ChangeStatus.APPROVED
    assert texts.NOTHING_PENDING in flat(chat.say(boss_user, "รออนุมัติ"))


def test_rejecting_leaves_the_kpi_as_it_was(session: Session, chat: Chat) -> None:
    _boss, boss_user, _officer, _user, request = change_setup(session)
    chat.tap(boss_user, f"action=kpichange&id={request.id}&do=reject")
    assert request.status == ChangeStatus.REJECTED and request.kpi.target == Decimal(80)


@pytest.mark.parametrize("data", ["action=kpichange&id={id}&do=approve",
                                  "action=kpichange&id=999999&do=approve",
                                  "action=kpichange&id={id}&do=delete",
                                  "action=kpichange&id=abc&do=approve"])
def test_forged_approvals_are_refused_and_audited(session: Session, chat: Chat, data: str) -> None:
    _boss, _boss_user, officer, officer_user, request = change_setup(session)
    # the officer themself, or anyone who is not the evaluator, taps a forged button
    replies = chat.tap(officer_user, data.format(id=request.id))
    assert texts.STALE_BUTTON in flat(replies)
    assert request.status == ChangeStatus.PENDING
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "postback.refused")).all()


def test_an_approval_that_would_break_the_weights_is_refused(session: Session, chat: Chat) -> None:
    boss, boss_user, officer, _user, _request = change_setup(session)
    agreement = officer and _request.kpi.agreement
    bad = request_kpi_change(session, agreement.kpis[1], {"weight": "25"},
                             requested_by_id=officer.id)
    replies = chat.tap(boss_user, f"action=kpichange&id={bad.id}&do=approve")
    assert "น้ำหนักรวมต้องเท่ากับ 100" in flat(replies)
    assert bad.status == ChangeStatus.PENDING and agreement.kpis[1].weight == Decimal(20)


def test_model_rules_for_changes(session: Session) -> None:
    boss, _boss_user, officer, _user, request = change_setup(session)
    with pytest.raises(AgreementError):
        request_kpi_change(session, request.kpi, {"officer_id": "1"}, requested_by_id=officer.id)
    decide_kpi_change(session, request, approve=False, decided_by_id=boss.id, at=NOW)
    with pytest.raises(AgreementError, match="already been decided"):
        decide_kpi_change(session, request, approve=True, decided_by_id=boss.id, at=NOW)


def test_signing_checks_the_agreement(session: Session) -> None:
    officer, _ = make_officer(session)
    agreement = make_agreement(session, officer, signed=False, weights=(50, 40))
    with pytest.raises(AgreementError):
        sign_agreement(session, agreement, None, NOW)
    assert agreement.signed_at is None
    agreement.kpis[1].weight = Decimal(50)
    sign_agreement(session, agreement, None, NOW)
    assert agreement.signed_at == NOW


def test_unit_tree_and_agency_defaults(session: Session) -> None:
    agency, unit = make_agency(session)
    assert agency.achievement_weight == 70 and agency.competency_weight == 30
    assert unit.kind == "กอง"


def test_a_supervisor_sees_the_people_who_report_to_them(session: Session, chat: Chat) -> None:
    boss, boss_user = make_officer(session, name="นายวิชัย ศรีสุข")
    officer, _ = make_officer(session, name="นายสมชาย ตั้งใจ", unit=boss.unit)
    officer.supervisor_id = boss.id
    session.add(RoleAssignment(staff_id=boss.id, role=Role.COACH, officer_id=officer.id))
    card = flat(chat.say(boss_user, "ผู้อยู่ในความดูแล"))
    assert "นายสมชาย ตั้งใจ" in card
    assert "ผู้บังคับบัญชา" in card and "ผู้สอนงาน" in card
    assert card.count("นายสมชาย ตั้งใจ") == 1
