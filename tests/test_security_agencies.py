"""Agency boundaries: one agency's HR never changes another agency's office calendar."""
from __future__ import annotations

from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot import db
from bot.fake_line import FakeLine
from models import Role
from models.calendar import OfficeCalendar, describe_days, set_override
from scheduler.reminders import Due, collect
from tests.builders import APP_TZ, make_agency, make_officer
from tests.hr_console import csrf, people, signed_in

CABINET_DAY = date(2027, 3, 5)  # a Friday


def test_an_override_changes_only_its_own_agency(session: Session) -> None:
    mine, _ = make_agency(session)
    theirs, _ = make_agency(session)
    set_override(session, CABINET_DAY, False, "มติ ครม.", agency_id=mine.id)
    assert not OfficeCalendar.load(session, mine.id).is_office_day(CABINET_DAY)
    assert OfficeCalendar.load(session, theirs.id).is_office_day(CABINET_DAY)
    shown = {day: why for day, _office, why in describe_days(
        session, CABINET_DAY, CABINET_DAY, agency_id=theirs.id)}
    assert shown == {CABINET_DAY: ""}


def test_the_other_agencys_reminders_still_go_out(session: Session) -> None:
    """The planner judges each person's day by their own agency's calendar."""
    _mine, my_unit = make_agency(session)
    _theirs, their_unit = make_agency(session)
    me, _ = make_officer(session, unit=my_unit)
    them, _ = make_officer(session, unit=their_unit)
    set_override(session, CABINET_DAY, False, "มติ ครม.", agency_id=me.agency_id)

    def due_today(_session: Session, _today: date) -> list[Due]:
        return [Due(staff_id=person.id, key="custom:1", title="ส่งรายงาน", due=CABINET_DAY)
                for person in (me, them)]

    now = datetime.fromisoformat("2027-03-05T09:00:00+07:00")
    _today, per_person, _skipped = collect(session, now, [due_today], tz=APP_TZ)
    assert set(per_person) == {them.id}


def test_the_console_calendar_is_the_agencys_own(app: Flask, client: FlaskClient,
                                                  fake_line: FakeLine) -> None:
    p = people(app)
    with app.app_context(), db.session_scope() as session:
        other_agency, other_unit = make_agency(session)
        make_officer(session, unit=other_unit, roles=(Role.HR_ADMIN,))
        session.commit()
        other_id = other_agency.id
    signed_in(app, client, fake_line, p["hr_user"])
    client.post("/hr/calendar", data={"csrf_token": csrf(client, "/hr/calendar"),
                                      "day": CABINET_DAY.isoformat(), "office_day": "0",
                                      "note": "วันหยุดพิเศษของกรมเรา"})
    with app.app_context(), db.session_scope() as session:
        assert not OfficeCalendar.load(session, p["agency_id"]).is_office_day(CABINET_DAY)
        assert OfficeCalendar.load(session, other_id).is_office_day(CABINET_DAY)


def test_existing_overrides_are_kept_for_every_agency(database_url: str, tmp_path: Path) -> None:
    """The migration's safe default: an override from before applied to everyone, so every
    agency gets its own copy and no calendar changes on the day of the upgrade."""
    from models.db import make_engine, scratch_postgres_database
    from models.migrate import upgrade

    with ExitStack() as stack:
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path}/upgrade.sqlite3"
        else:
            url = stack.enter_context(scratch_postgres_database(database_url, prefix="upgrade"))
        engine = make_engine(url)
        upgrade(engine, "0006_appraisal")
        with engine.begin() as connection:
            for agency in (1, 2):
                connection.execute(text("INSERT INTO agencies (id, code, name_th, "
                                        "achievement_weight, competency_weight, "
                                        "officers_see_scores) "
                                        f"VALUES ({agency}, 'A{agency}', 'ก', 70, 30, true)"))
            connection.execute(text("INSERT INTO calendar_overrides (day, office_day, note, "
                                    "created_at) VALUES ('2027-03-05', false, 'มติ ครม.', "
                                    "CURRENT_TIMESTAMP)"))
        upgrade(engine)
        with Session(engine) as session:
            for agency in (1, 2):
                assert not OfficeCalendar.load(session, agency).is_office_day(CABINET_DAY)
        engine.dispose()
