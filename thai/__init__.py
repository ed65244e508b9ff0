"""Thai text understanding: read free-form Thai chat into typed values, and write Thai dates.

Pure (no database, no Flask). ``python -m bot.thai`` (the fixed interface; ``python -m thai``
too) is its command line.
PyThaiNLP is told here, before this package imports it, never to download
or write anything at run time (unless the environment already says otherwise).
"""

from __future__ import annotations

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
if "PYTHAINLP_READ_MODE" not in os.environ:  # PyThaiNLP refuses both at once
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from thai.cleaning import normalize, thai_digits_to_arabic
from thai.extract import ParsedMessage, parse, warm_up
from thai.formatting import format_date, format_datetime

__all__ = [
    "ParsedMessage",
    "format_date",
    "format_datetime",
    "normalize",
    "parse",
    "thai_digits_to_arabic",
    "warm_up",
]
