"""HR's checklist forms (seed 002's template among them): checked definitions, sending to an
audience, who is still due (for the reminder planner), and the aggregated results and exports.
The chat side, filling a form in, is handlers/forms.py."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from handlers import audience as aud
from handlers import messages as m
from handlers.due import Due
from handlers.outbox import ANNOUNCEMENT, enqueue_multicast
from handlers.postbacks import OpenForm, encode
from models import Form, FormResponse, Staff, audit
from thai import format_date

OTHER = "อื่น ๆ (ระบุ)"


MAX_OPTIONS = 11  # numbered quick replies; with ถัดไป and ยกเลิก that is LINE's 13


MAX_SECTIONS = 8


REMIND_AFTER_DUE = timedelta(days=14)  # overdue forms are still reminded for two weeks


# Seed 002: แบบรายงานผลการใช้เครื่องมือในระบบความก้าวหน้าในสายอาชีพ (Career path)
CAREER_PATH_TITLE = "แบบรายงานผลการใช้เครื่องมือในระบบความก้าวหน้าในสายอาชีพ (Career path)"


CAREER_PATH: list[dict[str, Any]] = [
    {"key": "activities", "title": "กิจกรรมการดำเนินการ", "kind": "multi", "other": True,
     "options": [
         "ติดประกาศให้บุคลากรภายในหน่วยงานทราบและแจ้งแหล่งเก็บข้อมูลเพิ่มเพื่อการสืบค้น"
         " ศึกษารายละเอียดเพิ่มเติม",
         "แจ้งเวียนแฟ้มคู่มือหรือซีดีให้บุคลากรรับทราบทั่วกัน",
         "เผยแพร่ประชาสัมพันธ์ทางวารสารของหน่วยงาน",
         "เผยแพร่ประชาสัมพันธ์ทางจดหมายเวียนภายในหน่วยงาน",
         "จัดกิจกรรมกลุ่มสนทนาศึกษาแลกเปลี่ยนเรียนรู้",
         "จัดบอร์ดประชาสัมพันธ์",
         "มอบหมายให้มีผู้รับผิดชอบในการขยายผลการเผยแพร่ประชาสัมพันธ์",
         "จัดกิจกรรมรองรับการสื่อสารประชาสัมพันธ์ เช่น ทางเว็บไซต์ของหน่วยงาน, การประชุม,"
         " ฝึกอบรม ฯลฯ",
         "สนับสนุนการเรียนรู้และพัฒนาสมรรถนะการประชาสัมพันธ์มืออาชีพและสมรรถนะสภาวะผู้นำ",
         "ส่งเสริมการปรับเปลี่ยนหมุนเวียนงาน เพื่อส่งเสริมความรู้และพัฒนางานที่หลากหลาย",
     ]},
    {"key": "results", "title": "ผลลัพธ์ที่ได้จากการดำเนินการ", "kind": "multi", "other": True,
     "options": [
         "บุคลากรภายในหน่วยงานทราบและสนใจศึกษารายละเอียดเพิ่มเติมเพื่อวางแผนเส้นทางสู่ตำแหน่ง"
         "เป้าหมายในอนาคต",
         "บุคลากรรับทราบทั่วกันและมีความรู้ความเข้าใจเพิ่มมากขึ้น",
         "หน่วยงานมีข้อมูล/คู่มือ/แบบแผนรองรับการเตรียมความพร้อมของบุคลากรไปสู่เส้นทางก้าวหน้า",
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
    session.execute(insert(FormResponse), [
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
                     [m.postback_action("กรอกแบบฟอร์ม", encode(OpenForm(form.id)),
                                        "กรอกแบบฟอร์ม")],
                     title="📝 แบบฟอร์มจาก HR")


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


def _options(section: dict[str, Any]) -> list[str]:
    return list(section["options"]) + ([OTHER] if section.get("other") else [])


def response_rows(session: Session, form: Form) -> Iterator[list[Any]]:
    """Export rows: one per person; each answer in words, and for a multi-choice section also
    one column per option (1 when chosen, so HR can count each option)."""
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
            if section["kind"] == "multi":
                chosen = set(answer.get("selected", [])) if submitted_at else set()
                row += [1 if n in chosen else None
                        for n in range(1, len(_options(section)) + 1)]
        yield row


def response_headers(form: Form) -> list[str]:
    headers = ["รหัสบุคลากร", "ชื่อ-สกุล", "หน่วยงาน", "สถานะ", "วันเวลาที่ส่ง"]
    for section in form.sections:
        headers.append(section["title"])
        if section["kind"] == "multi":
            headers += [f"{section['title']}: {option}" for option in _options(section)]
    return headers


def response_kinds(form: Form) -> list[str]:
    """What each column of `response_headers` holds (handlers.spreadsheets kinds)."""
    kinds = ["text", "text", "text", "text", "datetime"]
    for section in form.sections:
        kinds.append("text")
        if section["kind"] == "multi":
            kinds += ["int"] * len(_options(section))
    return kinds


def describe(section: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    """One answer in words (also used by exports)."""
    if section["kind"] == "text":
        return [answer.get("text") or "-"]
    options = _options(section)
    chosen = []
    for n in sorted(answer.get("selected", [])):
        if 1 <= n <= len(options):
            option = options[n - 1]
            chosen.append(f"✓ {option}: {answer.get('other', '')}" if option == OTHER
                          else f"✓ {option}")
    return chosen or ["(ไม่ได้เลือก)"]
