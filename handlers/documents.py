"""An officer's own result PDF from the chat ("ขอผลประเมิน PDF", "พิมพ์ผลประเมิน").

LINE's Messaging API has no file message for bots, so the officer gets a button opening a
download link: a random token (its hash stored, `models.documents.DocumentLink`) for that
person's own latest approved result only, valid `LINK_VALID_FOR`. The web app serves it
(`/files/result/<token>.pdf`, bot/console/documents.py) after checking the link again.
Without an approved result the answer says when the result will be there.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers import texts
from handlers.context import Context
from models import Agency, Round, Staff, audit
from models.appraisal import FROZEN, Appraisal, AppraisalStatus
from models.documents import DocumentLink
from thai import format_date

LINK_VALID_FOR = timedelta(minutes=30)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def own_result(session: Session, staff: Staff) -> Appraisal | None:
    """The officer's latest result the evaluator approved (what the officer may see)."""
    return session.scalars(select(Appraisal).where(
        Appraisal.officer_id == staff.id, Appraisal.status.in_(FROZEN))
        .order_by(Appraisal.id.desc())).first()


def _not_yet(ctx: Context) -> str:
    """When the result will be there: after the round's end, the close and the approval."""
    assert ctx.staff is not None
    pending = ctx.session.scalars(select(Appraisal).where(
        Appraisal.officer_id == ctx.staff.id).order_by(Appraisal.id.desc())).first()
    if pending is not None:
        round_ = ctx.session.get(Round, pending.round_id)
        title = round_.title_th if round_ else ""
        if pending.status == AppraisalStatus.INCOMPLETE:
            return texts.RESULT_PDF_INCOMPLETE.format(round=title)
        return texts.RESULT_PDF_WAITING_APPROVAL.format(round=title)
    round_ = ctx.session.scalars(select(Round).where(
        Round.agency_id == ctx.staff.agency_id, Round.starts_on <= ctx.now.date())
        .order_by(Round.starts_on.desc())).first()
    if round_ is None:
        return texts.RESULT_PDF_NO_ROUND
    return texts.RESULT_PDF_AFTER_ROUND.format(round=round_.title_th,
                                               end=format_date(round_.ends_on, full=True))


def result_link(ctx: Context) -> list[m.Message]:
    """The officer's own result PDF as a short-lived link, or when it will be there."""
    if ctx.staff is None:
        return [m.text(texts.NOT_LINKED, ctx.menu)]
    appraisal = own_result(ctx.session, ctx.staff)
    if appraisal is None:
        return [m.text(_not_yet(ctx), ctx.menu)]
    agency = ctx.session.get(Agency, ctx.staff.agency_id)
    if agency is None or not agency.officers_see_scores:
        return [m.text(texts.RESULT_PDF_SCORES_HIDDEN, ctx.menu)]
    token = secrets.token_urlsafe(32)
    ctx.session.add(DocumentLink(token_hash=digest(token), staff_id=ctx.staff.id,
                                 appraisal_id=appraisal.id, created_at=ctx.now,
                                 expires_at=ctx.now + LINK_VALID_FOR))
    audit(ctx.session, "document.link_sent", actor_staff_id=ctx.staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"appraisal:{appraisal.id}")
    round_ = ctx.session.get(Round, appraisal.round_id)
    title = round_.title_th if round_ else ""
    minutes = int(LINK_VALID_FOR.total_seconds() // 60)
    link = ctx.url(f"/files/result/{token}.pdf")
    return [m.buttons(texts.RESULT_PDF_ALT.format(round=title),
                      texts.RESULT_PDF_BODY.format(round=title, minutes=minutes),
                      [m.uri_action(texts.RESULT_PDF_BUTTON, link)],
                      title=texts.RESULT_PDF_TITLE)]


def redeem(session: Session, token: str, now: datetime) -> Appraisal | None:
    """The result a link opens: its own officer's, still approved, the officer still active,
    the link not expired; None otherwise. Audited either way."""
    link = session.scalars(select(DocumentLink).where(
        DocumentLink.token_hash == digest(token))).first()
    if link is None or link.expires_at <= now:
        audit(session, "document.link_refused", reason="unknown" if link is None else "expired",
              subject=f"appraisal:{link.appraisal_id}" if link else "")
        return None
    appraisal = session.get(Appraisal, link.appraisal_id)
    staff = session.get(Staff, link.staff_id)
    if (appraisal is None or staff is None or not staff.active
            or appraisal.officer_id != staff.id or appraisal.status not in FROZEN):
        audit(session, "document.link_refused", reason="no longer", actor_staff_id=link.staff_id,
              subject=f"appraisal:{link.appraisal_id}")
        return None
    audit(session, "document.downloaded", actor_staff_id=staff.id,
          subject=f"appraisal:{appraisal.id}")
    return appraisal
