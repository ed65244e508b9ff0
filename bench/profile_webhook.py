"""Profile the webhook in-process under the benchmark's events (pyinstrument).

    .venv/bin/python bench/profile_webhook.py                      # SQLite, single events
    .venv/bin/python bench/profile_webhook.py --db postgresql --workload report
    .venv/bin/python bench/profile_webhook.py --events 2000 --top 40 --html /tmp/profile.html

The bot app is built as production builds it (`bot.app.create_production_app`) and
driven with the benchmark's signed events (bench/webhook.py: the same texts, officers and
report conversations) through Flask's test client, one event after another; its replies go
through the real SDK to the fake LINE API, run apart in gunicorn as in the benchmark (its CPU
is not counted here). Prints the bot's CPU per event (this process's CPU time, warm-up left
out), the SQL statements per event, and the top of the profile (the heaviest call paths, then
the functions with the most time of their own).
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyinstrument import Profiler  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench.webhook import (  # noqa: E402
    ENV,
    TEXTS,
    Officer,
    database,
    gunicorn,
    pending_report,
    prepare,
    prepare_report,
    signed_event,
    signed_postback,
)


def bodies_single(user_ids: list[str], count: int, offset: int) -> list[tuple[bytes, str]]:
    return [signed_event(user_ids[(i + offset) % len(user_ids)], TEXTS[i % len(TEXTS)])
            for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workload", choices=["single", "report"], default="single")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--warm-up", type=int, default=200)
    parser.add_argument("--top", type=int, default=30, help="lines of the profile to print")
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    parser.add_argument("--tree", help="also write pyinstrument's call tree (text) here")
    parser.add_argument("--show-sql", type=int, default=0,
                        help="print the SQL of this many events first (the mix's kinds in turn)")
    parser.add_argument("--calls", action="store_true",
                        help="count Python function calls per event (cProfile, timed in CPU "
                             "time): a measure of the work that a busy machine does not change")
    parser.add_argument("--sql-times", type=int, default=0,
                        help="print the statements that took the most time in the driver")
    parser.add_argument("--no-profile", action="store_true",
                        help="only the CPU per event and SQL counts (no profiler overhead)")
    args = parser.parse_args()
    os.environ.update(ENV)
    from bot.app import create_production_app

    with gunicorn("bot.fake_line.api:create_fake_app_from_env()", ENV, 1, 8) as (fake_url, _), \
            database(args.db) as url:
        officers = prepare_report(url) if args.workload == "report" else None
        user_ids = prepare(url) if officers is None else []
        os.environ.update({"DATABASE_URL": url, "LINE_API_BASE_URL": fake_url})
        app = create_production_app()
        client = app.test_client()
        engine = app.extensions["db.engine"]
        statements: Counter[str] = Counter()
        shown: list[str] = []

        timings: dict[str, list[float]] = {}  # statement → [count, seconds in the driver]
        started: list[float] = [0.0]

        @event.listens_for(engine, "before_cursor_execute")
        def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
            statements[statement.split(None, 1)[0].upper()] += 1
            if shown:
                print("   ", " ".join(statement.split())[:220])
            started[0] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def timed(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
            if args.sql_times:
                entry = timings.setdefault(" ".join(statement.split())[:150], [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - started[0]

        def post(body: bytes, signature: str) -> None:
            response = client.post("/callback", data=body, headers={
                "Content-Type": "application/json", "X-Line-Signature": signature})
            if response.status_code != 200:
                raise SystemExit(f"webhook answered {response.status_code}")

        def conversation(officer: Officer, kpi: int) -> int:
            for text_ in (f"ตัวชี้วัดที่ {kpi} ได้ 45 ราย จากเป้า 60 กำลังดำเนินการ", "ไม่มี",
                          "ใช่"):
                post(*signed_event(officer.user_id, text_))
            report = pending_report(engine, officer.staff_id)
            if report is None:
                raise SystemExit("no pending report after a conversation")
            post(*signed_postback(officer.mentor_user_id,
                                  f"action=rpt&id={report[0]}&v={report[1]}&do=ok"))
            return 4

        batches: list[float] = []  # CPU ms per event of each batch of 50 events (single)

        def run(count: int, offset: int) -> tuple[int, float]:
            """Events sent and CPU seconds spent, the report query of the load left out."""
            done, cpu = 0, 0.0
            if officers is None:
                bodies = bodies_single(user_ids, count, offset)
                for start in range(0, len(bodies), 50):
                    started = time.process_time()
                    for body, signature in bodies[start:start + 50]:
                        post(body, signature)
                    spent = time.process_time() - started
                    batches.append(spent * 1000 / len(bodies[start:start + 50]))
                    cpu += spent
                return len(bodies), cpu
            index = offset
            while done < count:
                officer = officers[index % len(officers)]
                kpi = index // len(officers) % 5 + 1
                started = time.process_time()
                done += conversation(officer, kpi)
                cpu += time.process_time() - started
                index += 1
            return done, cpu

        run(args.warm_up, 0)
        batches.clear()
        for i in range(args.show_sql):
            shown[:] = ["on"]
            print(f"-- event {i}: {TEXTS[i % len(TEXTS)] if officers is None else 'report'}")
            run(1, args.warm_up + i) if officers is None else None
        shown.clear()
        statements.clear()
        timings.clear()
        profiler = None if args.no_profile or args.calls else Profiler(interval=0.001)
        if profiler:
            profiler.start()
        if args.calls:
            calls = cProfile.Profile(time.process_time)  # CPU time, as the benchmark counts
            calls.enable()
        events, cpu = run(args.events, args.warm_up)
        if args.calls:
            calls.disable()
            stats = pstats.Stats(calls)
            print(f"Python function calls per event: {stats.total_calls / events:,.0f}")
            stats.sort_stats("cumulative").print_stats(r"(handlers|bot|models|thai)/", 40)
            by_package: Counter[str] = Counter()
            cpu_by_package: Counter[str] = Counter()
            for (path, _line, _name), (_cc, calls_, own, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
                by_package[_package(path)] += calls_
                cpu_by_package[_package(path)] += own
            print("Python calls per event by package: " + ", ".join(
                f"{name} {n / events:,.0f}" for name, n in by_package.most_common(12)))
            print("CPU ms per event by package, own time (inflated by cProfile's own cost): "
                  + ", ".join(f"{name} {seconds * 1000 / events:.2f}"
                              for name, seconds in cpu_by_package.most_common(12)))
        if args.sql_times:
            print("Statements by time in the driver (ms per event, calls per event):")
            for text_, (calls_, seconds) in sorted(timings.items(), key=lambda kv: -kv[1][1])[
                    :args.sql_times]:
                print(f"  {seconds * 1000 / events:6.3f} ms  {calls_ / events:5.2f}  {text_}")
        if profiler:
            profiler.stop()
        print(f"{args.workload} events on {args.db}: {events}; bot CPU per event "
              f"{cpu * 1000 / events:.2f} ms{' (with the profiler on)' if profiler else ''}"
            + (f"; batches of 50: min {min(batches):.2f}, median {statistics.median(batches):.2f}"
               if batches else ""))
        print("SQL statements per event: " + ", ".join(
            f"{kind} {n / events:.2f}" for kind, n in statements.most_common())
            + f"; total {sum(statements.values()) / events:.2f}")
        if profiler:
            session = profiler.last_session
            if args.html:
                Path(args.html).write_text(profiler.output_html())
            if args.tree:
                Path(args.tree).write_text(profiler.output_text(unicode=False, color=False))
            print(_top(session, args.top))
        app.extensions["line.gateway"].close()
        engine.dispose()
    return 0


def _top(session, top: int) -> str:  # type: ignore[no-untyped-def]
    """The functions with the most time of their own and in total, as % of the run."""
    from pyinstrument.frame import Frame

    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    root = session.root_frame()
    if root is None:
        return "(no samples)"

    def walk(frame: Frame, seen: frozenset[str]) -> None:
        name = f"{frame.function} ({_short(frame.file_path)}:{frame.line_no})"
        if name not in seen:
            total[name] += frame.time
        real = [child for child in frame.children if not child.function.startswith("[")]
        own[name] += frame.time - sum(child.time for child in real)
        for child in real:
            walk(child, seen | {name})

    walk(root, frozenset())
    whole = root.time or 1.0
    lines = [f"Top {top} by total time (% of the run):"]
    lines += [f"  {t * 100 / whole:5.1f}%  {name}" for name, t in total.most_common(top)
              if "[self]" not in name]
    lines.append(f"Top {top} by own time:")
    lines += [f"  {t * 100 / whole:5.1f}%  {name}" for name, t in own.most_common(top)]
    return "\n".join(lines)


def _package(path: str) -> str:
    """`sqlalchemy`, `handlers` … for a source path; `~` for built-ins."""
    if path == "~":
        return "built-ins"
    short = _short(path)
    return short.split("/", 1)[0] if "/" in short else short


def _short(path: str | None) -> str:
    if not path:
        return "?"
    for marker in ("site-packages/", str(ROOT) + "/", "lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


if __name__ == "__main__":
    raise SystemExit(main())
