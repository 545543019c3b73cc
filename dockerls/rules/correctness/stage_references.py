"""Stage references: the ``COPY --from`` and ``RUN --mount=from=`` sources of a build, and
what could name a stage.

Used by DKL503, DKL506, DKL507 and buildkit_checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dockerls.rules.correctness.flag_values import mount_fields
from dockerls.rules.correctness.spans import piece
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Dockerfile, Flag, Instruction, Span, Stage


@dataclass(frozen=True, slots=True)
class StageRef:
    """A ``COPY --from`` or ``RUN --mount=…,from=`` value, with where it is written."""

    instruction: Instruction
    stage: Stage  # the stage the instruction is in
    text: str
    span: Span
    what: str


def _mount_from(flag: Flag) -> tuple[str, Span] | None:
    value = flag.value
    if value is None:
        return None
    fields = mount_fields(value.text)
    for field in fields or ():
        key, eq, source = field.partition("=")
        if eq and key.strip().lower() == "from":
            at = value.text.find(field)
            if at >= 0 and field.startswith(key):
                start = at + len(key) + 1
                return source, piece(None, value, start, start + len(source))
            return source, value.span
    return None


def _stage_refs(ctx: RuleContext) -> tuple[StageRef, ...]:
    return tuple(
        StageRef(stage.instructions[k], stage, text, span, what)
        for stage, refs in zip(ctx.document.stages, ctx.kept_each(_refs_in), strict=True)
        for k, text, span, what in refs
    )


def _refs_in(ctx: RuleContext, stage: Stage) -> list[tuple[int, str, Span, str]]:
    """The stage's references as data: which of its instructions, and the rest."""
    where = {id(ins): k for k, ins in enumerate(stage.instructions)}
    return [(where[id(r.instruction)], r.text, r.span, r.what) for r in stage_refs_of(stage)]


def all_stage_refs(ctx: RuleContext) -> tuple[StageRef, ...]:
    """``stage_refs`` of the document, worked out once per analysis (each stage's kept
    from the version before when it is made of the same objects)."""
    return ctx.memo(_stage_refs)


def stage_refs(doc: Dockerfile) -> Iterator[StageRef]:
    """Every ``--from`` source in the build (ONBUILD triggers belong to another build)."""
    for stage in doc.stages:
        yield from stage_refs_of(stage)


def stage_refs_of(stage: Stage) -> Iterator[StageRef]:
    for ins in stage.instructions:
        if ins.name == "COPY":
            for flag in ins.flags_named("from"):
                if flag.value is not None and flag.value.text:
                    yield StageRef(ins, stage, flag.value.text, flag.value.span, "COPY --from")
        elif ins.name == "RUN":
            for flag in ins.flags_named("mount"):
                found = _mount_from(flag)
                if found is not None and found[0]:
                    yield StageRef(ins, stage, found[0], found[1], "RUN --mount from=")


def earlier_stage(doc: Dockerfile, name: str, before: int) -> Stage | None:
    """A stage called ``name`` (case-insensitively) defined before stage ``before``."""
    stage = doc.stage_called(name)  # the first of that name: any earlier one is it
    return stage if stage is not None and stage.index < before else None


def looks_like_stage_name(text: str) -> bool:
    """A bare word that could name a stage: no registry, path, tag or digest."""
    return bool(text) and not any(c in text for c in "/:@.$") and not text.isdigit()
