"""Table of Thai messages and what thai.parse must read from them.

Every row states all seven fields: a field left out of a row must be None.
``TODAY`` is Wednesday 1 April 2026 (BE 2569) unless a row says otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thai import parse

TODAY = date(2026, 4, 1)  # a Wednesday
FIELDS = ("kpi", "percent", "value", "target", "date", "status", "answer")


def case(text: str, id: str, *, today: date = TODAY, **expected: Any) -> Any:
    """One row: the message, its id, and the fields that are not None."""
    unknown = set(expected) - set(FIELDS)
    assert not unknown, unknown
    return pytest.param(text, today, expected, id=id)


def check(text: str, today: date, expected: dict[str, Any]) -> None:
    got = parse(text, today).to_dict()
    want = {name: expected.get(name) for name in FIELDS}
    assert {name: got[name] for name in FIELDS} == want


KPI = [
    case("ตัวชี้วัดที่ 2", "kpi-tuachiwat-thi", kpi=2),
    case("ตัวชี้วัด 2", "kpi-tuachiwat", kpi=2),
    case("ตัวชี้วัดที่2", "kpi-tuachiwat-thi-nospace", kpi=2),
    case("KPI2", "kpi-upper-glued", kpi=2),
    case("kpi 2", "kpi-lower-space", kpi=2),
    case("Kpi 3", "kpi-mixed-case", kpi=3),
    case("KPI ที่ 4", "kpi-latin-thi", kpi=4),
    case("KPI#5", "kpi-hash", kpi=5),
    case("ข้อ 2", "kpi-kho", kpi=2),
    case("ข้อที่ 2", "kpi-kho-thi", kpi=2),
    case("ข้อ2", "kpi-kho-glued", kpi=2),
    case("ตัวที่ 2", "kpi-tua-thi", kpi=2),
    case("ข้อ ๓", "kpi-thai-digit", kpi=3),
    case("ตัวชี้วัดที่ ๑", "kpi-tuachiwat-thai-digit", kpi=1),
    case("ข้อสาม", "kpi-number-word", kpi=3),
    case("ข้อสอง", "kpi-number-word-at-end", kpi=2),
    case("ตัวที่สอง", "kpi-tua-thi-word", kpi=2),
    case("ตัวชี้วัดที่ห้า", "kpi-tuachiwat-word", kpi=5),
    case("ข้อสิบ", "kpi-ten-word", kpi=10),
    case("ข้อแรก", "kpi-first", kpi=1),
    case("ข้อ 12", "kpi-two-digits", kpi=12),
    case("หลักสูตรที่ 7", "not-kpi-course"),
    case("รอบที่ 1", "not-kpi-round"),
    case("ครั้งที่ 2", "not-kpi-time"),
    case("ข้อมูล 5 รายการ", "not-kpi-data", value=5),
    case("ตัวชี้วัด 5 ตัว", "not-kpi-count", value=5),
    case("ข้อตกลง 3 ฉบับ", "not-kpi-agreement", value=3),
    case("ข้อ 1-3 เสร็จแล้ว", "kpi-range-first", kpi=1, status="done"),
    case("ข้อ 2 และข้อ 3", "kpi-first-of-two", kpi=2),
    case("ข้อ 0", "kpi-zero-is-not-a-kpi", value=0),
    case("ข้อ 3.1 ส่งแล้ว", "kpi-sub-item", kpi=3, status="done"),
    case("หัวข้อ 3 การประชุม", "not-kpi-heading", value=3),
    case("KPI 2 = 80%", "kpi-equals-percent", kpi=2, percent=80, status="in_progress"),
    case("ตัวชี้วัด ข้อ 2", "kpi-two-markers", kpi=2),
]

PERCENT = [
    case("80%", "pct-sign", percent=80, status="in_progress"),
    case("80 %", "pct-sign-space", percent=80, status="in_progress"),
    case("ร้อยละ 80", "pct-roila", percent=80, status="in_progress"),
    case("ร้อยละ80", "pct-roila-glued", percent=80, status="in_progress"),
    case("80 เปอร์เซ็นต์", "pct-percent-word", percent=80, status="in_progress"),
    case("80 เปอร์เซ็น", "pct-percent-word-short", percent=80, status="in_progress"),
    case("80เปอร์เซ็นต์", "pct-percent-word-glued", percent=80, status="in_progress"),
    case("80 เปอร์", "pct-per-slang", percent=80, status="in_progress"),
    case("ร้อยละแปดสิบห้า", "pct-roila-words", percent=85, status="in_progress"),
    case("แปดสิบห้าเปอร์เซ็นต์", "pct-words-percent", percent=85, status="in_progress"),
    case("ครึ่ง", "pct-half", percent=50, status="in_progress"),
    case("ครึ่งหนึ่ง", "pct-half-one", percent=50, status="in_progress"),
    case("ทำไปได้ครึ่งนึงแล้ว", "pct-half-colloquial", percent=50, status="in_progress"),
    case("เต็มร้อย", "pct-full-hundred", percent=100, status="done"),
    case("ร้อยละร้อย", "pct-roila-roi", percent=100, status="done"),
    case("ร้อยเปอร์เซ็นต์", "pct-hundred-words", percent=100, status="done"),
    case("๘๐%", "pct-thai-digits", percent=80, status="in_progress"),
    case("８０％", "pct-fullwidth", percent=80, status="in_progress"),
    case("ร้อยละ 12.5", "pct-decimal", percent=12.5, status="in_progress"),
    case("0%", "pct-zero", percent=0, status="not_started"),
    case("100%", "pct-hundred", percent=100, status="done"),
    case("120%", "pct-over", percent=120, status="done"),
    case("ร้อยละ 90 - 100", "pct-range-first", percent=90, status="in_progress"),
    case("80% แล้ว 90%", "pct-first-of-two", percent=80, status="in_progress"),
    case("2 ชั่วโมงครึ่ง", "not-pct-hour-and-a-half", value=2),
    case("สองวันครึ่ง", "not-pct-days-and-a-half", value=2),
    case("ร้อยละ", "pct-marker-without-number"),
]

VALUE = [
    case("45", "value-digits", value=45),
    case("ได้ 45 คน", "value-in-sentence", value=45),
    case("2,000", "value-thousands", value=2000),
    case("1,234,567", "value-millions", value=1234567),
    case("1,234.50 บาท", "value-decimal-separator", value=1234.5),
    case("๒๕๐ ราย", "value-thai-digits", value=250),
    case("สี่สิบห้า", "value-words", value=45),
    case("สองพันห้าร้อย", "value-words-thousands", value=2500),
    case("หนึ่งร้อยยี่สิบสี่จุดศูนย์สี่", "value-words-decimal", value=124.04),
    case("ทำได้สี่สิบห้าคน", "value-words-in-sentence", value=45),
    case("2 พัน", "value-digit-multiplier", value=2000),
    case("1.5 ล้าน", "value-decimal-million", value=1500000),
    case("งบ 3 แสนบาท", "value-hundred-thousand", value=300000),
    case("ได้ 0 คะแนน", "value-zero", value=0),
    case("ศูนย์", "value-zero-word", value=0),
    case("4.50", "value-trailing-zero", value=4.5),
    case("ห้ามส่งช้า", "not-value-ham"),
    case("สามารถทำได้", "not-value-samart"),
    case("เก้าอี้ตัวใหม่", "not-value-chair"),
    case("ส่วนหนึ่งของงาน", "not-value-part-of"),
    case("ศูนย์ราชการ", "not-value-centre"),
    case("ผู้อำนวยการกอง/ศูนย์ ให้ทำหน้าที่", "not-value-division-centre"),
    case("สร้างพันธมิตร", "not-value-partner"),
    case("แสนดี", "not-value-intensifier"),
    case("555", "not-value-laughter"),
    case("เสร็จแล้ว 5555", "not-value-laughter-after", status="done"),
    case("covid19", "not-value-latin-name"),
    case("กระดาษ A4 3 รีม", "value-after-latin-name", value=3),
    case("โทร 081-234-5678", "not-value-phone"),
    case("ครั้งที่ 2 ได้ 30 คน", "value-after-ordinal", value=30),
    case("อยู่ที่ 45 คน", "value-yuu-thi", value=45),
    case("1. ส่งรายงาน 3 ฉบับ", "value-after-list-label", value=3),
]

TARGET = [
    case("45 จากเป้า 60", "target-jak-pao", value=45, target=60),
    case("จากเป้าหมาย 2,000", "target-jak-paomai", target=2000),
    case("4.5 จาก 5", "target-jak", value=4.5, target=5),
    case("12/20", "target-slash", value=12, target=20),
    case("45 คน จาก 60 คน", "target-jak-with-unit", value=45, target=60),
    case("45 คนจากทั้งหมด 60 คน", "target-jak-thangmot", value=45, target=60),
    case("สี่สิบห้าจากหกสิบ", "target-words", value=45, target=60),
    case("เป้า 60 ได้ 45", "target-before-value", value=45, target=60),
    case("เป้าหมาย 100 ทำได้ 80 คน", "target-paomai-first", value=80, target=100),
    case("คะแนนเต็ม 5 ได้ 4", "target-full-score", value=4, target=5),
    case("ได้รับจาก 3 หน่วยงาน", "not-target-from-place", value=3),
    case("ข้อ 2 ทำได้ 3/5 เรื่อง", "target-slash-with-kpi", kpi=2, value=3, target=5),
    case("ค่าเป้าหมาย 2 ล้าน", "target-multiplier", target=2000000),
]

DATE_ABSOLUTE = [
    case("31 ส.ค.2553", "date-abbr-glued-year", date="2010-08-31"),
    case("7 มค 70", "date-abbr-nodots-2digit", date="2027-01-07"),
    case("10 กรกฎา", "date-short-month-no-year", date="2026-07-10"),
    case("5 กรกฎา 2569", "date-short-month", date="2026-07-05"),
    case("10 กรกฏาคม 2569", "date-misspelt-month", date="2026-07-10"),
    case("10 เม.ย. 2570", "date-abbr", date="2027-04-10"),
    case("10 เมษายน 2570", "date-full", date="2027-04-10"),
    case("10 เม.ย 70", "date-abbr-one-dot", date="2027-04-10"),
    case("10 เมย 70", "date-abbr-no-dots", date="2027-04-10"),
    case("10 ม.ค. 2570", "date-jan", date="2027-01-10"),
    case("1 ก.พ. 2570", "date-feb", date="2027-02-01"),
    case("3 มี.ค. 2570", "date-mar", date="2027-03-03"),
    case("4 พ.ค. 2570", "date-may", date="2027-05-04"),
    case("5 มิ.ย. 2570", "date-jun", date="2027-06-05"),
    case("6 ก.ค. 2570", "date-jul", date="2027-07-06"),
    case("8 ก.ย. 2570", "date-sep", date="2027-09-08"),
    case("9 ต.ค. 2569", "date-oct", date="2026-10-09"),
    case("11 พ.ย. 2569", "date-nov", date="2026-11-11"),
    case("12 ธ.ค. 2569", "date-dec", date="2026-12-12"),
    case("วันที่ 10 เมษายน 2570", "date-wanthi", date="2027-04-10"),
    case("๒๖ กุมภาพันธ์ ๒๕๖๔", "date-thai-digits", date="2021-02-26"),
    case("๖ เดือน พฤษภาคม พ.ศ. ๒๕๖๒", "date-duean-pho-so", date="2019-05-06"),
    case("10 เมษายน ค.ศ. 2027", "date-kho-so", date="2027-04-10"),
    case("10 เม.ย. 2027", "date-ce-year", date="2027-04-10"),
    case("5 ต.ค. 1999", "date-ce-19xx", date="1999-10-05"),
    case("วันศุกร์ที่ 10 เม.ย. 2569", "date-with-weekday", date="2026-04-10"),
    case("15-ก.ค.-2565", "date-dashes-month-name", date="2022-07-15"),
    case("10 apr 2027", "date-english-month", date="2027-04-10"),
    case("10/4/2570", "date-numeric-be", date="2027-04-10"),
    case("10/04/2570", "date-numeric-padded", date="2027-04-10"),
    case("10-4-70", "date-numeric-dash-2digit", date="2027-04-10"),
    case("1/10/2566", "date-numeric-october", date="2023-10-01"),
    case("15/11/2566", "date-numeric-november", date="2023-11-15"),
    case("31/12/66", "date-numeric-december", date="2023-12-31"),
    case("15/11/2025", "date-numeric-ce", date="2025-11-15"),
    case("10.4.2570", "date-numeric-dots", date="2027-04-10"),
    case("15 07 2565", "date-numeric-spaces", date="2022-07-15"),
    case("วันที่ 10/4", "date-wanthi-day-month", date="2026-04-10"),
    case("31 เมษายน 2566", "date-nonexistent"),
    case("31/04/2566", "date-nonexistent-numeric"),
    case("29 ก.พ. 2567", "date-leap-day", date="2024-02-29"),
    case("29 ก.พ. 2566", "date-not-leap"),
    case("29 ก.พ.", "date-leap-day-next", date="2028-02-29"),
    case("31 เมษายน", "date-nonexistent-no-year"),
    case("10 เมษายน", "date-no-year-coming", date="2026-04-10"),
    case("10 เมษายน", "date-no-year-today", today=date(2026, 4, 10), date="2026-04-10"),
    case("10 เมษายน", "date-no-year-passed", today=date(2026, 4, 11), date="2027-04-10"),
    case("1 มกราคม", "date-no-year-new-year", today=date(2026, 12, 31), date="2027-01-01"),
    case("วันที่ 10", "date-day-only", date="2026-04-10"),
    case("วันที่ 31", "date-day-only-skips-short-month", date="2026-05-31"),
    case("วันที่ 1", "date-day-only-today", date="2026-04-01"),
    case("มีนาคม 2567", "date-month-year-is-not-a-date"),
    case("พ.ศ. 2551", "date-year-is-not-a-date"),
    case("ปีงบประมาณ 2570", "date-fiscal-year"),
    case("12/20", "date-slash-not-a-date", value=12, target=20),
    case("13/13/2566", "date-impossible-month", value=13, target=13),
    case("ส่ง 10 เม.ย. 70 ตอน 08:30 น.", "date-with-time", date="2027-04-10"),
    case("9 มิ.ย. 12 คน", "date-count-not-year", date="2026-06-09", value=12),
    case("ส่ง 31 ส.ค.2553 หรือ 1 ก.ย. 2553", "date-first-of-two", date="2010-08-31"),
    case("สิ้นเดือนมีนาคม", "date-end-of-named-month", date="2027-03-31"),
    case("ข้อ 2 ส่ง 5 may 2027", "date-english-after-kpi", kpi=2, date="2027-05-05"),
    case("grammar 2025", "date-english-month-needs-word-boundary", value=2025),
    case("ส่ง 15/5", "date-day-month-without-year-is-a-fraction", value=15, target=5),
    case("อีก 2 วันทำการ", "date-working-days-count-as-calendar-days", date="2026-04-03"),
]

DATE_RELATIVE = [
    case("วันนี้", "rel-today", date="2026-04-01"),
    case("พรุ่งนี้", "rel-tomorrow", date="2026-04-02"),
    case("วันพรุ่งนี้", "rel-tomorrow-wan", date="2026-04-02"),
    case("พรุ้งนี้", "rel-tomorrow-typo", date="2026-04-02"),
    case("มะรืน", "rel-day-after", date="2026-04-03"),
    case("มะรืนนี้", "rel-day-after-ni", date="2026-04-03"),
    case("เมื่อวาน", "rel-yesterday", date="2026-03-31"),
    case("เมื่อวานนี้", "rel-yesterday-ni", date="2026-03-31"),
    case("วานซืน", "rel-day-before-yesterday", date="2026-03-30"),
    case("พรุ่งนี้", "rel-tomorrow-new-year", today=date(2026, 12, 31), date="2027-01-01"),
    case("พรุ่งนี้", "rel-tomorrow-leap", today=date(2028, 2, 28), date="2028-02-29"),
    case("อีก 3 วัน", "rel-in-days", date="2026-04-04"),
    case("อีก 2 สัปดาห์", "rel-in-weeks", date="2026-04-15"),
    case("อีกสองวัน", "rel-in-days-words", date="2026-04-03"),
    case("อีก 1 อาทิตย์", "rel-in-week-colloquial", date="2026-04-08"),
    case("อีก 1 เดือน", "rel-in-month", date="2026-05-01"),
    case("อีก 1 เดือน", "rel-in-month-clamped", today=date(2026, 1, 31), date="2026-02-28"),
    case("ภายใน 7 วัน", "rel-within-days", date="2026-04-08"),
    case("ศุกร์", "rel-weekday", date="2026-04-03"),
    case("ศุกร์นี้", "rel-weekday-ni", date="2026-04-03"),
    case("วันศุกร์", "rel-weekday-wan", date="2026-04-03"),
    case("พุธ", "rel-weekday-today", date="2026-04-01"),
    case("วันพุธนี้", "rel-weekday-today-ni", date="2026-04-01"),
    case("จันทร์", "rel-monday", date="2026-04-06"),
    case("อังคาร", "rel-tuesday", date="2026-04-07"),
    case("วันพฤหัส", "rel-thursday-short", date="2026-04-02"),
    case("พฤหัสบดี", "rel-thursday", date="2026-04-02"),
    case("เสาร์", "rel-saturday", date="2026-04-04"),
    case("วันอาทิตย์", "rel-sunday", date="2026-04-05"),
    case("ศุกร์หน้า", "rel-friday-next-week", date="2026-04-10"),
    case("วันจันทร์หน้า", "rel-monday-next-week", date="2026-04-06"),
    case("พุธหน้า", "rel-wednesday-next-week", date="2026-04-08"),
    case("อังคารหน้า", "rel-tuesday-next-week", date="2026-04-07"),
    case("วันอาทิตย์หน้า", "rel-sunday-next-week", date="2026-04-12"),
    case("จันทร์หน้า", "rel-next-week-from-sunday", today=date(2026, 4, 5), date="2026-04-06"),
    case("ศุกร์ที่แล้ว", "rel-friday-last-week", date="2026-03-27"),
    case("อาทิตย์หน้า", "rel-next-week-no-day"),
    case("สิ้นเดือน", "rel-month-end", date="2026-04-30"),
    case("สิ้นเดือนนี้", "rel-month-end-ni", date="2026-04-30"),
    case("สิ้นเดือนหน้า", "rel-next-month-end", date="2026-05-31"),
    case("สิ้นเดือนหน้า", "rel-next-month-end-year", today=date(2026, 12, 15), date="2027-01-31"),
    case("สิ้นเดือน", "rel-month-end-leap", today=date(2028, 2, 10), date="2028-02-29"),
    case("ส่งพรุ่งนี้ ไม่ใช่วันนี้", "rel-first-of-two", date="2026-04-02"),
]

STATUS = [
    case("เสร็จ", "status-set", status="done"),
    case("เสร็จแล้วค่ะ", "status-set-laeo-kha", status="done"),
    case("เรียบร้อย", "status-riaproi", status="done"),
    case("ครบ", "status-khrop", status="done"),
    case("สำเร็จ", "status-samret", status="done"),
    case("จบ", "status-jop", status="done"),
    case("ส่งแล้ว", "status-song-laeo", status="done"),
    case("แล้วเสร็จ", "status-laeo-set", status="done"),
    case("ดำเนินการแล้วเสร็จ", "status-operation-completed", status="done"),
    case("ยังไม่เสร็จ", "status-yang-mai-set", status="in_progress"),
    case("ไม่เสร็จ", "status-mai-set", status="in_progress"),
    case("ยังไม่ครบ", "status-yang-mai-khrop", status="in_progress"),
    case("ยังทำไม่เสร็จ", "status-negation-around-verb", status="in_progress"),
    case("เกือบเสร็จแล้ว", "status-almost", status="in_progress"),
    case("กำลังทำ", "status-kamlang-tham", status="in_progress"),
    case("กำลังดำเนินการ", "status-kamlang-damnoenkan", status="in_progress"),
    case("อยู่ระหว่างดำเนินการ", "status-yu-rawang", status="in_progress"),
    case("ยังไม่เริ่ม", "status-yang-mai-roem", status="not_started"),
    case("ยังไม่ได้ทำ", "status-yang-mai-dai-tham", status="not_started"),
    case("ยังไม่ได้เริ่ม", "status-yang-mai-dai-roem", status="not_started"),
    case("เสร็จแล้ว 80%", "status-percent-wins", percent=80, status="in_progress"),
    case("ยังไม่เริ่ม 0%", "status-percent-zero", percent=0, status="not_started"),
    case("ยังไม่เสร็จ 100%", "status-percent-hundred", percent=100, status="done"),
    case("ครบกำหนดส่งวันที่ 10", "status-due-is-not-done", date="2026-04-10"),
    case("ตัวชี้วัดความสำเร็จ", "status-success-noun"),
    case("สวัสดีครับ", "status-none"),
]

ANSWER = [
    case("ใช่", "answer-chai", answer="yes"),
    case("ครับ", "answer-khrap", answer="yes"),
    case("ค่ะ", "answer-kha", answer="yes"),
    case("ครับผม", "answer-khrap-phom", answer="yes"),
    case("ได้ครับ", "answer-dai-khrap", answer="yes"),
    case("โอเค", "answer-okay-thai", answer="yes"),
    case("OK", "answer-ok-upper", answer="yes"),
    case("ok", "answer-ok-lower", answer="yes"),
    case("Ok.", "answer-ok-dot", answer="yes"),
    case("ถูกต้อง", "answer-thuktong", answer="yes"),
    case("ยืนยัน", "answer-yuenyan", answer="yes"),
    case("ตกลง", "answer-toklong", answer="yes"),
    case("👍", "answer-thumbs-up", answer="yes"),
    case("👍🏻", "answer-thumbs-up-skin-tone", answer="yes"),
    case("ใช่ค่ะ", "answer-chai-kha", answer="yes"),
    case("ได้ค่ะ 🙏", "answer-with-wai", answer="yes"),
    case("ตกลงครับ!", "answer-exclamation", answer="yes"),
    case("โอเคคคค", "answer-repeated-letters", answer="yes"),
    case("ครับบบบ", "answer-repeated-khrap", answer="yes"),
    case("ค่าาาา", "answer-repeated-kha", answer="yes"),
    case("okkk", "answer-ok-repeated", answer="yes"),
    case("ใช่\u200bครับ", "answer-zero-width", answer="yes"),
    case("ไม่", "answer-mai", answer="no"),
    case("ไม่ใช่", "answer-mai-chai", answer="no"),
    case("ผิด", "answer-phit", answer="no"),
    case("ไม่ถูกต้อง", "answer-mai-thuktong", answer="no"),
    case("ยกเลิก", "answer-yokloek", answer="no"),
    case("no", "answer-no", answer="no"),
    case("No", "answer-no-capital", answer="no"),
    case("ไม่ครับ", "answer-mai-khrap", answer="no"),
    case("ไม่ใช่ค่ะ", "answer-mai-chai-kha", answer="no"),
    case("ยกเลิกค่ะ", "answer-cancel-kha", answer="no"),
    case("ใช่ ไม่ใช่", "answer-mixed"),
    case("นะ", "answer-soft-particle-alone"),
    case("คะ", "answer-question-particle-alone"),
    case("ใช่ไหม", "answer-question"),
    case("ok 80%", "answer-not-whole-message", percent=80, status="in_progress"),
    case("ไม่เป็นไร", "answer-never-mind"),
    case("", "answer-empty"),
]

MESSAGES = [
    case(
        "ข้อ 2 ได้ 45 จากเป้า 60 เสร็จแล้วค่ะ",
        "msg-full-report",
        kpi=2,
        value=45,
        target=60,
        status="done",
    ),
    case("ตัวชี้วัดที่ 2 ทำได้ 80% แล้วครับ", "msg-kpi-percent", kpi=2, percent=80, status="in_progress"),
    case("KPI3 ร้อยละ 100 ส่งแล้วครับ", "msg-kpi-done", kpi=3, percent=100, status="done"),
    case("ข้อสาม ร้อยละแปดสิบห้า", "msg-words", kpi=3, percent=85, status="in_progress"),
    case("ข้อ 1 อบรม 12 ชั่วโมง ส่ง 10/4/2570", "msg-with-date", kpi=1, value=12, date="2027-04-10"),
    case(
        "ตัวชี้วัดที่ 4 ยังไม่เสร็จครับ จะส่งศุกร์หน้า",
        "msg-in-progress-next-friday",
        kpi=4,
        date="2026-04-10",
        status="in_progress",
    ),
    case(
        "รอบที่ 1 ข้อ 2 ได้ 30 จาก 40 คน",
        "msg-round-ordinal",
        kpi=2,
        value=30,
        target=40,
    ),
    case("ข้อ 5 ยังไม่ได้เริ่มเลยค่ะ", "msg-not-started", kpi=5, status="not_started"),
    case(
        "kpi 1 จัดอบรมแล้ว 3 ครั้ง จากเป้า 4 ครั้ง",
        "msg-latin-kpi",
        kpi=1,
        value=3,
        target=4,
    ),
    case(
        "ข้อ2ทำได้สี่สิบห้าคนจากเป้าหกสิบคนครับ",
        "msg-no-spaces-words",
        kpi=2,
        value=45,
        target=60,
    ),
    case("ส่งแผนพัฒนารายบุคคลแล้ว ครบ 100%", "msg-idp", percent=100, status="done"),
    case("ขอเลื่อนส่งเป็นวันที่ 10 เม.ย. นะคะ", "msg-postpone", date="2026-04-10"),
    case("ข้อ ๒ ได้ ๔๕ จาก ๖๐", "msg-thai-digits", kpi=2, value=45, target=60),
    case(
        "\u200bข้อ\u200d2 ได้\u2060 45%",
        "msg-invisible-chars",
        kpi=2,
        percent=45,
        status="in_progress",
    ),
    case("เเผนงานข้อ 1 เรียบร้อยเเล้ว", "msg-double-sara-e", kpi=1, status="done"),
    case("อบรมครบ 20 ชั่วโมงแล้วครับ", "msg-training-hours", value=20, status="done"),
    case(
        "กำลังดำเนินการ ประมาณ 60% คาดว่าเสร็จสิ้นเดือน",
        "msg-estimate",
        percent=60,
        date="2026-04-30",
        status="in_progress",
    ),
    case(
        "เรียนพี่เลี้ยงครับ " * 20 + "ข้อสาม ห้ามส่งช้า ทำได้สี่สิบห้าคน",
        "msg-long-words-read-in-windows",
        kpi=3,
        value=45,
    ),
    case("ทดสอบ " * 200 + "ข้อ 2 ได้ 45 คน", "msg-values-after-1000-chars-not-read"),
]

# Lines quoted from /work/shared/domain/seeds/ (real Thai government text): every date in them.
SEEDS = [
    case("ปรับปรุง : มีนาคม 2567", "seed000-revised-month-year"),
    case(
        "รอบที่ 1 ระหว่างวันที่ 1 ตุลาคม ของปีปัจจุบัน – 31 มีนาคม ปีถัดไป",
        "seed000-round-1",
        date="2026-10-01",
    ),
    case(
        "รอบที่ 2 ระหว่างวันที่ 1 เมษายน – 30 กันยายน ปีเดียวกัน",
        "seed000-round-2",
        date="2026-04-01",
    ),
    case("31 มีนาคม ปีถัดไป", "seed000-round-1-end", date="2027-03-31"),
    case("30 กันยายน ปีเดียวกัน", "seed000-round-2-end", date="2026-09-30"),
    case(
        "3) ข้าราชการผู้มีผลสัมฤทธิ์สูง (HiPPS) จัดทำสำเนาเอกสาร “แบบรายงานการปฏิบัติงานของ"
        "ข้าราชการผู้มีผลสัมฤทธิ์สูง (HiPPS)” จำนวน 2 ฉบับ แนบประกอบส่งที่สำนักงานเลขาธิการกรม"
        "กลุ่มบริหารทรัพยากรบุคคล ครั้งที่ 1 ภายในวันที่ 10 เมษายน และครั้งที่ 2 ภายในวันที่ 10 ตุลาคม ของทุกปี",
        "seed000-hipps-copies",
        value=2,
        date="2026-04-10",
    ),
    case("ครั้งที่ 2 ภายในวันที่ 10 ตุลาคม ของทุกปี", "seed000-copies-round-2", date="2026-10-10"),
    case(
        "ครั้งที่ 1 ภายในวันที่ 10 เมษายน",
        "seed000-copies-passed",
        today=date(2026, 4, 11),
        date="2027-04-10",
    ),
    case(
        "หรือข้าราชการที่มีประสบการณ์ในงาน อื่นอย่างน้อย 1 คน เป็นพี่เลี้ยง",
        "seed000-at-least-one-mentor",
        value=1,
    ),
    case("ประกาศ ณ วันที่ ๖ เดือน พฤษภาคม พ.ศ. ๒๕๖๒", "seed001-announced", date="2019-05-06"),
    case(
        "ตามระบบคุณธรรมและเจตนารมณ์แห่งพระราชบัญญัติระเบียบข้าราชการพลเรือน พ.ศ. ๒๕๕๑",
        "seed001-act-year",
    ),
    case(
        "น้ำหนักของตัวชี้วัดแต่ละตัวรวมกันแล้วต้องเท่ากับร้อยละ ๑๐๐",
        "seed001-weights-100",
        percent=100,
        status="done",
    ),
    case(
        "โดยประเมินผลการปฏิบัติงานในทุกๆ ๖ เดือน ตามแบบรายงานผลการปฏิบัติงานประจำปีงบประมาณ",
        "seed001-every-six-months",
        value=6,
    ),
    case(
        "๒. ผลการประเมินระดับดีมาก คะแนนร้อยละ ๘๐ - ๘๙.๙๙",
        "seed001-band-very-good",
        percent=80,
        status="in_progress",
    ),
    case(
        "๕. ผลการประเมินระดับต้องปรับปรุง คะแนนต่ำกว่าร้อยละ ๖๐",
        "seed001-band-improve",
        percent=60,
        status="in_progress",
    ),
    case(
        "แล้วให้รายงานผลการดำเนินการกับเจ้าหน้าที่ผู้มีผลสัมฤทธิ์การปฏิบัติงานต่ำต่อผู้บังคับบัญชาทราบ ภายใน ๗ วัน",
        "seed001-report-within-7-days",
        date="2026-04-08",
    ),
    case(
        "ให้บุคลากรได้รับการศึกษาดูงานภายในประเทศ เป็นเวลา ๒ วัน",
        "seed001-study-visit-days",
        value=2,
    ),
    case(
        "โดยจัดทำเป็นดัชนีชี้วัดผลสัมฤทธิ์ของงานรายบุคคล จำนวน ๕ ดัชนีชี้วัด ที่บ่งชี้ความสำเร็จของงาน",
        "seed001-five-indicators",
        value=5,
    ),
    case(
        "๑. ประเมินจากสมรรถนะหลัก ๕ ด้าน ตามที่ ก.พ.กำหนด (๑๐ คะแนน) ดังนี้",
        "seed001-core-competencies",
        value=5,
    ),
    case("วันที่ 29 เมษายน 2553", "seed002-memo-date", date="2010-04-29"),
    case(
        "โดยจัดทำระบบเส้นทางก้าวหน้าในสายอาชีพของข้าราชการ กปส.และประกาศใช้ เมื่อวันที่ 2 ต.ค.2552",
        "seed002-announced",
        date="2009-10-02",
    ),
    case(
        "2. รายงานผลการดำเนินการตามแบบรายงานผลการใช้เครื่องมือในระบบความก้าวหน้าในสายอาชีพ "
        "(Career path) ที่แนบมาพร้อมนี้ ส่ง กกจ.ภายในวันที่ 31 ส.ค.2553",
        "seed002-deadline",
        date="2010-08-31",
    ),
    case("ของ กปส.ประจำปีงบประมาณ 2552 โดยจัดทำระบบเส้นทางก้าวหน้าในสายอาชีพ", "seed002-fiscal-2552"),
    case("สำหรับในปีงบประมาณ 2553 กกจ.ได้ดำเนินโครงการดังกล่าวต่อเนื่อง", "seed002-fiscal-2553"),
    case("วันที่ ...../...../.....", "seed002-blank-form-date"),
    case(
        "1.1.1 เส้นทางก้าวหน้าในสายอาชีพของข้าราชการ จำนวน 26 สายงาน (ภาพรวมและรายตำแหน่ง)",
        "seed002-career-paths",
        value=26,
    ),
    case(
        "ส่วนราชการ กองการเจ้าหน้าที่ กลุ่มอัตรากำลังและพัฒนาระบบงาน โทร.02 – 6182323 ต่อ 1304 – 5",
        "seed002-phone",
    ),
    case(
        "หลักสูตรที่ ๗ การกำหนดตัวชี้วัดรายบุคคลสำหรับการประเมินผลการปฏิบัติงาน รุ่น ๐๑ ปี ๒๕๖๔",
        "seed003-course-7",
    ),
    case(
        "การเข้าเรียนจนจบหลักสูตร และทำแบบทดสอบการประเมิน วันที่ ๒๖ กุมภาพันธ์ ๒๕๖๔",
        "seed003-course-finished",
        date="2021-02-26",
        status="done",
    ),
    case("สาระสำคัญของแนวทางการพัฒนาบุคลากรภาครัฐ พ.ศ. 2563 - 2565", "seed004-guideline-years"),
    case(
        "สามารถวัดผลสำเร็จจากการดำเนินการในปี 2565 โดยมีตัวชี้วัด ดังนี้",
        "seed004-measured-2565",
    ),
    case(
        "สามารถวัดผลสำเร็จจากการดำเนินการระหว่างปี 2563 - 2565 โดยมีตัวชี้วัด ดังนี้",
        "seed004-measured-range",
    ),
    case(
        "ประเด็นการพัฒนาที่ 1 ระบบนิเวศในการทำงาน (Ecosystem) ที่ส่งเสริมและสนับสนุนการเรียนรู้",
        "seed004-issue-1",
    ),
    case("การเรียนรู้และพัฒนาสมรรถนะในยุคดิจิทัลและศตวรรษที่ 21", "seed004-century-21"),
]


@pytest.mark.parametrize(("text", "today", "expected"), KPI)
def test_kpi(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), PERCENT)
def test_percent(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), VALUE)
def test_value(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), TARGET)
def test_target(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), DATE_ABSOLUTE)
def test_absolute_date(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), DATE_RELATIVE)
def test_relative_date(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), STATUS)
def test_status(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), ANSWER)
def test_answer(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), MESSAGES)
def test_message(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), SEEDS)
def test_seed_document_line(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(
    ("text", "field", "kind"),
    [
        pytest.param("80.0%", "percent", int, id="integral-percent-is-int"),
        pytest.param("ร้อยละ 12.5", "percent", float, id="fraction-percent-is-float"),
        pytest.param("2,000", "value", int, id="integral-value-is-int"),
        pytest.param("4.5 จาก 5", "value", float, id="fraction-value-is-float"),
        pytest.param("4.5 จาก 5", "target", int, id="integral-target-is-int"),
        pytest.param("ข้อ 3.1", "kpi", int, id="kpi-is-int"),
    ],
)
def test_number_types(text: str, field: str, kind: type) -> None:
    assert type(parse(text, TODAY).to_dict()[field]) is kind
