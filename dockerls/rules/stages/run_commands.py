"""The commands of a RUN step as the stage rules read them: each with the variables
in effect for it (``Run``), the program that does the work and its subcommand.

Used by every stage rule (DKL201 to DKL205) and their helper modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dockerls.rules.build_state import Step, command_scopes
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import unwrap
from dockerls.shell import Command, Word
from dockerls.syntax import Span


def subcommand_text(cmd: Command) -> str | None:
    """The subcommand's text (``install`` in ``apt-get -y install x``)."""
    word = cmd.subcommand()
    return None if word is None else word.text


def unwrap_program(cmd: Command) -> Command:
    """The program that does the work (``unwrap``); ``uv pip install`` reads as ``pip
    install``, whose options and requirement files it takes."""
    cmd = unwrap(cmd)
    if cmd.name == "uv" and [w.text for w in cmd.args[:1]] == ["pip"]:
        cmd = unwrap(cmd.shifted(1))
    return cmd


@dataclass(frozen=True, slots=True)
class Run:
    """One command of a RUN, with the variables in effect for it."""

    step: Step
    command: Command  # as the shell layer gives it
    program: Command  # ``unwrap_program``: the program that does the work
    env: Mapping[str, str]  # exported variables the program sees
    shell_vars: Mapping[str, str]  # plus plain shell assignments: what ``$X`` expands to
    cwd: str | None  # its working directory; None after a ``cd`` to somewhere unknown

    @property
    def start(self) -> Word:
        """The first word of the command as written (``npx`` in ``npx tsc``)."""
        return self.command.argv[0]

    def words(self, last: Word) -> Span:
        """From the start of the command to ``last``: ``npm run build``."""
        return Span(self.start.span.start, last.span.end)

    def text(self, last: Word) -> str:
        """The words from the start of the command to ``last``, for messages."""
        end = last.span.end
        return " ".join(w.text for w in self.command.argv if w.span.end <= end)


def _commands(ctx: RuleContext, step: Step) -> tuple[Run, ...]:
    """The commands of a RUN step, each with the variables in effect for it."""
    commands = ctx.script(step.ins).commands
    return tuple(
        Run(step, cmd, unwrap_program(cmd), scope.env, scope.vars, scope.cwd)
        for cmd, scope in zip(commands, command_scopes(ctx, step), strict=True)
    )


def step_runs(ctx: RuleContext, step: Step) -> tuple[Run, ...]:
    """The commands of a RUN step (none for other instructions), worked out once."""
    if step.ins.name != "RUN":
        return ()
    return ctx.memo_each(_commands, step, id(step.ins))
