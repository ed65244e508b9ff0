"""Everyday chat: greetings, thanks, "ทำอะไรได้บ้าง", "ดูคะแนน", "รับทราบค่ะ" and the like.

The intent table `INTENTS` is data: the words that signal each intent, the answer for a linked
person and for one not linked yet, and the commands offered next as quick replies. It is the
last flow asked (after every command, flow step and free-text reader), so it only ever takes
what nobody else did. What it does not recognise either is answered with the two or three
closest commands and kept (models/chat_log.py) for HR's console page
"ข้อความที่ระบบยังไม่เข้าใจ", so the table can grow from real use.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select

from handlers import documents, menus, texts
from handlers import messages as m
from handlers.context import Answer, Context, command_key
from handlers.flow import Flow
from models import Announcement, AnnouncementRecipient, SendStatus, Staff, audit
from models.chat_log import log_unknown
from models.org import hr_admin_ids

# Politeness and filler words dropped before matching ("ขอบคุณครับผม" → "ขอบคุณ").
_PARTICLES = re.compile(
    r"(ครับผม|ครับ|คร้าบ|ครัช|คับ|ค้าบ+|ค่ะ|คะ|ค่า|จ้า|จ้ะ|จ่ะ|ฮะ|นะ|น้า|หน่อย|ด้วย|"
    r"[!?.~ๆ]+)")
LAUGHTER = re.compile(r"^(?:5{3,}\+*|(?:ฮ่?า)+ฮ่?า)$")


@dataclass(frozen=True)
class Intent:
    """One row of the table: a message *starting with* one of `starts` or *containing* one of
    `contains` (both in `key` form) gets `answer` (`unlinked` for someone not linked yet) and
    the commands in `offers`."""

    name: str
    answer: str | Callable[[Context], str]
    starts: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    unlinked: str | None = None  # None: `answer` for everyone
    offers: tuple[str, ...] = ()
    offers_unlinked: tuple[str, ...] = ("เชื่อมบัญชี", "ช่วยเหลือ")
    # answers with its own messages (a button, a link) instead of `answer` as text
    reply: Callable[[Context], list[m.Message]] | None = None


def _greeting(ctx: Context) -> str:
    assert ctx.staff is not None
    return texts.INTENT_GREETING.format(name=texts.address(ctx.staff.name_th))


def _contact_hr(ctx: Context) -> str:
    if ctx.staff is None:
        return texts.INTENT_CONTACT_HR
    names = ctx.session.scalars(select(Staff.name_th).where(
        Staff.id.in_(hr_admin_ids(ctx.session, ctx.staff.agency_id))).order_by(Staff.name_th))
    shown = ", ".join(names)
    if not shown:
        return texts.INTENT_CONTACT_HR
    return f"{texts.INTENT_CONTACT_HR}\n{texts.INTENT_CONTACT_HR_NAMES.format(names=shown)}"


def _acknowledge(ctx: Context) -> str:
    """`รับทราบ`: the person's latest sent announcement they have not acknowledged yet."""
    if ctx.staff is None:
        return texts.NOT_LINKED
    row = ctx.session.execute(
        select(AnnouncementRecipient, Announcement)
        .join(Announcement, Announcement.id == AnnouncementRecipient.announcement_id)
        .where(AnnouncementRecipient.staff_id == ctx.staff.id,
               AnnouncementRecipient.acknowledged_at.is_(None),
               Announcement.status == SendStatus.SENT)
        .order_by(Announcement.sent_at.desc(), Announcement.id.desc()).limit(1)).first()
    if row is None:
        return texts.ACK_NOTHING
    recipient, announcement = row
    recipient.acknowledged_at = ctx.now
    audit(ctx.session, "announcement.acknowledged", actor_staff_id=ctx.staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"announcement:{announcement.id}",
          data="typed")
    return texts.ACK_LATEST.format(preview=m.shorten(" ".join(announcement.body.split()), 60))


