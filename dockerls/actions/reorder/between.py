"""What lies between the source copy and the install: whether the new lines can go above
the copy, or the copy must move down below the install, or nothing may move."""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.actions.reorder.core import Copy, No, program, summary
from dockerls.actions.reorder.ecosystems import label
from dockerls.actions.reorder.independent import SHELL_STATE, independent
from dockerls.actions.reorder.install import prefetch_of
from dockerls.actions.reorder.run_text import unlisted_syntax
from dockerls.actions.reorder.workdirs import workdirs
from dockerls.dockerignore import go_clean
from dockerls.rules.dependency_steps import dependency_step
from dockerls.rules.engine import RuleContext
from dockerls.shell import Word
from dockerls.syntax import Instruction, Stage, Token
from dockerls.syntax.variables import references

# Instructions that only set image metadata: an install may move across them freely.
_METADATA = frozenset(
    {"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL", "MAINTAINER", "ONBUILD"}
)
# Instructions that set what a later RUN sees: the install must stay after them.
_ENVIRONMENT = frozenset({"WORKDIR", "ENV", "ARG", "USER", "SHELL"})


def _line(token: Token | Word | Instruction) -> int:
    """The 1-based line where something starts, for messages."""
    return token.span.start.line + 1


def needs_moving_down(
    ctx: RuleContext, stage: Stage, between: Sequence[Instruction], copy: Copy, copies: int
) -> bool | No:
    """Whether the source copy must move down to the install (True), or the new lines can go
    above it (False); ``No`` when something between them depends on the order."""
    down = False
    for ins in between:
        if ins.name in _METADATA or _same_directory(ctx, stage, ins):
            continue
        if ins.name in _ENVIRONMENT or (ins.name == "RUN" and _run_is_setup(ctx, ins, copy)):
            down = True
            continue
        if ins.name == "RUN":
            return No(
                f"`{summary(ins)}` on line {_line(ins)} runs between the source copy and the "
                "install: the install would no longer see what it does, or it would no longer "
                f"see the sources.{_hint(ctx, stage, ins)}"
            )
        return No(
            f"`{summary(ins)}` on line {_line(ins)} sits between the source copy and the "
            "install, and the install may depend on it."
        )
    if not down:
        return False
    if copies > 1:
        return No("several source copies come before the install: reorder them by hand.")
    escape = ctx.document.escape
    used = {ref.name for ref in references(copy.ins, escape)}
    chowned = any(f.startswith(("--chown", "--chmod")) for f in copy.flags)
    for ins in between:
        defined = {pair.key.text for pair in ins.pairs} if ins.name in ("ENV", "ARG") else set()
        if defined & used:
            return No(
                f"`{summary(ins)}` on line {_line(ins)} sets a variable that "
                f"`{summary(copy.ins)}` uses, so the copy cannot move below it."
            )
        if ins.name == "WORKDIR":
            if not copy.dest.startswith("/"):
                return No(
                    f"`{summary(ins)}` on line {_line(ins)} changes the directory between the "
                    "source copy and the install, and the copy's destination is relative."
                )
            if chowned or _user_set(ctx, stage, ins):
                return No(
                    f"`{summary(ins)}` on line {_line(ins)} would create the directory "
                    "before the copy does, with another owner or mode."
                )
        if (
            ins.name == "RUN"
            and chowned
            and any(c.name == "mkdir" for c in ctx.script(ins).commands)
        ):
            return No(
                f"`{summary(ins)}` on line {_line(ins)} creates directories that the chowned "
                "copy would otherwise create."
            )
    return True


def _same_directory(ctx: RuleContext, stage: Stage, ins: Instruction) -> bool:
    """A WORKDIR that stays where it is (``WORKDIR .``, or the directory already set)."""
    if ins.name != "WORKDIR" or len(ins.args) != 1 or "$" in ins.args[0].text:
        return False
    path = ins.args[0].text
    if go_clean(path) == ".":
        return True
    return path.startswith("/") and go_clean(path) == workdirs(ctx, stage, ins)


def _hint(ctx: RuleContext, stage: Stage, ins: Instruction) -> str:
    """Point at another install's rewrite when applying it first clears the way."""
    commands = ctx.script(ins).commands
    step = dependency_step(commands[0]) if len(commands) == 1 else None
    if step is None or step.needs_sources or prefetch_of(ctx, stage, ins, step) is not None:
        return ""
    return f" Apply the rewrite for the {label(step.manager)} install first."


def _user_set(ctx: RuleContext, stage: Stage, until: Instruction) -> bool:
    """Whether a user other than root may be in effect at ``until``."""
    user: str | None = None
    for link in ctx.graph.chain(stage):
        for ins in link.instructions:
            if ins is until:
                break
            if ins.name == "USER" and ins.args:
                user = ins.args[0].text.split(":")[0]
    if user is not None:
        return user not in ("root", "0")
    image = ctx.image(stage)
    return image is not None and image.non_root


def _run_is_setup(ctx: RuleContext, ins: Instruction, copy: Copy) -> bool:
    """A RUN that neither reads the sources nor writes where they go (``apt-get install``)."""
    for flag in ins.flags_named("mount"):
        options = flag.options()
        if options.get("type", "bind") == "bind" and "from" not in options:
            return False
    script = ctx.script(ins)
    if script.has_error or not (script.commands or script.assignments):
        return False
    if unlisted_syntax(ctx, ins) is not None:
        return False
    return all(independent(c, copy) or (program(c.argv[0]) in SHELL_STATE) for c in script.commands)
