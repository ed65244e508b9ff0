"""Benchmark: signed text events through gunicorn on loopback, replies through the real SDK.

    .venv/bin/python bench/webhook.py                 # SQLite and PostgreSQL (TEST_DATABASE_URL
                                                      # or the local postgres@127.0.0.1/test)
    .venv/bin/python bench/webhook.py --db sqlite --seconds 20
    .venv/bin/python bench/webhook.py --workload report   # whole report-and-confirm conversations

For each database it starts the fake LINE API (gunicorn, 1 worker) and the bot (gunicorn,
production mode, `--workers` workers), seeds linked officers, then measures:
  * max:       closed loop with `--concurrency` requests in flight: events/s, p50, p99;
  * sustained: open loop at `--rate` events/s for `--seconds`: achieved events/s, p50, p99;
and the same for a bare endpoint that only verifies the signature (the ceiling of this stack),
plus the peak RSS (VmHWM) of each bot worker. Exits non-zero when a target is missed.
On each database it also measures the floor (bench/floor_app.py, max only, single events):
per event only what the bot's guarantees cost, the bot's logic left out: the signature check
and `json.loads`, one transaction with the de-duplication claim, a read of the person's row
and the stored reply, the reply through the SDK to the fake LINE API, and the event marked
answered. What the bot spends above the floor's CPU per event is the bot's own work.
Targets (single events): >= 500 events/s max, p99 < 100 ms at 200/s, bot CPU <= 2.0 ms per
event, on both databases; worker RSS < 250 MB.

`--workload report` runs whole conversations instead of single events: each simulated
officer sends a free-form report (`ตัวชี้วัดที่ k ได้ 45 ราย จากเป้า 60 กำลังดำเนินการ`), answers
the note question (`ไม่มี`), confirms with `ใช่`, and then their mentor taps รับรอง (a postback
carrying the report's id and version, read from the database as the mentor's card would carry
it). Many officers run at once; every webhook event is counted and timed. "max" keeps
`--concurrency` conversations in flight; the open loop starts conversations so that events
arrive at `--rate` per second. Targets: >= 300 events/s max, p99 < 150 ms at 150/s, bot CPU
<= 2.5 ms per event, on both databases.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot.demo import seed_demo  # noqa: E402
from bot.sim import sign, webhook_body  # noqa: E402
from models import (  # noqa: E402
    Agency,
    Kpi,
    KpiAgreement,
    LineUser,
    Role,
    RoleAssignment,
    Round,
    Staff,
    Unit,
)
from models.db import make_engine, make_session_factory, scratch_postgres_database  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.rounds import open_round, round_of  # noqa: E402

SECRET = "bench-channel-secret"
TOKEN = "bench-channel-access-token"
TEXTS = ["ช่วยเหลือ", "ข้อมูลของฉัน", "สวัสดีครับ", "เมนู", "ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60"]
OFFICERS = 500
ENV = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
       "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1",
       "FAKE_LINE_HISTORY": "20000",  # the fake keeps what a test would read, no more
       "SECRET_KEY": "bench-console-secret-key", "ALLOW_SQLITE_IN_PRODUCTION": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not start")


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, threads: int,
             config: str = str(ROOT / "bench" / "plain_gunicorn.conf.py"),
             ) -> Iterator[tuple[str, int]]:
    """A gunicorn server on a free loopback port; `config` is the production one for the bot."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", config, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
         "--log-level", "warning", app],
        cwd=ROOT, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def cpu_seconds(master_pid: int) -> float:
    """User+system CPU of a gunicorn master and its workers so far."""
    total = 0
    for pid in [str(master_pid), *_children(master_pid)]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    children = _children(master_pid)
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    server = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with scratch_postgres_database(server, prefix="bench") as url:
        yield url


