"""DKL524 duplicate-stage-name: flagged and clean cases."""

from __future__ import annotations

from tests.rulecheck import check, clean


def test_duplicate_stage_name() -> None:
    (f,) = check("DKL524", "FROM a AS build\nFROM b AS ⟨Build⟩\n")
    assert f.related and "line 1" in f.message
    clean("DKL524", "FROM a AS build\nFROM b AS test\n")
