"""``analyze()``: the one entry point both edges (server and CLI) call.

Pure: text, settings and an optional build context in; the parsed document and
its findings out. No I/O, no protocol types.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from dockerls.config import Settings
from dockerls.syntax import Dockerfile, Severity, Span, parse


@dataclass(frozen=True, slots=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    safe: bool = True  # False: changes behaviour; offered, never preferred, never in fix-all


@dataclass(frozen=True, slots=True)
class Related:
    span: Span
    message: str


class Tag(enum.Enum):
    UNNECESSARY = "unnecessary"
    DEPRECATED = "deprecated"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable, e.g. "DKL001"
    name: str  # kebab-case pattern name, e.g. "unterminated-heredoc"
    severity: Severity
    message: str
    span: Span
    related: tuple[Related, ...] = ()
    tags: frozenset[Tag] = frozenset()
    fixes: tuple[Fix, ...] = ()

    @property
    def fixable(self) -> bool:
        return any(f.safe for f in self.fixes)


@dataclass(frozen=True, slots=True)
class Analysis:
    document: Dockerfile
    findings: tuple[Finding, ...] = field(default_factory=tuple)


def _enabled(code: str, name: str, settings: Settings) -> bool:
    keys = {code, name}
    if any(k in keys for k in settings.ignore):
        return False
    if settings.select:
        return any(k in keys or code.startswith(k) for k in settings.select)
    return True


def _severity(code: str, name: str, default: Severity, settings: Settings) -> Severity | None:
    for key in (code, name):
        if key in settings.severity:
            return settings.severity[key]
    return default


def apply_settings(findings: list[Finding], settings: Settings) -> list[Finding]:
    """Selection and severity overrides, applied centrally (never inside rules)."""
    result: list[Finding] = []
    for f in findings:
        if not _enabled(f.code, f.name, settings):
            continue
        sev = _severity(f.code, f.name, f.severity, settings)
        if sev is None:
            continue
        result.append(f if sev == f.severity else _with_severity(f, sev))
    return result


def _with_severity(f: Finding, sev: Severity) -> Finding:
    return Finding(f.code, f.name, sev, f.message, f.span, f.related, f.tags, f.fixes)


def analyze(text: str, settings: Settings | None = None) -> Analysis:
    settings = settings or Settings()
    doc = parse(text)
    findings = [Finding(p.code, p.name, p.severity, p.message, p.span) for p in doc.problems]
    findings = apply_settings(findings, settings)
    findings.sort(key=lambda f: (f.span.start, f.code))
    return Analysis(doc, tuple(findings))
