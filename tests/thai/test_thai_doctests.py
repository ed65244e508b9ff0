"""The doctest examples in thai's docstrings are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "thai.cleaning",
    "thai.numerals",
    "thai.dates",
    "thai.clock",
    "thai.office_days",
    "thai.patterns",
    "thai.formatting",
    "thai.extract",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
