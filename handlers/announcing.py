"""HR announcements over LINE: `ประกาศ` → text → optional image/file → audience → when →
preview with the exact count → ยืนยัน. Each announcement carries a รับทราบ button; HR asks for
`สรุปประกาศ` or gets it at the end of the day. Sending goes through the outbox only.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from handlers import audience as aud
from handlers import links
from handlers import messages as m
from handlers.context import Context
from handlers.conversation import Step
from handlers.events import MediaReceived
from handlers.outbox import ANNOUNCEMENT, enqueue_multicast, enqueue_push
from models import (
    Announcement,
    AnnouncementRecipient,
    Audience,
    Evidence,
    LineUser,
    OutboxMessage,
    OutboxStatus,
    Role,
    RoleAssignment,
    SendStatus,
    Staff,
    audit,
)
from models.numbers import is_id
from models.reminders import office_window
from thai import format_date, format_datetime, normalize, thai_digits_to_arabic

FLOW = "announce"
BANGKOK = ZoneInfo("Asia/Bangkok")
MAX_BODY = 2000  # characters of announcement text
ATTACHMENT_KINDS = ("image", "video", "audio", "file")
SUMMARY_HOUR = time(17, 0)  # the end-of-day summary to each author (Bangkok)
NAMES_SHOWN = 60

NOT_HR = "คำสั่งนี้สำหรับเจ้าหน้าที่กลุ่มบริหารทรัพยากรบุคคล (HR) เท่านั้น"
ASK_TEXT = "พิมพ์ข้อความประกาศได้เลย (ไม่เกิน 2,000 ตัวอักษร)"
ASK_ATTACH = "แนบรูปภาพหรือไฟล์ได้ 1 รายการ\nหรือกด ไม่แนบ เพื่อไปต่อ"
ASK_AUDIENCE = "ส่งถึงใคร"
ASK_UNIT = "เลือกหน่วยงาน (รวมหน่วยงานย่อย)\nพิมพ์หมายเลขหรือกดเลือก"
ASK_ROLE = "เลือกบทบาท"
ASK_WHEN = ("ส่งเมื่อไร\nกด ส่งทันที หรือพิมพ์เวลา เช่น พรุ่งนี้ 08:30 หรือ 25/11 09:00")
NO_ROUND = "ยังไม่ได้เปิดรอบการประเมินปัจจุบัน เลือกกลุ่มอื่นได้"
BAD_TIME = "อ่านเวลาไม่ได้ หรือเป็นเวลาที่ผ่านมาแล้ว\nพิมพ์ เช่น พรุ่งนี้ 08:30 หรือ 25/11 09:00"
EMPTY_AUDIENCE = "ไม่มีผู้รับในกลุ่มนี้ที่เชื่อม LINE แล้ว กรุณาเลือกกลุ่มอื่น"
ACK_THANKS = "บันทึกว่าคุณรับทราบประกาศแล้ว ขอบคุณ 🙏"
ACK_AGAIN = "บันทึกการรับทราบไว้แล้วตั้งแต่ {at}"
ACK_BUTTON = "รับทราบ"

AUDIENCE_CHOICES = {
    "ทุกคน": Audience.EVERYONE,
    "ตามหน่วยงาน": Audience.UNIT,
    "ตามบทบาท": Audience.ROLE,
    "ยังไม่รายงาน": Audience.NOT_REPORTED,
}
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?")


def is_hr(session: Session, staff: Staff | None) -> bool:
    """Whether the person holds the agency-wide HR admin role (checked in the database)."""
    if staff is None or not staff.active:
        return False
    return session.scalars(select(RoleAssignment.id).where(
        RoleAssignment.staff_id == staff.id, RoleAssignment.role == Role.HR_ADMIN,
        RoleAssignment.officer_id.is_(None))).first() is not None


def _cancel() -> m.Action:
    return m.message_action("ยกเลิก")


# --- the chat flow --------------------------------------------------------------------------

def start(ctx: Context) -> Step:
    if not is_hr(ctx.session, ctx.staff):
        return Step([m.text(NOT_HR, ctx.menu)])
    return Step([m.text(ASK_TEXT, [_cancel()])], "text", {})


def on_text(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    body = text.strip()
    if not body:
        return Step([m.text(ASK_TEXT, [_cancel()])], "text", data)
    if len(body) > MAX_BODY:
        return Step([m.text(f"ข้อความยาว {len(body):,} ตัวอักษร เกิน 2,000\nกรุณาย่อแล้วส่งใหม่",
                            [_cancel()])], "text", data)
    data["body"] = body
    return Step([m.text(ASK_ATTACH, [m.message_action("ไม่แนบ"), _cancel()])], "attach", data)


def on_attach(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    if normalize(text).replace(" ", "") not in ("ไม่แนบ", "ข้าม", "ไม่มี"):
        return Step([m.text(ASK_ATTACH, [m.message_action("ไม่แนบ"), _cancel()])], "attach", data)
    return _ask_audience(data)


def on_media(ctx: Context, event: MediaReceived, state: str, data: dict[str, Any]) -> Step:
    """An image or file while announcing is its attachment (kept like report evidence)."""
    if state != "attach" or event.kind not in ATTACHMENT_KINDS or ctx.staff is None:
        return Step([m.text("ตอนนี้ยังไม่รับไฟล์ กรุณาทำตามขั้นตอน", [_cancel()])], state, data)
    evidence = ctx.session.scalars(select(Evidence).where(
        Evidence.line_message_id == event.message_id[:64])).first()
    if evidence is None:
        evidence = Evidence(staff_id=ctx.staff.id, line_message_id=event.message_id[:64],
                            kind=event.kind)
        ctx.session.add(evidence)
        ctx.session.flush()
    data["attachment_id"] = evidence.id
    data["attachment_kind"] = event.kind
    return _ask_audience(data, "รับไฟล์แนบแล้ว")


def _ask_audience(data: dict[str, Any], intro: str | None = None) -> Step:
    actions = [m.message_action(label) for label in AUDIENCE_CHOICES] + [_cancel()]
    body = f"{intro}\n{ASK_AUDIENCE}" if intro else ASK_AUDIENCE
    return Step([m.text(body, actions)], "audience", data)


def on_audience(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    assert ctx.staff is not None
    kind = AUDIENCE_CHOICES.get(normalize(text).replace(" ", ""))
    if kind is None:
        return _ask_audience(data, "กรุณาเลือกจากปุ่มด้านล่าง")
    if kind == Audience.UNIT:
        units = aud.units(ctx.session, ctx.staff.agency_id)
        listing = "\n".join(f"{n}. {unit.name_th}" for n, unit in enumerate(units, 1))
        actions = [m.message_action(m.shorten_label(f"{n}. {unit.name_th}"), str(n))
                   for n, unit in enumerate(units[:12], 1)]
        data["units"] = [unit.id for unit in units]
        return Step([m.text(m.shorten(f"{ASK_UNIT}\n{listing}"), actions + [_cancel()])],
                    "unit", data)
    if kind == Audience.ROLE:
        actions = [m.message_action(label) for label in aud.ROLE_CHOICES.values()]
        return Step([m.text(ASK_ROLE, actions + [_cancel()])], "role", data)
    return _chosen(ctx, data, kind, "")


def on_unit(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    choice = thai_digits_to_arabic(text.strip()).rstrip(".")
    units: list[int] = data.get("units", [])
    if not is_id(choice) or not 1 <= int(choice) <= len(units):
        return Step([m.text(f"กรุณาพิมพ์หมายเลข 1–{len(units)}", [_cancel()])], "unit", data)
    return _chosen(ctx, data, Audience.UNIT, str(units[int(choice) - 1]))


def on_role(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    wanted = normalize(text).strip()
    for value, label in aud.ROLE_CHOICES.items():
        if wanted == label:
            return _chosen(ctx, data, Audience.ROLE, str(value))
    actions = [m.message_action(label) for label in aud.ROLE_CHOICES.values()]
    return Step([m.text(f"กรุณาเลือกบทบาท\n{ASK_ROLE}", actions + [_cancel()])], "role", data)


def _chosen(ctx: Context, data: dict[str, Any], kind: str, value: str) -> Step:
    assert ctx.staff is not None
    try:
        count = aud.count(ctx.session, ctx.staff.agency_id, kind, value, ctx.now.date())
    except aud.AudienceError as exc:
        return _ask_audience(data, str(exc))
    if count.on_line == 0:
        return _ask_audience(data, EMPTY_AUDIENCE)
    data.pop("units", None)
    data["audience"], data["value"] = kind, value
    return Step([m.text(ASK_WHEN, [m.message_action("ส่งทันที"),
                                   m.message_action("พรุ่งนี้ 08:30"), _cancel()])], "when", data)


def parse_when(text: str, now: datetime) -> datetime | None:
    """`ส่งทันที` → now; `พรุ่งนี้ 08:30`, `วันนี้ 15:00`, `25/11 09:00`, `25/11/2569 9.00`
    (BE or CE year), `08:30` (today) → that moment in Bangkok; None if unreadable or past."""
    words = normalize(thai_digits_to_arabic(text)).replace(" ", "")
    if words in ("ส่งทันที", "ทันที", "ตอนนี้"):
        return now
    local = now.astimezone(BANGKOK)
    found_time = _TIME.search(words)
    if found_time is None:
        return None
    hour, minute = int(found_time.group(1)), int(found_time.group(2))
    day = local.date()
    if "มะรืน" in words:
        day += timedelta(days=2)
    elif "พรุ่งนี้" in words:
        day += timedelta(days=1)
    found_date = _DATE.search(words)
    try:
        if found_date:
            year = int(found_date.group(3)) if found_date.group(3) else local.year
            year = year + 2500 if year < 100 else year
            year = year - 543 if year > 2400 else year
            day = date(year, int(found_date.group(2)), int(found_date.group(1)))
            if not found_date.group(3) and day < local.date():
                day = date(year + 1, day.month, day.day)
        moment = datetime.combine(day, time(hour, minute), BANGKOK)
    except ValueError:
        return None
    if moment <= now or moment > now + timedelta(days=180):
        return None
    return moment


def on_when(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    assert ctx.staff is not None
    when = parse_when(text, ctx.now)
    if when is None:
        return Step([m.text(BAD_TIME, [m.message_action("ส่งทันที"),
                                       m.message_action("พรุ่งนี้ 08:30"), _cancel()])],
                    "when", data)
    data["when"] = None if when == ctx.now else when.isoformat()
    return _preview(ctx, data)


def _preview(ctx: Context, data: dict[str, Any]) -> Step:
    assert ctx.staff is not None
    count = aud.count(ctx.session, ctx.staff.agency_id, data["audience"], data["value"],
                      ctx.now.date())
    who = aud.label(ctx.session, ctx.staff.agency_id, data["audience"], data["value"])
    when = (format_datetime(datetime.fromisoformat(data["when"])) if data.get("when")
            else "ส่งทันทีหลังยืนยัน")
    not_reachable = count.people - count.on_line
    lines = [f"ผู้รับ: {who}", f"จำนวน {count.on_line:,} คน"
             + (f" (อีก {not_reachable:,} คนยังไม่เชื่อม LINE จะไม่ได้รับ)" if not_reachable else ""),
             f"เวลาส่ง: {when}"]
    if data.get("attachment_id"):
        lines.append("แนบไฟล์ 1 รายการ")
    data["expected"] = count.on_line
    sample = recipient_messages(0, data["body"], None)[0]
    return Step([sample, m.text("ตัวอย่างด้านบนคือสิ่งที่ผู้รับจะเห็น\n" + "\n".join(lines)
                                + "\n\nกด ยืนยัน เพื่อส่ง",
                                [m.message_action("ยืนยัน"), m.message_action("แก้ไข"),
                                 _cancel()])], "confirm", data)


def on_confirm(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    assert ctx.staff is not None
    word = normalize(text).replace(" ", "")
    if word == "แก้ไข":
        return Step([m.text(ASK_TEXT, [_cancel()])], "text", {})
    if word != "ยืนยัน":
        return Step([m.text("กด ยืนยัน เพื่อส่ง หรือ แก้ไข / ยกเลิก",
                            [m.message_action("ยืนยัน"), m.message_action("แก้ไข"), _cancel()])],
                    "confirm", data)
    when = datetime.fromisoformat(data["when"]) if data.get("when") else None
    try:
        announcement = create(ctx.session, author=ctx.staff, body=data["body"],
                              kind=data["audience"], value=data["value"], when=when,
                              now=ctx.now, attachment_id=data.get("attachment_id"),
                              actor_line_user_id=ctx.line_user.user_id)
    except aud.AudienceError as exc:  # e.g. the unit was removed meanwhile: choose again
        return _ask_audience(data, f"{exc}\nกรุณาเลือกผู้รับอีกครั้ง")
    except ValueError as exc:  # the chosen time has passed while the preview was open
        return Step([m.text(f"{exc}\nกรุณาเลือกเวลาส่งใหม่", [
            m.message_action("ส่งทันที"), m.message_action("พรุ่งนี้ 08:30"), _cancel()])],
            "when", data)
    if announcement.status == SendStatus.SENT:
        done = f"ส่งประกาศแล้ว ถึง {announcement.recipient_count:,} คน"
        if not office_window(ctx.session, ctx.now):
            done += "\nขณะนี้นอกเวลาราชการ ระบบจะทยอยส่งถึงผู้รับเมื่อถึงเวลาราชการ"
    else:
        done = f"ตั้งเวลาส่งประกาศแล้ว: {format_datetime(announcement.scheduled_for)}"
    return Step([m.text(f"{done}\nดูผลการรับทราบได้ด้วยคำสั่ง สรุปประกาศ",
                        [m.message_action("สรุปประกาศ")])])


STEPS = {
    "text": on_text,
    "attach": on_attach,
    "audience": on_audience,
    "unit": on_unit,
    "role": on_role,
    "when": on_when,
    "confirm": on_confirm,
}


# --- creating and sending -------------------------------------------------------------------

def create(session: Session, *, author: Staff, body: str, kind: str, value: str,
           when: datetime | None, now: datetime, attachment_id: int | None = None,
           actor_line_user_id: str | None = None) -> Announcement:
    """Store an announcement; send it now (through the outbox) or at `when`. Audited."""
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
        dispatch(session, announcement, now)
    return announcement


def recipient_messages(announcement_id: int, body: str,
                       attachment_url: str | None) -> list[m.Message]:
    """What each recipient gets: the text in a bubble with รับทราบ (and the attachment link)."""
    actions = [m.postback_action(ACK_BUTTON, f"action=ack&a={announcement_id}", ACK_BUTTON)]
    if attachment_url:
        actions.append(m.uri_action("เปิดไฟล์แนบ", attachment_url))
    alt = m.shorten("📢 ประกาศ: " + body, m.MAX_ALT_TEXT)
    return [m.buttons(alt, body, actions, title="📢 ประกาศจาก HR")]


def attachment_url(announcement: Announcement) -> str | None:
    if not announcement.attachment_id or not announcement.attachment_token:
        return None
    return links.url(f"/files/announcement/{announcement.id}/{announcement.attachment_token}")


def dispatch(session: Session, announcement: Announcement, now: datetime) -> int:
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
                                  attachment_url(announcement))
    rows = (enqueue_multicast(session, [user_id for _, user_id in reachable if user_id], messages,
                              ANNOUNCEMENT) if reachable else [])
    session.flush()
    outbox_of: dict[str, int] = {}
    for row in rows:
        for user_id in row.recipients:
            outbox_of[user_id] = row.id
    if people:
        session.execute(AnnouncementRecipient.__table__.insert(), [
            {"announcement_id": announcement.id, "staff_id": staff_id, "line_user_id": user_id,
             "outbox_id": outbox_of.get(user_id) if user_id else None}
            for staff_id, user_id in people])
    announcement.status, announcement.sent_at = SendStatus.SENT, now
    announcement.recipient_count = len(reachable)
    audit(session, "announcement.sent", actor_staff_id=announcement.author_id,
          subject=f"announcement:{announcement.id}", recipients=len(reachable),
          not_on_line=len(people) - len(reachable), outbox_rows=len(rows))
    return len(reachable)


def send_due_announcements(session: Session, now: datetime) -> int:
    """Scheduler job: send every announcement whose time has come; return how many."""
    due = session.scalars(select(Announcement).where(
        Announcement.status == SendStatus.SCHEDULED, Announcement.scheduled_for <= now)
        .order_by(Announcement.scheduled_for, Announcement.id)).all()
    sent = 0
    for announcement in due:
        dispatch(session, announcement, now)
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


# --- acknowledgement and summaries ----------------------------------------------------------

def acknowledge(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    """The รับทราบ button: only a recipient of that announcement (checked in the database)."""
    from handlers import texts

    raw = params.get("a", "")
    if ctx.staff is None or not is_id(raw):
        return [m.text(texts.STALE_BUTTON, ctx.menu)]
    row = ctx.session.scalars(select(AnnouncementRecipient).where(
        AnnouncementRecipient.announcement_id == int(raw),
        AnnouncementRecipient.staff_id == ctx.staff.id)
        .with_for_update()).first()  # a double tap waits here and then sees the first
    if row is None:
        audit(ctx.session, "postback.refused", actor_line_user_id=ctx.line_user.user_id,
              actor_staff_id=ctx.staff.id, data=f"ack {raw}")
        return [m.text(texts.STALE_BUTTON, ctx.menu)]
    if row.acknowledged_at is not None:
        return [m.text(ACK_AGAIN.format(at=format_datetime(row.acknowledged_at)), ctx.menu)]
    row.acknowledged_at = ctx.now
    audit(ctx.session, "announcement.acknowledged", actor_staff_id=ctx.staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"announcement:{raw}")
    return [m.text(ACK_THANKS, ctx.menu)]


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


def _summary_text(session: Session, announcements: Sequence[Announcement], title: str) -> str:
    figures = stats(session, [a.id for a in announcements])
    lines = [title]
    for a in announcements:
        f = figures[a.id]
        when = format_datetime(a.sent_at) if a.sent_at else (
            f"ตั้งเวลา {format_datetime(a.scheduled_for)}" if a.status == SendStatus.SCHEDULED
            else "ยกเลิกแล้ว")
        lines.append(f"\n#{a.id} {m.shorten(a.body.splitlines()[0], 40)}\n{a.audience_label} · {when}")
        if a.status == SendStatus.SENT:
            lines.append(f"ส่ง {f['sent']:,} · ถึงแล้ว {f['delivered']:,} · รับทราบ "
                         f"{f['acknowledged']:,} · ยังไม่รับทราบ {f['not_acknowledged']:,}")
    return m.shorten("\n".join(lines))


def summary(ctx: Context) -> list[m.Message]:
    """`สรุปประกาศ`: the agency's latest five announcements with their figures."""
    if not is_hr(ctx.session, ctx.staff):
        return [m.text(NOT_HR, ctx.menu)]
    assert ctx.staff is not None
    latest = ctx.session.scalars(select(Announcement).where(
        Announcement.agency_id == ctx.staff.agency_id)
        .order_by(Announcement.created_at.desc(), Announcement.id.desc()).limit(5)).all()
    if not latest:
        return [m.text("ยังไม่มีประกาศ\nพิมพ์ ประกาศ เพื่อเริ่ม", ctx.menu)]
    actions = [m.postback_action(f"รายชื่อ #{a.id}", f"action=annnames&a={a.id}",
                                 f"ผู้ที่ยังไม่รับทราบประกาศ #{a.id}")
               for a in latest if a.status == SendStatus.SENT]
    return [m.text(_summary_text(ctx.session, latest, "สรุปประกาศล่าสุด"),
                   actions + [m.message_action("ประกาศ")])]


