"""Running rules over a document: findings from hits, and what is kept between versions.

``run_rules`` checks every rule against a ``RuleContext``; a failing check becomes an
internal-error hint rather than an exception. ``RuleMemory`` keeps the findings of
STAGE-scoped rules by stage key (``stage_keys``), so that an edit re-checks only the
stages it touched.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from dockerls.findings import Finding
from dockerls.graph import CopyEdge
from dockerls.rules.engine import Rule, RuleContext, Scope, quiet_in_devcontainer
from dockerls.syntax import Dockerfile, Severity, Span, Stage


def _failure(r: Rule, exc: Exception) -> Finding:
    return Finding(
        "DKL000",
        "internal-error",
        Severity.HINT,
        f"dockerls rule {r.code} ({r.name}) failed on this file: "
        f"{type(exc).__name__}: {exc}. Please report it.",
        Span.of(0, 0),
    )


def _findings(r: Rule, ctx: RuleContext) -> tuple[Finding, ...]:
    return tuple(
        Finding(r.code, r.name, r.severity, h.message, h.span, h.related, h.tags, h.fixes)
        for h in r.check(ctx)
    )


class RuleMemory:
    """The findings of STAGE-scoped rules by stage key, from the latest run over one
    document (``Analyzer`` keeps one). Keys hold ``id``s of model objects: the memory
    keeps the document they belong to alive, so no id is reused while it is kept."""

    __slots__ = ("document", "found", "kept", "made", "shared", "stages")

    def __init__(self) -> None:
        self.document: Dockerfile | None = None
        self.shared: Hashable = None
        # A token per stage key (by token): the keys are hashed once per analysis, and
        # the findings and views are filed under the token.
        self.stages: dict[Hashable, object] = {}
        self.found: dict[Hashable, _Checked] = {}  # STAGE-scoped findings by stage key
        self.made: Mapping[int, _Made] = {}  # how each stage's key was made (``stage_keys``)
        # ``RuleContext.kept_each`` views: by function, by stage key token.
        self.kept: Mapping[Callable[[RuleContext, Stage], object], Mapping[Hashable, object]] = {}


def _ids(stage: Stage) -> tuple[Hashable, ...]:
    return (id(stage.from_), *map(id, stage.instructions))


def _tokens(ctx: RuleContext) -> Callable[[Stage], tuple[Hashable, ...]]:
    tokens = ctx.tokens

    def content(stage: Stage) -> tuple[Hashable, ...]:
        ids = (id(stage.from_), *map(id, stage.instructions))
        return tuple([tokens.get(i, i) for i in ids])

    return content


def shared_key(ctx: RuleContext) -> Hashable:
    """What every stage's findings may depend on: when it changes nothing is kept."""
    doc, final = ctx.document, ctx.graph.final
    text = doc.text
    breaks = ("\r\n" in text, "\r" in text, "\n" in text)
    return (
        doc.escape,
        breaks,
        doc.bom,
        doc.directives,
        tuple(map(id, doc.global_args)),
        None if final is None else final.name_lower,
        ctx.build_context,
    )


class StageKey:
    """A stage's key (``stage_keys``) with its hash worked out once: keys are looked up
    in several tables per analysis, and a stage unchanged since the previous version
    keeps its key object."""

    __slots__ = ("_hash", "parts")

    def __init__(self, parts: tuple[Hashable, ...]) -> None:
        self.parts = parts
        self._hash = hash(parts)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, StageKey) and self._hash == other._hash and self.parts == other.parts
        )


# What a stage's key was made from last time: the stage, what surrounds it and the key.
_Made = tuple[Stage, tuple[Hashable, ...], StageKey]


def stage_keys(
    ctx: RuleContext,
    content: Callable[[Stage], tuple[Hashable, ...]],
    before: Mapping[int, _Made] | None = None,
    made: dict[int, _Made] | None = None,
) -> list[StageKey]:
    """For each stage, what a STAGE-scoped rule's hits in it may depend on besides
    ``shared_key``: its instructions, the lines from the end of the stage before it to
    the next FROM (comments and blank lines included) and whether they run to the end of
    the text, whether it ships, its FROM chain and the stages its ``--from`` flags read.
    ``content`` stands for a stage's instructions: their ids (these very objects), or
    their ``tokens`` (the same text at the same place, whatever their index). Of the
    stage's index only whether it is the first stage (the one the global ARGs go with)
    counts: findings do not depend on indices, so a heredoc that swallows or frees a
    FROM above leaves the stages below with their findings.

    ``before`` (what ``made`` was filled with for the previous version) saves the work:
    the very stage object of last time, on lines unchanged at the same places, with the
    same surroundings, keeps its key."""
    doc, graph = ctx.document, ctx.graph
    stages = doc.stages
    lines = doc.lines
    sources: list[list[CopyEdge]] = [[] for _ in stages]
    for edge in graph.edges:
        owner = doc.stage_of(edge.instruction)
        if owner is not None:
            sources[owner.index].append(edge)
    same_before, same_after = ctx.unchanged
    contents: dict[int, tuple[Hashable, ...]] = {}

    def content_of(stage: Stage) -> tuple[Hashable, ...]:
        found = contents.get(stage.index)
        if found is None:
            found = contents[stage.index] = content(stage)
        return found

    keys: list[StageKey] = []
    start = 0
    for i, stage in enumerate(stages):
        end = stages[i + 1].from_.start_line if i + 1 < len(stages) else len(lines)
        chain = graph.chain(stage)
        # What the key depends on besides the stage itself, by identity (cheap to compare):
        # its lines, whether it ships, the stages it is built on and those it reads.
        around = (
            start,
            end,
            len(lines),
            graph.ships(stage),
            *map(id, chain),
            *[edge.image if edge.source is None else id(edge.source) for edge in sources[i]],
        )
        last = before.get(i) if before is not None else None
        if (
            last is not None
            and last[0] is stage
            and (end <= same_before or start >= same_after)
            and last[1] == around
        ):
            key = last[2]
        else:
            key = StageKey(
                (
                    i == 0,
                    content_of(stage),
                    tuple(lines[start:end]),
                    end == len(lines),
                    graph.ships(stage),
                    tuple(content_of(link) for link in chain[:-1]),
                    tuple(
                        edge.image
                        if edge.source is None
                        else (edge.source.index, content_of(edge.source))
                        for edge in sources[i]
                    ),
                )
            )
        if made is not None:
            made[i] = (stage, around, key)
        keys.append(key)
        start = stage.span.end.line + 1
    return keys


