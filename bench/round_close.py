"""Benchmark: closing a round of a 20,000-staff agency, and HR's files afterwards.

    .venv/bin/python bench/round_close.py            # SQLite and PostgreSQL
    .venv/bin/python bench/round_close.py --db sqlite --staff 5000

Builds a fresh migrated database: STAFF officers with 5 KPIs each, one confirmed result per
KPI, 5 competency scores each (1 in 20 officers lands under 60 and opens a low-performer case,
which pushes a card to the supervisor through the outbox), IDP items for half of them, and
HIPPS HiPPS officers with a submitted report. Then times, each in its own transaction:
`close_round` (first close), closing again (recompute), `results` (what `flask round results`
prints), `development_metrics` and `hipps_export` (one XLSX per HiPPS officer + summary), and
counts their SQL statements. Targets (ours; the issue sets none): the first close under 60 s
and a number of statements that grows only with the number of low performers, not of staff.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.webhook import bench_agency, database  # noqa: E402
from handlers.appraisals import close_round  # noqa: E402
from handlers.hr_reports import development_metrics, hipps_export  # noqa: E402
from models import (  # noqa: E402
    Kpi,
    KpiAgreement,
    LineUser,
    ProgressReport,
    Round,
    Staff,
)
from models.appraisal import CORE_COMPETENCIES, CompetencyScore  # noqa: E402
from models.db import make_engine, make_session_factory  # noqa: E402
from models.development import Idp, IdpItem  # noqa: E402
from models.hipps import HippsReport  # noqa: E402
from models.hipps_reports import assemble  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.results import round_results as results  # noqa: E402

BKK = timezone(timedelta(hours=7))
NOW = datetime(2027, 4, 2, 9, 0, tzinfo=BKK)
KPIS_EACH = 5


def build(url: str, staff: int, hipps: int) -> int:
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        agency, unit, round_ = bench_agency(session, 2570, 1)
        boss = Staff(agency_id=agency.id, unit_id=unit.id, staff_code="BOSS", name_th="นายหัวหน้า")
        session.add(boss)
        session.flush()
        session.execute(insert(Staff), [
            {"agency_id": agency.id, "unit_id": unit.id, "staff_code": f"B{i:06d}",
             "name_th": f"นายทดสอบ คนที่{i}", "position": "นักวิเคราะห์", "level": "",
             "position_type": "ทั่วไป", "is_hipps": i < hipps, "active": True,
             "created_at": NOW, "supervisor_id": boss.id} for i in range(staff)])
        ids = session.scalars(select(Staff.id).where(Staff.id != boss.id).order_by(Staff.id)).all()
        session.execute(insert(LineUser), [
            {"user_id": f"U{i:032x}", "staff_id": s, "following": True, "first_seen_at": NOW,
             "failed_link_attempts": 0} for i, s in enumerate([boss.id, *ids])])
        session.execute(insert(KpiAgreement), [
            {"officer_id": s, "round_id": round_.id, "signed_at": NOW} for s in ids])
        agreements = dict(session.execute(select(KpiAgreement.id, KpiAgreement.officer_id)).all())
        session.execute(insert(Kpi), [
            {"agreement_id": a, "number": n, "name": f"ร้อยละของงานที่ {n} แล้วเสร็จ",
             "unit": "ร้อยละ", "weight": Decimal(20), "target": Decimal(80),
             "level1": 60, "level2": 70, "level3": 80, "level4": 90, "level5": 100,
             "allow_over_100": False}
            for a in agreements for n in range(1, KPIS_EACH + 1)])
        index = {s: i for i, s in enumerate(ids)}
        kpis = session.execute(select(Kpi.id, Kpi.agreement_id, Kpi.number)).all()
        session.execute(insert(ProgressReport), [
            {"officer_id": agreements[a], "round_id": round_.id, "kind": "kpi", "kpi_id": k,
             "version": 1, "status": "confirmed",
             "percent": Decimal(65 if index[agreements[a]] % 20 == 0 else 60 + 8 * n),
             "note": "", "title": "", "summary": "", "reported_on": date(2027, 3, 20),
             "created_at": NOW, "submitted_at": NOW, "send_back_reason": ""}
            for k, a, n in kpis])
        session.execute(insert(CompetencyScore), [
            {"officer_id": s, "round_id": round_.id, "competency": code,
             "score": 3 if index[s] % 20 == 0 else 4, "comment": "", "assessor_id": boss.id,
             "at": NOW} for s in ids for code, _ in CORE_COMPETENCIES])
        session.execute(insert(Idp), [{"officer_id": s, "fiscal_year": 2570, "mandatory": False,
                                       "created_at": NOW} for s in ids[::2]])
        session.execute(insert(IdpItem), [
            {"idp_id": i, "topic": "การวิเคราะห์ข้อมูล", "method": "training",
             "target_date": date(2027, 9, 30), "status": "in_progress" if i % 3 else "planned",
             "created_at": NOW, "updated_at": NOW}
            for i in session.scalars(select(Idp.id))])
        stars = session.scalars(select(Staff).where(Staff.is_hipps.is_(True))).all()
        for star in stars:
            session.add(HippsReport(officer_id=star.id, round_id=round_.id, version=1,
                                    content=assemble(session, star, round_), status="submitted",
                                    submitted_at=NOW))
        session.commit()
        round_id = round_.id
    engine.dispose()
    return round_id


def timed(url: str, round_id: int, what: str) -> tuple[float, int, str]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    statements = [0]
    event.listen(engine, "before_cursor_execute",
                 lambda *_a: statements.__setitem__(0, statements[0] + 1))
    with sessions() as session:
        round_ = session.get(Round, round_id)
        assert round_ is not None
        statements[0] = 0
        started = time.perf_counter()
        if what == "close":
            summary = close_round(session, round_, NOW, NOW.date())
            note = f"{summary.computed} computed, {summary.cases_opened} cases opened"
        elif what == "results":
            rows = results(session, round_)
            note = f"{len(rows)} rows"
        elif what == "metrics":
            metrics = development_metrics(session, round_.agency_id, 2570)
            note = f"{metrics.pct_with_idp}% with IDP, {metrics.pct_acting}% acting"
        else:
            files = hipps_export(session, round_, ZoneInfo("Asia/Bangkok"))
            note = (f"{len(files) - 1} workbooks + summary, "
                    f"{sum(map(len, files.values())) // 1024} KB")
        session.commit()
        elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, statements[0], note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--staff", type=int, default=20_000)
    parser.add_argument("--hipps", type=int, default=200)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print("| database | step | s | SQL statements | result |")
    print("|---|---|---:|---:|---|")
    ok = True
    for kind in kinds:
        with database(kind) as url:
            started = time.perf_counter()
            round_id = build(url, args.staff, args.hipps)
            print(f"| {kind} | build {args.staff:,} officers | {time.perf_counter() - started:.1f} "
                  f"| – | {args.staff * KPIS_EACH:,} KPIs and confirmed results |")
            for step, what in (("round close (first)", "close"), ("round close (again)", "close"),
                               ("round results", "results"), ("hr metrics", "metrics"),
                               ("hipps export", "export")):
                elapsed, count, note = timed(url, round_id, what)
                print(f"| {kind} | {step} | {elapsed:.2f} | {count:,} | {note} |")
                if step == "round close (first)":
                    ok &= elapsed < 60
    print("\ntargets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
