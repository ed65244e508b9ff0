"""Settings: demo needs nothing; production names what is missing; every process gets them."""
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from bot.fake_line import FakeLine
from bot.line_gateway import LineGateway
from bot.serving import BackgroundServer
from bot.settings import ConfigError, Settings
from handlers import announcements
from models import Audience, Evidence, EvidenceStatus, Unit
from models.db import make_session_factory, session_scope
from scheduler.__main__ import run_job
from scheduler.jobs import JOBS
from tests.builders import deliver_outbox, make_officer
from tests.conftest import TEST_SECRET, TEST_TOKEN


def test_demo_mode_needs_no_configuration() -> None:
    settings = Settings.from_env({})
    assert settings.is_demo
    assert settings.database_url.startswith("sqlite:///")
    assert settings.line_api_base_url == "http://127.0.0.1:8000/fake-line"
    assert settings.timezone == "Asia/Bangkok"


def test_port_moves_the_demo_fake_line_api() -> None:
    assert Settings.from_env({"PORT": "9123"}).line_api_base_url == "http://127.0.0.1:9123/fake-line"


@pytest.mark.parametrize(("env", "missing"), [
    ({"LINE_CHANNEL_SECRET": "s", "DATABASE_URL": "postgresql://x/y"}, "LINE_CHANNEL_ACCESS_TOKEN"),
    ({"LINE_CHANNEL_ACCESS_TOKEN": "t", "DATABASE_URL": "postgresql://x/y"}, "LINE_CHANNEL_SECRET"),
    ({"APP_ENV": "production", "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"},
     "DATABASE_URL"),
], ids=["no-token", "no-secret", "no-database"])
def test_production_refuses_to_start_and_names_the_missing_key(env: dict[str, str],
                                                               missing: str) -> None:
    with pytest.raises(ConfigError, match=missing):
        Settings.from_env(env)


def test_the_production_entry_point_refuses_an_empty_environment() -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({}, production=True)
    assert "LINE_CHANNEL_SECRET" in str(error.value)
    assert "LINE_CHANNEL_ACCESS_TOKEN" in str(error.value)


def test_production_reads_every_variable() -> None:
    settings = Settings.from_env({
        "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
        "DATABASE_URL": "postgres://u@h/db", "APP_TIMEZONE": "Asia/Bangkok", "PORT": "5000",
        "LINE_API_BASE_URL": "http://127.0.0.1:9/"})
    assert not settings.is_demo
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.line_api_base_url == "http://127.0.0.1:9"
    assert settings.port == 5000


def test_production_defaults_to_the_real_line_api() -> None:
    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
                                  "DATABASE_URL": "postgresql://x/y"})
    assert settings.line_api_base_url == "https://api.line.me"


def test_unknown_app_env_is_refused() -> None:
    with pytest.raises(ConfigError, match="APP_ENV"):
        Settings.from_env({"APP_ENV": "staging"})


def test_the_public_address_and_the_time_zone_are_settings() -> None:
    demo = Settings.from_env({"PORT": "9123"})
    assert demo.url("/hr/login/x") == "http://127.0.0.1:9123/hr/login/x"  # the demo's loopback
    assert demo.tz == ZoneInfo("Asia/Bangkok")
    production = Settings.from_env({"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
                                    "DATABASE_URL": "postgresql://x/y",
                                    "PUBLIC_BASE_URL": "https://pms.example.go.th/",
                                    "APP_TIMEZONE": "Asia/Tokyo"})
    assert production.url("/files/a") == "https://pms.example.go.th/files/a"
    assert production.tz == ZoneInfo("Asia/Tokyo")
    with pytest.raises(ConfigError, match="APP_TIMEZONE"):
        Settings.from_env({"APP_TIMEZONE": "Mars/Olympus"})


def test_a_scheduled_announcement_links_its_attachment_to_the_public_address(
        engine: Engine, database_url: str, fake_line: FakeLine,
        fake_line_server: tuple[FakeLine, BackgroundServer]) -> None:
    """The clock process (`python -m scheduler`) sends a scheduled announcement: the job gets
    that process's settings, so the attachment's link is PUBLIC_BASE_URL, not a loopback."""
    sessions = make_session_factory(engine)
    at = datetime(2027, 2, 24, 9, 0, tzinfo=ZoneInfo("Asia/Bangkok"))  # a Wednesday
    with session_scope(sessions) as session:
        hr, _ = make_officer(session, name="นางสาวพิมพ์ชนก ใจดี")
        unit = session.get(Unit, hr.unit_id)
        _officer, officer_user = make_officer(session, unit=unit)
        attachment = Evidence(staff_id=hr.id, line_message_id="4711", kind="image",
                              status=EvidenceStatus.STORED, path="evidence/1/4711.jpg")
        session.add(attachment)
        session.flush()
        announcement = announcements.create(
            session, author=hr, body="ดูรายละเอียดในภาพ", kind=Audience.EVERYONE, value="",
            when=at, now=at - timedelta(days=1), attachment_id=attachment.id,
            public_base_url="http://127.0.0.1:8000")  # what a web process would know
        session.commit()
        link_path = f"/files/announcement/{announcement.id}/{announcement.attachment_token}"

    clock_settings = Settings.from_env({
        "LINE_CHANNEL_SECRET": TEST_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TEST_TOKEN,
        "DATABASE_URL": database_url, "LINE_API_BASE_URL": fake_line_server[1].url,
        "PUBLIC_BASE_URL": "https://pms.example.go.th",
        "ALLOW_SQLITE_IN_PRODUCTION": "1"}, production=True)  # the SQLite run of the suite
    job = next(job for job in JOBS if job.id == "send-due-announcements")
    assert run_job(sessions, job, at, clock_settings) == 1  # as the clock fires it
    gateway = LineGateway(clock_settings)
    try:
        assert deliver_outbox(sessions, gateway, at) == 1
    finally:
        gateway.close()
    [pushed] = [d.message for d in fake_line.messages_for(officer_user) if d.kind == "multicast"]
    assert "https://pms.example.go.th" + link_path in json.dumps(pushed)
    assert "127.0.0.1" not in json.dumps(pushed)
