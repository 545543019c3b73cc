"""The instructions several security rules walk: every RUN under a POSIX shell (DKL404,
DKL406) and every ARG and ENV pair (DKL403, DKL406), ONBUILD triggers included."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.engine import RuleContext
from dockerls.shell import is_posix_shell
from dockerls.syntax import Instruction, KeyValue, Stage


def posix_runs(ctx: RuleContext) -> Iterator[tuple[Stage, Instruction]]:
    """Every RUN (ONBUILD triggers included) under a POSIX shell: not under PowerShell
    or cmd, where even the exec form is written for Windows."""
    for stage, ins in ctx.instructions("RUN"):
        if is_posix_shell(ctx.shell(ins)):
            yield stage, ins


def arg_env_pairs(ctx: RuleContext) -> Iterator[tuple[Instruction, KeyValue]]:
    """Every ARG and ENV pair (of the stages checked), global ARGs and ONBUILD triggers
    included."""
    for top in ctx.checked():
        ins = top.trigger if top.name == "ONBUILD" else top
        if ins is not None and ins.name in ("ARG", "ENV"):
            for pair in ins.pairs:
                yield ins, pair
