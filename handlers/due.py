"""What people still owe, for the reminder planner: one `Due` per person and open deadline.

Each capability that sets deadlines (round deadlines, HR forms, low-performer reports, ...) offers
a function `due_items(session, today) -> Iterable[Due]` that yields only the items still open
(not done) whose deadline matters on `today`; the planner in scheduler/ decides when to remind.
Done items simply stop being yielded, so their reminders stop at once.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Due:
    staff_id: int        # who owes it
    key: str             # stable id of the deadline, e.g. "round:12:progress", "form:5",
                         # "lp:3:report"
    title: str           # Thai, shown in the reminder, e.g. "ส่งแบบรายงานเส้นทางความก้าวหน้า"
    due: date            # the deadline day (Asia/Bangkok)
    escalate_to: int | None = None  # staff id told in the overdue digest (usually the supervisor)


DueSource = Callable[[Session, date], Iterable[Due]]
