"""Which build variables an instruction sees, with their values and where they come from.

BuildKit's scoping, as far as a Dockerfile alone can tell:

- ``ARG`` before the first ``FROM`` is global: visible in ``FROM`` lines (and in later
  global ``ARG`` defaults), not inside stages unless redeclared there without a value,
  in which case the stage gets the global default.
- Inside a stage an ``ARG`` or ``ENV`` is visible from the next instruction on, and in
  every stage built ``FROM`` this one. ``ENV`` wins over an ``ARG`` of the same name.
- All pairs of one ``ARG``/``ENV`` instruction are expanded with the values from before
  that instruction.
- BuildKit's platform arguments (``TARGETARCH``…) are set in the global scope; a stage
  must declare ``ARG TARGETARCH`` to see them.

A value is ``None`` when only the build can know it (an ``ARG`` without a default, a
platform argument, or anything expanded from those). The base image's own ``ENV`` is
unknown here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from dockerls.graph import StageGraph
from dockerls.hover.docs import AUTOMATIC_ARGS
from dockerls.syntax import Dockerfile, Instruction, Stage, Token
from dockerls.syntax.variables import expand

__all__ = ["Definition", "DefinitionKind", "global_scope", "scope_before", "values"]

DefinitionKind = Literal["arg", "env", "global-arg", "automatic"]


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    kind: DefinitionKind
    value: str | None  # expanded value at this point; None: known only at build time
    written: str | None  # the value as written; None for ``ARG NAME`` without a default
    key: Token | None  # the name where it is declared (None for automatic arguments)
    instruction: Instruction | None
    stage: Stage | None
    from_global: Definition | None = None  # ``ARG NAME`` in a stage taking a global default

    @property
    def line(self) -> int | None:
        """1-based line of the declaration, for people."""
        return self.key.span.start.line + 1 if self.key is not None else None


Scope = dict[str, Definition]


def values(scope: Mapping[str, Definition]) -> dict[str, str]:
    return {name: d.value for name, d in scope.items() if d.value is not None}


def _automatic() -> Scope:
    return {
        name: Definition(name, "automatic", None, None, None, None, None) for name in AUTOMATIC_ARGS
    }


def global_scope(doc: Dockerfile, until: Instruction | None = None) -> Scope:
    """The global scope before ``until`` (a global ARG), or after every global ARG."""
    scope = _automatic()
    for ins in doc.global_args:
        if ins is until:
            break
        known = values(scope)
        for pair in ins.pairs:
            name = pair.key.text
            written = pair.value.text if pair.value is not None else None
            value = expand(written, known, doc.escape) if written is not None else None
            scope[name] = Definition(name, "global-arg", value, written, pair.key, ins, None)
    return scope


def _apply(scope: Scope, ins: Instruction, stage: Stage, globals_: Scope, escape: str) -> None:
    known = values(scope)
    for pair in ins.pairs:
        name = pair.key.text
        written = pair.value.text if pair.value is not None else None
        value = expand(written, known, escape) if written is not None else None
        if ins.name == "ENV":
            scope[name] = Definition(name, "env", value, written, pair.key, ins, stage)
            continue
        previous = scope.get(name)
        if previous is not None and previous.kind == "env":
            continue  # ENV overrides an ARG of the same name
        inherited = None
        if written is None:
            glob = globals_.get(name)
            if glob is not None and glob.kind == "global-arg":
                inherited = glob
                value = glob.value
        scope[name] = Definition(name, "arg", value, written, pair.key, ins, stage, inherited)


def scope_before(doc: Dockerfile, graph: StageGraph, ins: Instruction) -> Scope:
    """The variables visible to ``ins`` (a top-level instruction), before it runs."""
    if ins.name == "ARG" and any(g is ins for g in doc.global_args):
        return global_scope(doc, ins)
    stage = doc.stage_of(ins)
    if stage is None or stage.from_ is ins:
        return global_scope(doc)
    globals_ = global_scope(doc)
    scope: Scope = {}
    for link in graph.chain(stage):
        for step in link.instructions:
            if step is ins:
                return scope
            if step.name in ("ARG", "ENV"):
                _apply(scope, step, link, globals_, doc.escape)
    return scope
