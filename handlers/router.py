"""The conversation router: one table from what the user said or tapped to a handler.

Order: group chats get a note; `ยกเลิก` leaves any flow; a person inside a flow (state in the
database, see handlers/conversation.py) goes to that flow's step; otherwise the command tables
below. Handlers return the messages to reply with and never commit (the webhook owns the
transaction).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy.orm import Session, joinedload

from handlers import (  # issue 7  # issue 8
    announcing,
    competency,
    confirming,
    console_login,
    conversation,
    forms,
    hipps,
    idp,
    kpis,
    linking,
    lowperf,
    reminders,
    reporting,
    results,
    texts,
)
from handlers import messages as m
from handlers.context import Context, Handler, command_key, linked_only
from handlers.conversation import Step
from handlers.events import (
    Followed,
    Ignored,
    Incoming,
    JoinedChat,
    MediaReceived,
    PostbackReceived,
    TextReceived,
    Unfollowed,
)
from handlers.profile import my_data_card
from models import Conversation, LineUser, ReportKind, Staff, audit
from models.linking import looks_like_code, unlink_account
from thai import parse

log = logging.getLogger(__name__)

MAX_TEXT_READ = 2000  # characters; a longer message is not a command or an answer




def show_help(ctx: Context) -> list[m.Message]:
    if ctx.staff is None:
        return [m.text(f"{texts.HELP_TITLE}\n• เชื่อมบัญชี: ใส่รหัสจาก HR\n\n{texts.NOT_LINKED}",
                       ctx.menu)]
    shown = dict(texts.HELP_LINES)
    if announcing.is_hr(ctx.session, ctx.staff):
        shown.update(texts.HR_HELP_LINES)
    lines = "\n".join(f"• {cmd}: {what}" for cmd, what in shown.items())
    return [m.text(f"{texts.HELP_TITLE}\n{lines}", ctx.menu)]


def show_my_data(ctx: Context) -> list[m.Message]:
    assert ctx.staff is not None
    return [my_data_card(ctx.session, ctx.staff, ctx.line_user, ctx.now.tzinfo or UTC, ctx.menu)]


def start_linking(ctx: Context) -> list[m.Message]:
    if ctx.staff is not None:
        return [m.text("บัญชี LINE นี้เชื่อมกับข้อมูลของคุณแล้ว", ctx.menu)]
    return _run_step(ctx, linking.FLOW, linking.start(ctx))


def start_report(ctx: Context) -> list[m.Message]:
    current = conversation.current(ctx.session, ctx.line_user.user_id, ctx.now)
    return _run_step(ctx, reporting.FLOW, reporting.start(ctx, current, None))


def start_training_report(ctx: Context) -> list[m.Message]:
    current = conversation.current(ctx.session, ctx.line_user.user_id, ctx.now)
    return _run_step(ctx, reporting.FLOW,
                     reporting.start(ctx, current, None, ReportKind.DEVELOPMENT))


# What a user may type (after normalising) and what it does.
COMMANDS: dict[str, Handler] = {
    "ช่วยเหลือ": show_help,
    "เมนู": show_help,
    "help": show_help,
    "menu": show_help,
    "เชื่อมบัญชี": start_linking,
    "ตัวชี้วัดของฉัน": linked_only(kpis.my_kpis),
    "ตัวชี้วัด": linked_only(kpis.my_kpis),
    "กำหนดส่ง": linked_only(kpis.deadlines),
    "ผู้อยู่ในความดูแล": linked_only(kpis.people_in_care),
    "รออนุมัติ": linked_only(kpis.pending_approvals),
    "รายงานความก้าวหน้า": linked_only(start_report),
    "รายงานผล": linked_only(start_report),
    "รายงาน": linked_only(start_report),
    "รายงานการอบรม": linked_only(start_training_report),
    "ข้อมูลของฉัน": linked_only(show_my_data),
    # issue 7: HR announcements, forms, console sign-in (HR is checked in the handlers)
    "ประกาศ": linked_only(lambda ctx: _run_step(ctx, announcing.FLOW, announcing.start(ctx))),
    "สรุปประกาศ": linked_only(announcing.summary),
    "เข้าสู่ระบบ": linked_only(console_login.request_link),
    "แบบฟอร์ม": linked_only(forms.my_forms),
    # Issue 8: appraisal results, low performers, IDPs, HiPPS.
    "ประเมินสมรรถนะ": linked_only(competency.start),
    "ผลการประเมิน": linked_only(results.my_results),
    "ผู้มีผลต่ำกว่าเกณฑ์": linked_only(lowperf.my_cases),
    "แผนพัฒนา": linked_only(idp.show),
    "แผนพัฒนารายบุคคล": linked_only(idp.show),
    "idp": linked_only(idp.show),
    "ความพึงพอใจการพัฒนา": linked_only(idp.ask_survey),
    "รายงานhipps": linked_only(hipps.show_report),
    "hipps": linked_only(hipps.show_report),
    "โครงการสำคัญ": linked_only(hipps.show_projects),
}

# What a postback's `action=` may name. The rest of its data is checked by the handler.
POSTBACKS: dict[str, Callable[[Context, dict[str, str]], list[m.Message]]] = {
    "help": lambda ctx, _params: show_help(ctx),
    "mydata": lambda ctx, _params: linked_only(show_my_data)(ctx),
    "kpichange": lambda ctx, params: (kpis.decide_change(ctx, params) if ctx.staff
                                      else [m.text(texts.NOT_LINKED, ctx.menu)]),
    "rpt": lambda ctx, params: _linked_postback(ctx, confirming.FLOW, confirming.on_tap, params),
    "rptall": lambda ctx, params: _linked_postback(ctx, "", confirming.approve_all, params),
    "myrpt": lambda ctx, params: _linked_postback(ctx, reporting.FLOW, reporting.on_own_report,
                                                  params),
    # issue 7
    "ack": lambda ctx, params: _linked_postback(ctx, "", announcing.acknowledge, params),
    "annnames": lambda ctx, params: _linked_postback(ctx, "", announcing.names, params),
    "form": lambda ctx, params: _linked_postback(ctx, forms.FLOW, forms.open_form, params),
    # Issue 8
    "cmp": lambda ctx, params: _linked_postback(ctx, competency.FLOW, competency.on_tap, params),
    "cmplist": lambda ctx, params: _linked_postback(ctx, "", competency.list_page, params),
    "apr": lambda ctx, params: _linked_postback(ctx, results.FLOW, results.on_tap, params),
    "lp": lambda ctx, params: _linked_postback(ctx, lowperf.FLOW, lowperf.on_tap, params),
    "idp": lambda ctx, params: _linked_postback(ctx, idp.FLOW, idp.on_tap, params),
    "svy": lambda ctx, params: _linked_postback(ctx, "", idp.on_survey, params),
    "hip": lambda ctx, params: _linked_postback(ctx, "", hipps.on_tap, params),
    "ms": lambda ctx, params: _linked_postback(ctx, "", hipps.on_milestone, params),
    "snooze": lambda ctx, params: _linked_postback(ctx, "", reminders.snooze, params),  # issue 6
}

# Each flow: its steps by state (declared in its module).
FLOWS: dict[str, dict[str, Callable[[Context, str, dict[str, Any]], Step]]] = {
    linking.FLOW: linking.STEPS,
    reporting.FLOW: reporting.STEPS,
    confirming.FLOW: confirming.STEPS,
    announcing.FLOW: announcing.STEPS,  # issue 7
    forms.FLOW: forms.STEPS,  # issue 7
    # Issue 8
    competency.FLOW: competency.STEPS,
    results.FLOW: results.STEPS,
    lowperf.FLOW: lowperf.STEPS,
    idp.FLOW: idp.STEPS,
}

CANCEL_WORDS = {"ยกเลิก", "cancel"}
_COMMAND_KEYS = {command_key(k): v for k, v in COMMANDS.items()}
_CANCEL_KEYS = {command_key(k) for k in CANCEL_WORDS}


def handle(session: Session, event: Incoming, now: datetime, *, tz: tzinfo,
           public_base_url: str) -> list[m.Message]:
    """Decide what to answer to one event; write what it changes to the session. `tz` and
    `public_base_url` come from the app's settings."""
    if not event.in_one_to_one_chat:
        if isinstance(event, (TextReceived, MediaReceived, PostbackReceived, JoinedChat)):
            return [m.text(texts.GROUP_ONLY_ONE_TO_ONE)]
        return []
    if isinstance(event, Ignored) or event.user_id is None:
        return []
    line_user = _line_user(session, event.user_id, now)
    ctx = Context(session, line_user, _linked_staff(session, line_user), now, tz, public_base_url)

    if isinstance(event, Followed):
        return _on_follow(ctx)
    if isinstance(event, Unfollowed):
        line_user.following = False
        conversation.end(session, line_user.user_id)
        audit(session, "line.unfollow", actor_line_user_id=event.user_id,
              actor_staff_id=line_user.staff_id)
        unlink_account(session, line_user)
        return []
    if isinstance(event, TextReceived):
        return _on_text(ctx, event.text)
    if isinstance(event, PostbackReceived):
        return _on_postback(ctx, event)
    if isinstance(event, MediaReceived):
        flow = conversation.current(session, line_user.user_id, now)
        if flow is not None and flow.flow == reporting.FLOW and ctx.staff is not None:
            step = reporting.on_media(ctx, event, flow.state, dict(flow.data))
            return _run_step(ctx, reporting.FLOW, step)
        if flow is not None and flow.flow == announcing.FLOW and ctx.staff is not None:  # issue 7
            return _run_step(ctx, announcing.FLOW,
                             announcing.on_media(ctx, event, flow.state, dict(flow.data)))
        intro = texts.MEDIA.get(event.kind, "ได้รับข้อความแล้ว")
        return [m.text(f"{intro}\n{texts.MEDIA_NOT_NEEDED}", ctx.menu)]
    return []


