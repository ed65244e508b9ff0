"""Thai words for the codes the project stores: statuses, roles, audit actions and subjects.

One table for everything people read (chat, console, exports, documents): a stored code such as
``computed`` or ``report.superseded`` is never shown as it is. `status_label(kind, code)` and
`audit_label(action)`; an unknown code comes back unchanged (a test checks that every code the
models define or the code base audits has its words here).

>>> status_label("appraisal", "computed")
'รอผู้ประเมินอนุมัติ'
>>> audit_label("report.superseded")
'รายงานถูกแทนด้วยฉบับใหม่'
>>> subject_label("report:12")
'รายงาน #12'
"""
from __future__ import annotations

import datetime as dt
import re

from thai.formatting import format_date

STATUS_LABELS: dict[str, dict[str, str]] = {
    # models.progress.ReportStatus: a progress or training report
    "report": {"pending": "รอรับรอง", "confirmed": "รับรองแล้ว", "sent_back": "ส่งกลับแก้ไข",
               "withdrawn": "ถอนแล้ว", "superseded": "มีรายงานใหม่แทน"},
    # models.progress.WorkStatus (and the Thai reader's "delayed")
    "work": {"done": "เสร็จแล้ว", "in_progress": "กำลังดำเนินการ", "not_started": "ยังไม่เริ่ม",
             "delayed": "ล่าช้า"},
    # models.progress.Decision: one confirmer's decision
    "decision": {"certified": "รับรอง", "sent_back": "ส่งกลับแก้ไข"},
    # models.progress.ReportKind
    "report_kind": {"kpi": "ตัวชี้วัด", "development": "การพัฒนา (หลักสูตร)"},
    # models.progress.EvidenceStatus and Evidence.kind
    "evidence": {"pending": "รอรับไฟล์", "stored": "เก็บแล้ว", "failed": "รับไฟล์ไม่สำเร็จ"},
    "evidence_kind": {"image": "รูปภาพ", "video": "วิดีโอ", "audio": "เสียง", "file": "ไฟล์"},
    # models.appraisal.AppraisalStatus
    "appraisal": {"incomplete": "ยังไม่ได้ประเมินสมรรถนะ", "computed": "รอผู้ประเมินอนุมัติ",
                  "approved": "อนุมัติแล้ว รอผู้รับการประเมินรับทราบ",
                  "acknowledged": "รับทราบแล้ว", "disagreed": "ไม่เห็นด้วย (มีความเห็น)"},
    # models.appraisal.CaseStatus: a low-performer case
    "case": {"open": "กำลังดำเนินการ", "reported": "รายงานแล้ว",
             "closed": "ปิดแล้ว (ผลใหม่ไม่ต่ำกว่าร้อยละ 60)"},
    # models.development.ItemStatus: an IDP item (and its check-ins)
    "idp_item": {"planned": "ยังไม่เริ่ม", "in_progress": "กำลังดำเนินการ", "done": "เสร็จแล้ว"},
    # models.hipps.MilestoneStatus and HippsStatus
    "milestone": {"planned": "ยังไม่เสร็จ", "done": "เสร็จแล้ว"},
    "hipps": {"submitted": "รอรับรอง", "certified": "รับรองครบแล้ว", "sent_back": "ส่งกลับแก้ไข"},
    # models.hr.SendStatus: an announcement or a form
    "send": {"scheduled": "ตั้งเวลาไว้", "sending": "กำลังส่ง", "sent": "ส่งแล้ว",
             "cancelled": "ยกเลิกแล้ว"},
    # models.hr.Audience
    "audience": {"all": "ทุกคน", "unit": "ตามหน่วยงาน", "role": "ตามบทบาท",
                 "not_reported": "ผู้ที่ยังไม่รายงาน"},
    # models.line.OutboxStatus: one message to LINE
    "outbox": {"pending": "รอส่ง", "sent": "ส่งแล้ว", "dead": "ส่งไม่สำเร็จ",
               "skipped": "ไม่ได้ส่ง (ผู้รับเลิกติดตาม)", "replied": "ส่งไปกับข้อความตอบกลับ",
               "expired": "เลยวันก่อนได้ส่ง", "withdrawn": "ไม่ต้องส่งแล้ว (งานเสร็จก่อน)",
               "gathered": "รวมในข้อความประจำวัน"},
    # models.kpi.ChangeStatus: a KPI change request or an agreement amendment
    "change": {"pending": "รอพิจารณา", "approved": "อนุมัติแล้ว", "rejected": "ไม่อนุมัติ"},
    # models.reminders.PushStatus and ReminderKind
    "push": {"queued": "รอส่ง", "replied": "ส่งไปกับข้อความตอบกลับ",
             "withdrawn": "ไม่ต้องส่งแล้ว (งานเสร็จก่อน)"},
    "reminder": {"before": "เตือนล่วงหน้า", "due_day": "เตือนวันครบกำหนด",
                 "overdue": "เตือนเมื่อเลยกำหนด", "digest": "สรุปถึงผู้บังคับบัญชา",
                 "snoozed": "เตือนตามที่เลื่อนไว้", "card": "รายงานรอรับรอง",
                 "notice": "แจ้งเรื่องที่พักไว้"},
    # models.rounds.Anchor: what a deadline counts from
    "anchor": {"round_start": "วันเริ่มรอบ", "round_end": "วันสิ้นสุดรอบ",
               "fixed": "วันที่คงที่"},
    # models.org.Role (and "officer")
    "role": {"officer": "ข้าราชการ", "hr_admin": "เจ้าหน้าที่ HR", "mentor": "พี่เลี้ยง",
             "coach": "ผู้สอนงาน", "supervisor": "ผู้บังคับบัญชา"},
}

