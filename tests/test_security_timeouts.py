"""A database that accepts connections and never answers holds no web thread for long.

The "database" is a loopback listener that accepts TCP connections and never says a word, the
way a hung server or a black-holed proxy behaves.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import Engine

from bot.app import create_app
from bot.fake_line import FakeLine
from bot.serving import BackgroundServer, serve_in_thread
from bot.settings import DEMO, Settings
from bot.sim import sign, webhook_body
from tests.builders import silent_listener, text_event
from tests.conftest import TEST_SECRET, TEST_TOKEN


@pytest.fixture
def silent_database() -> Iterator[str]:
    """A PostgreSQL URL whose server accepts every connection and never answers."""
    with silent_listener() as port:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/hung"


@pytest.fixture
def hung_app(silent_database: str) -> Iterator[BackgroundServer]:
    settings = Settings(mode=DEMO, database_url=silent_database, channel_secret=TEST_SECRET,
                        channel_access_token=TEST_TOKEN, secret_key="test-secret-key",
                        line_api_base_url="http://127.0.0.1:9/fake-line")
    app = create_app(settings, fake_line=FakeLine(access_token=TEST_TOKEN))
    server = serve_in_thread(app)
    yield server
    server.stop()
    app.extensions["line.gateway"].close()
    app.extensions["db.engine"].dispose()


def test_healthz_answers_503_within_2_s_when_the_database_never_answers(
        hung_app: BackgroundServer) -> None:
    results: list[tuple[int, float]] = []
    barrier = threading.Barrier(10)

    def probe() -> None:
        barrier.wait()
        started = time.monotonic()
        status = requests.get(hung_app.url + "/healthz", timeout=30).status_code
        results.append((status, time.monotonic() - started))

    threads = [threading.Thread(target=probe) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [503] * 10
    assert max(elapsed for _, elapsed in results) < 2.0


def test_the_webhook_fails_with_500_so_that_line_redelivers(hung_app: BackgroundServer) -> None:
    raw = json.dumps(webhook_body("U" + "1" * 32, text_event("ช่วยเหลือ"), "tok-hung"),
                     ensure_ascii=False).encode()
    response = requests.post(hung_app.url + "/callback", data=raw, timeout=60, headers={
        "Content-Type": "application/json", "X-Line-Signature": sign(raw, TEST_SECRET)})
    assert response.status_code == 500


def test_every_connection_bounds_how_long_it_waits(engine: Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        else:
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "1min"
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "10s"