def bench_agency(session: Session, fiscal_year: int, round_no: int) -> tuple[Agency, Unit, Round]:
    """An agency with the default deadline rules, one unit and that round open (flushed)."""
    from models.rounds import add_default_deadline_rules

    agency = Agency(code="BENCH", name_th="กรมทดสอบ")
    session.add(agency)
    session.flush()
    add_default_deadline_rules(session, agency.id)
    unit = Unit(agency_id=agency.id, code="U", name_th="กองทดสอบ")
    session.add(unit)
    session.flush()
    return agency, unit, open_round(session, agency.id, fiscal_year, round_no)


MENTORS = 25


@dataclass
class Officer:
    user_id: str
    staff_id: int
    mentor_user_id: str


def prepare_report(url: str) -> list[Officer]:
    """Migrate, seed the demo agency, then linked officers with a signed 5-KPI agreement in
    the current round, each in the care of one of MENTORS linked mentors."""
    from datetime import date, datetime
    from decimal import Decimal

    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    officers = []
    with sessions() as session:
        agency = seed_demo(session, today=date.today())
        unit = session.query(Unit).filter_by(agency_id=agency.id).first()
        round_ = open_round(session, agency.id, *round_of(date.today()))
        mentors = []
        for i in range(MENTORS):
            mentor = Staff(agency_id=agency.id, unit_id=unit.id, staff_code=f"M{i:05d}",
                           name_th=f"นางพี่เลี้ยง คนที่{i}", position="นักวิเคราะห์ชำนาญการพิเศษ")
            session.add(mentor)
            session.flush()
            user_id = "U" + uuid.uuid4().hex
            session.add(LineUser(user_id=user_id, staff_id=mentor.id))
            mentors.append((mentor.id, user_id))
        signed = datetime.now(UTC)
        for i in range(OFFICERS):
            staff = Staff(agency_id=agency.id, unit_id=unit.id, staff_code=f"B{i:05d}",
                          name_th=f"นายทดสอบ คนที่{i}", position="นักวิเคราะห์")
            session.add(staff)
            session.flush()
            user_id = "U" + uuid.uuid4().hex
            session.add(LineUser(user_id=user_id, staff_id=staff.id))
            mentor_id, mentor_user = mentors[i % MENTORS]
            session.add(RoleAssignment(staff_id=mentor_id, role=Role.MENTOR, officer_id=staff.id))
            agreement = KpiAgreement(officer_id=staff.id, round_id=round_.id, signed_at=signed)
            for number in range(1, 6):
                agreement.kpis.append(Kpi(
                    number=number, name=f"จำนวนผู้รับบริการตามแผนงานที่ {number}", unit="ราย",
                    weight=Decimal(20), target=Decimal(60), level1=Decimal(20),
                    level2=Decimal(30), level3=Decimal(40), level4=Decimal(50),
                    level5=Decimal(60)))
            session.add(agreement)
            officers.append(Officer(user_id, staff.id, mentor_user))
        session.commit()
    engine.dispose()
    return officers


_PENDING = text("SELECT id, version FROM progress_reports WHERE officer_id = :officer"
                " AND status = 'pending' ORDER BY id DESC LIMIT 1")


def pending_report(engine: Engine, staff_id: int) -> tuple[int, int] | None:
    """What the mentor's pushed card carries (one plain query, to keep this process light)."""
    with engine.connect() as connection:
        row = connection.execute(_PENDING, {"officer": staff_id}).first()
    return (row[0], row[1]) if row else None


def signed_postback(user_id: str, data: str) -> tuple[bytes, str]:
    event = {"type": "postback", "postback": {"data": data}}
    body = json.dumps(webhook_body(user_id, event, uuid.uuid4().hex), ensure_ascii=False).encode()
    return body, sign(body, SECRET)


