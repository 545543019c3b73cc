"""The rule engine: what a rule is, what a check sees, and how findings are made.

A rule is a small self-describing value (code, name, category, default severity,
documentation, check). A check is a pure function from a ``RuleContext`` to
``Hit``s: where the pattern is, what it costs, and the edits that fix it. The
engine turns hits into findings; suppression and configuration are applied
afterwards, centrally (``dockerls.suppression``, ``analysis.apply_settings``),
never inside a rule.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar, cast

from dockerls.findings import Finding, Fix, Related, Tag
from dockerls.graph import StageGraph
from dockerls.syntax import Dockerfile, Instruction, Severity, Span, Stage

if TYPE_CHECKING:
    from dockerls.context import BuildContext
    from dockerls.knowledge.images import ImageInfo
    from dockerls.shell import Script


T = TypeVar("T")


class Category(enum.Enum):
    SYNTAX = "syntax"
    BLOAT = "bloat"
    CACHE = "cache"
    CONTEXT = "context"
    SECURITY = "security"
    CORRECTNESS = "correctness"
    STYLE = "style"


@dataclass(frozen=True, slots=True)
class RuleDocs:
    """One template for every rule: it feeds hover, ``dockerls explain`` and the docs."""

    what: str  # what it flags
    why: str  # why it matters, with sizes where known
    example: str  # a Dockerfile fragment that is flagged
    instead: str  # what to write instead
    fix_safety: str  # what the quick fix does and whether it can change behaviour
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a pattern, as a check reports it."""

    span: Span
    message: str
    fixes: tuple[Fix, ...] = ()
    related: tuple[Related, ...] = ()
    tags: frozenset[Tag] = frozenset()


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str  # kebab-case name of the pattern (not of the remedy)
    category: Category
    severity: Severity
    summary: str  # one line
    docs: RuleDocs
    check: Callable[[RuleContext], Iterable[Hit]] = field(repr=False)
    enabled_by_default: bool = True
    hadolint: tuple[str, ...] = ()  # equivalent hadolint codes, for ``# hadolint ignore=``
    buildkit: tuple[str, ...] = ()  # equivalent BuildKit check names, for ``# check=skip=``


def rule(
    code: str,
    name: str,
    category: Category,
    severity: Severity,
    *,
    summary: str,
    docs: RuleDocs,
    enabled_by_default: bool = True,
    hadolint: tuple[str, ...] = (),
    buildkit: tuple[str, ...] = (),
) -> Callable[[Callable[[RuleContext], Iterable[Hit]]], Rule]:
    """Declare a rule around its check function."""

    def wrap(check: Callable[[RuleContext], Iterable[Hit]]) -> Rule:
        return Rule(
            code,
            name,
            category,
            severity,
            summary,
            docs,
            check,
            enabled_by_default,
            hadolint,
            buildkit,
        )

    return wrap


