"""ตัวชี้วัดของฉัน: a progress bar per KPI against its agreed target, and what is missing by when."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.kpis import progress_share
from models import Kpi, ProgressReport, ReportKind, ReportStatus
from tests.builders import make_agreement, make_officer
from tests.chat import Chat, Line, flat


def report(session: Session, kpi: Kpi, officer_id: int, status: str, *,
           value: str | None = None, percent: str | None = None) -> ProgressReport:
    r = ProgressReport(officer_id=officer_id, round_id=kpi.agreement.round_id, kind=ReportKind.KPI,
                       kpi_id=kpi.id, status=status,
                       value=Decimal(value) if value is not None else None,
                       target=kpi.target, percent=Decimal(percent) if percent is not None else None,
                       reported_on=date(2026, 11, 20))
    session.add(r)
    session.flush()
    return r


def bars(node: Any) -> list[dict[str, Any]]:
    """Every filled bar (a box with a width) inside its track (a box holding just it)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "box" and len(node.get("contents", [])) == 1:
            inner = node["contents"][0]
            if inner.get("type") == "box" and "width" in inner:
                assert inner["contents"] == [] and node["height"] == inner["height"]
                found.append(inner)
        for value in node.values():
            found += bars(value)
    elif isinstance(node, list):
        for value in node:
            found += bars(value)
    return found


def test_bars_and_what_is_missing(session: Session, chat: Chat) -> None:
    officer, user_id = make_officer(session)
    agreement = make_agreement(session, officer)  # five ร้อยละ KPIs, target 80
    k1, k2, k3 = agreement.kpis[:3]
    report(session, k1, officer.id, ReportStatus.CONFIRMED, percent="60")  # 60 of 80: 75%
    report(session, k2, officer.id, ReportStatus.PENDING, percent="96")  # over target: full
    report(session, k3, officer.id, ReportStatus.SENT_BACK, percent="40")
    session.expire_all()
    replies = chat.say(user_id, "ตัวชี้วัดของฉัน")
    card = flat(replies)
    summary = replies[0]["contents"]["contents"][0]["body"]["contents"][0]
    assert summary["text"] == ("ยังไม่รายงาน 2 ข้อ (ข้อ 4, 5) · ถูกส่งกลับให้แก้ 1 ข้อ (ข้อ 3)\n"
                               "ส่งภายใน รายงานความก้าวหน้า 1 มี.ค. 2570")
    assert [b["width"] for b in bars(replies)] == ["75%", "100%", "0%", "0%", "0%"]
    assert "ร้อยละ 75 ของค่าเป้าหมาย" in card
    assert "ร้อยละ 100 ของค่าเป้าหมาย (รอรับรอง)" in card
    assert card.count("ยังไม่มีผลงานเทียบค่าเป้าหมาย") == 3  # sent back counts for nothing yet
    m.check_messages(replies)


def test_all_reported(session: Session, chat: Chat) -> None:
    officer, user_id = make_officer(session)
    agreement = make_agreement(session, officer, weights=(100,))
    report(session, agreement.kpis[0], officer.id, ReportStatus.CONFIRMED, percent="80")
    session.expire_all()
    replies = chat.say(user_id, "ตัวชี้วัดของฉัน")
    assert replies[0]["contents"]["contents"][0]["body"]["contents"][0]["text"] == (
        "รายงานครบทุกตัวชี้วัดแล้ว")
    assert [b["width"] for b in bars(replies)] == ["100%"]


def kpi(unit: str, target: str, levels: tuple[int, ...]) -> Kpi:
    low, l2, l3, l4, high = (Decimal(v) for v in levels)
    return Kpi(number=1, name="x", unit=unit, weight=Decimal(100), target=Decimal(target),
               level1=low, level2=l2, level3=l3, level4=l4, level5=high)


def test_progress_share_reads_the_agreed_kpi() -> None:
    count = kpi("ราย", "60", (20, 40, 60, 80, 100))
    assert progress_share(count, ProgressReport(value=Decimal(45))) == Decimal(75)
    # a percentage alone is that share of the agreed target
    assert progress_share(count, ProgressReport(percent=Decimal(50))) == Decimal(50)
    assert progress_share(count, None) is None
    faster = kpi("วันทำการ", "5", (9, 7, 5, 3, 1))  # lower is better
    assert progress_share(faster, ProgressReport(value=Decimal(10))) == Decimal(50)
    assert progress_share(faster, ProgressReport(value=Decimal(3))) == Decimal(100)
    assert progress_share(count, ProgressReport(value=Decimal(-5))) == Decimal(0)


def test_ten_long_kpis_fit_and_the_fake_line_accepts_them(line: Line, engine: Engine) -> None:
    with Session(engine) as session:
        officer, user_id = make_officer(session)
        agreement = make_agreement(session, officer, weights=(10,) * 10)
        for k in agreement.kpis:
            k.name = "ร้อยละของงานบริการประชาชนที่แล้วเสร็จตามมาตรฐานเวลา" * 9  # ~450 letters
            k.unit = "ร้อยละ"
            report(session, k, officer.id, ReportStatus.CONFIRMED, percent="70")
        session.commit()
    replies = line.say(user_id, "ตัวชี้วัดของฉัน")  # the fake validated it against the spec
    assert replies[0]["type"] == "flex"
    assert [b["width"] for b in bars(replies)] == ["87%"] * 10
    for bubble in replies[0]["contents"]["contents"]:
        assert m.json_size(bubble) <= m.MAX_BUBBLE_BYTES
    assert m.json_size(replies[0]["contents"]) <= m.MAX_CAROUSEL_BYTES
