"""Stored files: served as downloads that never run on the console's origin, and kept inside the
storage folder whatever the ids say."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.app import create_app
from bot.fake_line import FakeLine
from bot.settings import Settings
from models import Announcement, Evidence, EvidenceStatus, SendStatus, utcnow
from tests.builders import make_officer

HOSTILE = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(document.cookie)</script></svg>"


@pytest.fixture
def storage_app(settings: Settings, engine: Engine, fake_line: FakeLine,
                tmp_path: Path) -> Iterator[Flask]:
    application = create_app(settings.with_(storage_dir=str(tmp_path)), engine=engine,
                             fake_line=fake_line)
    application.config["TESTING"] = True
    yield application
    application.extensions["line.gateway"].close()


def attached(engine: Engine, folder: Path, content_type: str) -> str:
    """A sent announcement whose attachment LINE said was `content_type`; its file URL."""
    (folder / "announcement").mkdir(exist_ok=True)
    (folder / "announcement" / "a.bin").write_bytes(HOSTILE)
    with Session(engine) as session:
        hr, user = make_officer(session)
        evidence = Evidence(staff_id=hr.id, line_message_id=user[-12:], kind="file",
                            status=EvidenceStatus.STORED, path="announcement/a.bin",
                            content_type=content_type, size=len(HOSTILE))
        session.add(evidence)
        session.flush()
        announcement = Announcement(agency_id=hr.agency_id, author_id=hr.id, body="ดูไฟล์แนบ",
                                    attachment_id=evidence.id, attachment_token="t0ken",
                                    audience="all", status=SendStatus.SENT,
                                    scheduled_for=utcnow(), sent_at=utcnow())
        session.add(announcement)
        session.commit()
        return f"/files/announcement/{announcement.id}/t0ken"


@pytest.mark.parametrize(("declared", "served"), [
    ("text/html", "application/octet-stream"),
    ("image/svg+xml", "application/octet-stream"),
    ("application/pdf", "application/octet-stream"),
    ("", "application/octet-stream"),
    ("image/png", "image/png"),
    ("IMAGE/JPEG; charset=x", "image/jpeg"),
])
def test_attachments_are_downloads_with_a_safe_type(storage_app: Flask, engine: Engine,
                                                    tmp_path: Path, declared: str,
                                                    served: str) -> None:
    url = attached(engine, tmp_path, declared)
    with storage_app.test_client().get(url) as response:
        assert response.status_code == 200 and response.data == HOSTILE
        assert response.mimetype == served
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert "sandbox" in response.headers["Content-Security-Policy"]

