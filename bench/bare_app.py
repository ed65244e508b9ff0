"""The ceiling for this stack: a Flask endpoint that only verifies the LINE signature."""
from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3.webhook import SignatureValidator


def create_app() -> Flask:
    app = Flask("bare")
    validator = SignatureValidator(os.environ["LINE_CHANNEL_SECRET"])

    @app.post("/callback")
    def callback() -> str:
        if not validator.validate(request.get_data(as_text=True),
                                  request.headers.get("X-Line-Signature", "")):
            abort(400)
        return "OK"

    return app
