"""Checklist forms filled in the chat (like seed 002's career-path report).

HR sends a form to an audience with a deadline (the console's composer, or `send_form`). Each
person taps กรอกแบบฟอร์ม: per section they toggle items with quick replies (✅/⬜ + number), write
free text where asked and "อื่น ๆ (ระบุ)", review everything, then ส่งแบบฟอร์ม. The draft is kept
in their `FormResponse`, so leaving and coming back loses nothing. `due_items` feeds reminders.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import audience as aud
from handlers import messages as m
from handlers.context import Context
from handlers.conversation import Step
from handlers.due import Due
from handlers.outbox import ANNOUNCEMENT, enqueue_multicast
from models import Form, FormResponse, Staff, audit
from models.numbers import is_id
from thai import format_date, normalize, thai_digits_to_arabic

FLOW = "form"
OTHER = "อื่น ๆ (ระบุ)"
MAX_OPTIONS = 11  # numbered quick replies; with ถัดไป and ยกเลิก that is LINE's 13
MAX_SECTIONS = 8
MAX_ANSWER = 1000  # characters of one free-text answer
REMIND_AFTER_DUE = timedelta(days=14)  # overdue forms are still reminded for two weeks

# Seed 002: แบบรายงานผลการใช้เครื่องมือในระบบความก้าวหน้าในสายอาชีพ (Career path)
CAREER_PATH_TITLE = "แบบรายงานผลการใช้เครื่องมือในระบบความก้าวหน้าในสายอาชีพ (Career path)"
CAREER_PATH: list[dict[str, Any]] = [
    {"key": "activities", "title": "กิจกรรมการดำเนินการ", "kind": "multi", "other": True,
     "options": [
         "ติดประกาศให้บุคลากรทราบและแจ้งแหล่งเก็บข้อมูลเพื่อการสืบค้น",
         "แจ้งเวียนแฟ้มคู่มือหรือซีดีให้บุคลากรรับทราบทั่วกัน",
         "เผยแพร่ประชาสัมพันธ์ทางวารสารของหน่วยงาน",
         "เผยแพร่ประชาสัมพันธ์ทางจดหมายเวียนภายในหน่วยงาน",
         "จัดกิจกรรมกลุ่มสนทนาศึกษาแลกเปลี่ยนเรียนรู้",
         "จัดบอร์ดประชาสัมพันธ์",
         "มอบหมายให้มีผู้รับผิดชอบในการขยายผลการเผยแพร่ประชาสัมพันธ์",
         "จัดกิจกรรมรองรับการสื่อสาร เช่น เว็บไซต์ การประชุม ฝึกอบรม",
         "สนับสนุนการเรียนรู้และพัฒนาสมรรถนะการประชาสัมพันธ์มืออาชีพและสภาวะผู้นำ",
         "ส่งเสริมการปรับเปลี่ยนหมุนเวียนงาน",
     ]},
    {"key": "results", "title": "ผลลัพธ์ที่ได้จากการดำเนินการ", "kind": "multi", "other": True,
     "options": [
         "บุคลากรสนใจศึกษารายละเอียดเพื่อวางแผนเส้นทางสู่ตำแหน่งเป้าหมาย",
         "บุคลากรรับทราบทั่วกันและมีความรู้ความเข้าใจเพิ่มมากขึ้น",
         "หน่วยงานมีข้อมูล/คู่มือ/แบบแผนรองรับการเตรียมความพร้อมของบุคลากร",
     ]},
    {"key": "problems", "title": "ปัญหา/ข้อเสนอแนะ", "kind": "text"},
]


class FormError(ValueError):
    """A form definition or a send that cannot be accepted; the message is Thai."""


def check_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate a form definition (from the composer); return it normalised."""
    if not sections or len(sections) > MAX_SECTIONS:
        raise FormError(f"แบบฟอร์มต้องมี 1–{MAX_SECTIONS} ส่วน")
    clean = []
    for n, section in enumerate(sections, 1):
        title = str(section.get("title", "")).strip()
        kind = section.get("kind")
        if not title or kind not in ("multi", "text"):
            raise FormError(f"ส่วนที่ {n}: ต้องมีชื่อ และเป็นแบบเลือกรายการหรือแบบพิมพ์ข้อความ")
        entry: dict[str, Any] = {"key": str(section.get("key") or f"s{n}"), "title": title[:200],
                                 "kind": kind}
        if kind == "multi":
            options = [str(o).strip()[:300] for o in section.get("options", []) if str(o).strip()]
            other = bool(section.get("other"))
            if not options or len(options) + other > MAX_OPTIONS:
                raise FormError(f"ส่วนที่ {n}: ต้องมีรายการ 1–{MAX_OPTIONS - other} ข้อ"
                                + (" (รวม อื่น ๆ ได้ไม่เกิน 11)" if other else ""))
            entry["options"], entry["other"] = options, other
        clean.append(entry)
    if len({s["key"] for s in clean}) != len(clean):
        raise FormError("รหัสส่วนซ้ำกัน")
    return clean


