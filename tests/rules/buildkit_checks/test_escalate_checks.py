"""``# check=error=true`` and ``# check=skip=`` on BuildKit's checks (escalate_checks)."""

from __future__ import annotations

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.rules.buildkit_checks.check_directive import errors_requested, escalate_checks
from dockerls.rules.registry import equivalents
from dockerls.syntax import Severity
from tests.rulecheck import findings


def test_check_error_true_makes_buildkit_checks_errors() -> None:
    text = "# check=skip=FromAsCasing;error=true\nFROM node:20 as build\nENV A 1\nCMD node x\n"
    result = analyze(text, Settings(select=("all",)))
    assert errors_requested(result.document)
    escalated = {
        f.code: f.severity for f in escalate_checks(result.findings, result.document, equivalents())
    }
    assert "DKL521" not in escalated  # skipped stays skipped
    assert escalated["DKL531"] == Severity.ERROR
    assert escalated["DKL407"] == Severity.ERROR  # JSONArgsRecommended
    assert escalated["DKL401"] == Severity.WARNING  # no BuildKit equivalent


def test_without_error_true_nothing_changes() -> None:
    result = analyze("# check=error=false\nFROM a\nENV A 1\n")
    assert not errors_requested(result.document)
    assert list(escalate_checks(result.findings, result.document, equivalents())) == list(
        result.findings
    )


def test_check_skip_silences_buildkit_names() -> None:
    assert not findings("DKL531", "# check=skip=LegacyKeyValueFormat\nFROM a\nENV A 1\n")
