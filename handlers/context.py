"""What every chat handler is given and may answer with.

`Context` says who is talking, as the database knows them (never as the event claims). A handler
answers with messages, or with a `Step` that also moves the person within a flow. Flows import
this module; only the router imports flows.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy.orm import Session

from handlers import menus, texts
from handlers import messages as m
from handlers.conversation import UNKNOWN
from handlers.menus import MenuKind
from handlers.postbacks import Tap, encode
from models import LineUser, Staff, audit
from thai import normalize

if TYPE_CHECKING:
    from handlers.events import MediaReceived

D = TypeVar("D")


@dataclass
class Context:
    """Who is talking, as the database knows them, and when; and where the app is (its time
    zone and public address, from the settings the webhook was given)."""

    session: Session
    line_user: LineUser
    staff: Staff | None
    now: datetime
    tz: tzinfo  # the agency's time zone (APP_TIMEZONE), for what people read
    public_base_url: str  # where links the bot sends point (PUBLIC_BASE_URL)
    current: Any = UNKNOWN  # the person's Conversation row once read (None: in no flow)
    _roles: tuple[int | None, frozenset[MenuKind]] | None = None  # (staff id, roles) once read

    def url(self, path: str) -> str:
        """An absolute link to `path` on the public web app."""
        return self.public_base_url.rstrip("/") + path

    @property
    def roles(self) -> frozenset[MenuKind]:
        """The person's menu roles (officer, carer, HR), read once from the database."""
        staff_id = self.staff.id if self.staff is not None else None
        if self._roles is None or self._roles[0] != staff_id:
            self._roles = (staff_id, menus.roles_of(self.session, self.staff))
        return self._roles[1]

    @property
    def menu(self) -> list[m.Action]:
        """The quick replies offered under every answer, for the person's roles."""
        return [m.message_action(label) for label in menus.quick_labels(self.roles)]


@dataclass
class Step(Generic[D]):
    """What a flow step decided: answer with `messages`, then be in `state` (None: done),
    remembering `data` (the flow's state-data dataclass) for the next step."""

    messages: list[m.Message]
    state: str | None = None
    data: D | None = None


Answer = list[m.Message] | Step[Any]
Handler = Callable[[Context], Answer]  # a typed command
TapHandler = Callable[[Context, Any], Answer]  # a decoded tap, of its type (handlers/postbacks.py)
StepHandler = Callable[[Context, str, Any], Step[Any]]  # text typed inside a flow's state
MediaHandler = Callable[[Context, "MediaReceived", str, Any], Step[Any]]  # a photo or file
TextReader = Callable[[Context, str], "Answer | None"]  # free text no command took


def linked_only(handler: Handler) -> Handler:
    """A handler that needs a linked staff record; others are told how to link."""
    def guarded(ctx: Context) -> Answer:
        if ctx.staff is None:
            return [m.text(texts.NOT_LINKED, ctx.menu)]
        return handler(ctx)
    return guarded


_SPACES = re.compile(r"\s+")


def command_key(text: str) -> str:
    """The form a typed command is looked up by: normalised Thai, no spaces, case-folded."""
    return _SPACES.sub("", normalize(text)).casefold()


def refuse(ctx: Context, tapped: Tap | Mapping[str, Any] | str) -> list[m.Message]:
    """The one answer to a stale, forged or foreign tap: audited, nothing changed."""
    audit(ctx.session, "postback.refused", actor_staff_id=ctx.line_user.staff_id,
          actor_line_user_id=ctx.line_user.user_id, data=tap_data(tapped))
    return [m.text(texts.STALE_BUTTON, ctx.menu)]


def tap_data(tapped: Tap | Mapping[str, Any] | str) -> str:
    """What an audit entry records of a tap (or of a flow's data standing for one)."""
    return (encode(tapped) if isinstance(tapped, Tap) else str(tapped))[:300]


def cancel_action() -> m.Action:
    """The ยกเลิก quick reply every flow question offers (the router ends any flow on it)."""
    return m.message_action("ยกเลิก")