AUDIT_LABELS: dict[str, str] = {
    "agency.confirmer_changed": "เปลี่ยนผู้รับรองรายงาน",
    "agreement.signed": "ลงนามข้อตกลงตัวชี้วัด",
    "agreement.amendment_requested": "ขอแก้ไขข้อตกลงตัวชี้วัด",
    "agreement.amendment_approved": "อนุมัติการแก้ไขข้อตกลง",
    "agreement.amendment_rejected": "ไม่อนุมัติการแก้ไขข้อตกลง",
    "agreement.amendment_pending": "คำขอแก้ไขข้อตกลงรอพิจารณา",
    "announcement.created": "สร้างประกาศ",
    "announcement.sent": "ส่งประกาศ",
    "announcement.cancelled": "ยกเลิกประกาศ",
    "announcement.acknowledged": "รับทราบประกาศ",
    "announcement.daily_summary": "สรุปการรับทราบประกาศประจำวัน",
    "appraisal.approved": "อนุมัติผลการประเมิน",
    "appraisal.acknowledged": "รับทราบผลการประเมิน",
    "appraisal.disagreed": "ไม่เห็นด้วยกับผลการประเมิน",
    "appraisal.missing_decided": "HR ตัดสินใจเรื่องตัวชี้วัดที่ไม่มีผล",
    "appraisal.reopened": "เปิดผลการประเมินให้คำนวณใหม่",
    "calendar.override": "กำหนดวันทำการ/วันหยุดเพิ่มเติม",
    "calendar.override_removed": "ลบวันที่กำหนดเอง",
    "competency.assessed": "ประเมินสมรรถนะ",
    "confirmer.missing": "ไม่มีผู้รับรองรายงาน",
    "console.login": "เข้าสู่หน้าเว็บ HR",
    "console.login_refused": "ปฏิเสธการเข้าสู่หน้าเว็บ HR",
    "console.logout": "ออกจากหน้าเว็บ HR",
    "console.link_sent": "ส่งลิงก์เข้าสู่หน้าเว็บ HR",
    "console.link_refused": "ปฏิเสธการขอลิงก์หน้าเว็บ HR",
    "console.csrf_refused": "ปฏิเสธคำขอที่ไม่ได้มาจากหน้าเว็บ",
    "console.person_viewed": "เปิดดูข้อมูลบุคลากร",
    "console.announcement_sent": "ส่งประกาศจากหน้าเว็บ",
    "console.form_sent": "ส่งแบบฟอร์มจากหน้าเว็บ",
    "console.import": "นำเข้าข้อมูล",
    "console.document": "ดาวน์โหลดเอกสาร PDF",
    "document.link_sent": "ส่งลิงก์ไฟล์ผลการประเมิน (PDF) ทางแชต",
    "document.link_refused": "ปฏิเสธลิงก์ไฟล์ผลการประเมิน (หมดอายุหรือไม่ถูกต้อง)",
    "document.downloaded": "เปิดไฟล์ผลการประเมิน (PDF) จากลิงก์ในแชต",
    "documents.exported": "ส่งออกเอกสาร PDF ทั้งรอบ (คำสั่ง flask)",
    "console.import_refused": "ปฏิเสธการนำเข้าข้อมูล",
    "console.settings_changed": "แก้ไขการตั้งค่า",
    "console.round_closed": "ปิดรอบและคำนวณผล",
    "console.export": "ดาวน์โหลดไฟล์",
    "console.rewards_viewed": "เปิดดูรายชื่อผู้ได้รับรางวัล",
    "console.rewards_certificates_attached": "แนบเกียรติบัตรกับประกาศรายชื่อผู้ได้รับรางวัล",
    "deadline.marked_done": "ทำเครื่องหมายว่าเสร็จแล้ว",
    "demo.appraisal_seeded": "สร้างข้อมูลตัวอย่างผลการประเมิน",
    "evidence.received": "ได้รับหลักฐานประกอบรายงาน",
    "forecast.low": "แจ้งแนวโน้มผลต่ำ",
    "form.sent": "ส่งแบบฟอร์ม",
    "form.submitted": "ส่งคำตอบแบบฟอร์ม",
    "hipps.submitted": "ส่งแบบรายงาน HiPPS",
    "hipps.certified": "รับรองแบบรายงาน HiPPS",
    "hipps.fully_certified": "แบบรายงาน HiPPS รับรองครบแล้ว",
    "hipps.sent_back": "ส่งแบบรายงาน HiPPS กลับแก้ไข",
    "hipps.copies_sent": "ส่งสำเนาแบบรายงาน HiPPS ให้ HR",
    "hipps.milestone_done": "ขั้นตอนสำคัญของโครงการเสร็จ",
    "hipps.project_added": "เพิ่มโครงการสำคัญ",
    "hr.admin_added": "เพิ่มเจ้าหน้าที่ HR",
    "idp.checkin": "รายงานความก้าวหน้าแผนพัฒนา (IDP)",
    "idp.item_added": "เพิ่มรายการในแผนพัฒนา (IDP)",
    "kpi.change_requested": "ขอเปลี่ยนตัวชี้วัด",
    "kpi.innovation_marked": "ระบุตัวชี้วัดเป็นงานนวัตกรรม/ดิจิทัล",
    "kpi.innovation_unmarked": "ยกเลิกการระบุตัวชี้วัดเป็นงานนวัตกรรม/ดิจิทัล",
    "kpi.change_approved": "อนุมัติการเปลี่ยนตัวชี้วัด",
    "kpi.change_rejected": "ไม่อนุมัติการเปลี่ยนตัวชี้วัด",
    "kpi.change_pending": "คำขอเปลี่ยนตัวชี้วัดรอพิจารณา",
    "line.follow": "เพิ่มเพื่อน LINE",
    "line.unfollow": "เลิกติดตาม LINE",
    "line.quota_low": "โควตาข้อความเหลือน้อย",
    "line.quota_ok": "โควตาข้อความกลับมาเพียงพอ",
    "line.pushes_paused": "หยุดส่งข้อความชั่วคราว",
    "line.pushes_resumed": "ส่งข้อความต่อ",
    "line.hr_alerted": "แจ้งเตือน HR",
    "line.hr_alert_replied": "HR ตอบการแจ้งเตือน",
    "link.linked": "เชื่อมบัญชี LINE",
    "link.unlinked": "ยกเลิกการเชื่อมบัญชี LINE",
    "link.failed": "เชื่อมบัญชีไม่สำเร็จ",
    "link.locked": "ระงับการเชื่อมบัญชีชั่วคราว",
    "link.burst": "พยายามเชื่อมบัญชีถี่เกินไป",
    "link_code.issued": "ออกรหัสเชื่อมบัญชี",
    "lowperf.opened": "เปิดกรณีผลต่ำกว่าร้อยละ 60",
    "lowperf.step": "บันทึกขั้นตอนการพัฒนาผู้มีผลต่ำ",
    "lowperf.reported": "รายงานกรณีผลต่ำ",
    "lowperf.closed": "ปิดกรณีผลต่ำ",
    "lowperf.reopened": "เปิดกรณีผลต่ำอีกครั้ง",
    "notices.replied": "ส่งเรื่องที่พักไว้ไปกับข้อความตอบกลับ",
    "postback.refused": "ปฏิเสธการแตะปุ่ม (ไม่มีสิทธิ์)",
    "postback.stale": "แตะปุ่มที่หมดอายุแล้ว",
    "reminder.replied": "ส่งการเตือนไปกับข้อความตอบกลับ",
    "reminder.snoozed": "เลื่อนการเตือน",
    "reminder_policy.changed": "แก้ไขการตั้งค่าการเตือน",
    "report.created": "ส่งรายงานความก้าวหน้า",
    "report.edited": "แก้ไขรายงานความก้าวหน้า",
    "report.certified": "รับรองรายงาน (ผู้รับรองหนึ่งคน)",
    "report.pending": "รายงานรอรับรอง",
    "report.confirmed": "รายงานได้รับการรับรอง",
    "report.sent_back": "ส่งรายงานกลับแก้ไข",
    "report.withdrawn": "ถอนรายงาน",
    "report.superseded": "รายงานถูกแทนด้วยฉบับใหม่",
    "report.submission": "ส่งรายงานหลายตัวชี้วัดพร้อมกัน",
    "report.innovation_marked": "ระบุรายงานเป็นผลงานนวัตกรรม/ดิจิทัล",
    "report.innovation_unmarked": "ยกเลิกการระบุรายงานเป็นผลงานนวัตกรรม/ดิจิทัล",
    "round.closed": "ปิดรอบการประเมิน",
    "survey.sent": "ส่งแบบสำรวจความพึงพอใจ",
    "survey.answered": "ตอบแบบสำรวจความพึงพอใจ",
}

