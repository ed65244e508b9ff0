"""Checklist forms filled in the chat (like seed 002's career-path report).

HR sends a form to an audience with a deadline (the console's composer, or `send_form`). Each
person taps กรอกแบบฟอร์ม: per section they toggle items with quick replies (✅/⬜ + number), write
free text where asked and "อื่น ๆ (ระบุ)", review everything, then ส่งแบบฟอร์ม. The draft is kept
in their `FormResponse`, so leaving and coming back loses nothing. HR's side (sending, results,
reminders) is handlers/hr_forms.py.

```mermaid
stateDiagram-v2
    [*] --> multi: กรอกแบบฟอร์ม, the first section is a checklist
    [*] --> text: กรอกแบบฟอร์ม, the first section is free text
    multi --> multi: a number toggles an item / anything else (asked again)
    multi --> other: the number of อื่น ๆ (ระบุ)
    other --> other: an empty or over-long detail (asked again)
    other --> multi: the detail
    multi --> text: ถัดไป, the next section is free text
    multi --> review: ถัดไป after the last section
    text --> text: the answer, the next section is free text / over-long (asked again)
    text --> multi: the answer, the next section is a checklist
    text --> review: the answer to the last section
    review --> multi: แก้ไขส่วนที่ N (a checklist)
    review --> text: แก้ไขส่วนที่ N (free text)
    review --> review: anything else (asked again)
    review --> [*]: ส่งแบบฟอร์ม (submitted) / ยกเลิก (the draft is kept)
```
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from handlers import messages as m
from handlers import texts
from handlers.context import Context, Step, cancel_action
from handlers.flow import Flow
from handlers.hr_forms import (
    OTHER,
    describe,
    invitation,
)
from handlers.postbacks import OpenForm
from models import Form, FormResponse, audit
from models.numbers import is_id
from thai import format_date, normalize, thai_digits_to_arabic

MAX_ANSWER = 1000  # characters of one free-text answer


class FormState(StrEnum):
    MULTI = "multi"
    OTHER = "other"
    TEXT = "text"
    REVIEW = "review"


@dataclass
class Filling:
    """Which form and section the person is at (the answers live in their FormResponse)."""

    form: int = 0
    section: int = 0
    await_other: bool = False


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


def open_form(ctx: Context, tap: OpenForm) -> Step[Filling]:
    """The กรอกแบบฟอร์ม button."""
    found = _response(ctx, tap.f)
    if found is None:
        return Step([m.text(texts.STALE_BUTTON, ctx.menu)])
    form, response = found
    if response.submitted_at is not None:
        return Step([m.text(f"คุณส่งแบบฟอร์มนี้แล้ว เมื่อ {format_date(response.submitted_at.date())}"
                            "\nขอบคุณ 🙏", ctx.menu)])
    return _show(form, response, Filling(form.id, 0))


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


def _show(form: Form, response: FormResponse, data: Filling, intro: str = "") -> Step:
    index = data.section
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
        return Step([m.text(m.shorten(body), actions + [cancel_action()])],
                    FormState.TEXT, data)
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
                                                    cancel_action()])],
                FormState.MULTI, data)


def _review(form: Form, response: FormResponse, data: Filling, intro: str = "") -> Step:
    data.section = len(form.sections)
    answers = _answers(response)
    lines = [f"{intro}\n" if intro else "", f"ตรวจทานก่อนส่ง: {form.title}"]
    for n, section in enumerate(form.sections, 1):
        lines.append(f"\n{n}. {section['title']}")
        lines.extend(f"  {line}" for line in describe(section, answers.get(section["key"], {})))
    actions = [m.message_action("ส่งแบบฟอร์ม")]
    actions += [m.message_action(f"แก้ไขส่วนที่ {n}") for n in range(1, len(form.sections) + 1)]
    return Step([m.text(m.shorten("\n".join(lines).strip()),
                        actions[:12] + [cancel_action()])], FormState.REVIEW, data)


def _load(ctx: Context, data: Filling) -> tuple[Form, FormResponse] | None:
    found = _response(ctx, data.form)
    if found is None or found[1].submitted_at is not None:
        return None
    return found


def _gone(ctx: Context) -> Step:
    return Step([m.text("แบบฟอร์มนี้ส่งแล้ว หรือไม่ใช่ของคุณ", ctx.menu)])


def on_multi(ctx: Context, text: str, data: Filling) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    section = form.sections[data.section]
    word = normalize(text).replace(" ", "")
    if word in ("ถัดไป", "ต่อไป", "เสร็จ"):
        data.section += 1
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
            data.await_other = True
        else:
            selected.add(n)
    answer["selected"] = sorted(selected)
    response.answers = answers
    if data.await_other:
        data.await_other = False
        return Step([m.text(f"{OTHER}\nพิมพ์รายละเอียดได้เลย",
                            [cancel_action()])], FormState.OTHER, data)
    return _show(form, response, data)


def on_other(ctx: Context, text: str, data: Filling) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    detail = text.strip()
    if not detail or len(detail) > MAX_ANSWER:
        return Step([m.text(f"กรุณาพิมพ์รายละเอียด (ไม่เกิน {MAX_ANSWER:,} ตัวอักษร)",
                            [cancel_action()])], FormState.OTHER, data)
    section = form.sections[data.section]
    answers = _answers(response)
    answer = answers.setdefault(section["key"], {"selected": []})
    number = len(section["options"]) + 1
    answer["selected"] = sorted(set(answer.get("selected", [])) | {number})
    answer["other"] = detail
    response.answers = answers
    return _show(form, response, data)


def on_answer(ctx: Context, text: str, data: Filling) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    section = form.sections[data.section]
    answers = _answers(response)
    word = normalize(text).replace(" ", "")
    if word != "ใช้คำตอบเดิม":
        detail = "" if word in ("ไม่มี", "-") else text.strip()
        if len(detail) > MAX_ANSWER:
            return _show(form, response, data, f"ยาวเกิน {MAX_ANSWER:,} ตัวอักษร กรุณาย่อ")
        answers[section["key"]] = {"text": detail}
        response.answers = answers
    data.section += 1
    return _show(form, response, data)


def on_review(ctx: Context, text: str, data: Filling) -> Step:
    found = _load(ctx, data)
    if found is None:
        return _gone(ctx)
    form, response = found
    word = thai_digits_to_arabic(normalize(text)).replace(" ", "")
    if word.startswith("แก้ไข"):
        rest = word.removeprefix("แก้ไข").removeprefix("ส่วนที่")
        if is_id(rest) and 1 <= int(rest) <= len(form.sections):
            data.section = int(rest) - 1
            return _show(form, response, data)
    if word in ("ส่งแบบฟอร์ม", "ส่ง", "ยืนยัน"):
        assert ctx.staff is not None
        response.submitted_at = ctx.now
        audit(ctx.session, "form.submitted", actor_staff_id=ctx.staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"form:{form.id}")
        return Step([m.text(f"ส่ง{form.title}แล้ว ขอบคุณ 🙏")])
    return _review(form, response, data, "กด ส่งแบบฟอร์ม หรือเลือกส่วนที่จะแก้ไข")


FLOW = Flow(
    name="form",
    states=FormState,
    steps={FormState.MULTI: on_multi, FormState.OTHER: on_other, FormState.TEXT: on_answer,
           FormState.REVIEW: on_review},
    data=Filling,
    commands={"แบบฟอร์ม": my_forms},
    taps={OpenForm: open_form},
    diagram=__doc__,
)


# --- reminders and results ------------------------------------------------------------------


