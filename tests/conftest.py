"""Fixtures: every database test runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

`fake_line` is the same fake LINE API the simulator uses, served on a loopback port, so tests go
through the real SDK over HTTP. Builders for people and webhook bodies live in tests/builders.py;
the chat harness (the `chat` and `line` fixtures) lives in tests/chat.py.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.app import create_app
from bot.fake_line import FakeLine
from bot.fake_line.api import create_fake_app
from bot.serving import BackgroundServer, serve_in_thread
from bot.settings import DEMO, Settings
from models import Base
from models.db import make_engine, scratch_postgres_database
from models.migrate import upgrade

TEST_SECRET = "test-channel-secret"
TEST_TOKEN = "test-channel-access-token"

pytest_plugins = ["tests.chat", "tests.sim_api"]

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database for this test session (a new PostgreSQL database each run)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    with scratch_postgres_database(os.environ["TEST_DATABASE_URL"]) as url:
        yield url


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """The database built by the Alembic migrations, as production builds it."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _delete_all_rows(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """The migrated database, emptied after the test (for tests that commit, over HTTP too)."""
    yield migrated_engine
    _delete_all_rows(migrated_engine)


@pytest.fixture(scope="session")
def savepoint_engine(database_url: str, migrated_engine: Engine) -> Iterator[Engine]:
    engine = make_engine(database_url, sqlite_savepoints=True)
    yield engine
    engine.dispose()


@pytest.fixture
def session(savepoint_engine: Engine) -> Iterator[Session]:
    """A session whose every change, commits included, is rolled back after the test."""
    connection = savepoint_engine.connect()
    outer = connection.begin()
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint",
                         expire_on_commit=False)
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(scope="session")
def fake_line_server() -> Iterator[tuple[FakeLine, BackgroundServer]]:
    fake = FakeLine(access_token=TEST_TOKEN, check_responses=True)
    server = serve_in_thread(create_fake_app(fake))
    yield fake, server
    server.stop()


@pytest.fixture
def fake_line(fake_line_server: tuple[FakeLine, BackgroundServer]) -> Iterator[FakeLine]:
    """The fake LINE API, empty at the start of each test."""
    fake, _server = fake_line_server
    fake.clear()
    fake.profiles.clear()
    yield fake


@pytest.fixture
def settings(database_url: str, fake_line_server: tuple[FakeLine, BackgroundServer]) -> Settings:
    return Settings(mode=DEMO, database_url=database_url, channel_secret=TEST_SECRET,
                    channel_access_token=TEST_TOKEN, line_api_base_url=fake_line_server[1].url,
                    secret_key="test-secret-key", line_timeout=(2.0, 5.0))


@pytest.fixture
def app(settings: Settings, engine: Engine, fake_line: FakeLine) -> Iterator[Flask]:
    application = create_app(settings, engine=engine, fake_line=fake_line)
    application.config["TESTING"] = True
    yield application
    application.extensions["line.gateway"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def served_app(app: Flask) -> Iterator[BackgroundServer]:
    """The app on a loopback port: the simulator posts its webhooks to it over HTTP."""
    server = serve_in_thread(app)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _real_time_after_each_test() -> Iterator[None]:
    """The demo clock is process-wide: a test that moves it (the simulator) puts it back."""
    yield
    from bot import clock

    clock.set_now(None)


@pytest.fixture
def storage_app(settings: Settings, engine: Engine, fake_line: FakeLine,
                tmp_path: Path) -> Iterator[Flask]:
    """The app with its file storage (attachments, evidence) in the test's own folder."""
    application = create_app(settings.with_(storage_dir=str(tmp_path)), engine=engine,
                             fake_line=fake_line)
    application.config["TESTING"] = True
    yield application
    application.extensions["line.gateway"].close()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright (never `playwright install`), for the console's
    browser tests."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), ".ci/run installs Debian's chromium package"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])
        yield browser
        browser.close()
