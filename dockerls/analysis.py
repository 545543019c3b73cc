"""``analyze()``: the one entry point both edges (server and CLI) call.

Pure: text, settings and an optional build context in; the parsed document and
its findings out. No I/O, no protocol types.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dockerls.config import Settings
from dockerls.context import CONTEXT_EMPTY, BuildContext
from dockerls.findings import Finding, Fix, Related, Tag, TextEdit
from dockerls.graph import StageGraph, build_graph
from dockerls.rules.buildkit_checks import escalate_checks
from dockerls.rules.engine import Rule, RuleContext, run_rules
from dockerls.rules.registry import all_rules, equivalents
from dockerls.suppression import suppress
from dockerls.syntax import Dockerfile, Severity, parse

__all__ = ["Analysis", "Finding", "Fix", "Related", "Tag", "TextEdit", "analyze"]


@dataclass(frozen=True, slots=True)
class Analysis:
    document: Dockerfile
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    graph: StageGraph | None = None


def selected(rule: Rule, settings: Settings) -> bool:
    """Whether settings turn a rule on: codes, names, code prefixes or categories."""
    keys = {rule.code.lower(), rule.name.lower(), rule.category.value}

    def matches(entry: str) -> bool:
        entry = entry.lower()
        return entry in keys or entry == "all" or rule.code.lower().startswith(entry)

    if any(matches(k) for k in settings.ignore):
        return False
    if settings.select:
        return any(matches(k) for k in settings.select)
    return rule.enabled_by_default


def apply_severities(findings: list[Finding], settings: Settings) -> list[Finding]:
    """Severity overrides (``off`` drops a finding), applied centrally."""
    if not settings.severity:
        return findings
    result: list[Finding] = []
    for f in findings:
        sev: Severity | None = f.severity
        for key in (f.code, f.name):
            if key in settings.severity:
                sev = settings.severity[key]
        if sev is not None:
            result.append(f if sev == f.severity else replace(f, severity=sev))
    return result


def analyze(
    text: str, settings: Settings | None = None, context: BuildContext | None = None
) -> Analysis:
    """Parse and check a Dockerfile. Never raises on any text."""
    settings = settings or Settings()
    doc = parse(text)
    ctx = RuleContext(doc, build_graph(doc, settings.target), context or CONTEXT_EMPTY)
    rules = [r for r in all_rules() if selected(r, settings)]
    findings = run_rules(rules, ctx)
    findings = suppress(findings, doc, equivalents())
    findings = escalate_checks(findings, doc, equivalents())  # '# check=error=true'
    findings = apply_severities(findings, settings)
    findings.sort(key=lambda f: (f.span.start, f.code))
    return Analysis(doc, tuple(findings), ctx.graph)
