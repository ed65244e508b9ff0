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
from datetime import datetime
from typing import Any

from flask import Flask

from bot.settings import Settings
from scheduler.__main__ import add_jobs, tick
from scheduler.delivery import DeliveryWorker

log = logging.getLogger(__name__)

TICK = "clock.tick"  # app.extensions key: the simulator's clock control calls it


def attach(app: Flask) -> DeliveryWorker:
    """Give the app (demo mode) a delivery worker and the clock's `tick`: the simulator's
    `/sim/api/tick` runs every job once as of a moment, then one delivery pass judged by it."""
    settings: Settings = app.config["SETTINGS"]
    sessions = app.extensions["db.sessions"]
    worker = DeliveryWorker(sessions, app.extensions["line.gateway"], tz=settings.tz)

    def run_tick(at: datetime) -> dict[str, Any]:
        jobs = {job_id: str(result) for job_id, result in tick(sessions, at, settings).items()}
        return {"jobs": jobs, "sent": worker.run_once(at).sent}  # office hours as of `at`

    app.extensions[TICK] = run_tick
    return worker


def main() -> None:
    """`make run`: the whole bot in one process, on SQLite, with its simulator."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot import clock as app_clock
    from bot.app import create_app
    from bot.db import session_scope
    from bot.demo import PEOPLE, seed_demo
    from bot.demo_appraisal import seed_appraisal_demo
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
        today = app_clock.now(settings.timezone).date()
        with session_scope() as session:
            seed_demo(session, today=today)
            session.commit()
        with session_scope() as session:  # a round ready to close
            seed_appraisal_demo(session, today=today)
            session.commit()
        fake = app.extensions["fake_line"]
        for person in PEOPLE:
            fake.profiles[person.line_user_id] = person.nickname

    # The role menus' images are drawn once, before the server answers (the simulator shows
    # them; the fake LINE gets them), so no page waits on drawing.
    from bot.richmenu import MENUS, menu_image, menu_preview

    for kind in MENUS:
        menu_image(kind)
        menu_preview(kind)

    # Local mode runs the clock and the delivery worker in this process (production: the
    # `clock` and `worker` processes of the Procfile).
    worker = attach(app)
    sessions = app.extensions["db.sessions"]

    def deliver_forever() -> None:
        with app.app_context():
            _set_up_rich_menus(settings)
            while True:
                try:
                    worker.run_once()
                    fetch_pending_evidence(sessions, app.extensions["line.gateway"],
                                           settings.storage_dir)
                except Exception:
                    log.exception("outbox delivery failed; trying again")
                time.sleep(1)

    threading.Thread(target=deliver_forever, name="delivery", daemon=True).start()
    clock = BackgroundScheduler(timezone=settings.tz)
    add_jobs(clock, sessions, settings)
    clock.start()
    url = f"http://127.0.0.1:{settings.port}"
    print(f"\n  Simulator: {url}/sim\n  Webhook:   {url}/callback\n"
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
