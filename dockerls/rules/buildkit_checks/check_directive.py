"""The ``# check=`` directive: its options, and the escalation ``# check=error=true`` asks for.

``# check=error=true`` turns every BuildKit check into a build error. Rules do not
configure themselves, so that is applied centrally: ``escalate_checks`` below is the
pure function ``analysis.analyze`` calls after suppression. It covers every rule with
a ``buildkit=`` name (this family's, DKL403 and DKL407 of the security family).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from dockerls.findings import Finding
from dockerls.suppression import Equivalents
from dockerls.syntax import Dockerfile, Severity

_TRUE = frozenset({"1", "t", "true"})


def check_options(doc: Dockerfile) -> dict[str, str]:
    """The ``# check=`` directive as ``{key: value}`` (keys lower-cased)."""
    directive = doc.directive("check")
    if directive is None:
        return {}
    options: dict[str, str] = {}
    for part in directive.value.text.split(";"):
        key, eq, value = part.partition("=")
        if eq and key.strip():
            options[key.strip().lower()] = value.strip()
    return options


def errors_requested(doc: Dockerfile) -> bool:
    """Whether ``# check=error=true`` makes BuildKit's checks fail the build."""
    return check_options(doc).get("error", "").lower() in _TRUE


def escalate_checks(
    findings: Iterable[Finding], doc: Dockerfile, equivalents: Mapping[str, Equivalents]
) -> list[Finding]:
    """Under ``# check=error=true``, every finding of a BuildKit check becomes an error.

    Call it after suppression (a skipped check stays silent) and before the user's
    severity overrides (an explicit setting still wins).
    """
    if not errors_requested(doc):
        return list(findings)
    result: list[Finding] = []
    for finding in findings:
        eq = equivalents.get(finding.code)
        if eq is not None and eq.buildkit and finding.severity != Severity.ERROR:
            result.append(replace(finding, severity=Severity.ERROR))
        else:
            result.append(finding)
    return result
