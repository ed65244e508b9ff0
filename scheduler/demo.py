"""`make run` (`python -m scheduler.demo`): the whole bot in one process, on SQLite, with its
simulator: migrate, seed the demo agency, run the clock and the delivery worker in threads,
serve the web app. Production runs these as the Procfile's separate processes.

It lives here, above `bot`, because it puts the web app and the clock together; the web app
reaches the clock only through what `attach` registers on it.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from bot import clock as app_clock
from bot.settings import Settings
from scheduler.__main__ import run_job, tick
from scheduler.delivery import DeliveryWorker
from scheduler.jobs import JOBS, Job

log = logging.getLogger(__name__)

TICK = "clock.tick"  # app.extensions key: the simulator's clock control calls it
TURN = threading.Lock()  # one of: a tick, a pass of the background clock, a delivery pass


class SimulatedClock:
    """The clock's jobs on the app's clock (`bot.clock`, which the simulator may move): each job
    fires when the simulated time passes its next time. A jump of the clock (forward or back)
    plans every job afresh from the new moment; the jobs of the days jumped over are what
    `/sim/api/tick` is for."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self.sessions, self.settings = sessions, settings
        self.triggers = [(job, _trigger(job, settings)) for job in JOBS]
        self.next: dict[str, datetime | None] = {}
        self.last: datetime | None = None

    def run_due(self, now: datetime) -> list[str]:
        """Run the jobs whose time has come by `now`; their ids."""
        if self.last is None or now < self.last or now - self.last > timedelta(minutes=2):
            self.next = {job.id: trigger.get_next_fire_time(None, now)
                         for job, trigger in self.triggers}
        self.last = now
        ran = []
        for job, trigger in self.triggers:
            due = self.next.get(job.id)
            if due is not None and due <= now:
                run_job(self.sessions, job, now, self.settings)
                ran.append(job.id)
                self.next[job.id] = trigger.get_next_fire_time(due, now)
        return ran


def _trigger(job: Job, settings: Settings) -> Any:
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if job.trigger == "cron":
        return CronTrigger(timezone=settings.tz, **job.trigger_args)
    # anchored to whole minutes of the simulated time, not to the moment the demo started
    anchor = datetime(2000, 1, 3, tzinfo=settings.tz)
    return IntervalTrigger(timezone=settings.tz, start_date=anchor, **job.trigger_args)


def attach(app: Flask) -> DeliveryWorker:
    """Give the app (demo mode) a delivery worker and the clock's `tick`: the simulator's
    `/sim/api/tick` runs every job once as of a moment, then one delivery pass judged by it."""
    settings: Settings = app.config["SETTINGS"]
    sessions = app.extensions["db.sessions"]
    # The worker reads the app's clock: in the demo the simulator may have moved it.
    worker = DeliveryWorker(sessions, app.extensions["line.gateway"], clock=app_clock.utc_now,
                            tz=settings.tz)

    def run_tick(at: datetime) -> dict[str, Any]:
        with TURN:  # never while the background clock or worker is at work
            jobs = {job_id: str(result) for job_id, result in tick(sessions, at, settings).items()}
            return {"jobs": jobs, "sent": worker.run_once(at).sent}  # office hours as of `at`

    app.extensions[TICK] = run_tick
    return worker


# Officers the demo round leaves without a progress report, so that ticking the simulator's
# clock before the progress deadline shows reminders (นายสมชาย ตั้งใจ).
UNREPORTED = ("D0004",)


def prepare_demo(app: Flask) -> bool:
    """Seed the demo agency and its round on a new database (True), or keep the one there is
    (False): a database `make run` made before, whatever happened to it since (a round closed,
    reports made), is the user's and is never seeded over. Inside an app context."""
    from sqlalchemy import select

    from bot.db import session_scope
    from bot.demo import AGENCY, PEOPLE, seed_demo
    from bot.demo_appraisal import seed_appraisal_demo
    from models import Agency

    settings: Settings = app.config["SETTINGS"]
    fake = app.extensions["fake_line"]
    for person in PEOPLE:
        fake.profiles[person.line_user_id] = person.nickname
    today = app_clock.now(settings.timezone).date()
    with session_scope() as session:
        if session.scalar(select(Agency.id).where(Agency.code == AGENCY[0])) is not None:
            log.info("the demo database is kept as it is")
            return False
        seed_demo(session, today=today)
        session.commit()
    with session_scope() as session:  # a round ready to close, but for the unreported
        seed_appraisal_demo(session, today=today, unreported=UNREPORTED)
        session.commit()
    return True


def main() -> None:
    """`make run`: the whole bot in one process, on SQLite, with its simulator."""
    from bot.app import create_app
    from bot.evidence import fetch_pending_evidence
    from models.migrate import upgrade
    from thai import warm_up

    app = create_app()
    warm_up()
    settings: Settings = app.config["SETTINGS"]
    if not settings.is_demo:
        raise SystemExit("make run is the demo mode; unset the LINE keys or use the Procfile")
    with app.app_context():
        upgrade(app.extensions["db.engine"])
        seeded = prepare_demo(app)

    # The role menus' images are drawn once, before the server answers (the simulator shows
    # them; the fake LINE gets them), so no page waits on drawing.
    from bot.richmenu import MENUS, menu_image, menu_preview

    for kind in MENUS:
        menu_image(kind)
        menu_preview(kind)

    # Local mode runs the clock and the delivery worker in this process, on the app's clock
    # (production: the `clock` and `worker` processes of the Procfile, on real time).
    worker = attach(app)
    sessions = app.extensions["db.sessions"]

    clock = SimulatedClock(sessions, settings)

    def clock_and_deliver_forever() -> None:
        """The clock's jobs and the delivery worker, both on the app's (maybe simulated) clock."""
        with app.app_context():
            _set_up_rich_menus(settings)
            while True:
                try:
                    with TURN:
                        clock.run_due(app_clock.now(settings.timezone))
                        worker.run_once()
                    fetch_pending_evidence(sessions, app.extensions["line.gateway"],
                                           settings.storage_dir)
                except Exception:
                    log.exception("clock or outbox delivery failed; trying again")
                time.sleep(1)

    threading.Thread(target=clock_and_deliver_forever, name="clock-and-delivery",
                     daemon=True).start()
    url = f"http://127.0.0.1:{settings.port}"
    kept = "kept from the last run (delete instance/bot.sqlite3 to start over)"
    print("\n  Demo mode (no LINE keys): listening on the loopback address 127.0.0.1 only,"
          "\n  not reachable from other machines; set the LINE keys for production."
          f"\n  Demo data: {'seeded' if seeded else kept}"
          f"\n  Simulator: {url}/sim\n  Webhook:   {url}/callback\n"
          "  The simulator's new user can link with a code from its button (ขอรหัสเชื่อมบัญชีทดลอง)"
          "\n  or from `flask staff link-codes`."
          "\n  Reminders: the simulator's นาฬิกาจำลอง runs `tick` at a chosen date and time.\n",
          flush=True)
    app.run(host="127.0.0.1", port=settings.port, threaded=True, use_reloader=False)


def _set_up_rich_menus(settings: Settings) -> None:
    """The demo's fake LINE gets a rich menu per role once the web server answers (the clock's
    sync-rich-menus job then links each person to their role's)."""
    from bot.line_gateway import LineApiError
    from bot.richmenu import setup_rich_menus

    for _ in range(30):
        try:
            setup_rich_menus(settings)
            return
        except LineApiError:
            time.sleep(1)  # the web server is not listening yet
    log.warning("rich menus not set up on the demo's fake LINE")


if __name__ == "__main__":
    main()
