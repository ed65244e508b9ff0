"""Absolute links the bot sends (console sign-in, announcement attachments).

The app sets the public base URL once at start (`configure`, from `PUBLIC_BASE_URL` or the
demo's loopback address); handlers only build paths on it.
"""
from __future__ import annotations

_base_url = "http://127.0.0.1:8000"


def configure(base_url: str) -> None:
    global _base_url
    _base_url = base_url.rstrip("/")


def url(path: str) -> str:
    return _base_url + path
