"""A result becomes a level the same way for every kind of KPI, read against the agreed KPI."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import texts
from models import Kpi, ProgressReport, Role, RoleAssignment
from models.appraisal import kpi_level
from models.results import kpi_result, level_input
from tests.builders import make_agreement, make_officer
from tests.chat import Chat, quick_labels, said

D = Decimal

# kind → (unit, agreed target, thresholds of levels 1–5); the target is level 3 throughout
KINDS: dict[str, tuple[str, D, tuple[D, ...]]] = {
    "percent": ("ร้อยละ", D(80), (D(60), D(70), D(80), D(90), D(100))),
    "count": ("ครั้ง", D(6), (D(4), D(5), D(6), D(7), D(8))),
    "amount": ("บาท", D(300000), (D(100000), D(200000), D(300000), D(400000), D(500000))),
    "level scale": ("ระดับ", D(3), (D(1), D(2), D(3), D(4), D(5))),
    "lower is better": ("วันทำการ", D(5), (D(9), D(7), D(5), D(3), D(1))),
}

# (kind, value said, percent said, expected level; None: missing)
CASES = [
    ("percent", "0", None, 0), ("percent", "59.99", None, 0), ("percent", "60", None, 1),
    ("percent", "70", None, 2), ("percent", "80", None, 3), ("percent", "90", None, 4),
    ("percent", "100", None, 5), ("percent", "120", None, 5), ("percent", None, None, None),
    ("percent", None, "85", 3),
    ("count", "0", None, 0), ("count", "3", None, 0), ("count", "4", None, 1),
    ("count", "5", None, 2), ("count", "6", None, 3), ("count", "7", None, 4),
    ("count", "8", None, 5), ("count", "12", None, 5), ("count", None, None, None),
    ("count", None, "100", 3),  # the "100%" quick reply: 100% of the agreed 6
    ("count", None, "50", 0),  # 3 of 6
    ("amount", "0", None, 0), ("amount", "99999.99", None, 0), ("amount", "100000", None, 1),
    ("amount", "200000", None, 2), ("amount", "300000", None, 3), ("amount", "400000", None, 4),
    ("amount", "500000", None, 5), ("amount", "900000", None, 5), ("amount", None, None, None),
    ("level scale", "0", None, 0), ("level scale", "1", None, 1), ("level scale", "2", None, 2),
    ("level scale", "3", None, 3), ("level scale", "4", None, 4), ("level scale", "5", None, 5),
    ("level scale", None, None, None),
    ("lower is better", "0", None, 5), ("lower is better", "10", None, 0),
    ("lower is better", "9", None, 1), ("lower is better", "7", None, 2),
    ("lower is better", "5", None, 3), ("lower is better", "3", None, 4),
    ("lower is better", "1", None, 5), ("lower is better", "12", None, 0),
    ("lower is better", None, None, None),
]


@pytest.mark.parametrize(("kind", "value", "percent", "level"), CASES,
                         ids=[f"{c[0]}-{c[1] or c[2] and c[2] + '%' or 'missing'}"
                              for c in CASES])
def test_a_result_becomes_a_level(kind: str, value: str | None, percent: str | None,
                                  level: int | None) -> None:
    unit, target, thresholds = KINDS[kind]
    result = level_input(unit, target, D(percent) if percent else None,
                         D(value) if value else None)
    assert (None if result is None else kpi_level(thresholds, result)) == level


def test_kpi_result_reads_the_agreed_target() -> None:
    kpi = Kpi(unit="ครั้ง", target=D(6), level1=D(4), level2=D(5), level3=D(6), level4=D(7),
              level5=D(8))
    assert kpi_result(kpi, ProgressReport(percent=D(100))) == D(6)
    assert kpi_result(kpi, None) is None


# --- in the chat ----------------------------------------------------------------------------

def officer_with(session: Session, unit: str, target: int, levels: tuple[int, ...],
                 name: str = "จำนวนครั้งที่จัดประชุมชี้แจง") -> dict[str, Any]:
    officer, user = make_officer(session, name="นายสมชาย ตั้งใจ")
    mentor, mentor_user = make_officer(session, name="นางมาลี รักงาน", unit=officer.unit)
    session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
    agreement = make_agreement(session, officer)
    kpi = agreement.kpis[0]
    kpi.name, kpi.unit, kpi.target = name, unit, D(target)
    kpi.level1, kpi.level2, kpi.level3, kpi.level4, kpi.level5 = (D(x) for x in levels)
    session.flush()
    return {"officer": officer, "user": user, "kpi": kpi}


def saved(session: Session) -> ProgressReport:
    return session.scalars(select(ProgressReport)).one()


def finish(chat: Chat, user: str) -> str:
    chat.say(user, "เสร็จแล้ว")
    card = said(chat.say(user, "ไม่มี"))
    chat.say(user, "ใช่")
    return card


def test_a_count_kpi_reported_with_100_percent_is_the_agreed_target(session: Session,
                                                                     chat: Chat) -> None:
    o = officer_with(session, "ครั้ง", 6, (4, 5, 6, 7, 8))
    chat.say(o["user"], "รายงานความก้าวหน้า")
    asked = chat.say(o["user"], "ตัวชี้วัดที่ 1")
    assert "100%" in quick_labels(asked)  # the bot's own quick reply
    chat.say(o["user"], "100%")
    card = finish(chat, o["user"])
    assert "6 จาก 6 ครั้ง (ร้อยละ 100)" in card
    report = saved(session)
    assert (report.value, report.target, report.percent) == (D(6), D(6), D(100))
    assert kpi_result(o["kpi"], report) == D(6)


def test_a_result_above_target_is_a_level_not_an_error(session: Session, chat: Chat) -> None:
    o = officer_with(session, "ครั้ง", 6, (4, 5, 6, 7, 8))
    chat.say(o["user"], "ตัวชี้วัดที่ 1 ได้ 8 ครั้ง")
    card = finish(chat, o["user"])
    assert "เกิน 100" not in card and "8 จาก 6 ครั้ง (ร้อยละ 133.33)" in card
    assert kpi_level(o["kpi"].levels, kpi_result(o["kpi"], saved(session))) == 5


def test_a_level_5_result_on_a_level_scale(session: Session, chat: Chat) -> None:
    o = officer_with(session, "ระดับ", 3, (1, 2, 3, 4, 5), name="ระดับความสำเร็จของระบบ")
    refused = said(chat.say(o["user"], "ตัวชี้วัดที่ 1 ได้ระดับ 7"))
    assert texts.LEVEL_OUT_OF_RANGE.split("\n")[0] in refused
    assert session.scalars(select(ProgressReport)).first() is None
    chat.say(o["user"], "ได้ระดับ 5")
    card = finish(chat, o["user"])
    assert "ระดับ 5" in card and "เกิน 100" not in card
    assert kpi_level(o["kpi"].levels, kpi_result(o["kpi"], saved(session))) == 5


def test_a_typed_target_that_differs_from_the_agreed_one_is_questioned(session: Session,
                                                                        chat: Chat) -> None:
    o = officer_with(session, "รายงาน", 4, (2, 3, 4, 5, 6), name="จำนวนรายงานการวิเคราะห์")
    said_back = said(chat.say(o["user"], "ตัวชี้วัดที่ 1 ได้ 3 จาก 60"))
    assert "เป้าที่ตกลงไว้คือ 4 รายงาน" in said_back
    card = finish(chat, o["user"])
    assert "3 จาก 4 รายงาน (ร้อยละ 75)" in card
    assert (saved(session).value, saved(session).target) == (D(3), D(4))


def test_a_lower_is_better_kpi_is_shown_as_such(session: Session, chat: Chat) -> None:
    o = officer_with(session, "วันทำการ", 5, (9, 7, 5, 3, 1),
                     name="ระยะเวลาเฉลี่ยในการตอบหนังสือ")
    chat.say(o["user"], "ตัวชี้วัดที่ 1 ได้ 3 วันทำการ")
    card = finish(chat, o["user"])
    assert "3 วันทำการ (เป้า ไม่เกิน 5 · ยิ่งน้อยยิ่งดี)" in card and "ร้อยละ 60" not in card
    assert kpi_level(o["kpi"].levels, kpi_result(o["kpi"], saved(session))) == 4
