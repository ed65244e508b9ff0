"""The small internal events the webhook is translated into."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """What every event carries. `user_id` is None when LINE does not say who it was."""

    user_id: str | None
    at: datetime
    source_type: str = "user"  # user | group | room

    @property
    def in_one_to_one_chat(self) -> bool:
        return self.source_type == "user"


@dataclass(frozen=True)
class TextReceived(Incoming):
    text: str = ""


@dataclass(frozen=True)
class PostbackReceived(Incoming):
    data: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MediaReceived(Incoming):
    """A message that is not text: image, video, audio, file, location or sticker."""

    kind: str = ""
    message_id: str = ""


@dataclass(frozen=True)
class Followed(Incoming):
    pass


@dataclass(frozen=True)
class Unfollowed(Incoming):
    pass


@dataclass(frozen=True)
class JoinedChat(Incoming):
    """The bot was added to a group or room, or someone joined one it is in."""


@dataclass(frozen=True)
class Ignored(Incoming):
    """An event the bot has nothing to say to (unsend, beacon, leave, an unknown type, …)."""

    event_type: str = ""
