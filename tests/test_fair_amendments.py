"""Amending a signed agreement as a whole: re-weight, add or remove KPIs; one card for the
evaluator; approve and reject at once decide exactly once."""
from __future__ import annotations

import json
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from handlers import texts
from models import AuditEntry, Kpi, KpiAgreement, ProgressReport, ReportKind, ReportStatus
from models.amendments import AlreadyDecided, KpiAmendment, decide_amendment
from tests.builders import make_agreement, make_officer
from tests.chat import NOW, Line, postbacks, said


def kpi(name: str, weight: int) -> dict[str, Any]:
    return {"name": name, "unit": "ร้อยละ", "weight": weight, "target": 80, "level1": 60,
            "level2": 70, "level3": 80, "level4": 90, "level5": 100}


def office(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        officer, officer_user = make_officer(session, name="นายสมชาย ตั้งใจ")
        evaluator, evaluator_user = make_officer(session, name="นายวิชัย ศรีสุข",
                                                 unit=officer.unit)
        officer.supervisor_id = evaluator.id
        agreement = make_agreement(session, officer)  # weights 30, 20, 20, 15, 15, signed
        session.add(ProgressReport(officer_id=officer.id, round_id=agreement.round_id,
                                   kind=ReportKind.KPI, kpi_id=agreement.kpis[4].id,
                                   percent=Decimal(50), status=ReportStatus.CONFIRMED,
                                   reported_on=NOW.date()))
        session.commit()
        assert officer.unit is not None
        return {"agency_code": session.get(type(officer.unit), officer.unit_id).agency.code,
                "code": officer.staff_code, "officer_user": officer_user,
                "evaluator_user": evaluator_user, "agreement": agreement.id,
                "evaluator": evaluator.id}


def amend(line: Line, o: dict[str, Any], rows: list[dict[str, Any]], tmp_path: Path,
          ok: bool = True) -> Any:
    file = tmp_path / "amended.json"
    file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    result = line.app.test_cli_runner().invoke(args=[
        "kpi", "amend", "2570", "1", o["code"], str(file), "--reason", "งานที่ได้รับมอบหมายเปลี่ยน",
        "--agency", o["agency_code"]])
    assert (result.exit_code == 0) is ok, result.output
    return result


def weights(engine: Engine, o: dict[str, Any]) -> list[tuple[int, str, Decimal]]:
    with Session(engine) as session:
        return [(k.number, k.name, k.weight) for k in session.scalars(
            select(Kpi).where(Kpi.agreement_id == o["agreement"]).order_by(Kpi.number))]


def test_moving_weight_between_kpis_in_one_amendment(line: Line, engine: Engine,
                                                     tmp_path: Path) -> None:
    o = office(engine)
    old = weights(engine, o)
    rows = [kpi(name, int(w)) for _n, name, w in old]
    rows[0]["weight"], rows[1]["weight"] = 25, 25  # 5 points from KPI 1 to KPI 2
    amend(line, o, rows, tmp_path)
    cards = [c for c in line.pushed(o["evaluator_user"]) if "ขอแก้ไขข้อตกลง" in c["altText"]]
    assert len(cards) == 1  # one card for the whole amendment
    assert "30 → 25 %" in said(cards) and "20 → 25 %" in said(cards)
    assert texts.STALE_BUTTON in said(line.tap(o["officer_user"], postbacks(cards)["อนุมัติ"]))
    assert "บันทึกแล้ว: อนุมัติ" in said(line.tap(o["evaluator_user"], postbacks(cards)["อนุมัติ"]))
    assert texts.ALREADY_DECIDED in said(line.tap(o["evaluator_user"],
                                                  postbacks(cards)["ไม่อนุมัติ"]))
    assert [w for _n, _name, w in weights(engine, o)] == [25, 25, 20, 15, 15]
    told = [m for m in line.pushed(o["officer_user"]) if "แก้ไขข้อตกลง" in said([m])]
    assert len(told) == 1 and "ได้รับการอนุมัติ" in said(told)


def test_adding_and_removing_kpis(line: Line, engine: Engine, tmp_path: Path) -> None:
    o = office(engine)
    six = [kpi(f"งานที่ {n}", w) for n, w in enumerate((20, 20, 20, 15, 15, 10), start=1)]
    amend(line, o, six, tmp_path)
    card = [c for c in line.pushed(o["evaluator_user"]) if "ขอแก้ไขข้อตกลง" in c["altText"]]
    assert "(เพิ่มใหม่)" in said(card)
    line.tap(o["evaluator_user"], postbacks(card)["อนุมัติ"])
    assert [(n, w) for n, _name, w in weights(engine, o)] == [
        (1, 20), (2, 20), (3, 20), (4, 15), (5, 15), (6, 10)]
    five = [kpi(f"งานที่ {n}", w) for n, w in enumerate((25, 20, 20, 20, 15), start=1)]
    amend(line, o, five, tmp_path)
    card = [c for c in line.pushed(o["evaluator_user"]) if "ขอแก้ไขข้อตกลง" in c["altText"]][-1:]
    assert "(ลบออก)" in said(card)
    line.tap(o["evaluator_user"], postbacks(card)["อนุมัติ"])
    assert [(n, w) for n, _name, w in weights(engine, o)] == [
        (1, 25), (2, 20), (3, 20), (4, 20), (5, 15)]


@pytest.mark.parametrize(("rows", "said_th"), [
    ([kpi("ก", 30), kpi("ข", 20), kpi("ค", 20), kpi("ง", 15), kpi("จ", 20)], "รวมได้ 105"),
    ([kpi("ก", 30), kpi("ข", 20), kpi("ค", 20), kpi("ง", 15), kpi("จ", 10)], "รวมได้ 95"),
    ([kpi(f"ข้อ {n}", 10) for n in range(11)], "1–10 ข้อ"),
    ([kpi("ก", 100), kpi("ข", 0)][:1] + [{**kpi("ข", 0), "level3": "x"}], "ตัวเลข"),
    ([kpi("ก", 50), kpi("ข", 50)], "ตัวชี้วัดที่ 5 มีรายงานแล้ว"),  # KPI 5 has a report
])
def test_a_bad_amendment_is_refused_in_thai_and_changes_nothing(
        line: Line, engine: Engine, tmp_path: Path, rows: list[dict[str, Any]],
        said_th: str) -> None:
    o = office(engine)
    before = weights(engine, o)
    result = amend(line, o, rows, tmp_path, ok=False)
    assert said_th in result.output and "Traceback" not in result.output
    assert weights(engine, o) == before
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(KpiAmendment)) == 0


