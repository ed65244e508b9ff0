"""What a reminder says, the snooze button ("เตือนพรุ่งนี้"), and the pending reminder that rides
on a reply instead of costing a push."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from handlers import menus, texts
from handlers import messages as m
from handlers.context import Context
from handlers.day_push import HELD_FOR, free_riders, held_for
from handlers.flow import Flow
from handlers.outbox import take_off
from handlers.postbacks import OpenForm, ReportKpi, Snooze, encode
from handlers.round_due import WAIT_PREFIX
from models import (
    Kpi,
    KpiAgreement,
    LineUser,
    OutboxMessage,
    OutboxStatus,
    ProgressReport,
    ReportStatus,
    Staff,
    audit,
)
from models.calendar import OfficeCalendar
from models.reminders import (
    ChannelState,
    PushStatus,
    Reminder,
    ReminderKind,
    ReminderPush,
    ReminderSnooze,
)
from thai import format_date

SNOOZE_LABEL = "เตือนพรุ่งนี้"


@dataclass(frozen=True)
class Item:
    """One line of a person's reminder of the day."""

    key: str
    title: str
    due: date
    kind: str
    office_days: int = 0  # ahead (before) or late (overdue)
    names: tuple[str, ...] = ()  # the digest: who is overdue


def item_line(item: Item) -> str:
    when = format_date(item.due)
    if item.kind == ReminderKind.BEFORE:
        return f"• {item.title} ภายใน {when} (อีก {item.office_days} วันทำการ)"
    if item.kind == ReminderKind.DUE_DAY:
        return f"• {item.title} ครบกำหนดวันนี้ ({when})"
    if item.kind == ReminderKind.OVERDUE:
        return f"• {item.title} เลยกำหนด {when} มาแล้ว {item.office_days} วันทำการ"
    if item.kind == ReminderKind.DIGEST:
        shown = ", ".join(item.names[:20]) + (f" และอีก {len(item.names) - 20} คน"
                                              if len(item.names) > 20 else "")
        return f"• เลยกำหนดแล้วยังไม่เสร็จ: {item.title} (กำหนด {when}) {len(item.names)} คน: {shown}"
    return f"• {item.title} กำหนด {when} (เตือนตามที่ขอเลื่อนไว้)"


MAX_KPI_STEPS = 5  # "รายงานข้อ N ตอนนี้" buttons at most (the rest through the menu)


def next_steps(items: Sequence[Item], missing_kpis: Sequence[int] = ()) -> list[m.Action]:
    """The one-tap next step for each kind of item: a progress reminder offers "รายงานข้อ N
    ตอนนี้" for each KPI still missing, a confirmer's reminder รออนุมัติ, a form reminder
    its form."""
    steps: list[m.Action] = []
    keys = [item.key for item in items]
    if any(k.startswith("round:") and k.endswith(":progress") for k in keys):
        steps += [m.postback_action(f"รายงานข้อ {n} ตอนนี้", encode(ReportKpi(n)),
                                    f"รายงานข้อ {n}") for n in list(missing_kpis)[:MAX_KPI_STEPS]]
        if not missing_kpis:
            steps.append(m.message_action("รายงานความก้าวหน้า"))
    if any(k.startswith(WAIT_PREFIX) or k.endswith(":confirmation") for k in keys):
        steps.append(m.message_action("รออนุมัติ"))
    for key in keys:
        if key.startswith("form:") and key[5:].isdigit():
            steps.append(m.postback_action("กรอกแบบฟอร์ม", encode(OpenForm(int(key[5:]))),
                                           "กรอกแบบฟอร์ม"))
            break
    return steps


def reminder_message(day: date, items: Sequence[Item],
                     missing_kpis: Sequence[int] = ()) -> m.Message:
    """One message with every item of the day, its next steps as one tap, and the snooze."""
    lines = "\n".join(item_line(item) for item in items)
    body = m.shorten(f"🔔 แจ้งเตือนกำหนดส่ง\n{lines}")
    steps = next_steps(items, missing_kpis)
    return m.text(body, [
        m.postback_action(SNOOZE_LABEL, encode(Snooze(day)), SNOOZE_LABEL),
        *steps,
        m.message_action("กำหนดส่ง"),
        *([] if steps else [m.message_action("รายงานความก้าวหน้า")]),
    ])


