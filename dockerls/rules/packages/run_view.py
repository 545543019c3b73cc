"""One RUN seen command by command: the view the package rules read RUNs through.

``Run`` gives each command's program, environment and working directory, the RUN's cache
and tmpfs mounts, and answers whether a mount hides a cache or a later command empties it
(only commands that run when the earlier one succeeded count). ``each_run`` yields the
RUNs of the stages checked; ``fills`` picks the leftovers of some tools. Used by
``append_fixes``, ``artifacts`` and every package rule but DKL101 and DKL111, which read
``ctx.script`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dockerls.findings import TextEdit
from dockerls.rules.build_state import Step, command_scopes
from dockerls.rules.engine import RuleContext
from dockerls.rules.instruction_parts import cache_targets
from dockerls.rules.package_managers import Cache
from dockerls.rules.packages.leftovers import Leftover, leftovers
from dockerls.rules.packages.paths import absolute_path, braces, covered_by, removes_place
from dockerls.rules.packages.program_names import (
    BRACE_SHELLS,
    program_name,
    program_view,
    quoted,
    word_texts,
)
from dockerls.rules.packages.stage_walk import walk
from dockerls.rules.programs import program
from dockerls.shell import Command, Script, Word
from dockerls.syntax import Span


def shell_text(at: Step) -> list[str]:
    """A RUN's shell text as written: its arguments and its heredoc bodies."""
    ins = at.ins
    return [ins.rest.text, *(h.body.text for h in ins.heredocs)] if ins.rest is not None else []


@dataclass(slots=True)
class Run:
    """One RUN, command by command."""

    at: Step
    script: Script
    programs: list[tuple[str, Command]]
    envs: list[dict[str, str]]  # the environment each command sees
    cwds: list[str | None]  # each command's working directory (None after an unknown cd)
    mounts: tuple[str, ...]  # cache and tmpfs mount targets
    bash: bool  # the SHELL expands braces ({a,b}); /bin/sh does not
    lines: tuple[str, ...]  # the document's lines, to read the shell between commands

    @staticmethod
    def of(ctx: RuleContext, at: Step) -> Run:
        script = ctx.script(at.ins)
        scopes = command_scopes(ctx, at)
        # Every variable the command's words or environment may use counts (conservative).
        envs = [{**scope.vars, **scope.env} for scope in scopes]
        cwds = [scope.cwd for scope in scopes]
        mounts = (absolute_path(target, at.cwd, at.env) for target in cache_targets(at.ins))
        programs = [program_view(c) for c in script.commands]
        shell = ctx.shell(at.ins)
        bash = program(shell[0]) in BRACE_SHELLS if shell else False
        places = tuple(m for m in mounts if m)
        return Run(at, script, programs, envs, cwds, places, bash, ctx.document.lines)

    @property
    def commands(self) -> tuple[Command, ...]:
        return self.script.commands

    def hides(self, place: Cache, index: int) -> bool:
        """Whether a cache or tmpfs mount keeps ``place`` out of the layer."""
        return covered_by(place, self.mounts, self.envs[index])

    def emptied(self, place: Cache, after: int) -> bool:
        """Whether a command after ``after`` empties ``place``. When the shell parser met
        text it could not read (the commands after it may be lost), any mention of the
        place or of its cleaning command counts: better silent than wrong."""
        if any(self.empties(k, place) for k in self.succeeding(after)):
            return True
        return self.script.has_error and any(place.mentioned(t) for t in shell_text(self.at))

    def succeeding(self, after: int) -> Iterator[int]:
        """The commands after ``after`` that run once it has succeeded: not one after
        ``||`` (nor the rest of its pipeline), which runs only when what precedes it
        fails, nor one in an ``else``/``elif`` branch of an ``if`` around ``after``."""
        previous = self.commands[after]
        failing = False  # after a ``||``
        depth = 0  # ifs opened after ``after`` and not closed yet
        other: int | None = None  # in another branch of the if closed below this depth
        for k in range(after + 1, len(self.commands)):
            cmd = self.commands[k]
            if cmd.in_substitution:
                continue
            for keyword in _KEYWORDS.findall(_COMMENT.sub("", self.between(previous, cmd))):
                if keyword == "if":
                    depth += 1
                elif keyword == "fi":
                    depth -= 1
                    if other is not None and depth < other:
                        other = None
                elif depth <= 0 and other is None:
                    other = depth
            previous = cmd
            if cmd.connector != "|":
                failing = cmd.connector == "||"
            if not failing and other is None:
                yield k

    def between(self, first: Command, second: Command) -> str:
        """The text between two commands as written (empty when not in that order)."""
        start = max([first.span.end, *(r.span.end for r in first.redirects)])
        end = second.span.start
        if end <= start or end.line >= len(self.lines):
            return ""
        if start.line == end.line:
            text = self.lines[start.line][start.column : end.column]
        else:
            middle = self.lines[start.line + 1 : end.line]
            text = "\n".join(
                [
                    self.lines[start.line][start.column :],
                    *middle,
                    self.lines[end.line][: end.column],
                ]
            )
        return text

    def deletion(self, index: int) -> TextEdit | None:
        """An edit that deletes command ``index`` and the operator after it, when the
        command is simply run before the next one (``x && next``, ``x; next``, a line
        of a heredoc) and the next runs whatever the deleted one did; else None."""
        if index + 1 >= len(self.commands):
            return None
        cmd, nxt = self.commands[index], self.commands[index + 1]
        plain = all(
            c.connector in (None, "&&", ";", "\n")
            and not (c.in_condition or c.in_substitution)
            and c.in_subshell == cmd.in_subshell
            for c in (cmd, nxt)
        )
        if (
            not plain
            or nxt.connector is None
            or _SEPARATION.fullmatch(self.between(cmd, nxt)) is None
        ):
            return None
        return TextEdit(Span(cmd.span.start, nxt.span.start), "")

    def empties(self, index: int, place: Cache) -> bool:
        prog, view = self.programs[index]
        env = self.envs[index]
        if prog in {"rm", "find"}:
            return any(removes_place(t, place, env) for t in self.removed(index))
        return any(_runs_spec(prog, view, spec) for spec in place.cleaners)

    def removed(self, index: int) -> list[str]:
        """The paths (shell patterns) an ``rm`` or ``find … -delete`` command removes."""
        prog, view = self.programs[index]
        cwd = self.cwds[index]
        if cwd is None:
            return []
        env = self.envs[index]
        if prog == "rm":
            words = view.positionals(())
        elif prog == "find" and ("-delete" in word_texts(view.args) or _find_rm(view)):
            words = tuple(w for w in view.args[:1] if not w.text.startswith("-"))
        else:
            return []
        bash = self.bash or any(w in BRACE_SHELLS for w in view.wrappers)
        found: list[str] = []
        for word in words:
            for text in braces(word.text) if bash else [word.text]:
                resolved = absolute_path(text, cwd, env)
                if resolved is not None:
                    found.append(resolved)
        return found

    def leftovers(self, index: int) -> list[Leftover]:
        """What command ``index`` leaves on disk: what its program leaves, and what its
        launcher leaves first (``uv run x`` syncs the project before running ``x``)."""
        cmd = self.commands[index]
        prog, view = self.programs[index]
        env, cwd = self.envs[index], self.cwds[index]
        unknown = self.at.scope.unknown
        launcher = leftovers(program_name(cmd), cmd, env, cwd, unknown) if view is not cmd else []
        return [*launcher, *leftovers(prog, view, env, cwd, unknown)]

    def quote(self, index: int, word: Word) -> str:
        """How a message quotes command ``index`` up to ``word``: as the program that does
        the work (``uv sync`` for ``python -m uv sync``) when ``word`` is one of its words."""
        cmd, view = self.commands[index], self.programs[index][1]
        return quoted(view if any(w is word for w in view.argv) else cmd, word)

    def left(self, index: int, place: Cache) -> bool:
        """Whether what command ``index`` puts in ``place`` stays in this layer."""
        return not self.hides(place, index) and not self.emptied(place, index)


