"""Announcements from HR: creating, sending once to the audience (one multicast per 500),
cancelling, acknowledgement figures and the end-of-day summary to each author. Called by the
chat flow (handlers/announcing.py), the console and the clock's jobs."""
from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from handlers import audience as aud
from handlers import messages as m
from handlers.outbox import ANNOUNCEMENT, enqueue_multicast, enqueue_push
from handlers.postbacks import AcknowledgeAnnouncement, AnnouncementNames, encode
from models import (
    Announcement,
    AnnouncementRecipient,
    LineUser,
    OutboxMessage,
    OutboxStatus,
    SendStatus,
    Staff,
    audit,
)
from thai import format_date, format_datetime

MAX_BODY = 2000  # characters of announcement text


SUMMARY_HOUR = time(17, 0)  # the end-of-day summary to each author (Bangkok)


ACK_BUTTON = "รับทราบ"


def create(session: Session, *, author: Staff, body: str, kind: str, value: str,
           when: datetime | None, now: datetime, public_base_url: str,
           attachment_id: int | None = None,
           actor_line_user_id: str | None = None) -> Announcement:
    """Store an announcement; send it now (through the outbox) or at `when`. Audited.
    `public_base_url` is where the attachment's link points (the app's settings)."""
    body = body.strip()
    if not body or len(body) > MAX_BODY:
        raise ValueError("ข้อความประกาศต้องมี 1–2,000 ตัวอักษร")
    if when is not None and when <= now:
        raise ValueError("เวลาส่งต้องเป็นเวลาในอนาคต")
    label = aud.label(session, author.agency_id, kind, value)  # raises AudienceError
    announcement = Announcement(
        agency_id=author.agency_id, author_id=author.id, body=body, audience=kind,
        audience_value=value, audience_label=label, status=SendStatus.SCHEDULED,
        scheduled_for=when or now, created_at=now, attachment_id=attachment_id,
        attachment_token=secrets.token_urlsafe(24) if attachment_id else None)
    session.add(announcement)
    session.flush()
    audit(session, "announcement.created", actor_staff_id=author.id,
          actor_line_user_id=actor_line_user_id, subject=f"announcement:{announcement.id}",
          audience=label, scheduled_for=announcement.scheduled_for.isoformat(),
          body=body[:200])
    if when is None:
        dispatch(session, announcement, now, public_base_url=public_base_url)
    return announcement


def recipient_messages(announcement_id: int, body: str,
                       attachment_url: str | None) -> list[m.Message]:
    """What each recipient gets: the text in a bubble with รับทราบ (and the attachment link)."""
    actions = [m.postback_action(ACK_BUTTON, encode(AcknowledgeAnnouncement(announcement_id)),
                                 ACK_BUTTON)]
    if attachment_url:
        actions.append(m.uri_action("เปิดไฟล์แนบ", attachment_url))
    alt = m.shorten("📢 ประกาศ: " + body, m.MAX_ALT_TEXT)
    return [m.buttons(alt, body, actions, title="📢 ประกาศจาก HR")]


def attachment_url(announcement: Announcement, public_base_url: str) -> str | None:
    if not announcement.attachment_id or not announcement.attachment_token:
        return None
    return (public_base_url.rstrip("/")
            + f"/files/announcement/{announcement.id}/{announcement.attachment_token}")


def dispatch(session: Session, announcement: Announcement, now: datetime, *,
             public_base_url: str) -> int:
    """Send a due announcement once: claim it, write recipients, enqueue one multicast per 500.

    The claim is a conditional UPDATE, so two clocks (or a retry) never send it twice.
    """
    claimed = session.execute(
        update(Announcement).where(Announcement.id == announcement.id,
                                   Announcement.status == SendStatus.SCHEDULED)
        .values(status=SendStatus.SENDING).execution_options(synchronize_session=False))
    if getattr(claimed, "rowcount", 0) != 1:
        return 0
    session.refresh(announcement)
    try:
        people = aud.recipients(session, announcement.agency_id, announcement.audience,
                                announcement.audience_value, now.date())
    except aud.AudienceError:
        people = []
    reachable = [(staff_id, user_id) for staff_id, user_id in people if user_id]
    messages = recipient_messages(announcement.id, announcement.body,
                                  attachment_url(announcement, public_base_url))
    rows = (enqueue_multicast(session, [user_id for _, user_id in reachable if user_id], messages,
                              ANNOUNCEMENT) if reachable else [])
    session.flush()
    outbox_of: dict[str, int] = {}
    for row in rows:
        for user_id in row.recipients:
            outbox_of[user_id] = row.id
    if people:
        session.execute(insert(AnnouncementRecipient), [
            {"announcement_id": announcement.id, "staff_id": staff_id, "line_user_id": user_id,
             "outbox_id": outbox_of.get(user_id) if user_id else None}
            for staff_id, user_id in people])
    announcement.status, announcement.sent_at = SendStatus.SENT, now
    announcement.recipient_count = len(reachable)
    audit(session, "announcement.sent", actor_staff_id=announcement.author_id,
          subject=f"announcement:{announcement.id}", recipients=len(reachable),
          not_on_line=len(people) - len(reachable), outbox_rows=len(rows))
    return len(reachable)


def send_due_announcements(session: Session, now: datetime, *, public_base_url: str) -> int:
    """Scheduler job: send every announcement whose time has come; return how many."""
    due = session.scalars(select(Announcement).where(
        Announcement.status == SendStatus.SCHEDULED, Announcement.scheduled_for <= now)
        .order_by(Announcement.scheduled_for, Announcement.id)).all()
    sent = 0
    for announcement in due:
        dispatch(session, announcement, now, public_base_url=public_base_url)
        sent += announcement.status == SendStatus.SENT
    return sent


