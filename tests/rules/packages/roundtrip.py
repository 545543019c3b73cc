"""Checking a package rule's fix: the exact result, on which the rule is then silent."""

from __future__ import annotations

from tests.rulecheck import clean, fixed


def fix_roundtrip(code: str, text: str, expected: str, index: int = 0) -> None:
    """The fix gives exactly ``expected``, and the rule is silent on the result."""
    result = fixed(code, text, index=index)
    assert result == expected
    clean(code, result)
