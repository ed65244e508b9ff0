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
    MessagingApiBlob,
)
from urllib3.util.retry import Retry

from bot.settings import Settings
from handlers.messages import Message, check_messages, check_recipients

log = logging.getLogger(__name__)

LINE_API = "https://api.line.me"
LINE_DATA_API = "https://api-data.line.me"  # uploads and message content (the "blob" API)


def data_api_base_url(settings: Settings) -> str:
    """Where the blob API is: LINE serves it on api-data.line.me; a fake serves both on one host."""
    base = settings.line_api_base_url.rstrip("/")
    return LINE_DATA_API if base == LINE_API else base


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


class _CheckedBody(dict[str, Any]):
    """A request body already made of JSON values (our builders', passed by `check_messages`)."""


class _ApiClient(ApiClient):
    """The SDK's client, passing a checked body as it is: its generic walk of the body (made
    for its pydantic models) rebuilds every dict and list of a Flex card for nothing."""

    def sanitize_for_serialization(self, obj: Any) -> Any:
        if type(obj) is _CheckedBody:
            return obj
        return super().sanitize_for_serialization(obj)


class LineGateway:
    """Reply, push and multicast through the SDK; every message is checked before it leaves."""

    def __init__(self, settings: Settings) -> None:
        configuration = Configuration(host=settings.line_api_base_url,
                                      access_token=settings.channel_access_token)
        # One quick retry when a pooled keep-alive connection turns out closed by the server.
        # Safe for every call we make: a reply token is single use, and pushes and multicasts
        # carry a retry key (LINE answers 409 to a repeat), so nothing can be sent twice.
        configuration.retries = Retry(total=1, connect=1, read=1, status=0, other=0,
                                      allowed_methods=None, raise_on_status=False)
        self._client = _ApiClient(configuration)
        self._api = MessagingApi(self._client)
        data_configuration = Configuration(host=data_api_base_url(settings),
                                           access_token=settings.channel_access_token)
        data_configuration.retries = configuration.retries
        self._data_client = ApiClient(data_configuration)
        self._blob = MessagingApiBlob(self._data_client)
        self._timeout = settings.line_timeout

    def close(self) -> None:
        self._client.close()
        self._data_client.close()

    def message_content(self, message_id: str) -> tuple[bytes, str]:
        """The bytes of a photo, video, audio or file a user sent, and their content type."""
        response = self._call(self._blob.get_message_content_with_http_info, message_id)
        headers = response.headers or {}
        content_type = headers.get("Content-Type") or headers.get("content-type") or ""
        return bytes(response.data), str(content_type).split(";")[0].strip()

    def reply(self, reply_token: str, messages: list[Message]) -> None:
        # Its answer (the sent messages' ids) is not used: not turned into the SDK's model.
        self._send("/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages})

    def push(self, to: str, messages: list[Message], retry_key: str) -> None:
        self._send("/v2/bot/message/push", {"to": to, "messages": messages}, retry_key,
                   response_type="PushMessageResponse")

    def multicast(self, to: list[str], messages: list[Message], retry_key: str) -> None:
        check_recipients(to)
        self._send("/v2/bot/message/multicast", {"to": to, "messages": messages}, retry_key)

    def _send(self, path: str, body: dict[str, Any], retry_key: str | None = None,
              response_type: str | None = None) -> Any:
        """POST a message request through the SDK's ApiClient (auth, pool, errors, timeouts).

        The body is the JSON our builders made and `check_messages` passed; it does not go
        through the SDK's pydantic request models, which cost 1.7 ms for one Flex card (measured,
        docs/benchmarks.md) and check less than `check_messages` and the spec-validating fake do.
        """
        check_messages(body["messages"])
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if retry_key is not None:
            headers["X-Line-Retry-Key"] = retry_key
        return self._call(self._client.call_api, path, "POST", header_params=headers,
                          body=_CheckedBody(body),
                          response_types_map={"200": response_type} if response_type else {},
                          auth_settings=["Bearer"], _return_http_data_only=True)

    def quota(self) -> tuple[int | None, int]:
        """(monthly push limit, or None when unlimited; messages used this month)."""
        quota = self._call(self._api.get_message_quota)
        used = self._call(self._api.get_message_quota_consumption)
        kind = getattr(quota.type, "value", quota.type)
        limit = int(quota.value) if kind == "limited" and quota.value is not None else None
        return limit, int(used.total_usage)

    def display_name(self, user_id: str) -> str:
        profile = self._call(self._api.get_profile, user_id)
        return str(profile.display_name)

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        return call_sdk(self._timeout, method, *args, **kwargs)


def call_sdk(timeout: tuple[float, float], method: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an SDK method with a timeout (it has none otherwise); failures become LineApiError."""
    try:
        return method(*args, _request_timeout=timeout, **kwargs)
    except ApiException as exc:
        raise LineApiError(int(exc.status or 0), error_message(exc.body)) from exc
    except OSError as exc:  # time-outs and refused connections (urllib3 errors are OSErrors)
        raise LineApiError(0, f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        # urllib3's MaxRetryError/TimeoutError are not all OSErrors across versions
        if type(exc).__module__.startswith("urllib3"):
            raise LineApiError(0, f"{type(exc).__name__}: {exc}") from exc
        raise


def error_message(body: Any) -> str:
    """LINE's error body as one line: its message and each detail."""
    try:
        data = json.loads(body)
        details = "; ".join(f"{d.get('property', '')}: {d.get('message', '')}"
                            for d in data.get("details", []))
        return data.get("message", "") + (f" ({details})" if details else "")
    except (TypeError, ValueError, AttributeError):
        return str(body)[:500]
