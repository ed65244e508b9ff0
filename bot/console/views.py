"""The console's pages (registered on `bot.console.bp`; the guard there runs first)."""
from __future__ import annotations

import tempfile
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot import clock, db, exports
from bot.console import COOKIE, bp, charts, files_bp, refuse, render_page
from bot.console import data as console_data
from bot.evidence import CONSOLE_PREFIX
from handlers import announcements as sending
from handlers import audience as aud
from handlers import console_login, hr_forms
from handlers.importers import import_kpis, import_staff
from handlers.importers.reading import upload_problem
from models import (
    Agency,
    Announcement,
    AuditEntry,
    Confirmation,
    DeadlineRule,
    Evidence,
    EvidenceStatus,
    Form,
    Kpi,
    KpiAgreement,
    LineUser,
    OutboxMessage,
    ProgressReport,
    Round,
    SendStatus,
    Staff,
    Unit,
    audit,
)
from models.db import refresh_statistics
from models.numbers import is_id
from models.rounds import current_round, round_of
from thai import DateInputError, parse_input_date, parse_input_datetime

AUDIENCE_KINDS = aud.KIND_LABELS


def _now() -> datetime:
    return clock.now(current_app.config["SETTINGS"].timezone)


def _tz() -> tzinfo:
    return current_app.config["SETTINGS"].tz


def _session() -> Session:
    return g.db


def _me() -> Staff:
    return g.console_staff


def _audit(action: str, subject: str = "", **details: Any) -> None:
    audit(_session(), action, actor_staff_id=_me().id, subject=subject, **details)


# --- sign-in ------------------------------------------------------------------------------

@bp.get("/login/<token>")
def login(token: str) -> str:
    """The pushed link opens a page with one button (link previews must not use it up)."""
    return render_template("console/login.html", title="เข้าสู่ระบบหน้าเว็บ HR", token=token,
                           nav=[], me=None, csrf="")


@bp.post("/login/<token>")
def login_use(token: str) -> Response:
    settings = current_app.config["SETTINGS"]
    if not same_origin():  # login CSRF: another site posting someone's browser into a session
        return refuse(403, "คำขอไม่ถูกต้อง", "เปิดลิงก์เข้าสู่ระบบจากแชต LINE โดยตรง")
    with db.one_writer():
        found = console_login.redeem(_session(), token, _now())
        _session().commit()
    if found is None:
        return refuse(403, "ลิงก์นี้ใช้ไม่ได้",
                      "ลิงก์หมดอายุ ถูกใช้ไปแล้ว หรือบัญชีนี้ไม่ใช่ HR "
                      "กรุณาพิมพ์ เข้าสู่ระบบ ในแชต LINE เพื่อขอลิงก์ใหม่")
    console, secret = found
    response = redirect(url_for("console.dashboard"))
    response.set_cookie(COOKIE, secret, max_age=int(console_login.SESSION_LASTS.total_seconds()),
                        httponly=True, samesite="Lax", path="/",
                        secure=not settings.is_demo or request.is_secure)
    return response  # type: ignore[return-value]  # a Response is a view's return value


def same_origin() -> bool:
    """The browser says this POST came from a page of this console (Origin, else Referer);
    a request that says nothing (not a browser) is judged by its token alone."""
    from urllib.parse import urlsplit

    said = request.headers.get("Origin") or request.headers.get("Referer")
    if not said:
        return True
    parts = urlsplit(said)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    own = {request.host_url.rstrip("/").lower()}
    public = urlsplit(current_app.config["SETTINGS"].url("/"))
    own.add(f"{public.scheme}://{public.netloc}".lower())
    return origin in own


@bp.post("/logout")
def logout() -> Response:
    with db.one_writer():
        g.console_session.ended_at = _now()
        _audit("console.logout", f"session:{g.console_session.id}")
        _session().commit()
    response = redirect(url_for("console.signed_out"))
    response.delete_cookie(COOKIE, path="/")
    return response  # type: ignore[return-value]  # a Response is a view's return value


@bp.get("/signed-out")
def signed_out() -> Response:
    return refuse(200, "ออกจากระบบแล้ว", "ปิดหน้านี้ได้เลย")


# --- dashboard and people -------------------------------------------------------------------

def _round_from_args(session: Session, agency_id: int) -> Round | None:
    rounds = session.scalars(select(Round).where(Round.agency_id == agency_id)).all()
    wanted = request.args.get("round", "")
    for round_ in rounds:
        if wanted == f"{round_.fiscal_year}-{round_.round_no}":
            return round_
    return current_round(session, agency_id, _now().date()) or (
        max(rounds, key=lambda r: (r.fiscal_year, r.round_no)) if rounds else None)


