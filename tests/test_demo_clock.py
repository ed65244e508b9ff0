"""`make run`'s clock follows the app's clock, which the simulator may move."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from bot import clock
from bot.settings import Settings
from scheduler.demo import SimulatedClock
from tests.builders import APP_TZ


def test_the_demo_clock_runs_the_jobs_on_simulated_time(engine: Engine, settings: Settings) -> None:
    jobs = SimulatedClock(sessionmaker(engine), settings)
    monday = datetime(2027, 2, 22, 8, 29, 30, tzinfo=APP_TZ)
    assert jobs.run_due(monday) == []  # the first look plans every job from this moment
    ran = jobs.run_due(monday + timedelta(seconds=31))
    assert "plan-reminders" in ran and "send-due-announcements" in ran
    assert jobs.run_due(monday + timedelta(seconds=40)) == []  # nothing twice
    later = jobs.run_due(monday + timedelta(seconds=91))
    # the every-minute jobs; plan-reminders at 09:00
    assert sorted(later) == ["send-due-announcements", "sync-rich-menus"]
    # A jump (the simulator set the clock) plans afresh: the days jumped over run nothing.
    assert jobs.run_due(datetime(2027, 3, 1, 10, 15, 30, tzinfo=APP_TZ)) == []
    assert sorted(jobs.run_due(datetime(2027, 3, 1, 10, 16, 1, tzinfo=APP_TZ))) == [
        "send-due-announcements", "sync-rich-menus"]
    assert jobs.run_due(datetime(2027, 2, 1, 10, 1, 30, tzinfo=APP_TZ)) == []  # back too


def test_setting_the_clock_moves_now_and_time_runs_on() -> None:
    at = datetime(2027, 2, 24, 20, 0, tzinfo=APP_TZ)
    clock.set_now(at)
    assert clock.simulated()
    moved = clock.now("Asia/Bangkok")
    assert timedelta(0) <= moved - at < timedelta(minutes=1)
    assert clock.utc_now().utcoffset() == timedelta(0)
    clock.set_now(None)
    assert not clock.simulated()
    assert abs(clock.now("UTC") - datetime.now(clock.now("UTC").tzinfo)) < timedelta(minutes=1)


def test_make_run_keeps_its_database_and_starts_again_after_a_round_is_closed(
        app: Flask, engine: Engine) -> None:
    """`make run` twice with `flask round close` in between: the second start keeps the data
    (the closed round, its results) and does not crash on the closed round."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from handlers.appraisals import close_round
    from models import ProgressReport, Round, Staff
    from scheduler.demo import UNREPORTED, prepare_demo

    with app.app_context():
        assert prepare_demo(app) is True
    with Session(engine) as session:
        round_ = session.scalars(select(Round)).one()
        reported = set(session.scalars(select(Staff.staff_code).join(
            ProgressReport, ProgressReport.officer_id == Staff.id)))
        assert reported and not reported & set(UNREPORTED)  # someone is left to remind
        today = clock.now("Asia/Bangkok").date()
        close_round(session, round_, clock.now("Asia/Bangkok"), today)
        session.commit()
        reports = session.scalar(select(func.count(ProgressReport.id)))
    with app.app_context():
        assert prepare_demo(app) is False
    with Session(engine) as session:
        assert session.scalars(select(Round)).one().closed_at is not None
        assert session.scalar(select(func.count(ProgressReport.id))) == reports
