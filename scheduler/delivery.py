"""The delivery worker: drains the outbox reliably and within LINE's quota.

- Rows are claimed with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of
  workers on any number of machines share the work; each row is sent with its stored
  `X-Line-Retry-Key`, so a retry after a crash or a lost answer is answered 409 (= delivered).
- 5xx and time-outs: retried with exponential back-off and jitter (`next_attempt_at`); a 429
  rate limit backs off the same way; a 429 "monthly limit" pauses every push until the next
  month (or until the quota API shows room again) and alerts HR; any other 4xx is dead-lettered
  with LINE's reason.
- People who unfollowed are skipped (a multicast drops them before its first try).
- The channel's quota and consumption are read from the API every minute; with less than the
  policy's share left (10%), only urgent rows (deadline-day and overdue reminders, alerts) go
  out, the rest wait (they may still ride on a reply), and HR is told.
- Reminders, HR's announcements and forms go out only within office hours, and wait while
  the quota is low; one not sent by the end of the next office window
  expires (the planner writes a fresh one each day while its item is open). Nothing fails
  silently: every state change is logged and audited.
"""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.line_gateway import LineApiError, LineGateway
from handlers import messages as m
from handlers.messages import MessageLimitError
from handlers.outbox import ANNOUNCEMENT, NOTICE, enqueue_multicast, forget_secret, take_off
from models import (
    Agency,
    LineUser,
    OutboxMessage,
    OutboxStatus,
    Role,
    RoleAssignment,
    audit,
    utcnow,
)
from models.db import session_scope
from models.reminders import ChannelState, channel_state, load_policy, office_window

log = logging.getLogger("worker")
MONTHLY_LIMIT = "monthly limit"
REMINDER_CATEGORIES = ("reminder", "urgent")  # "alert" (to HR) and "" go at any hour
OFFICE_HOURS_ONLY = (*REMINDER_CATEGORIES, ANNOUNCEMENT)
HELD_WHEN_LOW = ("reminder", ANNOUNCEMENT)  # on a low quota only urgent rows and alerts go


@dataclass
class WorkerConfig:
    batch: int = 200
    threads: int = 8  # requests in flight at once (LINE allows 2,000 pushes per second)
    base_delay: float = 2.0  # seconds before the first retry; doubles each time
    max_delay: float = 900.0
    max_attempts: int = 15  # 5xx/time-outs over about two hours, then dead with the reason
    quota_every: float = 60.0  # seconds between quota checks


@dataclass
class BatchResult:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    skipped: int = 0
    held: bool = False  # pushes are paused
    errors: list[str] = field(default_factory=list)


