"""Every scheduled job: an id, when it runs, and a function of (session, now, settings): the
settings are the running process's (its time zone, the public address links point to)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.settings import Settings
from models import WebhookEvent

# LINE redelivers a failed webhook for a limited time; a week of ids is far more than enough.
WEBHOOK_EVENT_RETENTION = timedelta(days=7)


def purge_webhook_events(session: Session, now: datetime) -> int:
    """Forget webhook event ids older than the retention; return how many were removed."""
    result = session.execute(
        delete(WebhookEvent).where(WebhookEvent.received_at < now - WEBHOOK_EVENT_RETENTION))
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Job:
    id: str
    run: Callable[[Session, datetime, Settings], Any]
    trigger: str
    trigger_args: dict[str, Any] = field(default_factory=dict)


def _purge_webhook_events(session: Session, now: datetime, _settings: Settings) -> int:
    return purge_webhook_events(session, now)


def _send_due_announcements(session: Session, now: datetime, settings: Settings) -> int:
    from handlers.announcements import send_due_announcements

    return send_due_announcements(session, now, public_base_url=settings.url(""))


def _announcement_summaries(session: Session, now: datetime, settings: Settings) -> int:
    from handlers.announcements import end_of_day_summaries

    return end_of_day_summaries(session, now, settings.tz)


def plan_reminders(session: Session, now: datetime, settings: Settings) -> Any:
    """The day's deadline reminders (scheduler/reminders.py); a no-op outside office hours."""
    from scheduler.reminders import plan_reminders as plan

    return plan(session, now, tz=settings.tz)


def sync_rich_menus(session: Session, now: datetime, settings: Settings) -> Any:
    """Each person's rich menu follows their role (bot/richmenu.py)."""
    from bot.richmenu import sync_rich_menus as sync

    return sync(session, now, settings)


JOBS: tuple[Job, ...] = (
    Job("purge-webhook-events", _purge_webhook_events, "cron", {"hour": 3, "minute": 15}),
    # scheduled announcements (every minute) and HR's end-of-day summary
    Job("send-due-announcements", _send_due_announcements, "interval", {"minutes": 1}),
    Job("announcement-summaries", _announcement_summaries, "cron", {"hour": 17, "minute": 0}),
    # Every half hour on weekdays: the first run inside the agency's office hours (08:30 by
    # default) plans the day; later runs add only people who had nothing yet today.
    Job("plan-reminders", plan_reminders, "cron",
        {"day_of_week": "mon-fri", "hour": "8-17", "minute": "0,30"}),
    # a new link or a changed role shows the person their role's rich menu within a minute
    Job("sync-rich-menus", sync_rich_menus, "interval", {"minutes": 1}),
)
