"""`python -m scheduler`: the clock. `python -m scheduler tick --at ISO-DATETIME`: every job
once."""
from __future__ import annotations

import argparse
import hashlib
import logging
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import now as clock_now
from bot.settings import Settings
from models.db import make_engine, make_session_factory, session_scope
from scheduler.jobs import JOBS, Job

log = logging.getLogger("scheduler")


def run_job(sessions: sessionmaker[Session], job: Job, now: datetime, settings: Settings) -> object:
    """One job in its own transaction. On PostgreSQL the job first takes a transaction-level
    advisory lock named after it: a second clock running the same job at the same time skips it
    (and the unique keys of what jobs write make a late second run a no-op anyway)."""
    with session_scope(sessions) as session:
        if session.get_bind().dialect.name == "postgresql" and not session.scalar(
                text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": advisory_key(job.id)}):
            log.info("job %s at %s: another clock holds it; skipped", job.id, now.isoformat())
            return None
        result = job.run(session, now, settings)
        session.commit()
    log.info("job %s at %s: %s", job.id, now.isoformat(), result)
    return result


def advisory_key(job_id: str) -> int:
    """A stable 63-bit key for a job's advisory lock."""
    return int.from_bytes(hashlib.sha256(f"clock:{job_id}".encode()).digest()[:8], "big") >> 1


def tick(sessions: sessionmaker[Session], at: datetime, settings: Settings) -> dict[str, object]:
    """Run every job once as of `at` (demos, tests and incident replays); each job's result."""
    return {job.id: run_job(sessions, job, at, settings) for job in JOBS}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scheduler", description=__doc__)
    parser.add_argument("--production", action="store_true",
                        help="refuse to start without the production settings")
    commands = parser.add_subparsers(dest="command")
    tick_parser = commands.add_parser("tick", help="run every job once as of --at")
    tick_parser.add_argument("--at", required=True, help="ISO date-time, e.g. 2027-03-31T08:30")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    settings = Settings.from_env(production=args.production)
    sessions = make_session_factory(make_engine(settings.database_url))
    if args.command == "tick":
        at = datetime.fromisoformat(args.at)
        tick(sessions, at if at.tzinfo else at.replace(tzinfo=settings.tz), settings)
        return

    scheduler = BlockingScheduler(timezone=settings.tz)
    add_jobs(scheduler, sessions, settings)
    log.info("clock started with %d job(s)", len(JOBS))
    scheduler.start()


def add_jobs(scheduler: BaseScheduler, sessions: sessionmaker[Session], settings: Settings) -> None:
    """Every job on an APScheduler 3 scheduler (the clock process, or demo mode's thread)."""
    for job in JOBS:
        # coalesce: a clock that was down runs a missed job once, not once per missed time;
        # an hour of grace, because these jobs are idempotent and cheap.
        scheduler.add_job(_fire, job.trigger, args=[sessions, job, settings],
                          id=job.id, replace_existing=True, coalesce=True,
                          misfire_grace_time=3600, max_instances=1, **job.trigger_args)


def _fire(sessions: sessionmaker[Session], job: Job, settings: Settings) -> None:
    run_job(sessions, job, clock_now(settings.timezone), settings)


if __name__ == "__main__":
    main()
