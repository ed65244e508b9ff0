"""HR's numbers and files, as plain functions returning data (no Flask): the seed-004 metrics
and the HiPPS reports of a round. The CLI (bot/cli_appraisal.py) and the HR console call these.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from datetime import date, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.spreadsheets import (
    DATE,
    INT,
    NUMBER,
    SCORE,
    TEXT,
    dress_sheet,
    fitted_widths,
    header_cells,
    typed_cell,
    xlsx_row,
)
from models import Round, Staff
from models.appraisal import Appraisal, shown
from models.development import ACTING, IDP_METHODS, ITEM_STATUS_TH, Idp, IdpItem, SurveyResponse
from models.hipps import HIPPS_FORM_TITLE, HippsCertification, HippsReport
from models.hipps_reports import copy_deadline
from models.innovation import innovation_figures
from thai import format_date, format_number, local_date, status_label

CENT = Decimal("0.01")


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * 100 / whole).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class DevelopmentMetrics:
    """Seed 004's success indicators for one agency and fiscal year (anonymous aggregates)."""

    fiscal_year: int
    staff: int  # active staff
    with_idp: int  # have an IDP with at least one item
    acting: int  # at least one item in progress or done
    pct_with_idp: Decimal
    pct_acting: Decimal  # of all staff
    pct_acting_of_idp: Decimal  # of those with an IDP
    survey_responses: int
    survey_mean: Decimal | None
    survey_distribution: dict[int, int] = field(default_factory=dict)  # score → count
    # seed 004: staff whose confirmed work shows innovation/digital use, and the outputs (KPIs)
    with_innovation: int = 0
    pct_with_innovation: Decimal = Decimal("0.00")
    innovation_outputs: int = 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, Decimal):
                data[key] = f"{value:f}"
        data["survey_distribution"] = {str(k): v for k, v in self.survey_distribution.items()}
        return data

    def values(self) -> list[tuple[str, int | Decimal | None]]:
        """(Thai label, number) for a sheet: counts as integers, percentages and the mean as
        two-decimal numbers (None: no survey answers)."""
        rows: list[tuple[str, int | Decimal | None]] = [
            ("ปีงบประมาณ", self.fiscal_year),
            ("จำนวนบุคลากร", self.staff),
            ("จำนวนผู้มีแผนพัฒนารายบุคคล (IDP)", self.with_idp),
            ("ร้อยละของบุคลากรที่มี IDP", self.pct_with_idp),
            ("จำนวนผู้ดำเนินการตาม IDP", self.acting),
            ("ร้อยละของบุคลากรที่ดำเนินการตาม IDP", self.pct_acting),
            ("ร้อยละของผู้มี IDP ที่ดำเนินการตาม IDP", self.pct_acting_of_idp),
            ("จำนวนผู้ตอบแบบสำรวจความพึงพอใจ", self.survey_responses),
            ("ความพึงพอใจเฉลี่ย (1–5)", self.survey_mean)]
        rows += [(f"ตอบระดับ {score}", self.survey_distribution.get(score, 0))
                 for score in range(1, 6)]
        rows += [("จำนวนบุคลากรที่มีผลงานเป็นนวัตกรรมหรือใช้เทคโนโลยีดิจิทัล",
                  self.with_innovation),
                 ("ร้อยละของบุคลากรที่มีผลงานสะท้อนนวัตกรรมหรือการใช้เทคโนโลยีดิจิทัล",
                  self.pct_with_innovation),
                 ("จำนวนผลผลิตที่เป็นนวัตกรรม", self.innovation_outputs)]
        return rows

    def rows(self) -> list[tuple[str, str]]:
        """(Thai label, value as text) for a CSV or the command line: plain numbers."""
        return [(label, "-" if value is None else f"{value:.2f}" if isinstance(value, Decimal)
                 else str(value)) for label, value in self.values()]

    def shown_rows(self) -> list[tuple[str, str]]:
        """(Thai label, value) as a page shows them: thousands separated, two decimals."""
        return [(label, str(value) if label == "ปีงบประมาณ"
                 else format_number(value, 2 if isinstance(value, Decimal) else 0))
                for label, value in self.values()]


