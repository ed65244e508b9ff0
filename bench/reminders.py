"""Benchmark: plan one day's reminders for 100,000 officers, and deliver 20,000 pushes.

    .venv/bin/python bench/reminders.py                 # both databases, both parts
    .venv/bin/python bench/reminders.py --db sqlite --part plan

Plan: a fresh, migrated database with 100,000 linked officers (signed agreements in round
1/2570, 500 supervisors), half of them behind (no progress report), the other half with a
confirmed report. The planner then runs for Wednesday 24 February 2027 09:00 (three office days
before the progress report is due) in a fresh process, which reports its wall time and peak RSS
(VmHWM). Target: under 10 s and under 400 MB.

Deliver: 20,000 different pushes in the outbox, one delivery worker (`DeliveryWorker`, the
`python -m scheduler.worker` loop) sends them to the fake LINE API (gunicorn on loopback, which
validates every request against LINE's OpenAPI spec). Reports pushes/s for the worker and the
ratio to LINE's 2,000 requests/s push limit. Target: at least 500/s per worker.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.webhook import bench_agency, database, gunicorn  # noqa: E402
from models import (  # noqa: E402
    KpiAgreement,
    LineUser,
    OutboxMessage,
    OutboxStatus,
    ProgressReport,
    Staff,
)
from models.db import make_engine, make_session_factory  # noqa: E402
from models.migrate import upgrade  # noqa: E402

OFFICERS = 100_000
SUPERVISORS = 500
PUSHES = 20_000
TOKEN = "bench-token"
BANGKOK = timezone(timedelta(hours=7))
PLAN_AT = datetime(2027, 2, 24, 9, 0, tzinfo=BANGKOK)
CHUNK = 10_000


def build(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    with sessions() as session:
        agency, unit, round_ = bench_agency(session, 2570, 1)

        def staff_rows(start: int, count: int, supervisors: list[int]) -> list[dict[str, object]]:
            return [{"agency_id": agency.id, "unit_id": unit.id, "staff_code": f"B{i:06d}",
                     "name_th": f"นายทดสอบ คนที่{i}", "position": "นักวิเคราะห์", "level": "",
                     "position_type": "ทั่วไป", "is_hipps": False, "active": True,
                     "created_at": now,
                     "supervisor_id": supervisors[i % len(supervisors)] if supervisors else None}
                    for i in range(start, start + count)]

        session.execute(insert(Staff), staff_rows(0, SUPERVISORS, []))
        bosses = list(session.scalars(select(Staff.id).order_by(Staff.id)))
        for start in range(SUPERVISORS, SUPERVISORS + OFFICERS, CHUNK):
            session.execute(insert(Staff), staff_rows(start, CHUNK, bosses))
        ids = list(session.scalars(select(Staff.id).where(Staff.id.not_in(bosses))
                                   .order_by(Staff.id)))
        everyone = bosses + ids
        for start in range(0, len(everyone), CHUNK):
            session.execute(insert(LineUser), [
                {"user_id": f"U{s:032x}", "staff_id": s, "following": True, "first_seen_at": now,
                 "failed_link_attempts": 0} for s in everyone[start:start + CHUNK]])
        for start in range(0, len(ids), CHUNK):
            session.execute(insert(KpiAgreement), [
                {"officer_id": s, "round_id": round_.id, "signed_at": now}
                for s in ids[start:start + CHUNK]])
        done = ids[::2]  # half have a confirmed report; the other half are behind
        for start in range(0, len(done), CHUNK):
            session.execute(insert(ProgressReport), [
                {"officer_id": s, "round_id": round_.id, "kind": "kpi", "version": 1,
                 "status": "confirmed", "note": "", "title": "", "summary": "",
                 "reported_on": PLAN_AT.date(), "created_at": now, "submitted_at": now,
                 "send_back_reason": ""} for s in done[start:start + CHUNK]])
        session.commit()
    engine.dispose()


def plan_in_this_process(url: str) -> dict[str, object]:
    """Run the planner once (the `plan-reminders` job) and measure it."""
    from scheduler.reminders import plan_reminders

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    with sessions() as session:
        result = plan_reminders(session, PLAN_AT, tz=BANGKOK)
        session.commit()
    seconds = time.perf_counter() - started
    peak = next(int(line.split()[1]) / 1024 for line in
                Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
    engine.dispose()
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1), "people": result.people,
            "items": result.items, "outbox_rows": result.pushes}


def bench_plan(kind: str) -> dict[str, object]:
    with database(kind) as url:
        started = time.perf_counter()
        build(url)
        built = time.perf_counter() - started
        out = subprocess.run([sys.executable, __file__, "--plan-only", url], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        figures["build_seconds"] = round(built, 1)
        return figures


def bench_deliver(kind: str, threads: int) -> dict[str, object]:
    from bot.line_gateway import LineGateway
    from bot.settings import Settings
    from scheduler.delivery import DeliveryWorker, WorkerConfig

    env = {"LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "FAKE_LINE_HISTORY": "1000"}
    with database(kind) as url, gunicorn("bot.fake_line.api:create_fake_app_from_env()", env,
                                         2, 16) as (fake_url, _pid):
        engine = make_engine(url)
        upgrade(engine)
        sessions = make_session_factory(engine)
        with sessions() as session:
            for start in range(0, PUSHES, CHUNK):
                session.execute(insert(OutboxMessage), [
                    {"kind": "push", "recipients": [f"U{i:032x}"],
                     "messages": [{"type": "text", "text": f"แจ้งเตือนกำหนดส่ง {i}"}],
                     "retry_key": f"00000000-0000-4000-8000-{i:012d}", "status": "pending",
                     "attempts": 0, "category": "reminder", "created_at": datetime.now(UTC)}
                    for i in range(start, min(PUSHES, start + CHUNK))])
            session.commit()
        settings = Settings(database_url=url, channel_access_token=TOKEN,
                            channel_secret="bench", line_api_base_url=fake_url,
                            line_timeout=(3.0, 10.0))
        gateway = LineGateway(settings)
        worker = DeliveryWorker(sessions, gateway, WorkerConfig(batch=500, threads=threads),
                                tz=BANGKOK)
        started, cpu_started = time.perf_counter(), time.process_time()
        sent = 0
        while sent < PUSHES:
            result = worker.run_once(PLAN_AT)  # reminders go out in office hours
            if result.sent == 0 and result.retried == 0:
                break
            sent += result.sent
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # the worker's own CPU (all its threads)
        with sessions() as session:
            left = session.scalar(select(OutboxMessage.id).where(
                OutboxMessage.status != OutboxStatus.SENT).limit(1))
        worker.close()
        gateway.close()
        engine.dispose()
        rate = sent / seconds
        return {"sent": sent, "seconds": round(seconds, 2), "pushes_per_s": round(rate),
                "share_of_line_limit": f"{rate / 2000:.0%}", "all_sent": left is None,
                "threads": threads, "worker_cpu_s": round(cpu, 1),
                "pushes_per_worker_cpu_s": round(sent / cpu)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--part", choices=["plan", "deliver", "both"], default="both")
    parser.add_argument("--threads", type=int, default=8, help="requests in flight per worker")
    parser.add_argument("--plan-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan_only:
        print(json.dumps(plan_in_this_process(args.plan_only)))
        return
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"machine: {os.cpu_count()} cores")
    for kind in kinds:
        if args.part in ("plan", "both"):
            figures = bench_plan(kind)
            verdict = ("met" if float(figures["seconds"]) < 10  # type: ignore[arg-type]  # numbers here
                       and float(figures["peak_rss_mb"]) < 400 else "NOT met")  # type: ignore[arg-type]  # numbers here
            print(f"{kind} plan {OFFICERS:,} officers: {figures} -> target {verdict}", flush=True)
        if args.part in ("deliver", "both"):
            figures = bench_deliver(kind, args.threads)
            verdict = "met" if int(figures["pushes_per_s"]) >= 500 else "NOT met"  # type: ignore[call-overload]  # a number here
            print(f"{kind} deliver {PUSHES:,} pushes, 1 worker: {figures} -> target {verdict}",
                  flush=True)


if __name__ == "__main__":
    main()
