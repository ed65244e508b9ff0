"""Benchmark: the "ตัวชี้วัดของฉัน" answer for one officer in a 20,000-staff database.

    .venv/bin/python bench/my_kpis.py            # SQLite and PostgreSQL
    .venv/bin/python bench/my_kpis.py --db sqlite

Builds a fresh, migrated database with 20,000 linked officers and 100,000 KPIs (5 each) for the
current round, then asks the router for "ตัวชี้วัดของฉัน" as 500 random officers and reports the
time per answer (p50, p99, max: the handler's work including its SQL, not LINE's network) and the
number of SQL statements per answer. Target: under 50 ms, a bounded number of queries.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.webhook import bench_agency, database  # noqa: E402
from handlers import router  # noqa: E402
from handlers.events import TextReceived  # noqa: E402
from models import Kpi, KpiAgreement, LineUser, Staff  # noqa: E402
from models.db import make_engine, make_session_factory  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.rounds import round_of  # noqa: E402

STAFF = 20_000
KPIS_EACH = 5
NOW = datetime.now(timezone(timedelta(hours=7)))


def build(url: str) -> list[str]:
    """20,000 linked officers with 5 KPIs each in the current round; return LINE user ids."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        agency, unit, round_ = bench_agency(session, *round_of(NOW.date()))
        session.execute(insert(Staff), [
            {"agency_id": agency.id, "unit_id": unit.id, "staff_code": f"B{i:06d}",
             "name_th": f"นายทดสอบ คนที่{i}", "position": "นักวิเคราะห์", "level": "",
             "position_type": "ทั่วไป", "is_hipps": False, "active": True, "created_at": NOW}
            for i in range(STAFF)])
        ids = session.scalars(select(Staff.id).order_by(Staff.id)).all()
        users = [f"U{i:032x}" for i in range(STAFF)]
        session.execute(insert(LineUser), [
            {"user_id": u, "staff_id": s, "following": True, "first_seen_at": NOW,
             "failed_link_attempts": 0} for u, s in zip(users, ids, strict=True)])
        session.execute(insert(KpiAgreement), [
            {"officer_id": s, "round_id": round_.id, "signed_at": NOW} for s in ids])
        agreements = session.scalars(select(KpiAgreement.id)).all()
        session.execute(insert(Kpi), [
            {"agreement_id": a, "number": n, "name": f"ร้อยละของงานที่ {n} แล้วเสร็จ",
             "unit": "ร้อยละ", "weight": Decimal(20), "target": Decimal(80),
             "level1": 60, "level2": 70, "level3": 80, "level4": 90, "level5": 100,
             "allow_over_100": False}
            for a in agreements for n in range(1, KPIS_EACH + 1)])
        session.commit()
    engine.dispose()
    return users


def measure(url: str, users: list[str], samples: int) -> tuple[list[float], list[int]]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    statements: list[int] = [0]
    event.listen(engine, "before_cursor_execute",
                 lambda *_a: statements.__setitem__(0, statements[0] + 1))
    times, counts = [], []
    rng = random.Random(7)
    for i in range(samples + 50):
        user = rng.choice(users)
        with sessions() as session:
            statements[0] = 0
            started = time.perf_counter()
            replies = router.handle(session, TextReceived(user_id=user, at=NOW, text="ตัวชี้วัดของฉัน"),
                                    NOW, tz=NOW.tzinfo, public_base_url="http://127.0.0.1:8000")
            session.commit()
            elapsed = time.perf_counter() - started
        assert replies[0]["type"] == "flex", replies
        if i >= 50:  # after warm-up
            times.append(elapsed * 1000)
            counts.append(statements[0])
    engine.dispose()
    return times, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--samples", type=int, default=500)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print("| database | build s | p50 ms | p99 ms | max ms | SQL statements per answer |")
    print("|---|---:|---:|---:|---:|---|")
    ok = True
    for kind in kinds:
        with database(kind) as url:
            started = time.perf_counter()
            users = build(url)
            built = time.perf_counter() - started
            times, counts = measure(url, users, args.samples)
        ordered = sorted(times)
        p99 = ordered[int(len(ordered) * 0.99)]
        print(f"| {kind} | {built:.1f} | {statistics.median(ordered):.1f} | {p99:.1f} | "
              f"{ordered[-1]:.1f} | {min(counts)}–{max(counts)} |")
        ok &= p99 < 50 and max(counts) == min(counts)
    print("\ntargets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
