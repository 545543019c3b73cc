"""The generated rule documentation is in step with the registry."""

from __future__ import annotations

from pathlib import Path

from scripts.gen_rule_docs import TARGET, render


def test_docs_rules_md_is_up_to_date() -> None:
    assert Path(TARGET).read_text(encoding="utf-8") == render(), (
        "docs/rules.md is out of date: run .venv/bin/python scripts/gen_rule_docs.py"
    )
