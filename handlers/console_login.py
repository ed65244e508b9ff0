"""Passwordless sign-in to the HR console: `เข้าสู่ระบบ` in the chat pushes a one-time link
valid for 10 minutes; using it opens a console session of 8 hours. Only hashes are stored."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from handlers import messages as m
from handlers import texts
from handlers.context import Context
from handlers.flow import Flow
from handlers.outbox import SECRET, enqueue_push
from models import ConsoleLoginToken, ConsoleSession, Staff, audit
from models.org import is_hr

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LINK_VALID_FOR = timedelta(minutes=10)
SESSION_LASTS = timedelta(hours=8)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def request_link(ctx: Context) -> list[m.Message]:
    """`เข้าสู่ระบบ`: HR gets a pushed one-time link; everyone else is told it is HR only."""
    if not is_hr(ctx.session, ctx.staff):
        audit(ctx.session, "console.link_refused", actor_line_user_id=ctx.line_user.user_id,
              actor_staff_id=ctx.line_user.staff_id)
        return [m.text(texts.NOT_HR, ctx.menu)]
    assert ctx.staff is not None
    token = secrets.token_urlsafe(32)
    ctx.session.add(ConsoleLoginToken(token_hash=digest(token), staff_id=ctx.staff.id,
                                      created_at=ctx.now, expires_at=ctx.now + LINK_VALID_FOR))
    link = ctx.url(f"/hr/login/{token}")
    enqueue_push(ctx.session, ctx.line_user.user_id, [m.buttons(
        "ลิงก์เข้าสู่ระบบ HR (ใช้ได้ครั้งเดียว ภายใน 10 นาที)",
        "ลิงก์นี้ใช้ได้ครั้งเดียว ภายใน 10 นาที\nอย่าส่งต่อให้ผู้อื่น\n" + link,
        [m.uri_action("เปิดหน้าเว็บ HR", link)], title="เข้าสู่ระบบหน้าเว็บ HR")],
        category=SECRET)
    audit(ctx.session, "console.link_sent", actor_staff_id=ctx.staff.id,
          actor_line_user_id=ctx.line_user.user_id)
    return [m.text("ส่งลิงก์เข้าสู่ระบบให้ในแชตนี้แล้ว\nใช้ได้ครั้งเดียว ภายใน 10 นาที", ctx.menu)]


def redeem(session: Session, token: str, now: datetime) -> tuple[ConsoleSession, str] | None:
    """Use a sign-in link once: a new console session and its cookie secret, or None when the
    link is unknown, used, expired, or its owner is no longer HR. Audited either way."""
    row = session.scalars(select(ConsoleLoginToken).where(
        ConsoleLoginToken.token_hash == digest(token))).first()
    if row is None:
        audit(session, "console.login_refused", reason="unknown")
        return None
    claimed = session.execute(
        update(ConsoleLoginToken).where(ConsoleLoginToken.id == row.id,
                                        ConsoleLoginToken.used_at.is_(None),
                                        ConsoleLoginToken.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False))
    staff = session.get(Staff, row.staff_id)
    if getattr(claimed, "rowcount", 0) != 1 or not is_hr(session, staff):
        reason = "used" if row.used_at else ("expired" if row.expires_at <= now else "not_hr")
        audit(session, "console.login_refused", actor_staff_id=row.staff_id, reason=reason)
        return None
    secret = secrets.token_urlsafe(32)
    console = ConsoleSession(secret_hash=digest(secret), staff_id=row.staff_id,
                             csrf_token=secrets.token_urlsafe(32), created_at=now,
                             expires_at=now + SESSION_LASTS)
    session.add(console)
    session.flush()
    audit(session, "console.login", actor_staff_id=row.staff_id, subject=f"session:{console.id}")
    return console, secret


def current(session: Session, secret: str | None,
            now: datetime) -> tuple[ConsoleSession, Staff] | None:
    """The signed-in HR person for a cookie secret, checked on every request."""
    if not secret:
        return None
    console = session.scalars(select(ConsoleSession).where(
        ConsoleSession.secret_hash == digest(secret))).first()
    if console is None or console.ended_at is not None or console.expires_at <= now:
        return None
    staff = session.get(Staff, console.staff_id)
    if staff is None or not is_hr(session, staff):
        return None
    return console, staff


FLOW = Flow(name="", commands={"เข้าสู่ระบบ": request_link})
