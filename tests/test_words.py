"""Words and timing: one register, prompts as an office writes them, a report that reads as
waiting, a held announcement that says when it goes, a day off questioned, the reading limit."""
from __future__ import annotations

import ast
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from handlers import texts
from handlers.router import MAX_TEXT_READ
from tests.builders import agency, make_officer, office
from tests.chat import BKK, NOW, Chat, quick_texts, said

ROOT = Path(__file__).resolve().parent.parent
GENDERED = re.compile(r"(ครับ|ค่ะ|คะ|ครัช)(?![\u0e01-\u0e4e])")  # not คะแนน
CURT = ("ส่งถึงใคร", "สถานะของงานตอนนี้", "มีหมายเหตุเพิ่มเติมไหม", "ส่งเมื่อไร\n")


def said_strings(path: Path) -> list[str]:
    """The string literals of a module that are not docstrings or text-reading patterns."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and "|" not in node.value]


HANDLER_FILES = sorted((ROOT / "handlers").rglob("*.py"))


@pytest.mark.parametrize("path", HANDLER_FILES, ids=lambda p: p.name)
def test_the_bot_speaks_one_register(path: Path) -> None:
    """Neutral polite Thai everywhere: no ครับ/ค่ะ slipping in beside neutral prompts."""
    if path.name == "intents.py":  # reads the particles people type; its answers are in texts
        return
    slipped = [s for s in said_strings(path) if GENDERED.search(s)]
    assert slipped == []


def test_curt_prompts_are_rephrased() -> None:
    everything = "\n".join(s for p in HANDLER_FILES for s in said_strings(p)
                           if p.name != "intents.py")  # it reads people's words
    for curt in CURT:
        assert curt not in everything
    assert texts.ASK_STATUS.startswith("ขอทราบสถานะ")
    assert texts.ANNOUNCE_ASK_AUDIENCE == "กรุณาเลือกผู้รับประกาศ"


def test_every_text_is_used() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("handlers", "bot", "scheduler")
                     for p in (ROOT / folder).rglob("*.py"))
    own = (ROOT / "handlers" / "texts.py").read_text(encoding="utf-8")
    names = [name for name in vars(texts) if name.isupper()]
    # used: named somewhere besides its own definition
    unused = [name for name in names if len(re.findall(rf"\b{name}\b", code))
              <= len(re.findall(rf"^{name} = ", own, re.M))]
    assert unused == []


# --- a report waits; both confirmers of a HiPPS officer are named --------------------------------

def test_a_sent_report_reads_as_waiting(session: Session, chat: Chat) -> None:
    o = office(session)
    chat.say(o["officer_user"], "ข้อ 2 ได้ 45 จาก 60 กำลังทำ")
    chat.say(o["officer_user"], "ไม่มี")
    sent = said(chat.say(o["officer_user"], "ใช่"))
    assert "ส่งรายงานถึง พี่เลี้ยง นางมาลี รักงาน แล้ว" in sent and "รอการรับรอง" in sent
    assert "รับรองแล้ว" not in sent


def test_a_hipps_officers_report_names_both_confirmers(session: Session, chat: Chat) -> None:
    o = office(session, hipps=True)
    chat.say(o["officer_user"], "ข้อ 2 ได้ 45 จาก 60 กำลังทำ")
    chat.say(o["officer_user"], "ไม่มี")
    sent = said(chat.say(o["officer_user"], "ใช่"))
    assert "นางมาลี รักงาน" in sent and "นายวิชัย ศรีสุข" in sent and "รอการรับรอง" in sent


# --- the reading limit ---------------------------------------------------------------------------

def test_a_message_longer_than_the_bot_reads_says_the_limit(session: Session,
                                                            chat: Chat) -> None:
    _officer, user = make_officer(session)
    answer = said(chat.say(user, "ก" * (MAX_TEXT_READ + 1)))
    assert f"ไม่เกิน {MAX_TEXT_READ:,} ตัวอักษร" in answer


# --- announcements: "ส่งแล้ว" only when sent; a day off questioned -------------------------------

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BKK)


def compose(chat: Chat, hr: str) -> None:
    for text in ("ประกาศ", "ขอเชิญประชุม", "ไม่แนบ", "ทุกคน"):
        chat.say(hr, text)


def test_sent_in_office_hours_says_sent(session: Session, chat: Chat) -> None:
    p = agency(session)
    chat.now = MONDAY_10
    compose(chat, p["hr_user"])
    chat.say(p["hr_user"], "ส่งทันที")
    done = said(chat.say(p["hr_user"], "ยืนยัน"))
    assert "ส่งประกาศแล้ว ถึง 3 คน" in done and "ยังไม่ได้ส่ง" not in done


def test_held_after_office_hours_says_when_it_goes(session: Session, chat: Chat) -> None:
    p = agency(session)
    chat.now = MONDAY_10.replace(hour=19)
    compose(chat, p["hr_user"])
    chat.say(p["hr_user"], "ส่งทันที")
    done = said(chat.say(p["hr_user"], "ยืนยัน"))
    assert "ส่งประกาศแล้ว" not in done
    assert "จะส่งถึง 3 คน เมื่อ 24 พ.ย. 2569 08:30 น." in done


def test_scheduled_out_of_hours_says_when_people_get_it(session: Session, chat: Chat) -> None:
    p = agency(session)
    chat.now = MONDAY_10
    compose(chat, p["hr_user"])
    chat.say(p["hr_user"], "วันนี้ 20:00")
    done = said(chat.say(p["hr_user"], "ยืนยัน"))
    assert "ตั้งเวลาส่งประกาศแล้ว: 23 พ.ย. 2569 20:00 น." in done
    assert "ผู้รับจะได้รับเมื่อ 24 พ.ย. 2569 08:30 น." in done


def test_tomorrow_on_a_day_off_offers_the_next_office_day(session: Session, chat: Chat) -> None:
    p = agency(session)
    hr = p["hr_user"]
    chat.now = NOW - timedelta(days=1)  # a Friday: พรุ่งนี้ is Saturday
    compose(chat, hr)
    asked = chat.say(hr, "พรุ่งนี้ 08:30")
    assert "21 พ.ย. 2569 เป็นวันหยุดราชการ" in said(asked)
    offered = quick_texts(asked)
    assert set(offered) >= {texts.ANNOUNCE_NEXT_OFFICE_DAY, texts.ANNOUNCE_KEEP_DAY_OFF}
    preview = said(chat.say(hr, offered[texts.ANNOUNCE_NEXT_OFFICE_DAY]))
    assert "เวลาส่ง: 23 พ.ย. 2569 08:30 น." in preview  # Monday, the same time


def test_a_weekday_time_is_not_questioned(session: Session, chat: Chat) -> None:
    p = agency(session)
    chat.now = MONDAY_10
    compose(chat, p["hr_user"])
    preview = said(chat.say(p["hr_user"], "พรุ่งนี้ 08:30"))
    assert "วันหยุดราชการ" not in preview and "เวลาส่ง: 24 พ.ย. 2569 08:30 น." in preview