class Conversations:
    """Whole report-and-confirm conversations: 3 officer texts and the mentor's postback."""

    EVENTS = 4

    def __init__(self, url: str, database_url: str, officers: list[Officer]) -> None:
        self.url, self.officers, self.next = url, officers, 0
        self.engine = make_engine(database_url)
        self.latencies: list[float] = []
        self.errors = 0

    def close(self) -> None:
        self.engine.dispose()

    def take(self) -> tuple[Officer, int]:
        """The next officer, and the KPI they report on (cycling, so reports keep coming)."""
        index = self.next
        self.next += 1
        return self.officers[index % len(self.officers)], index // len(self.officers) % 5 + 1

    async def post(self, session: aiohttp.ClientSession, body: bytes, signature: str) -> None:
        started = time.perf_counter()
        try:
            async with session.post(self.url + "/callback", data=body, headers={
                    "Content-Type": "application/json", "X-Line-Signature": signature}) as resp:
                await resp.read()
                if resp.status != 200:
                    self.errors += 1
        except aiohttp.ClientError:
            self.errors += 1
        self.latencies.append(time.perf_counter() - started)

    def _pending_report(self, staff_id: int) -> tuple[int, int] | None:
        return pending_report(self.engine, staff_id)

    async def one(self, session: aiohttp.ClientSession) -> None:
        officer, kpi = self.take()
        for text_ in (f"ตัวชี้วัดที่ {kpi} ได้ 45 ราย จากเป้า 60 กำลังดำเนินการ", "ไม่มี", "ใช่"):
            await self.post(session, *signed_event(officer.user_id, text_))
        report = await asyncio.to_thread(self._pending_report, officer.staff_id)
        if report is None:
            self.errors += 1
            return
        data = f"action=rpt&id={report[0]}&v={report[1]}&do=ok"
        await self.post(session, *signed_postback(officer.mentor_user_id, data))

    def result(self, elapsed: float) -> Result:
        return summarise(self.latencies, self.errors, elapsed)


async def conversations_closed(conv: Conversations, count: int, concurrency: int) -> Result:
    conv.latencies, conv.errors = [], 0
    remaining = iter(range(count))

    async def worker(session: aiohttp.ClientSession) -> None:
        for _ in remaining:
            await conv.one(session)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        return conv.result(time.perf_counter() - started)


async def conversations_open(conv: Conversations, rate: float, seconds: float) -> Result:
    """Start a conversation every EVENTS/rate seconds, so that events arrive at `rate`/s."""
    conv.latencies, conv.errors = [], 0
    starts = int(rate * seconds / Conversations.EVENTS)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=512)) as session:
        tasks = []
        started = time.perf_counter()
        for i in range(starts):
            delay = started + i * Conversations.EVENTS / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(conv.one(session)))
        await asyncio.gather(*tasks)
        return conv.result(time.perf_counter() - started)


