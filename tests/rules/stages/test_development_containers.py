"""The size rules in a development container: quiet, and `explain` says why."""

from __future__ import annotations

from dockerls.analysis import analyze
from dockerls.context import BuildContext
from dockerls.rules.engine import Category
from dockerls.rules.registry import all_rules
from dockerls.sarif import rule_help
from tests.rules.stages.rule_codes import SINGLE

DEVCONTAINER = BuildContext(known=False, devcontainer=True)


def test_size_rules_stay_quiet_for_a_development_container() -> None:
    text = (
        "FROM mcr.microsoft.com/devcontainers/python:3.12\n"
        "RUN apt-get update && apt-get install -y gcc libpq-dev\nCOPY . .\n"
        "RUN pip install -r requirements.txt && make\n"
    )
    everything = analyze(text).findings
    assert {"DKL101", "DKL102", "DKL104", "DKL203"} <= {f.code for f in everything}
    quiet = analyze(text, context=DEVCONTAINER).findings
    size = {r.code for r in all_rules() if r.category is Category.BLOAT}
    assert not [f for f in quiet if f.code in size]
    # Rules about the build itself still apply.
    assert "DKL301" in {f.code for f in quiet}


def test_explain_says_why_size_rules_are_quiet_in_a_development_container() -> None:
    rules = {r.code: r for r in all_rules()}
    assert "**Development containers.** Not reported" in rule_help(rules[SINGLE])
    assert ".devcontainer/" in rule_help(rules["DKL104"])
    assert "Development containers" not in rule_help(rules["DKL301"])