@dataclass(slots=True)
class RuleContext:
    """What every check sees. Expensive views (shell parses, image facts) are memoised."""

    document: Dockerfile
    graph: StageGraph
    build_context: BuildContext
    # Shell parses of an earlier analysis of the same document, by (id, POSIX shell):
    # an instruction the parser took over unchanged keeps its script.
    carried: Mapping[tuple[int, bool], tuple[Instruction, Script]] = field(default_factory=dict)
    _scripts: dict[int, Script] = field(default_factory=dict)
    _parsed: dict[tuple[int, bool], tuple[Instruction, Script]] = field(default_factory=dict)
    _images: dict[int, ImageInfo | None] = field(default_factory=dict)
    _stage_of: dict[int, Stage] = field(default_factory=dict)
    _shells: dict[int, tuple[dict[int, tuple[str, ...] | None], tuple[str, ...] | None]] = field(
        default_factory=dict
    )
    _memo: dict[Callable[[RuleContext], object], object] = field(default_factory=dict)

    def memo(self, compute: Callable[[RuleContext], T]) -> T:
        """``compute(self)``, worked out once: a view of the file that several rules share."""
        if compute not in self._memo:
            self._memo[compute] = compute(self)
        return cast("T", self._memo[compute])

    def script(self, instruction: Instruction) -> Script:
        """The shell commands an instruction runs (parsed once, shared by all rules).

        The active ``SHELL`` is honoured (inherited through the FROM chain): under
        PowerShell or cmd the shell form is not read as POSIX shell.
        """
        key = id(instruction)
        found = self._scripts.get(key)
        if found is None:
            from dockerls.shell import script_of
            from dockerls.shell.instruction import is_posix_shell

            shell = self.shell(instruction)
            both = (key, is_posix_shell(shell))
            kept = self.carried.get(both)
            if kept is not None and kept[0] is instruction:
                found = kept[1]
            else:
                found = script_of(instruction, shell)
            self._scripts[key] = found
            self._parsed[both] = (instruction, found)
        return found

    def parsed_scripts(self) -> dict[tuple[int, bool], tuple[Instruction, Script]]:
        """The shell parses made or carried so far, for ``carried`` next time."""
        return self._parsed

    def stage(self, instruction: Instruction) -> Stage | None:
        """The stage an instruction (or an ONBUILD trigger) belongs to."""
        if not self._stage_of:
            for stage in self.document.stages:
                self._stage_of[id(stage.from_)] = stage
                for ins in stage.instructions:
                    self._stage_of[id(ins)] = stage
                    if ins.trigger is not None:
                        self._stage_of[id(ins.trigger)] = stage
        return self._stage_of.get(id(instruction))

    def shell(self, instruction: Instruction) -> tuple[str, ...] | None:
        """The argv of the SHELL in effect for ``instruction``; None for /bin/sh -c.

        An ONBUILD trigger runs in a child build, after all of its stage: the stage's
        last SHELL applies to it.
        """
        stage = self.stage(instruction)
        if stage is None:
            return None
        if stage.index not in self._shells:
            self._shell_tables(stage)
        before, last = self._shells[stage.index]
        return before.get(id(instruction), last)

    def _shell_tables(self, stage: Stage) -> None:
        """For ``stage`` and the stages it is built on: the SHELL in effect before each
        instruction (by id) and after the last one. Each stage's instructions are walked
        once, starting from its parent's last SHELL."""
        pending: list[Stage] = []
        cursor: Stage | None = stage
        while cursor is not None and cursor.index not in self._shells:
            pending.append(cursor)
            cursor = self.graph.parent(cursor)
            if cursor is not None and cursor.index >= pending[-1].index:
                cursor = None  # parents come earlier; never loop on a malformed graph
        shell = self._shells[cursor.index][1] if cursor is not None else None
        for link in reversed(pending):
            before: dict[int, tuple[str, ...] | None] = {}
            for ins in link.instructions:
                before.setdefault(id(ins), shell)
                if ins.name == "SHELL" and ins.exec_form is not None:
                    shell = tuple(e.text for e in ins.exec_form.elements)
            self._shells[link.index] = (before, shell)

    def image(self, stage: Stage) -> ImageInfo | None:
        """Facts about the external image at the root of the stage's FROM chain."""
        root = self.graph.root(stage)
        if root.index not in self._images:
            from dockerls.knowledge.images import classify

            ref = root.resolved_image
            self._images[root.index] = classify(ref) if ref else None
        return self._images[root.index]

    def ships(self, stage: Stage | None) -> bool:
        """Whether the stage's layers end up in the final image."""
        return self.graph.ships(stage)

    def effective(self, stage: Stage) -> Iterator[Instruction]:
        """The stage's instructions, with each ONBUILD replaced by its trigger."""
        for ins in stage.instructions:
            if ins.name == "ONBUILD":
                if ins.trigger is not None:
                    yield ins.trigger
            else:
                yield ins

    def instructions(self, name: str) -> Iterator[tuple[Stage, Instruction]]:
        """Every instruction called ``name`` (ONBUILD triggers included), with its stage."""
        for stage in self.document.stages:
            for ins in self.effective(stage):
                if ins.name == name:
                    yield stage, ins


def run_rules(rules: Iterable[Rule], ctx: RuleContext) -> list[Finding]:
    """Run every rule; a rule that fails is reported, never allowed to break analysis."""
    findings: list[Finding] = []
    for r in rules:
        try:
            hits = list(r.check(ctx))
        except Exception as exc:  # a bug in one rule must not hide all the others
            findings.append(
                Finding(
                    "DKL000",
                    "internal-error",
                    Severity.HINT,
                    f"dockerls rule {r.code} ({r.name}) failed on this file: "
                    f"{type(exc).__name__}: {exc}. Please report it.",
                    Span.of(0, 0),
                )
            )
            continue
        for h in hits:
            findings.append(
                Finding(r.code, r.name, r.severity, h.message, h.span, h.related, h.tags, h.fixes)
            )
    return findings
