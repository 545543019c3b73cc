"""What a RUN does, as the cache rules read it: its commands, the dependency steps
among them, and whether a command builds.

Used by DKL301 (``find_source_before_install``), DKL302, DKL303 and the build-context
helpers of DKL351-DKL352.
"""

from __future__ import annotations

from dockerls.rules.dependency_steps import DependencyStep, dependency_step
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command
from dockerls.syntax import Instruction


def commands_of(ctx: RuleContext, ins: Instruction) -> tuple[Command, ...]:
    return ctx.script(ins).commands if ins.name == "RUN" else ()


def dependency_steps(ctx: RuleContext, ins: Instruction) -> list[DependencyStep]:
    """The dependency steps of a RUN, in order."""
    found = []
    for cmd in commands_of(ctx, ins):
        step = dependency_step(cmd)
        if step is not None:
            found.append(step)
    return found


# Shells: what their scripts read, the Dockerfile does not show (DKL302, DKL303).
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})


_BUILD_PROGRAMS = frozenset(
    {"make", "cmake", "ninja", "meson", "bazel", "gcc", "g++", "cc", "clang", "rustc"}
    | {"javac", "tsc"}
)


def is_build(cmd: Command) -> bool:
    """A compile or bundle step: ``go build``, ``make``, ``npm run build``."""
    step = dependency_step(cmd)
    if step is not None and step.implicit:
        return True
    cmd = unwrap(cmd)
    pos = cmd.positionals()
    name = program(cmd.name)
    if name in _BUILD_PROGRAMS:
        return True
    if not pos or name not in ("npm", "yarn", "pnpm", "bun"):
        return False
    script = pos[1].text if pos[0].text == "run" and len(pos) > 1 else pos[0].text
    return script.startswith("build")