def development_metrics(session: Session, agency_id: int, fiscal_year: int) -> DevelopmentMetrics:
    """Five queries whatever the size of the agency."""
    staff = session.scalar(select(func.count()).select_from(Staff).where(
        Staff.agency_id == agency_id, Staff.active.is_(True))) or 0
    base = (select(func.count(func.distinct(Idp.officer_id))).select_from(Idp)
            .join(IdpItem, IdpItem.idp_id == Idp.id).join(Staff, Staff.id == Idp.officer_id)
            .where(Staff.agency_id == agency_id, Staff.active.is_(True),
                   Idp.fiscal_year == fiscal_year))
    with_idp = session.scalar(base) or 0
    acting = session.scalar(base.where(IdpItem.status.in_(list(ACTING)))) or 0
    distribution = {int(score): int(count) for score, count in session.execute(
        select(SurveyResponse.score, func.count()).where(
            SurveyResponse.agency_id == agency_id, SurveyResponse.fiscal_year == fiscal_year)
        .group_by(SurveyResponse.score))}
    responses = sum(distribution.values())
    mean = (Decimal(sum(s * c for s, c in distribution.items())) / responses).quantize(
        CENT, ROUND_HALF_UP) if responses else None
    innovation = innovation_figures(session, agency_id, fiscal_year)
    return DevelopmentMetrics(fiscal_year=fiscal_year, staff=staff, with_idp=with_idp,
                              acting=acting, pct_with_idp=_percent(with_idp, staff),
                              pct_acting=_percent(acting, staff),
                              pct_acting_of_idp=_percent(acting, with_idp),
                              survey_responses=responses, survey_mean=mean,
                              survey_distribution=dict(sorted(distribution.items())),
                              with_innovation=innovation.staff_showing,
                              pct_with_innovation=_percent(innovation.staff_showing, staff),
                              innovation_outputs=innovation.outputs)


def metrics_csv(metrics: DevelopmentMetrics) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ตัวชี้วัด", "ค่า"])
    writer.writerows(metrics.rows())
    return "\ufeff" + out.getvalue()  # a BOM, so Excel reads the Thai


