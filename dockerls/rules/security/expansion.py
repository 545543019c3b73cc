"""Variables expanded the way the security rules need them.

``resolve``: a value written at an instruction, with the variables known before it
(DKL402, DKL405); ``describe_image``: a stage's FROM reference for a message (DKL401, DKL407).
"""

from __future__ import annotations

from dockerls.rules.build_state import global_args, step_of
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Stage
from dockerls.syntax.variables import expand


def resolve(ctx: RuleContext, text: str, ins: Instruction) -> str | None:
    """``text`` with the variables known before ``ins`` expanded; None when unknown."""
    return expand(text, step_of(ctx, ins).env, ctx.document.escape)


def describe_image(ctx: RuleContext, stage: Stage) -> str:
    """The stage's FROM reference for a message: expanded when it can be, else as written."""
    if stage.image is None:
        return "the base image"
    text = stage.image.text
    return expand(text, global_args(ctx), ctx.document.escape) or text
