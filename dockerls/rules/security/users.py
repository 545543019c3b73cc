"""Who a stage runs as at some point: its last USER, else its root image's default user
(DKL401 at the end of the final stage, DKL404 at each RUN that uses sudo)."""

from __future__ import annotations

from dataclasses import dataclass

from dockerls.rules.build_state import final_scope, is_root, step_of
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Stage


@dataclass(frozen=True, slots=True)
class User:
    """Who a stage runs as at some point."""

    name: str | None  # None: a value we cannot know (an unresolved variable)
    is_root: bool
    instruction: Instruction | None  # the USER that set it; None: the base image's default
    stage: Stage  # the stage whose USER (or root image) decided it


def user_at(ctx: RuleContext, stage: Stage, before: Instruction | None = None) -> User:
    """The user in effect in ``stage`` before ``before`` (None: at the end of the stage).

    A USER in a stage it is built FROM carries over; without any, the root image's
    default user applies, and an image we know nothing about is taken to run as root.
    """
    scope = step_of(ctx, before).scope if before is not None else final_scope(ctx, stage)
    user = scope.user
    if user is not None:
        return User(user.name, user.name is not None and is_root(user.name), user.ins, user.stage)
    info = ctx.image(stage)
    root = ctx.graph.root(stage)
    if info is None:
        return User("root", True, None, root)
    return User(info.default_user, not info.non_root, None, root)