def names(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    """Who has not acknowledged one announcement (HR of the same agency only)."""
    from handlers import texts

    raw = params.get("a", "")
    announcement = ctx.session.get(Announcement, int(raw)) if is_id(raw) else None
    if not is_hr(ctx.session, ctx.staff) or announcement is None or ctx.staff is None \
            or announcement.agency_id != ctx.staff.agency_id:
        return [m.text(texts.STALE_BUTTON if is_hr(ctx.session, ctx.staff) else NOT_HR, ctx.menu)]
    missing = not_acknowledged(ctx.session, announcement.id)
    if not missing:
        return [m.text(f"ประกาศ #{announcement.id}: ทุกคนรับทราบแล้ว 🎉", ctx.menu)]
    shown = "\n".join(f"• {name}" for name in missing[:NAMES_SHOWN])
    more = f"\nและอีก {len(missing) - NAMES_SHOWN:,} คน (ดูทั้งหมดในหน้าเว็บ HR)" \
        if len(missing) > NAMES_SHOWN else ""
    return [m.text(m.shorten(f"ยังไม่รับทราบประกาศ #{announcement.id} "
                             f"{len(missing):,} คน\n{shown}{more}"), ctx.menu)]


def end_of_day_summaries(session: Session, now: datetime) -> int:
    """Scheduler job (after 17:00 Bangkok): each author gets today's figures, once per day."""
    local = now.astimezone(BANGKOK)
    if local.time() < SUMMARY_HOUR:
        return 0
    today = local.date()
    # Since yesterday's start: one sent after yesterday's summary (say 17:30) is in today's.
    start = datetime.combine(today - timedelta(days=1), time(0), BANGKOK)
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
                             f"สรุปประกาศประจำวันที่ {format_date(today)}")
        enqueue_push(session, user_id, [m.text(text, [
            m.postback_action(f"รายชื่อ #{a.id}", f"action=annnames&a={a.id}")
            for a in announcements[-5:]])])
        audit(session, "announcement.daily_summary", actor_staff_id=author_id,
              announcements=[a.id for a in announcements])
        sent += 1
    return sent
