"""A fake LINE Messaging API: validates every request against LINE's spec, records every message.

Served by the app itself in demo mode (under `/fake-line`) and, in tests and benchmarks, as a
small app of its own on a loopback port. The real SDK talks to it over HTTP.
"""
from __future__ import annotations

import itertools
import re
import threading
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from bot import clock
from handlers.messages import MessageLimitError, check_messages

_USER_ID = re.compile(r"^U[0-9a-f]{32}$")  # a LINE user id
RICH_MENU_FIELDS = ("size", "selected", "name", "chatBarText", "areas")
RICH_MENU_IMAGE_TYPES = ("image/png", "image/jpeg")
MAX_RICH_MENU_IMAGE = 1024 * 1024  # bytes
MAX_RICH_MENU_AREAS = 20


@dataclass
class Delivery:
    """One message as the fake delivered it to one user."""

    kind: str  # reply | push | multicast | broadcast
    at: str
    user_id: str
    message: dict[str, Any]
    reply_token: str | None = None
    retry_key: str | None = None
    request: int = 0  # the accepted request it came in (several messages share one)


@dataclass
class Faults:
    """What the fake does wrong on purpose to push and multicast requests (fault tests)."""

    error_rate: float = 0.0  # answer 500 without accepting
    timeout_rate: float = 0.0  # accept, then answer only after `timeout_seconds` (lost answer)
    timeout_seconds: float = 1.0
    burst_every: int = 0  # every N-th request starts a burst of 429 rate-limit answers
    burst_length: int = 0
    latency: float = 0.0  # seconds every push/multicast takes (to catch a worker mid-batch)
    seed: int = 6

    def __post_init__(self) -> None:
        import random

        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._count = 0
        self._burst_left = 0
        self.injected: dict[str, int] = {"500": 0, "timeout": 0, "429": 0}

    def draw(self) -> str:
        """"", "500", "timeout" or "429" for the next request."""
        with self._lock:
            self._count += 1
            if self.burst_every and self._count % self.burst_every == 0:
                self._burst_left = self.burst_length
            if self._burst_left > 0:
                self._burst_left -= 1
                fault = "429"
            else:
                roll = self._rng.random()
                fault = ("500" if roll < self.error_rate else
                         "timeout" if roll < self.error_rate + self.timeout_rate else "")
            if fault:
                self.injected[fault] += 1
            return fault


