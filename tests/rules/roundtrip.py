"""A rule's fix checked both ways: the rule flags the marked text, its fix gives the
expected text, which the rule leaves clean (the rule tests of several families).
"""

from __future__ import annotations

from tests.markers import extract
from tests.rulecheck import check, clean, fixed


def roundtrip(code: str, marked: str, expected: str, index: int = 0) -> None:
    """The rule flags the marked ranges; its fix gives ``expected``, which is clean."""
    check(code, marked)
    text, _ = extract(marked)
    assert fixed(code, text, index=index) == expected
    clean(code, expected)