class DeliveryWorker:
    def __init__(self, sessions: sessionmaker[Session], gateway: LineGateway,
                 config: WorkerConfig | None = None,
                 clock: Callable[[], datetime] = utcnow, rng: random.Random | None = None, *,
                 tz: tzinfo) -> None:
        """`tz` is the app's time zone (settings): office hours, office days, the month."""
        self.sessions, self.gateway, self.tz = sessions, gateway, tz
        self.config = config or WorkerConfig()
        self.clock = clock
        self.rng = rng or random.Random()
        self._pool = ThreadPoolExecutor(self.config.threads, thread_name_prefix="push")
        self._quota_checked: datetime | None = None

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    # --- one pass ------------------------------------------------------------------------------

    def run_once(self, now: datetime | None = None) -> BatchResult:
        """Send one batch of due rows; returns what happened. `now` (default: the clock) is
        what office hours are judged by: the simulator passes the moment it ticked to."""
        now = now or self.clock()
        result = BatchResult()
        self.check_quota(now)
        with session_scope(self.sessions) as session:
            state = channel_state(session)
            if state.pushes_paused_until is not None:
                if state.pushes_paused_until > now:
                    session.commit()
                    result.held = True
                    return result
                log.warning("pushes resume: the pause until %s is over", state.pushes_paused_until)
                state.pushes_paused_until, state.pause_reason = None, ""
            low = state.low_quota
            self._expire_stale(session, now)
            rows = self._claim(session, now, low, office_window(session, now, self.tz))
            if not rows:
                session.commit()
                return result
            unfollowed = self._unfollowed(session, rows)
            to_send = []
            for row in rows:
                if row.attempts == 0 and unfollowed.intersection(row.recipients):
                    take_off(row, unfollowed, OutboxStatus.SKIPPED, "unfollowed")
                if not row.recipients:
                    row.status, row.last_error = OutboxStatus.SKIPPED, "unfollowed"
                    result.skipped += 1
                    continue
                row.attempts += 1
                to_send.append(row)
            # Rows run in parallel, but one person's pushes go one after the other, in the
            # order they were written ("your mentor certified", then "confirmed").
            chains: dict[str, list[int]] = {}
            for index, row in enumerate(to_send):
                key = row.recipients[0] if row.kind == "push" else f"multicast:{row.id}"
                chains.setdefault(key, []).append(index)
            jobs = [(row.kind, list(row.recipients), list(row.messages), row.retry_key)
                    for row in to_send]
            outcomes: list[Exception | None] = [None] * len(to_send)
            for chain, errors in zip(chains.values(), self._pool.map(
                    lambda chain: [self._send(jobs[i]) for i in chain], chains.values()),
                    strict=True):
                for index, error in zip(chain, errors, strict=True):
                    outcomes[index] = error
            for row, error in zip(to_send, outcomes, strict=True):
                self._settle(session, state, row, error, now, result)
            session.commit()
        return result

    def _claim(self, session: Session, now: datetime, low: bool,
               in_office_hours: bool) -> list[OutboxMessage]:
        query = (select(OutboxMessage)
                 .where(OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.category != NOTICE,  # held: a reply or the day's push
                        or_(OutboxMessage.next_attempt_at.is_(None),
                            OutboxMessage.next_attempt_at <= now))
                 .order_by(OutboxMessage.id).limit(self.config.batch))
        if low:
            query = query.where(OutboxMessage.category.not_in(HELD_WHEN_LOW))
        if not in_office_hours:  # reminders and announcements wait for the next office window
            query = query.where(OutboxMessage.category.not_in(OFFICE_HOURS_ONLY))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return list(session.scalars(query))

    def _send(self, job: tuple[str, list[str], list[dict[str, Any]], str]) -> Exception | None:
        kind, recipients, messages, retry_key = job
        try:
            if kind == "multicast":
                self.gateway.multicast(recipients, messages, retry_key)
            else:
                self.gateway.push(recipients[0], messages, retry_key)
        except (LineApiError, MessageLimitError) as exc:
            return exc
        return None

    def _settle(self, session: Session, state: ChannelState, row: OutboxMessage,
                error: Exception | None, now: datetime, result: BatchResult) -> None:
        if error is None or (isinstance(error, LineApiError) and error.already_accepted):
            row.status, row.sent_at, row.next_attempt_at = OutboxStatus.SENT, utcnow(), None
            forget_secret(row)
            result.sent += 1
            return
        reason = str(error)[:2000]
        row.last_error = reason
        if isinstance(error, LineApiError) and error.status == 429 and \
                MONTHLY_LIMIT in error.message.lower():
            row.attempts -= 1  # not the row's fault; it goes when pushes resume
            if state.pushes_paused_until is None or state.pushes_paused_until <= now:
                self._pause(session, state, now, reason)
            result.held = True
            return
        if isinstance(error, LineApiError) and (error.status == 429 or error.retryable):
            if error.status != 429 and row.attempts >= self.config.max_attempts:
                row.status = OutboxStatus.DEAD
                forget_secret(row)
                result.dead += 1
                log.error("outbox %s dead after %d attempts: %s", row.id, row.attempts, reason)
                return
            row.next_attempt_at = now + timedelta(seconds=self.backoff(row.attempts))
            result.retried += 1
            log.warning("outbox %s: %s; retry at %s", row.id, reason, row.next_attempt_at)
            return
        row.status = OutboxStatus.DEAD  # a 4xx LINE will never accept, or our own limits
        forget_secret(row)
        result.dead += 1
        log.error("outbox %s dead: %s", row.id, reason)

    def backoff(self, attempts: int) -> float:
        """Exponential back-off with jitter: half to all of base·2^(attempts-1), capped."""
        ceiling = min(self.config.max_delay, self.config.base_delay * 2 ** max(0, attempts - 1))
        return ceiling * (0.5 + 0.5 * self.rng.random())

    def _unfollowed(self, session: Session, rows: list[OutboxMessage]) -> set[str]:
        users = {user for row in rows if row.attempts == 0 for user in row.recipients}
        if not users:
            return set()
        return set(session.scalars(select(LineUser.user_id).where(
            LineUser.user_id.in_(users), LineUser.following.is_(False))))

    def _expire_stale(self, session: Session, now: datetime) -> None:
        """Reminders not sent by the end of the next office window (held by a low quota, a
        pause or an outage) are dropped: the planner writes a fresh one each day while the item
        is still open, so nobody gets last week's reminder."""
        expired = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.category.in_(REMINDER_CATEGORIES),
                   OutboxMessage.expires_at < now)
            .values(status=OutboxStatus.EXPIRED,
                    last_error="not sent before the end of its office window"))
        count = getattr(expired, "rowcount", 0)
        if count:
            log.warning("%d reminder(s) expired unsent (low quota, pause or outage)", count)

    # --- quota and pause -----------------------------------------------------------------------

    def check_quota(self, now: datetime, *, force: bool = False) -> None:
        """Read the channel's quota and consumption (at most once per `quota_every`)."""
        if not force and self._quota_checked is not None and \
                (now - self._quota_checked).total_seconds() < self.config.quota_every:
            return
        self._quota_checked = now
        try:
            limit, used = self.gateway.quota()
        except LineApiError as exc:
            log.warning("could not read the LINE quota: %s", exc)
            return
        with session_scope(self.sessions) as session:
            state = channel_state(session)
            state.quota_limit, state.quota_used, state.quota_checked_at = limit, used, now
            share = low_quota_share(session)
            low = limit is not None and (limit - used) < limit * share / 100
            if low != state.low_quota:
                state.low_quota = low
                audit(session, "line.quota_low" if low else "line.quota_ok",
                      subject="line:quota", limit=limit, used=used)
                log.warning("LINE quota %s: %s of %s used", "low" if low else "ok", used, limit)
                if low:
                    self._alert_hr(session, state, now,
                                   f"โควตาข้อความ push ของ LINE เหลือน้อยกว่า {share}% "
                                   f"(ใช้ไปแล้ว {used:,} จาก {limit:,}) ระบบจะส่งเฉพาะการเตือนวันครบ"
                                   "กำหนดและเลยกำหนดจนกว่าจะขึ้นเดือนใหม่หรือเพิ่มโควตา", force=True)
            if state.pushes_paused_until is not None and state.pushes_paused_until > now \
                    and not low:  # HR bought more messages, or a new month began
                log.warning("the quota API shows room again (%s of %s used); pushes resume",
                            used, limit)
                audit(session, "line.pushes_resumed", subject="line:quota", limit=limit, used=used)
                state.pushes_paused_until, state.pause_reason = None, ""
            session.commit()

    def _pause(self, session: Session, state: ChannelState, now: datetime, reason: str) -> None:
        local = now.astimezone(self.tz)
        first_of_next = (local.replace(day=28) + timedelta(days=4)).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0)
        state.pushes_paused_until, state.pause_reason = first_of_next, f"429 {reason}"
        audit(session, "line.pushes_paused", subject="line:quota",
              until=first_of_next.isoformat(), reason=reason)
        log.error("LINE monthly limit reached: pushes paused until %s", first_of_next.isoformat())
        self._alert_hr(session, state, now,
                       "ส่งข้อความ push ของ LINE ครบโควตาประจำเดือนแล้ว ระบบหยุดส่ง push ไว้ถึง "
                       f"{first_of_next:%d/%m}/{first_of_next.year + 543} การเตือนจะส่งไปกับ"
                       "ข้อความตอบกลับเมื่อผู้ใช้ทักมา", force=True)

    def _alert_hr(self, session: Session, state: ChannelState, now: datetime, message: str,
                  *, force: bool = False) -> None:
        today = now.astimezone(self.tz).date()
        if state.hr_alerted_on == today and not force:
            return
        state.hr_alerted_on = today
        hr = hr_line_users(session)
        if hr:
            for row in enqueue_multicast(session, hr, [m.text("⚠️ " + message)]):
                row.category = "alert"
        audit(session, "line.hr_alerted", subject="line:quota", message=message,
              recipients=len(hr))
        log.error("HR alerted (%d LINE account(s)): %s", len(hr), message)




def hr_line_users(session: Session) -> list[str]:
    return list(session.scalars(
        select(LineUser.user_id).join(RoleAssignment, RoleAssignment.staff_id == LineUser.staff_id)
        .where(RoleAssignment.role == Role.HR_ADMIN, LineUser.following.is_(True))
        .distinct().order_by(LineUser.user_id)))


def low_quota_share(session: Session) -> int:
    """The smallest low-quota share any agency set (one channel serves them all)."""
    agencies = list(session.scalars(select(Agency.id)))
    return min((load_policy(session, a).low_quota_percent for a in agencies), default=10)
