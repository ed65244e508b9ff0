"""The reminder planner: a function of (session, now) that writes the day's reminders.

Open items come from `SOURCES` (each a `DueSource`, handlers/due.py): add a capability's source
to that one list. For each item the agency's policy and the office calendar decide whether
today is a reminder day (7, 3, 1 office days ahead, the deadline day, every 2 office days after
it at most 3 times, then a digest to the supervisor). Each person gets at most one message a
day with all their items; every reminder is a row with a unique (person, deadline, kind, day)
key and every day's message a row with a unique (person, day) key, so a second clock, a restart
or a replayed tick never doubles anything. Identical messages go out as multicasts.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from sqlalchemy import select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from handlers.appraisal_due import due_items as appraisal_items
from handlers.day_push import (
    CARD_PREFIX,
    NOTICE_PREFIX,
    asks_to_confirm,
    held_notices,
    merged_notices,
    new_cards,
    settle,
)
from handlers.due import Due, DueSource
from handlers.hr_forms import due_items as form_items
from handlers.outbox import enqueue_multicast, take_off
from handlers.reminders import Item, missing_kpis, reminder_message
from handlers.report_cards import waiting_reports_message
from handlers.round_due import WAIT_PREFIX, round_deadline_items
from models import LineUser, OutboxMessage, OutboxStatus, Staff
from models.calendar import OfficeCalendar
from models.reminders import (
    URGENT_KINDS,
    DeadlineCompletion,
    Policy,
    PushStatus,
    Reminder,
    ReminderKind,
    ReminderPush,
    ReminderSnooze,
    load_policy,
)

CHUNK = 5000

# Every source of open items: add a capability's here.
SOURCES: list[DueSource] = [
    round_deadline_items,  # the round's deadlines (handlers/round_due.py)
    form_items,  # HR's checklist forms not submitted yet (handlers/hr_forms.py)
    appraisal_items,  # low-performer reports, HiPPS certification and copies, IDP items
    new_cards,  # reports waiting for a confirmer, not shown yet: the day's digest (day_push.py)
]


@dataclass
class PlanResult:
    day: date
    skipped: str = ""  # why nothing was planned (not an office day, outside office hours)
    items: int = 0
    people: int = 0
    pushes: int = 0  # outbox rows (a multicast counts once)
    withdrawn: int = 0  # people whose unsent reminder was taken back: its items were done
    by_kind: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.skipped:
            return f"{self.day}: nothing planned ({self.skipped})"
        withdrawn = f", {self.withdrawn} withdrawn (done)" if self.withdrawn else ""
        return (f"{self.day}: {self.items} reminder(s) to {self.people} people in "
                f"{self.pushes} outbox row(s) {dict(sorted(self.by_kind.items()))}{withdrawn}")


def reminder_kind(policy: Policy, calendar: OfficeCalendar, due: date, today: date,
                  nudge: bool = False) -> tuple[str, int] | None:
    """(kind, office days ahead or late) if `today` is a reminder day for a deadline on `due`.

    The deadline day is `due`, or the last office day before it when it falls on a day off.
    `nudge` items (reports waiting for a carer) get no reminders ahead.
    """
    deadline_day = calendar.on_or_before(due)
    if today <= deadline_day:
        if today == deadline_day:
            return (ReminderKind.DUE_DAY, 0) if policy.on_the_day else None
        ahead = calendar.office_days_between(today, deadline_day)
        if not nudge and ahead in policy.before_days:
            return ReminderKind.BEFORE, ahead
        return None
    late = calendar.office_days_between(due, today)
    if late <= 0 or not calendar.is_office_day(today):
        return None
    every, times = policy.overdue_every, policy.overdue_times
    if late % every == 0 and 1 <= late // every <= times:
        return ReminderKind.OVERDUE, late
    if policy.digest_to_supervisor and late == every * (times + 1):
        return ReminderKind.DIGEST, late
    return None


def collect(session: Session, now: datetime, sources: Sequence[DueSource] | None = None, *,
            tz: tzinfo) -> tuple[date, dict[int, list[Item]], str]:
    """Today's items per person (no writes): what `plan_reminders` will send. Days and office
    hours are those of `tz`, the app's time zone, and of each agency's calendar."""
    today = now.astimezone(tz).date()
    local = now.astimezone(tz)
    calendars = OfficeCalendar.load_all(session)
    if not any(c.is_office_day(today) for c in [OfficeCalendar(), *calendars.values()]):
        return today, {}, "not an office day"
    completions = set(session.execute(select(DeadlineCompletion.staff_id,
                                             DeadlineCompletion.deadline_key)).all())
    snoozed = set(session.execute(select(ReminderSnooze.staff_id, ReminderSnooze.deadline_key)
                                  .where(ReminderSnooze.until == today)).all())
    people = {sid: (agency, name) for sid, agency, name in session.execute(
        select(Staff.id, Staff.agency_id, Staff.name_th).where(Staff.active.is_(True)))}
    policies: dict[int, Policy] = {}
    kinds: dict[tuple[int, date, bool], tuple[str, int] | None] = {}
    items: dict[int, dict[str, Item]] = defaultdict(dict)
    digests: dict[tuple[int, str], tuple[Due, list[str]]] = {}
    outside = 0
    for source in (SOURCES if sources is None else sources):
        for due in source(session, today):
            person = people.get(due.staff_id)
            if person is None or (due.staff_id, due.key) in completions:
                continue
            agency = person[0]
            calendar = calendars.get(agency) or OfficeCalendar()
            if not calendar.is_office_day(today):  # the agency's HR declared today off
                continue
            policy = policies.get(agency)
            if policy is None:
                policy = policies[agency] = load_policy(session, agency)
            if not policy.in_office_hours(local):
                outside += 1
                continue
            if due.key.startswith(CARD_PREFIX):  # shown in the digest, whatever the day
                items[due.staff_id].setdefault(due.key, Item(due.key, due.title, due.due,
                                                             ReminderKind.CARD))
                continue
            nudge = due.key.startswith(WAIT_PREFIX)
            cache_key = (agency, due.due, nudge)
            if cache_key not in kinds:
                kinds[cache_key] = reminder_kind(policy, calendar, due.due, today, nudge)
            found = kinds[cache_key]
            if found is None:
                if (due.staff_id, due.key) not in snoozed:
                    continue
                found = (ReminderKind.SNOOZED, 0)
            kind, office_days = found
            if kind == ReminderKind.DIGEST:
                if due.escalate_to is not None:
                    entry = digests.setdefault((due.escalate_to, due.key), (due, []))
                    entry[1].append(person[1])
                continue
            items[due.staff_id].setdefault(due.key, Item(due.key, due.title, due.due, kind,
                                                         office_days))
    for (supervisor, key), (due, names) in sorted(digests.items()):
        if supervisor in people:
            items[supervisor].setdefault("digest:" + key, Item(
                "digest:" + key, due.title, due.due, ReminderKind.DIGEST, 0,
                tuple(sorted(names))))
    skipped = "outside office hours" if outside and not items else ""
    # No reminder asks a confirmer for what today's digest (pushed or on a reply) asks.
    shown_today = set(session.scalars(select(Reminder.staff_id).where(
        Reminder.kind == ReminderKind.CARD, Reminder.day == today)))
    for staff_id, open_items in items.items():
        if staff_id in shown_today or any(i.kind == ReminderKind.CARD
                                          for i in open_items.values()):
            for key in [key for key in open_items if asks_to_confirm(key)]:
                del open_items[key]
    return today, {staff_id: list(open_items.values()) for staff_id, open_items in items.items()
                   if open_items}, skipped


def plan_reminders(session: Session, now: datetime, sources: Sequence[DueSource] | None = None,
                   *, tz: tzinfo) -> PlanResult:
    """Write today's reminders and their messages to the outbox (the clock's job)."""
    today, per_person, skipped = collect(session, now, sources, tz=tz)
    result = PlanResult(today, skipped)
    if not skipped:
        result.withdrawn = withdraw_done(session, now, per_person, tz)
    calendars = OfficeCalendar.load_all(session)
    users = dict(session.execute(select(LineUser.staff_id, LineUser.user_id).where(
        LineUser.staff_id.is_not(None), LineUser.following.is_(True))).all())
    notices = _notices_due(session, now, tz, calendars, users) \
        if skipped != "not an office day" else {}
    for person in notices:
        per_person.setdefault(person, [])
    if not per_person:
        return result
    insert = sqlite_insert  # PostgreSQL takes the array-parameter statements below
    already = set(session.scalars(select(ReminderPush.staff_id).where(ReminderPush.day == today)))
    wanted = [person for person in per_person if person not in already and person in users]
    day_messages: dict[int, list[dict[str, object]]] = {}
    gathered: dict[int, list[OutboxMessage]] = {}
    # a progress reminder offers "รายงานข้อ N ตอนนี้" for the KPIs still missing
    progress_rounds = {int(i.key.split(":")[1]) for p in wanted for i in per_person[p]
                       if i.key.startswith("round:") and i.key.endswith(":progress")}
    missing = missing_kpis(session, [p for p in wanted if any(
        i.key.endswith(":progress") for i in per_person[p])], sorted(progress_rounds))
    for person in wanted:
        day_messages[person], gathered[person] = _day_messages(
            session, today, person, per_person[person], notices.get(person, []),
            missing.get(person, ()))
    wanted = [person for person in wanted if day_messages[person]]
    agencies = dict(session.execute(select(Staff.id, Staff.agency_id).where(
        Staff.id.in_(wanted))).all()) if len(wanted) < 30_000 else dict(
        session.execute(select(Staff.id, Staff.agency_id)).all())
    claimed: dict[int, int] = {}  # staff id → reminder push id (only the ones this run made)
    postgres = session.get_bind().dialect.name == "postgresql"
    for chunk in _chunks(wanted):
        urgents = [any(i.kind in URGENT_KINDS for i in per_person[p]) for p in chunk]
        if postgres:  # one statement with array parameters (many-row VALUES cost more here)
            found = session.execute(text(
                "INSERT INTO reminder_pushes (staff_id, day, user_id, urgent, status, created_at) "
                "SELECT s, :day, u, g, 'queued', :now FROM unnest(CAST(:staff AS integer[]), "
                "CAST(:users AS varchar[]), CAST(:urgent AS boolean[])) AS t(s, u, g) "
                "ON CONFLICT DO NOTHING RETURNING id, staff_id"),
                {"day": today, "now": now, "staff": chunk, "users": [users[p] for p in chunk],
                 "urgent": urgents})
        else:
            found = session.execute(insert(ReminderPush).on_conflict_do_nothing().returning(
                ReminderPush.id, ReminderPush.staff_id), [
                {"staff_id": p, "day": today, "user_id": users[p], "urgent": u,
                 "status": "queued", "created_at": now}
                for p, u in zip(chunk, urgents, strict=True)])
        for push_id, staff_id in found:
            claimed[staff_id] = push_id
    # One outbox row per distinct message (a multicast when several people get the same).
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    messages: dict[tuple[int, str], list[dict[str, object]]] = {}
    for person in claimed:
        day = day_messages[person]
        key = (agencies[person], json.dumps(day, ensure_ascii=False, sort_keys=True))
        messages[key] = day
        groups[key].append(person)
    for key, people in groups.items():
        urgent = any(i.kind in URGENT_KINDS for p in people for i in per_person[p])
        policy = load_policy(session, key[0])
        # not sent today (outage, quota)? a reminder may wait for the next office window, no
        # longer; a push carrying notices or cards waits as long as it takes
        carries = any(gathered[p] or any(i.kind == ReminderKind.CARD for i in per_person[p])
                      for p in people)
        calendar = calendars.get(key[0]) or OfficeCalendar()
        expires = None if carries else datetime.combine(calendar.next_office_day(today),
                                                        policy.office_end, tz)
        rows = enqueue_multicast(session, [users[p] for p in people], messages[key])
        for row in rows:
            row.category, row.expires_at = ("urgent" if urgent else "reminder"), expires
        session.flush()
        by_user = {user: row for row in rows for user in row.recipients}
        for row in rows:  # one UPDATE per outbox row (a multicast: up to 500 people)
            session.execute(update(ReminderPush).where(ReminderPush.id.in_(
                [claimed[p] for p in people if by_user[users[p]] is row])).values(outbox_id=row.id))
        result.pushes += len(rows)
    reminder_rows = [{"staff_id": person, "deadline_key": item.key, "kind": item.kind,
                      "day": today, "title": item.title[:500], "due": item.due,
                      "push_id": claimed[person], "created_at": now}
                     for person in claimed for item in per_person[person]]
    reminder_rows += [{"staff_id": person, "deadline_key": f"{NOTICE_PREFIX}{row.id}",
                       "kind": ReminderKind.NOTICE, "day": today, "title": "", "due": today,
                       "push_id": claimed[person], "created_at": now}
                      for person in claimed for row in gathered[person]]
    for person in claimed:
        settle(gathered[person], OutboxStatus.GATHERED)
    for chunk in _chunks(reminder_rows):
        if postgres:
            session.execute(text(
                "INSERT INTO reminders (staff_id, deadline_key, kind, day, title, due, push_id, "
                "created_at) SELECT s, k, t, :day, ti, d, p, :now FROM unnest("
                "CAST(:staff AS integer[]), CAST(:keys AS varchar[]), CAST(:kinds AS varchar[]), "
                "CAST(:titles AS varchar[]), CAST(:dues AS date[]), CAST(:pushes AS integer[])) "
                "AS x(s, k, t, ti, d, p) ON CONFLICT DO NOTHING"),
                {"day": today, "now": now,
                 **{name: [row[column] for row in chunk] for name, column in (
                     ("staff", "staff_id"), ("keys", "deadline_key"), ("kinds", "kind"),
                     ("titles", "title"), ("dues", "due"), ("pushes", "push_id"))}})
        else:
            session.execute(insert(Reminder).on_conflict_do_nothing(), chunk)
    result.people = len(claimed)
    result.items = len(reminder_rows)
    for reminder_row in reminder_rows:
        kind = str(reminder_row["kind"])
        result.by_kind[kind] = result.by_kind.get(kind, 0) + 1
    return result


def withdraw_done(session: Session, now: datetime, per_person: dict[int, list[Item]],
                  tz: tzinfo) -> int:
    """Take back today's reminders not sent yet (held by a low quota, say) whose every item is
    done by now, so a done item stops its reminders at once; returns how many people's.

    `per_person` is `collect`'s answer for `now`: every item still open and due a reminder
    today, for the people whose agency is in office hours (the others are left alone)."""
    local = now.astimezone(tz)
    today = local.date()
    waiting: dict[int, tuple[int, str, int | None]] = {}  # push id → (staff, user, outbox id)
    for push_id, staff_id, user_id, outbox_id in session.execute(
            select(ReminderPush.id, ReminderPush.staff_id, ReminderPush.user_id,
                   ReminderPush.outbox_id)
            .join(OutboxMessage, OutboxMessage.id == ReminderPush.outbox_id)
            .where(ReminderPush.day == today, ReminderPush.status == PushStatus.QUEUED,
                   OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.attempts == 0)):
        waiting[push_id] = (staff_id, user_id, outbox_id)
    if not waiting:
        return 0
    keys: dict[int | None, set[str]] = defaultdict(set)
    for of_push, key in session.execute(
            select(Reminder.push_id, Reminder.deadline_key).join(
                ReminderPush, ReminderPush.id == Reminder.push_id)
            .where(ReminderPush.day == today, ReminderPush.status == PushStatus.QUEUED)):
        keys[of_push].add(key)
    done = {push_id: who for push_id, who in waiting.items()
            if keys[push_id].isdisjoint(i.key for i in per_person.get(who[0], ()))
            and not any(key.startswith((CARD_PREFIX, NOTICE_PREFIX)) for key in keys[push_id])}
    if not done:
        return 0
    agency_of = dict(session.execute(select(Staff.id, Staff.agency_id).where(
        Staff.id.in_({staff_id for staff_id, _u, _o in done.values()}))).all())
    open_now = {agency: load_policy(session, agency).in_office_hours(local)
                for agency in set(agency_of.values())}
    done = {push_id: who for push_id, who in done.items()
            if open_now.get(agency_of.get(who[0], -1), False)}
    by_row: dict[int | None, set[str]] = defaultdict(set)
    for _staff_id, user_id, outbox_id in done.values():
        by_row[outbox_id].add(user_id)
    query = select(OutboxMessage).where(OutboxMessage.id.in_(list(by_row)))
    if session.get_bind().dialect.name == "postgresql":  # not a row a worker is sending now
        query = query.with_for_update(skip_locked=True)
    taken: set[str] = set()
    for row in session.scalars(query):
        if row.status != OutboxStatus.PENDING or row.attempts:
            continue
        take_off(row, by_row[row.id], OutboxStatus.WITHDRAWN, "every item was done")
        taken |= by_row[row.id]
    withdrawn = [push_id for push_id, (_s, user_id, _o) in done.items() if user_id in taken]
    if withdrawn:
        session.execute(update(ReminderPush).where(ReminderPush.id.in_(withdrawn))
                        .values(status=PushStatus.WITHDRAWN))
    return len(withdrawn)


def _notices_due(session: Session, now: datetime, tz: tzinfo,
                 calendars: dict[int, OfficeCalendar],
                 users: dict[int | None, str]) -> dict[int, list[OutboxMessage]]:
    """Held notices per person whose agency is in office hours on its office day now."""
    local = now.astimezone(tz)
    by_user = held_notices(session)
    if not by_user:
        return {}
    staff_of = {user: staff for staff, user in users.items()}
    people = {staff: rows for user, rows in by_user.items()
              if (staff := staff_of.get(user)) is not None}
    agency_of = dict(session.execute(select(Staff.id, Staff.agency_id).where(
        Staff.id.in_(people))).all())
    policies = {agency: load_policy(session, agency) for agency in set(agency_of.values())}
    due: dict[int, list[OutboxMessage]] = {}
    for person, rows in people.items():
        agency = agency_of.get(person, -1)
        policy = policies.get(agency)
        if policy is None or not policy.in_office_hours(local):
            continue
        if not (calendars.get(agency) or OfficeCalendar()).is_office_day(local.date()):
            continue
        # a notice of today's office hours waits for a reply until the next office-day start
        start = datetime.combine(local.date(), policy.office_start, tz)
        ready = [row for row in rows if row.created_at < start]
        if ready:
            due[person] = ready
    return due


def _day_messages(session: Session, today: date, person: int, items: list[Item],
                  notices: list[OutboxMessage], missing: Sequence[int] = ()
                  ) -> tuple[list[dict[str, object]], list[OutboxMessage]]:
    """A person's one push of the day: held notices (merged), the digest of reports waiting
    for them, the day's reminder; at most five messages (notices that do not fit wait)."""
    cards = [item for item in items if item.kind == ReminderKind.CARD]
    rest = [item for item in items if item.kind != ReminderKind.CARD]
    digest = waiting_reports_message(session, person, see_all=True) if cards else None
    room = 5 - (digest is not None) - bool(rest)
    out, used = merged_notices(notices, room)
    if digest is not None:
        out.append(digest)
    if rest:
        out.append(reminder_message(today, rest, missing))
    return out, used


def _chunks(rows: Sequence[object] | Iterable[object]) -> Iterable[list]:
    rows = list(rows)
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]
