"""Stories through the simulator's JSON API (signed webhooks over HTTP, the real worker, the fake
LINE): a newcomer who chats before linking, everyday chat, menus by role, a reminder's one-tap
next step, and approve-all asking once."""
from __future__ import annotations

import json
from typing import Any

from flask import Flask

from bot.demo import PEOPLE
from bot.serving import BackgroundServer
from bot.sim import NEW_USER
from tests.sim_api import api

HR, COACH, MENTOR, OFFICER = (p.line_user_id for p in PEOPLE[:4])


def text_of(answer: dict[str, Any]) -> str:
    return json.dumps(answer["messages"], ensure_ascii=False).replace("\\n", "\n")


def labels(message: dict[str, Any]) -> list[str]:
    return [i["action"]["label"] for i in message.get("quickReply", {}).get("items", [])]


def test_a_newcomer_chats_and_is_never_locked_out(served_app: BackgroundServer,
                                                  demo: None) -> None:  # noqa: F811
    user = NEW_USER["user_id"]
    api(served_app, "/sim/api/follow", {"user_id": user})
    for _ in range(3):
        for typed in ("สวัสดีครับ", "ไม่มีรหัสครับ ต้องทำยังไง"):
            answer = text_of(api(served_app, "/sim/api/send", {"user_id": user, "text": typed}))
            assert "รหัสเชื่อมบัญชีมี 8 ตัว ขอได้จาก HR ของหน่วยงาน" in answer
            assert "พักการเชื่อมบัญชี" not in answer and "ลองได้อีก" not in answer


def test_everyday_chat_gets_real_answers(served_app: BackgroundServer,
                                         demo: None) -> None:  # noqa: F811
    for typed, expected in (("สวัสดีครับ", "สวัสดี คุณสมชาย ตั้งใจ"), ("ขอบคุณค่ะ", "ยินดีให้บริการ"),
                            ("ทำอะไรได้บ้าง", "ติดตามผลการปฏิบัติราชการ"),
                            ("ดูคะแนน", "ผลการประเมิน")):
        answer = text_of(api(served_app, "/sim/api/send", {"user_id": OFFICER, "text": typed}))
        assert expected in answer and "ยังไม่เข้าใจ" not in answer


def test_officer_and_hr_see_different_menus(app: Flask, served_app: BackgroundServer,
                                            demo: None) -> None:  # noqa: F811
    assert app.test_cli_runner().invoke(args=["line", "setup-richmenu"]).exit_code == 0
    result = api(served_app, "/sim/api/tick", {"at": "2027-02-20T10:00"})  # a Saturday
    assert int(result["jobs"]["sync-rich-menus"]) >= 3  # HR, the coach and the mentor
    menus = {user: api(served_app, f"/sim/api/richmenu?user_id={user}")
             for user in (HR, COACH, OFFICER)}
    assert [menus[u]["kind"] for u in (HR, COACH, OFFICER)] == ["hr", "carer", "officer"]
    officer_menu = [a["text"] for a in menus[OFFICER]["areas"]]
    assert "รออนุมัติ" not in officer_menu and "ผู้อยู่ในความดูแล" not in officer_menu
    assert {"ประกาศ", "เข้าสู่ระบบ"} <= {a["text"] for a in menus[HR]["areas"]}
    # quick replies by role too
    officer_quick = labels(api(served_app, "/sim/api/send",
                               {"user_id": OFFICER, "text": "ช่วยเหลือ"})["messages"][-1])
    hr_quick = labels(api(served_app, "/sim/api/send",
                          {"user_id": HR, "text": "ช่วยเหลือ"})["messages"][-1])
    assert "รออนุมัติ" not in officer_quick and "ผู้อยู่ในความดูแล" not in officer_quick
    assert {"ประกาศ", "เข้าสู่ระบบ"} <= set(hr_quick)


def test_a_reminder_offers_the_missing_kpi_in_one_tap(served_app: BackgroundServer,
                                                      demo: None) -> None:  # noqa: F811
    api(served_app, "/sim/api/tick", {"at": "2027-02-24T09:00"})
    pushes = [m for m in api(served_app, f"/sim/api/messages?user_id={OFFICER}")
              if m["kind"] in ("push", "multicast")]
    reminder = pushes[-1]["message"]
    assert "รายงานข้อ 1 ตอนนี้" in labels(reminder)
    tap = next(i["action"] for i in reminder["quickReply"]["items"]
               if i["action"]["label"] == "รายงานข้อ 3 ตอนนี้")
    answer = text_of(api(served_app, "/sim/api/postback", {"user_id": OFFICER,
                                                           "data": tap["data"]}))
    assert "ตัวชี้วัดที่ 3" in answer and "ผลงานตอนนี้ได้เท่าไร" in answer


def test_approve_all_asks_once(served_app: BackgroundServer, demo: None) -> None:  # noqa: F811
    for typed in ("ข้อ 1 ได้ 50% กำลังทำ", "ไม่มี", "ใช่", "ข้อ 3 ได้ 20% กำลังทำ", "ไม่มี",
                  "ใช่"):
        api(served_app, "/sim/api/send", {"user_id": OFFICER, "text": typed})
    # สมชาย has no mentor: his supervisor (วิชัย, the coach here) confirms him
    waiting = api(served_app, "/sim/api/send", {"user_id": COACH, "text": "รออนุมัติ"})
    approve = next(i["action"] for i in waiting["messages"][-1]["quickReply"]["items"]
                   if i["action"]["label"].startswith("รับรองทั้งหมด"))
    asked = api(served_app, "/sim/api/postback", {"user_id": COACH, "data": approve["data"]})
    assert "รับรองทั้งหมด 2 รายการของ นายสมชาย ตั้งใจ?" in text_of(asked)
    sure = next(i["action"] for i in asked["messages"][-1]["quickReply"]["items"]
                if i["action"]["type"] == "postback")
    done = api(served_app, "/sim/api/postback", {"user_id": COACH, "data": sure["data"]})
    assert "แล้ว 2 รายการ" in text_of(done)
