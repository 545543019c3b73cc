"""DKL301-DKL304: each rule's documented example is flagged and its alternative is clean."""

from __future__ import annotations

import pytest

from dockerls.rules.registry import lookup
from tests.rulecheck import clean, findings


@pytest.mark.parametrize("code", ["DKL301", "DKL302", "DKL303", "DKL304"])
def test_documented_example_is_flagged_and_the_alternative_is_clean(code: str) -> None:
    docs = lookup(code).docs  # type: ignore[union-attr]
    assert findings(code, docs.example)
    clean(code, docs.instead)
    assert docs.references and all(
        r.startswith("https://docs.docker.com/") for r in docs.references
    )
