"""LINE message builders: the one place that knows LINE's limits and enforces all of them.

Builders return plain JSON dicts in the Messaging API's shape (what the simulator shows and
what the SDK sends). `check_messages` is run on every reply and push before it goes out,
because the SDK checks only some of these limits. This module is pure: no Flask, no HTTP.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import regex

Message = dict[str, Any]
Action = dict[str, Any]

MAX_MESSAGES = 5  # per reply or push
MAX_MULTICAST_RECIPIENTS = 500
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL_GRAPHEMES = 20
MAX_POSTBACK_DATA = 300
MAX_TEXT_UTF16 = 5000
MAX_ALT_TEXT = 1500
MAX_BUBBLE_BYTES = 30_000  # LINE: the JSON of a Flex bubble at most 30 KB
MAX_CAROUSEL_BYTES = 50_000  # and of a carousel at most 50 KB
MAX_CAROUSEL_BUBBLES = 12

_GRAPHEME = regex.compile(r"\X")


class MessageLimitError(ValueError):
    """A message breaks one of LINE's limits; it must never reach the API."""


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as LINE counts text (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le")) // 2


def grapheme_length(text: str) -> int:
    """User-perceived characters: a Thai consonant with its vowel and tone marks counts once."""
    return len(_GRAPHEME.findall(text))


def shorten(text: str, max_utf16: int = MAX_TEXT_UTF16, ellipsis: str = "…") -> str:
    """Cut `text` to fit `max_utf16` code units without splitting a grapheme."""
    if utf16_length(text) <= max_utf16:
        return text
    budget = max_utf16 - utf16_length(ellipsis)
    out: list[str] = []
    used = 0
    for grapheme in _GRAPHEME.findall(text):
        size = utf16_length(grapheme)
        if used + size > budget:
            break
        out.append(grapheme)
        used += size
    return "".join(out) + ellipsis


def shorten_label(label: str) -> str:
    """Cut an action label to LINE's 20 graphemes."""
    graphemes = _GRAPHEME.findall(label)
    if len(graphemes) <= MAX_LABEL_GRAPHEMES:
        return label
    return "".join(graphemes[: MAX_LABEL_GRAPHEMES - 1]) + "…"


# --- actions ---------------------------------------------------------------------------------

def message_action(label: str, text: str | None = None) -> Action:
    """Tapping sends `text` (default: the label) as if the user typed it."""
    return {"type": "message", "label": label, "text": text if text is not None else label}


def postback_action(label: str, data: str, display_text: str | None = None) -> Action:
    """Tapping sends `data` to the bot; `display_text` is shown in the chat as the user's words."""
    action: Action = {"type": "postback", "label": label, "data": data}
    if display_text:
        action["displayText"] = display_text
    return action


def uri_action(label: str, uri: str) -> Action:
    return {"type": "uri", "label": label, "uri": uri}


# --- messages --------------------------------------------------------------------------------

def quick_reply(actions: Iterable[Action]) -> dict[str, Any]:
    return {"items": [{"type": "action", "action": action} for action in actions]}


def text(body: str, quick_replies: Sequence[Action] | None = None) -> Message:
    """A text message, optionally with quick-reply buttons."""
    message: Message = {"type": "text", "text": body}
    if quick_replies:
        message["quickReply"] = quick_reply(quick_replies)
    return message


def flex(alt_text: str, contents: Mapping[str, Any],
         quick_replies: Sequence[Action] | None = None) -> Message:
    """A Flex message (bubble or carousel); `alt_text` is what notifications show."""
    message: Message = {"type": "flex", "altText": alt_text, "contents": dict(contents)}
    if quick_replies:
        message["quickReply"] = quick_reply(quick_replies)
    return message


def buttons(alt_text: str, body: str, actions: Sequence[Action],
            title: str | None = None) -> Message:
    """A Flex bubble with a short text and one button per action (up to what fits)."""
    contents: list[dict[str, Any]] = []
    if title:
        contents.append({"type": "text", "text": title, "weight": "bold", "size": "lg",
                         "wrap": True})
    contents.append({"type": "text", "text": body, "wrap": True, "size": "md"})
    bubble: dict[str, Any] = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": contents},
    }
    if actions:
        bubble["footer"] = {
            "type": "box", "layout": "vertical", "spacing": "sm",
            "contents": [{"type": "button", "style": "primary" if i == 0 else "secondary",
                          "height": "sm", "action": action}
                         for i, action in enumerate(actions)],
        }
    return flex(alt_text, bubble)


def json_size(node: Any) -> int:
    """Bytes of the compact UTF-8 JSON LINE receives (Thai letters are 3 bytes each)."""
    return len(json.dumps(node, ensure_ascii=False, separators=(",", ":")).encode())