# Shell keywords between two commands that open, branch or close an ``if``.
_KEYWORDS = re.compile(r"(?<![\w$/.=-])(if|elif|else|fi)(?![\w/.=-])")
_COMMENT = re.compile(r"(?:^|(?<=\s))#.*$", re.MULTILINE)
# Between two commands run one after the other: operators, blanks and line continuations.
_SEPARATION = re.compile(r"[\s;&\\`]*")


def _find_rm(view: Command) -> bool:
    args = word_texts(view.args)
    return any(
        a == "-exec" and i + 1 < len(args) and args[i + 1] == "rm" for i, a in enumerate(args)
    )


def _runs_spec(prog: str, view: Command, spec: tuple[str, ...]) -> bool:
    """Whether a command is ``spec``: program, leading positionals, and ``-options``."""
    if prog != spec[0]:
        return False
    words = [s for s in spec[1:] if not s.startswith("-")]
    options = [s for s in spec[1:] if s.startswith("-")]
    positionals = word_texts(view.positionals())
    args = word_texts(view.args)
    return positionals[: len(words)] == words and all(o in args for o in options)


def each_run(ctx: RuleContext, shipping: bool = True) -> Iterator[Run]:
    for at in walk(ctx, shipping):
        if at.ins.name == "RUN":
            run = Run.of(ctx, at)
            if run.commands:
                yield run


def fills(run: Run, tools: Iterable[str]) -> list[tuple[int, Leftover]]:
    """The leftovers of the given tools, by command index."""
    wanted = set(tools)
    return [
        (i, left)
        for i in range(len(run.programs))
        for left in run.leftovers(i)
        if left.tool in wanted
    ]
