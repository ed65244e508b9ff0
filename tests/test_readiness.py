"""Who is complete before the round closes (models/readiness.py), by the close's own rule."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Round, Staff
from models.readiness import round_readiness
from models.results import close_preview, decide_missing
from tests.hr_console import seed_demo_round

TODAY = date(2026, 11, 21)


def test_readiness_agrees_with_the_close_and_follows_hrs_zero_decision(engine: Engine) -> None:
    seed_demo_round(engine, TODAY, unreported=("D0004",))
    with Session(engine) as session:
        round_ = session.scalars(select(Round)).one()
        rows = {r.staff_code: r for r in round_readiness(session, round_)}
        preview = close_preview(session, round_, TODAY)
        assert sorted(rows) == ["D0003", "D0004", "D0005", "D0006", "D0007"]
        assert sum(r.complete for r in rows.values()) == preview.complete == 4
        assert rows["D0004"].reasons == ["ยังไม่มีรายงาน: ตัวชี้วัดข้อ 1, 2, 3, 4, 5"]
        assert rows["D0004"].unit == "กองยุทธศาสตร์และแผนงาน"

        officer = session.scalars(select(Staff).where(Staff.staff_code == "D0004")).one()
        decide_missing(session, round_, officer, True, "ลาป่วยยาวทั้งรอบ")
        session.flush()
        after = {r.staff_code: r for r in round_readiness(session, round_)}
        assert after["D0004"].complete and after["D0004"].scored_zero
        assert close_preview(session, round_, TODAY).complete == 5
        decide_missing(session, round_, officer, False, "รอผล")
        session.flush()
        assert not {r.staff_code: r for r in round_readiness(session, round_)}["D0004"].complete
