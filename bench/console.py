"""Benchmark of the HR console: 20,000 staff, 100,000 KPIs.

    .venv/bin/python bench/console.py [--staff 20000] [--database-url URL]

Builds a migrated scratch database (SQLite by default, or the PostgreSQL URL given: a scratch
database is created and dropped there), one round with a 5-KPI agreement per person and
progress reports for about 60% of them, then measures:
  * the round dashboard (`GET /hr/`, signed in, through the Flask app): target < 500 ms;
  * the round's XLSX export (100,000 rows) in a fresh process, as `flask hr export round`
    does it: target < 20 s with peak RSS < 400 MB.

    .venv/bin/python bench/console.py --pdf [--staff 2000] [--workers CPUS]

instead builds a closed round of 2,000 officers (results approved, ดีเด่น/ดีมาก/ดี for most) and
writes its official PDFs as one zip in a fresh process, as `flask hr documents round` does
(every result PDF and the certificates): target < 60 s and < 500 MB (the process and its
pool's largest worker).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

UNITS = 40
REPORTED = 0.6


def build(engine: Engine, staff_count: int) -> None:
    from sqlalchemy.orm import Session

    from models import (
        Agency,
        Kpi,
        KpiAgreement,
        LineUser,
        ProgressReport,
        Role,
        RoleAssignment,
        Staff,
        Unit,
    )
    from models.rounds import add_default_deadline_rules, open_round

    now = datetime.now(UTC)
    with Session(engine) as session:
        agency = Agency(code="BENCH", name_th="กรมทดสอบสมรรถนะ")
        session.add(agency)
        session.flush()
        add_default_deadline_rules(session, agency.id)
        units = [Unit(agency_id=agency.id, code=f"U{i:02d}", name_th=f"กองที่ {i} ทดสอบระบบงาน")
                 for i in range(UNITS)]
        session.add_all(units)
        session.flush()
        round_ = open_round(session, agency.id, 2570, 1)
        unit_ids, agency_id, round_id = [u.id for u in units], agency.id, round_.id
        session.commit()
    with engine.begin() as connection:
        connection.execute(insert(Staff), [
            {"agency_id": agency_id, "unit_id": unit_ids[i % UNITS], "staff_code": f"B{i:06d}",
             "name_th": f"นายทดสอบ ลำดับที่{i:06d}", "position": "นักวิเคราะห์นโยบายและแผน",
             "level": "ชำนาญการ", "position_type": "ทั่วไป", "is_hipps": i % 50 == 0,
             "active": True, "created_at": now} for i in range(staff_count)])
        staff_ids = list(connection.scalars(select(Staff.id).where(Staff.agency_id == agency_id)
                                            .order_by(Staff.id)))
        connection.execute(insert(KpiAgreement), [
            {"officer_id": sid, "round_id": round_id, "signed_at": now} for sid in staff_ids])
        agreements = dict(connection.execute(select(KpiAgreement.officer_id, KpiAgreement.id)
                                             .where(KpiAgreement.round_id == round_id)).all())
        rows = []
        for sid in staff_ids:
            for n, weight in enumerate((30, 20, 20, 15, 15), 1):
                rows.append({"agreement_id": agreements[sid], "number": n,
                             "name": f"ร้อยละของงานที่ {n} แล้วเสร็จตามกำหนด", "unit": "ร้อยละ",
                             "weight": weight, "target": 80, "level1": 60, "level2": 70,
                             "level3": 80, "level4": 90, "level5": 100, "allow_over_100": False})
        for start in range(0, len(rows), 20000):
            connection.execute(insert(Kpi), rows[start:start + 20000])
        kpis = connection.execute(select(Kpi.id, KpiAgreement.officer_id).join(
            KpiAgreement, KpiAgreement.id == Kpi.agreement_id).where(Kpi.number <= 2)).all()
        reports = [{"officer_id": officer, "round_id": round_id, "kind": "kpi", "kpi_id": kid,
                    "version": 1, "status": "confirmed" if officer % 3 else "pending",
                    "value": 40, "target": 80, "percent": 50, "note": "", "title": "",
                    "summary": "", "reported_on": date(2026, 11, 20), "created_at": now,
                    "submitted_at": now, "send_back_reason": ""}
                   for kid, officer in kpis if (officer % 10) < REPORTED * 10]
        for start in range(0, len(reports), 20000):
            connection.execute(insert(ProgressReport), reports[start:start + 20000])
        hr = staff_ids[0]
        connection.execute(insert(RoleAssignment), [{"staff_id": hr, "role": Role.HR_ADMIN}])
        connection.execute(insert(LineUser), [{"user_id": "U" + "b" * 32, "staff_id": hr,
                                               "following": True, "first_seen_at": now,
                                               "failed_link_attempts": 0}])


def bench_dashboard(url: str, runs: int) -> dict[str, float]:
    from bot.app import create_app
    from bot.settings import Settings
    from handlers import console_login
    from models import ConsoleLoginToken

    app = create_app(Settings(database_url=url, secret_key="bench"))
    app.logger.disabled = True
    with app.app_context():
        from bot import db

        with db.session_scope() as session:
            hr = session.scalar(select(ConsoleLoginToken.staff_id).limit(1))
            from models import Role, RoleAssignment

            hr = session.scalar(select(RoleAssignment.staff_id).where(
                RoleAssignment.role == Role.HR_ADMIN))
            now = datetime.now(UTC)
            session.add(ConsoleLoginToken(token_hash=console_login.digest("bench-token"),
                                          staff_id=hr, expires_at=now + timedelta(minutes=10)))
            session.commit()
    client = app.test_client()
    assert client.post("/hr/login/bench-token").status_code == 302
    timings = []
    for run in range(runs + 1):
        started = time.perf_counter()
        response = client.get("/hr/")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200 and "<svg" in response.get_data(as_text=True)
        if run:  # the first request warms templates and caches
            timings.append(elapsed)
    people = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get("/hr/people?state=not_reported&q=ลำดับ").status_code == 200
        people.append((time.perf_counter() - started) * 1000)
    return {"dashboard_median_ms": statistics.median(timings), "dashboard_max_ms": max(timings),
            "people_search_median_ms": statistics.median(people)}


def export_child(url: str, path: str) -> None:
    """In a fresh process: the round's XLSX export; prints seconds, rows and peak RSS."""
    from sqlalchemy.orm import Session

    from bot import exports
    from models import Round
    from models.db import make_engine

    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        round_ = session.scalars(select(Round)).one()
        table = exports.round_table(session, round_, ZoneInfo("Asia/Bangkok"))
        exports.write(table, "xlsx", path)
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"export_seconds": seconds, "export_peak_rss_mb": rss_mb,
                      "export_bytes": Path(path).stat().st_size}))