def _rounds(session: Session, agency_id: int) -> list[Round]:
    return list(session.scalars(select(Round).where(Round.agency_id == agency_id)
                                .order_by(Round.fiscal_year.desc(), Round.round_no.desc())))


@bp.get("/")
def dashboard() -> str:
    session, me = _session(), _me()
    round_ = _round_from_args(session, me.agency_id)
    board = console_data.dashboard(session, me.agency_id, round_, _now().date())
    return render_page("console/dashboard.html", title="ภาพรวมรอบการประเมิน", board=board,
                       chart=charts.unit_bars(board.rows), rounds=_rounds(session, me.agency_id),
                       round=round_)


@bp.get("/people")
def people() -> str:
    session, me = _session(), _me()
    round_ = _round_from_args(session, me.agency_id)
    state = request.args.get("state", "all")
    state = state if state in console_data.STATES else "all"
    unit_raw = request.args.get("unit", "")
    unit_id = int(unit_raw) if is_id(unit_raw) else None
    q = request.args.get("q", "")[:100]
    page = max(1, int(request.args.get("page", "1")) if is_id(request.args.get("page", "1"))
               else 1)
    query = console_data.people_query(session, me.agency_id, round_, q=q, unit_id=unit_id,
                                      state=state, today=_now().date())
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.execute(query.limit(console_data.PAGE_SIZE)
                           .offset((page - 1) * console_data.PAGE_SIZE)).all()
    return render_page("console/people.html", title="รายชื่อบุคลากร", rows=rows, total=total,
                       page=page, page_size=console_data.PAGE_SIZE, q=q, state=state,
                       states=console_data.STATES, unit_id=unit_id,
                       units=aud.units(session, me.agency_id), round=round_,
                       rounds=_rounds(session, me.agency_id))


@bp.get("/people/<int:staff_id>")
def person(staff_id: int) -> str:
    session, me = _session(), _me()
    staff = session.get(Staff, staff_id)
    if staff is None or staff.agency_id != me.agency_id:
        abort(404)
    agreements = session.scalars(select(KpiAgreement).where(KpiAgreement.officer_id == staff.id)
                                 .order_by(KpiAgreement.id.desc())).all()
    rounds = {r.id: r for r in session.scalars(select(Round).where(
        Round.id.in_([a.round_id for a in agreements])))} if agreements else {}
    reports = session.scalars(select(ProgressReport).where(ProgressReport.officer_id == staff.id)
                              .order_by(ProgressReport.id.desc()).limit(100)).all()
    kpis = {k.id: k for k in session.scalars(select(Kpi).where(
        Kpi.id.in_([r.kpi_id for r in reports if r.kpi_id])))} if reports else {}
    confirmations = session.execute(
        select(Confirmation, Staff.name_th).join(Staff, Staff.id == Confirmation.confirmer_id)
        .where(Confirmation.report_id.in_([r.id for r in reports]))
        .order_by(Confirmation.at.desc())).all() if reports else []
    line_id = session.scalar(select(LineUser.user_id).where(LineUser.staff_id == staff.id))
    pushes: list[OutboxMessage] = []
    if line_id:
        pushes = list(session.scalars(select(OutboxMessage).where(
            func.cast(OutboxMessage.recipients, _text_type()).like(f'%"{line_id}"%'))
            .order_by(OutboxMessage.id.desc()).limit(30)))
    with db.one_writer():
        _audit("console.person_viewed", f"staff:{staff.id}")
        session.commit()
    return render_page("console/person.html", title=staff.name_th, staff=staff,
                       agreements=agreements, rounds=rounds, reports=reports, kpis=kpis,
                       confirmations=confirmations, pushes=pushes, line_id=line_id,
                       unit=session.get(Unit, staff.unit_id)
                       if staff.unit_id else None)


def _text_type() -> Any:
    from sqlalchemy import Text

    return Text()


def push_preview(message: dict[str, Any]) -> str:
    """A push's words, for the person page."""
    if message.get("type") == "text":
        return str(message.get("text", ""))
    return str(message.get("altText", message.get("type", "")))


# --- announcements --------------------------------------------------------------------------

def _audience_from_form() -> tuple[str, str]:
    kind = request.form.get("audience", "")
    value = request.form.get("unit", "") if kind == "unit" else (
        request.form.get("role", "") if kind == "role" else "")
    return kind, value


