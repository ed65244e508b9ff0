"""Word boundaries from PyThaiNLP's newmm tokenizer, asked only when a spelled-out number is seen.

Thai has no spaces between words, so ``ห้า`` (five) hides in ``ห้าม``
(forbid), ``สาม`` in ``สามารถ``, ``พัน`` in ``พันธมิตร``. A number-word
candidate counts only when newmm, with PyThaiNLP's dictionary plus our domain
words, puts word boundaries at both its ends. Most messages never get here.
"""

from __future__ import annotations

import threading

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie, dict_trie

# Domain words added to PyThaiNLP's dictionary so newmm keeps them whole.
DOMAIN_WORDS: frozenset[str] = frozenset(
    {
        "ตัวชี้วัด",
        "ร้อยละ",
        "เปอร์เซ็นต์",
        "เปอร์เซ็น",
        "เปอร์เซนต์",
        "เรียบร้อย",
        "ครึ่งหนึ่ง",
        "ครึ่งนึง",
        "เต็มร้อย",
        "กรกฎา",
        "กุมภา",
        "มะรืน",
        "สิ้นเดือน",
        "ปีงบประมาณ",
        "ผู้สอนงาน",
        "พี่เลี้ยง",
        "ผลสัมฤทธิ์",
        "แผนพัฒนารายบุคคล",
        "หลักสูตร",
        "โอเค",
        "ดำเนินการ",
    }
)

# Messages up to this length are tokenized once as a whole; longer ones in
# windows around each candidate.
WHOLE_TEXT: int = 256
# Characters of context on each side of a candidate in a window.
MARGIN: int = 24
# At most this many windows per message: later candidates count as no number
# (a real message has a few spelled-out numbers, pasted garbage may have hundreds).
MAX_WINDOWS: int = 8

_trie: Trie | None = None
_trie_lock = threading.Lock()


def dictionary() -> Trie:
    """Return the newmm dictionary (PyThaiNLP's words plus domain words), built once."""
    global _trie
    if _trie is None:
        with _trie_lock:
            if _trie is None:
                _trie = dict_trie(set(thai_words()) | DOMAIN_WORDS)
    return _trie


def _boundaries(text: str) -> set[int]:
    tokens = word_tokenize(text, custom_dict=dictionary(), engine="newmm", keep_whitespace=True)
    cuts = {0}
    pos = 0
    for token in tokens:
        pos += len(token)
        cuts.add(pos)
    return cuts


class WordBoundaries:
    """Answers "is text[start:end] a sequence of whole words?" for one message."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._whole: set[int] | None = None
        self._windows = 0
        # Answers already given (a message read part by part asks again).
        self._answers: dict[tuple[int, int, bool, bool], bool] = {}

    def is_words(
        self, start: int, end: int, *, check_start: bool = True, check_end: bool = True
    ) -> bool:
        """True when newmm cuts the text at ``start`` and at ``end`` (each unless told not to)."""
        if not (check_start or check_end):
            return True
        key = (start, end, check_start, check_end)
        known = self._answers.get(key)
        if known is None:
            known = self._answers[key] = self._is_words(start, end, check_start, check_end)
        return known

    def _is_words(self, start: int, end: int, check_start: bool, check_end: bool) -> bool:
        text = self._text
        if len(text) <= WHOLE_TEXT:
            if self._whole is None:
                self._whole = _boundaries(text)
            cuts, offset = self._whole, 0
        else:
            self._windows += 1
            if self._windows > MAX_WINDOWS:
                return False
            offset = max(0, start - MARGIN)
            cuts = _boundaries(text[offset : min(len(text), end + MARGIN)])
        return (not check_end or (end - offset) in cuts) and (
            not check_start or (start - offset) in cuts
        )
