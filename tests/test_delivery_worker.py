"""The delivery worker against the fake LINE API over HTTP: retries, 409, dead letters, quota,
pause, unfollowed people, and faults injected by the fake."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.fake_line import FakeLine, Faults
from bot.line_gateway import LineGateway
from bot.settings import Settings
from handlers.messages import text
from handlers.outbox import enqueue_multicast, enqueue_push
from models import AuditEntry, LineUser, OutboxMessage, OutboxStatus, Role, RoleAssignment, utcnow
from models.db import make_session_factory
from models.reminders import ChannelState
from scheduler.delivery import DeliveryWorker, WorkerConfig
from tests.builders import make_officer
from tests.reminder_builders import at

FAST = WorkerConfig(batch=50, threads=4, base_delay=0.01, max_delay=0.05, max_attempts=60)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def gateway(settings: Settings) -> Iterator[LineGateway]:
    gateway = LineGateway(settings.with_(line_timeout=(1.0, 0.4)))
    yield gateway
    gateway.close()


@pytest.fixture
def worker(sessions: sessionmaker[Session], gateway: LineGateway,
           fake_line: FakeLine) -> Iterator[DeliveryWorker]:
    worker = DeliveryWorker(sessions, gateway, FAST, tz=ZoneInfo("Asia/Bangkok"))
    yield worker
    worker.close()
    fake_line.faults = None
    fake_line.monthly_quota = 500_000


def drain(worker: DeliveryWorker, sessions: sessionmaker[Session], rounds: int = 400) -> None:
    for _ in range(rounds):
        worker.run_once()
        with sessions() as session:
            if not session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status == OutboxStatus.PENDING)):
                return
        time.sleep(0.01)
    raise AssertionError("the outbox did not drain")


def statuses(sessions: sessionmaker[Session]) -> Counter[str]:
    with sessions() as session:
        return Counter(session.scalars(select(OutboxMessage.status)))


def test_every_push_arrives_exactly_once_through_500s_timeouts_and_429_bursts(
        worker: DeliveryWorker, sessions: sessionmaker[Session], fake_line: FakeLine) -> None:
    with sessions() as session:
        keys = {enqueue_push(session, f"U{i:032d}", [text(f"เตือน {i}")]).retry_key
                for i in range(60)}
        session.commit()
    fake_line.faults = Faults(error_rate=0.3, timeout_rate=0.1, timeout_seconds=0.6,
                              burst_every=17, burst_length=4)
    drain(worker, sessions)
    time.sleep(0.7)  # let the last "lost answers" finish on the fake's side
    accepted = Counter(r["retry_key"] for r in fake_line.requests)
    assert set(accepted) == keys and set(accepted.values()) == {1}
    assert len(fake_line.deliveries) == 60
    assert statuses(sessions) == Counter({OutboxStatus.SENT: 60})
    injected = fake_line.faults.injected
    assert injected["500"] > 0 and injected["timeout"] > 0 and injected["429"] > 0


def test_backoff_is_exponential_with_jitter(worker: DeliveryWorker) -> None:
    worker.config = WorkerConfig(base_delay=2.0, max_delay=900.0)
    delays = [worker.backoff(n) for n in range(1, 12)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(900.0, 2.0 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(worker.backoff(3), 6) for _ in range(20)}) > 1  # jitter


def test_409_is_delivered_and_other_4xx_are_dead_with_the_reason(
        worker: DeliveryWorker, sessions: sessionmaker[Session], gateway: LineGateway,
        fake_line: FakeLine) -> None:
    with sessions() as session:
        done = enqueue_push(session, "U" + "1" * 32, [text("x")])
        session.add(OutboxMessage(kind="push", recipients=["U" + "2" * 32],
                                  messages=[{"type": "bogus", "text": "x"}]))
        session.commit()
    gateway.push("U" + "1" * 32, [text("x")], done.retry_key)  # accepted before; the row never knew
    worker.run_once()
    worker.run_once()
    with sessions() as session:
        rows = {row.recipients[0]: row for row in session.scalars(select(OutboxMessage))}
    assert rows["U" + "1" * 32].status == OutboxStatus.SENT
    dead = rows["U" + "2" * 32]
    assert dead.status == OutboxStatus.DEAD and dead.attempts == 1
    assert "LINE API 400" in (dead.last_error or "")
    assert len(fake_line.deliveries) == 1


def test_people_who_unfollowed_are_skipped(worker: DeliveryWorker, sessions: sessionmaker[Session],
                                           fake_line: FakeLine) -> None:
    with sessions() as session:
        gone, here = "U" + "a" * 32, "U" + "b" * 32
        session.add_all([LineUser(user_id=gone, following=False), LineUser(user_id=here)])
        enqueue_push(session, gone, [text("x")])
        enqueue_multicast(session, [gone, here, "U" + "c" * 32], [text("ทุกคน")])
        session.commit()
    worker.run_once()
    assert statuses(sessions) == Counter({OutboxStatus.SKIPPED: 1, OutboxStatus.SENT: 1})
    assert sorted(d.user_id for d in fake_line.deliveries) == [here, "U" + "c" * 32]
    assert fake_line.requests[0]["kind"] == "multicast"


def _hr(session: Session) -> str:
    staff, user_id = make_officer(session, name="นางสาวเอชอาร์ ดูแล", roles=(Role.HR_ADMIN,))
    return user_id


def test_the_monthly_limit_pauses_pushes_and_alerts_hr(
        worker: DeliveryWorker, sessions: sessionmaker[Session], fake_line: FakeLine) -> None:
    fake_line.monthly_quota = 3
    with sessions() as session:
        hr_user = _hr(session)
        for i in range(5):
            enqueue_push(session, f"U{i:032d}", [text(f"เตือน {i}")])
        session.commit()
    worker.run_once()
    assert len(fake_line.deliveries) == 3
    with sessions() as session:
        state = session.get(ChannelState, 1)
        assert state.pushes_paused_until is not None and state.pushes_paused_until > utcnow()
        assert state.pushes_paused_until.astimezone(ZoneInfo("Asia/Bangkok")).day == 1
        alert = session.scalars(select(OutboxMessage).where(
            OutboxMessage.category == "alert")).one()
        assert alert.recipients == [hr_user] and "ครบโควตา" in alert.messages[0]["text"]
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "line.pushes_paused")).first() is not None
        pending = session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING))
    assert pending == 3  # two reminders and the alert wait; nothing was lost or dead
    assert worker.run_once().held
    assert len(fake_line.deliveries) == 3
    fake_line.monthly_quota = 500_000  # HR bought more: the quota check resumes pushes
    worker.check_quota(utcnow(), force=True)
    drain(worker, sessions)
    assert len(fake_line.deliveries) == 6


def test_low_quota_sends_only_urgent_reminders_and_tells_hr(
        worker: DeliveryWorker, sessions: sessionmaker[Session], fake_line: FakeLine) -> None:
    fake_line.monthly_quota, fake_line.usage = 100, 95
    with sessions() as session:
        hr_user = _hr(session)
        later = enqueue_push(session, "U" + "1" * 32, [text("อีก 3 วันทำการ")])
        later.category, later.expires_at = "reminder", utcnow() + timedelta(hours=1)
        today = enqueue_push(session, "U" + "2" * 32, [text("ครบกำหนดวันนี้")])
        today.category = "urgent"
        session.commit()
    office_hours = at("2027-02-24 10:00")
    worker.run_once(at("2027-02-24 19:00"))
    # the alert to HR goes at any hour; reminders wait for office hours
    assert [d.user_id for d in fake_line.deliveries] == [hr_user]
    worker.run_once(office_hours)
    users = sorted(d.user_id for d in fake_line.deliveries)
    assert users == sorted(["U" + "2" * 32, hr_user])
    assert "เหลือน้อยกว่า 10%" in fake_line.messages_for(hr_user)[0].message["text"]
    with sessions() as session:
        assert session.get(ChannelState, 1).low_quota
    worker.run_once(office_hours + timedelta(days=400))  # its day is long over
    assert statuses(sessions)[OutboxStatus.EXPIRED] == 1
    assert len(fake_line.deliveries) == 2


def test_hr_alerts_without_any_hr_account_are_still_logged_and_audited(
        worker: DeliveryWorker, sessions: sessionmaker[Session], fake_line: FakeLine,
        caplog: pytest.LogCaptureFixture) -> None:
    fake_line.monthly_quota, fake_line.usage = 100, 99
    worker.check_quota(utcnow(), force=True)
    assert "HR alerted (0 LINE account(s))" in caplog.text
    with sessions() as session:
        assert session.scalars(select(AuditEntry.action)).all() == ["line.quota_low",
                                                                     "line.hr_alerted"]
        assert session.scalars(select(RoleAssignment)).all() == []


def test_while_paused_the_alert_reaches_hr_with_their_next_reply(
        app: object, worker: DeliveryWorker, sessions: sessionmaker[Session],
        fake_line: FakeLine) -> None:
    from tests.builders import send, text_event
    from tests.conftest import TEST_SECRET

    fake_line.monthly_quota = 0
    with sessions() as session:
        hr_user = _hr(session)
        enqueue_push(session, "U" + "1" * 32, [text("เตือน")])
        session.commit()
    worker.run_once()
    assert not fake_line.deliveries  # nothing can be pushed
    replies = send(app.test_client(), fake_line, TEST_SECRET, hr_user,  # type: ignore[attr-defined]  # the fixture's fake
                   text_event("ช่วยเหลือ"))
    assert "ครบโควตาประจำเดือน" in replies[-1]["text"]
    with sessions() as session:
        alert = session.scalars(select(OutboxMessage)
                                .where(OutboxMessage.category == "alert")).one()
        assert alert.status == OutboxStatus.REPLIED
    again = send(app.test_client(), fake_line, TEST_SECRET, hr_user,  # type: ignore[attr-defined]  # the fixture's fake
                 text_event("ช่วยเหลือ"))
    assert all("โควตา" not in r.get("text", "") for r in again)


def test_a_reminder_not_sent_by_the_end_of_its_next_office_window_expires(
        worker: DeliveryWorker, sessions: sessionmaker[Session], fake_line: FakeLine) -> None:
    with sessions() as session:
        stale = enqueue_push(session, "U" + "1" * 32, [text("ครบกำหนดวันนี้")])
        stale.category, stale.expires_at = "urgent", at("2027-02-25 18:00")
        fresh = enqueue_push(session, "U" + "2" * 32, [text("ครบกำหนดวันนี้")])
        fresh.category, fresh.expires_at = "urgent", at("2027-03-02 18:00")
        session.commit()
    worker.run_once(at("2027-03-01 09:00"))
    assert [d.user_id for d in fake_line.deliveries] == ["U" + "2" * 32]
    assert statuses(sessions) == Counter({OutboxStatus.SENT: 1, OutboxStatus.EXPIRED: 1})


def test_announcements_wait_for_office_hours_and_for_quota(
        worker: DeliveryWorker, sessions: sessionmaker[Session], fake_line: FakeLine) -> None:
    from handlers.outbox import ANNOUNCEMENT

    with sessions() as session:
        enqueue_multicast(session, ["U" + "1" * 32, "U" + "2" * 32], [text("ประกาศ")],
                          ANNOUNCEMENT)
        session.commit()
    worker.run_once(at("2027-02-24 19:00"))  # a Wednesday evening
    worker.run_once(at("2027-02-27 10:00"))  # a Saturday
    assert not fake_line.deliveries
    fake_line.monthly_quota, fake_line.usage = 100, 95
    worker.check_quota(at("2027-03-01 09:00"), force=True)
    worker.run_once(at("2027-03-01 09:00"))  # Monday, but under 10% of the quota is left
    assert not [d for d in fake_line.deliveries if d.kind == "multicast"]
    assert statuses(sessions)[OutboxStatus.PENDING] == 1
    fake_line.monthly_quota, fake_line.usage = 100_000, 95
    worker.check_quota(at("2027-03-01 09:05"), force=True)
    worker.run_once(at("2027-03-01 09:05"))
    assert sorted(d.user_id for d in fake_line.deliveries if d.kind == "multicast") == [
        "U" + "1" * 32, "U" + "2" * 32]


def test_one_persons_pushes_arrive_in_the_order_they_were_written(
        worker: DeliveryWorker, sessions: sessionmaker[Session], fake_line: FakeLine) -> None:
    """The worker sends rows in parallel, but never one person's messages out of order."""
    fake_line.faults = Faults(latency=0.005)  # requests overlap, as they do at speed
    with sessions() as session:
        for person in range(4):
            for step in range(6):
                enqueue_push(session, f"U{person:032d}", [text(f"ขั้นที่ {step}")])
        session.commit()
    worker.run_once(at("2027-02-24 10:00"))
    for person in range(4):
        got = [d.message["text"] for d in fake_line.messages_for(f"U{person:032d}")]
        assert got == [f"ขั้นที่ {step}" for step in range(6)]
