"""A fake LINE Messaging API: validates every request against LINE's spec, records every message.

Served by the app itself in demo mode (under `/fake-line`) and, in tests and benchmarks, as a
small app of its own on a loopback port. The real SDK talks to it over HTTP.
"""
from __future__ import annotations

import itertools
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.messages import MessageLimitError, check_messages


@dataclass
class Delivery:
    """One message as the fake delivered it to one user."""

    kind: str  # reply | push | multicast | broadcast
    at: str
    user_id: str
    message: dict[str, Any]
    reply_token: str | None = None
    retry_key: str | None = None


@dataclass
class FakeLine:
    """The state of the fake: who got what, which tokens and retry keys were used."""

    access_token: str
    monthly_quota: int = 500_000
    profiles: dict[str, str] = field(default_factory=dict)
    contents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    check_responses: bool = False
    history: int = 200_000  # deliveries kept (oldest dropped first), so a long demo stays small

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.deliveries: deque[Delivery] = deque(maxlen=self.history)
        self.requests: deque[dict[str, Any]] = deque(maxlen=self.history)  # accepted, in order
        self._used_reply_tokens: OrderedDict[str, None] = OrderedDict()
        self._retry_keys: dict[str, str] = {}
        self._ids = itertools.count(100_000_000_000_000)
        self.usage = 0
        self._reply_targets: dict[str, str] = {}  # reply token → user id

    # --- what the API endpoints do -----------------------------------------------------------

    def accept(self, kind: str, body: dict[str, Any], retry_key: str | None) -> tuple[int, dict[str, Any]]:
        """Record a reply/push/multicast/broadcast; return (status, response body)."""
        try:
            check_messages(body["messages"])  # LINE's documented limits that the schema lacks
        except MessageLimitError as exc:
            return 400, {"message": "The request body has 1 error(s)",
                         "details": [{"message": str(exc), "property": "messages"}]}
        now = datetime.now(timezone.utc).isoformat()
        with self._lock:
            if retry_key is not None:
                if retry_key in self._retry_keys:
                    return 409, {"message": "The retry key is already accepted"}
                self._retry_keys[retry_key] = kind
            token = body.get("replyToken")
            if kind == "reply":
                if token in self._used_reply_tokens:
                    return 400, {"message": "Invalid reply token"}
                self._used_reply_tokens[token] = None
                while len(self._used_reply_tokens) > 100_000:
                    self._used_reply_tokens.popitem(last=False)
                recipients = [self._reply_targets.pop(token, "")]
            elif kind == "push":
                recipients = [body["to"]]
            elif kind == "multicast":
                recipients = list(dict.fromkeys(body["to"]))
            else:
                recipients = list(self.profiles)
            if kind != "reply":
                self.usage += len(recipients) * len(body["messages"])
            self.requests.append({"kind": kind, "at": now, "body": body, "retry_key": retry_key})
            for user_id in recipients:
                for message in body["messages"]:
                    self.deliveries.append(Delivery(kind, now, user_id, message, token, retry_key))
            sent = [{"id": str(next(self._ids))} for _ in body["messages"]]
        if kind in ("reply", "push"):
            return 200, {"sentMessages": sent}
        return 200, {}

    # --- what tests and the simulator read ---------------------------------------------------

    def expect_reply(self, reply_token: str, user_id: str) -> None:
        """Tell the fake which user a reply token belongs to (as LINE knows it)."""
        with self._lock:
            self._reply_targets[reply_token] = user_id

    def replies_to(self, reply_token: str) -> list[dict[str, Any]]:
        with self._lock:
            return [d.message for d in self.deliveries
                    if d.kind == "reply" and d.reply_token == reply_token]

    def messages_for(self, user_id: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.user_id == user_id]

    def clear(self) -> None:
        with self._lock:
            self.deliveries.clear()
            self.requests.clear()
            self._used_reply_tokens.clear()
            self._retry_keys.clear()
            self._reply_targets.clear()
            self.usage = 0
