"""Following the stages' instructions: every stage's or only those whose layers ship.

``walk`` is used by DKL102, DKL109, DKL111, DKL114, DKL115 and ``run_view.each_run``;
``configured_steps`` tells DKL101 and DKL107 whether a tool was configured earlier in the
FROM chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dockerls.rules.build_state import Step, steps
from dockerls.rules.engine import RuleContext


def walk(ctx: RuleContext, shipping: bool) -> Iterator[Step]:
    """Every instruction of the stages checked (or of the shipping ones only), in order."""
    for stage in ctx.stages:
        if ctx.ships(stage) or not shipping:
            yield from steps(ctx, stage)


def configured_steps(ctx: RuleContext, sets: Callable[[Step], bool]) -> Iterator[tuple[Step, bool]]:
    """Each shipping instruction, and whether ``sets`` held for it or for an instruction
    before it in its FROM chain (a tool configured once stays configured)."""
    done: set[int] = set()  # the stages where it held
    for at in walk(ctx, shipping=True):
        if sets(at):
            done.add(at.stage.index)
        yield at, any(s.index in done for s in ctx.graph.chain(at.stage))
