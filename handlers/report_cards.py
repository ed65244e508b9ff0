"""How a progress report looks to everyone: its title, rows, the confirmer's card, รออนุมัติ."""
from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers import texts
from handlers.cards import bubble, heading, number, row
from handlers.context import Context
from handlers.postbacks import ApproveAll, ReportDecision, SubmissionDecision, encode
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
    submission_version,
)
from thai import format_date, format_datetime


def report_title(report: ProgressReport) -> str:
    """`รายงานตัวชี้วัดที่ 2` / `รายงานการอบรม`: how the report is named in messages."""
    if report.kind == ReportKind.DEVELOPMENT:
        return f"รายงานการอบรม {report.title}".strip()
    return f"รายงานตัวชี้วัดที่ {report.kpi.number}" if report.kpi else "รายงานความก้าวหน้า"


def submission_title(reports: list[ProgressReport]) -> str:
    """`รายงานตัวชี้วัดที่ 2 และ 5` / `รายงานตัวชี้วัดที่ 1, 2 และ 3`: several KPIs together."""
    numbers = [str(r.kpi.number) for r in reports if r.kpi is not None]
    if len(numbers) < 2:
        return report_title(reports[0]) if reports else "รายงานความก้าวหน้า"
    return f"รายงานตัวชี้วัดที่ {', '.join(numbers[:-1])} และ {numbers[-1]}"


def agreed_target_text(kpi: Any) -> str:
    """The agreed target as people read it: `ร้อยละ 80`, `ระดับ 3`, `ไม่เกิน 5 วัน`, `60 ราย`."""
    unit = kpi.unit.strip()
    if unit in ("ร้อยละ", "%"):
        return f"ร้อยละ {number(kpi.target)}"
    if unit.startswith("ระดับ"):
        return f"ระดับ {number(kpi.target)}"
    first, last = getattr(kpi, "level1", None), getattr(kpi, "level5", None)
    falling = first is not None and last is not None and first > last
    return f"{'ไม่เกิน ' if falling else ''}{number(kpi.target)} {unit}".strip()


def lines_rows(reports: list[ProgressReport]) -> list[dict[str, Any]]:
    """The rows of several KPIs reported together: each KPI, its result beside the agreed
    target, its status and date (the officer's card before sending and the confirmer's card)."""
    rows: list[dict[str, Any]] = []
    for report in reports:
        kpi = report.kpi
        rows.append(heading(f"{kpi.number}. {kpi.name}" if kpi else "-"))
        rows.append(row("ผลงาน", kpi_result_text(kpi, report.value, report.target,
                                                 report.percent), bold=True))
        if kpi is not None:
            rows.append(row("เป้าที่ตกลง", agreed_target_text(kpi)))
        rows.append(row("สถานะงาน", texts.WORK_STATUS.get(report.work_status or "", "-")))
        if report.note:
            rows.append(row("หมายเหตุ", m.shorten(report.note, 300)))
        rows.append(row("ข้อมูล ณ วันที่", format_date(report.reported_on)))
    return rows


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


def submission_actions(submission_id: int, version: int) -> list[m.Action]:
    """รับรองทุกข้อ / ส่งกลับแก้ไข / ดูรายละเอียด on several KPIs reported together."""
    def tap(do: Literal["ok", "back", "view"]) -> str:
        return encode(SubmissionDecision(submission_id, version, do))
    return [m.postback_action(texts.APPROVE_LINES, tap("ok"), texts.APPROVE_LINES),
            m.postback_action("ส่งกลับแก้ไข", tap("back"), "ส่งกลับแก้ไข"),
            m.postback_action("ดูรายละเอียด", tap("view"), "ดูรายละเอียด")]


def submission_bubble(reports: list[ProgressReport], waiting: list[ProgressReport],
                      officer: Staff) -> dict[str, Any]:
    """One card for a submission: the lines waiting for this confirmer, one decision for all
    (ดูรายละเอียด shows each line, with its own รับรอง / ส่งกลับแก้ไข)."""
    hipps = " · HiPPS" if officer.is_hipps else ""
    lead = reports[0]
    assert lead.submission_id is not None
    rows = lines_rows(waiting)
    evidence = sum(len(r.evidence) for r in reports)
    if evidence:
        rows.append(row("หลักฐาน", f"{evidence} รายการ"))
    return bubble(submission_title(waiting), f"{officer.name_th}{hipps} · {len(waiting)} ข้อ",
                  rows, footer=submission_actions(lead.submission_id,
                                                  submission_version(reports)))


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
    return m.flex(f"รายละเอียด {report_title(report)}", detail_bubble(ctx, report), ctx.menu)


def details_card(ctx: Context, reports: list[ProgressReport]) -> m.Message:
    """Every line of a submission in detail, one bubble each (each with its own decisions)."""
    return m.flex(f"รายละเอียด {submission_title(reports)}",
                  m.carousel([detail_bubble(ctx, r) for r in reports[:MAX_CARDS]]), ctx.menu)


def detail_bubble(ctx: Context, report: ProgressReport) -> dict[str, Any]:
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
    return bubble(report_title(report), f"{officer.name_th} · ฉบับที่ {report.version}", rows,
                  footer=actions)


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
    # Several KPIs reported together are one card: the cards are the submissions, each once.
    grouping = dict(session.execute(select(ProgressReport.id, ProgressReport.submission_id)
                                    .where(ProgressReport.id.in_(ids))).all())
    cards: dict[tuple[str, int], list[int]] = {}
    for report_id in ids:
        submission = grouping.get(report_id)
        key = ("set", submission) if submission is not None else ("one", report_id)
        cards.setdefault(key, []).append(report_id)
    first = list(cards.items())[:MAX_CARDS]
    wanted = [i for _key, members in first for i in members]
    sets = [key[1] for key, _members in first if key[0] == "set"]
    reports = {r.id: r for r in session.scalars(select(ProgressReport).where(
        or_(ProgressReport.id.in_(wanted), ProgressReport.submission_id.in_(sets))))}
    bubbles: list[dict[str, Any]] = []
    shown: list[ProgressReport] = []
    for (kind, key_id), members in first:
        mine = [reports[i] for i in members if i in reports]
        if not mine:
            continue
        if kind == "set":
            whole = sorted((r for r in reports.values() if r.submission_id == key_id),
                           key=lambda r: r.id)
            bubbles.append(submission_bubble(whole, mine, mine[0].officer))
        else:
            bubbles.append(confirmer_bubble(mine[0], mine[0].officer))
        shown.append(mine[0])
    carousel = m.carousel(bubbles)
    shown = shown[:len(carousel["contents"])]
    more = f" (แสดง {len(shown)} จาก {len(cards)})" if len(cards) > len(shown) else ""
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
    return m.flex(f"รายงานรอคุณรับรอง {len(cards)} รายการ{more}", carousel, actions)
