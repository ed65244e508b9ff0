"""The office calendar, the reminder policy and the planner."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import OutboxMessage, Reminder, ReminderPush, audit
from models.calendar import OfficeCalendar, describe_days, remove_override, set_override
from models.reminders import DeadlineCompletion, Policy, ReminderKind, load_policy, set_policy
from scheduler.reminders import collect, plan_reminders, reminder_kind
from tests.builders import make_agency
from tests.reminder_builders import BANGKOK, at, build_office, submit_report

CAL = OfficeCalendar()


@pytest.mark.parametrize(("day", "office"), [
    (date(2027, 2, 22), False),  # Makha Bucha in lieu (a Monday)
    (date(2027, 2, 23), True),
    (date(2027, 4, 13), False),  # Songkran
    (date(2026, 12, 7), False),  # 5 December in lieu
    (date(2026, 10, 23), False),  # Chulalongkorn Day (a Friday)
    (date(2026, 10, 24), False),  # Saturday
    (date(2026, 10, 26), True),
])
def test_office_days_follow_the_thai_holidays(day: date, office: bool) -> None:
    assert CAL.is_office_day(day) is office


def test_office_day_arithmetic() -> None:
    assert CAL.next_office_day(date(2027, 2, 19)) == date(2027, 2, 23)  # Fri → Tue (holiday Mon)
    assert CAL.add_office_days(date(2027, 3, 1), -7) == date(2027, 2, 17)
    assert CAL.office_days_between(date(2027, 2, 17), date(2027, 3, 1)) == 7
    assert CAL.on_or_before(date(2026, 10, 31)) == date(2026, 10, 30)


def test_hr_overrides_change_the_calendar_and_are_audited(session: Session) -> None:
    agency_id = make_agency(session)[0].id
    set_override(session, date(2027, 3, 2), False, "ครม. ประกาศวันหยุดพิเศษ", agency_id=agency_id)
    set_override(session, date(2027, 2, 22), True, agency_id=agency_id)
    calendar = OfficeCalendar.load(session, agency_id)
    assert not calendar.is_office_day(date(2027, 3, 2))
    assert calendar.is_office_day(date(2027, 2, 22))
    days = {day: (office, why) for day, office, why in describe_days(
        session, date(2027, 3, 1), date(2027, 3, 3), agency_id=agency_id)}
    assert days[date(2027, 3, 2)] == (False, "HR: ครม. ประกาศวันหยุดพิเศษ")
    assert remove_override(session, date(2027, 3, 2), agency_id=agency_id)
    assert not remove_override(session, date(2027, 3, 2), agency_id=agency_id)
    assert OfficeCalendar.load(session, agency_id).is_office_day(date(2027, 3, 2))
    actions = session.scalars(select(audit.__globals__["AuditEntry"].action)).all()
    assert actions.count("calendar.override") == 2 and "calendar.override_removed" in actions


# Progress report due Monday 1 March 2027; Monday 22 February is a holiday.
@pytest.mark.parametrize(("today", "expected"), [
    (date(2027, 2, 16), None),
    (date(2027, 2, 17), (ReminderKind.BEFORE, 7)),
    (date(2027, 2, 19), None),
    (date(2027, 2, 24), (ReminderKind.BEFORE, 3)),
    (date(2027, 2, 26), (ReminderKind.BEFORE, 1)),
    (date(2027, 3, 1), (ReminderKind.DUE_DAY, 0)),
    (date(2027, 3, 2), None),
    (date(2027, 3, 3), (ReminderKind.OVERDUE, 2)),
    (date(2027, 3, 5), (ReminderKind.OVERDUE, 4)),
    (date(2027, 3, 9), (ReminderKind.OVERDUE, 6)),
    (date(2027, 3, 11), (ReminderKind.DIGEST, 8)),
    (date(2027, 3, 15), None),
])
def test_default_policy_days(today: date, expected: tuple[str, int] | None) -> None:
    assert reminder_kind(Policy(), CAL, date(2027, 3, 1), today) == expected


def test_a_deadline_on_a_saturday_is_reminded_on_the_friday() -> None:
    assert reminder_kind(Policy(), CAL, date(2026, 10, 31), date(2026, 10, 30)) == (
        ReminderKind.DUE_DAY, 0)
    assert reminder_kind(Policy(), CAL, date(2026, 10, 31), date(2026, 10, 27)) == (
        ReminderKind.BEFORE, 3)  # 23 October is a holiday
    assert reminder_kind(Policy(), CAL, date(2026, 10, 31), date(2026, 11, 3)) == (
        ReminderKind.OVERDUE, 2)


def test_the_policy_is_agency_configurable_and_checked(session: Session) -> None:
    office = build_office(session)
    agency_id = office.round.agency_id
    assert load_policy(session, agency_id) == Policy()
    set_policy(session, agency_id, before_days=[5, 2], overdue_times=1, office_start="09:00")
    policy = load_policy(session, agency_id)
    assert policy.before_days == (5, 2) and policy.overdue_times == 1
    assert reminder_kind(policy, CAL, date(2027, 3, 1), date(2027, 2, 24)) is None
    assert reminder_kind(policy, CAL, date(2027, 3, 1),
                         date(2027, 2, 25)) == (ReminderKind.BEFORE, 2)
    assert not policy.in_office_hours(at("2027-02-25 08:45"))
    with pytest.raises(ValueError, match="ไม่ถูกต้อง"):
        set_policy(session, agency_id, office_start="19:00")
    with pytest.raises(ValueError, match="ไม่รู้จัก"):
        set_policy(session, agency_id, colour="red")


def test_plan_writes_one_message_per_person_and_a_replay_adds_nothing(session: Session) -> None:
    office = build_office(session)
    submit_report(session, office.diligent, office.round, at("2027-01-10 10:00"))
    result = plan_reminders(session, at("2027-02-24 08:30"), tz=BANGKOK)
    assert result.by_kind == {ReminderKind.BEFORE: 1}
    pushes = session.scalars(select(ReminderPush)).all()
    assert [p.staff_id for p in pushes] == [office.behind.id]
    row = session.get(OutboxMessage, pushes[0].outbox_id)
    assert row.recipients == [office.users[office.behind.id]] and row.category == "reminder"
    assert row.expires_at == at("2027-02-25 18:00")  # it may wait for the next window only
    assert "รายงานความก้าวหน้า ภายใน 1 มี.ค. 2570 (อีก 3 วันทำการ)" in row.messages[0]["text"]
    labels = [i["action"]["label"] for i in row.messages[0]["quickReply"]["items"]]
    assert labels[0] == "เตือนพรุ่งนี้"
    again = plan_reminders(session, at("2027-02-24 11:00"), tz=BANGKOK)
    assert again.people == 0
    assert session.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.kind != ReminderKind.CARD)) == 1  # (the report's card reached the mentor)
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_nothing_outside_office_hours_or_on_days_off(session: Session) -> None:
    build_office(session)
    assert (plan_reminders(session, at("2027-02-24 07:59"), tz=BANGKOK).skipped
            == "outside office hours")
    assert (plan_reminders(session, at("2027-02-24 18:00"), tz=BANGKOK).skipped
            == "outside office hours")
    assert (plan_reminders(session, at("2027-02-22 09:00"), tz=BANGKOK).skipped
            == "not an office day")
    assert (plan_reminders(session, at("2027-02-27 09:00"), tz=BANGKOK).skipped
            == "not an office day")
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_several_items_become_one_message(session: Session) -> None:
    office = build_office(session, agreements_signed=False)
    # 2026-10-27: the agreement (due 31 Oct) is 3 office days ahead; add an HR deadline on the
    # same day so each officer has two items.
    from models.rounds import RoundDeadline

    session.add(RoundDeadline(round_id=office.round.id, code="form",
                              title_th="ส่งแบบฟอร์มเส้นทางความก้าวหน้า", due_on=date(2026, 10, 30)))
    session.flush()
    result = plan_reminders(session, at("2026-10-27 09:00"), tz=BANGKOK)
    assert result.people == 2 and result.items == 4  # two officers, two items each
    messages = session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 1 and messages[0].kind == "multicast"  # the same text for both
    text = messages[0].messages[0]["text"]
    assert "ลงนามข้อตกลงตัวชี้วัด" in text and "ส่งแบบฟอร์มเส้นทางความก้าวหน้า" in text


def test_done_items_stop_and_hr_can_mark_done(session: Session) -> None:
    office = build_office(session)
    submit_report(session, office.behind, office.round, at("2027-02-25 10:00"))
    session.add(DeadlineCompletion(staff_id=office.diligent.id,
                                   deadline_key=f"round:{office.round.id}:progress"))
    session.flush()
    _today, items, _ = collect(session, at("2027-02-26 09:00"), tz=BANGKOK)
    # the report is waiting for the mentor, but not yet more than 3 office days
    assert items == {}


def test_the_supervisor_gets_one_digest_of_who_is_overdue(session: Session) -> None:
    office = build_office(session)
    _today, items, _ = collect(session, at("2027-03-11 09:00"), tz=BANGKOK)
    digest = items[office.supervisor.id]
    assert [i.kind for i in digest] == [ReminderKind.DIGEST]
    assert set(digest[0].names) == {office.behind.name_th, office.diligent.name_th}
    assert office.behind.id not in items  # no fourth overdue reminder


def test_mentors_are_reminded_of_reports_waiting_more_than_3_office_days(session: Session) -> None:
    office = build_office(session)
    submit_report(session, office.behind, office.round, at("2027-01-04 10:00"))  # a Monday
    for day, expected in (("2027-01-07", None), ("2027-01-08", ReminderKind.DUE_DAY),
                          ("2027-01-11", None), ("2027-01-12", ReminderKind.OVERDUE)):
        _today, items, _ = collect(session, at(f"{day} 09:00"), tz=BANGKOK)
        kinds = [i.kind for i in items.get(office.mentor.id, [])]
        assert kinds == ([expected] if expected else []), day


def test_the_digest_reads_well_and_stays_within_line_limits(session: Session) -> None:
    from handlers.messages import check_messages
    from handlers.reminders import Item, reminder_message

    names = tuple(f"นายทดสอบ คนที่{i}" for i in range(400))
    message = reminder_message(date(2027, 3, 11), [
        Item("digest:round:1:progress", "รายงานความก้าวหน้า", date(2027, 3, 1),
             ReminderKind.DIGEST, 8, names),
        Item("round:1:confirmation", "พี่เลี้ยง/ผู้สอนงานรับรองผล", date(2027, 3, 16),
             ReminderKind.BEFORE, 3)])
    check_messages([message])
    assert ("• เลยกำหนดแล้วยังไม่เสร็จ: รายงานความก้าวหน้า (กำหนด 1 มี.ค. 2570) 400 คน: "
            "นายทดสอบ คนที่0, ") in message["text"]
    assert "และอีก 380 คน" in message["text"]
    assert message["quickReply"]["items"][0]["action"]["data"] == "action=snooze&day=2027-03-11"


def test_hr_forms_not_submitted_are_reminded_with_the_round_deadlines(session: Session) -> None:
    """HR's forms are one of the planner's sources: reminded until submitted."""
    from handlers.hr_forms import CAREER_PATH, CAREER_PATH_TITLE, send_form
    from models import Audience, FormResponse

    office = build_office(session)
    form = send_form(session, author=office.hr, title=CAREER_PATH_TITLE, sections=CAREER_PATH,
                     due_on=date(2027, 3, 1), kind=Audience.EVERYONE, value="",
                     now=at("2027-02-22 10:00"))
    done = session.scalars(select(FormResponse).where(
        FormResponse.form_id == form.id, FormResponse.staff_id == office.diligent.id)).one()
    done.submitted_at = at("2027-02-23 10:00")
    session.flush()
    # 3 office days before 1 Mar
    _today, items, _ = collect(session, at("2027-02-24 09:00"), tz=BANGKOK)
    keys = {person: {i.key for i in person_items} for person, person_items in items.items()}
    assert f"form:{form.id}" in keys[office.behind.id]
    assert f"form:{form.id}" not in keys.get(office.diligent.id, set())


def test_a_reminder_not_sent_yet_is_withdrawn_once_its_items_are_done(session: Session) -> None:
    """Held back (a low quota, say), then the officer reports: it never goes out."""
    from models import OutboxStatus

    office = build_office(session)
    plan_reminders(session, at("2027-02-24 08:30"), tz=BANGKOK)
    row = session.scalars(select(OutboxMessage)).one()
    behind, diligent = office.users[office.behind.id], office.users[office.diligent.id]
    assert row.kind == "multicast" and sorted(row.recipients) == sorted([behind, diligent])
    submit_report(session, office.diligent, office.round, at("2027-02-24 08:45"))
    assert plan_reminders(session, at("2027-02-24 09:00"), tz=BANGKOK).withdrawn == 1
    assert row.recipients == [behind] and row.kind == "push"
    assert row.status == OutboxStatus.PENDING  # the one still behind still gets it
    submit_report(session, office.behind, office.round, at("2027-02-24 09:10"))
    assert plan_reminders(session, at("2027-02-24 09:30"), tz=BANGKOK).withdrawn == 1
    assert row.status == OutboxStatus.WITHDRAWN
    assert {p.status for p in session.scalars(select(ReminderPush))} == {"withdrawn"}
    # a reminder already sent is history: nothing to withdraw
    assert plan_reminders(session, at("2027-02-24 10:00"), tz=BANGKOK).withdrawn == 0
