"""`flask calendar …`: HR's office-day overrides, the reminder policy, items done on paper."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import CalendarOverride, DeadlineCompletion, ReminderPolicy
from tests.builders import make_agency, make_officer


def cli(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["calendar", *args])
    return result.exit_code, result.output


def test_show_set_and_unset_days(app: Flask, engine: Engine) -> None:
    code, out = cli(app, "show", "--from", "2027-02-19", "--to", "2027-02-23")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("2027-02-19 ศ. 19 ก.พ. 2570 ทำการ")
    assert "2027-02-22 จ. 22 ก.พ. 2570 หยุด  ชดเชยวันมาฆบูชา" in lines  # Thai, not "in lieu"
    with Session(engine) as session:
        make_agency(session)
        session.commit()
    code, out = cli(app, "set", "23/02/2570", "--off", "--note", "มติ ครม.")  # พ.ศ. as typed
    assert code == 0, out
    code, out = cli(app, "show", "--from", "2027-02-23", "--to", "2027-02-23")
    assert out.strip() == "2027-02-23 อ. 23 ก.พ. 2570 หยุด  HR: มติ ครม."
    assert cli(app, "overrides")[1].strip() == "2027-02-23 อ. 23 ก.พ. 2570 หยุด มติ ครม."
    assert cli(app, "unset", "2027-02-23")[0] == 0
    code, out = cli(app, "unset", "2027-02-23")
    assert code != 0 and "ไม่มีการกำหนดวันพิเศษ" in out


def test_bad_input_gets_a_thai_message_and_changes_nothing(app: Flask, engine: Engine) -> None:
    code, out = cli(app, "set", "2027-02-30", "--off")
    assert code != 0 and "วันที่ไม่ถูกต้อง" in out
    code, out = cli(app, "set", "23/02/2027", "--off")  # a ค.ศ. year where พ.ศ. is expected
    assert code != 0 and "พ.ศ." in out
    code, out = cli(app, "show", "--from", "2027-03-01", "--to", "2027-02-01")
    assert code != 0 and "ช่วงวันที่ไม่ถูกต้อง" in out
    with Session(engine) as session:
        make_agency(session)
        session.commit()
    code, out = cli(app, "policy", "--office-start", "19:00")
    assert code != 0 and "ไม่ถูกต้อง" in out
    code, out = cli(app, "policy", "--before", "7,x")
    assert code != 0 and "7,3,1" in out
    with Session(engine) as session:
        assert session.scalars(select(CalendarOverride)).all() == []
        assert session.scalars(select(ReminderPolicy)).all() == []


def test_policy_and_done(app: Flask, engine: Engine) -> None:
    with Session(engine) as session:
        officer, _user = make_officer(session)
        session.commit()
        staff_code, staff_id = officer.staff_code, officer.id
    code, out = cli(app, "policy")
    assert code == 0 and "before_days: (7, 3, 1)" in out
    code, out = cli(app, "policy", "--before", "5,2", "--overdue-times", "2")
    assert code == 0 and "before_days: (5, 2)" in out and "overdue_times: 2" in out
    code, out = cli(app, "done", staff_code, "round:1:hipps_copy")
    assert code == 0, out
    assert cli(app, "done", staff_code, "round:1:hipps_copy")[0] == 0  # again: nothing new
    code, out = cli(app, "done", "NOBODY", "round:1:hipps_copy")
    assert code != 0 and "ไม่พบบุคลากร" in out
    with Session(engine) as session:
        assert [(d.staff_id, d.deadline_key) for d in session.scalars(
            select(DeadlineCompletion))] == [(staff_id, "round:1:hipps_copy")]
