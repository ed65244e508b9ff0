"""The clock's jobs, run through `tick` as of a chosen moment."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.settings import REPO_ROOT, Settings
from models import WebhookEvent
from models.db import make_session_factory
from scheduler.__main__ import tick


def test_tick_purges_only_old_webhook_event_ids(engine: Engine, settings: Settings) -> None:
    now = datetime(2027, 3, 31, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    with Session(engine) as session:
        session.add_all([
            WebhookEvent(webhook_event_id="old", event_type="message",
                         received_at=now - timedelta(days=8)),
            WebhookEvent(webhook_event_id="recent", event_type="message",
                         received_at=now - timedelta(days=6)),
        ])
        session.commit()
    tick(make_session_factory(engine), now, settings)
    with Session(engine) as session:
        assert session.scalars(select(WebhookEvent.webhook_event_id)).all() == ["recent"]


def test_tick_from_the_command_line(database_url: str, engine: Engine) -> None:
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "scheduler", "tick", "--at", "2027-04-10T08:30"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "purge-webhook-events" in result.stderr
