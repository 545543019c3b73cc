"""Where the install runs: the working directory at an instruction, and the install's
directory relative to where the source copy puts the sources."""

from __future__ import annotations

from dockerls.actions.reorder.core import SAFE_NAME, Copy, No, summary
from dockerls.dockerignore import go_clean
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Stage


def workdirs(ctx: RuleContext, stage: Stage, until: Instruction) -> str | None:
    """The working directory just before ``until``; None when it comes from the base image
    (or depends on a variable)."""
    current: str | None = None
    for link in ctx.graph.chain(stage):
        for ins in link.instructions:
            if ins is until:
                return current
            if ins.name != "WORKDIR" or not ins.args:
                continue
            path = ins.args[0].text
            if "$" in path:
                current = None
            elif path.startswith("/"):
                current = go_clean(path)
            elif current is not None:
                current = go_clean(f"{current}/{path}")
    return current


def install_directory(
    ctx: RuleContext, stage: Stage, copy: Copy, anchor: Instruction, install: Instruction
) -> tuple[str, str | None] | No:
    """Where the install runs, relative to where the sources land: ("", note) or ("web/", ...)."""
    at_copy = workdirs(ctx, stage, anchor)
    at_install = workdirs(ctx, stage, install)
    dest = copy.dest
    target: str | None
    if "$" in dest:
        target = None
    elif dest.startswith("/"):
        target = go_clean(dest)
    else:
        target = go_clean(f"{at_copy}/{dest}") if at_copy is not None else None
    if target is None or at_install is None:
        if at_install is None and target is not None and dest.startswith("/"):
            return "", f"assumes the base image's working directory is {target}"
        if at_copy == at_install:
            return "", None
        return No(
            f"dockerls cannot tell whether the install runs where `{summary(copy.ins)}` "
            "puts the sources."
        )
    if at_install == target:
        return "", None
    if at_install.startswith(target.rstrip("/") + "/"):
        rest = at_install[len(target.rstrip("/")) + 1 :]
        if SAFE_NAME.match(rest):
            return rest + "/", None
    return No(
        f"the install runs in {at_install}, not in {target} where `{summary(copy.ins)}` "
        "puts the sources."
    )