def cancel(session: Session, announcement: Announcement, actor_staff_id: int) -> bool:
    """Cancel a scheduled announcement that has not gone out yet."""
    done = session.execute(
        update(Announcement).where(Announcement.id == announcement.id,
                                   Announcement.status == SendStatus.SCHEDULED)
        .values(status=SendStatus.CANCELLED).execution_options(synchronize_session=False))
    if getattr(done, "rowcount", 0) != 1:
        return False
    session.refresh(announcement)
    audit(session, "announcement.cancelled", actor_staff_id=actor_staff_id,
          subject=f"announcement:{announcement.id}")
    return True


def stats(session: Session, announcement_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per announcement: sent (on LINE), delivered (LINE accepted), acknowledged, not yet."""
    result = {aid: {"sent": 0, "delivered": 0, "acknowledged": 0, "not_acknowledged": 0,
                    "not_on_line": 0} for aid in announcement_ids}
    if not announcement_ids:
        return result
    on_line = AnnouncementRecipient.line_user_id.is_not(None)
    acked = AnnouncementRecipient.acknowledged_at.is_not(None)
    rows = session.execute(
        select(AnnouncementRecipient.announcement_id, on_line, OutboxMessage.status, acked,
               func.count())
        .outerjoin(OutboxMessage, OutboxMessage.id == AnnouncementRecipient.outbox_id)
        .where(AnnouncementRecipient.announcement_id.in_(announcement_ids))
        .group_by(AnnouncementRecipient.announcement_id, on_line, OutboxMessage.status,
                  acked)).all()
    for aid, reachable, status, acknowledged, n in rows:
        entry, delivered = result[aid], status == OutboxStatus.SENT
        if not reachable:
            entry["not_on_line"] += n
            continue
        entry["sent"] += n
        entry["delivered"] += n if delivered else 0
        entry["acknowledged"] += n if acknowledged else 0
        entry["not_acknowledged"] += 0 if acknowledged else n
    return result


def not_acknowledged(session: Session, announcement_id: int) -> list[str]:
    """Names of the recipients on LINE who have not tapped รับทราบ, by name."""
    return list(session.scalars(
        select(Staff.name_th).join(AnnouncementRecipient,
                                   AnnouncementRecipient.staff_id == Staff.id)
        .where(AnnouncementRecipient.announcement_id == announcement_id,
               AnnouncementRecipient.line_user_id.is_not(None),
               AnnouncementRecipient.acknowledged_at.is_(None)).order_by(Staff.name_th)))


def _summary_text(session: Session, announcements: Sequence[Announcement], title: str,
                  tz: tzinfo) -> str:
    figures = stats(session, [a.id for a in announcements])
    lines = [title]
    for a in announcements:
        f = figures[a.id]
        when = format_datetime(a.sent_at, tz) if a.sent_at else (
            f"ตั้งเวลา {format_datetime(a.scheduled_for, tz)}" if a.status == SendStatus.SCHEDULED
            else "ยกเลิกแล้ว")
        lines.append(f"\n#{a.id} {m.shorten(a.body.splitlines()[0], 40)}\n"
                     f"{a.audience_label} · {when}")
        if a.status == SendStatus.SENT:
            lines.append(f"ส่ง {f['sent']:,} · ถึงแล้ว {f['delivered']:,} · รับทราบ "
                         f"{f['acknowledged']:,} · ยังไม่รับทราบ {f['not_acknowledged']:,}")
    return m.shorten("\n".join(lines))


def end_of_day_summaries(session: Session, now: datetime, tz: tzinfo) -> int:
    """Scheduler job (after 17:00 in `tz`): each author gets today's figures, once per day."""
    local = now.astimezone(tz)
    if local.time() < SUMMARY_HOUR:
        return 0
    today = local.date()
    # Since yesterday's start: one sent after yesterday's summary (say 17:30) is in today's.
    start = datetime.combine(today - timedelta(days=1), time(0), tz)
    todays = session.scalars(select(Announcement).where(
        Announcement.status == SendStatus.SENT, Announcement.sent_at >= start,
        Announcement.summary_sent_on.is_(None)).order_by(Announcement.id)).all()
    by_author: dict[int, list[Announcement]] = {}
    for a in todays:
        claimed = session.execute(  # once, even with two clocks
            update(Announcement).where(
                Announcement.id == a.id, Announcement.summary_sent_on.is_(None))
            .values(summary_sent_on=today).execution_options(synchronize_session=False))
        if getattr(claimed, "rowcount", 0) == 1:
            by_author.setdefault(a.author_id, []).append(a)
    sent = 0
    for author_id, announcements in by_author.items():
        user_id = session.scalar(select(LineUser.user_id).where(
            LineUser.staff_id == author_id, LineUser.following.is_(True)))
        if user_id is None:
            continue
        text = _summary_text(session, announcements[-5:],
                             f"สรุปประกาศประจำวันที่ {format_date(today)}", tz)
        enqueue_push(session, user_id, [m.text(text, [
            m.postback_action(f"รายชื่อ #{a.id}", encode(AnnouncementNames(a.id)))
            for a in announcements[-5:]])])
        audit(session, "announcement.daily_summary", actor_staff_id=author_id,
              announcements=[a.id for a in announcements])
        sent += 1
    return sent
