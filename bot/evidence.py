"""Evidence: fetch the photos and files officers sent with their reports, and store them.

Handlers only record an `Evidence` row (LINE message id, kind, pending): they never do HTTP.
This runs in the delivery loop (the `worker` process; the demo's delivery thread): it fetches
the content through the SDK's blob API and writes it under `settings.storage_dir`. LINE keeps
message content for a limited time, so a 4xx other than 429 marks the row failed for good.
"""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.line_gateway import LineApiError, LineGateway
from models import Evidence, EvidenceStatus, utcnow
from models.db import session_scope

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
EXTENSIONS = {"image": ".jpg", "video": ".mp4", "audio": ".m4a", "file": ".bin"}


def fetch_pending_evidence(sessions: sessionmaker[Session], gateway: LineGateway,
                           storage_dir: str | Path, limit: int = 20) -> int:
    """Fetch up to `limit` pending evidence rows; return how many were stored."""
    stored = 0
    root = Path(storage_dir)
    with session_scope(sessions) as session:
        query = (select(Evidence).where(Evidence.status == EvidenceStatus.PENDING)
                 .order_by(Evidence.id).limit(limit))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for row in session.scalars(query).all():
            row.attempts += 1
            if not valid_message_id(row.line_message_id):  # never part of a path unchecked
                row.status, row.last_error = EvidenceStatus.FAILED, "invalid LINE message id"
                log.error("evidence %s refused: message id %r is not LINE's", row.id,
                          row.line_message_id[:80])
                continue
            try:
                data, content_type = gateway.message_content(row.line_message_id)
            except LineApiError as exc:
                row.last_error = str(exc)[:2000]
                if not exc.retryable or row.attempts >= MAX_ATTEMPTS:
                    row.status = EvidenceStatus.FAILED
                    log.error("evidence %s failed: %s", row.id, exc)
                else:
                    log.warning("evidence %s will be retried: %s", row.id, exc)
                continue
            relative = Path("evidence") / str(row.staff_id) / (
                f"{row.id}-{row.line_message_id}{_extension(row.kind, content_type)}")
            target = inside(root, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)  # never a half-written file under the final name
            row.status, row.path, row.stored_at = EvidenceStatus.STORED, str(relative), utcnow()
            row.content_type, row.size = content_type[:100], len(data)
            stored += 1
        session.commit()
    return stored


def valid_message_id(message_id: str) -> bool:
    """LINE's message ids are decimal digits (ASCII only: "²".isdigit() is True)."""
    return 0 < len(message_id) <= 32 and message_id.isascii() and message_id.isdigit()


def inside(root: Path, relative: Path) -> Path:
    """`root / relative`, refused (ValueError) when it resolves outside the storage folder."""
    base = root.resolve()
    target = (base / relative).resolve()
    if base not in target.parents:
        raise ValueError(f"{relative} is outside the storage folder")
    return target


def _extension(kind: str, content_type: str) -> str:
    guessed = mimetypes.guess_extension(content_type) if content_type else None
    return guessed or EXTENSIONS.get(kind, ".bin")


CONSOLE_PREFIX = "console-"  # the "message id" of a file the console made (never LINE's digits)


def store_console_file(session: Session, storage_dir: str | Path, staff_id: int, data: bytes,
                       content_type: str, name: str) -> Evidence:
    """A file the console made (the rewards' certificates), stored like fetched evidence so an
    announcement can carry it: `announcements/<staff id>/<id>-<name>` under the storage folder.
    The row is flushed, not committed: the caller commits with its audit entry."""
    import secrets

    row = Evidence(staff_id=staff_id, line_message_id=CONSOLE_PREFIX + secrets.token_hex(16),
                   kind="file", content_type=content_type[:100], size=len(data))
    session.add(row)
    session.flush()
    relative = Path("announcements") / str(staff_id) / f"{row.id}-{name}"
    target = inside(Path(storage_dir), relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    row.status, row.path, row.stored_at = EvidenceStatus.STORED, str(relative), utcnow()
    return row
