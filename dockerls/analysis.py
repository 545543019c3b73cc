"""``analyze()``: the one entry point both edges (server and CLI) call.

Pure: text, settings and an optional build context in; the parsed document and
its findings out. No I/O, no protocol types.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from dockerls.config import Settings
from dockerls.context import CONTEXT_EMPTY, BuildContext
from dockerls.findings import Finding, Fix, Related, Tag, TextEdit
from dockerls.graph import StageGraph, build_graph
from dockerls.rules.buildkit_checks.check_directive import escalate_checks
from dockerls.rules.engine import Category, Rule, RuleContext
from dockerls.rules.registry import all_rules, equivalents
from dockerls.rules.runner import RuleMemory, run_rules
from dockerls.suppression import suppress
from dockerls.syntax import Dockerfile, Instruction, Reuse, Severity, parse

if TYPE_CHECKING:
    from dockerls.shell import Script

__all__ = [
    "Analysis",
    "Analyzer",
    "Finding",
    "Fix",
    "Related",
    "Tag",
    "TextEdit",
    "analyze",
]


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
    return Analyzer(remember=False).analyze(text, settings, context)


class Analyzer:
    """Analyses the successive versions of one document, reusing what did not change.

    ``Analyzer().analyze(text, settings, context)`` equals ``analyze(text, settings,
    context)`` for every call, whatever came before: the parser takes over the
    instructions whose lines are unchanged (``syntax.Reuse``) and their shell parses
    are carried over, and so are the findings of STAGE-scoped rules in the stages whose
    inputs are unchanged (``rules.runner.RuleMemory``). Calls are serialised; keep one
    analyzer per open document. ``remember=False`` runs each rule once over the whole
    file instead (a one-off analysis).
    """

    def __init__(self, remember: bool = True) -> None:
        self._memory = RuleMemory() if remember else None
        self._lock = threading.Lock()
        self._reuse = Reuse()
        self._scripts: Mapping[tuple[Hashable, bool], tuple[Instruction, Script]] = {}
        self._last: tuple[str, Settings, BuildContext | None, Analysis] | None = None
        self._chosen: tuple[Settings, list[Rule]] | None = None

    def _rules(self, settings: Settings) -> list[Rule]:
        """The rules the settings select (worked out again only when they change)."""
        chosen = self._chosen
        if chosen is None or chosen[0] != settings:
            chosen = self._chosen = (settings, [r for r in all_rules() if selected(r, settings)])
        return chosen[1]

    @property
    def reused(self) -> int:
        """How many instructions the latest parse took over unchanged."""
        return self._reuse.hits

    def analyze(
        self, text: str, settings: Settings | None = None, context: BuildContext | None = None
    ) -> Analysis:
        settings = settings or Settings()
        with self._lock, _collector_paused() as pause:
            last = self._last
            if last is not None and last[0] == text and last[1] == settings and last[2] == context:
                return last[3]
            ctx = self._context(text, settings, context, pause)
            findings = run_rules(self._rules(settings), ctx, self._memory)
            result = Analysis(ctx.document, _settled(findings, ctx.document, settings), ctx.graph)
            self._scripts = ctx.parsed_scripts()
            self._last = (text, settings, context, result)
            return result

    def syntax_first(
        self, text: str, settings: Settings | None = None, context: BuildContext | None = None
    ) -> Analysis | None:
        """The parser's problems alone (the syntax rules, DKL0xx, with suppression and
        severities applied), for a big document's first diagnostics: parsing is a fifth
        of a first analysis, the rules the rest. The parse is kept, so the ``analyze``
        that follows reads nothing again. None once this analyzer has analysed anything
        (then a full analysis is quick, or already known)."""
        settings = settings or Settings()
        with self._lock, _collector_paused() as pause:
            if self._last is not None or self._reuse.lines:
                return None
            ctx = self._context(text, settings, context, pause)
            rules = [r for r in self._rules(settings) if r.category is Category.SYNTAX]
            findings = run_rules(rules, ctx)
            return Analysis(ctx.document, _settled(findings, ctx.document, settings), ctx.graph)

    def _context(
        self, text: str, settings: Settings, context: BuildContext | None, pause: _Pause
    ) -> RuleContext:
        """Parse ``text`` (taking over what the previous parse read) into what checks see."""
        doc = parse(text, self._reuse)
        pause.freeze = len(doc.instructions) - self._reuse.hits >= _FREEZE_AFTER
        return RuleContext(
            doc,
            build_graph(doc, settings.target),
            context or CONTEXT_EMPTY,
            carried=self._scripts,
            tokens=self._reuse.tokens,
            unchanged=self._reuse.unchanged,
        )


def _settled(findings: list[Finding], doc: Dockerfile, settings: Settings) -> tuple[Finding, ...]:
    """The findings as published: suppressed, escalated, with the configured severities,
    in document order."""
    findings = suppress(findings, doc, equivalents())
    findings = escalate_checks(findings, doc, equivalents())  # '# check=error=true'
    findings = apply_severities(findings, settings)
    findings.sort(key=lambda f: (f.span.start, f.code))
    return tuple(findings)


class _Pause:
    """Set ``freeze`` to have the objects made while paused frozen at the end."""

    __slots__ = ("freeze",)

    def __init__(self) -> None:
        self.freeze = False


@contextmanager
def _collector_paused() -> Iterator[_Pause]:
    """Pause the cyclic garbage collector while analysing.

    The model is made of many small acyclic objects that reference counting frees;
    a full collection in the middle of an analysis walks every one of them, which
    costs a quarter of the time on a big file and grows with it. When the analysis
    read a big file afresh (``freeze``), its objects are frozen: the collector never
    walks them again (they are still freed when no longer used; analysis makes no
    reference cycles, which frozen objects would keep), so the next keystrokes do not
    pay for them.
    """
    pause = _Pause()
    if not gc.isenabled():
        yield pause
        return
    gc.disable()
    try:
        yield pause
    finally:
        if pause.freeze:
            gc.freeze()
        gc.enable()


_FREEZE_AFTER = 1_000  # instructions read afresh: a file of about 2,000 lines
