"""HR announcements over LINE: `ประกาศ` → text → optional image/file → audience → when →
preview with the exact count → ยืนยัน. Each announcement carries a รับทราบ button; HR asks for
`สรุปประกาศ` or gets it at the end of the day. Sending goes through the outbox only
(handlers/announcements.py).

```mermaid
stateDiagram-v2
    [*] --> text: ประกาศ (HR only)
    text --> text: empty or over 2,000 characters (asked again)
    text --> attach: the announcement's text
    attach --> attach: anything but ไม่แนบ (asked again)
    attach --> audience: an image or file / ไม่แนบ
    audience --> audience: not one of the choices, or nobody on LINE in it (asked again)
    audience --> unit: ตามหน่วยงาน
    audience --> role: ตามบทบาท
    audience --> when: ทุกคน / ยังไม่รายงาน
    unit --> unit: not a number in the list (asked again)
    unit --> audience: a unit with nobody on LINE
    unit --> when: a unit's number
    role --> role: not a role (asked again)
    role --> audience: a role with nobody on LINE
    role --> when: a role
    when --> when: unreadable, past, over 180 days ahead / a day off (next office day offered)
    when --> confirm: ส่งทันที / a time (the preview with the exact count)
    confirm --> confirm: anything else (asked again)
    confirm --> text: แก้ไข
    confirm --> audience: the audience is gone meanwhile
    confirm --> when: the time has passed meanwhile
    confirm --> [*]: ยืนยัน (sent, or scheduled) / ยกเลิก
```
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from sqlalchemy import select

from handlers import audience as aud
from handlers import messages as m
from handlers import office_time, texts
from handlers.announcements import (
    MAX_BODY,
    _summary_text,
    create,
    not_acknowledged,
    recipient_messages,
)
from handlers.context import Context, Step, cancel_action
from handlers.events import MediaReceived
from handlers.flow import Flow
from handlers.postbacks import AcknowledgeAnnouncement, AnnouncementNames, encode
from models import (
    Announcement,
    AnnouncementRecipient,
    Audience,
    Evidence,
    SendStatus,
    audit,
)
from models.numbers import is_id
from models.org import is_hr
from thai import format_date, format_datetime, normalize, thai_digits_to_arabic

ATTACHMENT_KINDS = ("image", "video", "audio", "file")
NAMES_SHOWN = 60

# The prompts live with every other text the bot says (handlers/texts.py).
ASK_TEXT = texts.ANNOUNCE_ASK_TEXT
ASK_ATTACH = texts.ANNOUNCE_ASK_ATTACH
ASK_AUDIENCE = texts.ANNOUNCE_ASK_AUDIENCE
ASK_UNIT = texts.ANNOUNCE_ASK_UNIT
ASK_ROLE = texts.ANNOUNCE_ASK_ROLE
ASK_WHEN = texts.ANNOUNCE_ASK_WHEN
NO_ROUND = texts.ANNOUNCE_NO_ROUND
BAD_TIME = texts.ANNOUNCE_BAD_TIME
EMPTY_AUDIENCE = texts.ANNOUNCE_EMPTY_AUDIENCE
ACK_THANKS = texts.ANNOUNCE_ACK_THANKS
ACK_AGAIN = texts.ANNOUNCE_ACK_AGAIN

AUDIENCE_CHOICES = {
    "ทุกคน": Audience.EVERYONE,
    "ตามหน่วยงาน": Audience.UNIT,
    "ตามบทบาท": Audience.ROLE,
    "ยังไม่รายงาน": Audience.NOT_REPORTED,
}
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?")


class AnnounceState(StrEnum):
    TEXT = "text"
    ATTACH = "attach"
    AUDIENCE = "audience"
    UNIT = "unit"
    ROLE = "role"
    WHEN = "when"
    CONFIRM = "confirm"


@dataclass
class Draft:
    """The announcement being composed."""

    body: str = ""
    attachment_id: int | None = None
    attachment_kind: str | None = None
    units: list[int] | None = None  # the numbered units offered, while one is chosen
    audience: str | None = None
    value: str | None = None
    when: str | None = None  # ISO moment; None: send at once
    expected: int | None = None  # recipients on LINE, as the preview said
    day_off: str | None = None  # ISO moment on a day off, while HR is asked whether it stays


# --- the chat flow --------------------------------------------------------------------------

def start(ctx: Context) -> Step:
    if not is_hr(ctx.session, ctx.staff):
        return Step([m.text(texts.NOT_HR, ctx.menu)])
    return Step([m.text(ASK_TEXT, [cancel_action()])], AnnounceState.TEXT, Draft())


def on_body(ctx: Context, text: str, data: Draft) -> Step:
    body = text.strip()
    if not body:
        return Step([m.text(ASK_TEXT, [cancel_action()])], AnnounceState.TEXT, data)
    if len(body) > MAX_BODY:
        return Step([m.text(f"ข้อความยาว {len(body):,} ตัวอักษร เกิน 2,000\nกรุณาย่อแล้วส่งใหม่",
                            [cancel_action()])], AnnounceState.TEXT, data)
    data.body = body
    return Step([m.text(ASK_ATTACH, [m.message_action("ไม่แนบ"), cancel_action()])],
                AnnounceState.ATTACH, data)


def on_attach(ctx: Context, text: str, data: Draft) -> Step:
    if normalize(text).replace(" ", "") not in ("ไม่แนบ", "ข้าม", "ไม่มี"):
        return Step([m.text(ASK_ATTACH, [m.message_action("ไม่แนบ"), cancel_action()])],
                    AnnounceState.ATTACH, data)
    return _ask_audience(data)


def on_media(ctx: Context, event: MediaReceived, state: str, data: Draft) -> Step:
    """An image or file while announcing is its attachment (kept like report evidence)."""
    if state != AnnounceState.ATTACH or event.kind not in ATTACHMENT_KINDS or ctx.staff is None:
        return Step([m.text("ตอนนี้ยังไม่รับไฟล์ กรุณาทำตามขั้นตอน", [cancel_action()])], state, data)
    evidence = ctx.session.scalars(select(Evidence).where(
        Evidence.line_message_id == event.message_id[:64])).first()
    if evidence is None:
        evidence = Evidence(staff_id=ctx.staff.id, line_message_id=event.message_id[:64],
                            kind=event.kind)
        ctx.session.add(evidence)
        ctx.session.flush()
    data.attachment_id, data.attachment_kind = evidence.id, event.kind
    return _ask_audience(data, "รับไฟล์แนบแล้ว")


def _ask_audience(data: Draft, intro: str | None = None) -> Step:
    actions = [m.message_action(label) for label in AUDIENCE_CHOICES] + [cancel_action()]
    body = f"{intro}\n{ASK_AUDIENCE}" if intro else ASK_AUDIENCE
    return Step([m.text(body, actions)], AnnounceState.AUDIENCE, data)


def on_audience(ctx: Context, text: str, data: Draft) -> Step:
    assert ctx.staff is not None
    kind = AUDIENCE_CHOICES.get(normalize(text).replace(" ", ""))
    if kind is None:
        return _ask_audience(data, "กรุณาเลือกจากปุ่มด้านล่าง")
    if kind == Audience.UNIT:
        units = aud.units(ctx.session, ctx.staff.agency_id)
        listing = "\n".join(f"{n}. {unit.name_th}" for n, unit in enumerate(units, 1))
        actions = [m.message_action(m.shorten_label(f"{n}. {unit.name_th}"), str(n))
                   for n, unit in enumerate(units[:12], 1)]
        data.units = [unit.id for unit in units]
        return Step([m.text(m.shorten(f"{ASK_UNIT}\n{listing}"), actions + [cancel_action()])],
                    AnnounceState.UNIT, data)
    if kind == Audience.ROLE:
        actions = [m.message_action(label) for label in aud.ROLE_CHOICES.values()]
        return Step([m.text(ASK_ROLE, actions + [cancel_action()])], AnnounceState.ROLE, data)
    return _chosen(ctx, data, kind, "")


def on_unit(ctx: Context, text: str, data: Draft) -> Step:
    choice = thai_digits_to_arabic(text.strip()).rstrip(".")
    units = data.units or []
    if not is_id(choice) or not 1 <= int(choice) <= len(units):
        return Step([m.text(f"กรุณาพิมพ์หมายเลข 1–{len(units)}", [cancel_action()])],
                    AnnounceState.UNIT, data)
    return _chosen(ctx, data, Audience.UNIT, str(units[int(choice) - 1]))


def on_role(ctx: Context, text: str, data: Draft) -> Step:
    wanted = normalize(text).strip()
    for value, label in aud.ROLE_CHOICES.items():
        if wanted == label:
            return _chosen(ctx, data, Audience.ROLE, str(value))
    actions = [m.message_action(label) for label in aud.ROLE_CHOICES.values()]
    return Step([m.text(f"กรุณาเลือกบทบาท\n{ASK_ROLE}", actions + [cancel_action()])],
                AnnounceState.ROLE, data)


def _chosen(ctx: Context, data: Draft, kind: str, value: str) -> Step:
    assert ctx.staff is not None
    try:
        count = aud.count(ctx.session, ctx.staff.agency_id, kind, value, ctx.now.date())
    except aud.AudienceError as exc:
        return _ask_audience(data, str(exc))
    if count.on_line == 0:
        return _ask_audience(data, EMPTY_AUDIENCE)
    data.units = None
    data.audience, data.value = kind, value
    return Step([m.text(ASK_WHEN, [m.message_action("ส่งทันที"),
                                   m.message_action("พรุ่งนี้ 08:30"), cancel_action()])],
                AnnounceState.WHEN, data)


def parse_when(text: str, now: datetime, tz: tzinfo) -> datetime | None:
    """`ส่งทันที` → now; `พรุ่งนี้ 08:30`, `วันนี้ 15:00`, `25/11 09:00`, `25/11/2569 9.00`
    (BE or CE year), `08:30` (today) → that moment in `tz`; None if unreadable or past."""
    words = normalize(thai_digits_to_arabic(text)).replace(" ", "")
    if words in ("ส่งทันที", "ทันที", "ตอนนี้"):
        return now
    local = now.astimezone(tz)
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
        moment = datetime.combine(day, time(hour, minute), tz)
    except ValueError:
        return None
    if moment <= now or moment > now + timedelta(days=180):
        return None
    return moment


def on_when(ctx: Context, text: str, data: Draft) -> Step:
    assert ctx.staff is not None
    asked, data.day_off = data.day_off, None
    keep = normalize(text).replace(" ", "") == texts.ANNOUNCE_KEEP_DAY_OFF.replace(" ", "")
    when = datetime.fromisoformat(asked) if keep and asked else parse_when(text, ctx.now, ctx.tz)
    if when is not None and when != ctx.now and not keep \
            and not office_time.is_office_day(ctx.session, when.astimezone(ctx.tz).date(),
                                            ctx.staff.agency_id):
        return _question_day_off(ctx, when, data)
    if when is None:
        return Step([m.text(BAD_TIME, [m.message_action("ส่งทันที"),
                                       m.message_action("พรุ่งนี้ 08:30"), cancel_action()])],
                    AnnounceState.WHEN, data)
    data.when = None if when == ctx.now else when.isoformat()
    return _preview(ctx, data)


def _question_day_off(ctx: Context, when: datetime, data: Draft) -> Step:
    """A time on a day off: questioned once, with the next office day at the same time."""
    assert ctx.staff is not None
    local = when.astimezone(ctx.tz)
    instead = datetime.combine(office_time.next_office_day(ctx.session, local.date(),
                                                            ctx.staff.agency_id),
                               local.timetz().replace(tzinfo=None), ctx.tz)
    data.day_off = when.isoformat()
    typed = f"{instead.day}/{instead.month}/{instead.year + 543} {instead:%H:%M}"
    return Step([m.text(texts.ANNOUNCE_DAY_OFF.format(
        day=format_date(local.date()), instead=format_datetime(instead, ctx.tz)),
        [m.message_action(texts.ANNOUNCE_NEXT_OFFICE_DAY, typed),
         m.message_action(texts.ANNOUNCE_KEEP_DAY_OFF), cancel_action()])],
        AnnounceState.WHEN, data)


def _preview(ctx: Context, data: Draft) -> Step:
    assert ctx.staff is not None
    assert data.audience is not None and data.value is not None
    count = aud.count(ctx.session, ctx.staff.agency_id, data.audience, data.value,
                      ctx.now.date())
    who = aud.label(ctx.session, ctx.staff.agency_id, data.audience, data.value)
    when = (format_datetime(datetime.fromisoformat(data.when), ctx.tz) if data.when
            else "ส่งทันทีหลังยืนยัน")
    not_reachable = count.people - count.on_line
    lines = [f"ผู้รับ: {who}", f"จำนวน {count.on_line:,} คน"
             + (f" (อีก {not_reachable:,} คนยังไม่เชื่อม LINE จะไม่ได้รับ)" if not_reachable else ""),
             f"เวลาส่ง: {when}"]
    if data.attachment_id:
        lines.append("แนบไฟล์ 1 รายการ")
    data.expected = count.on_line
    sample = recipient_messages(0, data.body, None)[0]
    return Step([sample, m.text("ตัวอย่างด้านบนคือสิ่งที่ผู้รับจะเห็น\n" + "\n".join(lines)
                                + "\n\nกด ยืนยัน เพื่อส่ง",
                                [m.message_action("ยืนยัน"), m.message_action("แก้ไข"),
                                 cancel_action()])], AnnounceState.CONFIRM, data)


def on_confirm(ctx: Context, text: str, data: Draft) -> Step:
    assert ctx.staff is not None
    word = normalize(text).replace(" ", "")
    if word == "แก้ไข":
        return Step([m.text(ASK_TEXT, [cancel_action()])], AnnounceState.TEXT, Draft())
    if word != "ยืนยัน":
        return Step([m.text("กด ยืนยัน เพื่อส่ง หรือ แก้ไข / ยกเลิก",
                            [m.message_action("ยืนยัน"), m.message_action("แก้ไข"), cancel_action()])],
                    AnnounceState.CONFIRM, data)
    when = datetime.fromisoformat(data.when) if data.when else None
    assert data.audience is not None and data.value is not None
    try:
        announcement = create(ctx.session, author=ctx.staff, body=data.body,
                              kind=data.audience, value=data.value, when=when,
                              now=ctx.now, attachment_id=data.attachment_id,
                              actor_line_user_id=ctx.line_user.user_id,
                              public_base_url=ctx.public_base_url)
    except aud.AudienceError as exc:  # e.g. the unit was removed meanwhile: choose again
        return _ask_audience(data, f"{exc}\nกรุณาเลือกผู้รับอีกครั้ง")
    except ValueError as exc:  # the chosen time has passed while the preview was open
        return Step([m.text(f"{exc}\nกรุณาเลือกเวลาส่งใหม่", [
            m.message_action("ส่งทันที"), m.message_action("พรุ่งนี้ 08:30"), cancel_action()])],
            AnnounceState.WHEN, data)
    # "ส่งแล้ว" only when it goes now: announcements wait for office hours (scheduler/delivery.py)
    goes = office_time.office_start_after(ctx.session, announcement.scheduled_for, ctx.tz,
                                          ctx.staff.agency_id)
    if announcement.status == SendStatus.SENT and goes <= ctx.now:
        done = texts.ANNOUNCE_SENT.format(count=announcement.recipient_count)
    elif announcement.status == SendStatus.SENT:
        done = texts.ANNOUNCE_HELD.format(count=announcement.recipient_count,
                                          at=format_datetime(goes, ctx.tz))
    elif goes > announcement.scheduled_for:
        done = texts.ANNOUNCE_SCHEDULED_HELD.format(
            at=format_datetime(announcement.scheduled_for, ctx.tz),
            goes=format_datetime(goes, ctx.tz))
    else:
        done = texts.ANNOUNCE_SCHEDULED.format(
            at=format_datetime(announcement.scheduled_for, ctx.tz))
    return Step([m.text(f"{done}\nดูผลการรับทราบได้ด้วยคำสั่ง สรุปประกาศ",
                        [m.message_action("สรุปประกาศ")])])




# --- creating and sending -------------------------------------------------------------------


# --- acknowledgement and summaries ----------------------------------------------------------

def acknowledge(ctx: Context, tap: AcknowledgeAnnouncement) -> list[m.Message]:
    """The รับทราบ button: only a recipient of that announcement (checked in the database)."""
    raw = str(tap.a)
    assert ctx.staff is not None
    row = ctx.session.scalars(select(AnnouncementRecipient).where(
        AnnouncementRecipient.announcement_id == tap.a,
        AnnouncementRecipient.staff_id == ctx.staff.id)
        .with_for_update()).first()  # a double tap waits here and then sees the first
    if row is None:
        audit(ctx.session, "postback.refused", actor_line_user_id=ctx.line_user.user_id,
              actor_staff_id=ctx.staff.id, data=f"ack {raw}")
        return [m.text(texts.STALE_BUTTON, ctx.menu)]
    if row.acknowledged_at is not None:
        return [m.text(ACK_AGAIN.format(at=format_datetime(row.acknowledged_at, ctx.tz)),
                       ctx.menu)]
    row.acknowledged_at = ctx.now
    audit(ctx.session, "announcement.acknowledged", actor_staff_id=ctx.staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"announcement:{raw}")
    return [m.text(ACK_THANKS, ctx.menu)]


def summary(ctx: Context) -> list[m.Message]:
    """`สรุปประกาศ`: the agency's latest five announcements with their figures."""
    if not is_hr(ctx.session, ctx.staff):
        return [m.text(texts.NOT_HR, ctx.menu)]
    assert ctx.staff is not None
    latest = ctx.session.scalars(select(Announcement).where(
        Announcement.agency_id == ctx.staff.agency_id)
        .order_by(Announcement.created_at.desc(), Announcement.id.desc()).limit(5)).all()
    if not latest:
        return [m.text("ยังไม่มีประกาศ\nพิมพ์ ประกาศ เพื่อเริ่ม", ctx.menu)]
    actions = [m.postback_action(f"รายชื่อ #{a.id}", encode(AnnouncementNames(a.id)),
                                 f"ผู้ที่ยังไม่รับทราบประกาศ #{a.id}")
               for a in latest if a.status == SendStatus.SENT]
    return [m.text(_summary_text(ctx.session, latest, "สรุปประกาศล่าสุด", ctx.tz),
                   actions + [m.message_action("ประกาศ")])]


