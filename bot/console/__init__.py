"""The HR web console: server-rendered Thai pages under /hr, for HR administrators only.

Sign-in is a one-time link pushed over LINE (`เข้าสู่ระบบ`); the cookie holds a random secret
whose hash is a `ConsoleSession` row (8 hours). Every request re-checks the HR role in the
database; every POST carries the session's CSRF token; every action is audited.

Other pages join the navigation with `register_page` (see its docstring), e.g. for the
holiday overrides or the seed-004 metrics.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, render_template, request

from bot import clock, db

COOKIE = "hr_session"
bp = Blueprint("console", __name__, url_prefix="/hr", template_folder="templates")
files_bp = Blueprint("console_files", __name__)
PUBLIC_ENDPOINTS = {"console.login", "console.login_use", "console.signed_out"}


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str


NAV: list[NavItem] = [
    NavItem("console.dashboard", "ภาพรวมรอบ"),
    NavItem("console.people", "รายชื่อบุคลากร"),
    NavItem("console.announcements", "ประกาศ"),
    NavItem("console.forms", "แบบฟอร์ม"),
    NavItem("console.imports", "นำเข้าข้อมูล"),
    NavItem("console.settings", "ตั้งค่าหน่วยงาน"),
    NavItem("console.audit_log", "บันทึกการใช้งาน"),
]


def register_page(rule: str, endpoint: str, label: str | None,
                  view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    """Add a console page (before the app is created): `/hr<rule>`, guarded like every other
    page (signed-in HR only, CSRF on POST). With a `label` it also appears in the navigation.
    Render with `render_page(template, title=..., **context)` to get the console layout.
    """
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))
    if label:
        NAV.append(NavItem(f"console.{endpoint}", label))


def render_page(template: str, **context: Any) -> str:
    return render_template(template, nav=NAV, me=g.get("console_staff"),
                           csrf=g.get("console_session").csrf_token
                           if g.get("console_session") else "", **context)


def refuse(status: int, title: str, detail: str) -> Response:
    body = render_template("console/refused.html", title=title, detail=detail, nav=[], me=None,
                           csrf="")
    return Response(body, status=status, mimetype="text/html")


UPLOAD_ENDPOINTS = {"console.imports"}


@bp.before_request
def _upload_limit() -> Response | None:
    """The import page takes spreadsheets up to the importers' limit; the rest stay small.
    A declared length over it is refused before any of the body is read."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        from handlers.importers.reading import MAX_FILE_BYTES

        request.max_content_length = MAX_FILE_BYTES + 64 * 1024  # the form's other fields
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        return _too_large(None)
    return None


@bp.before_request
def _no_nul() -> Response | None:
    """A NUL character in a query or form field: PostgreSQL cannot store or compare it."""
    fields = [*request.args.values(), *(request.form.values() if request.method == "POST" else [])]
    if any("\x00" in value for value in fields):
        return refuse(400, "ข้อมูลไม่ถูกต้อง", "ข้อมูลที่ส่งมามีอักขระที่ใช้ไม่ได้ กรุณาพิมพ์ใหม่")
    return None


@bp.errorhandler(413)
def _too_large(_error: Exception | None) -> Response:
    from handlers.importers.reading import MAX_FILE_BYTES

    return refuse(413, "ไฟล์ใหญ่เกินกำหนด",
                  f"รับไฟล์ได้ไม่เกิน {MAX_FILE_BYTES // (1024 * 1024)} MB "
                  "กรุณาแบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์")


@bp.before_request
def _guard() -> Response | None:
    """Every console page: a live session of a current HR admin; POSTs need the CSRF token."""
    from handlers import console_login

    # The request's session: opened by `db.session_scope()` here and closed at teardown.
    g.db_scope = db.session_scope()
    g.db = g.db_scope.__enter__()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    now = clock.now(current_app.config["SETTINGS"].timezone)
    found = console_login.current(g.db, request.cookies.get(COOKIE), now)
    if found is None:
        return refuse(403, "ต้องเข้าสู่ระบบด้วยบัญชี HR",
                      "พิมพ์ เข้าสู่ระบบ ในแชต LINE ของระบบ แล้วเปิดลิงก์ที่ได้รับ "
                      "(เฉพาะเจ้าหน้าที่ HR)")
    g.console_session, g.console_staff = found
    if request.method == "POST":
        import hmac

        sent = request.form.get("csrf_token", "")
        if not hmac.compare_digest(sent.encode(), g.console_session.csrf_token.encode()):
            from models import audit

            with db.one_writer():
                audit(g.db, "console.csrf_refused", actor_staff_id=g.console_staff.id,
                      path=request.path)
                g.db.commit()
            return refuse(400, "คำขอไม่ถูกต้อง", "แบบฟอร์มหมดอายุหรือไม่ได้มาจากหน้านี้ "
                                                 "กรุณาเปิดหน้าใหม่แล้วลองอีกครั้ง")
    return None


@bp.teardown_request
def _close(_exc: BaseException | None) -> None:
    g.pop("db", None)
    scope = g.pop("db_scope", None)
    if scope is not None:
        scope.__exit__(None, None, None)


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    # The sign-in page keeps its own origin in the Origin of its POST (under no-referrer a
    # browser sends "Origin: null", which the POST refuses); every other page says nothing.
    response.headers["Referrer-Policy"] = ("same-origin" if request.endpoint == "console.login"
                                           else "no-referrer")
    response.headers["Content-Security-Policy"] = ("default-src 'self'; style-src 'self' "
                                                   "'unsafe-inline'; img-src 'self' data:; "
                                                   "form-action 'self'; frame-ancestors 'none'")
    return response


def init_app(app: Flask) -> None:
    from bot.console import (  # noqa: F401  (their pages)
        appraisal,
        calendar,
        chat_log,
        documents,
        innovation,
        rewards,
        views,
    )

    tz = app.config["SETTINGS"].tz
    from thai import (
        DATE_INPUT_HINT,
        DATETIME_INPUT_HINT,
        audit_label,
        format_date,
        format_datetime,
        format_number,
        format_score,
        input_date,
        input_datetime,
        status_label,
        subject_label,
    )

    app.add_template_filter(lambda d: format_date(d) if d else "", "thai_date")
    app.add_template_filter(lambda d: format_datetime(d, tz) if d else "", "thai_datetime")
    # the one formatting module (thai.formatting, thai.labels) for every page
    app.add_template_filter(format_score, "score")
    app.add_template_filter(lambda x, decimals=0: format_number(x, decimals), "number")
    app.add_template_filter(lambda code, kind, default="-": status_label(kind, code, default),
                            "status_label")  # {{ a.status | status_label("send") }}
    app.add_template_filter(audit_label, "audit_label")
    app.add_template_filter(subject_label, "subject_label")
    app.add_template_filter(input_date, "input_date")
    app.add_template_filter(input_datetime, "input_datetime")
    # the placeholder of the dd/mm/พ.ศ. date fields
    app.jinja_env.globals.update(date_hint=DATE_INPUT_HINT, datetime_hint=DATETIME_INPUT_HINT)
    app.add_template_filter(views.push_preview, "push_preview")
    app.register_blueprint(bp)
    app.register_blueprint(files_bp)