def build_results(engine: Engine) -> None:
    """Approved results for every officer of the round, as `round close` and the evaluator
    leave them: five KPI levels, five competency scores, the overall and its band."""
    from decimal import Decimal

    from models import Round, Staff
    from models.appraisal import (
        CORE_COMPETENCIES,
        Appraisal,
        CompetencyScore,
        achievement_score,
        band_for,
        competency_score,
        overall_score,
    )

    now = datetime.now(UTC)
    with engine.begin() as connection:
        round_id = connection.scalar(select(Round.id))
        staff = list(connection.scalars(select(Staff.id).order_by(Staff.id)))
        appraisals, scores = [], []
        for index, sid in enumerate(staff):
            levels = [5 - (index + n) % 3 for n in range(5)]
            weights = (30, 20, 20, 15, 15)
            competencies = [5 - (index + n) % 2 for n in range(5)]
            achievement = achievement_score((Decimal(w), lv) for w, lv in zip(weights, levels,
                                                                             strict=True))
            competency = competency_score(competencies)
            overall = overall_score(achievement, competency, 70, 30)
            appraisals.append({
                "officer_id": sid, "round_id": round_id, "achievement": achievement,
                "competency": competency, "overall": overall, "band": band_for(overall),
                "achievement_weight": 70, "competency_weight": 30, "status": "approved",
                "computed_at": now, "approved_by_id": staff[0], "approved_at": now,
                "officer_comment": "", "missing_as_zero": False, "missing_reason": "",
                "kpi_levels": [{"number": n, "weight": str(w), "result": str(60 + 10 * lv),
                                "level": lv} for n, (w, lv) in enumerate(zip(
                                    weights, levels, strict=True), 1)]})
            scores += [{"officer_id": sid, "round_id": round_id, "competency": code,
                        "score": value, "comment": "", "assessor_id": staff[0], "at": now}
                       for (code, _name), value in zip(CORE_COMPETENCIES, competencies,
                                                       strict=True)]
        connection.execute(insert(Appraisal), appraisals)
        connection.execute(insert(CompetencyScore), scores)