def _when_from_form(now: datetime) -> datetime | None:
    raw = request.form.get("send_at", "").strip()
    if not raw:
        return None
    try:  # 15/01/2570 09:00 as typed (พ.ศ.), or ISO from a script
        when = parse_input_datetime(raw).replace(tzinfo=_tz())
    except DateInputError as exc:
        raise ValueError(f"เวลาส่ง: {exc}") from exc
    if when <= now:
        raise ValueError("เวลาส่งต้องเป็นเวลาในอนาคต")
    return when


def console_attachment(session: Session, me: Staff, raw: str) -> Evidence | None:
    """The file the console stored for an announcement (`attachment_id` of the form): only a
    stored one the console made for someone of HR's own agency; ValueError (Thai) otherwise."""
    if not raw:
        return None
    evidence = session.get(Evidence, int(raw)) if is_id(raw) else None
    owner = session.get(Staff, evidence.staff_id) if evidence is not None else None
    if (evidence is None or owner is None or owner.agency_id != me.agency_id
            or evidence.status != EvidenceStatus.STORED
            or not evidence.line_message_id.startswith(CONSOLE_PREFIX)):
        raise ValueError("ไม่พบไฟล์แนบนี้ กรุณาเริ่มจากหน้าที่สร้างไฟล์แนบอีกครั้ง")
    return evidence


def announcements_page(form: Any, errors: list[str], preview: dict[str, Any] | None,
                       attachment: Evidence | None) -> str:
    """The announcement form (with HR's latest announcements), as typed or as prefilled."""
    session, me = _session(), _me()
    latest = session.scalars(select(Announcement).where(Announcement.agency_id == me.agency_id)
                             .order_by(Announcement.id.desc()).limit(50)).all()
    figures = sending.stats(session, [a.id for a in latest])
    return render_page("console/announcements.html", title="ประกาศ", latest=latest,
                       figures=figures, errors=errors, preview=preview, form=form,
                       attachment=attachment, units=aud.units(session, me.agency_id),
                       roles=aud.ROLE_CHOICES, kinds=AUDIENCE_KINDS)


@bp.route("/announcements", methods=["GET", "POST"])
def announcements() -> Any:
    session, me = _session(), _me()
    now = _now()
    errors: list[str] = []
    preview = None
    attachment = None
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        kind, value = _audience_from_form()
        body = request.form.get("body", "").strip()
        try:
            attachment = console_attachment(session, me, request.form.get("attachment_id", ""))
            when = _when_from_form(now)
            if not body or len(body) > sending.MAX_BODY:
                raise ValueError("ข้อความประกาศต้องมี 1–2,000 ตัวอักษร")
            count = aud.count(session, me.agency_id, kind, value, now.date())
            preview = {"count": count, "label": aud.label(session, me.agency_id, kind, value),
                       "when": when}
            if request.form.get("action") == "send":
                if count.on_line == 0:
                    raise ValueError("ไม่มีผู้รับในกลุ่มนี้ที่เชื่อม LINE แล้ว")
                with db.one_writer():
                    announcement = sending.create(session, author=me, body=body, kind=kind,
                                                   value=value, when=when, now=now,
                                                   public_base_url=current_app.config[
                                                       "SETTINGS"].url(""),
                                                   attachment_id=attachment.id
                                                   if attachment else None)
                    _audit("console.announcement_sent", f"announcement:{announcement.id}")
                    session.commit()
                return redirect(url_for("console.announcement", announcement_id=announcement.id))
        except (ValueError, aud.AudienceError) as exc:
            errors.append(str(exc))
            session.rollback()
    return announcements_page(form, errors, preview, attachment)


@bp.route("/announcements/<int:announcement_id>", methods=["GET", "POST"])
def announcement(announcement_id: int) -> Any:
    session, me = _session(), _me()
    item = session.get(Announcement, announcement_id)
    if item is None or item.agency_id != me.agency_id:
        abort(404)
    if request.method == "POST" and request.form.get("action") == "cancel":
        with db.one_writer():
            sending.cancel(session, item, me.id)
            session.commit()
        return redirect(url_for("console.announcement", announcement_id=item.id))
    figures = sending.stats(session, [item.id])[item.id]
    missing = sending.not_acknowledged(session, item.id)
    return render_page("console/announcement.html", title=f"ประกาศ #{item.id}", item=item,
                       figures=figures, missing=missing)