# The table. Order matters: the first row that matches answers, so the specific rows
# ("อยากรายงาน…") come before the general ones (a greeting in front of a question).
INTENTS: tuple[Intent, ...] = (
    Intent("acknowledge", _acknowledge, starts=("รับทราบ", "ทราบแล้ว", "รับทราบแล้ว"),
           offers=("ตัวชี้วัดของฉัน", "ช่วยเหลือ")),
    Intent("no_code", texts.INTENT_NO_CODE_LINKED,
           contains=("ไม่มีรหัส", "ยังไม่มีรหัส", "ลืมรหัส", "รหัสหาย", "ขอรหัส", "ไม่ได้รหัส",
                     "รหัสอะไร", "เอารหัสจากไหน", "รหัสเชื่อม", "ไม่ได้รับรหัส"),
           unlinked=texts.INTENT_NO_CODE,
           offers=("ตัวชี้วัดของฉัน", "ช่วยเหลือ"), offers_unlinked=("ติดต่อ HR", "ช่วยเหลือ")),
    Intent("contact_hr", _contact_hr,
           contains=("ติดต่อhr", "ติดต่อเจ้าหน้าที่", "คุยกับhr", "เบอร์hr", "ติดต่อฝ่ายบุคคล",
                     "ติดต่อการเจ้าหน้าที่", "คุยกับเจ้าหน้าที่", "ติดต่อแอดมิน"),
           offers=("ช่วยเหลือ",), offers_unlinked=("เชื่อมบัญชี", "ช่วยเหลือ")),
    Intent("capabilities", texts.INTENT_CAPABILITIES,
           contains=("ทำอะไรได้บ้าง", "ทำอะไรได้", "ใช้ยังไง", "ใช้อย่างไร", "วิธีใช้",
                     "ใช้งานยังไง", "เริ่มยังไง", "ช่วยอะไรได้"),
           unlinked=texts.INTENT_CAPABILITIES_UNLINKED,
           offers=("ตัวชี้วัดของฉัน", "รายงานความก้าวหน้า", "ช่วยเหลือ")),
    Intent("report", texts.INTENT_REPORT,
           contains=("อยากรายงาน", "ขอรายงาน", "จะรายงาน", "ต้องการรายงาน", "ส่งผลงาน",
                     "รายงานผล", "รายงานงาน", "ส่งรายงาน"),
           unlinked=texts.NOT_LINKED,
           offers=("รายงานความก้าวหน้า", "รายงานการอบรม", "ตัวชี้วัดของฉัน")),
    Intent("result_pdf", "", reply=documents.result_link,
           contains=("ผลประเมินpdf", "ผลการประเมินpdf", "ผลประเมินของฉันpdf",
                     "ผลการประเมินของฉันpdf", "pdfผลประเมิน", "pdfผลการประเมิน",
                     "พิมพ์ผลประเมิน", "พิมพ์ผลการประเมิน", "ไฟล์ผลประเมิน", "ไฟล์ผลการประเมิน",
                     "ผลประเมินเป็นไฟล์", "ผลการประเมินเป็นไฟล์", "แบบสรุปการประเมิน"),
           unlinked=texts.NOT_LINKED),
    Intent("results", texts.INTENT_RESULTS,
           contains=("ดูคะแนน", "คะแนน", "ผลของฉัน", "ผลประเมิน", "ดูผล", "ได้กี่คะแนน",
                     "ผลงานของฉัน"),
           unlinked=texts.NOT_LINKED,
           offers=("ผลการประเมิน", "ตัวชี้วัดของฉัน")),
    Intent("deadlines", texts.INTENT_DEADLINES,
           contains=("ส่งเมื่อไร", "ส่งเมื่อไหร่", "ส่งวันไหน", "หมดเขต", "ส่งภายใน",
                     "deadline"),
           unlinked=texts.NOT_LINKED,
           offers=("กำหนดส่ง", "รายงานความก้าวหน้า")),
    Intent("thanks", texts.INTENT_THANKS, starts=("ขอบคุณ", "ขอบใจ", "thank", "ขอบพระคุณ"),
           offers=("ตัวชี้วัดของฉัน", "ช่วยเหลือ")),
    Intent("greeting", _greeting,
           starts=("สวัสดี", "หวัดดี", "ดีครับ", "ดีค่ะ", "hello", "hi", "อรุณสวัสดิ์"),
           unlinked=texts.INTENT_GREETING_UNLINKED,
           offers=("ตัวชี้วัดของฉัน", "รายงานความก้าวหน้า", "ช่วยเหลือ")),
    Intent("laughter", texts.INTENT_LAUGH, starts=("555",),
           offers=("ตัวชี้วัดของฉัน", "ช่วยเหลือ")),
)


