"""The closest names to a misspelled one (spelling)."""

from __future__ import annotations

from dockerls.rules.correctness.spelling import suggest


def test_suggest_prefers_the_closest() -> None:
    assert suggest("buidler", ("builder", "build", "base")) == ["builder"]
    assert suggest("xyz", ("builder",)) == []