def _on_follow(ctx: Context) -> list[m.Message]:
    ctx.line_user.following = True
    audit(ctx.session, "line.follow", actor_line_user_id=ctx.line_user.user_id,
          actor_staff_id=ctx.line_user.staff_id)
    if ctx.staff is not None:
        greeting = texts.GREETING_LINKED.format(name=texts.address(ctx.staff.name_th))
        return [m.text(greeting), *show_help(ctx)]
    return [m.text(texts.GREETING_UNLINKED), *start_linking(ctx)]


def _on_text(ctx: Context, text: str) -> list[m.Message]:
    if len(text) > MAX_TEXT_READ:
        return [m.text(texts.TOO_LONG, ctx.menu)]
    key = command_key(text)
    flow = conversation.current(ctx.session, ctx.line_user.user_id, ctx.now)
    if key in _CANCEL_KEYS:
        conversation.end(ctx.session, ctx.line_user.user_id)
        return [m.text(texts.CANCELLED, ctx.menu)]
    handler = _COMMAND_KEYS.get(key)
    if handler is not None:  # a menu command answers and leaves any flow where it was
        return handler(ctx)
    if flow is not None and flow.flow in FLOWS and flow.state in FLOWS[flow.flow]:
        step = FLOWS[flow.flow][flow.state](ctx, text, dict(flow.data))
        return _run_step(ctx, flow.flow, step, flow)
    if ctx.staff is None and looks_like_code(text):
        return _run_step(ctx, linking.FLOW, linking.on_code(ctx, text, {}))
    if ctx.staff is None:
        return [m.text(texts.NOT_LINKED, ctx.menu)]
    if reporting.looks_like_training(text):
        return _run_step(ctx, reporting.FLOW,
                         reporting.start(ctx, flow, text, ReportKind.DEVELOPMENT), flow)
    parsed = parse(text, ctx.now.date())
    if reporting.looks_like_report(parsed):
        return _run_step(ctx, reporting.FLOW, reporting.start(ctx, flow, text, parsed=parsed),
                         flow)
    return [m.text(texts.UNKNOWN, ctx.menu)]