def missing_kpis(session: Session, staff_ids: Sequence[int],
                 round_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each officer, the numbers of their KPIs in these rounds with no open or confirmed
    report yet (one query)."""
    if not staff_ids or not round_ids:
        return {}
    reported = select(ProgressReport.kpi_id).where(
        ProgressReport.kpi_id.is_not(None),
        ProgressReport.status.in_([ReportStatus.PENDING, ReportStatus.CONFIRMED]))
    found: dict[int, list[int]] = {}
    for officer_id, number in session.execute(
            select(KpiAgreement.officer_id, Kpi.number)
            .join(Kpi, Kpi.agreement_id == KpiAgreement.id)
            .where(KpiAgreement.officer_id.in_(staff_ids), KpiAgreement.round_id.in_(round_ids),
                   Kpi.id.not_in(reported))
            .order_by(KpiAgreement.officer_id, Kpi.number)):
        found.setdefault(officer_id, []).append(number)
    return found


# --- snooze -----------------------------------------------------------------------------------

def snooze(ctx: Context, tap: Snooze) -> list[m.Message]:
    """Postpone this person's reminder of `day` to the next office day (idempotent, audited)."""
    assert ctx.staff is not None
    day = tap.day
    push = ctx.session.scalars(select(ReminderPush).where(
        ReminderPush.staff_id == ctx.staff.id, ReminderPush.day == day)
        .with_for_update()).first()  # taps at once: the first snoozes, the others find it done
    if push is None:  # not this person's reminder, or tampered data
        audit(ctx.session, "postback.refused", actor_line_user_id=ctx.line_user.user_id,
              actor_staff_id=ctx.staff.id, data=f"snooze:{day.isoformat()}")
        return [m.text(texts.SNOOZE_NOT_FOUND, ctx.menu)]
    calendar = OfficeCalendar.load(ctx.session, ctx.staff.agency_id)
    until = calendar.next_office_day(day)
    if until < ctx.now.date():
        return [m.text(texts.SNOOZE_PAST, ctx.menu)]
    keys = sorted(set(ctx.session.scalars(select(Reminder.deadline_key).where(
        Reminder.push_id == push.id))))
    snoozed = set(ctx.session.scalars(select(ReminderSnooze.deadline_key).where(
        ReminderSnooze.staff_id == ctx.staff.id, ReminderSnooze.until == until,
        ReminderSnooze.deadline_key.in_(keys))))
    if keys and snoozed >= set(keys):  # snoozed already: answered again, decided once
        return [m.text(texts.SNOOZED.format(day=format_date(until)), ctx.menu)]
    insert = pg_insert if ctx.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"staff_id": ctx.staff.id, "deadline_key": key, "snoozed_on": day, "until": until}
            for key in keys if key not in snoozed]
    if rows:
        ctx.session.execute(insert(ReminderSnooze).on_conflict_do_nothing(), rows)
    audit(ctx.session, "reminder.snoozed", actor_staff_id=ctx.staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"reminder_push:{push.id}",
          day=day.isoformat(), until=until.isoformat(), keys=keys)
    return [m.text(texts.SNOOZED.format(day=format_date(until)), ctx.menu)]


# --- riding on a reply ------------------------------------------------------------------------

# The person's day push still waiting in the outbox (built once; PostgreSQL locks its row).
_WAITING_WHERE = (ReminderPush.user_id == bindparam("user_id"),
                  ReminderPush.status == PushStatus.QUEUED,
                  OutboxMessage.id == ReminderPush.outbox_id,
                  OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.attempts == 0)
_WAITING_PUSH = (select(ReminderPush, OutboxMessage).where(*_WAITING_WHERE)
                 .order_by(ReminderPush.day.desc()).limit(1))
_WAITING_PUSH_LOCKED = _WAITING_PUSH.with_for_update(of=OutboxMessage, skip_locked=True)
# Whether anything waits to ride along (a day push, held notices): one statement, as a reply
# usually finds neither.
_ANYTHING_WAITING = select(exists().where(*_WAITING_WHERE), HELD_FOR)


def ride_along(session: Session, user_id: str, replies: list[dict[str, Any]],
               now: datetime | None = None) -> list[dict[str, Any]]:
    """The replies, plus this person's day push that is still waiting in the outbox (not tried
    yet): it goes free with the reply, and its push is taken out of the outbox. With no day
    push waiting, the person's held notices and (a confirmer) the digest of reports not shown
    yet go along instead (handlers/day_push.py). `now` is the app's, in its time zone."""
    if not replies or len(replies) >= m.MAX_MESSAGES:
        return replies
    line_user = session.get(LineUser, user_id)  # the router's, held by the session: no query
    staff = session.get(Staff, line_user.staff_id) if line_user and line_user.staff_id else None
    alert = _paused_alert(session, user_id, staff)
    if alert is not None:
        replies = [*replies, alert]
        if len(replies) >= m.MAX_MESSAGES:
            return replies
    push_waiting, notices_waiting = session.execute(
        _ANYTHING_WAITING, {"user_id": user_id, **held_for(user_id)}).one()
    found = None
    if push_waiting:
        query = (_WAITING_PUSH_LOCKED if session.get_bind().dialect.name == "postgresql"
                 else _WAITING_PUSH)
        found = session.execute(query, {"user_id": user_id}).first()
    room = m.MAX_MESSAGES - len(replies)
    if found is None or len(found[1].messages) > room:
        if now is None:
            return replies
        extra = free_riders(session, user_id, staff, room if found is None else 0, now,
                            now.date(), notices=bool(notices_waiting))
        if extra:
            audit(session, "notices.replied", actor_line_user_id=user_id,
                  actor_staff_id=staff.id if staff else None, messages=len(extra))
        return [*replies, *extra]
    push, row = found
    push.status = PushStatus.REPLIED
    take_off(row, {user_id}, OutboxStatus.REPLIED)  # a multicast: the others still get it
    audit(session, "reminder.replied", actor_line_user_id=user_id, actor_staff_id=push.staff_id,
          subject=f"reminder_push:{push.id}", day=push.day.isoformat())
    return [*replies, *(dict(message) for message in row.messages)]


def _paused_alert(session: Session, user_id: str, staff: Staff | None) -> dict[str, Any] | None:
    """While pushes are paused (monthly limit), an HR admin's alert about it goes with their
    next reply (no query for anyone else: the roles are read once per event)."""
    if staff is None or not menus.read_roles(session, staff).holds_hr:
        return None
    state = session.get(ChannelState, 1)
    if state is None or state.pushes_paused_until is None:
        return None
    query = (select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.category == "alert",
        OutboxMessage.attempts == 0).order_by(OutboxMessage.id.desc()).limit(20))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    for row in session.scalars(query):
        if user_id in row.recipients:
            take_off(row, {user_id}, OutboxStatus.REPLIED)
            audit(session, "line.hr_alert_replied", actor_line_user_id=user_id,
                  subject=f"outbox:{row.id}")
            return dict(row.messages[0])
    return None


FLOW = Flow(name="", taps={Snooze: snooze})
