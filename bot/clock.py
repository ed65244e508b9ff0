"""The one place that knows what time it is."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def now(timezone: str) -> datetime:
    """The current moment, aware, in the app's time zone."""
    return datetime.now(ZoneInfo(timezone))
