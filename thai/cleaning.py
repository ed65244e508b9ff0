"""Normalisation of Thai chat text, as a pipeline of small named pure functions.

Shaped like PyThaiNLP's ``util/normalize.py``: each rule is one function with a
compiled regex and a comment saying why. :func:`normalize`
applies them in the order the issue fixes:

1. strip zero-width and invisible characters (:func:`remove_invisible`)
2. Unicode NFKC (:func:`nfkc`)
   - guard: cap character runs no Thai text has (:func:`limit_runs`), which
     would make PyThaiNLP's regexes quadratic
3. PyThaiNLP's ``normalize`` (:func:`pythainlp_normalize`)
4. collapse repeated trailing letters (:func:`collapse_trailing_repeats`)
5. ``เเ`` -> ``แ`` (:func:`fix_double_sara_e`)
6. Thai digits -> Arabic digits (:func:`thai_digits_to_arabic`)
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from re import Pattern

from pythainlp import (
    thai_above_vowels,
    thai_below_vowels,
    thai_follow_vowels,
    thai_lead_vowels,
    thai_tonemarks,
)
from pythainlp.util import normalize as _pythainlp_normalize
from pythainlp.util import (
    remove_dangling,
    remove_dup_spaces,
    remove_spaces_before_marks,
    remove_trailing_repeat_consonants,
    remove_zw,
    reorder_vowels,
    thai_digit_to_arabic_digit,
)

# Zero-width and invisible format characters that phones and copy-paste leave
# in messages. PyThaiNLP's remove_zw only knows U+200B and U+200C, so we strip
# the rest ourselves: U+00AD soft hyphen, U+034F combining grapheme joiner,
# U+180E Mongolian vowel separator, U+200B-U+200F (ZWSP, ZWNJ, ZWJ, LRM, RLM),
# U+202A-U+202E bidi embeddings, U+2060-U+2064 word joiner and invisible
# operators, U+2066-U+2069 bidi isolates, U+FE00-U+FE0F variation selectors,
# U+FEFF BOM / zero-width no-break space.
_INVISIBLE_CHARS: str = (
    "\u00ad\u034f\u180e"
    + "".join(chr(c) for c in range(0x200B, 0x2010))
    + "".join(chr(c) for c in range(0x202A, 0x202F))
    + "".join(chr(c) for c in range(0x2060, 0x2065))
    + "".join(chr(c) for c in range(0x2066, 0x206A))
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "\ufeff"
)
_RE_INVISIBLE: Pattern[str] = re.compile(f"[{_INVISIBLE_CHARS}]")
# Thai digits ๐-๙ (translated only when present: translate is per character).
_RE_THAI_DIGIT: Pattern[str] = re.compile("[\u0e50-\u0e59]")

# NFKC's decomposition of Sara Am, and Sara Am itself.
_NIKHAHIT_SARA_AA: str = "\u0e4d\u0e32"
_SARA_AM: str = "\u0e33"

# Texts longer than this go through an equivalent, single-pass version of
# PyThaiNLP's normalize: its remove_repeat_vowels runs one regex pass per
# Thai vowel/sign (about 22 passes, ~3 ms on 5,000 characters).
LONG_TEXT: int = 1024

# Vowels and signs that must not repeat (PyThaiNLP's _NOREPEAT_CHARS).
_NOREPEAT_CHARS: str = (
    f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}"
    f"{thai_below_vowels}\u0e3a\u0e4c\u0e4d\u0e4e"
)
# A vowel/sign repeated, possibly with spaces between: keep one (one pass for
# all characters instead of one pass per character).
_RE_REPEATED_VOWEL: Pattern[str] = re.compile(
    f"([{_NOREPEAT_CHARS}])(?:[ ]*\\1)+"
)
# Several tone marks in a row: keep the last one, as PyThaiNLP does.
_RE_TONEMARK_RUN: Pattern[str] = re.compile(f"[{thai_tonemarks}]{{2,}}")

# Longest run kept by limit_runs: more than any Thai word or typo needs.
MAX_RUN: int = 8
# The same Thai character more than MAX_RUN times ("กกกก...", "ครับบบบบบบบบบ"):
# keep MAX_RUN, which PyThaiNLP and collapse_trailing_repeats reduce further.
_RE_SAME_THAI_RUN: Pattern[str] = re.compile(f"([\u0e01-\u0e4e])\\1{{{MAX_RUN},}}")
# More than MAX_RUN vowels/tone marks in a row (real Thai stacks at most three):
# PyThaiNLP's reorder_vowels backtracks quadratically on such runs.
_RE_MARK_RUN: Pattern[str] = re.compile(f"[{_NOREPEAT_CHARS}{thai_tonemarks}]{{{MAX_RUN + 1},}}")

# A Thai consonant doubled before a space, a newline or the end: the only
# place remove_trailing_repeat_consonants changes anything ("ครับบบบ").
_RE_TRAILING_REPEAT: Pattern[str] = re.compile(r"([ก-ฮ])\1(?=[ \n]|$)")

# Two Sara E typed for Sara Ae ("เเละ" for "และ").
_RE_DOUBLE_SARA_E: Pattern[str] = re.compile("\u0e40\u0e40")

_repeaters_ready: bool = False
_repeaters_lock = threading.Lock()


def remove_invisible(text: str) -> str:
    """Remove zero-width and other invisible characters.

    >>> remove_invisible("ข้อ\\u200d2\\ufeff\\u2060")
    'ข้อ2'
    """
    return remove_zw(_RE_INVISIBLE.sub("", text))


def nfkc(text: str) -> str:
    """Apply Unicode NFKC (full-width digits and ``％`` become ASCII).

    NFKC splits Sara Am into Nikhahit + Sara Aa; they are joined again at
    once (PyThaiNLP's normalize would do it too, one regex match at a time).

    >>> nfkc("８０％ น้ำ") == "80% น้ำ"
    True
    """
    return unicodedata.normalize("NFKC", text).replace(_NIKHAHIT_SARA_AA, _SARA_AM)


def _keep_run_ends(m: re.Match[str]) -> str:
    run = m.group(0)
    return run[: MAX_RUN // 2] + run[-(MAX_RUN // 2) :]


def limit_runs(text: str) -> str:
    """Cap runs of one Thai character, and of Thai vowels and tone marks, at MAX_RUN.

    A guard against pasted garbage: it changes nothing a person types, and
    keeps PyThaiNLP's regexes from going quadratic on 5,000 tone marks.

    >>> limit_runs("ครับ" + "บ" * 20)
    'ครับบบบบบบบ'
    >>> len(limit_runs("ก" + "\\u0e48" * 5000))
    9
    """
    text = _RE_SAME_THAI_RUN.sub(lambda m: m.group(1) * MAX_RUN, text)
    return _RE_MARK_RUN.sub(_keep_run_ends, text)


def _collapse_repeated_vowels(text: str) -> str:
    """Single-pass equivalent of the repeat removal in PyThaiNLP's remove_repeat_vowels."""
    text = _RE_REPEATED_VOWEL.sub(r"\1", text)
    return _RE_TONEMARK_RUN.sub(lambda m: m.group(0)[-1], text)


def pythainlp_normalize_single_pass(text: str) -> str:
    """PyThaiNLP's ``normalize`` rule by rule, its per-vowel repeat passes folded into one.

    >>> pythainlp_normalize_single_pass("กา า  า  า")
    'กา'
    """
    text = remove_zw(text)
    text = remove_dup_spaces(text)
    text = remove_spaces_before_marks(text)
    text = reorder_vowels(text)
    text = _collapse_repeated_vowels(text)
    return remove_dangling(text)


def pythainlp_normalize(text: str) -> str:
    """Apply PyThaiNLP's ``normalize`` (same result, faster on long texts).

    Up to :data:`LONG_TEXT` characters this calls ``pythainlp.util.normalize``
    itself; longer texts go through :func:`pythainlp_normalize_single_pass`,
    which a property test holds to the very same output.

    >>> pythainlp_normalize("เเปลก  นานาาา")
    'แปลก นานา'
    """
    if len(text) <= LONG_TEXT:
        return _pythainlp_normalize(text)
    return pythainlp_normalize_single_pass(text)


def prepare_repeat_table() -> None:
    """Build PyThaiNLP's table of dictionary words ending in a doubled consonant, once.

    PyThaiNLP keeps this table in a module global: code that calls
    ``remove_trailing_repeat_consonants`` with its own dictionary replaces it.
    """
    global _repeaters_ready
    if _repeaters_ready:
        return
    with _repeaters_lock:
        if not _repeaters_ready:
            remove_trailing_repeat_consonants("", has_dictionary_updated=True)
            _repeaters_ready = True


def collapse_trailing_repeats(text: str) -> str:
    """Collapse letters repeated at the end of a word (``ครับบบบ`` -> ``ครับ``).

    Uses PyThaiNLP's ``remove_trailing_repeat_consonants``, which keeps
    dictionary words that really end in a doubled consonant. Its table is
    built once; later calls pass ``has_dictionary_updated=False`` (8 ms -> µs).
    Repeated vowels (``ค่าาาา``) were already collapsed by PyThaiNLP's normalize.

    >>> collapse_trailing_repeats("ครับบบบ โอเคคคค")
    'ครับ โอเค'
    """
    if not _RE_TRAILING_REPEAT.search(text):
        return text
    prepare_repeat_table()
    return remove_trailing_repeat_consonants(text, has_dictionary_updated=False)


def fix_double_sara_e(text: str) -> str:
    """Replace two Sara E typed in a row with Sara Ae.

    >>> fix_double_sara_e("เเละ")
    'และ'
    """
    return _RE_DOUBLE_SARA_E.sub("\u0e41", text)


def thai_digits_to_arabic(text: str) -> str:
    """Convert Thai digits to Arabic digits.

    >>> thai_digits_to_arabic("๒๕๖๔")
    '2564'
    """
    return thai_digit_to_arabic_digit(text) if _RE_THAI_DIGIT.search(text) else text


PIPELINE: tuple[Callable[[str], str], ...] = (
    remove_invisible,
    nfkc,
    limit_runs,
    pythainlp_normalize,
    collapse_trailing_repeats,
    fix_double_sara_e,
    thai_digits_to_arabic,
)


def normalize(text: str) -> str:
    """Clean one chat message: invisible characters, NFKC, PyThaiNLP rules, repeats, digits.

    >>> normalize("ข้อ\\u200b๒ เสร็จแล้วค่าาาา")
    'ข้อ2 เสร็จแล้วค่า'
    >>> normalize("  ครับบบบ  ")
    'ครับ'
    """
    if len(text) <= _MEMO_CHARS:
        return _normalize_short(text)
    return _normalize(text)


def _normalize(text: str) -> str:
    for step in PIPELINE:
        text = step(text)
    return text


# One message is normalised several times (the command lookup, the intents, the reader), and the
# commands and quick replies people send repeat all day: short results are kept per process.
_MEMO_CHARS = 200
_normalize_short = functools.lru_cache(maxsize=8192)(_normalize)
