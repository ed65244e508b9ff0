"""The chat simulator (demo mode only): a page and a JSON API that drive the real path.

Every call signs a real webhook body, posts it over HTTP to `/callback`, and reads back what the
bot sent to the fake LINE API through the real SDK.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime
from typing import Any

import requests
from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from sqlalchemy import select

from bot import clock, db
from bot.fake_line import FakeLine
from models import LineUser, RoleAssignment, Staff
from models.linking import issue_code

bp = Blueprint("sim", __name__, url_prefix="/sim", template_folder="templates",
               static_folder="static")

# A LINE user the demo data does not know, to try following and linking.
NEW_USER = {"user_id": "U" + "0" * 28 + "0e01",
            "display_name": "ผู้ใช้ใหม่ (ยังไม่เชื่อมบัญชี)", "roles": []}

_http = requests.Session()


def _fake() -> FakeLine:
    return current_app.extensions["fake_line"]


@bp.get("")
def page() -> str:
    """The chat page; its menu is the rich menu, drawn from the same declared actions as LINE's."""
    from bot.richmenu import CHAT_BAR_TEXT, HEIGHT, WIDTH, menu_areas, menu_preview

    preview = menu_preview()
    return render_template(
        "sim.html", menu_areas=menu_areas(), menu_width=WIDTH, menu_height=HEIGHT,
        chat_bar_text=CHAT_BAR_TEXT,
        menu_image_src=f"data:{preview.content_type};base64,"
                       + base64.b64encode(preview.data).decode("ascii"))


@bp.get("/api/richmenu")
def rich_menu() -> Response | tuple[Response, int]:
    """The rich menu this person sees in LINE (their role's, linked per user; else the
    default): its role kind, its areas and its preview image."""
    from bot.richmenu import DEFAULT_KIND, HEIGHT, WIDTH, kind_of, menu_areas, menu_preview

    user_id = request.args.get("user_id", "")
    if not user_id:
        return jsonify({"error": "user_id is required"}), 400
    fake = _fake()
    shown = fake.menu_shown_to(user_id)
    menu = fake.rich_menus.get(shown) if shown else None
    kind = (kind_of(str(menu.get("name", ""))) if menu else None) or DEFAULT_KIND
    preview = menu_preview(kind)
    return jsonify({
        "kind": kind, "width": WIDTH, "height": HEIGHT,
        "image": f"data:{preview.content_type};base64,"
                 + base64.b64encode(preview.data).decode("ascii"),
        "areas": [{"text": a.text, "hint": a.hint, "x": b.x, "y": b.y, "width": b.width,
                   "height": b.height} for a, b in menu_areas(kind)]})


@bp.get("/api/users")
def users() -> Response:
    with db.session_scope() as session:
        rows = session.execute(
            select(LineUser.user_id, Staff.id, Staff.name_th, Staff.is_hipps)
            .join(Staff, Staff.id == LineUser.staff_id).order_by(Staff.staff_code)).all()
        roles: dict[int, set[str]] = {}
        for staff_id, role in session.execute(
                select(RoleAssignment.staff_id, RoleAssignment.role)):
            roles.setdefault(staff_id, set()).add(role)
    out = []
    for user_id, staff_id, name, hipps in rows:
        person_roles = ["officer", *sorted(roles.get(staff_id, set()))]
        if hipps:
            person_roles.append("hipps")
        out.append({"user_id": user_id, "display_name": name, "roles": person_roles})
    if all(person["user_id"] != NEW_USER["user_id"] for person in out):
        out.append(NEW_USER)
    return jsonify(out)


@bp.post("/api/send")
def send() -> Response | tuple[Response, int]:
    data = request.get_json(silent=True) or {}
    user_id, text = data.get("user_id"), data.get("text")
    if not isinstance(user_id, str) or not user_id or not isinstance(text, str) or not text:
        return jsonify({"error": "ต้องระบุ user_id และ text"}), 400
    return _deliver(user_id, {
        "type": "message",
        "message": {"type": "text", "id": _message_id(), "text": text,
                    "quoteToken": uuid.uuid4().hex},
    })


@bp.post("/api/postback")
def postback() -> Response | tuple[Response, int]:
    data = request.get_json(silent=True) or {}
    user_id, payload = data.get("user_id"), data.get("data")
    if not isinstance(user_id, str) or not user_id or not isinstance(payload, str):
        return jsonify({"error": "ต้องระบุ user_id และ data"}), 400
    return _deliver(user_id, {"type": "postback", "postback": {"data": payload}})


@bp.post("/api/follow")
def follow() -> Response | tuple[Response, int]:
    data = request.get_json(silent=True) or {}
    user_id = data.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        return jsonify({"error": "ต้องระบุ user_id"}), 400
    return _deliver(user_id, {"type": "follow", "follow": {"isUnblocked": False}})