# --- forms ----------------------------------------------------------------------------------

def template_text(sections: list[dict[str, Any]]) -> str:
    """A form definition as the composer's text: `# ส่วน`, `- รายการ`, `- อื่น ๆ (ระบุ)`."""
    lines = []
    for section in sections:
        lines.append(f"# {section['title']}")
        for option in section.get("options", []):
            lines.append(f"- {option}")
        if section.get("other"):
            lines.append(f"- {hr_forms.OTHER}")
        lines.append("")
    return "\n".join(lines).strip()


def parse_template(text: str) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            sections.append({"title": line.lstrip("#").strip(), "options": [], "other": False})
        elif line.startswith("-") and sections:
            option = line.lstrip("-").strip()
            if option.replace(" ", "") in (hr_forms.OTHER.replace(" ", ""), "อื่นๆ"):
                sections[-1]["other"] = True
            elif option:
                sections[-1]["options"].append(option)
        elif line:
            raise hr_forms.FormError(f"อ่านบรรทัดนี้ไม่ได้: {line[:60]} "
                                  "(ขึ้นต้นส่วนด้วย # และรายการด้วย -)")
    for n, section in enumerate(sections, 1):
        section["key"] = f"s{n}"
        section["kind"] = "multi" if section["options"] else "text"
    return hr_forms.check_sections(sections)


def forms_page() -> Any:
    session, me = _session(), _me()
    now = _now()
    errors: list[str] = []
    preview = None
    form = dict(request.form) if request.method == "POST" else {
        "title": hr_forms.CAREER_PATH_TITLE, "sections": template_text(hr_forms.CAREER_PATH)}
    if request.method == "POST":
        kind, value = _audience_from_form()
        try:
            sections = parse_template(request.form.get("sections", ""))
            due_raw = request.form.get("due_on", "")
            try:
                due_on = parse_input_date(due_raw)
            except DateInputError as exc:
                raise hr_forms.FormError(f"กำหนดส่ง: {exc}") from exc
            count = aud.count(session, me.agency_id, kind, value, now.date())
            preview = {"count": count, "label": aud.label(session, me.agency_id, kind, value),
                       "sections": sections}
            if request.form.get("action") == "send":
                with db.one_writer():
                    created = hr_forms.send_form(session, author=me,
                                              title=request.form.get("title", ""),
                                              sections=sections, due_on=due_on, kind=kind,
                                              value=value, now=now)
                    _audit("console.form_sent", f"form:{created.id}")
                    session.commit()
                return redirect(url_for("console.form_results", form_id=created.id))
        except (hr_forms.FormError, aud.AudienceError) as exc:
            errors.append(str(exc))
            session.rollback()
    latest = session.scalars(select(Form).where(Form.agency_id == me.agency_id)
                             .order_by(Form.id.desc()).limit(50)).all()
    return render_page("console/forms.html", title="แบบฟอร์ม", latest=latest, errors=errors,
                       preview=preview, form=form, units=aud.units(session, me.agency_id),
                       roles=aud.ROLE_CHOICES, kinds=AUDIENCE_KINDS)


bp.add_url_rule("/forms", "forms", forms_page, methods=["GET", "POST"])


@bp.get("/forms/<int:form_id>")
def form_results(form_id: int) -> str:
    session, me = _session(), _me()
    item = session.get(Form, form_id)
    if item is None or item.agency_id != me.agency_id:
        abort(404)
    summary = hr_forms.results(session, item)
    chart_of = {i: charts.option_bars(section["options"], summary["submitted"])
                for i, section in enumerate(summary["sections"]) if section["kind"] == "multi"}
    return render_page("console/form.html", title=item.title, item=item, summary=summary,
                       charts=chart_of)


# --- imports and settings -------------------------------------------------------------------