def metrics_xlsx(metrics: DevelopmentMetrics) -> bytes:
    """The metrics as typed numbers (counts `#,##0`, percentages and the mean `#,##0.00`)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ตัวชี้วัดการพัฒนา"
    sheet.append(header_cells(sheet, ["ตัวชี้วัด", "ค่า"]))
    rows = metrics.values()
    for label, value in rows:
        kind = TEXT if label == "ปีงบประมาณ" else NUMBER if isinstance(value, Decimal) else INT
        sheet.append([label, typed_cell(sheet, value if kind != TEXT else str(value), kind)])
    dress_sheet(sheet, fitted_widths(["ตัวชี้วัด", "ค่า"], [[label, value] for label, value in rows],
                                     [TEXT, NUMBER]), last_row=len(rows) + 1)
    return _save(book)


# --- HiPPS -----------------------------------------------------------------------------------

def _append(sheet: Any, row: list[Any]) -> None:
    sheet.append(xlsx_row(sheet, row))  # what people typed stays text, never a formula


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")


def _be(iso: str | None) -> str:
    """An ISO date as people read it: Thai, Buddhist Era (`10 เม.ย. 2570`)."""
    return format_date(date.fromisoformat(iso[:10])) if iso else "-"


def _two(sheet: Any, value: Any) -> Any:
    """A number as a typed cell shown with two decimals (`15.00`), or `-`."""
    if value is None or value == "":
        return "-"
    return typed_cell(sheet, float(Decimal(str(value))), NUMBER)


def hipps_report_xlsx(report: HippsReport, certifiers: list[tuple[str, str, str]],
                      copy_due: date | None = None, round_no: int | None = None) -> bytes:
    """One officer's HiPPS report as a workbook; certifiers are (role, name, when): dates in
    พ.ศ., Thai labels, numbers with two decimals, and where the two copies go and by when."""
    content = report.content
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "รายงาน"
    officer = content["officer"]
    rnd = content["round"]
    _append(sheet, [HIPPS_FORM_TITLE])
    _append(sheet, ["ชื่อ-สกุล", officer["name_th"], "รหัส", officer["staff_code"]])
    _append(sheet, ["ตำแหน่ง", officer["position"]])
    _append(sheet, ["รอบการประเมิน", f"รอบที่ {rnd['round_no']} ปีงบประมาณ {rnd['fiscal_year']}",
                  "ฉบับที่", report.version])
    by = (format_date(copy_due) if copy_due is not None
          else "10 เมษายน" if (round_no or rnd["round_no"]) == 1 else "10 ตุลาคม")
    _append(sheet, ["การส่งสำเนา", f"ส่งสำเนาแบบรายงานนี้ 2 ชุดให้กลุ่มบริหารทรัพยากรบุคคล (HR) "
                                   f"ภายใน {by}"])
    _append(sheet, [])
    _append(sheet, ["ส่วนที่ 1 ผลสัมฤทธิ์ตามตัวชี้วัด"])
    _append(sheet, ["ข้อ", "ตัวชี้วัด", "หน่วยนับ", "น้ำหนัก", "เป้าหมาย", "ผลงาน", "ระดับ"])
    for kpi in content["kpis"]:
        _append(sheet, [kpi["number"], kpi["name"], kpi["unit"], _two(sheet, kpi["weight"]),
                      _two(sheet, kpi["target"]), _two(sheet, kpi["result"]),
                      "-" if kpi["level"] is None else kpi["level"]])
    _append(sheet, [])
    _append(sheet, ["ส่วนที่ 2 โครงการสำคัญ"])
    for project in content["projects"]:
        _append(sheet, ["โครงการ", project["title"]])
        _append(sheet, ["ขั้นที่", "ขั้นตอนสำคัญ", "กำหนด", "สถานะ", "เสร็จเมื่อ"])
        for ms in project["milestones"]:
            _append(sheet, [ms["number"], ms["title"], _be(ms["due_on"]),
                          status_label("milestone", ms["status"]),
                          _be(ms["done_on"])])
    _append(sheet, [])
    _append(sheet, ["ส่วนที่ 3 การพัฒนา"])
    _append(sheet, ["สมรรถนะ/ทักษะ", "วิธีการ", "เป้าหมาย", "สถานะ"])
    for item in content["development"]["idp"]:
        method = IDP_METHODS[item["method"]][0] if item["method"] in IDP_METHODS else item["method"]
        status = ITEM_STATUS_TH.get(item["status"], item["status"])
        _append(sheet, [item["topic"], method, _be(item["target_date"]), status])
    _append(sheet, ["หลักสูตรที่อบรม", "วันที่จบ", "สรุปสิ่งที่ได้เรียนรู้"])
    for training in content["development"]["trainings"]:
        _append(sheet, [training["title"], _be(training["finished_on"]), training["summary"]])
    _append(sheet, [])
    _append(sheet, ["ส่วนที่ 4 สมรรถนะ"])
    _append(sheet, ["สมรรถนะ", "คะแนน (1–5)", "ความเห็น"])
    for item in content["competencies"]:
        _append(sheet, [item["name"], item["score"], item["comment"]])
    _append(sheet, [])
    _append(sheet, ["การรับรองผล"])
    for role, name, when in certifiers:
        _append(sheet, [role, name, when])
    sheet.column_dimensions["B"].width = 60
    return _save(book)


def hipps_export(session: Session, round_: Round, tz: tzinfo) -> dict[str, bytes]:
    """Every HiPPS report of the round: `<staff_code>.xlsx` each, and `summary.xlsx`; days are
    those of `tz` (the app's zone: a certification at 01:00 in Bangkok is that Bangkok day)."""
    from models import ROLE_NAMES_TH

    files: dict[str, bytes] = {}
    summary = Workbook()
    sheet = summary.active
    assert sheet is not None
    sheet.title = "สรุป"
    headers = ["รหัส", "ชื่อ-สกุล", "ฉบับที่", "สถานะ", "พี่เลี้ยงรับรอง", "ผู้สอนงานรับรอง",
               "ส่งสำเนาให้ HR", "ส่งสำเนาให้ HR (ISO)", "คะแนนรวม", "ระดับผลการประเมิน", "ไฟล์"]
    sheet.append(header_cells(sheet, headers))
    rows = session.execute(select(HippsReport, Staff)
                           .join(Staff, Staff.id == HippsReport.officer_id)
                           .where(HippsReport.round_id == round_.id)
                           .order_by(Staff.staff_code)).all()
    appraisals = {a.officer_id: a for a in session.scalars(
        select(Appraisal).where(Appraisal.round_id == round_.id))}
    copy_due = copy_deadline(session, round_)
    summary_rows: list[list[Any]] = []
    for report, officer in rows:
        certs = session.execute(select(HippsCertification.role, Staff.name_th,
                                       HippsCertification.at)
                                .join(Staff, Staff.id == HippsCertification.certifier_id)
                                .where(HippsCertification.report_id == report.id,
                                       HippsCertification.version == report.version)
                                .order_by(HippsCertification.role)).all()
        by_role = {role: (name, at) for role, name, at in certs}
        name = f"{_UNSAFE.sub('_', officer.staff_code)}.xlsx"
        signed = [(ROLE_NAMES_TH.get(role, role), who, format_date(local_date(at, tz)))
                  for role, who, at in certs]
        files[name] = hipps_report_xlsx(report, signed, copy_due, round_.round_no)
        appraisal = appraisals.get(officer.id)
        sent = local_date(report.copies_sent_at, tz) if report.copies_sent_at else None
        overall = appraisal.overall if appraisal and appraisal.overall is not None else None
        row = [officer.staff_code, officer.name_th, report.version,
               status_label("hipps", report.status),
               by_role.get("mentor", ("-",))[0], by_role.get("coach", ("-",))[0],
               typed_cell(sheet, sent, DATE) if sent else "-", sent.isoformat() if sent else "",
               typed_cell(sheet, float(shown(overall)), SCORE) if overall is not None else "-",
               appraisal.band if appraisal and appraisal.band else "-", name]
        summary_rows.append([officer.staff_code, officer.name_th, report.version, row[3],
                             row[4], row[5], sent, "", overall,
                             appraisal.band if appraisal else "", name])
        _append(sheet, row)
    by = format_date(copy_due) if copy_due else (
        "10 เมษายน" if round_.round_no == 1 else "10 ตุลาคม")
    kinds = [TEXT, TEXT, INT, TEXT, TEXT, TEXT, DATE, TEXT, SCORE, TEXT, TEXT]
    dress_sheet(sheet, fitted_widths(headers, summary_rows, kinds), last_row=len(rows) + 1)
    _append(sheet, [])
    _append(sheet, [f"ส่งสำเนาแบบรายงาน 2 ชุดให้ HR ภายใน {by}"])
    files["summary.xlsx"] = _save(summary)
    return files