def pdf_child(url: str, path: str, workers: int) -> None:
    """In a fresh process: the round's official PDFs as one zip; prints seconds and peak RSS."""
    import zipfile

    from sqlalchemy.orm import Session

    from bot.documents import zips
    from models import Round
    from models.db import make_engine

    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        round_ = session.scalars(select(Round)).one()
        names = zips.round_zip(session, round_, path, workers=workers)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu = sum(getattr(resource.getrusage(who), field) for who in (
        resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for field in ("ru_utime", "ru_stime"))
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == names and archive.testzip() is None
    print(json.dumps({"pdf_seconds": seconds, "pdf_cpu_seconds": cpu, "pdf_peak_rss_mb": own,
                      "pdf_worker_peak_rss_mb": child, "pdf_files": len(names),
                      "pdf_results": sum(n.startswith("results/") for n in names),
                      "pdf_certificates": sum(n.startswith("certificates/") for n in names),
                      "pdf_zip_mb": Path(path).stat().st_size / 1e6}))


@contextmanager
def scratch_database(database_url: str, name: str) -> Iterator[tuple[Engine, str, str]]:
    """A migrated database of its own (PostgreSQL when a URL is given, else SQLite) and a
    temporary folder beside it: (engine, url, folder)."""
    from models.db import make_engine, scratch_postgres_database
    from models.migrate import upgrade

    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        if database_url:
            url = stack.enter_context(scratch_postgres_database(database_url,
                                                                prefix=f"bench{name}"))
        else:
            url = f"sqlite:///{folder}/{name}.sqlite3"
        engine = make_engine(url)
        upgrade(engine)
        yield engine, url, folder


def bench_pdfs(args: argparse.Namespace) -> None:
    with scratch_database(args.database_url, "pdf") as (engine, url, folder):
        build(engine, args.staff)
        build_results(engine)
        engine.dispose()
        out = subprocess.run([sys.executable, __file__, "--pdf-child", url, f"{folder}/round.zip",
                              str(args.workers)], capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(out.stderr)
        figures = {"database": engine.dialect.name, "officers": args.staff,
                   "workers": args.workers, **json.loads(out.stdout.strip().splitlines()[-1])}
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    ok = (figures["pdf_seconds"] < 60  # type: ignore[operator]  # numbers here
          and figures["pdf_peak_rss_mb"] + figures["pdf_worker_peak_rss_mb"] < 500)  # type: ignore[operator]  # numbers here
    print("targets met" if ok else "TARGETS NOT MET")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--export-child", nargs=2, metavar=("URL", "PATH"))
    parser.add_argument("--pdf", action="store_true",
                        help="the official PDFs of a 2,000-officer round instead")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pdf-child", nargs=3, metavar=("URL", "PATH", "WORKERS"))
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return
    if args.pdf_child:
        pdf_child(args.pdf_child[0], args.pdf_child[1], int(args.pdf_child[2]))
        return
    if args.pdf:
        if args.staff == 20000:
            args.staff = 2000
        bench_pdfs(args)
        return
    with scratch_database(args.database_url, "console") as (engine, url, folder):
        started = time.perf_counter()
        build(engine, args.staff)
        if engine.dialect.name == "postgresql":
            # The rows were bulk-inserted here; a real database has its statistics (the
            # importers ANALYZE after a commit, autovacuum later for reports). Without this,
            # PostgreSQL plans with empty-table estimates (people search: 59 s instead of 0.04 s).
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("ANALYZE"))
        print(f"built {args.staff:,} staff in {time.perf_counter() - started:.1f} s "
              f"({engine.dialect.name})", flush=True)
        figures: dict[str, object] = {"database": engine.dialect.name, "staff": args.staff}
        figures.update(bench_dashboard(url, args.runs))
        out = subprocess.run([sys.executable, __file__, "--export-child", url,
                              f"{folder}/round.xlsx"], capture_output=True, text=True, check=True)
        figures.update(json.loads(out.stdout.strip().splitlines()[-1]))
        from openpyxl import load_workbook

        sheet = load_workbook(f"{folder}/round.xlsx", read_only=True).active
        figures["export_rows"] = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
        engine.dispose()
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    ok = (figures["dashboard_median_ms"] < 500 and figures["export_seconds"] < 20  # type: ignore[operator]  # numbers here
          and figures["export_peak_rss_mb"] < 400)  # type: ignore[operator]  # numbers here
    print("targets met" if ok else "TARGETS NOT MET")


if __name__ == "__main__":
    main()
