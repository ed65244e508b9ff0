"""The Flask app factory. Nothing happens at import time."""
from __future__ import annotations

import gc
import logging
import re
import threading
from typing import Any

from flask import Flask, Response, jsonify
from linebot.v3.webhook import SignatureValidator
from sqlalchemy import Engine, text
from werkzeug.routing import IntegerConverter, Map

from bot import db, webhook
from bot.fake_line import FakeLine
from bot.line_gateway import LineGateway
from bot.settings import Settings, require_secret_key
from models.numbers import MAX_INT


def create_app(settings: Settings | None = None, *, engine: Engine | None = None,
               fake_line: FakeLine | None = None) -> Flask:
    """Build the app. Tests pass settings (and may share an engine or a fake LINE)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.url_map.converters["int"] = DatabaseIntConverter  # /people/<int:…> and the like
    app.config["SETTINGS"] = settings
    app.config["SECRET_KEY"] = settings.secret_key
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024  # LINE webhook bodies are far smaller
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # DefaultJSONProvider's
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    keep_secrets_out_of_logs()

    db.init_app(app, engine)
    app.extensions["line.signature"] = SignatureValidator(settings.channel_secret)
    app.extensions["line.gateway"] = LineGateway(settings)
    app.register_blueprint(webhook.bp)
    from bot import console  # the HR web console (/hr)

    console.init_app(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        """On every response: no content sniffing; HTTPS only, once seen, in production."""
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not settings.is_demo:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        problem = database_problem(db.engine(), HEALTH_WAIT_S)
        if problem:  # any database failure is "not healthy", said plainly
            return jsonify({"status": "error", "database": problem}), 503
        return jsonify({"status": "ok", "database": "ok", "mode": settings.mode}), 200

    if settings.is_demo:
        from bot import sim
        from bot.fake_line.api import create_blueprint

        fake = fake_line or FakeLine(access_token=settings.channel_access_token)
        app.extensions["fake_line"] = fake
        app.register_blueprint(create_blueprint(fake), url_prefix="/fake-line")
        app.register_blueprint(sim.bp)

    from bot import cli

    cli.init_app(app)
    return app


_SIGN_IN_PATH = re.compile(r"(/hr/login/)[^\s/?\"']+")


class _RedactSignInTokens(logging.Filter):
    """Access-log lines show `/hr/login/…`, never the one-time token itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        def clean(value: Any) -> Any:
            return _SIGN_IN_PATH.sub(r"\1…", value) if isinstance(value, str) else value

        if isinstance(record.msg, str):
            record.msg = clean(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: clean(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(clean(value) for value in record.args)
        return True


def keep_secrets_out_of_logs() -> None:
    """Redact sign-in tokens from the access logs of werkzeug (demo) and gunicorn (web)."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactSignInTokens) for f in logger.filters):
            logger.addFilter(_RedactSignInTokens())


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in a URL: at most what a database integer holds (larger is 404, not 500)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(url_map, *args, **kwargs)


HEALTH_WAIT_S = 1.5  # a load balancer's probe gets its answer well within 2 s


def database_problem(engine: Engine, within: float) -> str:
    """"" when the database answers SELECT 1 within `within` seconds, else what went wrong.

    The check runs in its own thread, so a database that accepts connections and never
    answers cannot hold the request; that thread ends at the engine's connect timeout."""
    outcome: list[str] = []

    def check() -> None:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            outcome.append("")
        except Exception as exc:  # noqa: BLE001  (any failure is "not healthy")
            outcome.append(type(exc).__name__)

    thread = threading.Thread(target=check, name="healthz-check", daemon=True)
    thread.start()
    thread.join(within)
    return outcome[0] if outcome else "timeout"


def create_production_app() -> Flask:
    """The Procfile's `web` entry point: production mode, refusing to start without the keys."""
    import os

    from thai import warm_up

    settings = Settings.from_env(production=True)
    require_secret_key(os.environ)
    app = create_app(settings)
    warm_up()  # build the Thai dictionary now, not on some officer's first message
    # What start-up built lives as long as the worker: out of the cyclic collector's sight, a
    # full collection no longer walks the dictionary's 650,000 objects (265 ms each time, every
    # thread of the worker stopped; docs/benchmarks.md).
    gc.collect()
    gc.freeze()
    return app
