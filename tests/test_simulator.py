"""The simulator's JSON API drives the real path: signed webhook over HTTP, SDK, fake LINE."""
from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import yaml
from flask import Flask
from jsonschema import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from sqlalchemy import Engine

from bot.app import create_app
from bot.demo import PEOPLE
from bot.fake_line.spec_validator import SpecValidator
from bot.serving import BackgroundServer
from bot.settings import PRODUCTION, Settings
from bot.sim import NEW_USER, webhook_body
from scheduler.demo import attach
from tests.builders import FOLLOW, postback_event, text_event
from tests.sim_api import api


def test_users_lists_the_demo_people(served_app: BackgroundServer, demo: None) -> None:
    users = api(served_app, "/sim/api/users")
    by_id = {u["user_id"]: u for u in users}
    for person in PEOPLE:
        assert by_id[person.line_user_id]["display_name"] == person.name_th
    roles = [set(u["roles"]) for u in users]
    assert {"officer", "hr_admin"} in roles
    assert any("mentor" in r for r in roles) and any("coach" in r for r in roles)
    assert sum("hipps" in r for r in roles) == 1
    assert sum(r == {"officer"} for r in roles) >= 2
    assert by_id[NEW_USER["user_id"]]["roles"] == []


def test_follow_send_postback_and_messages(served_app: BackgroundServer, demo: None) -> None:
    officer = PEOPLE[3]
    followed = api(served_app, "/sim/api/follow", {"user_id": officer.line_user_id})
    assert followed["status"] == 200
    assert followed["messages"][0]["text"].startswith("สวัสดี คุณสมชาย ตั้งใจ")

    sent = api(served_app, "/sim/api/send", {"user_id": officer.line_user_id, "text": "ช่วยเหลือ"})
    assert sent["status"] == 200
    assert "เมนู" in sent["messages"][0]["text"]

    tapped = api(served_app, "/sim/api/postback",
                 {"user_id": officer.line_user_id, "data": "action=mydata"})
    assert tapped["messages"][0]["type"] == "flex"

    history = api(served_app, f"/sim/api/messages?user_id={officer.line_user_id}")
    assert [h["kind"] for h in history] == ["reply"] * len(history)
    assert len(history) == len(followed["messages"]) + len(sent["messages"]) + 1
    assert history[0]["message"] == followed["messages"][0]


def test_a_new_user_follows_and_gets_thai_replies(served_app: BackgroundServer, demo: None) -> None:
    result = api(served_app, "/sim/api/follow", {"user_id": NEW_USER["user_id"]})
    assert result["status"] == 200
    assert "สวัสดี" in result["messages"][0]["text"]


@pytest.mark.parametrize("body", [{}, {"user_id": ""}, {"user_id": "U1", "text": ""},
                                  {"user_id": 5, "text": "x"}])
def test_bad_simulator_input_is_400(served_app: BackgroundServer, body: dict[str, Any]) -> None:
    assert requests.post(served_app.url + "/sim/api/send", json=body, timeout=5).status_code == 400


def test_the_simulator_page_works_offline(served_app: BackgroundServer) -> None:
    page = requests.get(served_app.url + "/sim", timeout=5)
    assert page.status_code == 200
    assert "จำลองแชต LINE" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    for asset in ("sim.js", "sim.css"):
        assert requests.get(f"{served_app.url}/sim/static/{asset}", timeout=5).status_code == 200


def test_the_simulator_is_never_served_in_production(settings: Settings, engine: Engine) -> None:
    app = create_app(settings.with_(mode=PRODUCTION), engine=engine)
    client = app.test_client()
    assert client.get("/sim").status_code == 404
    assert client.get("/sim/api/users").status_code == 404
    assert client.post("/fake-line/v2/bot/message/push", json={}).status_code == 404
    app.extensions["line.gateway"].close()