def test_approve_and_reject_at_once_decide_exactly_once(line: Line, engine: Engine,
                                                        tmp_path: Path) -> None:
    o = office(engine)
    rows = [kpi(name, int(w)) for _n, name, w in weights(engine, o)]
    rows[0]["weight"], rows[1]["weight"] = 25, 25
    amend(line, o, rows, tmp_path)
    with Session(engine) as session:
        amendment_id = session.scalars(select(KpiAmendment.id)).one()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(approve: bool) -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                decide_amendment(session, amendment_id, approve=approve,
                                 decided_by_id=o["evaluator"], at=datetime.now(NOW.tzinfo))
                session.commit()
                outcomes["approve" if approve else "reject"] = "won"
            except AlreadyDecided:
                session.rollback()
                outcomes["approve" if approve else "reject"] = "already"

    threads = [threading.Thread(target=decide, args=(flag,)) for flag in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["already", "won"]
    with Session(engine) as session:
        amendment = session.get(KpiAmendment, amendment_id)
        assert amendment is not None
        decided = session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("agreement.amendment_%"),
            AuditEntry.action != "agreement.amendment_requested")).all()
        assert len(decided) == 1 and decided[0].endswith(amendment.status)
        kpis = session.scalars(select(Kpi.weight).join(KpiAgreement).where(
            KpiAgreement.id == o["agreement"]).order_by(Kpi.number)).all()
        assert kpis == ([25, 25, 20, 15, 15] if outcomes["approve"] == "won"
                        else [30, 20, 20, 15, 15])
