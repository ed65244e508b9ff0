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


def test_staff_and_kpi_import_commands(app: Flask, engine: Engine, tmp_path: object) -> None:
    from pathlib import Path

    from sqlalchemy import func, select

    from models import Kpi, Staff

    folder = Path(str(tmp_path))
    staff = folder / "staff.csv"
    staff.write_text("รหัสบุคลากร,ชื่อ-สกุล,ตำแหน่ง,รหัสหน่วยงาน,หน่วยงาน\n"
                     "T001,นายหนึ่ง ทดสอบ,นักวิเคราะห์,U1,กองทดสอบ\n"
                     "T002,นางสองทดสอบ,นักวิเคราะห์,U1,กองทดสอบ\n", encoding="utf-8-sig")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "import", str(staff), "--agency", "T",
                                 "--agency-name", "กรมทดสอบ"])
    assert result.exit_code == 0, result.output
    kpis = folder / "kpis.csv"
    header = "staff_code,kpi_no,kpi_name,weight,target,level1,level2,level3,level4,level5\n"
    good = "".join(f"T001,{n},งานที่ {n},{w},10,6,7,8,9,10\n" for n, w in [(1, 60), (2, 40)])
    bad = "T002,1,งานเดียว,90,10,6,7,8,9,10\n"  # weights sum to 90
    kpis.write_text(header + good + bad, encoding="utf-8")
    refused = runner.invoke(args=["kpi", "import", str(kpis), "--fiscal-year", "2570",
                                  "--round", "1"])
    assert refused.exit_code != 0
    assert "แถว 4" in refused.output and "line 4" in refused.output
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Kpi)) == 0
    accepted = runner.invoke(args=["kpi", "import", str(kpis), "--fiscal-year", "2570",
                                   "--round", "1", "--skip-bad"])
    assert accepted.exit_code == 0, accepted.output
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Kpi)) == 2
        assert session.scalar(select(func.count()).select_from(Staff)) == 2
