"""The scope of variables: the ARG and ENV values known before each instruction, with the
global ARGs and the platform ARGs.

Used by DKL503, DKL508, DKL509 and buildkit_checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.word_processing import Env, process_word
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Dockerfile, Instruction, Stage

PLATFORM_ARGS = (
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
)


def global_scope(doc: Dockerfile) -> dict[str, str | None]:
    """The ARGs before the first FROM (with their defaults), plus the platform ARGs.

    A global ARG without a default is declared with an unknown value.
    """
    env: dict[str, str | None] = dict.fromkeys(PLATFORM_ARGS)
    for ins in doc.global_args:
        for pair in ins.pairs:
            value = None
            if pair.raw_value is not None:
                value = process_word(pair.raw_value.text, env, doc.escape).value
            env[pair.key.text] = value
    return env


def _assign(ins: Instruction, env: dict[str, str | None], globals_: Env, escape: str) -> None:
    """Apply an ARG or ENV to ``env`` (ENV expands with the scope before it)."""
    # One pair reads the scope before it is assigned: only several pairs need a copy.
    before = dict(env) if ins.name == "ENV" and len(ins.pairs) > 1 else env
    for pair in ins.pairs:
        key = pair.key.text
        if pair.raw_value is not None:
            env[key] = process_word(pair.raw_value.text, before, escape).value
        elif ins.name == "ARG" and key not in env:
            env[key] = globals_.get(key)


def scopes(ctx: RuleContext, stage: Stage) -> Iterator[tuple[Instruction, Env]]:
    """Each instruction of ``stage`` with the ARG/ENV values known just before it.

    ENV and ARG carry down the FROM chain (BuildKit copies the parent's build
    arguments and environment); an ARG without a default takes the global value.
    The mapping is live: copy it to keep it.
    """
    doc = ctx.document
    globals_ = ctx.memo(_global_scope)
    env = _inherited(ctx, stage)
    for ins in stage.instructions:
        yield ins, env
        if ins.name in ("ARG", "ENV"):
            _assign(ins, env, globals_, doc.escape)


def _global_scope(ctx: RuleContext) -> dict[str, str | None]:
    return global_scope(ctx.document)


def _stage_ends(ctx: RuleContext) -> dict[int, dict[str, str | None]]:
    """Filled by ``_inherited``: the ARG/ENV values after each parent stage."""
    return {}


def _inherited(ctx: RuleContext, stage: Stage) -> dict[str, str | None]:
    """The ARG/ENV values a stage starts with: those after its parent (a fresh dict).

    Each stage of a FROM chain is walked once, however many stages build on it.
    """
    parent = ctx.graph.parent(stage)
    if parent is None:
        return {}
    ends = ctx.memo(_stage_ends)
    pending: list[Stage] = []
    cursor: Stage | None = parent
    while cursor is not None and cursor.index not in ends:
        pending.append(cursor)
        cursor = ctx.graph.parent(cursor)
        if cursor is not None and cursor.index >= pending[-1].index:
            cursor = None  # parents come earlier; never loop on a malformed graph
    env = dict(ends[cursor.index]) if cursor is not None else {}
    globals_ = ctx.memo(_global_scope)
    for link in reversed(pending):
        for ins in link.instructions:
            if ins.name in ("ARG", "ENV"):
                _assign(ins, env, globals_, ctx.document.escape)
        ends[link.index] = dict(env)
    return dict(ends[parent.index])
