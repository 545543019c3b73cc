"""The rule engine: what a rule is and what a check sees (``runner`` runs them).

A rule is a small self-describing value (code, name, category, default severity,
documentation, check). A check is a pure function from a ``RuleContext`` to
``Hit``s: where the pattern is, what it costs, and the edits that fix it. The
engine turns hits into findings; suppression and configuration are applied
afterwards, centrally (``dockerls.suppression``, ``analysis.apply_settings``),
never inside a rule.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar, cast

from dockerls.findings import Fix, Related, Tag
from dockerls.graph import StageGraph
from dockerls.syntax import Dockerfile, Instruction, Severity, Span, Stage
from dockerls.syntax.parser import NOWHERE

if TYPE_CHECKING:
    from dockerls.context import BuildContext
    from dockerls.knowledge.images import ImageInfo
    from dockerls.shell import Script


T = TypeVar("T")
A = TypeVar("A")
_MISSING = object()


class Category(enum.Enum):
    SYNTAX = "syntax"
    BLOAT = "bloat"
    CACHE = "cache"
    CONTEXT = "context"
    SECURITY = "security"
    CORRECTNESS = "correctness"
    STYLE = "style"


class Scope(enum.Enum):
    """What a rule's findings depend on, so that an unchanged part can keep them.

    ``FILE``: anything in the file; the rule runs on every analysis. ``STAGE``: the
    rule's hits in a stage come from that stage alone: its check iterates ``ctx.stages``
    (never ``document.stages``) and keeps no state from one stage to the next; each
    stage's hits depend only on what ``stage_keys`` covers (the stage's instructions and
    lines, its FROM chain, the stages it copies from, whether it ships, the global ARGs,
    the escape character, the directives, the line breaks and the build context).
    """

    FILE = "file"
    STAGE = "stage"


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
    scope: Scope = Scope.FILE


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
    scope: Scope = Scope.FILE,
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
            scope,
        )

    return wrap


@dataclass(slots=True)
class RuleContext:
    """What every check sees. Expensive views (shell parses, image facts) are memoised."""

    document: Dockerfile
    graph: StageGraph
    build_context: BuildContext
    # Shell parses of an earlier analysis of the same document, by (token, POSIX shell):
    # an instruction the parser took over (``syntax.Reuse``) keeps its script.
    carried: Mapping[tuple[Hashable, bool], tuple[Instruction, Script]] = field(
        default_factory=dict
    )
    # ``Reuse.tokens`` of the parse: the same token for an instruction read from the same
    # lines at the same place, whatever its index. Without one an instruction is its id.
    tokens: Mapping[int, Hashable] = field(default_factory=dict)
    # Lines [0, a) and [b, end) are those of the previous version at the same places.
    unchanged: tuple[int, int] = (0, NOWHERE)  # by default: nothing
    _scripts: dict[int, Script] = field(default_factory=dict)
    _parsed: dict[tuple[Hashable, bool], tuple[Instruction, Script]] = field(default_factory=dict)
    _images: dict[int, ImageInfo | None] = field(default_factory=dict)
    _stage_of: dict[int, Stage] = field(default_factory=dict)  # ONBUILD triggers'
    _shells: dict[int, tuple[dict[int, tuple[str, ...] | None], tuple[str, ...] | None]] = field(
        default_factory=dict
    )
    _memo: dict[Callable[[RuleContext], object], object] = field(default_factory=dict)
    _each: dict[Callable[[RuleContext, object], object], dict[Hashable, object]] = field(
        default_factory=dict
    )
    # Set by the engine while a STAGE-scoped rule checks one stage alone.
    only: tuple[Stage, ...] | None = None
    # Set by the engine when it keeps results across versions: each stage's key (a token
    # per ``stage_keys`` value), and the per-stage views (``kept_each``) of the previous
    # version and of this one.
    _loose: Sequence[Hashable] = ()
    _kept_before: Mapping[Callable[[RuleContext, Stage], object], Mapping[Hashable, object]] = (
        field(default_factory=dict)
    )
    _kept_now: dict[Callable[[RuleContext, Stage], object], dict[Hashable, object]] = field(
        default_factory=dict
    )
    _kept_lists: dict[Callable[[RuleContext, Stage], object], list[object]] = field(
        default_factory=dict
    )

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages a check looks at: every stage, or the one stage the engine checks
        again alone. STAGE-scoped rules iterate these; shared views (``memo``) always see
        the whole file."""
        return self.document.stages if self.only is None else self.only

    def checked(self) -> Iterator[Instruction]:
        """The top-level instructions of ``stages``, in order; those before the first
        FROM (global ARGs) go with the first stage."""
        doc = self.document
        if self.only is None or not doc.stages:
            yield from doc.instructions
            return
        for stage in self.only:
            if stage.index == 0:
                yield from doc.instructions[: stage.from_.index]
            yield stage.from_
            yield from stage.instructions

    def memo(self, compute: Callable[[RuleContext], T]) -> T:
        """``compute(self)``, worked out once: a view of the whole file that several rules
        share (whatever stages the rule that asks first is looking at)."""
        if compute not in self._memo:
            only, self.only = self.only, None
            try:
                self._memo[compute] = compute(self)
            finally:
                self.only = only
        return cast("T", self._memo[compute])

    def memo_each(self, compute: Callable[[RuleContext, A], T], arg: A, key: Hashable) -> T:
        """``compute(self, arg)``, worked out once per ``key`` (and only when asked for):
        a view of one instruction or stage that several rules share."""
        table = self._each.setdefault(cast("Callable[[RuleContext, object], object]", compute), {})
        if key not in table:
            only, self.only = self.only, None
            try:
                table[key] = compute(self, arg)
            finally:
                self.only = only
        return cast("T", table[key])

    def kept_each(self, compute: Callable[[RuleContext, Stage], T]) -> list[T]:
        """``compute(self, stage)`` for every stage, in order; for a stage whose key is
        unchanged, taken over from the analysis of the previous version of the document.
        A FILE-scoped rule uses it for the part of its work that is per stage. ``compute``
        may depend only on what a STAGE-scoped rule may depend on (see ``Scope``), and
        its result must be plain values (hits, spans, text; no model objects): it is
        taken over when the stage is the same text at the same place, whatever its
        index (``stage_keys``)."""
        stages = self.document.stages
        if not self._loose:  # nothing is kept across versions
            return [self.memo_each(compute, stage, stage.index) for stage in stages]
        key = cast("Callable[[RuleContext, Stage], object]", compute)
        found = self._kept_lists.get(key)
        if found is None:  # not asked yet in this analysis
            before = self._kept_before.get(key, {})
            found = [before.get(loose, _MISSING) for loose in self._loose]
            for stage, value in zip(stages, found, strict=True):
                if value is _MISSING:
                    only, self.only = self.only, None
                    try:
                        found[stage.index] = compute(self, stage)
                    finally:
                        self.only = only
            self._kept_lists[key] = found
            self._kept_now[key] = dict(zip(self._loose, found, strict=True))
        return cast("list[T]", found)

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
            token = self.tokens.get(key)
            both = (key if token is None else token, is_posix_shell(shell))
            kept = self.carried.get(both)
            # A script depends on the instruction's text and place, not on its index.
            if kept is not None and (token is not None or kept[0] is instruction):
                found = kept[1]
            else:
                found = script_of(instruction, shell)
            self._scripts[key] = found
            self._parsed[both] = (instruction, found)
        return found

    def parsed_scripts(self) -> dict[tuple[Hashable, bool], tuple[Instruction, Script]]:
        """The shell parses made or carried so far, for ``carried`` next time."""
        return self._parsed

    def stage(self, instruction: Instruction) -> Stage | None:
        """The stage an instruction (or an ONBUILD trigger) belongs to."""
        found = self.document.stage_of(instruction)
        if found is not None:
            return found
        # Not a top-level instruction: an ONBUILD trigger (rare), or none of this file's.
        if not self._stage_of:
            for stage in self.document.stages:
                for ins in stage.instructions:
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
        """Every instruction called ``name`` (ONBUILD triggers included) of ``stages``,
        with its stage."""
        for stage in self.stages:
            for ins in self.effective(stage):
                if ins.name == name:
                    yield stage, ins


DEVCONTAINER_NOTE = (
    "Not reported for a development container's Dockerfile (one under a `.devcontainer/` "
    "directory, or next to a devcontainer.json): it builds a workstation with its tools, "
    "not an image that ships, so its size is not a defect."
)


def quiet_in_devcontainer(r: Rule) -> bool:
    """Whether a rule stays quiet for a development container's Dockerfile: the size rules."""
    return r.category is Category.BLOAT
