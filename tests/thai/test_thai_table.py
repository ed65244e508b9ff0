"""Table of Thai messages and what thai.parse must read from them.

Every row states all eight fields: a field left out of a row must be None.
``items`` too: a row without ``items=`` has none when it names no KPI, and
exactly one item (the top-level fields) when it does; rows about several
KPIs list theirs with :func:`item`, whose left-out fields are None.
``TODAY`` is Wednesday 1 April 2026 (BE 2569) unless a row says otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thai import parse

TODAY = date(2026, 4, 1)  # a Wednesday
FIELDS = ("kpi", "percent", "value", "target", "date", "status", "answer", "time")
ITEM_FIELDS = ("kpi", "percent", "value", "target", "status", "date")


def item(kpi: int, **fields: Any) -> dict[str, Any]:
    """One expected item: its KPI and the fields that are not None."""
    unknown = set(fields) - set(ITEM_FIELDS)
    assert not unknown, unknown
    return {name: fields.get(name) for name in ITEM_FIELDS} | {"kpi": kpi}


def case(
    text: str,
    id: str,
    *,
    today: date = TODAY,
    items: list[dict[str, Any]] | None = None,
    **expected: Any,
) -> Any:
    """One row: the message, its id, the fields that are not None, and the items if several."""
    unknown = set(expected) - set(FIELDS)
    assert not unknown, unknown
    if items is not None:
        assert len(items) > 1, "a single item is the top-level fields: leave items= out"
        expected["items"] = items
    return pytest.param(text, today, expected, id=id)


def check(text: str, today: date, expected: dict[str, Any]) -> None:
    got = parse(text, today).to_dict()
    want = {name: expected.get(name) for name in FIELDS}
    assert {name: got[name] for name in FIELDS} == want
    if "items" in expected:
        want_items = expected["items"]
    elif want["kpi"] is None:
        want_items = []
    else:
        want_items = [{name: want[name] for name in ITEM_FIELDS}]
    assert got["items"] == want_items
    first = want_items[0] if want_items else None
    if first is not None:  # the top-level fields are the first item's
        assert {name: got[name] for name in ITEM_FIELDS} == first


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
    case(
        "ข้อ 1-3 เสร็จแล้ว",
        "kpi-range-first",
        kpi=1,
        status="done",
        items=[item(1, status="done"), item(2, status="done"), item(3, status="done")],
    ),
    case("ข้อ 2 และข้อ 3", "kpi-first-of-two", kpi=2, items=[item(2), item(3)]),
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
    case("ส่ง 10 เม.ย. 70 ตอน 08:30 น.", "date-with-time", date="2027-04-10", time="08:30"),
    case("9 มิ.ย. 12 คน", "date-count-not-year", date="2026-06-09", value=12),
    case("ส่ง 31 ส.ค.2553 หรือ 1 ก.ย. 2553", "date-first-of-two", date="2010-08-31"),
    case("สิ้นเดือนมีนาคม", "date-end-of-named-month", date="2027-03-31"),
    case("ข้อ 2 ส่ง 5 may 2027", "date-english-after-kpi", kpi=2, date="2027-05-05"),
    case("grammar 2025", "date-english-month-needs-word-boundary", value=2025),
    case("ส่ง 15/5", "date-day-month-without-year-is-a-fraction", value=15, target=5),
    case("อีก 2 วันทำการ", "date-working-days-thu-fri", date="2026-04-03"),
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

# Lines quoted from the project's shared domain seeds (real Thai government text): every date in them.
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


# --- second edition: several KPIs in one message ---------------------------------------------

IP, DONE, NS, LATE = "in_progress", "done", "not_started", "delayed"

MULTI = [
    case(
        "1) 30% 2) 55%",
        "multi-list-parens",
        kpi=1, percent=30, status=IP,
        items=[item(1, percent=30, status=IP), item(2, percent=55, status=IP)],
    ),
    case(
        "1) 100% 2) 40% 3) ยังไม่เริ่ม",
        "multi-list-three",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=40, status=IP), item(3, status=NS)],
    ),
    case(
        "1) เสร็จแล้ว\n2) กำลังทำ 70%",
        "multi-list-lines-parens",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, percent=70, status=IP)],
    ),
    case(
        "1. ร้อยละ 90\n2. ร้อยละ 45",
        "multi-list-lines-dots",
        kpi=1, percent=90, status=IP,
        items=[item(1, percent=90, status=IP), item(2, percent=45, status=IP)],
    ),
    case(
        "1) ร้อยละ 100 2) ร้อยละ 80 3) ร้อยละ 50",
        "multi-list-roila",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=80, status=IP),
               item(3, percent=50, status=IP)],
    ),
    case(
        "1) ข้อมูลครบ 2) ส่งแล้ว",
        "multi-list-words",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE)],
    ),
    case("1) ส่งรายงาน 3 ฉบับ", "multi-one-label-is-no-kpi", value=3),
    case(
        "ข้อ 2 กับ ข้อ 4 กำลังทำอยู่",
        "multi-pair-kap",
        kpi=2, status=IP,
        items=[item(2, status=IP), item(4, status=IP)],
    ),
    case(
        "ข้อ 2 กับข้อ 4 เสร็จแล้วค่ะ",
        "multi-pair-kap-glued",
        kpi=2, status=DONE,
        items=[item(2, status=DONE), item(4, status=DONE)],
    ),
    case(
        "ข้อ 1 และ 3 เสร็จแล้วครับ",
        "multi-pair-bare-number",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(3, status=DONE)],
    ),
    case(
        "ข้อ 1, 2 และ 4 ยังไม่ได้เริ่มเลยค่ะ",
        "multi-comma-list",
        kpi=1, status=NS,
        items=[item(1, status=NS), item(2, status=NS), item(4, status=NS)],
    ),
    case(
        "KPI 1, 2, 3 ครบแล้ว",
        "multi-kpi-commas",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE), item(3, status=DONE)],
    ),
    case(
        "ข้อ 2 กับ 4 กำลังทำอยู่ครับ",
        "multi-pair-bare-kap",
        kpi=2, status=IP,
        items=[item(2, status=IP), item(4, status=IP)],
    ),
    case("ข้อ 2 กับ 5 คน", "multi-bare-count-is-a-value", kpi=2, value=5),
    case(
        "ข้อ 2 และ 3 ส่งพรุ่งนี้ครับ",
        "multi-pair-shares-date",
        kpi=2, date="2026-04-02",
        items=[item(2, date="2026-04-02"), item(3, date="2026-04-02")],
    ),
    case(
        "ข้อ 1 และข้อ 2 ได้ 100%",
        "multi-pair-shares-percent",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=100, status=DONE)],
    ),
    case(
        "เคพีไอ 1 กับ เคพีไอ 2 เสร็จแล้ว",
        "multi-pair-kpi-thai-spelling",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE)],
    ),
    case(
        "KPI 1-3 เสร็จหมดแล้ว",
        "multi-range-kpi",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE), item(3, status=DONE)],
    ),
    case(
        "ข้อ 2-4 กำลังดำเนินการ",
        "multi-range-kho",
        kpi=2, status=IP,
        items=[item(2, status=IP), item(3, status=IP), item(4, status=IP)],
    ),
    case(
        "ตัวชี้วัดที่ 1 ถึง 3 ส่งแล้ว",
        "multi-range-thueng",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE), item(3, status=DONE)],
    ),
    case(
        "ข้อ 1 ถึงข้อ 3 กำลังทำค่ะ",
        "multi-range-thueng-kho",
        kpi=1, status=IP,
        items=[item(1, status=IP), item(2, status=IP), item(3, status=IP)],
    ),
    case(
        "ข้อ 3-5 ยังไม่ได้ทำเลยค่ะ",
        "multi-range-not-started",
        kpi=3, status=NS,
        items=[item(3, status=NS), item(4, status=NS), item(5, status=NS)],
    ),
    case("ข้อ 1-30", "multi-range-too-long-is-one-kpi", kpi=1),
    case(
        "ข้อ 1 กับข้อ 2 เสร็จทั้งคู่",
        "multi-both",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE)],
    ),
    case(
        "ข้อ 3 ข้อ 5 เรียบร้อยทั้งหมดแล้ว",
        "multi-all-two-markers",
        kpi=3, status=DONE,
        items=[item(3, status=DONE), item(5, status=DONE)],
    ),
    case(
        "ข้อ 2 ได้ 12 เรื่อง ส่วนข้อ 5 ได้ 22 ชั่วโมง",
        "multi-values-suan",
        kpi=2, value=12,
        items=[item(2, value=12), item(5, value=22)],
    ),
    case(
        "kpi2 80% kpi3 เสร็จแล้ว",
        "multi-percent-then-done",
        kpi=2, percent=80, status=IP,
        items=[item(2, percent=80, status=IP), item(3, status=DONE)],
    ),
    case(
        "ข้อ 1 ได้ 45 จากเป้า 60 ข้อ 2 ได้ 80%",
        "multi-target-then-percent",
        kpi=1, value=45, target=60,
        items=[item(1, value=45, target=60), item(2, percent=80, status=IP)],
    ),
    case(
        "ข้อ 1 80% ข้อ 2 50% ทั้งคู่ส่งวันศุกร์",
        "multi-both-share-date",
        kpi=1, percent=80, status=IP, date="2026-04-03",
        items=[item(1, percent=80, status=IP, date="2026-04-03"),
               item(2, percent=50, status=IP, date="2026-04-03")],
    ),
    case(
        "ตัวชี้วัดที่ 1 ร้อยละ 100 ตัวชี้วัดที่ 2 ร้อยละ 60 ครับ",
        "multi-tuachiwat-roila",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=60, status=IP)],
    ),
    case(
        "ข้อ 1 เสร็จแล้ว ข้อ 2 ยังไม่เริ่ม",
        "multi-done-not-started",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=NS)],
    ),
    case(
        "ข้อ 3 ส่งแล้ว ข้อ 4 ติดปัญหา",
        "multi-done-delayed",
        kpi=3, status=DONE,
        items=[item(3, status=DONE), item(4, status=LATE)],
    ),
    case(
        "ข้อ 1 ได้ 3 ใน 4 ข้อ 2 ได้ 8/10 คน",
        "multi-fractions",
        kpi=1, value=3, target=4,
        items=[item(1, value=3, target=4), item(2, value=8, target=10)],
    ),
    case(
        "พรุ่งนี้ส่ง ข้อ 1 กับ ข้อ 2",
        "multi-date-before-pair",
        kpi=1, date="2026-04-02",
        items=[item(1, date="2026-04-02"), item(2, date="2026-04-02")],
    ),
    case(
        "รายงานค่ะ ข้อ 1 90% ข้อ 2 40%",
        "multi-greeting-first",
        kpi=1, percent=90, status=IP,
        items=[item(1, percent=90, status=IP), item(2, percent=40, status=IP)],
    ),
    case(
        "ส่งวันนี้ค่ะ ข้อ 1 100% ข้อ 2 70%",
        "multi-date-before-shared",
        kpi=1, percent=100, status=DONE, date="2026-04-01",
        items=[item(1, percent=100, status=DONE, date="2026-04-01"),
               item(2, percent=70, status=IP, date="2026-04-01")],
    ),
    case(
        "ข้อ 1 ทำได้ 30 คน ข้อ 3 ทำได้ 12 ครั้ง ข้อ 5 เสร็จแล้ว",
        "multi-three-parts",
        kpi=1, value=30,
        items=[item(1, value=30), item(3, value=12), item(5, status=DONE)],
    ),
    case(
        "ข้อ๑ ๘๐% ข้อ๒ ๖๐%",
        "multi-thai-digits",
        kpi=1, percent=80, status=IP,
        items=[item(1, percent=80, status=IP), item(2, percent=60, status=IP)],
    ),
    case(
        "ข้อหนึ่งเสร็จแล้ว ข้อสองร้อยละห้าสิบ",
        "multi-words",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, percent=50, status=IP)],
    ),
    case(
        "ข้อ 2 ล่าช้า ข้อ 3 เสร็จแล้ว",
        "multi-delayed-then-done",
        kpi=2, status=LATE,
        items=[item(2, status=LATE), item(3, status=DONE)],
    ),
    case(
        "ข้อ 1 100% ส่วนข้อ 2 กับข้อ 3 ยังไม่เริ่ม",
        "multi-one-then-pair",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, status=NS), item(3, status=NS)],
    ),
    case(
        "ข้อ 4 ได้ 2 ฉบับ ข้อ 5 ได้ 3 ฉบับ",
        "multi-counts",
        kpi=4, value=2,
        items=[item(4, value=2), item(5, value=3)],
    ),
    case(
        "kpi 1 = 100%, kpi 2 = 50%",
        "multi-equals",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=50, status=IP)],
    ),
    case(
        "ข้อ 1: 80%, ข้อ 2: 90%",
        "multi-colons",
        kpi=1, percent=80, status=IP,
        items=[item(1, percent=80, status=IP), item(2, percent=90, status=IP)],
    ),
    case(
        "ข้อ 1 = 100% ข้อ 2 = 75% ข้อ 3 = 0%",
        "multi-three-percents",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=75, status=IP),
               item(3, percent=0, status=NS)],
    ),
    case(
        "ข้อ 1 ทำแล้ว 5 ครั้ง จากเป้า 10 ครั้ง ข้อ 2 อบรม 12 ชั่วโมง",
        "multi-target-then-hours",
        kpi=1, value=5, target=10,
        items=[item(1, value=5, target=10), item(2, value=12)],
    ),
    case(
        "ข้อ 1 ไม่ทันกำหนด ข้อ 2 เสร็จแล้ว",
        "multi-late-then-done",
        kpi=1, status=LATE,
        items=[item(1, status=LATE), item(2, status=DONE)],
    ),
    case(
        "ตัวที่ 1 เสร็จ ตัวที่ 2 ยังไม่เสร็จ",
        "multi-tua-thi",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=IP)],
    ),
    case(
        "ข้อ 1 50% ข้อ 2 30% ทั้งหมดจะเสร็จสิ้นเดือน",
        "multi-all-share-month-end",
        kpi=1, percent=50, status=IP, date="2026-04-30",
        items=[item(1, percent=50, status=IP, date="2026-04-30"),
               item(2, percent=30, status=IP, date="2026-04-30")],
    ),
    case(
        "ข้อ 1 60% ข้อ 2 20% ทั้งคู่ล่าช้า",
        "multi-both-delayed",
        kpi=1, percent=60, status=LATE,
        items=[item(1, percent=60, status=LATE), item(2, percent=20, status=LATE)],
    ),
    case(
        "ข้อ 2 ได้ 45 คนจากทั้งหมด 60 คน ข้อ 3 เสร็จแล้ว",
        "multi-jak-thangmot-is-a-target",
        kpi=2, value=45, target=60,
        items=[item(2, value=45, target=60), item(3, status=DONE)],
    ),
    case(
        "ลำดับที่ 1 ครบแล้ว ลำดับที่ 2 ได้ครึ่งหนึ่ง",
        "multi-lamdap-thi",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, percent=50, status=IP)],
    ),
    case(
        "ข้อ 2 80% ข้อ 2 ส่งพรุ่งนี้",
        "multi-same-kpi-twice-is-one-item",
        kpi=2, percent=80, status=IP, date="2026-04-02",
    ),
]

# --- second edition: times of day ------------------------------------------------------------

TIME = [
    case("14:00", "time-colon", time="14:00"),
    case("ประชุม 14:00 น.", "time-colon-na", time="14:00"),
    case("8.30 น.", "time-dot-na", time="08:30"),
    case("เข้างาน 8.30 น. ครับ", "time-dot-in-sentence", time="08:30", answer=None),
    case("09.00 นาฬิกา", "time-dot-nalika", time="09:00"),
    case("8.30น", "time-dot-na-no-dot", time="08:30"),
    case("ประชุมเวลา 13.30", "time-dot-after-wela", time="13:30"),
    case("ส่งตอน 9.00 ค่ะ", "time-dot-after-ton", time="09:00"),
    case("ได้ 8.30 คะแนน", "time-dot-without-na-is-a-value", value=8.3),
    case("13 นาฬิกา", "time-nalika", time="13:00"),
    case("9 นาฬิกา 30 นาที", "time-nalika-minutes", time="09:30"),
    case("10 โมงเช้า", "time-mong-chao", time="10:00"),
    case("สิบโมงเช้า", "time-mong-chao-words", time="10:00"),
    case("หกโมงเช้า", "time-six-am", time="06:00"),
    case("เจ็ดโมงเช้า", "time-seven-am", time="07:00"),
    case("สองโมงเช้า", "time-old-count-eight-am", time="08:00"),
    case("ห้าโมงเช้า", "time-old-count-eleven-am", time="11:00"),
    case("9 โมง", "time-mong-digits", time="09:00"),
    case("เก้าโมงตรง", "time-mong-trong", time="09:00"),
    case("แปดโมงครึ่ง", "time-mong-half", time="08:30"),
    case("9 โมง 15 นาที", "time-mong-minutes", time="09:15"),
    case("สิบเอ็ดโมง", "time-eleven", time="11:00"),
    case("บ่ายสองโมง", "time-bai-song-mong", time="14:00"),
    case("บ่าย 2 โมง", "time-bai-digits", time="14:00"),
    case("บ่าย 2", "time-bai-no-mong", time="14:00"),
    case("บ่ายโมง", "time-bai-mong", time="13:00"),
    case("บ่ายโมงครึ่ง", "time-bai-mong-half", time="13:30"),
    case("บ่ายสามโมงครึ่ง", "time-bai-sam-half", time="15:30"),
    case("บ่ายสี่โมง", "time-bai-si", time="16:00"),
    case("สามโมง", "time-sam-mong-is-afternoon", time="15:00"),
    case("เที่ยง", "time-noon", time="12:00"),
    case("เที่ยงตรง", "time-noon-sharp", time="12:00"),
    case("เที่ยงวัน", "time-noon-day", time="12:00"),
    case("เที่ยงครึ่ง", "time-noon-half", time="12:30"),
    case("เที่ยงคืน", "time-midnight", time="00:00"),
    case("ห้าโมงเย็น", "time-ha-mong-yen", time="17:00"),
    case("หกโมงเย็น", "time-hok-mong-yen", time="18:00"),
    case("4 โมงเย็น", "time-mong-yen-digits", time="16:00"),
    case("5 โมงเย็นครับ", "time-mong-yen-khrap", time="17:00"),
    case("สองทุ่มครึ่ง", "time-song-thum-half", time="20:30"),
    case("ทุ่มนึง", "time-thum-nueng", time="19:00"),
    case("3 ทุ่ม", "time-thum-digits", time="21:00"),
    case("ตีห้า", "time-ti-ha", time="05:00"),
    case("ตี 4", "time-ti-digits", time="04:00"),
    case("เวลา 24:00", "time-24-is-midnight", time="00:00"),
    case("25:70", "time-impossible-is-no-value"),
    case("พรุ่งนี้บ่ายสองโมง", "time-tomorrow-afternoon", date="2026-04-02", time="14:00"),
    case("ศุกร์นี้ 10 โมง", "time-friday-ten", date="2026-04-03", time="10:00"),
    case("ส่งภายในวันนี้ก่อน 16:30 น.", "time-today-before", date="2026-04-01", time="16:30"),
    case("ประชุมวันที่ 10 เวลา 13.30 น.", "time-day-and-time", date="2026-04-10", time="13:30"),
    case("ข้อ 2 ส่งพรุ่งนี้ 9 โมง", "time-kpi-tomorrow", kpi=2, date="2026-04-02", time="09:00"),
    case("10.30 น. ข้อ 1 เสร็จแล้ว", "time-then-report", kpi=1, status=DONE, time="10:30"),
    case("ข้อ 3 ได้ 45 คน ส่งก่อนเที่ยง", "time-noon-after-value", kpi=3, value=45, time="12:00"),
    case("อบรม 3 ชั่วโมง", "time-hours-are-a-value", value=3),
    case("ทุ่มเทมาก 80%", "time-not-thumthe", percent=80, status=IP),
    case("ทุ่มงบ 5 ล้าน", "time-not-thum-to-pour", value=5000000),
    case("ทุ่มครึ่ง", "time-thum-half", time="19:30"),
    case("ความเที่ยงตรงของข้อมูล", "time-not-accuracy"),
    case("ตีพิมพ์ 3 เรื่อง", "time-not-tiphim", value=3),
    case("สองทุ่มครึ่งส่งงาน ข้อ 4 ครบ", "time-half-is-not-fifty", kpi=4, status=DONE, time="20:30"),
]

# --- second edition: delays ------------------------------------------------------------------

DELAYED = [
    case("ล่าช้า", "late-lacha", status=LATE),
    case("ข้อ 2 ล่าช้าค่ะ", "late-kpi", kpi=2, status=LATE),
    case("ติดปัญหา", "late-tit-panha", status=LATE),
    case("ข้อ 3 ติดปัญหาเรื่องงบ", "late-tit-panha-kpi", kpi=3, status=LATE),
    case("ไม่ทันกำหนด", "late-mai-than", status=LATE),
    case("ข้อ 1 ไม่ทันกำหนดครับ", "late-mai-than-kpi", kpi=1, status=LATE),
    case("ช้ากว่าแผน", "late-cha-kwa-phaen", status=LATE),
    case("ช้ากว่าแผนนิดหน่อย 60%", "late-wins-over-percent", percent=60, status=LATE),
    case("ข้อ 3 ติดปัญหา 60%", "late-kpi-percent", kpi=3, percent=60, status=LATE),
    case(
        "ข้อ๔ ล่าช้าเพราะรองบประมาณ คาดว่าเสร็จ 15 ม.ค.",
        "late-expected-date",
        kpi=4, status=LATE, date="2027-01-15",
    ),
    case("ล่าช้า คาดว่าเสร็จสิ้นเดือนหน้า", "late-expected-month-end", status=LATE, date="2026-05-31"),
    case(
        "ข้อ 2 ล่าช้า 40% จะส่งได้ศุกร์หน้า",
        "late-percent-next-friday",
        kpi=2, percent=40, status=LATE, date="2026-04-10",
    ),
    case(
        "กำหนดเดิม 10 เม.ย. แต่ล่าช้า เลื่อนเป็น 20 เม.ย.",
        "late-new-date-not-old",
        status=LATE, date="2026-04-20",
    ),
    case(
        "ข้อ 3 ติดปัญหา คาดว่าจะเสร็จภายใน 2 สัปดาห์",
        "late-within-weeks",
        kpi=3, status=LATE, date="2026-04-15",
    ),
    case("ล่าช้ากว่ากำหนด", "late-lacha-kwa", status=LATE),
    case("ช้ากว่ากำหนด", "late-cha-kwa-kamnot", status=LATE),
    case("เกินกำหนดแล้วค่ะ", "late-koen-kamnot", status=LATE),
    case("ติดขัดเรื่องข้อมูล 70%", "late-titkhat", percent=70, status=LATE),
    case("ข้อ 5 ล่าช้า ยังไม่เสร็จ", "late-wins-over-not-done", kpi=5, status=LATE),
    case("ข้อ 1 100% แต่ส่งไม่ทัน", "late-wins-over-hundred", kpi=1, percent=100, status=LATE),
    case("เสร็จแล้วแต่ล่าช้า", "late-wins-over-done", status=LATE),
    case("ไม่ล่าช้า เสร็จแล้ว", "late-negated-done", status=DONE),
    case("ไม่ได้ติดปัญหาอะไร กำลังทำ", "late-negated-underway", status=IP),
    case("ไม่มีปัญหาครับ", "late-no-problem"),
    case("งานไม่ติดขัด", "late-not-stuck"),
    case("ยังไม่ทันได้ทำเลย", "late-not-yet-got-round-to-it", status=NS),
    case("คาดว่าเสร็จ 15 ม.ค.", "late-expected-alone-is-underway", status=IP, date="2027-01-15"),
    case("น่าจะเสร็จพรุ่งนี้", "late-probably-tomorrow", status=IP, date="2026-04-02"),
    case(
        "ข้อ 2 ได้ 30 คน จากเป้า 50 ล่าช้าเพราะฝนตก",
        "late-with-value-and-target",
        kpi=2, value=30, target=50, status=LATE,
    ),
    case("ตัวชี้วัดที่ 4 ช้ากว่าแผนค่ะ", "late-tuachiwat", kpi=4, status=LATE),
    case(
        "ข้อ 1 ล่าช้า เลื่อนไปกลางเดือนหน้า",
        "late-postponed-mid-next-month",
        kpi=1, status=LATE, date="2026-05-15",
    ),
    case(
        "ข้อ 3 ติดปัญหา คาดว่าเสร็จ 2026-06-30",
        "late-iso-date",
        kpi=3, status=LATE, date="2026-06-30",
    ),
    case("ส่งไม่ทันเวลาค่ะ ขออภัย", "late-mai-than-wela", status=LATE),
    case("ข้อ 2 ล่าช้า เสร็จ 90%", "late-wins-over-ninety", kpi=2, percent=90, status=LATE),
    case("เคพีไอ 4 ล่าช้ากว่าแผน 2 สัปดาห์", "late-how-long-is-no-value", kpi=4, status=LATE),
    case("ข้อ 1 ช้าไป 3 วัน ได้ 12 เรื่อง", "late-days-then-value", kpi=1, value=12, status=LATE),
    case("ทำได้ 3 วันแล้ว ล่าช้า", "late-days-before-is-a-value", value=3, status=LATE),
]

# --- second edition: fractions ---------------------------------------------------------------

FRACTION = [
    case("3 ใน 4", "frac-nai", value=3, target=4),
    case("สามในห้า", "frac-nai-words", value=3, target=5),
    case("สองในสาม", "frac-two-thirds-words", value=2, target=3),
    case("ห้าในหก", "frac-five-sixths-words", value=5, target=6),
    case("15 จาก 20 หน่วยงาน", "frac-jak-unit", value=15, target=20),
    case("8/10 คน", "frac-slash-unit", value=8, target=10),
    case("12/15 หน่วยงาน", "frac-slash-agencies", value=12, target=15),
    case("อบรมแล้ว 8/10 คน", "frac-slash-in-sentence", value=8, target=10),
    case("ส่งวันที่ 8/10", "frac-wanthi-slash-is-a-date", date="2026-10-08"),
    case("45/60 ราย", "frac-slash-rai", value=45, target=60),
    case(
        "ข้อ 2 ทำไปได้ 3 ใน 4 แล้วค่ะ",
        "frac-kpi-nai",
        kpi=2, value=3, target=4,
    ),
    case("ได้ 2 ใน 3 เรื่อง", "frac-nai-unit-after", value=2, target=3),
    case("ผ่าน 4 ใน 5 หลักสูตร", "frac-pass-four-of-five", value=4, target=5),
    case("1 ใน 3 ของเป้า", "frac-one-third-of-target", value=1, target=3),
    case("ข้อ 1 สามในสี่", "frac-kpi-words", kpi=1, value=3, target=4),
    case("ได้ ๓ ใน ๔", "frac-thai-digits", value=3, target=4),
    case("10 จาก 12 คน", "frac-jak-kon", value=10, target=12),
    case("ข้อ 4 ทำได้ 7 จาก 10 ครั้ง", "frac-kpi-jak", kpi=4, value=7, target=10),
    case(
        "ข้อ 2 ทำได้ 3 ใน 4 ส่วน เสร็จ 75%",
        "frac-with-percent",
        kpi=2, percent=75, value=3, target=4, status=IP,
    ),
    case("เสร็จใน 3 วัน", "frac-nai-days-is-no-target", value=3, status=DONE),
    case("2 ใน 5 วัน", "frac-nai-days-is-no-fraction", value=2),
    case("อยู่ใน 3 หน่วยงาน", "frac-nai-without-number-before", value=3),
    case("ได้ 3 คนใน 4 คน", "frac-nai-unit-between", value=3, target=4),
    case("ตอบแบบสอบถาม 120 จาก 150 คน", "frac-survey", value=120, target=150),
    case("ประเมินผ่าน 18/20 ตัวชี้วัดย่อย", "frac-slash-sub-indicators", value=18, target=20),
    case("ทำได้สี่ในห้าแล้วครับ", "frac-words-in-sentence", value=4, target=5),
    case("ได้ 9 จาก 10 คะแนน", "frac-score", value=9, target=10),
]

# --- second edition: everyday spellings, aliases and corrections -----------------------------

EVERYDAY = [
    case("เคพีไอ 2 ได้ 80%", "alias-khepiai", kpi=2, percent=80, status=IP),
    case("เคพีไอที่ 3 เสร็จแล้ว", "alias-khepiai-thi", kpi=3, status=DONE),
    case("เคพีไอ3 ยังไม่เริ่ม", "alias-khepiai-glued", kpi=3, status=NS),
    case("ตชว.1 ร้อยละ 70", "alias-tochowo", kpi=1, percent=70, status=IP),
    case("ตชว. 2 ยังไม่เริ่ม", "alias-tochowo-space", kpi=2, status=NS),
    case("ตชว ที่ 4 ส่งแล้ว", "alias-tochowo-no-dot", kpi=4, status=DONE),
    case("ตชว.ที่ 5 ได้ 12 คน", "alias-tochowo-thi", kpi=5, value=12),
    case("ตัวที่ 3 ได้ 12 เรื่อง", "alias-tua-thi-value", kpi=3, value=12),
    case("ลำดับที่ 2 เสร็จแล้วค่ะ", "alias-lamdap-thi", kpi=2, status=DONE),
    case("ลำดับที่ 5 60%", "alias-lamdap-thi-percent", kpi=5, percent=60, status=IP),
    case("ลำดับที่สาม ครบแล้ว", "alias-lamdap-thi-word", kpi=3, status=DONE),
    case("ครัช", "answer-khrat", answer="yes"),
    case("ได้ครัช", "answer-dai-khrat", answer="yes"),
    case("ยืนยันครัช", "answer-yuenyan-khrat", answer="yes"),
    case("ค้าบบบ", "answer-khaap-repeated", answer="yes"),
    case("ค้าบ", "answer-khaap", answer="yes"),
    case("โอเคค้าบ", "answer-okay-khaap", answer="yes"),
    case("ใช่ค้าบบ", "answer-chai-khaap", answer="yes"),
    case("คร้าบ", "answer-khraap", answer="yes"),
    case("ช่ายค่ะ", "answer-chai-cute", answer="yes"),
    case("ม่ายช่าย", "answer-mai-chai-cute", answer="no"),
    case("ม่ายช่ายค่ะ", "answer-mai-chai-cute-kha", answer="no"),
    case("ม่าย", "answer-mai-cute", answer="no"),
    case("ไม่ช่าย", "answer-mai-chai-half-cute", answer="no"),
    case("ม่ายช่ายครัช", "answer-no-with-khrat", answer="no"),
    case("ผ่านแล้ว", "done-phan-laeo", status=DONE),
    case("ข้อ 2 ผ่านแล้วค่ะ", "done-phan-laeo-kpi", kpi=2, status=DONE),
    case("ผ่านเกณฑ์แล้ว", "done-phan-koen", status=DONE),
    case("ผ่านการประเมินแล้วครับ", "done-phan-pramoen", status=DONE),
    case("ยังไม่ผ่าน", "done-not-passed-yet", status=IP),
    case("ที่ผ่านมาทำได้ 3 เรื่อง", "done-thi-phan-ma-is-the-past", value=3),
    case("ไม่ได้ 80% นะคะ ได้ 60%", "fix-percent", percent=60, status=IP),
    case("ไม่ใช่ข้อ 2 ค่ะ ข้อ 3", "fix-kpi", kpi=3),
    case("ไม่ใช่ 45 ครับ 54", "fix-value", value=54),
    case("ข้อ 1 ไม่ได้ 30 คน ได้ 35 คน", "fix-value-with-kpi", kpi=1, value=35),
    case("ไม่ใช่ร้อยละ 70 เป็นร้อยละ 75", "fix-roila", percent=75, status=IP),
    case(
        "ไม่ใช่ข้อ 1 ครับ เป็นข้อ 2 ได้ 80%",
        "fix-kpi-then-report",
        kpi=2, percent=80, status=IP,
    ),
    case("ม่ายช่ายข้อ 4 ข้อ 5 ค่ะ", "fix-kpi-cute", kpi=5),
    case("ขอแก้ค่ะ ไม่ได้ 12 เรื่อง ได้ 15 เรื่อง", "fix-value-after-request", value=15),
    case("ไม่ใช่ 3 ใน 4 ค่ะ 2 ใน 4", "fix-fraction", value=2, target=4),
    case("ยังไม่ได้เริ่ม ข้อ 2", "fix-yang-mai-dai-is-no-correction", kpi=2, status=NS),
    case("ทำไม่ได้ 2 เรื่อง", "fix-tham-mai-dai-is-no-correction", value=2),
]

# --- second edition: office dates ------------------------------------------------------------

OFFICE_DATES = [
    case("กลางเดือนหน้า", "office-mid-next-month", date="2026-05-15"),
    case("กลางเดือนนี้", "office-mid-this-month", date="2026-04-15"),
    case("กลางเดือน", "office-mid-month", date="2026-04-15"),
    case("กลางเดือนมิถุนายน", "office-mid-named-month", date="2026-06-15"),
    case("กลางเดือนมกราคม", "office-mid-january-next-year", date="2027-01-15"),
    case("กลางเดือนหน้า", "office-mid-next-month-year", today=date(2026, 12, 20), date="2027-01-15"),
    case("ส่งกลางเดือนหน้าค่ะ", "office-mid-next-month-sentence", date="2026-05-15"),
    case("ข้อ 3 จะเสร็จกลางเดือนหน้า", "office-mid-kpi", kpi=3, status=IP, date="2026-05-15"),
    case("สิ้นปีงบประมาณ", "office-fiscal-year-end", date="2026-09-30"),
    case("สิ้นปีงบประมาณ", "office-fiscal-year-end-october", today=date(2026, 10, 5), date="2027-09-30"),
    case("สิ้นปีงบประมาณ", "office-fiscal-year-end-on-the-day", today=date(2026, 9, 30), date="2026-09-30"),
    case("สิ้นปีงบ", "office-fiscal-year-end-short", date="2026-09-30"),
    case("สิ้นปีงบฯ นี้", "office-fiscal-year-end-abbr", date="2026-09-30"),
    case("ภายในสิ้นปีงบประมาณ 2570", "office-fiscal-year-end-named", date="2027-09-30"),
    case("สิ้นปีงบประมาณหน้า", "office-fiscal-year-end-next", date="2027-09-30"),
    case("ปลายปีงบประมาณ", "office-fiscal-year-end-plai", date="2026-09-30"),
    case("สิ้นไตรมาสนี้", "office-quarter-end", date="2026-06-30"),
    case("สิ้นไตรมาสนี้", "office-quarter-end-q1", today=date(2026, 11, 10), date="2026-12-31"),
    case("สิ้นไตรมาสนี้", "office-quarter-end-q2", today=date(2027, 2, 1), date="2027-03-31"),
    case("สิ้นไตรมาสนี้", "office-quarter-end-q4", today=date(2026, 8, 15), date="2026-09-30"),
    case("สิ้นไตรมาส", "office-quarter-end-bare", date="2026-06-30"),
    case("สิ้นไตรมาสหน้า", "office-next-quarter-end", date="2026-09-30"),
    case("สิ้นไตรมาสหน้า", "office-next-quarter-end-new-fy", today=date(2026, 8, 15), date="2026-12-31"),
    case("สิ้นไตรมาสที่ 2", "office-quarter-two-end", date="2026-03-31"),
    case("สิ้นไตรมาส 4", "office-quarter-four-end", date="2026-09-30"),
    case("สิ้นไตรมาสที่ 1", "office-quarter-one-end", today=date(2026, 10, 5), date="2026-12-31"),
    case("สิ้นปี", "office-year-end", date="2026-12-31"),
    case("สิ้นปีนี้", "office-year-end-ni", date="2026-12-31"),
    case("2026-05-15", "office-iso", date="2026-05-15"),
    case("ส่ง 2026-04-20 ค่ะ", "office-iso-sentence", date="2026-04-20"),
    case("2569-05-15", "office-iso-be-year", date="2026-05-15"),
    case("2026-02-30", "office-iso-impossible"),
    case("ข้อ 2 ส่ง 2027-01-15", "office-iso-kpi", kpi=2, date="2027-01-15"),
    case("อีก 3 วันทำการ", "office-days-skip-weekend-and-chakri", date="2026-04-07"),
    case("อีก 5 วันทำการ", "office-days-five", date="2026-04-09"),
    case("ภายใน 10 วันทำการ", "office-days-skip-songkran", date="2026-04-21"),
    case("อีก 1 วันทำการ", "office-days-one", date="2026-04-02"),
    case("อีกหนึ่งวันทำการ", "office-days-words", date="2026-04-02"),
    case("อีก 2 วันทำการ", "office-days-after-songkran", today=date(2026, 4, 10), date="2026-04-17"),
    case("อีก 3 วันทำการ", "office-days-labour-coronation", today=date(2026, 4, 30), date="2026-05-07"),
    case("ภายใน 5 วันทำการ", "office-days-new-year", today=date(2026, 12, 28), date="2027-01-06"),
    case("อีก 2 วันราชการ", "office-days-wan-ratchakan", date="2026-04-03"),
    case("อีก 0 วันทำการ", "office-days-zero-is-today", date="2026-04-01"),
    case("ข้อ 1 จะส่งภายใน 3 วันทำการ", "office-days-kpi", kpi=1, date="2026-04-07"),
]

# --- second edition: laughter is never a number ----------------------------------------------

LAUGHTER = [
    case("5555+", "laugh-plus"),
    case("55555555", "laugh-long"),
    case("555+++", "laugh-pluses"),
    case("555 ครับ", "laugh-then-particle"),
    case("ค่ะ 555", "laugh-after-particle"),
    case("5555 ครับ", "laugh-four-then-particle"),
    case("ข้อ 2 ได้ 45 คน 555", "laugh-after-report", kpi=2, value=45),
    case("555 ข้อ 3 เสร็จแล้ว", "laugh-before-report", kpi=3, status=DONE),
    case("80% แล้ว 5555", "laugh-after-percent", percent=80, status=IP),
    case("ร้อยละ 555", "laugh-after-roila"),
    case("555%", "laugh-percent-sign"),
    case("5555+ ยังไม่เริ่มเลย", "laugh-not-started", status=NS),
    case("ได้ 5 เรื่อง 555", "laugh-after-small-value", value=5),
    case("ข้อ 555", "laugh-is-no-kpi"),
    case("555 ข้อ 2 ได้ 80% 555", "laugh-around-report", kpi=2, percent=80, status=IP),
    case("5555+ ข้อ 2 ได้ 40 คน", "laugh-plus-before-report", kpi=2, value=40),
    case("เป้า 555", "laugh-is-no-target"),
    case("555 จะเสร็จพรุ่งนี้", "laugh-before-date", status=IP, date="2026-04-02"),
    case("ปี 2555", "laugh-inside-a-year-is-a-year"),
    case("5,555 บาท", "laugh-thousands-is-a-number", value=5555),
    case("555.5", "laugh-decimal-is-a-number", value=555.5),
    case("1555 คน", "laugh-after-digit-is-a-number", value=1555),
    case("55 คน", "laugh-two-fives-is-a-number", value=55),
    case("ข้อ 1 ได้ 30 จาก 40 5555", "laugh-after-fraction", kpi=1, value=30, target=40),
    case("๕๕๕", "laugh-thai-digits"),
]

# --- second edition: whole chat messages, several points at once -----------------------------

CHAT = [
    case(
        "สวัสดีค่ะพี่ ข้อ 1 ได้ 80% แล้วนะคะ ข้อ 2 ติดปัญหาเรื่องงบ คาดว่าเสร็จกลางเดือนหน้าค่ะ",
        "chat-two-kpis-delay-mid-month",
        kpi=1, percent=80, status=IP,
        items=[item(1, percent=80, status=IP), item(2, status=LATE, date="2026-05-15")],
    ),
    case(
        "รายงานครับ kpi1 100% kpi2 60% kpi3 ยังไม่เริ่มครับ 555",
        "chat-three-kpis-laugh",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=60, status=IP),
               item(3, status=NS)],
    ),
    case(
        "ข้อ 2 ทำไปได้ 3 ใน 4 แล้วค่ะ ส่งพรุ่งนี้บ่ายสองโมง",
        "chat-fraction-date-time",
        kpi=2, value=3, target=4, date="2026-04-02", time="14:00",
    ),
    case(
        "พี่คะ ไม่ได้ 80% นะคะ ได้ 60% ค่ะ ข้อ 3",
        "chat-correction-kpi-after",
        kpi=3, percent=60, status=IP,
    ),
    case(
        "ตชว.2 ผ่านแล้วครับ ส่งเอกสารไปเมื่อวาน 4 โมงเย็น",
        "chat-alias-passed-yesterday",
        kpi=2, status=DONE, date="2026-03-31", time="16:00",
    ),
    case(
        "ข้อ 1 กับข้อ 3 เสร็จทั้งคู่ค่ะ ส่วนข้อ 2 ล่าช้า คาดว่าเสร็จสิ้นไตรมาสนี้",
        "chat-pair-then-delay-quarter",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(3, status=DONE), item(2, status=LATE, date="2026-06-30")],
    ),
    case(
        "อบรมครบ 12 ชั่วโมงแล้วค่ะ เมื่อวานเลิกห้าโมงเย็น",
        "chat-training-hours-and-time",
        value=12, status=DONE, date="2026-03-31", time="17:00",
    ),
    case(
        "ประชุมพรุ่งนี้ 10 โมงเช้า ห้อง 3",
        "chat-meeting-room-number",
        value=3, date="2026-04-02", time="10:00",
    ),
    case(
        "ข้อ 4 ได้ 15 จาก 20 หน่วยงาน จะครบภายใน 5 วันทำการค่ะ",
        "chat-fraction-office-days",
        kpi=4, value=15, target=20, status=IP, date="2026-04-09",
    ),
    case(
        "ข้อ 5 อบรมแล้ว 8/10 คน ที่เหลือสองทุ่มครึ่งคืนนี้ครับ",
        "chat-slash-fraction-evening",
        kpi=5, value=8, target=10, date="2026-04-01", time="20:30",
    ),
    case(
        "เคพีไอ 1 ร้อยละ 90 เคพีไอ 2 ร้อยละ 100 ครัช",
        "chat-khepiai-two",
        kpi=1, percent=90, status=IP,
        items=[item(1, percent=90, status=IP), item(2, percent=100, status=DONE)],
    ),
    case(
        "ไม่ใช่ข้อ 2 ค่ะ ข้อ 3 ได้ 12 เรื่องแล้ว",
        "chat-kpi-correction-value",
        kpi=3, value=12,
    ),
    case(
        "ข้อ 1 ไม่ทันกำหนดค่ะ ขอส่งสิ้นปีงบประมาณ",
        "chat-late-to-fiscal-year-end",
        kpi=1, status=LATE, date="2026-09-30",
    ),
    case(
        "ข้อ 2 ช้ากว่าแผน ได้แค่ 40% เลื่อนไป 2026-05-29",
        "chat-late-percent-iso",
        kpi=2, percent=40, status=LATE, date="2026-05-29",
    ),
    case(
        "1) 100% ส่งแล้ว 2) 80% 3) ติดปัญหา",
        "chat-list-with-delay",
        kpi=1, percent=100, status=DONE,
        items=[item(1, percent=100, status=DONE), item(2, percent=80, status=IP),
               item(3, status=LATE)],
    ),
    case(
        "KPI 1-3 เสร็จหมดแล้วครับ เหลือ KPI 4 กำลังทำ 50%",
        "chat-range-then-one",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE), item(3, status=DONE),
               item(4, percent=50, status=IP)],
    ),
    case(
        "ข้อ 2 ได้ 3 ใน 4 หน่วยงาน ข้อ 3 ได้ 2 ใน 5 หน่วยงาน",
        "chat-two-fractions",
        kpi=2, value=3, target=4,
        items=[item(2, value=3, target=4), item(3, value=2, target=5)],
    ),
    case(
        "ส่งงานข้อ 1 เที่ยงวันนี้ค่ะ",
        "chat-noon-today",
        kpi=1, date="2026-04-01", time="12:00",
    ),
    case(
        "ข้อ 3 กำลังทำอยู่ 555 ได้ประมาณครึ่งหนึ่ง",
        "chat-half-with-laugh",
        kpi=3, percent=50, status=IP,
    ),
    case(
        "ข้อ 1 ผ่านแล้ว ข้อ 2 ยังไม่ผ่าน",
        "chat-passed-not-passed",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=IP)],
    ),
    case(
        "ลำดับที่ 1 ได้ 45 ราย จากเป้า 60 ราย ค่ะ",
        "chat-lamdap-target",
        kpi=1, value=45, target=60,
    ),
    case(
        "ตัวที่ 2 สามในห้าแล้วครับ",
        "chat-tua-thi-words-fraction",
        kpi=2, value=3, target=5,
    ),
    case(
        "ข้อ 1 และข้อ 2 ส่งแล้วตั้งแต่ 9 โมง",
        "chat-pair-sent-at-nine",
        kpi=1, status=DONE, time="09:00",
        items=[item(1, status=DONE), item(2, status=DONE)],
    ),
    case(
        "ข้อ 4 ติดปัญหาค่ะ ระบบล่ม จะส่งได้อีก 3 วันทำการ",
        "chat-late-office-days",
        kpi=4, status=LATE, date="2026-04-07",
    ),
    case(
        "5555+ ขอโทษค่ะ ข้อ 2 ได้ 70% ค่ะ",
        "chat-laugh-sorry",
        kpi=2, percent=70, status=IP,
    ),
    case(
        "ข้อ 1 10 โมงเช้าส่งแล้ว ข้อ 2 บ่ายสามโมงจะส่ง",
        "chat-times-per-kpi",
        kpi=1, status=DONE, time="10:00",
        items=[item(1, status=DONE), item(2)],
    ),
    case(
        "ข้อ 3 ได้ 2 พันบาท จากเป้า 5 พัน",
        "chat-multipliers",
        kpi=3, value=2000, target=5000,
    ),
    case(
        "ข้อ 2 ได้ 12 เรื่อง ข้อ 5 ได้ 22 ชั่วโมง ทั้งหมดส่งพรุ่งนี้",
        "chat-all-share-tomorrow",
        kpi=2, value=12, date="2026-04-02",
        items=[item(2, value=12, date="2026-04-02"), item(5, value=22, date="2026-04-02")],
    ),
    case(
        "ตชว.1 ทำได้ 3 ใน 4 ตชว.2 ทำได้ 100%",
        "chat-tochowo-two",
        kpi=1, value=3, target=4,
        items=[item(1, value=3, target=4), item(2, percent=100, status=DONE)],
    ),
    case(
        "ข้อ 1 กับ 2 ล่าช้าทั้งคู่ค่ะ คาดว่าเสร็จ 30 เม.ย.",
        "chat-pair-late-expected",
        kpi=1, status=LATE, date="2026-04-30",
        items=[item(1, status=LATE, date="2026-04-30"), item(2, status=LATE, date="2026-04-30")],
    ),
    case(
        "ข้อ 3 ได้ 60% ค้าบบบ",
        "chat-percent-khaap",
        kpi=3, percent=60, status=IP,
    ),
    case(
        "ไม่ใช่ 45 คนครับ 54 คน ข้อ 2",
        "chat-value-fix-kpi-after",
        kpi=2, value=54,
    ),
    case(
        "ข้อ 1 ส่งแล้ว 14:00 น. ข้อ 2 ส่ง 16:30 น.",
        "chat-two-times-first-is-kept",
        kpi=1, status=DONE, time="14:00",
        items=[item(1, status=DONE), item(2)],
    ),
    case(
        "งานข้อ 4 เสร็จ 100% ผ่านแล้วครับ",
        "chat-done-passed",
        kpi=4, percent=100, status=DONE,
    ),
    case(
        "ข้อ 5 เลยกำหนดมาแล้ว ขอส่งวันจันทร์หน้า",
        "chat-overdue-next-monday",
        kpi=5, status=LATE, date="2026-04-06",
    ),
    case(
        "เสร็จแล้วค่ะ ข้อ 1 ข้อ 2 ข้อ 3",
        "chat-done-before-three-kpis",
        kpi=1, status=DONE,
        items=[item(1, status=DONE), item(2, status=DONE), item(3, status=DONE)],
    ),
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


@pytest.mark.parametrize(("text", "today", "expected"), MULTI)
def test_several_kpis(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), TIME)
def test_time_of_day(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), DELAYED)
def test_delayed(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), FRACTION)
def test_fraction(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), EVERYDAY)
def test_everyday_spelling(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), OFFICE_DATES)
def test_office_date(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), LAUGHTER)
def test_laughter(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)


@pytest.mark.parametrize(("text", "today", "expected"), CHAT)
def test_chat(text: str, today: date, expected: dict[str, Any]) -> None:
    check(text, today, expected)
