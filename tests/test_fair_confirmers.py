"""Who confirms a report: one rule for every role combination, and the stories it makes."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import texts
from models import Agency, OutboxMessage, ProgressReport, ReportStatus, Role, RoleAssignment, Staff
from models.progress import certify, confirmer_plan, pending_for
from tests.builders import make_agreement, make_officer
from tests.chat import NOW, Chat, postbacks, said

M, C, S = Role.MENTOR, Role.COACH, Role.SUPERVISOR


def people(session: Session, *, hipps: bool, mentor: bool, coach: str, supervisor: bool,
           supervisor_confirms: bool = False) -> dict[str, Any]:
    """An officer, and around them whoever the case names (coach: "", "own" or "mentor")."""
    officer, officer_user = make_officer(session, name="นายสมชาย ตั้งใจ", is_hipps=hipps)
    unit = officer.unit
    found: dict[str, Any] = {"officer": officer, "officer_user": officer_user}
    if supervisor:
        found["supervisor"], found["supervisor_user"] = make_officer(
            session, name="นายวิชัย ศรีสุข", unit=unit)
        officer.supervisor_id = found["supervisor"].id
    if mentor:
        found["mentor"], found["mentor_user"] = make_officer(session, name="นางมาลี รักงาน",
                                                             unit=unit)
        session.add(RoleAssignment(staff_id=found["mentor"].id, role=M, officer_id=officer.id))
    if coach == "own":
        found["coach"], found["coach_user"] = make_officer(session, name="นายใหญ่ สอนดี",
                                                           unit=unit)
        session.add(RoleAssignment(staff_id=found["coach"].id, role=C, officer_id=officer.id))
    elif coach == "mentor":
        session.add(RoleAssignment(staff_id=found["mentor"].id, role=C, officer_id=officer.id))
    agency = session.get(Agency, officer.agency_id)
    assert agency is not None
    agency.supervisor_confirms = supervisor_confirms
    found["agreement"] = make_agreement(session, officer)
    session.flush()
    return found


# (case, hipps, mentor, coach, supervisor, supervisor_confirms) →
#   who confirms (name → shown role), what each covers, and the roles nobody covers
CASES = [
    ("no mentor: the supervisor", False, False, "", True, False,
     {"supervisor": S}, {"supervisor": (M,)}, []),
    ("a mentor", False, True, "", True, False, {"mentor": M}, {"mentor": (M,)}, []),
    ("HiPPS: mentor and coach", True, True, "own", True, False,
     {"mentor": M, "coach": C}, {"mentor": (M,), "coach": (C,)}, []),
    ("HiPPS: the mentor is the coach", True, True, "mentor", True, False,
     {"mentor": M}, {"mentor": (M, C)}, []),
    ("HiPPS without a coach: the supervisor stands in", True, True, "", True, False,
     {"mentor": M, "supervisor": S}, {"mentor": (M,), "supervisor": (C,)}, []),
    ("HiPPS without mentor or coach", True, False, "", True, False,
     {"supervisor": S}, {"supervisor": (M, C)}, []),
    ("supervisor-only agency, mentor or not", False, True, "", True, True,
     {"supervisor": S}, {"supervisor": (M,)}, []),
    ("supervisor-only agency, HiPPS", True, True, "own", True, True,
     {"supervisor": S}, {"supervisor": (M, C)}, []),
    ("nobody at all", False, False, "", False, False, {}, {}, [M]),
]


@pytest.mark.parametrize(("hipps", "mentor", "coach", "supervisor", "everyone", "shown",
                          "duties", "missing"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_confirmer_rule(session: Session, hipps: bool, mentor: bool, coach: str,
                            supervisor: bool, everyone: bool, shown: dict[str, str],
                            duties: dict[str, tuple[str, ...]], missing: list[str]) -> None:
    o = people(session, hipps=hipps, mentor=mentor, coach=coach, supervisor=supervisor,
               supervisor_confirms=everyone)
    plan = confirmer_plan(session, o["officer"], o["agreement"].round_id)
    assert plan.shown == {o[name].id: role for name, role in shown.items()}
    assert plan.duties == {o[name].id: roles for name, roles in duties.items()}
    assert plan.missing == missing
    # certifying by everyone named leaves nothing waiting; by nobody, every required role waits
    assert plan.waiting({o[name].id for name in shown}) == tuple(missing)
    assert plan.waiting(set()) == plan.required


def test_one_person_as_mentor_and_coach_confirms_once_for_both(session: Session) -> None:
    o = people(session, hipps=True, mentor=True, coach="mentor", supervisor=True)
    report = ProgressReport(officer_id=o["officer"].id, round_id=o["agreement"].round_id,
                            kind="kpi", kpi_id=o["agreement"].kpis[0].id, percent=80,
                            reported_on=NOW.date())
    from models.progress import submit
    submit(session, report, NOW, "U-test")
    assert pending_for(session, o["mentor"].id) == [(report.id, M)]
    assert pending_for(session, o["supervisor"].id) == []  # the mentor and coach are there
    outcome = certify(session, report, o["mentor"].id, M, NOW, "U-test")
    assert outcome.confirmed and report.status == ReportStatus.CONFIRMED


def report_said(chat: Chat, user: str) -> list[dict[str, Any]]:
    chat.say(user, "ข้อ 1 ได้ 85% กำลังดำเนินการ")
    chat.say(user, "ไม่มี")
    return chat.say(user, "ใช่")


def test_an_officer_without_a_mentor_is_confirmed_by_the_supervisor(session: Session,
                                                                   chat: Chat) -> None:
    o = people(session, hipps=False, mentor=False, coach="", supervisor=True)
    done = said(report_said(chat, o["officer_user"]))
    assert "ผู้บังคับบัญชา นายวิชัย ศรีสุข" in done and "ยังไม่มี" not in done
    waiting = chat.cards(o["supervisor_user"])  # the card waits in their digest
    assert "ตัวชี้วัดที่ 1" in said(waiting) and "นายสมชาย ตั้งใจ" in said(waiting)
    assert texts.CERTIFIED_DONE in said(chat.tap(o["supervisor_user"],
                                                 postbacks(waiting)["รับรอง"]))
    report = session.scalars(select(ProgressReport)).one()
    assert report.status == ReportStatus.CONFIRMED
    assert "ได้รับการรับรองแล้ว" in said(chat.pushed(o["officer_user"]))  # held for them


def test_a_supervisor_only_agency_sends_a_mentored_report_to_the_supervisor(
        session: Session, chat: Chat) -> None:
    o = people(session, hipps=False, mentor=True, coach="", supervisor=True,
               supervisor_confirms=True)
    report_said(chat, o["officer_user"])
    assert "ตัวชี้วัดที่ 1" not in said(chat.cards(o["mentor_user"]))
    card = chat.cards(o["supervisor_user"])
    assert texts.STALE_BUTTON in said(chat.tap(o["mentor_user"], postbacks(card)["รับรอง"]))
    chat.tap(o["supervisor_user"], postbacks(card)["รับรอง"])
    assert session.scalars(select(ProgressReport.status)).one() == ReportStatus.CONFIRMED


def test_hr_is_told_once_when_nobody_can_confirm(session: Session, chat: Chat) -> None:
    o = people(session, hipps=False, mentor=False, coach="", supervisor=False)
    hr, hr_user = make_officer(session, name="นางสาวพิมพ์ชนก ใจดี", unit=o["officer"].unit,
                               roles=(Role.HR_ADMIN,))
    first = said(report_said(chat, o["officer_user"]))
    assert "ยังไม่มีพี่เลี้ยงของคุณในระบบ" in first
    told = said(chat.pushed(hr_user))
    assert "นายสมชาย ตั้งใจ" in told and o["officer"].staff_code in told
    chat.say(o["officer_user"], "ข้อ 2 ได้ 50% กำลังดำเนินการ")
    chat.say(o["officer_user"], "ไม่มี")
    chat.say(o["officer_user"], "ใช่")
    assert len(chat.pushed(hr_user)) == 1  # once, not per report
    rows = session.scalars(select(OutboxMessage)).all()
    assert all(hr_user in r.recipients for r in rows)  # nobody else was pushed anything
    assert session.get(Staff, hr.id) is not None


def test_the_agency_setting_from_the_console_and_the_cli(app: Any, client: Any,
                                                         fake_line: Any) -> None:
    from bot import db
    from tests.hr_console import csrf, signed_in
    from tests.hr_console import people as console_people

    p = console_people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    token = csrf(client, "/hr/settings")
    assert 'name="supervisor_confirms"' in client.get("/hr/settings").get_data(as_text=True)
    saved = client.post("/hr/settings", data={"csrf_token": token, "achievement_weight": "70",
                                              "competency_weight": "30",
                                              "supervisor_confirms": "1"})
    assert "บันทึกแล้ว" in saved.get_data(as_text=True)
    with app.app_context(), db.sessions()() as session:
        agency = session.get(Agency, p["agency_id"])
        assert agency is not None and agency.supervisor_confirms
        code = agency.code
    result = app.test_cli_runner().invoke(args=["hr", "confirmer", "mentor", "--agency", code])
    assert result.exit_code == 0 and "พี่เลี้ยง" in result.output
    refused = app.test_cli_runner().invoke(args=["hr", "confirmer", "นาย", "--agency", code])
    assert refused.exit_code != 0
    with app.app_context(), db.sessions()() as session:
        agency = session.get(Agency, p["agency_id"])
        assert agency is not None and not agency.supervisor_confirms


def test_the_supervisor_standing_in_is_reminded_like_a_mentor(session: Session,
                                                              chat: Chat) -> None:
    from datetime import date

    from handlers.round_due import round_deadline_items

    o = people(session, hipps=False, mentor=False, coach="", supervisor=True)
    report_said(chat, o["officer_user"])
    owed = {(d.staff_id, d.key.rsplit(":", 1)[-1])
            for d in round_deadline_items(session, date(2027, 3, 10))}
    assert (o["supervisor"].id, "confirmation") in owed
    late = {(d.staff_id, d.key.split(":", 1)[0])
            for d in round_deadline_items(session, date(2027, 1, 10))}
    assert (o["supervisor"].id, "wait") in late  # waited more than the office days allowed


def test_the_hipps_copy_deadline_outlives_the_closed_round(session: Session) -> None:
    from datetime import date

    from handlers.round_due import round_deadline_items
    from models import Round

    o = people(session, hipps=True, mentor=True, coach="mentor", supervisor=True)
    round_ = session.get(Round, o["agreement"].round_id)
    assert round_ is not None
    round_.closed_at = NOW.replace(year=2027, month=4, day=1)
    session.flush()
    owed = {(d.staff_id, d.key) for d in round_deadline_items(session, date(2027, 4, 8))}
    assert (o["officer"].id, f"round:{round_.id}:hipps_copy") in owed
    assert not any(key.endswith(":progress") for _staff, key in owed)  # the rest has ended