def key(text: str) -> str:
    """A message as the table reads it: the command key without politeness particles."""
    return _PARTICLES.sub("", command_key(text))


def is_laughter(text: str) -> bool:
    """"555", "5555+", "ฮ่าฮ่า": laughter, never a number or an answer."""
    return bool(LAUGHTER.match(command_key(text)))


def match(text: str) -> Intent | None:
    """The first row of the table this message matches."""
    typed, raw = key(text), command_key(text)
    if not typed and not raw:
        return None
    for intent in INTENTS:
        if any(typed.startswith(word) or raw.startswith(word) for word in intent.starts) \
                or any(word in typed or word in raw for word in intent.contains):
            return intent
    if is_laughter(text):
        return next(i for i in INTENTS if i.name == "laughter")
    return None


def answer(ctx: Context, intent: Intent) -> list[m.Message]:
    """The intent's answer for this person, with what to do next as quick replies."""
    if intent.reply is not None and ctx.staff is not None:
        return intent.reply(ctx)
    if ctx.staff is None:
        body = intent.unlinked or (intent.answer if isinstance(intent.answer, str)
                                   else intent.answer(ctx))
        offers = intent.offers_unlinked
    else:
        body = intent.answer if isinstance(intent.answer, str) else intent.answer(ctx)
        first = texts.WELCOME_FIRST[menus.menu_kind(ctx.roles)]  # the role's first step
        wanted = (first, *intent.offers) if intent.name == "greeting" else intent.offers
        offers = tuple(dict.fromkeys(o for o in wanted if o in {a["label"] for a in ctx.menu}
                                     or o == "ช่วยเหลือ"))
    return [m.text(body, [m.message_action(label) for label in offers] or ctx.menu)]


def closest_commands(ctx: Context, text: str, count: int = 3) -> list[str]:
    """The `count` commands of the person's menu most like what they typed (ช่วยเหลือ last)."""
    typed = key(text)
    labels = [a["label"] for a in ctx.menu if a["label"] != "ช่วยเหลือ"]

    def likeness(label: str) -> float:
        wanted = command_key(label)
        matcher = SequenceMatcher(None, typed, wanted, autojunk=False)
        common = matcher.find_longest_match(0, len(typed), 0, len(wanted)).size
        return common / max(len(wanted), 1) + matcher.ratio()

    ranked = sorted(labels, key=likeness, reverse=True)
    return [*ranked[:count - 1], "ช่วยเหลือ"]


def on_text(ctx: Context, text: str) -> Answer:
    """Whatever text nobody else took: an intent's answer, or the closest commands."""
    intent = match(text)
    if intent is not None:
        return answer(ctx, intent)
    log_unknown(ctx.session, text, ctx.staff.agency_id if ctx.staff is not None else None,
                ctx.now)
    if ctx.staff is None:
        return [m.text(f"{texts.NOT_LINKED}\n{texts.LINK_CODE_GUIDANCE}", ctx.menu)]
    closest = closest_commands(ctx, text)
    return [m.text(texts.UNKNOWN, [m.message_action(label) for label in closest])]


FLOW = Flow(name="intents", on_text=on_text, linked=False)
