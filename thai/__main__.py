"""Command line: ``python -m bot.thai --today YYYY-MM-DD "ข้อความ"`` or ``--jsonl``.

One message prints one JSON object (keys in the documented order, Thai kept
as is). ``--jsonl`` reads lines ``{"text": ..., "today": ...}`` from stdin
and writes one JSON object per line; a line that cannot be read gives
``{"error": ...}`` in its place and the exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from thai import parse
from thai.formatting import BANGKOK


def _iso_date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {raw!r}") from None


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _jsonl(lines: Iterable[str], out: TextIO, default_today: dt.date) -> int:
    status = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
            raw_today = item.get("today")
            today = default_today if raw_today is None else dt.date.fromisoformat(raw_today)
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            out.write(_dump({"error": f"line {number}: {type(err).__name__}: {err}"}) + "\n")
            status = 1
            continue
        out.write(_dump(parse(text, today).to_dict()) + "\n")
        out.flush()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.thai", description="Read Thai chat text into structured values."
    )
    parser.add_argument(
        "--today",
        type=_iso_date,
        default=None,
        help="the day relative dates count from (default: today in Asia/Bangkok)",
    )
    parser.add_argument(
        "--jsonl", action="store_true", help='read {"text", "today"} lines from stdin'
    )
    parser.add_argument("text", nargs="*", help="the message (several words are joined)")
    args = parser.parse_args(argv)
    today = args.today or dt.datetime.now(BANGKOK).date()
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    if args.jsonl:
        if args.text:
            parser.error("--jsonl reads stdin; give no message")
        return _jsonl(sys.stdin, sys.stdout, today)
    if not args.text:
        parser.error("give a message, or --jsonl")
    sys.stdout.write(_dump(parse(" ".join(args.text), today).to_dict()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