def run_report_load(url: str, database_url: str, officers: list[Officer], args: argparse.Namespace,
                    pids: dict[str, int]) -> dict[str, Result]:
    conv = Conversations(url, database_url, officers)
    try:
        asyncio.run(conversations_closed(conv, 50, args.concurrency))  # warm-up
        count = max(1, args.max_events // Conversations.EVENTS)
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        own_before = time.process_time()
        result = {"max": asyncio.run(conversations_closed(conv, count, args.concurrency))}
        events = result["max"].count
        cpu = {name: (cpu_seconds(pid) - before[name]) * 1000 / events
               for name, pid in pids.items()}
        cpu["load generator"] = (time.process_time() - own_before) * 1000 / events
        LAST_CPU.clear()
        LAST_CPU.update(cpu)
        CPU_NOTES.append(", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items()))
        result["sustained"] = asyncio.run(conversations_open(conv, args.rate, args.seconds))
    finally:
        conv.close()
    return result


def prepare(url: str) -> list[str]:
    """Migrate, seed the demo agency plus linked officers; return their LINE user ids."""
    from datetime import date

    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    user_ids = []
    with sessions() as session:
        agency = seed_demo(session, today=date.today())
        unit = session.query(Unit).filter_by(agency_id=agency.id).first()
        for i in range(OFFICERS):
            staff = Staff(agency_id=agency.id, unit_id=unit.id, staff_code=f"B{i:05d}",
                          name_th=f"นายทดสอบ คนที่{i}", position="นักวิเคราะห์")
            session.add(staff)
            session.flush()
            user_id = "U" + uuid.uuid4().hex
            session.add(LineUser(user_id=user_id, staff_id=staff.id))
            user_ids.append(user_id)
        session.commit()
    engine.dispose()
    return user_ids


def signed_event(user_id: str, text_: str) -> tuple[bytes, str]:
    """A webhook body with one text event, as LINE sends it, and its signature."""
    event = {"type": "message",
             "message": {"type": "text", "id": "1", "text": text_, "quoteToken": "q"}}
    body = json.dumps(webhook_body(user_id, event, uuid.uuid4().hex), ensure_ascii=False).encode()
    return body, sign(body, SECRET)


@dataclass
class Result:
    events_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    count: int


def summarise(latencies: list[float], errors: int, elapsed: float) -> Result:
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Result(len(latencies) / elapsed, statistics.median(ordered) * 1000, p99 * 1000,
                  errors, len(latencies))


async def closed_loop(url: str, bodies: list[tuple[bytes, str]], concurrency: int) -> Result:
    latencies: list[float] = []
    errors = 0
    queue = iter(bodies)

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        for body, signature in queue:
            started = time.perf_counter()
            async with session.post(url + "/callback", data=body, headers={
                    "Content-Type": "application/json", "X-Line-Signature": signature}) as resp:
                await resp.read()
                if resp.status != 200:
                    errors += 1
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return summarise(latencies, errors, elapsed)


async def open_loop(url: str, bodies: list[tuple[bytes, str]], rate: float) -> Result:
    latencies: list[float] = []
    errors = 0

    async def one(session: aiohttp.ClientSession, body: bytes, signature: str) -> None:
        nonlocal errors
        started = time.perf_counter()
        try:
            async with session.post(url + "/callback", data=body, headers={
                    "Content-Type": "application/json", "X-Line-Signature": signature}) as resp:
                await resp.read()
                if resp.status != 200:
                    errors += 1
        except aiohttp.ClientError:
            errors += 1
        latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=512)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = []
        started = time.perf_counter()
        for i, (body, signature) in enumerate(bodies):
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(session, body, signature)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return summarise(latencies, errors, elapsed)


def run_load(url: str, user_ids: list[str], args: argparse.Namespace,
             pids: dict[str, int], sustained_too: bool = True) -> dict[str, Result]:
    """Warm up, then the closed-loop and (unless `sustained_too` is False) the open-loop runs;
    notes the CPU ms per event of the closed loop."""
    warm = [signed_event(user_ids[i % len(user_ids)], TEXTS[i % len(TEXTS)]) for i in range(200)]
    asyncio.run(closed_loop(url, warm, args.concurrency))
    maximum = [signed_event(user_ids[i % len(user_ids)], TEXTS[i % len(TEXTS)])
               for i in range(args.max_events)]
    sustained = [signed_event(user_ids[(i * 7) % len(user_ids)], TEXTS[i % len(TEXTS)])
                 for i in range(int(args.rate * args.seconds) if sustained_too else 0)]
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    own_before = time.process_time()
    result = {"max": asyncio.run(closed_loop(url, maximum, args.concurrency))}
    cpu = {name: (cpu_seconds(pid) - before[name]) * 1000 / len(maximum)
           for name, pid in pids.items()}
    cpu["load generator"] = (time.process_time() - own_before) * 1000 / len(maximum)
    LAST_CPU.clear()
    LAST_CPU.update(cpu)
    CPU_NOTES.append(", ".join(f"{name} {ms:.2f}" for name, ms in cpu.items()))
    if sustained_too:
        result["sustained"] = asyncio.run(open_loop(url, sustained, args.rate))
    return result


CPU_NOTES: list[str] = []
LAST_CPU: dict[str, float] = {}  # CPU ms per event of the last closed-loop run, by process

# The targets, per workload: max events/s, p99 ms of the open loop, bot CPU ms per event.
TARGETS = {"single": (500.0, 100.0, 2.0), "report": (300.0, 150.0, 2.5)}
MAX_RSS_MB = 250


def line(name: str, r: Result) -> str:
    return (f"| {name} | {r.events_per_s:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.errors} / {r.count} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop events/s")
    parser.add_argument("--seconds", type=float, default=30.0, help="open-loop duration")
    parser.add_argument("--max-events", type=int, default=4000)
    parser.add_argument("--workload", choices=["single", "report"], default="single",
                        help="single events or whole report conversations")
    args = parser.parse_args()
    if args.workload == "report" and "--rate" not in sys.argv:
        args.rate = 150.0
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    env = ENV
    print(f"workload: {args.workload}; "
          f"machine: {os.cpu_count()} cores; bot: gunicorn {args.workers} workers x "
          f"{args.threads} threads; closed loop {args.concurrency} in flight; "
          f"open loop {args.rate:.0f}/s for {args.seconds:.0f} s\n")
    print("| run | events/s | p50 ms | p99 ms | non-200 |\n|---|---:|---:|---:|---:|")
    ok = True
    with gunicorn("bot.fake_line.api:create_fake_app_from_env()", env,
                  1, 8) as (fake_url, fake_pid):
        with gunicorn("bench.bare_app:create_app()", env,
                      args.workers, args.threads) as (bare, pid):
            bare_result = run_load(bare, [f"U{i:032x}" for i in range(100)], args, {"bare": pid})
            print(line("bare signature check, max", bare_result["max"]))
            print(line(f"bare signature check, {args.rate:.0f}/s", bare_result["sustained"]))
        for kind in kinds:
            with database(kind) as url:
                officers = prepare_report(url) if args.workload == "report" else None
                user_ids = prepare(url) if officers is None else []
                bot_env = {**env, "DATABASE_URL": url, "LINE_API_BASE_URL": fake_url}
                with gunicorn("bot.app:create_production_app()", bot_env, args.workers,
                              args.threads,
                              config=str(ROOT / "gunicorn.conf.py")) as (bot_url, master):
                    pids = {"bot": master, "fake LINE": fake_pid}
                    results = (run_report_load(bot_url, url, officers, args, pids) if officers
                               else run_load(bot_url, user_ids, args, pids))
                    rss = worker_peak_rss_mb(master)
                print(line(f"bot on {kind}, max", results["max"]))
                print(line(f"bot on {kind}, {args.rate:.0f}/s", results["sustained"]))
                print(f"|   worker peak RSS on {kind} | "
                      f"{', '.join(f'{r:.0f} MB' for r in rss)} | | | |")
                s, top = results["sustained"], results["max"]
                min_max, max_p99, max_cpu = TARGETS[args.workload]
                missed = [what for what, bad in [
                    (f"max {top.events_per_s:.0f}/s < {min_max:.0f}/s",
                     top.events_per_s < min_max),
                    (f"{args.rate:.0f}/s achieved {s.events_per_s:.0f}/s",
                     s.events_per_s < 0.97 * args.rate),
                    (f"p99 {s.p99_ms:.0f} ms >= {max_p99:.0f} ms", s.p99_ms >= max_p99),
                    (f"bot CPU {LAST_CPU['bot']:.2f} ms > {max_cpu} ms",
                     LAST_CPU["bot"] > max_cpu),
                    (f"RSS {max(rss):.0f} MB", max(rss) >= MAX_RSS_MB),
                    (f"{s.errors + top.errors} non-200", s.errors + top.errors > 0)] if bad]
                if missed:
                    print(f"|   missed on {kind}: {'; '.join(missed)} | | | | |")
                ok &= not missed
                floor_ids = user_ids or [officer.user_id for officer in officers or []]
                with gunicorn("bench.floor_app:create_app()", bot_env, args.workers,
                              args.threads) as (floor_url, floor_pid):
                    floor = run_load(floor_url, floor_ids, args,
                                     {"floor": floor_pid, "fake LINE": fake_pid},
                                     sustained_too=False)
                print(line(f"floor (guarantees only) on {kind}, max", floor["max"]))
    print("\nCPU ms per event in the closed-loop runs (bare, then the bot and the floor on "
          "each database):")
    for note in CPU_NOTES:
        print(f"  {note}")
    print("\ntargets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
