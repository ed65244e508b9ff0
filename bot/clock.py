"""The one place that knows what time it is.

In demo mode the simulator's clock control moves it (`set_now`): from then on every part of the
process (conversations, report timestamps, the clock's jobs, the delivery worker) reads the
simulated time, which runs on from the moment set. Production never sets it.
"""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_lock = threading.Lock()
_offset: timedelta | None = None  # simulated minus real time (demo only); None: real time


def now(timezone: str) -> datetime:
    """The current moment, aware, in the app's time zone (the simulated one when set)."""
    real = datetime.now(ZoneInfo(timezone))
    offset = _offset
    return real if offset is None else real + offset


def utc_now() -> datetime:
    """The same moment in UTC (the delivery worker's clock)."""
    return now("UTC").astimezone(UTC)


def set_now(at: datetime | None) -> None:
    """Make `at` the current moment from now on (time runs on from it); None: real time."""
    global _offset
    with _lock:
        _offset = None if at is None else at - datetime.now(UTC)


def simulated() -> bool:
    """Whether the clock has been moved (demo mode)."""
    return _offset is not None
