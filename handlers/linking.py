"""Linking a LINE account to a staff record with the one-time code HR handed out.

```mermaid
stateDiagram-v2
    [*] --> awaiting_code: follow while unlinked / "เชื่อมบัญชี" / a text shaped like a code
    awaiting_code --> confirming: a valid code (the card shows whose it is)
    awaiting_code --> awaiting_code: a wrong code, tries left / not a code (guidance, no strike)
    awaiting_code --> [*]: the fifth wrong code (linking locked 15 minutes) / ยกเลิก
    confirming --> [*]: ใช่ (linked, a welcome for the role) / ไม่ใช่ / ยกเลิก
    confirming --> confirming: anything else (asked again)
```
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from handlers import intents, menus, texts
from handlers import messages as m
from handlers.context import Answer, Context, Step, cancel_action
from handlers.flow import Flow
from handlers.outbox import enqueue_push
from models import LineUser, LinkCode, Role, RoleAssignment
from models.linking import (
    LinkRefused,
    burst_to_report,
    clean_code,
    find_code,
    link_account,
    linking_paused,
    locked_until,
    looks_like_code,
    record_failed_attempt,
)
from thai import format_datetime, parse

_ATTEMPT = re.compile(r"^[A-Z0-9]{8}$")


class LinkState(StrEnum):
    AWAITING_CODE = "awaiting_code"
    CONFIRMING = "confirming"


@dataclass
class LinkData:
    link_code_id: int | None = None  # the code found, while its owner is asked to confirm


def start(ctx: Context) -> Step[LinkData]:
    """Ask for the code (or say when the account may try again)."""
    if linking_paused(ctx.session, ctx.now):
        return Step([m.text(LINKING_PAUSED)])
    until = locked_until(ctx.line_user, ctx.now)
    if until is not None:
        return Step([_locked_message(ctx, until)])
    return Step([m.text(texts.ASK_LINK_CODE, [cancel_action()])],
                LinkState.AWAITING_CODE)


def looks_like_attempt(typed: str) -> bool:
    """Text shaped like a link code (8 letters or digits, spaces and dashes aside): only this
    counts as a try; `WRONG234` does, `สวัสดีครับ` or `ไม่มีรหัสครับ` does not."""
    return bool(_ATTEMPT.match(clean_code(typed)))


def on_code(ctx: Context, typed: str, _data: LinkData) -> Step[LinkData]:
    until = locked_until(ctx.line_user, ctx.now)
    if until is not None:
        return Step([_locked_message(ctx, until)])
    if not looks_like_attempt(typed):  # a greeting or a question: guidance, and no strike
        intent = intents.match(typed)
        # a greeting or a thank-you is answered in kind (its first line), then the guidance
        lead = (intents.answer(ctx, intent)[0]["text"].split("\n")[0] + "\n"
                if intent is not None and intent.name not in ("no_code", "laughter") else "")
        return Step([m.text(lead + texts.INTENT_NO_CODE,
                            [m.message_action("ติดต่อ HR"), cancel_action()])],
                     LinkState.AWAITING_CODE)
    if linking_paused(ctx.session, ctx.now):  # not even a right code is looked at now
        return Step([m.text(LINKING_PAUSED)])
    code = find_code(ctx.session, typed, ctx.now)
    if code is None:
        left = record_failed_attempt(ctx.session, ctx.line_user, ctx.now)
        _alert_hr_of_a_burst(ctx)
        if left == 0:
            return Step([_locked_message(ctx, locked_until(ctx.line_user, ctx.now))])
        hint = "" if looks_like_code(typed) else "\n" + texts.LINK_CODE_SHAPE
        return Step([m.text(texts.WRONG_LINK_CODE.format(left=left) + hint,
                            [cancel_action()])], LinkState.AWAITING_CODE)
    return Step([_confirm_card(code)], LinkState.CONFIRMING, LinkData(code.id))


def on_confirm(ctx: Context, typed: str, data: LinkData) -> Step[LinkData]:
    answer = parse(typed, ctx.now.date()).answer
    if answer == "no":
        return Step([m.text(texts.LINK_NOT_ME)])
    if answer != "yes":
        code = ctx.session.get(LinkCode, data.link_code_id)
        if code is None:
            return Step([m.text(texts.LINK_CODE_GONE)])
        return Step([m.text(texts.PLEASE_ANSWER_YES_NO), _confirm_card(code)],
                    LinkState.CONFIRMING, data)
    code = ctx.session.get(LinkCode, data.link_code_id)
    if code is None:
        return Step([m.text(texts.LINK_CODE_GONE)])
    try:
        staff = link_account(ctx.session, ctx.line_user, code, ctx.now)
    except LinkRefused as refused:
        return Step([m.text(refused.th)])
    ctx.staff = staff
    return Step([welcome(ctx)])


def welcome(ctx: Context) -> m.Message:
    """One short welcome for the person's role: what they can do, and the one thing to do first."""
    assert ctx.staff is not None
    kind = menus.menu_kind(ctx.roles)
    body = texts.LINKED.format(name=texts.address(ctx.staff.name_th))
    first = texts.WELCOME_FIRST[kind]
    others = [a for a in ctx.menu if a["label"] != first]
    return m.text(f"{body}\n{texts.WELCOME[kind]}", [m.message_action(first), *others][
        :m.MAX_QUICK_REPLY_ITEMS])


