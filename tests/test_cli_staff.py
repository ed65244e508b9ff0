"""`flask staff link-codes`: HR hands out one-time codes; a code links exactly one account."""
from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from tests.builders import make_agency, make_officer, send, text_event
from tests.conftest import TEST_SECRET


def test_link_codes_json_for_everyone_not_linked(app: Flask, engine: Engine,
                                                 fake_line: FakeLine) -> None:
    with Session(engine) as session:
        _agency, unit = make_agency(session)
        waiting, _ = make_officer(session, name="นายรอ เชื่อม", linked=False, unit=unit)
        make_officer(session, name="นายเชื่อม แล้ว", unit=unit)
        session.commit()
        code_of_waiting = waiting.staff_code
    result = app.test_cli_runner().invoke(args=["staff", "link-codes", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["staff_code"], r["name"]) for r in rows] == [(code_of_waiting, "นายรอ เชื่อม")]
    assert set(rows[0]) == {"staff_code", "name", "code", "expires_at"}
    assert rows[0]["expires_at"].endswith("+07:00")

    # the code works over LINE, through the real webhook
    client = app.test_client()
    user_id = "U" + "c" * 32
    replies = send(client, fake_line, TEST_SECRET, user_id, text_event(rows[0]["code"]))
    assert "นายรอ เชื่อม" in replies[0]["text"]
    replies = send(client, fake_line, TEST_SECRET, user_id, text_event("ใช่"))
    assert "เชื่อมบัญชีเรียบร้อย" in replies[0]["text"]

    again = app.test_cli_runner().invoke(args=["staff", "link-codes", "--format", "json"])
    assert json.loads(again.output) == []


def test_unknown_staff_codes_are_refused(app: Flask, engine: Engine) -> None:
    with Session(engine) as session:
        make_agency(session)
        session.commit()
    result = app.test_cli_runner().invoke(args=["staff", "link-codes", "NOPE1"])
    assert result.exit_code != 0
    assert "NOPE1" in result.output
