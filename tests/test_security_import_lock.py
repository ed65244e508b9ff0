"""A large import does not hold the database for the webhook: the file is read and checked with
no lock held, and written in short transactions, so LINE's webhook is answered within 2 s while
a staff file larger than HR's 20,000 people (so that it runs for seconds) goes through the
console."""
from __future__ import annotations

import csv
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot import db
from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from bot.sim import sign, webhook_body
from handlers.importers import import_staff
from models import Staff
from tests.builders import make_agency, text_event
from tests.conftest import TEST_SECRET
from tests.hr_console import csrf, people, post_file, signed_in

ANSWER_WITHIN_S = 2.0  # LINE's webhook must be answered promptly (the bound the issue sets)
# SQLite: about 10 MB, seconds of reading and writing (well under the upload cap), which the
# webhook waited for whole while the import held the writer lock. PostgreSQL has no such lock:
# HR's realistic 20,000 there (emptying the database of more takes long).
STAFF = {"sqlite": 40_000, "postgresql": 20_000}


def staff_csv(path: Path, count: int) -> Path:
    """Staff as HR exports them (100 units, supervisors, some HiPPS), without remarks."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(["รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "ระดับ", "รหัสหน่วยงาน", "หน่วยงาน",
                         "รหัสผู้บังคับบัญชา", "HiPPS"])
        for i in range(count):
            unit = i % 100
            writer.writerow([f"S{i:06d}", f"นายสมชาย ใจดี{i}", "นักวิเคราะห์นโยบายและแผนชำนาญการ",
                             "ชำนาญการ", f"U{unit:04d}", f"กองที่ {unit + 1}",
                             "" if i < 100 else f"S{unit:06d}", "ใช่" if i % 20 == 0 else ""])
    return path


def webhook_seconds(server: BackgroundServer, fake: FakeLine, user_id: str) -> float:
    """Post one signed text webhook; how long it took to be answered (200)."""
    token = uuid.uuid4().hex
    fake.expect_reply(token, user_id)
    raw = json.dumps(webhook_body(user_id, text_event("ช่วยเหลือ"), token),
                     ensure_ascii=False).encode()
    started = time.monotonic()
    response = requests.post(server.url + "/callback", data=raw, timeout=120, headers={
        "Content-Type": "application/json", "X-Line-Signature": sign(raw, TEST_SECRET)})
    assert response.status_code == 200
    return time.monotonic() - started


def test_a_webhook_is_answered_within_2_s_while_a_large_import_runs(
        app: Flask, client: FlaskClient, served_app: BackgroundServer, fake_line: FakeLine,
        engine: Engine, tmp_path: Path) -> None:
    dialect = engine.dialect.name
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    content = staff_csv(tmp_path / "staff.csv", STAFF[dialect]).read_bytes()
    token = csrf(client, "/hr/import")
    webhook_seconds(served_app, fake_line, p["officer_user"])  # the app warmed up
    statuses: list[int] = []

    def upload() -> None:
        statuses.append(post_file(client, token, content, "staff.csv").status_code)

    importing = threading.Thread(target=upload)
    started = time.monotonic()
    importing.start()
    answered: list[float] = []
    while importing.is_alive():
        answered.append(webhook_seconds(served_app, fake_line, p["officer_user"]))
        time.sleep(0.05)
    importing.join()
    took = time.monotonic() - started
    assert statuses == [200]
    with app.app_context(), db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Staff).where(
            Staff.staff_code.like("S0_____"))) == STAFF[dialect]
    # the import ran long enough to matter, and no webhook waited for it
    assert max(answered) < ANSWER_WITHIN_S, (answered, took)
    assert dialect != "sqlite" or took > 1.5 * ANSWER_WITHIN_S, took
    assert len(answered) >= 3, answered


class Chunks:
    """A stand-in for bot.db.import_transaction that counts the chunks and can lose the
    database after `fail_after` of them."""

    def __init__(self, session: Session, fail_after: int | None = None) -> None:
        self.session, self.fail_after, self.opened = session, fail_after, 0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        self.opened += 1
        if self.fail_after is not None and self.opened > self.fail_after:
            raise OperationalError("INSERT", {}, Exception("the database went away"))
        yield
        self.session.commit()


def test_every_row_is_checked_before_the_first_short_transaction(engine: Engine,
                                                                 tmp_path: Path) -> None:
    path = staff_csv(tmp_path / "staff.csv", 3000)
    with path.open("a", encoding="utf-8", newline="") as file:
        file.write("S000007,นายซ้ำ รหัสเดิม,,,U0001,,,\r\n")  # a duplicate code on the last line
    with Session(engine) as session:
        agency, _unit = make_agency(session)
        session.commit()
        chunks = Chunks(session)
        report = import_staff(session, path, agency_code=agency.code, transaction=chunks)
        assert not report.ok and chunks.opened == 0
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Staff)) == 0


def test_an_import_cut_short_between_chunks_is_completed_by_importing_again(
        engine: Engine, tmp_path: Path) -> None:
    path = staff_csv(tmp_path / "staff.csv", 5000)
    with Session(engine) as session:
        agency, _unit = make_agency(session)
        session.commit()
        with pytest.raises(OperationalError):
            import_staff(session, path, agency_code=agency.code,
                         transaction=Chunks(session, fail_after=2))
        session.rollback()
        written = session.scalar(select(func.count()).select_from(Staff))
        assert 0 < (written or 0) < 5000  # the chunks before the failure stay
        again = Chunks(session)
        report = import_staff(session, path, agency_code=agency.code, transaction=again)
        assert report.ok and again.opened > 1
        supervisors = dict(session.execute(select(Staff.staff_code, Staff.supervisor_id)
                                           .where(Staff.agency_id == agency.id)).all())
        codes = dict(session.execute(select(Staff.id, Staff.staff_code)).all())
        assert len(supervisors) == 5000
        boss = supervisors["S004321"]  # set by the second run's later chunk
        assert boss is not None and codes[boss] == "S000021"
        last = import_staff(session, path, agency_code=agency.code, transaction=Chunks(session))
        assert last.ok and not last.changed  # complete: a third run changes nothing