def start_linking(ctx: Context) -> Answer:
    """`เชื่อมบัญชี`: ask for the code, unless the account is linked already."""
    if ctx.staff is not None:
        return [m.text("บัญชี LINE นี้เชื่อมกับข้อมูลของคุณแล้ว", ctx.menu)]
    return start(ctx)


def on_text(ctx: Context, typed: str) -> Step[LinkData] | None:
    """A newcomer's text shaped like a link code is a linking attempt."""
    if ctx.staff is None and looks_like_attempt(typed):
        return on_code(ctx, typed, LinkData())
    return None


LINKING_PAUSED = ("ขณะนี้มีการใส่รหัสเชื่อมบัญชีผิดจำนวนมาก ระบบจึงพักการเชื่อมบัญชีชั่วคราว\n"
                  "กรุณาลองใหม่อีกครั้งในอีก 10 นาที")


def _alert_hr_of_a_burst(ctx: Context) -> None:
    """Codes failing from many LINE accounts at once: every HR administrator is told."""
    accounts = burst_to_report(ctx.session, ctx.now)
    if accounts is None:
        return
    hr_users = ctx.session.scalars(select(LineUser.user_id).join(
        RoleAssignment, RoleAssignment.staff_id == LineUser.staff_id).where(
        RoleAssignment.role == Role.HR_ADMIN, RoleAssignment.officer_id.is_(None),
        LineUser.following.is_(True)).distinct()).all()
    for user_id in hr_users:
        enqueue_push(ctx.session, user_id, [m.text(
            f"แจ้งเตือนความปลอดภัย: มีการใส่รหัสเชื่อมบัญชีผิดจาก {accounts} บัญชี LINE "
            "ภายใน 10 นาที อาจมีผู้พยายามเดารหัส\nตรวจสอบได้ที่หน้าบันทึกการใช้งาน")],
            category="alert")


def _confirm_card(code: LinkCode) -> m.Message:
    staff = code.staff
    unit = staff.unit.name_th if staff.unit else "-"
    body = texts.LINK_CONFIRM.format(name=staff.name_th, position=staff.position or "-", unit=unit)
    return m.text(body, [m.message_action("ใช่ ยืนยัน", "ใช่"), m.message_action("ไม่ใช่"),
                         m.message_action("ยกเลิก")])


def _locked_message(ctx: Context, until: datetime | None) -> m.Message:
    when = format_datetime(until or ctx.now, ctx.tz)
    return m.text(texts.LINK_LOCKED.format(until=when))


FLOW = Flow(
    name="link",
    states=LinkState,
    steps={LinkState.AWAITING_CODE: on_code, LinkState.CONFIRMING: on_confirm},
    data=LinkData,
    commands={"เชื่อมบัญชี": start_linking},
    on_text=on_text,
    linked=False,
    diagram=__doc__,
)
