"""How a progress report looks to everyone: its title, rows, the confirmer's card, รออนุมัติ."""
from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers import texts
from handlers.cards import bubble, heading, number, row
from handlers.context import Context
from handlers.postbacks import ApproveAll, ReportDecision, encode
from models import (
    ROLE_NAMES_TH,
    Confirmation,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Staff,
)
from models.progress import (
    pending_for,
)
from thai import format_date, format_datetime


def report_title(report: ProgressReport) -> str:
    """`รายงานตัวชี้วัดที่ 2` / `รายงานการอบรม`: how the report is named in messages."""
    if report.kind == ReportKind.DEVELOPMENT:
        return f"รายงานการอบรม {report.title}".strip()
    return f"รายงานตัวชี้วัดที่ {report.kpi.number}" if report.kpi else "รายงานความก้าวหน้า"


def result_text(value: Any, target: Any, percent: Any, unit: str) -> str:
    """`45 จาก 60 ราย (ร้อยละ 75)`, `ร้อยละ 70`, or `45 ราย`."""
    unit = f" {unit}" if unit and unit not in ("ร้อยละ", "%") else ""
    parts = []
    if value is not None:
        parts.append(f"{number(value)} จาก {number(target)}{unit}" if target is not None
                     else f"{number(value)}{unit}")
    if percent is not None:
        parts.append(f"(ร้อยละ {number(percent)})" if parts else f"ร้อยละ {number(percent)}")
    return " ".join(parts) or "-"


def kpi_result_text(kpi: Any, value: Any, target: Any, percent: Any) -> str:
    """A result as the agreed KPI reads it: `ระดับ 4` on a level scale, `3 วันทำการ (เป้า ไม่เกิน 5
    · ยิ่งน้อยยิ่งดี)` when lower is better, else as `result_text`."""
    if kpi is None:
        return result_text(value, target, percent, "")
    if value is not None and kpi.unit.strip().startswith("ระดับ"):
        return f"ระดับ {number(value)}"
    first, last = getattr(kpi, "level1", None), getattr(kpi, "level5", None)
    if value is not None and first is not None and last is not None and first > last:
        unit = f" {kpi.unit}" if kpi.unit else ""
        goal = f"เป้า ไม่เกิน {number(target)} · " if target is not None else ""
        return f"{number(value)}{unit} ({goal}ยิ่งน้อยยิ่งดี)"
    return result_text(value, target, percent, kpi.unit)


def report_rows(report: ProgressReport, evidence_count: int | None = None) -> list[dict[str, Any]]:
    """The card rows of a report (saved, or a draft being confirmed), as everyone sees it."""
    count = len(report.evidence) if evidence_count is None else evidence_count
    if report.kind == ReportKind.DEVELOPMENT:
        course = [heading(f"หลักสูตร {report.title}"),
                  row("อบรมจบ", format_date(report.reported_on))]
        if report.batch:
            course.append(row("รุ่น", report.batch))
        if report.tested_on:
            course.append(row("ทำแบบทดสอบ", format_date(report.tested_on)))
        return [*course, row("สิ่งที่ได้เรียนรู้", m.shorten(report.summary, 1000)),
                row("หลักฐาน", f"{count} รายการ")]
    kpi = report.kpi
    rows = [heading(f"{kpi.number}. {kpi.name}" if kpi else "-"),
            row("ผลงาน", kpi_result_text(kpi, report.value, report.target, report.percent),
                bold=True),
            row("สถานะงาน", texts.WORK_STATUS.get(report.work_status or "", "-")),
            row("หมายเหตุ", m.shorten(report.note, 1000) if report.note else "-"),
            row("ข้อมูล ณ วันที่", format_date(report.reported_on)),
            row("หลักฐาน", f"{count} รายการ")]
    return rows


def decision_actions(report: ProgressReport) -> list[m.Action]:
    """รับรอง / ส่งกลับแก้ไข / ดูรายละเอียด, each carrying (report id, version) only."""
    def tap(do: Literal["ok", "back", "view"]) -> str:
        return encode(ReportDecision(report.id, report.version, do))
    return [m.postback_action("รับรอง", tap("ok"), "รับรอง"),
            m.postback_action("ส่งกลับแก้ไข", tap("back"), "ส่งกลับแก้ไข"),
            m.postback_action("ดูรายละเอียด", tap("view"), "ดูรายละเอียด")]