@bp.route("/import", methods=["GET", "POST"])
def imports() -> Any:
    session, me = _session(), _me()
    report = None
    errors: list[str] = []
    if request.method == "POST":
        upload = request.files.get("file")
        kind = request.form.get("kind")
        if upload is None or not upload.filename or kind not in ("staff", "kpis"):
            errors.append("กรุณาเลือกไฟล์และชนิดข้อมูล")
        else:
            suffix = Path(upload.filename).suffix.lower()
            if suffix not in (".csv", ".xlsx"):
                errors.append("รับเฉพาะไฟล์ .csv หรือ .xlsx")
            else:
                agency = session.get(Agency, me.agency_id)
                assert agency is not None
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / f"upload{suffix}"
                    upload.save(path)
                    skip_bad = request.form.get("skip_bad") == "1"
                    too_large = upload_problem(path)
                    if too_large:
                        errors.append(too_large)
                        return render_page("console/import.html", title="นำเข้าข้อมูล",
                                           report=None, errors=errors,
                                           fiscal_year=round_of(_now().date())[0],
                                           round_no=round_of(_now().date())[1])
                    # Read and checked with no lock held; written in short transactions.
                    chunks = db.import_transaction(session)
                    if kind == "staff":
                        report = import_staff(session, path, agency_code=agency.code,
                                              skip_bad=skip_bad, transaction=chunks)
                    else:
                        fy = request.form.get("fiscal_year", "")
                        rn = request.form.get("round_no", "")
                        report = import_kpis(session, path, agency_code=agency.code,
                                             fiscal_year=int(fy) if is_id(fy) else None,
                                             round_no=int(rn) if is_id(rn) else None,
                                             skip_bad=skip_bad, transaction=chunks)
                    with db.one_writer():
                        if report.ok:
                            _audit("console.import", kind=kind, file=upload.filename[:200],
                                   summary=report.summary())
                            session.commit()
                            refresh_statistics(session)
                        else:
                            session.rollback()
                            _audit("console.import_refused", kind=kind,
                                   file=upload.filename[:200], problems=len(report.problems))
                            session.commit()
    fiscal_year, round_no = round_of(_now().date())
    return render_page("console/import.html", title="นำเข้าข้อมูล", report=report,
                       errors=errors, fiscal_year=fiscal_year, round_no=round_no)


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Any:
    session, me = _session(), _me()
    agency = session.get(Agency, me.agency_id)
    assert agency is not None
    errors: list[str] = []
    saved = False
    rules = session.scalars(select(DeadlineRule).where(DeadlineRule.agency_id == agency.id)
                            .order_by(DeadlineRule.code, DeadlineRule.round_no)).all()
    if request.method == "POST":
        changes: dict[str, Any] = {}
        achievement = request.form.get("achievement_weight", "")
        competency = request.form.get("competency_weight", "")
        if not (is_id(achievement) and is_id(competency)):
            errors.append("น้ำหนักต้องเป็นจำนวนเต็ม")
        elif int(achievement) + int(competency) != 100:
            errors.append("น้ำหนักผลสัมฤทธิ์และสมรรถนะต้องรวมกันได้ 100")
        elif int(achievement) < 70:
            errors.append("น้ำหนักผลสัมฤทธิ์ต้องไม่น้อยกว่า 70 (เกณฑ์ ก.พ.)")
        else:
            if (agency.achievement_weight, agency.competency_weight) != (int(achievement),
                                                                         int(competency)):
                changes["weights"] = [int(achievement), int(competency)]
        everyone_by_supervisor = request.form.get("supervisor_confirms") == "1"
        if everyone_by_supervisor != agency.supervisor_confirms:
            changes["supervisor_confirms"] = everyone_by_supervisor
        updates: list[tuple[DeadlineRule, str, int | None, int | None, int]] = []
        for rule in rules:
            title = request.form.get(f"title_{rule.id}", rule.title_th).strip()
            offset_raw = request.form.get(f"offset_{rule.id}", str(rule.offset_days)).strip()
            day_raw = request.form.get(f"day_{rule.id}", "").strip()
            month_raw = request.form.get(f"month_{rule.id}", "").strip()
            try:
                offset = int(offset_raw)
                day = int(day_raw) if day_raw else rule.day
                month = int(month_raw) if month_raw else rule.month
                if not title or not -366 <= offset <= 366:
                    raise ValueError
                if rule.anchor == "fixed":
                    date(2028, month or 0, day or 0)
            except (ValueError, TypeError):
                errors.append(f"กำหนดการ {rule.title_th}: ค่าไม่ถูกต้อง")
                continue
            if (title, offset, day, month) != (rule.title_th, rule.offset_days, rule.day,
                                               rule.month):
                updates.append((rule, title, day, month, offset))
        if not errors:
            with db.one_writer():
                if "weights" in changes:
                    agency.achievement_weight, agency.competency_weight = changes["weights"]
                if "supervisor_confirms" in changes:
                    agency.supervisor_confirms = changes["supervisor_confirms"]
                for rule, title, day, month, offset in updates:
                    changes[f"rule:{rule.id}"] = {"title": title, "offset_days": offset,
                                                  "day": day, "month": month}
                    rule.title_th, rule.offset_days, rule.day, rule.month = (title, offset, day,
                                                                             month)
                _audit("console.settings_changed", f"agency:{agency.id}", changes=changes)
                session.commit()
            saved = True
    return render_page("console/settings.html", title="ตั้งค่าหน่วยงาน", agency=agency,
                       rules=rules, errors=errors, saved=saved)


