"""`python -m scheduler.worker`: the delivery worker (Procfile `worker`): drains the outbox and
fetches the evidence officers sent (photos, files) into the storage folder."""
from __future__ import annotations

import argparse
import logging
import time

from bot.delivery import drain_outbox
from bot.evidence import fetch_pending_evidence
from bot.line_gateway import LineGateway
from bot.settings import Settings
from models.db import make_engine, make_session_factory

log = logging.getLogger("worker")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scheduler.worker", description=__doc__)
    parser.add_argument("--production", action="store_true")
    parser.add_argument("--idle-seconds", type=float, default=1.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env(production=args.production)
    sessions = make_session_factory(make_engine(settings.database_url))
    gateway = LineGateway(settings)
    log.info("delivery worker started")
    while True:
        try:
            sent = drain_outbox(sessions, gateway)
            stored = fetch_pending_evidence(sessions, gateway, settings.storage_dir)
            if sent == 0 and stored == 0:
                time.sleep(args.idle_seconds)
        except Exception:
            log.exception("delivery failed; trying again")
            time.sleep(args.idle_seconds)


if __name__ == "__main__":
    main()
