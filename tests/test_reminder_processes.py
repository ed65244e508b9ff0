"""Reminders end to end: a round simulated day by day with `tick`, snooze and ride-along through
signed webhooks, a worker killed with `kill -9`, two clocks at once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine, Faults
from bot.serving import BackgroundServer
from bot.settings import REPO_ROOT, Settings
from handlers.messages import text
from handlers.outbox import enqueue_push
from models import (
    KpiAgreement,
    OutboxMessage,
    OutboxStatus,
    ProgressReport,
    Reminder,
    ReminderPush,
)
from models.calendar import set_override
from models.db import make_session_factory
from models.progress import certify
from models.reminders import ReminderKind
from scheduler.__main__ import tick
from scheduler.reminders import plan_reminders
from tests.builders import postback_event, send, text_event
from tests.conftest import TEST_SECRET, TEST_TOKEN
from tests.reminder_builders import BANGKOK, Office, at, build_office, submit_report

B, D, OD, DIG = ReminderKind.BEFORE, ReminderKind.DUE_DAY, ReminderKind.OVERDUE, ReminderKind.DIGEST
CARD = ReminderKind.CARD

# Round 1/2570 with the default deadlines and policy. Agreement due Sat 31 Oct 2026 (Chulalongkorn
# Day Fri 23 Oct off); progress due Mon 1 Mar 2027 (Makha Bucha in lieu Mon 22 Feb off; HR adds
# Tue 9 Mar as a day off); confirmation due Tue 16 Mar. The diligent officer signs on 26 Oct and
# reports on 25 Feb; the mentor certifies on 11 Mar after the day's reminder.
EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "behind": [
        ("2026-10-20", "agreement", B), ("2026-10-27", "agreement", B),
        ("2026-10-29", "agreement", B), ("2026-10-30", "agreement", D),
        ("2026-11-03", "agreement", OD), ("2026-11-05", "agreement", OD),
        ("2026-11-09", "agreement", OD),
        ("2027-02-17", "progress", B), ("2027-02-24", "progress", B),
        ("2027-02-26", "progress", B), ("2027-03-01", "progress", D),
        ("2027-03-03", "progress", OD), ("2027-03-05", "progress", OD),
        ("2027-03-10", "progress", OD),
    ],
    "diligent": [
        ("2026-10-20", "agreement", B),
        ("2027-02-17", "progress", B), ("2027-02-24", "progress", B),
    ],
    "supervisor": [("2026-11-11", "agreement", DIG), ("2027-03-12", "progress", DIG)],
    "mentor": [
        ("2027-02-26", "1", CARD),  # the report of 25 Feb at 10:00, in the next day's digest
        ("2027-03-03", "wait", D), ("2027-03-04", "confirmation", B),
        ("2027-03-05", "wait", OD), ("2027-03-10", "wait", OD),
        ("2027-03-11", "confirmation", B),
    ],
    "hr": [],
}


def _sign(office: Office) -> Callable[[Session], None]:
    def sign(session: Session) -> None:
        agreement = session.scalars(select(KpiAgreement).where(
            KpiAgreement.officer_id == office.diligent.id)).one()
        agreement.signed_at = at("2026-10-26 17:00")
    return sign


def _report(office: Office) -> Callable[[Session], None]:
    return lambda session: submit_report(session, office.diligent, office.round,
                                         at("2027-02-25 10:00"), shown=False)


def _certify(office: Office) -> Callable[[Session], None]:
    def certify_all(session: Session) -> None:
        for report in session.scalars(select(ProgressReport).where(
                ProgressReport.officer_id == office.diligent.id)):
            certify(session, report, office.mentor.id, "mentor", at("2027-03-11 17:00"), "Um")
    return certify_all


def test_a_round_day_by_day(engine: Engine, settings: Settings) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session:
        office = build_office(session, agreements_signed=False)
        set_override(session, date(2027, 3, 9), False, "มติ ครม. วันหยุดพิเศษ",
                     agency_id=office.hr.agency_id)
        session.commit()
    actions = {date(2026, 10, 26): _sign(office), date(2027, 2, 25): _report(office),
               date(2027, 3, 11): _certify(office)}
    day = date(2026, 10, 1)
    while day <= date(2027, 3, 31):
        tick(sessions, at(f"{day.isoformat()} 08:30"), settings)
        if day in actions:
            with sessions() as session:
                actions[day](session)
                session.commit()
        day += timedelta(days=1)
    names = {office.behind.id: "behind", office.diligent.id: "diligent",
             office.supervisor.id: "supervisor", office.mentor.id: "mentor", office.hr.id: "hr"}
    got: dict[str, list[tuple[str, str, str]]] = {name: [] for name in names.values()}
    with sessions() as session:
        for reminder in session.scalars(select(Reminder)
                                        .order_by(Reminder.day, Reminder.deadline_key)):
            code = reminder.deadline_key.rsplit(":", 1)[-1]
            if reminder.deadline_key.startswith("wait:"):
                code = "wait"
            got[names[reminder.staff_id]].append((reminder.day.isoformat(), code, reminder.kind))
        pushes = session.execute(select(ReminderPush.staff_id, ReminderPush.day)).all()
        outbox = session.scalar(select(func.count()).select_from(OutboxMessage))
    for name in got:
        got[name].sort()
    assert got == {name: sorted(rows) for name, rows in EXPECTED.items()}
    # one message per person per day, and no more outbox rows than messages
    assert len(pushes) == len(set(pushes)) == len({(n, d) for n, rows in EXPECTED.items()
                                                    for d, _, _ in rows})
    assert outbox <= len(pushes)


def test_snooze_moves_the_reminder_to_the_next_office_day(
        engine: Engine, client: FlaskClient, fake_line: FakeLine) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session:
        office = build_office(session)
        plan_reminders(session, at("2027-02-26 08:30"), tz=BANGKOK)  # Friday: 1 office day ahead
        session.commit()
    user = office.users[office.behind.id]
    other = office.users[office.supervisor.id]  # got no reminder that day
    replies = send(client, fake_line, TEST_SECRET, other,
                   postback_event("action=snooze&day=2027-02-26"))
    assert "ไม่พบการแจ้งเตือนนี้ของคุณ" in replies[0]["text"]
    replies = send(client, fake_line, TEST_SECRET, user,
                   postback_event("action=snooze&day=2027-02-26"))
    assert replies[0]["text"] == "รับทราบ จะเตือนอีกครั้งวันที่ 1 มี.ค. 2570"
    replies = send(client, fake_line, TEST_SECRET, user,
                   postback_event("action=snooze&day=2027-02-30"))
    assert "ใช้ไม่ได้" in replies[0]["text"]
    with sessions() as session:
        # Monday 1 March is the deadline day anyway; HR moves it so the snooze is what reminds
        from models import RoundDeadline

        deadline = session.scalars(select(RoundDeadline).where(
            RoundDeadline.round_id == office.round.id, RoundDeadline.code == "progress")).one()
        deadline.due_on = date(2027, 3, 5)
        session.commit()
        result = plan_reminders(session, at("2027-03-01 08:30"), tz=BANGKOK)
        session.commit()
        kinds = {(r.staff_id, r.kind) for r in session.scalars(
            select(Reminder).where(Reminder.day == date(2027, 3, 1)))}
    assert kinds == {(office.behind.id, ReminderKind.SNOOZED)}  # not the diligent: no snooze
    assert result.people == 1
    with sessions() as session:
        from models import AuditEntry

        assert session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(["reminder.snoozed", "postback.refused"]))
            .order_by(AuditEntry.id)).all() == [
            "postback.refused", "reminder.snoozed", "postback.refused"]  # the tampered date too


def test_a_pending_reminder_rides_on_the_next_reply(
        engine: Engine, client: FlaskClient, fake_line: FakeLine) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session:
        office = build_office(session)
        plan_reminders(session, at("2027-02-24 08:30"), tz=BANGKOK)
        session.commit()
    user = office.users[office.behind.id]
    replies = send(client, fake_line, TEST_SECRET, user, text_event("ช่วยเหลือ"))
    assert "อีก 3 วันทำการ" in replies[-1]["text"]
    assert replies[-1]["quickReply"]["items"][0]["action"]["label"] == "เตือนพรุ่งนี้"
    with sessions() as session:
        row = session.scalars(select(OutboxMessage)).one()
        # both officers got the same text in one multicast: the other still gets it by push
        assert row.status == OutboxStatus.PENDING
        assert row.recipients == [office.users[office.diligent.id]] and row.kind == "push"
    replies = send(client, fake_line, TEST_SECRET, user, text_event("ช่วยเหลือ"))
    assert all("วันทำการ" not in r.get("text", "") for r in replies)  # only once


def _worker_env(database_url: str, fake_url: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": TEST_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TEST_TOKEN, "LINE_API_BASE_URL": fake_url,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHAINLP_OFFLINE": "1",
            "PYTHAINLP_READ_ONLY": "1", "HOME": os.environ.get("HOME", "/tmp"),
            "ALLOW_SQLITE_IN_PRODUCTION": "1"}


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "scheduler.worker", "--production", "--idle-seconds", "0.05",
         "--batch", "100", "--threads", "4", "--base-delay", "0.05"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
        engine: Engine, database_url: str, fake_line: FakeLine,
        fake_line_server: tuple[FakeLine, BackgroundServer]) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session:
        keys = {enqueue_push(session, f"U{i:032d}", [text(f"เตือน {i}")]).retry_key
                for i in range(300)}
        session.commit()
    fake_line.faults = Faults(latency=0.02)
    env = _worker_env(database_url, fake_line_server[1].url)
    try:
        worker = _start_worker(env)
        _wait(lambda: len(fake_line.requests) >= 30, 60)
        os.kill(worker.pid, signal.SIGKILL)  # kill -9, mid-batch
        worker.wait(10)
        with sessions() as session:
            pending = set(session.scalars(select(OutboxMessage.retry_key).where(
                OutboxMessage.status == OutboxStatus.PENDING)))
        accepted = {r["retry_key"] for r in fake_line.requests}
        assert pending & accepted  # delivered, but the worker died before it recorded that
        worker = _start_worker(env)

        def all_sent() -> bool:
            with sessions() as session:
                return session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status == OutboxStatus.SENT)) == 300
        _wait(all_sent, 120)
    finally:
        worker.kill()
        worker.wait(10)
        fake_line.faults = None
    counts = Counter(r["retry_key"] for r in fake_line.requests)
    assert set(counts) == keys and set(counts.values()) == {1}
    assert len(fake_line.deliveries) == 300


def test_two_clocks_ticking_at_once_send_nothing_twice(engine: Engine, database_url: str) -> None:
    sessions = make_session_factory(engine)
    from tests.reminder_builders import person

    with sessions() as session:
        office = build_office(session)
        from models import Unit
        from tests.builders import make_agreement

        unit = session.scalars(select(Unit)).first()
        for i in range(40):
            staff, _user = person(session, unit, f"นายเจ้าหน้าที่ ที่{i}", f"X{i:03d}",
                                  office.supervisor)
            make_agreement(session, staff)
        session.commit()
    env = _worker_env(database_url, "http://127.0.0.1:9")
    clocks = [subprocess.Popen([sys.executable, "-m", "scheduler", "--production", "tick",
                                "--at", "2027-02-24T08:30"], cwd=REPO_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
              for _ in range(2)]
    outputs = [clock.communicate(timeout=120) for clock in clocks]
    assert [clock.returncode for clock in clocks] == [0, 0], outputs
    with sessions() as session:
        pushes = session.execute(select(ReminderPush.staff_id, ReminderPush.day)).all()
        recipients = [user for row in session.scalars(select(OutboxMessage))
                      for user in row.recipients]
        reminders = session.scalar(select(func.count()).select_from(Reminder))
    assert len(pushes) == 42 == len(set(pushes))  # 42 officers behind, each once
    assert len(recipients) == 42 == len(set(recipients))
    assert reminders == 42


@pytest.mark.parametrize("moment", ["2027-02-24 07:00", "2027-02-27 09:00"])
def test_tick_outside_office_time_plans_nothing(engine: Engine, moment: str,
                                                settings: Settings) -> None:
    sessions = make_session_factory(engine)
    with sessions() as session:
        build_office(session)
        session.commit()
    tick(sessions, at(moment), settings)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0




def test_a_job_another_clock_holds_is_skipped_on_postgresql(engine: Engine,
                                                           settings: Settings) -> None:
    """On PostgreSQL the clock takes an advisory lock per job; SQLite has none (unique keys and
    its single writer keep a second run harmless, as the two-clock test shows)."""
    from sqlalchemy import text as sql

    from scheduler.__main__ import advisory_key, run_job
    from scheduler.jobs import JOBS

    sessions = make_session_factory(engine)
    with sessions() as session:
        build_office(session)
        session.commit()
    job = next(j for j in JOBS if j.id == "plan-reminders")
    with engine.connect() as other_clock:
        if engine.dialect.name == "postgresql":
            other_clock.execute(sql("SELECT pg_advisory_lock(:k)"), {"k": advisory_key(job.id)})
        result = run_job(sessions, job, at("2027-02-24 08:30"), settings)
        if engine.dialect.name == "postgresql":
            assert result is None  # skipped: the other clock holds it
            other_clock.execute(sql("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key(job.id)})
            result = run_job(sessions, job, at("2027-02-24 08:30"), settings)
        else:
            other_clock.rollback()
    assert result is not None and result.people == 2