def test_healthz(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


@pytest.mark.parametrize("event", [text_event("สวัสดี"), postback_event("action=help"), FOLLOW],
                         ids=["text", "postback", "follow"])
def test_simulated_webhooks_are_valid_against_lines_webhook_spec(event: dict[str, Any]) -> None:
    from bot.fake_line.spec_validator import SPEC_PATH

    spec = yaml.safe_load((SPEC_PATH.parent / "webhook.yml").read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        "urn:webhook", Resource.from_contents(spec, default_specification=DRAFT4))
    validator = SpecValidator({"$ref": "urn:webhook#/components/schemas/CallbackRequest"},
                              registry=registry)
    body = json.loads(json.dumps(webhook_body("U" + "a" * 32, event, "tok")))
    errors: list[ValidationError] = list(validator.iter_errors(body))
    assert errors == []


def test_a_new_user_links_with_a_code_and_sees_their_kpis(served_app: BackgroundServer,
                                                          demo: None) -> None:
    """A newcomer's story, through the simulator: follow, code, confirm, my KPIs."""
    user = NEW_USER["user_id"]
    code = api(served_app, "/sim/api/link-code", {})
    assert code["name"] == "นางสาวศิริพร ใหม่ใจ"
    followed = api(served_app, "/sim/api/follow", {"user_id": user})
    assert "รหัสเชื่อมบัญชี" in json.dumps(followed["messages"], ensure_ascii=False)
    asked = api(served_app, "/sim/api/send", {"user_id": user, "text": code["code"].lower()})
    assert "นางสาวศิริพร ใหม่ใจ" in asked["messages"][0]["text"]
    linked = api(served_app, "/sim/api/send", {"user_id": user, "text": "ใช่ค่ะ"})
    assert "เชื่อมบัญชีเรียบร้อย" in linked["messages"][0]["text"]
    kpis = api(served_app, "/sim/api/send", {"user_id": user, "text": "ตัวชี้วัดของฉัน"})
    card = json.dumps(kpis["messages"], ensure_ascii=False)
    assert kpis["messages"][0]["type"] == "flex" and "5 ข้อ น้ำหนักรวม 100%" in card
    users = api(served_app, "/sim/api/users")
    assert [u["display_name"] for u in users if u["user_id"] == user] == ["นางสาวศิริพร ใหม่ใจ"]


def test_the_clock_control_runs_tick_and_the_reminders_arrive(
        served_app: BackgroundServer, demo: None) -> None:
    """Reminders: tick to three office days before the progress deadline, snooze, tick again;
    a report stops the officer's reminders while a colleague's go on."""
    officer = PEOPLE[3]
    bad = requests.post(served_app.url + "/sim/api/tick", json={"at": "พรุ่งนี้"}, timeout=10)
    assert bad.status_code == 400 and "วันเวลาไม่ถูกต้อง" in bad.json()["error"]
    result = api(served_app, "/sim/api/tick", {"at": "2027-02-24T09:00"})
    assert "reminder" in result["jobs"]["plan-reminders"] and result["sent"] >= 1
    pushes = [m for m in api(served_app, f"/sim/api/messages?user_id={officer.line_user_id}")
              if m["kind"] in ("push", "multicast")]
    assert "รายงานความก้าวหน้า ภายใน 1 มี.ค. 2570 (อีก 3 วันทำการ)" in pushes[-1]["message"]["text"]
    snooze = pushes[-1]["message"]["quickReply"]["items"][0]["action"]
    answer = api(served_app, "/sim/api/postback", {"user_id": officer.line_user_id,
                                                   "data": snooze["data"]})
    assert "จะเตือนอีกครั้งวันที่ 25 ก.พ. 2570" in answer["messages"][0]["text"]
    again = api(served_app, "/sim/api/tick", {"at": "2027-02-25T09:00"})
    assert again["sent"] >= 1
    latest = api(served_app, f"/sim/api/messages?user_id={officer.line_user_id}")[-1]["message"]
    assert "เตือนตามที่ขอเลื่อนไว้" in latest["text"]
    for said in ("KPI 4 ร้อยละ ๗๐", "ไม่มีครับ", "ยืนยัน"):
        assert api(served_app, "/sim/api/send", {"user_id": officer.line_user_id,
                                                 "text": said})["status"] == 200
    seen = len(api(served_app, f"/sim/api/messages?user_id={officer.line_user_id}"))
    api(served_app, "/sim/api/tick", {"at": "2027-02-26T09:00"})  # 1 office day ahead
    assert len(api(served_app, f"/sim/api/messages?user_id={officer.line_user_id}")) == seen
    colleague = api(served_app, f"/sim/api/messages?user_id={PEOPLE[4].line_user_id}")[-1]
    assert "(อีก 1 วันทำการ)" in colleague["message"]["text"]


def test_one_clock_for_the_demo(served_app: BackgroundServer, demo: None, app: Flask) -> None:
    """The clock control sets "now" for conversations and report timestamps, the jobs and the
    worker; null returns to real time."""
    from datetime import datetime

    from sqlalchemy import select

    from models import ProgressReport

    assert api(served_app, "/sim/api/clock") == {"at": None}
    bad = requests.post(served_app.url + "/sim/api/clock", json={"at": "เมื่อวาน"}, timeout=10)
    assert bad.status_code == 400 and "วันเวลาไม่ถูกต้อง" in bad.json()["error"]
    assert requests.post(served_app.url + "/sim/api/clock", json={}, timeout=10).status_code == 400
    moved = api(served_app, "/sim/api/clock", {"at": "2027-02-24T20:00"})
    at = datetime.fromisoformat(moved["at"])
    assert at.isoformat().startswith("2027-02-24T20:0") and at.utcoffset() is not None
    officer = PEOPLE[3]
    for said in ("KPI 4 ร้อยละ ๗๐", "ไม่มีครับ", "ยืนยัน"):
        assert api(served_app, "/sim/api/send", {"user_id": officer.line_user_id,
                                                 "text": said})["status"] == 200
    with app.app_context():
        from bot.db import session_scope

        with session_scope() as session:
            report = session.scalars(select(ProgressReport).order_by(
                ProgressReport.id.desc())).first()
            assert report is not None
            submitted = report.submitted_at
    assert submitted.strftime("%Y-%m-%d") == "2027-02-24"  # stored UTC: 13:00
    ticked = api(served_app, "/sim/api/tick", {"at": "2027-02-25T09:00"})
    assert ticked["at"].startswith("2027-02-25T09:00")
    assert api(served_app, "/sim/api/clock")["at"].startswith("2027-02-25T09:0")
    assert api(served_app, "/sim/api/clock", {"at": None}) == {"at": None}
    assert datetime.fromisoformat(
        api(served_app, "/sim/api/clock", {"at": "2027-03-01T08:30"})["at"]).year == 2027
    api(served_app, "/sim/api/clock", {"at": None})
    assert api(served_app, "/sim/api/clock") == {"at": None}


def test_make_runs_demo_reminds_the_officer_who_has_not_reported(
        served_app: BackgroundServer, app: Flask) -> None:
    """`make run`'s round leaves นายสมชาย without a report: ticking the clock to 7 office days
    before the progress deadline (1 Mar 2570) reminds him, and only him of the officers."""
    from scheduler.demo import prepare_demo

    with app.app_context():
        prepare_demo(app)
    worker = attach(app)
    try:
        result = api(served_app, "/sim/api/tick", {"at": "2027-02-17T09:00"})
    finally:
        worker.close()
    assert result["sent"] >= 1
    pushed = [m for m in api(served_app, f"/sim/api/messages?user_id={PEOPLE[3].line_user_id}")
              if m["kind"] in ("push", "multicast")]
    assert "รายงานความก้าวหน้า ภายใน 1 มี.ค. 2570 (อีก 7 วันทำการ)" in pushed[-1]["message"]["text"]
    for reported in (PEOPLE[4], PEOPLE[5]):
        history = api(served_app, f"/sim/api/messages?user_id={reported.line_user_id}")
        assert not any("รายงานความก้าวหน้า ภายใน" in json.dumps(m["message"], ensure_ascii=False)
                       for m in history)