def confirmer_bubble(report: ProgressReport, officer: Staff) -> dict[str, Any]:
    hipps = " · HiPPS" if officer.is_hipps else ""
    subtitle = f"{officer.name_th}{hipps} · ฉบับที่ {report.version}"
    return bubble(report_title(report), subtitle, report_rows(report),
                  footer=decision_actions(report)[:2])


def confirmer_card(report: ProgressReport, officer: Staff) -> m.Message:
    """The push to a confirmer: the card, with the decisions also as quick replies."""
    return m.flex(f"{officer.name_th}: {report_title(report)} รอคุณรับรอง",
                  confirmer_bubble(report, officer), decision_actions(report))


def detail_card(ctx: Context, report: ProgressReport) -> m.Message:
    """Everything about one report: its rows, its decisions so far, its evidence."""
    officer = report.officer
    rows = report_rows(report)
    rows.append(row("สถานะรายงาน", texts.REPORT_STATUS.get(report.status, report.status),
                    bold=True))
    rows.append(row("ส่งเมื่อ", format_datetime(report.submitted_at, ctx.tz)))
    decisions = ctx.session.execute(
        select(Confirmation, Staff.name_th).join(Staff, Staff.id == Confirmation.confirmer_id)
        .where(Confirmation.report_id == report.id, Confirmation.version == report.version)
        .order_by(Confirmation.at)).all()
    for decision, name in decisions:
        verb = "รับรอง" if decision.decision == "certified" else f"ส่งกลับ: {decision.reason}"
        rows.append(row(ROLE_NAMES_TH.get(decision.role, decision.role), f"{name} {verb}"))
    for item in report.evidence:
        rows.append(row("ไฟล์", f"{texts.EVIDENCE_KINDS.get(item.kind, item.kind)} "
                                f"({'เก็บแล้ว' if item.status == 'stored' else 'กำลังดึงไฟล์'})"))
    actions = decision_actions(report)[:2] if report.status == ReportStatus.PENDING else None
    card = bubble(report_title(report), f"{officer.name_th} · ฉบับที่ {report.version}", rows,
                  footer=actions)
    return m.flex(f"รายละเอียด {report_title(report)}", card, ctx.menu)


MAX_CARDS = 10  # a carousel takes 12 bubbles; 10 keeps room and stays readable


def pending_report_messages(ctx: Context) -> list[m.Message]:
    """The reports waiting for this confirmer as a carousel, and approve-all per officer."""
    staff = ctx.staff
    assert staff is not None
    digest = waiting_reports_message(ctx.session, staff.id)
    return [digest] if digest is not None else []


def waiting_reports_message(session: Session, confirmer_id: int, *,
                            see_all: bool = False) -> m.Message | None:
    """Everything waiting for this confirmer, oldest first, as one carousel (up to MAX_CARDS),
    with approve-all per officer as quick replies, and with `see_all` a "ดูทั้งหมด" that opens
    รออนุมัติ (the daily digest); None when nothing waits."""
    waiting = pending_for(session, confirmer_id)
    if not waiting:
        return None
    ids = [report_id for report_id, _role in waiting]
    reports = {r.id: r for r in session.scalars(select(ProgressReport).where(
        ProgressReport.id.in_(ids[:MAX_CARDS])))}
    shown = [reports[i] for i in ids[:MAX_CARDS] if i in reports]
    carousel = m.carousel([confirmer_bubble(r, r.officer) for r in shown])
    shown = shown[:len(carousel["contents"])]
    more = f" (แสดง {len(shown)} จาก {len(ids)})" if len(ids) > len(shown) else ""
    officers: dict[int, str] = {}
    for report in shown:
        officers.setdefault(report.officer_id, report.officer.name_th)
    actions = [
        m.postback_action(m.shorten_label(f"รับรองทั้งหมด {texts.address(name).split()[0]}"),
                          encode(ApproveAll(officer_id)),
                          f"รับรองทั้งหมดของ {name}")
        for officer_id, name in officers.items()][:m.MAX_QUICK_REPLY_ITEMS - 1]
    if see_all:
        actions.append(m.message_action("ดูทั้งหมด", "รออนุมัติ"))
    return m.flex(f"รายงานรอคุณรับรอง {len(ids)} รายการ{more}", carousel, actions)