def names(ctx: Context, tap: AnnouncementNames) -> list[m.Message]:
    """Who has not acknowledged one announcement (HR of the same agency only)."""
    announcement = ctx.session.get(Announcement, tap.a)
    if not is_hr(ctx.session, ctx.staff) or announcement is None or ctx.staff is None \
            or announcement.agency_id != ctx.staff.agency_id:
        return [m.text(texts.STALE_BUTTON if is_hr(ctx.session, ctx.staff) else texts.NOT_HR,
                       ctx.menu)]
    missing = not_acknowledged(ctx.session, announcement.id)
    if not missing:
        return [m.text(f"ประกาศ #{announcement.id}: ทุกคนรับทราบแล้ว 🎉", ctx.menu)]
    shown = "\n".join(f"• {name}" for name in missing[:NAMES_SHOWN])
    more = f"\nและอีก {len(missing) - NAMES_SHOWN:,} คน (ดูทั้งหมดในหน้าเว็บ HR)" \
        if len(missing) > NAMES_SHOWN else ""
    return [m.text(m.shorten(f"ยังไม่รับทราบประกาศ #{announcement.id} "
                             f"{len(missing):,} คน\n{shown}{more}"), ctx.menu)]




FLOW = Flow(
    name="announce",
    states=AnnounceState,
    steps={AnnounceState.TEXT: on_body, AnnounceState.ATTACH: on_attach,
           AnnounceState.AUDIENCE: on_audience, AnnounceState.UNIT: on_unit,
           AnnounceState.ROLE: on_role, AnnounceState.WHEN: on_when,
           AnnounceState.CONFIRM: on_confirm},
    data=Draft,
    commands={"ประกาศ": start, "สรุปประกาศ": summary},
    taps={AcknowledgeAnnouncement: acknowledge, AnnouncementNames: names},
    on_media=on_media,
    diagram=__doc__,
)
