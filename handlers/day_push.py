"""A person's day in one push: what is worth a billed push is gathered, the rest rides free.

LINE bills a push once per recipient per request, whatever the messages in it (up to five),
and never bills a reply. So nothing that can wait is pushed on its own:
- **Notices** (an officer's "certified" notice, a confirmer's "withdrawn", a HiPPS card) are
  held in the outbox (category `notice`, never claimed by the delivery worker). They ride on the
  person's next reply (`ride_along`), or go in the person's one push of the office day, which
  the reminder planner writes (scheduler/reminders.py), merged into one text where they can be.
- **Cards to confirm** are not pushed one by one: each report waiting for a confirmer is an
  item (`card:<report>:<version>`, from `new_cards`, a reminder source) of that confirmer's day,
  shown as one digest (`waiting_reports_message`: a carousel, approve-all per officer,
  ดูทั้งหมด); a confirmer chatting with the bot gets it on the reply.
- The day's push also carries that day's deadline reminders; a reminder that asks for what a
  card or digest of the same day asks is left out (`asks_to_confirm`).
Urgent things (a report sent back with a reason) are pushed on their own, in office hours.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, Text, bindparam, cast, exists, func, select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.due import Due
from handlers.menus import may_confirm
from handlers.outbox import NOTICE
from handlers.report_cards import waiting_reports_message
from handlers.round_due import WAIT_PREFIX
from models import (
    Confirmation,
    OutboxMessage,
    OutboxStatus,
    ProgressReport,
    ReportStatus,
    Staff,
)
from models.progress import confirmers, pending_for
from models.reminders import Reminder, ReminderKind

CARD_PREFIX = "card:"
NOTICE_PREFIX = "notice:"


def card_key(report_id: int, version: int) -> str:
    return f"{CARD_PREFIX}{report_id}:{version}"


def asks_to_confirm(key: str) -> bool:
    """A reminder that asks a confirmer to decide on waiting reports (what a card asks)."""
    return key.endswith(":confirmation") or key.startswith(WAIT_PREFIX)


# --- cards to confirm ---------------------------------------------------------------------------

def new_cards(session: Session, today: date) -> Iterator[Due]:
    """A reminder source: each pending report (current version) not yet shown to a confirmer
    who has not decided on it; shown means in a digest pushed or ridden on a reply. Confirmers
    by the one confirmer rule (`models.progress.confirmers`): the mentor, the coach of a HiPPS
    officer, or the supervisor standing in."""
    reports = session.execute(
        select(ProgressReport.id, ProgressReport.version, ProgressReport.officer_id,
               ProgressReport.round_id)
        .where(ProgressReport.status == ReportStatus.PENDING).order_by(ProgressReport.id)).all()
    if not reports:
        return
    ids = [r.id for r in reports]
    decided: set[tuple[int, int, int]] = set()
    officers: dict[int, Staff] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        decided.update(session.execute(
            select(Confirmation.report_id, Confirmation.version, Confirmation.confirmer_id)
            .where(Confirmation.report_id.in_(chunk))).all())
    officer_ids = sorted({r.officer_id for r in reports})
    for start in range(0, len(officer_ids), 5000):
        officers.update((o.id, o) for o in session.scalars(
            select(Staff).where(Staff.id.in_(officer_ids[start:start + 5000]))))
    plans: dict[tuple[int, int | None], list[int]] = {}
    waiting: list[tuple[int, int, int]] = []
    for report_id, version, officer_id, round_id in reports:
        plan = (officer_id, round_id)
        if plan not in plans:
            plans[plan] = sorted(confirmers(session, officers[officer_id], round_id))
        waiting.extend((staff_id, report_id, version) for staff_id in plans[plan]
                       if (report_id, version, staff_id) not in decided)
    keys = sorted({card_key(report_id, version) for _s, report_id, version in waiting})
    shown: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 5000):
        shown.update(session.execute(select(Reminder.staff_id, Reminder.deadline_key).where(
            Reminder.kind == ReminderKind.CARD,
            Reminder.deadline_key.in_(keys[start:start + 5000]))).all())
    for staff_id, report_id, version in dict.fromkeys(waiting):
        key = card_key(report_id, version)
        if (staff_id, key) not in shown:
            shown.add((staff_id, key))
            yield Due(staff_id=staff_id, key=key, title="รายงานรอรับรอง", due=today)


def unshown_cards(session: Session, staff_id: int) -> list[str]:
    """The card keys of this confirmer's waiting reports not shown to them yet."""
    waiting = pending_for(session, staff_id)
    if not waiting:
        return []
    versions = dict(session.execute(select(ProgressReport.id, ProgressReport.version).where(
        ProgressReport.id.in_([report_id for report_id, _role in waiting]))).all())
    keys = [card_key(report_id, versions[report_id]) for report_id, _ in waiting
            if report_id in versions]
    shown = set(session.scalars(select(Reminder.deadline_key).where(
        Reminder.staff_id == staff_id, Reminder.kind == ReminderKind.CARD,
        Reminder.deadline_key.in_(keys))))
    return [key for key in keys if key not in shown]


