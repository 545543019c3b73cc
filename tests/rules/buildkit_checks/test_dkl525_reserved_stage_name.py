"""DKL525 reserved-stage-name: flagged and clean cases."""

from __future__ import annotations

from tests.rulecheck import check, clean


def test_reserved_stage_names() -> None:
    check("DKL525", "FROM a AS ⟨scratch⟩\nFROM b AS ⟨Context⟩\n")
    clean("DKL525", "FROM a AS app-context\nFROM scratch\n")