# --- exports --------------------------------------------------------------------------------

def _download(table: exports.Table, fmt: str, filename: str) -> Response:
    if fmt == "csv":
        body = exports.csv_chunks(table)
        mimetype = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = exports.xlsx_chunks(table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    with db.one_writer():
        _audit("console.export", filename=f"{filename}.{fmt}")
        _session().commit()
    response = Response(stream_with_context(body), content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@bp.get("/export/round/<int:fiscal_year>/<int:round_no>.<fmt>")
def export_round(fiscal_year: int, round_no: int, fmt: str) -> Response:
    round_ = exports.find_round(_session(), _me().agency_id, fiscal_year, round_no)
    if round_ is None:
        abort(404)
    return _download(exports.round_table(_session(), round_, _tz()), fmt,
                     f"round-{fiscal_year}-{round_no}")


@bp.get("/export/announcement/<int:announcement_id>.<fmt>")
def export_announcement(announcement_id: int, fmt: str) -> Response:
    item = _session().get(Announcement, announcement_id)
    if item is None or item.agency_id != _me().agency_id:
        abort(404)
    return _download(exports.announcement_table(_session(), item, _tz()), fmt,
                     f"announcement-{announcement_id}")


@bp.get("/export/form/<int:form_id>.<fmt>")
def export_form(form_id: int, fmt: str) -> Response:
    item = _session().get(Form, form_id)
    if item is None or item.agency_id != _me().agency_id:
        abort(404)
    return _download(exports.form_table(_session(), item, _tz()), fmt, f"form-{form_id}")


@bp.get("/audit")
def audit_log() -> str:
    session, me = _session(), _me()
    same_agency = select(Staff.id).where(Staff.agency_id == me.agency_id)
    entries = session.execute(
        select(AuditEntry, Staff.name_th).outerjoin(Staff, Staff.id == AuditEntry.actor_staff_id)
        .where(or_(AuditEntry.actor_staff_id.in_(same_agency),  # never another agency's
                   and_(AuditEntry.actor_staff_id.is_(None), AuditEntry.action.like("console.%"))))
        .order_by(AuditEntry.id.desc()).limit(200)).all()
    return render_page("console/audit.html", title="บันทึกการใช้งาน", entries=entries)


# --- an announcement's attachment, for its recipients (the link carries a secret token) ----

@files_bp.get("/files/announcement/<int:announcement_id>/<token>")
def announcement_file(announcement_id: int, token: str) -> Any:
    import hmac

    with db.session_scope() as session:
        item = session.get(Announcement, announcement_id)
        if (item is None or not item.attachment_token or item.status != SendStatus.SENT
                or not hmac.compare_digest(item.attachment_token, token)):
            abort(404)
        evidence = session.get(Evidence, item.attachment_id)
        if evidence is None or evidence.status != EvidenceStatus.STORED or not evidence.path:
            return make_response("ไฟล์แนบยังไม่พร้อม กรุณาลองใหม่ภายหลัง", 404)
        folder = Path(current_app.config["SETTINGS"].storage_dir).resolve()
        path = (folder / evidence.path).resolve()
        if folder not in path.parents or not path.is_file():
            abort(404)
        return served_attachment(path, evidence.content_type, f"announcement-{announcement_id}")


# Shown as what they are; anything else (HTML, SVG, PDF, …) is bytes to download.
SAFE_ATTACHMENT_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
                         "image/webp": ".webp"}
# Still bytes to download, but named so that a phone opens them with the right viewer.
DOWNLOAD_EXTENSIONS = {"application/pdf": ".pdf"}


def served_attachment(path: Path, content_type: str, name: str) -> Any:
    """A stored file as a download that no browser will render or run on the console's origin."""
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    safe = declared in SAFE_ATTACHMENT_TYPES
    response = send_file(path, mimetype=declared if safe else "application/octet-stream",
                         as_attachment=True,
                         download_name=name + (SAFE_ATTACHMENT_TYPES[declared] if safe else
                                              DOWNLOAD_EXTENSIONS.get(declared, ".bin")))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