def record_cards_shown(session: Session, staff_id: int, keys: Sequence[str], day: date,
                       now: datetime, push_id: int | None = None) -> None:
    """Remember that these cards reached the confirmer (a digest ridden on a reply: no push)."""
    for key in keys:
        session.add(Reminder(staff_id=staff_id, deadline_key=key, kind=ReminderKind.CARD,
                             day=day, title="", due=day, push_id=push_id, created_at=now))


# --- held notices ---------------------------------------------------------------------------

def held_notices(session: Session,
                 user_ids: Collection[str] | None = None) -> dict[str, list[OutboxMessage]]:
    """Notices waiting to ride along or be gathered, per LINE user, oldest first."""
    query = (select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING,
                                         OutboxMessage.category == NOTICE)
             .order_by(OutboxMessage.id))
    if user_ids is not None:  # a reply: lock only this person's rows, not everyone's
        ids = [row_id for user in user_ids for row_id, recipients in session.execute(
            _HELD_FOR, held_for(user))
            if recipients and recipients[0] in user_ids]
        if not ids:
            return {}
        query = query.where(OutboxMessage.id.in_(ids))
    if session.get_bind().dialect.name == "postgresql":  # not one another process is taking
        query = query.with_for_update(skip_locked=True)
    found: dict[str, list[OutboxMessage]] = defaultdict(list)
    for row in session.scalars(query):
        user = row.recipients[0] if row.recipients else ""
        if user_ids is None or user in user_ids:
            found[user].append(row)
    return found


def held_for(user_id: str) -> dict[str, Any]:
    """The parameters of `HELD_FOR` and `_HELD_FOR` for this person: the start of a stored
    recipient list whose first recipient is `user_id` (the JSON column as written, `["U…", …`);
    the rows it finds are checked again in Python."""
    start = json.dumps([user_id])[:-1]
    return {"first": start, "length": len(start)}


# A person's held notices: the JSON text of the recipients starts with them (no scan of everyone's
# notices in Python; the rows found are checked again there). An equality on the text's start,
# not a LIKE: SQLite prepares a statement again whenever a LIKE's pattern changes.
_HELD_WHERE = (OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.category == NOTICE,
               func.substr(cast(OutboxMessage.recipients, Text), 1,
                           bindparam("length", type_=Integer)) == bindparam("first", type_=Text))
_HELD_FOR = select(OutboxMessage.id, OutboxMessage.recipients).where(*_HELD_WHERE)
HELD_FOR = exists().where(*_HELD_WHERE)  # whether any is held; parameters: held_for(user)


def merged_notices(rows: Sequence[OutboxMessage],
                   room: int) -> tuple[list[dict[str, Any]], list[OutboxMessage]]:
    """The held notices as at most `room` messages: plain texts merged into one, the others
    (cards, texts with buttons) as they are; and the rows that fit (the rest stay held)."""
    plain: list[str] = []
    others: list[dict[str, Any]] = []
    used: list[OutboxMessage] = []
    for row in rows:
        row_plain = [msg["text"] for msg in row.messages
                     if msg.get("type") == "text" and "quickReply" not in msg]
        row_others = [msg for msg in row.messages
                      if not (msg.get("type") == "text" and "quickReply" not in msg)]
        merged = "\n\n".join([*plain, *row_plain])
        texts_needed = 1 if plain or row_plain else 0
        if (texts_needed + len(others) + len(row_others) > room
                or m.utf16_length(merged) > m.MAX_TEXT_UTF16):
            break
        plain.extend(row_plain)
        others.extend(row_others)
        used.append(row)
    out = ([m.text("\n\n".join(plain))] if plain else []) + others
    return out, used


def settle(rows: Sequence[OutboxMessage], status: str) -> None:
    """Held notices that went with a reply (REPLIED) or into the day's push (GATHERED)."""
    for row in rows:
        row.status = status


# --- riding on a reply ---------------------------------------------------------------------

def free_riders(session: Session, user_id: str, staff: Staff | None, room: int,
                now: datetime, today: date, *, notices: bool = True) -> list[dict[str, Any]]:
    """What may go free with a reply when no day push is waiting: the person's held notices
    (`notices`: False when `HELD_FOR` found none in this transaction) and, for a confirmer,
    the digest of reports not shown to them yet (then marked shown)."""
    if room <= 0:
        return []
    rows = held_notices(session, {user_id}).get(user_id, []) if notices else []
    out, used = merged_notices(rows, room)
    settle(used, OutboxStatus.REPLIED)
    if staff is not None and len(out) < room and may_confirm(session, staff):
        keys = unshown_cards(session, staff.id)
        if keys:
            digest = waiting_reports_message(session, staff.id, see_all=True)
            if digest is not None:
                out.append(digest)
                record_cards_shown(session, staff.id, keys, today, now)
    return out