SUBJECT_LABELS: dict[str, str] = {
    "agency": "หน่วยงาน", "agreement": "ข้อตกลง", "announcement": "ประกาศ",
    "appraisal": "ผลการประเมิน", "case": "กรณีผลต่ำ", "evidence": "หลักฐาน", "form": "แบบฟอร์ม",
    "hipps": "แบบรายงาน HiPPS", "idp": "แผนพัฒนา", "idp_item": "รายการแผนพัฒนา",
    "kpi": "ตัวชี้วัด", "milestone": "ขั้นตอนสำคัญ", "outbox": "ข้อความ", "project": "โครงการ",
    "reminder_push": "การเตือน", "report": "รายงาน", "round": "รอบการประเมิน",
    "session": "การเข้าใช้", "staff": "บุคลากร", "survey": "แบบสำรวจ ปีงบประมาณ",
    "line": "บัญชี LINE",
}

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def status_label(kind: str, code: str | None, default: str = "-") -> str:
    """The Thai words for a stored status `code` of `kind` (see STATUS_LABELS); `default` for
    None or empty; an unknown code as it is."""
    if not code:
        return default
    return STATUS_LABELS.get(kind, {}).get(str(code), str(code))


def audit_label(action: str) -> str:
    """The Thai words for an audit action (``report.superseded`` → …); unknown: unchanged."""
    return AUDIT_LABELS.get(action, action)


def subject_label(subject: str) -> str:
    """An audit entry's subject (``report:12``, ``day:2027-01-15``) in Thai: the thing's name and
    its number, a day as a พ.ศ. date."""
    if not subject or ":" not in subject:
        return subject or ""
    kind, _, value = subject.partition(":")
    if kind == "day":
        match = _ISO_DAY.match(value)
        if match:
            return format_date(dt.date(*(int(part) for part in match.groups())))
    if kind == "survey":
        return f"{SUBJECT_LABELS['survey']} {value}"
    if kind == "line":
        return SUBJECT_LABELS["line"]  # a LINE user id tells HR nothing
    name = SUBJECT_LABELS.get(kind)
    return f"{name} #{value}" if name else subject
