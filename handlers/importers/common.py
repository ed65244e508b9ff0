"""Pieces both importers share: reading cells into problems, progress, bulk writes."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import FromClause, Table, bindparam, delete, insert, update
from sqlalchemy.orm import Session

from handlers.importers.reading import Sheet
from handlers.importers.report import RowProblem
from handlers.importers.values import BadValue
from models import AuditEntry

Progress = Callable[[int, int | None], None]
BATCH = 2000  # rows per executemany
PROGRESS_EVERY = 1000
T = TypeVar("T")


class RowReader:
    """One row's cells by field; bad cells become problems on the row instead of exceptions."""

    __slots__ = ("sheet", "line", "cells", "problems")

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.line = 0
        self.cells: list[str] = []
        self.problems: list[RowProblem] = []

    def start(self, line: int, cells: list[str]) -> None:
        self.line, self.cells, self.problems = line, cells, []

    def raw(self, field: str) -> str:
        index = self.sheet.columns.get(field)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def read(self, field: str, reader: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """`reader(cell, …)`, or None with a problem noted when the cell is bad."""
        try:
            return reader(self.raw(field), *args, **kwargs)
        except BadValue as bad:
            self.problem(bad.th, bad.en, field)
            return None

    def problem(self, th: str, en: str, field: str | None = None) -> None:
        column = self.sheet.headers.get(field) if field else None
        self.problems.append(RowProblem(self.line, th, en, column))


class Ticker:
    """Calls `progress(done, total)` every PROGRESS_EVERY rows, and once at the end."""

    def __init__(self, progress: Progress | None, total: int | None) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            total = self.total if self.total is not None and self.total >= self.done else None
            self.progress(self.done, total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.done)


# --- short write transactions -------------------------------------------------------------------

Transaction = Callable[[], AbstractContextManager[object]]
"""Opens one short write transaction around a chunk of an import's writes: takes the database
writer lock, and on leaving commits and lets the lock go (bot.db.import_transaction)."""

_TRANSACTION = "importers.transaction"


@contextmanager
def in_short_transactions(session: Session, transaction: Transaction | None) -> Iterator[None]:
    """While the block runs, each chunk of writes (`write_chunk`) is its own `transaction`;
    with None, every write is in the caller's one transaction, as before."""
    if transaction is None:
        yield
        return
    session.info[_TRANSACTION] = transaction
    try:
        yield
    finally:
        session.info.pop(_TRANSACTION, None)


@contextmanager
def write_chunk(session: Session) -> Iterator[None]:
    """Around one bounded chunk of writes (at most BATCH rows of one statement)."""
    transaction: Transaction | None = session.info.get(_TRANSACTION)
    if transaction is None:
        yield
        return
    with transaction():
        yield


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def bulk_insert(session: Session, table: FromClause, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT in executemany batches (one statement per batch, no ORM objects)."""
    target = cast(Table, table)  # a model's __table__
    for batch in batches(rows):
        with write_chunk(session):
            session.execute(insert(target), list(batch))


def bulk_update(session: Session, table: FromClause, rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE … WHERE id = :id in executemany batches; rows are grouped by their keys."""
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_keys.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    target = cast(Table, table)  # a model's __table__
    for keys, group in by_keys.items():
        statement = (update(target).where(target.c.id == bindparam("b_id"))
                     .values({key: bindparam("b_" + key) for key in keys}))
        params = [{"b_" + key: value for key, value in row.items()} for row in group]
        for batch in batches(params):
            with write_chunk(session):
                session.execute(statement, list(batch))


def bulk_delete(session: Session, table: FromClause, ids: Iterable[int]) -> None:
    ordered = sorted(ids)
    target = cast(Table, table)  # a model's __table__
    for batch in batches(ordered):
        with write_chunk(session):
            session.execute(delete(target).where(target.c.id.in_(batch)))


def audit_rows(session: Session, entries: Sequence[tuple[str, str, dict[str, Any]]],
               at: datetime) -> None:
    """Audit entries (action, subject, details) written in bulk, by no one (an import)."""
    bulk_insert(session, AuditEntry.__table__, [
        {"at": at, "actor_staff_id": None, "actor_line_user_id": None, "action": action,
         "subject": subject, "details": details} for action, subject, details in entries])


def expire_cached(session: Session, *classes: type) -> None:
    """Forget what the session holds of rows the bulk statements changed."""
    for instance in list(session.identity_map.values()):
        if isinstance(instance, classes):
            session.expire(instance)
