"""Decisions a tap can make are made exactly once, however many taps arrive together.

Taps are released together by a thread barrier, through the real webhook over HTTP (each request
its own session, as in production), on SQLite and on PostgreSQL. The data they act on is
committed first, since each request sees only committed rows.
"""
from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from handlers import texts
from models import ChangeStatus, KpiChangeRequest, OutboxMessage
from models.kpi import AlreadyDecided, decide_kpi_change, request_kpi_change
from tests.builders import make_agreement, make_officer, postback_event
from tests.races import audit_count, committed, release_together, texts_of


def tap_together(server: BackgroundServer, fake: FakeLine,
                 taps: list[tuple[str, str]]) -> list[list[dict[str, Any]]]:
    """Post one signed postback per (user_id, data), all released at once; the replies of each."""
    return release_together(server, fake, [(user_id, postback_event(data))
                                           for user_id, data in taps])


def outbox_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


# --- KPI change requests ----------------------------------------------------------------------

def _change_request(session: Session) -> tuple[int, str, int]:
    boss, boss_user = make_officer(session, name="นายวิชัย ศรีสุข")
    officer, _officer_user = make_officer(session, name="นายสมชาย ตั้งใจ", unit=boss.unit)
    officer.supervisor_id = boss.id
    agreement = make_agreement(session, officer)
    request = request_kpi_change(session, agreement.kpis[0], {"target": "90"},
                                 requested_by_id=officer.id, reason="งานเพิ่มขึ้น")
    return request.id, boss_user, boss.id


def test_approve_and_reject_tapped_together_decide_once(served_app: BackgroundServer,
                                                        engine: Engine,
                                                        fake_line: FakeLine) -> None:
    request_id, boss_user, _boss_id = committed(engine, _change_request)
    taps = [(boss_user, f"action=kpichange&id={request_id}&do={'approve' if i % 2 else 'reject'}")
            for i in range(8)]
    replies = [texts_of(r) for r in tap_together(served_app, fake_line, taps)]
    assert sum("บันทึกแล้ว" in r for r in replies) == 1
    assert sum(texts.ALREADY_DECIDED in r for r in replies) == 7
    with Session(engine) as session:
        request = session.get(KpiChangeRequest, request_id)
        assert request is not None
        # the KPI changed exactly when the request says approved
        assert (request.kpi.target == Decimal(90)) == (request.status == ChangeStatus.APPROVED)
    decided = (audit_count(engine, "kpi.change_approved")
               + audit_count(engine, "kpi.change_rejected"))
    assert decided == 1
    assert outbox_count(engine) == 1  # one push to the officer, not one per tap


def test_the_model_decides_once_across_sessions(engine: Engine) -> None:
    """Console, CLI or chat alike: two sessions deciding at once, one wins, one changes nothing."""
    request_id, _boss_user, boss_id = committed(engine, _change_request)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(approve: bool) -> None:
        with Session(engine, expire_on_commit=False) as session:
            request = session.get(KpiChangeRequest, request_id)
            assert request is not None
            _ = request.kpi.agreement.kpis  # everything read before either writes
            barrier.wait()
            try:
                decide_kpi_change(session, request, approve=approve, decided_by_id=boss_id,
                                  at=request.created_at)
            except AlreadyDecided:
                session.commit()  # committing the loser's session changes nothing
                outcomes.append("refused")
                return
            session.commit()
            outcomes.append("approved" if approve else "rejected")

    threads = [threading.Thread(target=decide, args=(approve,)) for approve in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("refused") == 1
    winner = next(outcome for outcome in outcomes if outcome != "refused")
    with Session(engine) as session:
        request = session.get(KpiChangeRequest, request_id)
        assert request is not None
        assert request.status == winner
        assert (request.kpi.target == Decimal(90)) == (request.status == ChangeStatus.APPROVED)


# --- announcement acknowledgements ------------------------------------------------------------

def _announcement(session: Session) -> tuple[int, str]:
    from models import Announcement, AnnouncementRecipient, utcnow

    hr, _hr_user = make_officer(session, name="นางสาวพิมพ์ ใจดี")
    officer, officer_user = make_officer(session, unit=hr.unit)
    announcement = Announcement(agency_id=hr.agency_id, author_id=hr.id, body="ประชุมวันศุกร์",
                                audience="all", status="sent", scheduled_for=utcnow(),
                                sent_at=utcnow(), recipient_count=1)
    session.add(announcement)
    session.flush()
    session.add(AnnouncementRecipient(announcement_id=announcement.id, staff_id=officer.id,
                                      line_user_id=officer_user))
    return announcement.id, officer_user


def test_a_double_tap_on_acknowledge_is_recorded_once(served_app: BackgroundServer,
                                                      engine: Engine, fake_line: FakeLine) -> None:
    announcement_id, officer_user = committed(engine, _announcement)
    tap_together(served_app, fake_line, [(officer_user, f"action=ack&a={announcement_id}")] * 6)
    assert audit_count(engine, "announcement.acknowledged") == 1
