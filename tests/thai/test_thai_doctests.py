"""The doctest examples in bot.thai's docstrings are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "bot.thai.cleaning",
    "bot.thai.numerals",
    "bot.thai.dates",
    "bot.thai.formatting",
    "bot.thai.extract",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