@dataclass
class FakeLine:
    """The state of the fake: who got what, which tokens and retry keys were used."""

    access_token: str
    monthly_quota: int = 500_000
    profiles: dict[str, str] = field(default_factory=dict)
    contents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    check_responses: bool = False
    history: int = 200_000  # deliveries kept (oldest dropped first), so a long demo stays small
    faults: Faults | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.deliveries: deque[Delivery] = deque(maxlen=self.history)
        self.requests: deque[dict[str, Any]] = deque(maxlen=self.history)  # accepted, in order
        self._used_reply_tokens: OrderedDict[str, None] = OrderedDict()
        self._retry_keys: dict[str, str] = {}
        self._ids = itertools.count(100_000_000_000_000)
        self.usage = 0  # billed messages this month: recipients × push requests
        self.billed: dict[str, int] = {}  # user id → push requests that reached them (billed)
        self._request_ids = itertools.count(1)
        self._reply_targets: dict[str, str] = {}  # reply token → user id
        self.rich_menus: dict[str, dict[str, Any]] = {}  # id → the menu as LINE answers it
        self.rich_menu_images: dict[str, tuple[bytes, str]] = {}  # id → (image, content type)
        self.user_rich_menus: dict[str, str] = {}  # user id → the menu linked to them alone
        self.default_rich_menu_id: str | None = None

    # --- what the API endpoints do -----------------------------------------------------------

    def accept(self, kind: str, body: dict[str, Any],
               retry_key: str | None) -> tuple[int, dict[str, Any]]:
        """Record a reply/push/multicast/broadcast; return (status, response body)."""
        try:
            check_messages(body["messages"])  # LINE's documented limits that the schema lacks
        except MessageLimitError as exc:
            return 400, {"message": "The request body has 1 error(s)",
                         "details": [{"message": str(exc), "property": "messages"}]}
        now = clock.utc_now().isoformat()  # the app's clock: the demo's may be simulated
        with self._lock:
            if retry_key is not None and retry_key in self._retry_keys:
                return 409, {"message": "The retry key is already accepted"}
            if kind != "reply":
                # LINE bills one message per recipient per request, whatever the number of
                # message objects in it (up to five).
                count = (1 if kind == "push" else len(set(body.get("to", [])))
                         if kind == "multicast" else len(self.profiles))
                if self.usage + count > self.monthly_quota:
                    return 429, {"message": "You have reached your monthly limit."}
            if retry_key is not None:
                self._retry_keys[retry_key] = kind
            token = str(body.get("replyToken"))
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
                self.usage += len(recipients)
                for user_id in recipients:
                    self.billed[user_id] = self.billed.get(user_id, 0) + 1
            self.requests.append({"kind": kind, "at": now, "body": body, "retry_key": retry_key})
            request_no = next(self._request_ids)
            for user_id in recipients:
                for message in body["messages"]:
                    self.deliveries.append(Delivery(kind, now, user_id, message, token, retry_key,
                                                    request_no))
            sent = [{"id": str(next(self._ids))} for _ in body["messages"]]
        if kind in ("reply", "push"):
            return 200, {"sentMessages": sent}
        return 200, {}

    def check_rich_menu(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """LINE's documented rich-menu rules that the schema lacks; (status, response body)."""
        details = rich_menu_problems(body)
        if details:
            return 400, {"message": f"The request body has {len(details)} error(s)",
                         "details": details}
        return 200, {}

    def create_rich_menu(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Record a new rich menu (no image yet); answer its id."""
        status, answer = self.check_rich_menu(body)
        if status != 200:
            return status, answer
        rich_menu_id = "richmenu-" + uuid.uuid4().hex
        with self._lock:
            self.rich_menus[rich_menu_id] = {"richMenuId": rich_menu_id,
                                             **{key: body[key] for key in RICH_MENU_FIELDS}}
        return 200, {"richMenuId": rich_menu_id}

    def set_rich_menu_image(self, rich_menu_id: str, data: bytes,
                            content_type: str) -> tuple[int, dict[str, Any]]:
        """Attach an image to a menu: PNG or JPEG, at most 1 MB, the menu's size, only once."""
        with self._lock:
            menu = self.rich_menus.get(rich_menu_id)
            if menu is None:
                return 404, {"message": "Not found"}
            if content_type not in RICH_MENU_IMAGE_TYPES:
                return 415, {"message": "Unsupported media type"}
            if len(data) > MAX_RICH_MENU_IMAGE:
                return 413, {"message": f"The image is {len(data)} bytes; at most 1 MB is allowed"}
            if rich_menu_id in self.rich_menu_images:
                return 400, {"message": "An image has already been uploaded to the richmenu"}
            size = image_size(data, content_type)
            expected = (menu["size"]["width"], menu["size"]["height"])
            if size is None:
                return 400, {"message": f"The body is not a {content_type} image"}
            if size != expected:
                return 400, {"message": f"The image is {size[0]}x{size[1]} pixels; "
                                        f"the rich menu is {expected[0]}x{expected[1]}"}
            self.rich_menu_images[rich_menu_id] = (data, content_type)
        return 200, {}

    def set_default_rich_menu(self, rich_menu_id: str) -> tuple[int, dict[str, Any]]:
        """Make a menu with an image every user's default."""
        with self._lock:
            if rich_menu_id not in self.rich_menus:
                return 404, {"message": "Not found"}
            if rich_menu_id not in self.rich_menu_images:
                return 400, {"message": "must upload richmenu image before applying it to user"}
            self.default_rich_menu_id = rich_menu_id
        return 200, {}

    def default_rich_menu(self) -> tuple[int, dict[str, Any]]:
        """The default menu's id, or 404 when there is none."""
        with self._lock:
            if self.default_rich_menu_id is None:
                return 404, {"message": "no default richmenu"}
            return 200, {"richMenuId": self.default_rich_menu_id}

    def rich_menu_list(self) -> tuple[int, dict[str, Any]]:
        """Every rich menu of the channel."""
        with self._lock:
            return 200, {"richmenus": list(self.rich_menus.values())}

    def delete_rich_menu(self, rich_menu_id: str) -> tuple[int, dict[str, Any]]:
        """Delete a menu and its image (and the default, if it was that one)."""
        with self._lock:
            if self.rich_menus.pop(rich_menu_id, None) is None:
                return 404, {"message": "Not found"}
            self.rich_menu_images.pop(rich_menu_id, None)
            if self.default_rich_menu_id == rich_menu_id:
                self.default_rich_menu_id = None
            shown = [u for u, linked in self.user_rich_menus.items() if linked == rich_menu_id]
            for user_id in shown:
                del self.user_rich_menus[user_id]  # LINE shows them the default again
        return 200, {}

    def link_user_rich_menu(self, user_id: str, rich_menu_id: str) -> tuple[int, dict[str, Any]]:
        """Show one user this menu instead of the default (it needs its image first)."""
        with self._lock:
            if rich_menu_id not in self.rich_menus:
                return 404, {"message": "Not found"}
            if rich_menu_id not in self.rich_menu_images:
                return 400, {"message": "must upload richmenu image before applying it to user"}
            if not _USER_ID.match(user_id):
                return 400, {"message": f"The 'userId' parameter is invalid: {user_id}"}
            self.user_rich_menus[user_id] = rich_menu_id
        return 200, {}

    def unlink_user_rich_menu(self, user_id: str) -> tuple[int, dict[str, Any]]:
        """The user sees the default menu again (unlinking nothing is not an error)."""
        with self._lock:
            if not _USER_ID.match(user_id):
                return 400, {"message": f"The 'userId' parameter is invalid: {user_id}"}
            self.user_rich_menus.pop(user_id, None)
        return 200, {}

    def user_rich_menu(self, user_id: str) -> tuple[int, dict[str, Any]]:
        """The menu linked to this user alone, or 404 (LINE does not answer the default here)."""
        with self._lock:
            linked = self.user_rich_menus.get(user_id)
        if linked is None:
            return 404, {"message": "the user has no richmenu"}
        return 200, {"richMenuId": linked}

    def menu_shown_to(self, user_id: str) -> str | None:
        """The id of the menu this user sees: their own, else the default (simulator)."""
        with self._lock:
            return self.user_rich_menus.get(user_id, self.default_rich_menu_id)

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
            self.billed.clear()
            self.rich_menus.clear()
            self.rich_menu_images.clear()
            self.user_rich_menus.clear()
            self.default_rich_menu_id = None


def rich_menu_problems(body: dict[str, Any]) -> list[dict[str, str]]:
    """What LINE's rich-menu documentation requires beyond the spec's schema, as error details."""
    missing = [{"message": "must be specified", "property": key}
               for key in RICH_MENU_FIELDS if key not in body]
    if missing:
        return missing
    details: list[dict[str, str]] = []
    width, height = body["size"].get("width"), body["size"].get("height")
    if width is None or height is None:
        details.append({"message": "width and height must be specified", "property": "size"})
    elif not (800 <= width <= 2500 and height >= 250 and width / height >= 1.45):
        details.append({"message": "must be 800 to 2500 pixels wide, at least 250 high, "
                                   "and at least 1.45 times as wide as high", "property": "size"})
    if len(body["areas"]) > MAX_RICH_MENU_AREAS:
        details.append({"message": f"size must be at most {MAX_RICH_MENU_AREAS}",
                        "property": "areas"})
    for index, area in enumerate(body["areas"]):
        bounds, prefix = area.get("bounds"), f"areas.{index}"
        if area.get("action") is None:
            details.append({"message": "must be specified", "property": f"{prefix}.action"})
        if bounds is None or any(key not in bounds for key in ("x", "y", "width", "height")):
            details.append({"message": "x, y, width and height must be specified",
                            "property": f"{prefix}.bounds"})
        elif width is not None and height is not None and (
                bounds["x"] + bounds["width"] > width or bounds["y"] + bounds["height"] > height):
            details.append({"message": "must be inside the rich menu image",
                            "property": f"{prefix}.bounds"})
    return details


def image_size(data: bytes, content_type: str) -> tuple[int, int] | None:
    """(width, height) read from a PNG or baseline/progressive JPEG header; None if not one."""
    if content_type == "image/png":
        if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not data.startswith(b"\xff\xd8"):
        return None
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte before a marker
            i += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
            return (int.from_bytes(data[i + 7:i + 9], "big"),
                    int.from_bytes(data[i + 5:i + 7], "big"))
        else:
            i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    return None
