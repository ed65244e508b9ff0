"""Link codes guessed from many LINE accounts: HR is alerted once per burst, and past a global
limit nobody may try a code for a while (each account's own lockout is kept)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEntry, LineUser, OutboxMessage, Role
from models.linking import (
    BURST_ACCOUNTS,
    GLOBAL_MAX_FAILURES,
    GLOBAL_WINDOW,
    MAX_FAILED_ATTEMPTS,
    issue_code,
)
from tests.builders import make_officer
from tests.chat import Chat

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=7)))


def say(session: Session, user_id: str, text: str, at: datetime = NOW) -> str:
    """What the bot answers (as searchable text), through the shared chat harness at `at`."""
    return json.dumps(Chat(session, at).say(user_id, text), ensure_ascii=False)


def guess(session: Session, accounts: int, at: datetime = NOW) -> None:
    """Each new LINE account tries one wrong code (fewer than its own lockout allows)."""
    for _ in range(accounts):
        user_id = "U" + uuid.uuid4().hex
        say(session, user_id, "ZZZZZZZZ", at)


def alerts_to(session: Session, user_id: str) -> list[str]:
    return [json.dumps(row.messages, ensure_ascii=False)
            for row in session.scalars(select(OutboxMessage)) if user_id in row.recipients]


def test_a_burst_across_many_accounts_alerts_hr_once(session: Session) -> None:
    _hr, hr_user = make_officer(session, roles=(Role.HR_ADMIN,))
    guess(session, BURST_ACCOUNTS - 1)
    assert alerts_to(session, hr_user) == []  # a few people mistyping is not a burst
    guess(session, 1)
    alerts = alerts_to(session, hr_user)
    assert len(alerts) == 1 and f"{BURST_ACCOUNTS} บัญชี" in alerts[0]
    guess(session, 5)
    assert len(alerts_to(session, hr_user)) == 1  # once per window
    guess(session, BURST_ACCOUNTS, NOW + GLOBAL_WINDOW + timedelta(minutes=1))
    assert len(alerts_to(session, hr_user)) == 2  # a new burst later is news again


def test_past_the_global_limit_even_a_right_code_waits(session: Session) -> None:
    officer, _ = make_officer(session, linked=False)
    code = issue_code(session, officer, NOW)
    guess(session, GLOBAL_MAX_FAILURES)
    newcomer = "U" + uuid.uuid4().hex
    answer = say(session, newcomer, code)
    assert "พักการเชื่อมบัญชีชั่วคราว" in answer
    assert session.scalar(select(LineUser.staff_id).where(LineUser.user_id == newcomer)) is None
    failed = session.scalar(select(func.count()).select_from(AuditEntry)
                            .where(AuditEntry.action == "link.failed"))
    assert failed == GLOBAL_MAX_FAILURES  # the refused try is not counted against anyone
    # once the window has slid on, the right code works
    later = NOW + GLOBAL_WINDOW + timedelta(minutes=1)
    assert "ใช่" in say(session, newcomer, code, later)
    say(session, newcomer, "ใช่", later)
    assert session.scalar(select(LineUser.staff_id).where(
        LineUser.user_id == newcomer)) == officer.id


def test_each_accounts_own_lockout_is_kept(session: Session) -> None:
    user_id = "U" + uuid.uuid4().hex
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        say(session, user_id, "ZZZZZZZZ")
    assert "พิมพ์รหัสผิดหลายครั้ง" in say(session, user_id, "ZZZZZZZZ")