def _run_step(ctx: Context, flow: str, step: Step,
              current: Conversation | None | object = conversation.UNKNOWN) -> list[m.Message]:
    """Save where the flow is now; a finished flow's last answer carries the menu.

    `current` is the person's flow row when the caller has just read it (None: there is none).
    """
    conversation.save(ctx.session, ctx.line_user.user_id, flow, step, ctx.now, current)
    messages = list(step.messages)
    if step.state is None and messages and "quickReply" not in messages[-1]:
        messages[-1] = {**messages[-1], "quickReply": m.quick_reply(ctx.menu)}
    return messages


def _on_postback(ctx: Context, event: PostbackReceived) -> list[m.Message]:
    params = {k: v[0] for k, v in parse_qs(event.data, keep_blank_values=True).items()}
    handler = POSTBACKS.get(params.get("action", ""))
    if handler is None:
        audit(ctx.session, "postback.refused", actor_line_user_id=ctx.line_user.user_id,
              actor_staff_id=ctx.line_user.staff_id, data=event.data[:300])
        return [m.text(texts.STALE_BUTTON, ctx.menu)]
    return handler(ctx, params)


def _linked_postback(ctx: Context, flow: str,
                     handler: Callable[[Context, dict[str, str]], list[m.Message] | Step],
                     params: dict[str, str]) -> list[m.Message]:
    """A postback that needs a linked person; a handler's Step starts (or moves) `flow`."""
    if ctx.staff is None:
        return [m.text(texts.NOT_LINKED, ctx.menu)]
    answer = handler(ctx, params)
    return _run_step(ctx, flow, answer) if isinstance(answer, Step) else answer


def _line_user(session: Session, user_id: str, now: datetime) -> LineUser:
    line_user = session.get(LineUser, user_id, options=[joinedload(LineUser.staff)])  # one query
    if line_user is None:
        line_user = LineUser(user_id=user_id, following=True, first_seen_at=now,
                             failed_link_attempts=0)
        session.add(line_user)
    return line_user


def _linked_staff(session: Session, line_user: LineUser) -> Staff | None:
    if line_user.staff_id is None:
        return None
    staff = line_user.staff
    return staff if staff is not None and staff.active else None