def carousel(bubbles: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A carousel of the leading bubbles that fit LINE's limits (12 bubbles, 50 KB); the
    caller says how many were shown (`len(result["contents"])`) when not all fit."""
    taken: list[dict[str, Any]] = []
    size = json_size({"type": "carousel", "contents": []})
    for bubble in bubbles[:MAX_CAROUSEL_BUBBLES]:
        extra = json_size(bubble) + (1 if taken else 0)
        if taken and size + extra > MAX_CAROUSEL_BYTES:
            break
        taken.append(bubble)
        size += extra
    return {"type": "carousel", "contents": taken}


# --- limits ----------------------------------------------------------------------------------

def check_messages(messages: Sequence[Message]) -> None:
    """Raise MessageLimitError unless every message fits every LINE limit."""
    if not messages:
        raise MessageLimitError("no messages to send")
    if len(messages) > MAX_MESSAGES:
        raise MessageLimitError(f"{len(messages)} messages; LINE allows {MAX_MESSAGES}")
    for index, message in enumerate(messages):
        where = f"message {index + 1}"
        kind = message.get("type")
        if kind == "text":
            body = message.get("text")
            if not isinstance(body, str) or not body:
                raise MessageLimitError(f"{where}: text must be a non-empty string")
            if utf16_length(body) > MAX_TEXT_UTF16:
                raise MessageLimitError(
                    f"{where}: text of {utf16_length(body)} UTF-16 units; limit {MAX_TEXT_UTF16}")
        if "altText" in message:
            alt = message["altText"]
            if not alt or len(alt) > MAX_ALT_TEXT:
                raise MessageLimitError(f"{where}: altText must be 1–{MAX_ALT_TEXT} characters")
        if kind == "flex":
            _check_flex_size(message.get("contents"), where)
        items = message.get("quickReply", {}).get("items", [])
        if len(items) > MAX_QUICK_REPLY_ITEMS:
            raise MessageLimitError(
                f"{where}: {len(items)} quick replies; LINE allows {MAX_QUICK_REPLY_ITEMS}")
        for action in _actions_in(message):
            _check_action(action, where)


def _check_flex_size(container: Any, where: str) -> None:
    if not isinstance(container, Mapping):
        return
    bubbles = container.get("contents", []) if container.get("type") == "carousel" else [container]
    if container.get("type") == "carousel":
        if len(bubbles) > MAX_CAROUSEL_BUBBLES:
            raise MessageLimitError(
                f"{where}: {len(bubbles)} bubbles; a carousel holds {MAX_CAROUSEL_BUBBLES}")
        if json_size(container) > MAX_CAROUSEL_BYTES:
            raise MessageLimitError(f"{where}: carousel of {json_size(container):,} bytes; "
                                    f"limit {MAX_CAROUSEL_BYTES:,}")
    for bubble in bubbles:
        if json_size(bubble) > MAX_BUBBLE_BYTES:
            raise MessageLimitError(f"{where}: bubble of {json_size(bubble):,} bytes; "
                                    f"limit {MAX_BUBBLE_BYTES:,}")


def check_recipients(recipients: Sequence[str]) -> None:
    """A multicast goes to 1–500 user ids."""
    if not recipients or len(recipients) > MAX_MULTICAST_RECIPIENTS:
        raise MessageLimitError(
            f"{len(recipients)} recipients; multicast takes 1–{MAX_MULTICAST_RECIPIENTS}")


def _actions_in(node: Any) -> list[Action]:
    """Every action object anywhere inside a message (quick replies, Flex buttons, …)."""
    found: list[Action] = []
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) or isinstance(node, Mapping):  # a dict needs no ABC check
            for key, value in node.items():
                if key in ("action", "defaultAction") and isinstance(value, dict):
                    found.append(value)
                if value is not None and not isinstance(value, (str, int, float)):
                    stack.append(value)
    return found


def _check_action(action: Mapping[str, Any], where: str) -> None:
    label = action.get("label")
    # never more graphemes than code points: a short label needs no counting
    if label is not None and (not isinstance(label, str) or len(label) > MAX_LABEL_GRAPHEMES) \
            and grapheme_length(label) > MAX_LABEL_GRAPHEMES:
        raise MessageLimitError(
            f"{where}: label {label!r} has {grapheme_length(label)} characters; "
            f"limit {MAX_LABEL_GRAPHEMES}")
    if action.get("type") == "postback":
        data = action.get("data", "")
        if not data or len(data) > MAX_POSTBACK_DATA:
            raise MessageLimitError(f"{where}: postback data must be "
                                    f"1–{MAX_POSTBACK_DATA} characters")
    if action.get("type") == "message" and not action.get("text"):
        raise MessageLimitError(f"{where}: message action without text")