def send_form(session: Session, *, author: Staff, title: str, sections: list[dict[str, Any]],
              due_on: date, kind: str, value: str, now: datetime) -> Form:
    """Create the form, one response row per person in the audience, and push the invitation."""
    title = title.strip()
    if not title or len(title) > 255:
        raise FormError("ชื่อแบบฟอร์มต้องมี 1–255 ตัวอักษร")
    if due_on < now.date():
        raise FormError("กำหนดส่งต้องไม่ใช่วันที่ผ่านมาแล้ว")
    sections = check_sections(sections)
    label = aud.label(session, author.agency_id, kind, value)
    people = aud.recipients(session, author.agency_id, kind, value, now.date())
    if not people:
        raise FormError("ไม่มีผู้รับในกลุ่มนี้")
    form = Form(agency_id=author.agency_id, author_id=author.id, title=title, sections=sections,
                due_on=due_on, audience=kind, audience_value=value, audience_label=label,
                created_at=now, sent_at=now)
    session.add(form)
    session.flush()
    session.execute(FormResponse.__table__.insert(), [
        {"form_id": form.id, "staff_id": staff_id, "answers": {}} for staff_id, _ in people])
    on_line = [user_id for _, user_id in people if user_id]
    if on_line:
        enqueue_multicast(session, on_line, [invitation(form)], ANNOUNCEMENT)
    audit(session, "form.sent", actor_staff_id=author.id, subject=f"form:{form.id}",
          title=title, audience=label, people=len(people), on_line=len(on_line),
          due_on=due_on.isoformat())
    return form


def invitation(form: Form) -> m.Message:
    return m.buttons(m.shorten(f"📝 แบบฟอร์ม: {form.title}", m.MAX_ALT_TEXT),
                     f"{form.title}\nกำหนดส่ง {format_date(form.due_on)}",
                     [m.postback_action("กรอกแบบฟอร์ม", f"action=form&f={form.id}",
                                        "กรอกแบบฟอร์ม")],
                     title="📝 แบบฟอร์มจาก HR")


# --- filling in -----------------------------------------------------------------------------

def _response(ctx: Context, form_id: int) -> tuple[Form, FormResponse] | None:
    """The person's own copy of the form (checked in the database), or None."""
    if ctx.staff is None:
        return None
    row = ctx.session.execute(select(Form, FormResponse).join(
        FormResponse, FormResponse.form_id == Form.id).where(
        Form.id == form_id, FormResponse.staff_id == ctx.staff.id)
        .with_for_update(of=FormResponse)).first()  # one submission, however many taps
    return (row[0], row[1]) if row else None


