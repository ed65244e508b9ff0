"""The fake's HTTP face: LINE's endpoints, LINE's error shapes, spec-valid answers."""
from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

from bot.fake_line import FakeLine
from bot.fake_line.spec_validator import MessagingApiSpec, SpecProblem, load_spec

SEND_KINDS = {
    "/v2/bot/message/reply": "reply",
    "/v2/bot/message/push": "push",
    "/v2/bot/message/multicast": "multicast",
    "/v2/bot/message/broadcast": "broadcast",
}


def create_blueprint(fake: FakeLine, spec: MessagingApiSpec | None = None) -> Blueprint:
    """Blueprint with the Messaging API endpoints the bot uses, backed by `fake`."""
    spec = spec or load_spec()
    bp = Blueprint("fake_line", __name__)

    @bp.route("/v2/bot/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
    def endpoint(rest: str) -> Response | tuple[Response, int]:
        path = "/v2/bot/" + rest
        if request.headers.get("Authorization") != f"Bearer {fake.access_token}":
            return jsonify({"message": "Authentication failed. Confirm that the access token "
                                       "in the authorization header is valid."}), 401
        try:
            template, body = spec.validate_request(request.method, path, dict(request.headers),
                                                   request.get_data())
        except SpecProblem as problem:
            return jsonify(problem.body()), problem.status
        status, answer = _dispatch(fake, request.method, path, template, body)
        if isinstance(answer, Response):
            return answer
        if fake.check_responses and status == 200:
            spec.check_response(template, request.method, status, answer)
        return jsonify(answer), status

    return bp


def _dispatch(fake: FakeLine, method: str, path: str, template: str,
              body: Any) -> tuple[int, dict[str, Any] | Response]:
    if method == "POST" and path in SEND_KINDS:
        kind = SEND_KINDS[path]
        fault = fake.faults.draw() if fake.faults is not None and kind != "reply" else ""
        if fake.faults is not None and fake.faults.latency and kind != "reply":
            time.sleep(fake.faults.latency)
        if fault == "500":
            return 500, {"message": "An error occurred in the server (injected)"}
        if fault == "429":
            return 429, {"message": "The API rate limit has been exceeded. Try again later."}
        answer = fake.accept(kind, body, request.headers.get("X-Line-Retry-Key"))
        if fault == "timeout":  # accepted, but the answer comes too late: the client times out
            time.sleep(fake.faults.timeout_seconds)  # type: ignore[union-attr]  # set with faults
        return answer
    if method == "GET" and template == "/v2/bot/profile/{userId}":
        user_id = path.rsplit("/", 1)[-1]
        if user_id not in fake.profiles:
            return 404, {"message": "Not found"}
        return 200, {"displayName": fake.profiles[user_id], "userId": user_id, "language": "th"}
    if method == "GET" and path == "/v2/bot/message/quota":
        return 200, {"type": "limited", "value": fake.monthly_quota}
    if method == "GET" and path == "/v2/bot/message/quota/consumption":
        return 200, {"totalUsage": fake.usage}
    if method == "GET" and template == "/v2/bot/message/{messageId}/content":
        message_id = path.split("/")[-2]
        if message_id not in fake.contents:
            return 404, {"message": "Not found"}
        data, content_type = fake.contents[message_id]
        return 200, Response(data, content_type=content_type)
    if template.startswith(("/v2/bot/richmenu", "/v2/bot/user/")) and "richmenu" in template:
        return _dispatch_rich_menu(fake, method, path, template, body)
    return 404, {"message": f"{method} {template} is not served by the fake LINE API"}


def _dispatch_rich_menu(fake: FakeLine, method: str, path: str, template: str,
                        body: Any) -> tuple[int, dict[str, Any]]:
    """The rich-menu endpoints `flask line setup-richmenu` uses (and list, to look), and the
    per-user link, unlink and get that show each person their role's menu."""
    parts = path.split("/")  # "", "v2", "bot", "richmenu", id, … or "", "v2", "bot", "user", …
    if method == "POST" and template == "/v2/bot/richmenu":
        return fake.create_rich_menu(body)
    if method == "POST" and template == "/v2/bot/richmenu/validate":
        return fake.check_rich_menu(body)
    if method == "GET" and template == "/v2/bot/richmenu/list":
        return fake.rich_menu_list()
    if method == "DELETE" and template == "/v2/bot/richmenu/{richMenuId}":
        return fake.delete_rich_menu(parts[4])
    if method == "POST" and template == "/v2/bot/richmenu/{richMenuId}/content":
        # A blob endpoint: the spec takes any media type ("*/*"), so the body is not parsed.
        return fake.set_rich_menu_image(parts[4], request.get_data(), request.mimetype)
    if method == "POST" and template == "/v2/bot/user/all/richmenu/{richMenuId}":
        return fake.set_default_rich_menu(parts[-1])
    if method == "GET" and template == "/v2/bot/user/all/richmenu":
        return fake.default_rich_menu()
    if template == "/v2/bot/user/{userId}/richmenu/{richMenuId}" and method == "POST":
        return fake.link_user_rich_menu(parts[4], parts[6])
    if template == "/v2/bot/user/{userId}/richmenu" and method == "DELETE":
        return fake.unlink_user_rich_menu(parts[4])
    if template == "/v2/bot/user/{userId}/richmenu" and method == "GET":
        return fake.user_rich_menu(parts[4])
    return 404, {"message": f"{method} {template} is not served by the fake LINE API"}


def create_fake_app(fake: FakeLine) -> Flask:
    """A stand-alone app serving only the fake (tests, benchmarks)."""
    app = Flask("fake_line")
    app.register_blueprint(create_blueprint(fake))
    return app


def create_fake_app_from_env() -> Flask:
    """The fake as its own server (benchmarks):
    `gunicorn 'bot.fake_line.api:create_fake_app_from_env()'`."""
    import os

    return create_fake_app(FakeLine(access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"],
                                    history=int(os.environ.get("FAKE_LINE_HISTORY", "200000"))))
