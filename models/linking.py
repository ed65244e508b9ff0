"""Linking a LINE account to a staff record with a one-time code that HR hands out."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.audit import AuditEntry, audit
from models.base import Base, utcnow
from models.line import LineUser
from models.org import Staff

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
CODE_LENGTH = 8
CODE_VALID_FOR = timedelta(days=14)
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
# Across every account: someone trying codes from many LINE accounts gets past the per-account
# lockout, so failures are also counted together over a sliding window.
GLOBAL_WINDOW = timedelta(minutes=10)
GLOBAL_MAX_FAILURES = 50  # in the window: linking pauses for everyone until it slides on
BURST_ACCOUNTS = 10  # distinct accounts failing in the window: HR is alerted, once a window
_NOT_CODE = re.compile(r"[\s\-]")
CODE_SHAPE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


class LinkCode(Base):
    """A one-time code; only its hash is stored."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    staff: Mapped[Staff] = relationship()


def clean_code(typed: str) -> str:
    """What the person typed, as a code: upper case, no spaces or dashes
    (`abcd-efgh` → ABCDEFGH)."""
    return _NOT_CODE.sub("", typed).upper()


def looks_like_code(typed: str) -> bool:
    return bool(CODE_SHAPE.match(clean_code(typed)))


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def issue_code(session: Session, staff: Staff, now: datetime) -> str:
    """A new code for `staff` (earlier unused codes stop working); return it in the clear once."""
    session.execute(update(LinkCode).where(
        LinkCode.staff_id == staff.id, LinkCode.used_at.is_(None), LinkCode.revoked_at.is_(None))
        .values(revoked_at=now))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(LinkCode(staff_id=staff.id, code_hash=_hash(code), created_at=now,
                         expires_at=now + CODE_VALID_FOR))
    audit(session, "link_code.issued", subject=f"staff:{staff.id}")
    return code


def find_code(session: Session, typed: str, now: datetime) -> LinkCode | None:
    """The valid (unused, unrevoked, unexpired) code the person typed, if any."""
    cleaned = clean_code(typed)
    if not CODE_SHAPE.match(cleaned):
        return None
    code = session.scalars(select(LinkCode).where(LinkCode.code_hash == _hash(cleaned))).first()
    if code is None or code.used_at or code.revoked_at or code.expires_at <= now:
        return None
    return code


def locked_until(line_user: LineUser, now: datetime) -> datetime | None:
    """When this LINE account may try a code again, if it is locked out now."""
    if line_user.link_locked_until is not None and line_user.link_locked_until > now:
        return line_user.link_locked_until
    return None


def record_failed_attempt(session: Session, line_user: LineUser, now: datetime) -> int:
    """Count a wrong code; the fifth locks linking for 15 minutes. Return attempts left."""
    line_user.failed_link_attempts = (line_user.failed_link_attempts or 0) + 1
    audit(session, "link.failed", actor_line_user_id=line_user.user_id,
          attempts=line_user.failed_link_attempts).at = now
    if line_user.failed_link_attempts >= MAX_FAILED_ATTEMPTS:
        line_user.failed_link_attempts = 0
        line_user.link_locked_until = now + LOCKOUT
        audit(session, "link.locked", actor_line_user_id=line_user.user_id)
        return 0
    return MAX_FAILED_ATTEMPTS - line_user.failed_link_attempts


def _failures(session: Session, now: datetime) -> tuple[int, int]:
    """(failed attempts, distinct accounts) across everyone in the window before `now`."""
    session.flush()
    count, accounts = session.execute(
        select(func.count(), func.count(func.distinct(AuditEntry.actor_line_user_id)))
        .where(AuditEntry.action == "link.failed", AuditEntry.at > now - GLOBAL_WINDOW,
               AuditEntry.at <= now)).one()
    return int(count or 0), int(accounts or 0)


def linking_paused(session: Session, now: datetime) -> bool:
    """Whether so many codes failed lately, from any accounts, that nobody may try now."""
    return _failures(session, now)[0] >= GLOBAL_MAX_FAILURES


def burst_to_report(session: Session, now: datetime) -> int | None:
    """How many accounts failed in the window, when that is a burst HR has not been told of
    in this window (recorded as told); else None."""
    _count, accounts = _failures(session, now)
    if accounts < BURST_ACCOUNTS:
        return None
    told = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "link.burst", AuditEntry.at > now - GLOBAL_WINDOW))
    if told:
        return None
    audit(session, "link.burst", accounts=accounts).at = now
    return accounts


class LinkRefused(ValueError):
    """The link cannot be made; `th` says why to the person."""

    def __init__(self, th: str) -> None:
        super().__init__(th)
        self.th = th


def link_account(session: Session, line_user: LineUser, code: LinkCode, now: datetime) -> Staff:
    """Link the LINE account to the code's staff record: one account per person and vice versa."""
    if code.used_at or code.revoked_at or code.expires_at <= now:
        raise LinkRefused("รหัสนี้ใช้ไม่ได้แล้ว กรุณาขอรหัสใหม่จาก HR")
    if line_user.staff_id is not None:
        raise LinkRefused("บัญชี LINE นี้เชื่อมกับข้อมูลบุคลากรไว้แล้ว")
    taken = session.scalars(select(LineUser).where(LineUser.staff_id == code.staff_id)).first()
    if taken is not None:
        raise LinkRefused("ข้อมูลบุคลากรนี้เชื่อมกับบัญชี LINE อื่นอยู่แล้ว\n"
                          "หากเปลี่ยนบัญชี LINE กรุณาติดต่อ HR")
    code.used_at = now
    line_user.staff_id, line_user.linked_at = code.staff_id, now
    line_user.failed_link_attempts, line_user.link_locked_until = 0, None
    audit(session, "link.linked", actor_line_user_id=line_user.user_id,
          actor_staff_id=code.staff_id, subject=f"staff:{code.staff_id}")
    return code.staff


def unlink_account(session: Session, line_user: LineUser) -> None:
    """Unfollow: forget the link, keep every record about the person."""
    if line_user.staff_id is None:
        return
    audit(session, "link.unlinked", actor_line_user_id=line_user.user_id,
          actor_staff_id=line_user.staff_id, subject=f"staff:{line_user.staff_id}")
    line_user.staff_id, line_user.linked_at = None, None
