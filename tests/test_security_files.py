"""Stored files: served as downloads that never run on the console's origin, and kept inside the
storage folder whatever the ids say."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from models import Announcement, Evidence, EvidenceStatus, SendStatus, utcnow
from tests.builders import make_officer

HOSTILE = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(document.cookie)</script></svg>"


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


# --- evidence file names ----------------------------------------------------------------------

def test_evidence_ids_that_are_not_lines_digits_never_name_a_file(
        app: Flask, engine: Engine, fake_line: FakeLine, tmp_path: Path) -> None:
    from bot.evidence import fetch_pending_evidence

    storage = tmp_path / "storage"
    ids = ["²³", "12/../../../escape", "..", "900001"]
    for message_id in ids:
        fake_line.contents[message_id] = (b"\xff\xd8\xff bytes", "image/jpeg")
    with Session(engine) as session:
        officer, _user = make_officer(session)
        for message_id in ids:
            session.add(Evidence(staff_id=officer.id, line_message_id=message_id, kind="image"))
        session.commit()
    fetch_pending_evidence(app.extensions["db.sessions"], app.extensions["line.gateway"], storage)
    with Session(engine) as session:
        status = {row.line_message_id: row.status for row in session.scalars(select(Evidence))}
    assert status == {"²³": EvidenceStatus.FAILED, "12/../../../escape": EvidenceStatus.FAILED,
                      "..": EvidenceStatus.FAILED, "900001": EvidenceStatus.STORED}
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert stored and all(storage.resolve() in p.resolve().parents for p in stored)


@pytest.mark.parametrize("relative", ["../x", "a/../../x", "/etc/passwd"])
def test_a_stored_path_outside_the_storage_folder_is_refused(tmp_path: Path,
                                                             relative: str) -> None:
    from bot.evidence import inside

    with pytest.raises(ValueError):
        inside(tmp_path / "storage", Path(relative))
    assert inside(tmp_path / "storage", Path("evidence/1/2-3.jpg")).name == "2-3.jpg"
