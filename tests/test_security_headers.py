"""Headers on every response, the console's sign-in POST, and what production refuses."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from bot.app import create_app
from bot.fake_line import FakeLine
from bot.settings import PRODUCTION, ConfigError, Settings, require_secret_key
from tests.hr_console import people, sign_in_link

PRODUCTION_ENV = {"LINE_CHANNEL_SECRET": "a-real-channel-secret", "LINE_CHANNEL_ACCESS_TOKEN": "t",
                  "DATABASE_URL": "postgresql://u@db.internal/bot"}


@pytest.fixture
def production_app(settings: Settings, engine: Engine, fake_line: FakeLine) -> Iterator[Flask]:
    application = create_app(settings.with_(mode=PRODUCTION), engine=engine, fake_line=fake_line)
    application.config["TESTING"] = True
    yield application
    application.extensions["line.gateway"].close()


@pytest.mark.parametrize("path", ["/healthz", "/hr/", "/hr/login/nope", "/sim", "/nowhere"])
def test_every_response_says_nosniff(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in response.headers  # demo: plain http on loopback


def test_the_webhook_refusal_says_nosniff_too(client: FlaskClient) -> None:
    response = client.post("/callback", data=b"{}", headers={"X-Line-Signature": "x"})
    assert response.status_code == 400
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_asks_for_https_only(production_app: Flask) -> None:
    with production_app.test_client().get("/healthz") as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_the_sign_in_post_from_another_site_is_refused(app: Flask, client: FlaskClient,
                                                       fake_line: FakeLine) -> None:
    p = people(app)
    link = sign_in_link(app, client, fake_line, p["hr_user"])
    assert link is not None
    path = link.split("127.0.0.1:8000", 1)[1]
    forged = client.post(path, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403 and "hr_session" not in forged.headers.get("Set-Cookie", "")
    # the link was not spent by the forged post: the person's own tap still works
    own = client.post(path, headers={"Origin": "http://localhost"})
    assert own.status_code == 302 and "hr_session=" in own.headers["Set-Cookie"]


@pytest.mark.parametrize(("change", "says"), [
    ({"LINE_CHANNEL_SECRET": "demo-channel-secret"}, "public demo secret"),
    ({"DATABASE_URL": "sqlite:////srv/bot.sqlite3"}, "ALLOW_SQLITE_IN_PRODUCTION"),
], ids=["demo-secret", "sqlite"])
def test_production_refuses_an_unsafe_environment(change: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        Settings.from_env({**PRODUCTION_ENV, **change})


def test_sqlite_in_production_only_when_explicitly_allowed() -> None:
    settings = Settings.from_env({**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////srv/b.sqlite3",
                                  "ALLOW_SQLITE_IN_PRODUCTION": "1"})
    assert not settings.is_demo and settings.database_url.startswith("sqlite")


@pytest.mark.parametrize("key", ["", "a-real-channel-secret", "demo-secret-key"],
                         ids=["missing", "the-channel-secret", "the-demo-key"])
def test_the_production_web_needs_a_secret_key_of_its_own(key: str) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        require_secret_key({**PRODUCTION_ENV, "SECRET_KEY": key})
    require_secret_key({**PRODUCTION_ENV, "SECRET_KEY": "0f3c9a1d7e5b42c8a6d1f09e7b3c5a2d"})


def test_the_console_cookie_is_secure_in_production(production_app: Flask,
                                                    fake_line: FakeLine) -> None:
    client = production_app.test_client()
    p = people(production_app)
    link = sign_in_link(production_app, client, fake_line, p["hr_user"])
    assert link is not None
    response = client.post(link.split("127.0.0.1:8000", 1)[1])
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 302 and "Secure" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_names_and_announcements_with_html_are_shown_as_text(app: Flask, client: FlaskClient,
                                                             fake_line: FakeLine) -> None:
    from bot import db
    from models import Announcement, Staff, utcnow
    from tests.hr_console import signed_in

    p = people(app)
    script = "<script>alert(1)</script>"
    with app.app_context(), db.session_scope() as session:
        officer = session.get(Staff, p["officer_id"])
        assert officer is not None
        officer.name_th = "นาย" + script
        announcement = Announcement(agency_id=p["agency_id"], author_id=p["hr_id"],
                                    body="ประกาศ " + script, audience="all", status="sent",
                                    scheduled_for=utcnow(), sent_at=utcnow())
        session.add(announcement)
        session.commit()
        announcement_id = announcement.id
    signed_in(app, client, fake_line, p["hr_user"])
    for path in ("/hr/people", f"/hr/people/{p['officer_id']}", "/hr/announcements",
                 f"/hr/announcements/{announcement_id}"):
        page = client.get(path).get_data(as_text=True)
        assert script not in page, path
    assert "&lt;script&gt;" in client.get("/hr/people").get_data(as_text=True)
