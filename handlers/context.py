"""What every chat handler is given and may answer with.

`Context` says who is talking, as the database knows them (never as the event claims). Flows
import this module; only the router imports flows.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from handlers import messages as m
from handlers import texts
from models import LineUser, Staff, audit
from thai import normalize


@dataclass
class Context:
    """Who is talking, as the database knows them, and when; and where the app is (its time
    zone and public address, from the settings the webhook was given)."""

    session: Session
    line_user: LineUser
    staff: Staff | None
    now: datetime
    tz: tzinfo
    public_base_url: str

    def url(self, path: str) -> str:
        """An absolute link to `path` on the public web app."""
        return self.public_base_url.rstrip("/") + path

    @property
    def menu(self) -> list[m.Action]:
        """The quick replies offered under every answer."""
        labels = texts.HELP_LINES if self.staff is not None else texts.UNLINKED_MENU
        return [m.message_action(label) for label in list(labels)[:m.MAX_QUICK_REPLY_ITEMS]]


Handler = Callable[[Context], list[m.Message]]


def linked_only(handler: Handler) -> Handler:
    """A handler that needs a linked staff record; others are told how to link."""
    def guarded(ctx: Context) -> list[m.Message]:
        if ctx.staff is None:
            return [m.text(texts.NOT_LINKED, ctx.menu)]
        return handler(ctx)
    return guarded


_SPACES = re.compile(r"\s+")


def command_key(text: str) -> str:
    """The form a typed command is looked up by: normalised Thai, no spaces, case-folded."""
    return _SPACES.sub("", normalize(text)).casefold()


def refuse(ctx: Context, params: Mapping[str, Any] | str,
           action: str = "postback.refused") -> list[m.Message]:
    """The one answer to a stale, forged or foreign tap: audited, nothing changed."""
    audit(ctx.session, action, actor_staff_id=ctx.line_user.staff_id,
          actor_line_user_id=ctx.line_user.user_id, data=str(params)[:300])
    return [m.text(texts.STALE_BUTTON, ctx.menu)]