def run_rules(
    rules: Iterable[Rule], ctx: RuleContext, memory: RuleMemory | None = None
) -> list[Finding]:
    """Run every rule; a rule that fails is reported, never allowed to break analysis.

    With ``memory`` (from the run over the previous version of the same document), a
    STAGE-scoped rule checks each stage alone and keeps its findings in the stages
    whose key is unchanged. The findings are those of a run without it, in another
    order: each rule's in the same order (the caller sorts them, stably). The size
    rules are not run for a development container (``DEVCONTAINER_NOTE``).
    """
    rules = list(rules)
    if ctx.build_context.devcontainer:
        rules = [r for r in rules if not quiet_in_devcontainer(r)]
    staged: list[Finding] = []
    failed: dict[str, Exception] = {}
    remember = memory is not None and bool(ctx.document.stages)
    if memory is not None and remember:
        shared = shared_key(ctx)
        if memory.shared != shared:
            memory.found, memory.kept, memory.stages, memory.made = {}, {}, {}, {}
        ctx._kept_before = memory.kept
        made: dict[int, _Made] = {}
        keys = stage_keys(ctx, _tokens(ctx) if ctx.tokens else _ids, memory.made, made)
        memory.made = made
        known = memory.stages
        memory.stages = {key: known.get(key) or object() for key in keys}
        ctx._loose = [memory.stages[key] for key in keys]
        in_stages = [r for r in rules if r.scope is Scope.STAGE]
        staged, failed = _run_staged(in_stages, ctx, memory, ctx._loose)
    findings: list[Finding] = staged
    for r in rules:
        if remember and r.scope is Scope.STAGE:
            if r.code in failed:
                findings.append(_failure(r, failed[r.code]))
            continue
        try:
            findings.extend(_findings(r, ctx))
        except Exception as exc:  # a bug in one rule must not hide all the others
            findings.append(_failure(r, exc))
    if memory is not None and remember:
        memory.document, memory.shared, memory.kept = ctx.document, shared, ctx._kept_now
    return findings


@dataclass(frozen=True, slots=True)
class _Checked:
    """The findings of the STAGE-scoped rules in one stage: by rule, and all of them."""

    codes: tuple[str, ...]  # the rules that were run, in order
    by_rule: Mapping[str, tuple[Finding, ...]]
    findings: tuple[Finding, ...]


def _run_staged(
    rules: Sequence[Rule], ctx: RuleContext, memory: RuleMemory, keys: Sequence[Hashable]
) -> tuple[list[Finding], dict[str, Exception]]:
    """The findings of ``rules`` stage by stage (those of a failed rule left out), and
    the rules that failed."""
    previous = memory.found
    codes = tuple(r.code for r in rules)
    kept: dict[Hashable, _Checked] = {}
    out: list[Finding] = []
    failed: dict[str, Exception] = {}
    for stage, key in zip(ctx.document.stages, keys, strict=True):
        before = previous.get(key)
        if before is not None and before.codes == codes:
            kept[key] = before
            out.extend(before.findings)
            continue
        by_rule: dict[str, tuple[Finding, ...]] = {}
        for r in rules:
            if r.code in failed:
                continue
            hits = before.by_rule.get(r.code) if before is not None else None
            if hits is None:
                ctx.only = (stage,)
                try:
                    hits = _findings(r, ctx)
                except Exception as exc:  # as in a whole run: the rule gives only DKL000
                    failed[r.code] = exc
                    continue
                finally:
                    ctx.only = None
            by_rule[r.code] = hits
        checked = _Checked(
            tuple(c for c in codes if c in by_rule),
            by_rule,
            tuple(f for hits in by_rule.values() for f in hits),
        )
        kept[key] = checked
        out.extend(checked.findings)
    memory.found = kept
    if failed:
        out = [f for f in out if f.code not in failed]
    return out, failed
