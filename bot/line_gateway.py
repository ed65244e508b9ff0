"""The one LINE gateway: a single long-lived SDK client with explicit timeouts."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
)

from bot.messages import Message, MessageLimitError, check_messages, check_recipients
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class LineApiError(Exception):
    """LINE answered with an error, or did not answer at all (status 0)."""

    status: int
    message: str

    def __str__(self) -> str:
        return f"LINE API {self.status}: {self.message}"

    @property
    def retryable(self) -> bool:
        """5xx, 429 and time-outs may succeed later; any other 4xx never will."""
        return self.status == 0 or self.status == 429 or self.status >= 500

    @property
    def already_accepted(self) -> bool:
        """409 on a retry key: LINE already accepted this very request."""
        return self.status == 409


class LineGateway:
    """Reply, push and multicast through the SDK; every message is checked before it leaves."""

    def __init__(self, settings: Settings) -> None:
        configuration = Configuration(host=settings.line_api_base_url,
                                      access_token=settings.channel_access_token)
        self._client = ApiClient(configuration)
        self._api = MessagingApi(self._client)
        self._timeout = settings.line_timeout

    def close(self) -> None:
        self._client.close()

    def reply(self, reply_token: str, messages: list[Message]) -> None:
        request = _build(ReplyMessageRequest, {"replyToken": reply_token, "messages": messages})
        self._call(self._api.reply_message, request)

    def push(self, to: str, messages: list[Message], retry_key: str) -> None:
        request = _build(PushMessageRequest, {"to": to, "messages": messages})
        self._call(self._api.push_message, request, x_line_retry_key=retry_key)

    def multicast(self, to: list[str], messages: list[Message], retry_key: str) -> None:
        check_recipients(to)
        request = _build(MulticastRequest, {"to": to, "messages": messages})
        self._call(self._api.multicast, request, x_line_retry_key=retry_key)

    def display_name(self, user_id: str) -> str:
        profile = self._call(self._api.get_profile, user_id)
        return str(profile.display_name)

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, _request_timeout=self._timeout, **kwargs)
        except ApiException as exc:
            raise LineApiError(int(exc.status or 0), _error_message(exc.body)) from exc
        except OSError as exc:  # time-outs and refused connections (urllib3 errors are OSErrors)
            raise LineApiError(0, f"{type(exc).__name__}: {exc}") from exc
        except Exception as exc:
            # urllib3's MaxRetryError/TimeoutError are not all OSErrors across versions
            if type(exc).__module__.startswith("urllib3"):
                raise LineApiError(0, f"{type(exc).__name__}: {exc}") from exc
            raise


def _build(model: Any, body: dict[str, Any]) -> Any:
    """Check LINE's limits, then let the SDK build its request model (it checks types)."""
    check_messages(body["messages"])
    try:
        return model.from_dict(body)
    except ValueError as exc:  # pydantic's ValidationError and unknown discriminators
        raise MessageLimitError(f"not a valid LINE message: {exc}") from exc


def _error_message(body: Any) -> str:
    try:
        data = json.loads(body)
        details = "; ".join(f"{d.get('property', '')}: {d.get('message', '')}"
                            for d in data.get("details", []))
        return data.get("message", "") + (f" ({details})" if details else "")
    except (TypeError, ValueError, AttributeError):
        return str(body)[:500]
