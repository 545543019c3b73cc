"""The parts of a stage the stage rules select and point at: the stages that ship
(DKL201, DKL202, DKL204), the name ``COPY --from`` gives a stage (DKL204, DKL206)
and the tag of a FROM image (DKL201, DKL202).
"""

from __future__ import annotations

from dockerls.rules.engine import RuleContext
from dockerls.syntax import Span, Stage, Token


def shipping_stages(ctx: RuleContext) -> list[Stage]:
    return [s for s in ctx.document.stages if ctx.ships(s)]


def stage_label(stage: Stage) -> str:
    """A stage as ``COPY --from`` names it: its AS name, or its index."""
    return stage.name.text if stage.name is not None else str(stage.index)


def image_token_span(stage: Stage) -> Span | None:
    """The tag of a FROM image (the repository when there is no tag)."""
    if stage.image is None:
        return None
    token: Token = stage.image.tag if stage.image.tag is not None else stage.image.repository
    return token.span