@bp.post("/api/link-code")
def link_code() -> Response | tuple[Response, int]:
    """A fresh one-time code for the demo's newcomer, as HR would issue it."""
    from bot.demo import NEWCOMER

    with db.session_scope() as session:
        staff = session.scalars(select(Staff).where(Staff.staff_code == NEWCOMER[0])).first()
        if staff is None:
            return jsonify({"error": "ไม่พบข้อมูลตัวอย่าง (รัน flask demo seed)"}), 404
        code = issue_code(session, staff, clock.now(current_app.config["SETTINGS"].timezone))
        session.commit()
        return jsonify({"staff_code": staff.staff_code, "name": staff.name_th,
                        "code": f"{code[:4]}-{code[4:]}"})


@bp.get("/api/messages")
def messages() -> Response | tuple[Response, int]:
    user_id = request.args.get("user_id", "")
    if not user_id:
        return jsonify({"error": "ต้องระบุ user_id"}), 400
    return jsonify([{"kind": d.kind, "at": d.at, "message": d.message, "request": d.request}
                    for d in _fake().messages_for(user_id)])


@bp.post("/api/tick")
def run_tick() -> Response | tuple[Response, int]:
    """Run every clock job once as of a chosen moment (`python -m scheduler tick --at`), then one
    delivery pass, so a person can watch the reminders of that day arrive. The demo's clock is
    set to that moment first, so what people do next happens then too. The clock is not part
    of the web app: whoever runs both in one process (`make run`) registers it (`clock.tick`)."""
    data = request.get_json(silent=True) or {}
    at = _moment(data.get("at"))
    if at is None:
        return jsonify({"error": "วันเวลาไม่ถูกต้อง ใช้รูปแบบ เช่น 2027-02-24T09:00"}), 400
    run = current_app.extensions.get("clock.tick")
    if run is None:
        return jsonify({"error": "กระบวนการนี้ไม่มีนาฬิกาของระบบ (เปิดด้วย make run)"}), 503
    clock.set_now(at)
    return jsonify({"at": at.isoformat(), **run(at)})


@bp.get("/api/clock")
def get_clock() -> Response:
    """The demo's "now": `{"at": ISO}` when the clock was set, `{"at": null}` for real time."""
    settings = current_app.config["SETTINGS"]
    return jsonify({"at": clock.now(settings.timezone).isoformat() if clock.simulated() else None})


@bp.post("/api/clock")
def set_clock() -> Response | tuple[Response, int]:
    """Set the demo's "now" for everything (conversations, timestamps, jobs, the worker); time
    runs on from it. `{"at": null}` returns to real time."""
    data = request.get_json(silent=True) or {}
    if "at" not in data:
        return jsonify({"error": "ต้องระบุ at (วันเวลา เช่น 2027-02-24T09:00 หรือ null)"}), 400
    if data["at"] is None:
        clock.set_now(None)
        return jsonify({"at": None})
    at = _moment(data["at"])
    if at is None:
        return jsonify({"error": "วันเวลาไม่ถูกต้อง ใช้รูปแบบ เช่น 2027-02-24T09:00"}), 400
    clock.set_now(at)
    return get_clock()


def _moment(raw: Any) -> datetime | None:
    """An ISO date-time from the request, in the app's time zone when it names none."""
    try:
        at = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=current_app.config["SETTINGS"].tz)
    return at


def webhook_body(user_id: str, event: dict[str, Any], reply_token: str) -> dict[str, Any]:
    """A webhook request body as LINE sends it, for one event from one user."""
    return {
        "destination": "U" + "0" * 29 + "b07",
        "events": [{
            **event,
            "timestamp": int(clock.now("UTC").timestamp() * 1000),
            "source": {"type": "user", "userId": user_id},
            "replyToken": reply_token,
            "mode": "active",
            "webhookEventId": uuid.uuid4().hex.upper()[:26],
            "deliveryContext": {"isRedelivery": False},
        }],
    }


def sign(body: bytes, channel_secret: str) -> str:
    """The X-Line-Signature LINE would put on `body`."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _deliver(user_id: str, event: dict[str, Any]) -> Response:
    settings = current_app.config["SETTINGS"]
    reply_token = uuid.uuid4().hex
    body = json.dumps(webhook_body(user_id, event, reply_token), ensure_ascii=False).encode("utf-8")
    _fake().expect_reply(reply_token, user_id)
    response = _http.post(url_for("webhook.callback", _external=True), data=body, timeout=30,
                          headers={"Content-Type": "application/json",
                                   "X-Line-Signature": sign(body, settings.channel_secret)})
    return jsonify({"status": response.status_code, "messages": _fake().replies_to(reply_token)})


def _message_id() -> str:
    return str(int(time.time() * 1000) * 1000 + uuid.uuid4().int % 1000)
