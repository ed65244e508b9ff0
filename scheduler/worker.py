"""`python -m scheduler.worker`: the delivery worker (Procfile `worker`): drains the outbox and
fetches the evidence officers sent (photos, files) into the storage folder."""
from __future__ import annotations

import argparse
import logging
import time

from bot.evidence import fetch_pending_evidence
from bot.line_gateway import LineGateway
from bot.settings import Settings
from models.db import make_engine, make_session_factory
from scheduler.delivery import DeliveryWorker, WorkerConfig

log = logging.getLogger("worker")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scheduler.worker", description=__doc__)
    parser.add_argument("--production", action="store_true")
    parser.add_argument("--idle-seconds", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=WorkerConfig.batch)
    parser.add_argument("--threads", type=int, default=WorkerConfig.threads)
    parser.add_argument("--base-delay", type=float, default=WorkerConfig.base_delay,
                        help="seconds before the first retry (doubles each time, with jitter)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env(production=args.production)
    sessions = make_session_factory(make_engine(settings.database_url))
    gateway = LineGateway(settings)
    worker = DeliveryWorker(sessions, gateway, WorkerConfig(
        batch=args.batch, threads=args.threads, base_delay=args.base_delay), tz=settings.tz)
    log.info("delivery worker started")
    while True:
        try:
            result = worker.run_once()
            stored = fetch_pending_evidence(sessions, gateway, settings.storage_dir)
            if result.sent + result.retried + result.dead + result.skipped == 0 and stored == 0:
                time.sleep(args.idle_seconds)
        except Exception:
            log.exception("delivery failed; trying again")
            time.sleep(args.idle_seconds)


if __name__ == "__main__":
    main()
