"""The stage graph: which stages reach the image that ships.

"Final image" means the target stage (the last one unless configured) plus every
stage it is built ``FROM``, directly or indirectly. Stages used only as
``COPY --from`` sources build artifacts but do not ship their layers, so size
rules look only at the final chain; cache-order rules look everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockerls.syntax import Dockerfile, Flag, Instruction, Stage, Token

_STAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # no tag, digest or registry


@dataclass(frozen=True, slots=True)
class CopyEdge:
    instruction: Instruction  # the COPY/ADD/RUN --mount that reads another stage or image
    flag: Flag
    source: Stage | None  # None when it names an external image
    image: str | None  # the external image reference, when it is one


@dataclass(frozen=True, slots=True)
class StageGraph:
    document: Dockerfile
    final: Stage | None
    parents: tuple[Stage | None, ...]  # per stage index: the stage it is built FROM
    shipping: frozenset[int]  # indices of stages whose layers are in the final image
    edges: tuple[CopyEdge, ...]

    def parent(self, stage: Stage) -> Stage | None:
        return self.parents[stage.index]

    def ships(self, stage: Stage | None) -> bool:
        return stage is not None and stage.index in self.shipping

    def root(self, stage: Stage) -> Stage:
        """The stage at the top of the FROM chain (whose image is external)."""
        return self.chain(stage)[0]

    def chain(self, stage: Stage) -> tuple[Stage, ...]:
        """The FROM chain ending at ``stage``, root first (the stages it is built on)."""
        links = [stage]
        seen = {stage.index}
        while (parent := self.parents[links[-1].index]) is not None and parent.index not in seen:
            seen.add(parent.index)
            links.append(parent)
        return tuple(reversed(links))

    def edges_from(self, stage: Stage) -> tuple[CopyEdge, ...]:
        """The copies and mounts that stage ``stage`` is the source of."""
        return tuple(e for e in self.edges if e.source is stage)

    def is_single_stage(self) -> bool:
        return len(self.document.stages) == 1


def _reference(doc: Dockerfile, name: str, before: int) -> Stage | None:
    """A stage named (or numbered) ``name`` defined before stage index ``before``."""
    stage = doc.stage_named(name)
    if stage is not None and stage.index < before:
        return stage
    return None


def build_graph(doc: Dockerfile, target: str | None = None) -> StageGraph:
    stages = doc.stages
    parents: list[Stage | None] = []
    for stage in stages:
        # BuildKit expands global ARGs before it matches stage names: FROM ${BASE}.
        name = stage.resolved_image
        parent = None
        if name is not None and _STAGE_NAME.match(name):
            parent = _reference(doc, name, stage.index)
        parents.append(parent)
    final = stages[-1] if stages else None
    if target is not None:
        final = doc.stage_named(target) or final
    shipping: set[int] = set()
    cursor = final
    while cursor is not None and cursor.index not in shipping:
        shipping.add(cursor.index)
        cursor = parents[cursor.index]
    edges: list[CopyEdge] = []
    for stage in stages:
        for ins in stage.instructions:
            for flag in _source_flags(ins):
                if flag.value is None or not flag.value.text:
                    continue
                source = _reference(doc, flag.value.text, stage.index)
                image = None if source is not None else flag.value.text
                edges.append(CopyEdge(ins, flag, source, image))
    return StageGraph(doc, final, tuple(parents), frozenset(shipping), tuple(edges))


def _source_flags(ins: Instruction) -> list[Flag]:
    if not ins.flags:
        return []
    if ins.name in ("COPY", "ADD"):
        return list(ins.flags_named("from"))
    if ins.name == "RUN":
        found = []
        for flag in ins.flags_named("mount"):
            if flag.value is None or "from" not in flag.value.text.lower():
                continue  # no source: most mounts are caches and secrets
            opts = flag.options()
            src = opts.get("from")
            if src and flag.value is not None:
                # Present the mount's source as a pseudo flag value for uniform handling.
                found.append(Flag(flag.name, Token(src, flag.value.span), flag.span))
        return found
    return []