def open_form(ctx: Context, params: dict[str, str]) -> Step:
    """The กรอกแบบฟอร์ม button."""
    from handlers import texts

    raw = params.get("f", "")
    found = _response(ctx, int(raw)) if is_id(raw) else None
    if found is None:
        return Step([m.text(texts.STALE_BUTTON, ctx.menu)])
    form, response = found
    if response.submitted_at is not None:
        return Step([m.text(f"คุณส่งแบบฟอร์มนี้แล้ว เมื่อ {format_date(response.submitted_at.date())}"
                            "\nขอบคุณ 🙏", ctx.menu)])
    return _show(form, response, {"form": form.id, "section": 0})


def my_forms(ctx: Context) -> list[m.Message]:
    """`แบบฟอร์ม`: the forms waiting for this person."""
    if ctx.staff is None:
        return []
    rows = ctx.session.execute(select(Form).join(FormResponse, FormResponse.form_id == Form.id)
                               .where(FormResponse.staff_id == ctx.staff.id,
                                      FormResponse.submitted_at.is_(None))
                               .order_by(Form.due_on, Form.id).limit(5)).scalars().all()
    if not rows:
        return [m.text("ไม่มีแบบฟอร์มที่รอคุณกรอก", ctx.menu)]
    return [invitation(form) for form in rows]


def _answers(response: FormResponse) -> dict[str, Any]:
    return {key: dict(value) for key, value in (response.answers or {}).items()}


def _show(form: Form, response: FormResponse, data: dict[str, Any], intro: str = "") -> Step:
    index = int(data.get("section", 0))
    sections = form.sections
    if index >= len(sections):
        return _review(form, response, data, intro)
    section = sections[index]
    answer = _answers(response).get(section["key"], {})
    head = f"{intro}\n" if intro else ""
    head += f"{form.title}\nส่วนที่ {index + 1}/{len(sections)}: {section['title']}"
    if section["kind"] == "text":
        current = answer.get("text", "")
        body = head + "\nพิมพ์คำตอบได้เลย" + (f"\n(คำตอบเดิม: {current})" if current else "")
        actions = [m.message_action("ไม่มี")]
        if current:
            actions.insert(0, m.message_action("ใช้คำตอบเดิม"))
        return Step([m.text(m.shorten(body), actions + [m.message_action("ยกเลิก")])],
                    "text", data)
    selected = set(answer.get("selected", []))
    options = list(section["options"]) + ([OTHER] if section.get("other") else [])
    lines = []
    for n, option in enumerate(options, 1):
        mark = "✅" if n in selected else "⬜"
        extra = f": {answer.get('other', '')}" if option == OTHER and n in selected else ""
        lines.append(f"{mark} {n}. {option}{extra}")
    body = head + "\nแตะหมายเลขเพื่อเลือก/ยกเลิก (เลือกได้หลายข้อ) แล้วกด ถัดไป\n" + "\n".join(lines)
    actions = [m.message_action(f"{'✅' if n in selected else '⬜'} {n}", str(n))
               for n in range(1, len(options) + 1)]
    return Step([m.text(m.shorten(body), actions + [m.message_action("ถัดไป"),
                                                    m.message_action("ยกเลิก")])],
                "multi", data)


def _review(form: Form, response: FormResponse, data: dict[str, Any], intro: str = "") -> Step:
    data["section"] = len(form.sections)
    answers = _answers(response)
    lines = [f"{intro}\n" if intro else "", f"ตรวจทานก่อนส่ง: {form.title}"]
    for n, section in enumerate(form.sections, 1):
        lines.append(f"\n{n}. {section['title']}")
        lines.extend(f"  {line}" for line in describe(section, answers.get(section["key"], {})))
    actions = [m.message_action("ส่งแบบฟอร์ม")]
    actions += [m.message_action(f"แก้ไขส่วนที่ {n}") for n in range(1, len(form.sections) + 1)]
    return Step([m.text(m.shorten("\n".join(lines).strip()),
                        actions[:12] + [m.message_action("ยกเลิก")])], "review", data)


