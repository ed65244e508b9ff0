"""A chat module declares itself in one `Flow`: what enters it and how it goes on.

In the spirit of python-telegram-bot's `ConversationHandler`: the typed commands and the taps
(postback types) that enter it, its states (a `StrEnum`), one step per state, what it does with
a photo or file sent mid-flow, and its typed state data (a dataclass kept as JSON in the
database between messages, so any web worker can take the next one). The router builds its
tables from the list of flows (handlers/router.py): a new flow is one module and one line.

A module with no states (`ตัวชี้วัดของฉัน`, `เข้าสู่ระบบ`) declares only its commands and taps.
Each flow's module docstring carries its mermaid state diagram; tests/test_flows.py checks that
every state has a step, that every state is in the diagram, and that every edge of the diagram
is a transition the code can make.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from handlers.context import Handler, MediaHandler, Step, StepHandler, TapHandler, TextReader
from handlers.postbacks import Tap

__all__ = ["Flow", "Step", "dump"]


@dataclass(frozen=True)
class Flow:
    """One chat module's declaration (see the module docstring)."""

    name: str  # what Conversation.flow stores while a person is inside it
    states: type[StrEnum] | None = None
    steps: Mapping[str, StepHandler] = field(default_factory=dict)
    data: type = dict  # the state data: a dataclass whose fields are JSON values
    commands: Mapping[str, Handler] = field(default_factory=dict)
    taps: Mapping[type[Tap], TapHandler] = field(default_factory=dict)
    on_media: MediaHandler | None = None
    on_text: TextReader | None = None  # free text that no command or flow step took
    linked: bool = True  # its commands and taps need a linked staff record
    diagram: str | None = None  # the module docstring, with the mermaid state diagram

    def load(self, raw: Mapping[str, Any] | None) -> Any:
        """The state data saved between messages (unknown keys from older versions ignored)."""
        if not dataclasses.is_dataclass(self.data):
            return dict(raw or {})
        known = {f.name for f in dataclasses.fields(self.data)}
        return self.data(**{k: v for k, v in (raw or {}).items() if k in known})


def dump(data: Any) -> dict[str, Any]:
    """State data as stored (a JSON object): a copy sharing no dict or list with `data`."""
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {f.name: _copied(getattr(data, f.name)) for f in dataclasses.fields(data)}
    return dict(data or {})


def _copied(value: Any) -> Any:
    """`dataclasses.asdict`'s copy for the JSON values state data holds, without its generic
    deep copy of every string and number (a report's state, with its KPIs, is a few hundred)."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind(_copied(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dump(value)
    return value
