"""The instruction orders that build layers on top of one another (a stage's FROM
chain with its parents' ONBUILD triggers, and the stage's own ONBUILD triggers, which
run in a later build), and the top-level instruction that holds each instruction.

Used by DKL301 (``find_source_before_install``), DKL302, DKL303 and the build-context
helpers of DKL351-DKL352.
"""

from __future__ import annotations

from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Stage


def regular(stage: Stage) -> tuple[Instruction, ...]:
    return tuple(i for i in stage.instructions if i.name != "ONBUILD")


def triggers(stage: Stage) -> tuple[Instruction, ...]:
    return tuple(
        i.trigger for i in stage.instructions if i.name == "ONBUILD" and i.trigger is not None
    )


def sequences(ctx: RuleContext, stage: Stage) -> tuple[tuple[Instruction, ...], ...]:
    """The instruction orders that build layers on top of one another for ``stage``.

    The first is what this build runs for the stage (its FROM chain included);
    the second is the stage's ONBUILD triggers, which run in a later build.
    """
    chain = ctx.graph.chain(stage)
    built: list[Instruction] = []
    for i, member in enumerate(chain):
        if i:
            built.extend(triggers(chain[i - 1]))
        built.extend(regular(member))
    return tuple(built), triggers(stage)


def own_sequences(stage: Stage) -> tuple[tuple[Instruction, ...], ...]:
    return regular(stage), triggers(stage)


def owners_of(ctx: RuleContext) -> dict[int, Instruction]:
    """The top-level instruction that holds each instruction (ONBUILD for its trigger)."""
    found: dict[int, Instruction] = {}
    for ins in ctx.document.instructions:
        found[id(ins)] = ins
        if ins.trigger is not None:
            found[id(ins.trigger)] = ins
    return found