def describe(section: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    """One answer in words (also used by exports)."""
    if section["kind"] == "text":
        return [answer.get("text") or "-"]
    options = list(section["options"]) + ([OTHER] if section.get("other") else [])
    chosen = []
    for n in sorted(answer.get("selected", [])):
        if 1 <= n <= len(options):
            option = options[n - 1]
            chosen.append(f"✓ {option}: {answer.get('other', '')}" if option == OTHER
                          else f"✓ {option}")
    return chosen or ["(ไม่ได้เลือก)"]


def _load(ctx: Context, data: dict[str, Any]) -> tuple[Form, FormResponse] | None:
    found = _response(ctx, int(data.get("form", 0)))
    if found is None or found[1].submitted_at is not None:
        return None
    return found


def _gone(ctx: Context) -> Step:
    return Step([m.text("แบบฟอร์มนี้ส่งแล้ว หรือไม่ใช่ของคุณ", ctx.menu)])


def on_multi(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    section = form.sections[int(data["section"])]
    word = normalize(text).replace(" ", "")
    if word in ("ถัดไป", "ต่อไป", "เสร็จ"):
        data["section"] = int(data["section"]) + 1
        return _show(form, response, data)
    numbers = thai_digits_to_arabic(text).replace(",", " ").split()
    count = len(section["options"]) + (1 if section.get("other") else 0)
    if not numbers or not all(is_id(n) and 1 <= int(n) <= count for n in numbers):
        return _show(form, response, data, f"กรุณาแตะหมายเลข 1–{count} หรือ ถัดไป")
    answers = _answers(response)
    answer = answers.setdefault(section["key"], {"selected": []})
    selected = set(answer.get("selected", []))
    other_number = count if section.get("other") else None
    for raw in numbers:
        n = int(raw)
        if n in selected:
            selected.discard(n)
            if n == other_number:
                answer.pop("other", None)
        elif n == other_number:
            data["await_other"] = True
        else:
            selected.add(n)
    answer["selected"] = sorted(selected)
    response.answers = answers
    if data.pop("await_other", False):
        return Step([m.text(f"{OTHER}\nพิมพ์รายละเอียดได้เลย",
                            [m.message_action("ยกเลิก")])], "other", data)
    return _show(form, response, data)


def on_other(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    detail = text.strip()
    if not detail or len(detail) > MAX_ANSWER:
        return Step([m.text(f"กรุณาพิมพ์รายละเอียด (ไม่เกิน {MAX_ANSWER:,} ตัวอักษร)",
                            [m.message_action("ยกเลิก")])], "other", data)
    section = form.sections[int(data["section"])]
    answers = _answers(response)
    answer = answers.setdefault(section["key"], {"selected": []})
    number = len(section["options"]) + 1
    answer["selected"] = sorted(set(answer.get("selected", [])) | {number})
    answer["other"] = detail
    response.answers = answers
    return _show(form, response, data)


def on_text(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    section = form.sections[int(data["section"])]
    answers = _answers(response)
    word = normalize(text).replace(" ", "")
    if word != "ใช้คำตอบเดิม":
        detail = "" if word in ("ไม่มี", "-") else text.strip()
        if len(detail) > MAX_ANSWER:
            return _show(form, response, data, f"ยาวเกิน {MAX_ANSWER:,} ตัวอักษร กรุณาย่อ")
        answers[section["key"]] = {"text": detail}
        response.answers = answers
    data["section"] = int(data["section"]) + 1
    return _show(form, response, data)


def on_review(ctx: Context, text: str, data: dict[str, Any]) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    word = thai_digits_to_arabic(normalize(text)).replace(" ", "")
    if word.startswith("แก้ไข"):
        rest = word.removeprefix("แก้ไข").removeprefix("ส่วนที่")
        if is_id(rest) and 1 <= int(rest) <= len(form.sections):
            data["section"] = int(rest) - 1
            return _show(form, response, data)
    if word in ("ส่งแบบฟอร์ม", "ส่ง", "ยืนยัน"):
        assert ctx.staff is not None
        response.submitted_at = ctx.now
        audit(ctx.session, "form.submitted", actor_staff_id=ctx.staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"form:{form.id}")
        return Step([m.text(f"ส่ง{form.title}แล้ว ขอบคุณ 🙏")])
    return _review(form, response, data, "กด ส่งแบบฟอร์ม หรือเลือกส่วนที่จะแก้ไข")


STEPS = {"multi": on_multi, "other": on_other, "text": on_text, "review": on_review}


# --- reminders and results ------------------------------------------------------------------

def due_items(session: Session, today: date) -> Iterable[Due]:
    """One Due per person who has not submitted a form that is open on `today`."""
    rows = session.execute(
        select(FormResponse.staff_id, Form.id, Form.title, Form.due_on, Staff.supervisor_id)
        .join(Form, Form.id == FormResponse.form_id)
        .join(Staff, Staff.id == FormResponse.staff_id)
        .where(FormResponse.submitted_at.is_(None), Form.sent_at.is_not(None),
               Form.due_on >= today - REMIND_AFTER_DUE, Staff.active.is_(True))
        .order_by(Form.id, FormResponse.staff_id))
    for staff_id, form_id, title, due_on, supervisor_id in rows:
        yield Due(staff_id=staff_id, key=f"form:{form_id}", title=f"ส่ง{title}", due=due_on,
                  escalate_to=supervisor_id)


def results(session: Session, form: Form) -> dict[str, Any]:
    """Aggregated answers: per multi section each option's count and the "other" texts; per
    text section the answers; plus how many were asked and have submitted."""
    total = submitted = 0
    sections: list[dict[str, Any]] = []
    for section in form.sections:
        entry: dict[str, Any] = {"title": section["title"], "kind": section["kind"]}
        if section["kind"] == "multi":
            options = list(section["options"]) + ([OTHER] if section.get("other") else [])
            entry["options"] = [[option, 0] for option in options]
            entry["others"] = []
        else:
            entry["answers"] = []
        sections.append(entry)
    for answers, done in session.execute(select(FormResponse.answers, FormResponse.submitted_at)
                                         .where(FormResponse.form_id == form.id)):
        total += 1
        if done is None:
            continue
        submitted += 1
        for section, entry in zip(form.sections, sections, strict=True):
            answer = (answers or {}).get(section["key"], {})
            if section["kind"] == "multi":
                for n in answer.get("selected", []):
                    if 1 <= n <= len(entry["options"]):
                        entry["options"][n - 1][1] += 1
                if answer.get("other"):
                    entry["others"].append(answer["other"])
            elif answer.get("text"):
                entry["answers"].append(answer["text"])
    return {"total": total, "submitted": submitted, "sections": sections}


def response_rows(session: Session, form: Form) -> Iterator[list[Any]]:
    """Export rows: one per person, answers in words (for CSV/XLSX)."""
    from models import Unit

    query = (select(Staff.staff_code, Staff.name_th, Unit.name_th, FormResponse.submitted_at,
                    FormResponse.answers)
             .join(Staff, Staff.id == FormResponse.staff_id)
             .outerjoin(Unit, Unit.id == Staff.unit_id)
             .where(FormResponse.form_id == form.id).order_by(Staff.staff_code))
    for code, name, unit, submitted_at, answers in session.execute(query):
        row: list[Any] = [code, name, unit or "", "ส่งแล้ว" if submitted_at else "ยังไม่ส่ง",
                          submitted_at]
        for section in form.sections:
            answer = (answers or {}).get(section["key"], {})
            row.append("; ".join(describe(section, answer)) if submitted_at else "")
        yield row


def response_headers(form: Form) -> list[str]:
    return (["รหัสบุคลากร", "ชื่อ-สกุล", "หน่วยงาน", "สถานะ", "วันเวลาที่ส่ง"]
            + [section["title"] for section in form.sections])

