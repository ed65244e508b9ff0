"""Helpers shared by the modules that build regexes."""

from __future__ import annotations

import re


def starting_with(initials: str | set[str], pattern: str) -> str:
    """Prefix a pattern with a one-character lookahead, so most positions fail at once.

    >>> re.findall(starting_with("0123456789", r"\\d+"), "ข้อ 12 และ 3")
    ['12', '3']
    """
    chars = "".join(sorted(set(initials)))
    return f"(?=[{re.escape(chars)}])(?:{pattern})"
