"""An officer asks for their own result PDF in the chat. LINE has no file message for bots, so
the answer is a button opening a short-lived download link to that officer's own result only;
before the result is approved, the answer says when it will be there."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.demo import seed_demo
from bot.demo_appraisal import seed_appraisal_demo
from models import AuditEntry, Staff
from tests.chat import Line, said
from tests.documents_demo import NOW, TODAY, USER, closed_demo
from tests.pdf_checks import check_page

LINK = re.compile(r"https?://[^/\s\"]+(/files/result/[\w-]+\.pdf)")


def _link(messages: list[dict[str, object]]) -> str:
    found = LINK.search(str(messages))
    assert found, messages
    return found.group(1)


def test_an_officer_gets_a_link_to_their_own_result_pdf_that_expires(
        line: Line, engine: Engine) -> None:
    with Session(engine) as session:
        closed_demo(session)
    line.now = NOW + timedelta(days=1)
    for typed in ("ขอผลประเมิน PDF", "ผลการประเมินของฉัน pdf", "พิมพ์ผลประเมินค่ะ"):
        answer = line.say(USER["D0003"], typed)
        assert "ไฟล์ PDF" in said(answer) and "ภายใน 30 นาที" in said(answer), typed
    path = _link(answer)
    opened = line.client.get(path)
    assert opened.status_code == 200 and opened.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in opened.headers["Content-Disposition"]
    check_page(opened.get_data(), ["แบบสรุปการประเมินผลการปฏิบัติราชการ", "นางมาลี รักงาน",
                                   "ดีมาก"], "chat-result-D0003")

    other = _link(line.say(USER["D0006"], "ขอผลประเมิน PDF"))
    theirs = line.client.get(other)
    assert theirs.status_code == 200
    check_page(theirs.get_data(), ["นายธนากร มุ่งมั่น", "ดีเด่น"], "chat-result-D0006")

    forged = line.client.get(path[:-8] + "AAAA.pdf")
    assert forged.status_code == 404 and "ลิงก์นี้ใช้ไม่ได้แล้ว" in forged.get_data(as_text=True)

    line.now += timedelta(minutes=31)  # the link lived 30 minutes
    expired = line.client.get(path)
    assert expired.status_code == 404
    assert "ขอผลประเมิน PDF" in expired.get_data(as_text=True)  # how to get a new one

    fresh = _link(line.say(USER["D0003"], "พิมพ์ผลประเมิน"))
    with Session(engine) as session:  # the officer left the agency: the link no longer opens
        session.execute(update(Staff).where(Staff.staff_code == "D0003").values(active=False))
        session.commit()
    assert line.client.get(fresh).status_code == 404
    with Session(engine) as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("document.%")))]
    assert actions.count("document.downloaded") == 2
    assert actions.count("document.link_refused") == 3


def test_before_the_result_is_approved_the_officer_is_told_when(
        line: Line, engine: Engine) -> None:
    with Session(engine) as session:
        seed_demo(session, today=TODAY)
        seed_appraisal_demo(session, today=TODAY)
        session.commit()
    answer = said(line.say(USER["D0003"], "ขอผลประเมิน PDF"))
    assert "ยังไม่มีผลการประเมินของคุณ รอบที่ 1/2570 สิ้นสุดวันที่ 31 มีนาคม 2570" in answer
    assert "/files/result/" not in answer
    stranger = said(line.say("U" + "f" * 32, "ขอผลประเมิน PDF"))
    assert "/files/result/" not in stranger
