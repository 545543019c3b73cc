"""What the builder has set at each instruction: ARG and ENV values, WORKDIR, USER.

* ``steps(ctx, stage)``: each instruction of a stage (ONBUILD triggers unwrapped) with
  the ENV/ARG values, WORKDIR and USER in effect, inherited along ``FROM <stage>``
  chains; worked out once per ``RuleContext``;
* ``command_scopes(ctx, step)``: what each command of a RUN sees (``export``, ``cd``);
* ``resolve``, ``substitute``: paths and values as the builder expands them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from dockerls.dockerignore import go_clean
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Stage
from dockerls.syntax.variables import expand

ROOT_HOME = "/root"


_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def substitute(text: str, env: Mapping[str, str]) -> str:
    """``$VAR`` and ``${VAR}`` replaced where the value is known, the rest kept as written
    (so that paths still compare); ``$HOME`` is root's home unless it is set."""
    if "$" not in text:
        return text

    def value(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        found = env.get(name)
        if found is None and name == "HOME":
            return ROOT_HOME
        return m.group(0) if found is None else found

    return _VAR.sub(value, text)


def _global_args(ctx: RuleContext) -> dict[str, str]:
    doc = ctx.document
    values: dict[str, str] = {}
    for ins in doc.global_args:
        for pair in ins.pairs:
            if pair.value is not None:
                value = expand(pair.value.text, values, doc.escape)
                if value is None:
                    values.pop(pair.key.text, None)  # set, but to something unknown
                else:
                    values[pair.key.text] = value
    return values


def global_args(ctx: RuleContext) -> Mapping[str, str]:
    """The defaults of the ARGs declared before the first FROM, expanded in order."""
    return ctx.memo(_global_args)


@dataclass(frozen=True, slots=True)
class User:
    """The USER instruction in effect."""

    ins: Instruction
    stage: Stage  # the stage it belongs to
    name: str | None  # its value expanded; None when that depends on an unknown value


@dataclass(frozen=True, slots=True)
class Scope:
    """What the instructions before one have set."""

    args: Mapping[str, str | None]  # ARG values (None: unknown); they belong to their stage
    envs: Mapping[str, str | None]  # ENV values (None: unknown); they pass down the FROM chain
    env: Mapping[str, str]  # the known values, as a command sees them (ENV wins over ARG)
    unknown: frozenset[str]  # the names set to something that depends on an unknown value
    cwd: str  # WORKDIR; unknown variables in it kept as written
    user: User | None  # None: the base image's default user

    @staticmethod
    def of(
        args: Mapping[str, str | None],
        envs: Mapping[str, str | None],
        cwd: str = "/",
        user: User | None = None,
    ) -> Scope:
        both = {**args, **envs}
        env = {name: value for name, value in both.items() if value is not None}
        unknown = frozenset(name for name, value in both.items() if value is None)
        return Scope(args, envs, env, unknown, cwd, user)


_START = Scope.of({}, {})


@dataclass(frozen=True, slots=True)
class Step:
    """An instruction (an ONBUILD trigger unwrapped) with the state the builder runs it in."""

    stage: Stage
    ins: Instruction
    scope: Scope
    onbuild: bool  # a trigger: it runs in a child build, after every instruction of this one

    @property
    def env(self) -> Mapping[str, str]:
        return self.scope.env

    @property
    def cwd(self) -> str:
        return self.scope.cwd

    def sees(self, onbuild: bool) -> bool:
        """Whether this runs after an instruction with that ``onbuild`` (a trigger runs
        after every instruction of this image; a plain instruction before every trigger)."""
        return self.onbuild or not onbuild


def _after(scope: Scope, ins: Instruction, stage: Stage, ctx: RuleContext) -> Scope:
    """The scope once ``ins`` has run."""
    escape = ctx.document.escape
    if ins.name in ("ENV", "ARG"):
        args, envs = dict(scope.args), dict(scope.envs)
        for pair in ins.pairs:
            name = pair.key.text
            if pair.value is not None:
                value = expand(pair.value.text, scope.env, escape)
                (envs if ins.name == "ENV" else args)[name] = value
            elif ins.name == "ARG" and name in global_args(ctx):
                args[name] = global_args(ctx)[name]
        return Scope.of(args, envs, scope.cwd, scope.user)
    if ins.name == "WORKDIR" and ins.rest is not None:
        path = substitute(ins.rest.text.strip(), scope.env)
        return replace(scope, cwd=go_clean(posixpath.join(scope.cwd, path)))
    if ins.name == "USER" and ins.args:
        user = User(ins, stage, expand(ins.args[0].text, scope.env, escape))
        return replace(scope, user=user)
    return scope


@dataclass(frozen=True, slots=True)
class _Walk:
    steps: tuple[Step, ...]
    end: Scope  # after the stage's own instructions
    child: Scope  # what a stage built FROM it starts with: its triggers have run, ARGs are gone


class _Walks:
    """Every stage's steps, worked out on demand: a stage's walk needs only its FROM
    chain's, so checking one stage does not walk the whole file."""

    __slots__ = ("walks",)

    def __init__(self) -> None:
        self.walks: dict[int, _Walk] = {}  # (no reference to the context: no cycle)

    def of(self, ctx: RuleContext, stage: Stage) -> _Walk:
        found = self.walks.get(stage.index)
        if found is not None:
            return found
        pending = [stage]
        parent = ctx.graph.parent(stage)
        while parent is not None and parent.index not in self.walks:
            if parent.index >= pending[-1].index:
                break  # parents come earlier; never loop on a malformed graph
            pending.append(parent)
            parent = ctx.graph.parent(parent)
        for link in reversed(pending):
            self.walks[link.index] = self._walk(ctx, link)
        return self.walks[stage.index]

    def _walk(self, ctx: RuleContext, stage: Stage) -> _Walk:
        """A trigger sees the stage's final state and the triggers before it, and changes
        nothing for the stage's own instructions (it runs in a child build)."""
        parent = ctx.graph.parent(stage)
        scope = self.walks[parent.index].child if parent is not None else _START
        before: dict[int, Scope] = {}
        for ins in stage.instructions:
            if ins.name != "ONBUILD":
                before[id(ins)] = scope
                scope = _after(scope, ins, stage, ctx)
        end = child = scope
        steps: list[Step] = []
        for ins in stage.instructions:
            if ins.name != "ONBUILD":
                steps.append(Step(stage, ins, before[id(ins)], False))
            elif ins.trigger is not None:
                steps.append(Step(stage, ins.trigger, child, True))
                child = _after(child, ins.trigger, stage, ctx)
        inherited = Scope.of({}, child.envs, child.cwd, child.user)
        return _Walk(tuple(steps), end, inherited)


def _walks(ctx: RuleContext) -> _Walks:
    return _Walks()


def steps(ctx: RuleContext, stage: Stage) -> tuple[Step, ...]:
    """The stage's instructions in order (ONBUILD triggers unwrapped), each in its state."""
    return ctx.memo(_walks).of(ctx, stage).steps


def final_scope(ctx: RuleContext, stage: Stage) -> Scope:
    """The state after the stage's own instructions: what its image is configured with."""
    return ctx.memo(_walks).of(ctx, stage).end


def _by_instruction(ctx: RuleContext) -> dict[int, Step]:
    return {}  # filled a stage at a time by ``step_of``


def step_of(ctx: RuleContext, ins: Instruction) -> Step:
    """The step of an instruction of the file (or of an ONBUILD trigger)."""
    known = ctx.memo(_by_instruction)
    found = known.get(id(ins))
    if found is None:
        stage = ctx.stage(ins)
        if stage is not None:
            known.update((id(s.ins), s) for s in steps(ctx, stage))
        found = known[id(ins)]
    return found


def resolve(text: str, cwd: str, env: Mapping[str, str]) -> str | None:
    """An absolute, clean path (or shell pattern) for ``text`` written in ``cwd``; None
    when it depends on values that are not known."""
    if text == "~" or text.startswith("~/"):
        text = env.get("HOME", ROOT_HOME) + text[1:]
    text = substitute(text, env)
    if not text or "$" in text or "`" in text:
        return None
    return go_clean(posixpath.join(cwd, text))


@dataclass(frozen=True, slots=True)
class CommandScope:
    """What one command of a RUN sees."""

    env: Mapping[str, str]  # its environment: the exported variables and its own ``X=1``
    vars: Mapping[str, str]  # what ``$X`` expands to in its words (shell variables too)
    cwd: str | None  # its working directory; None after a ``cd`` to somewhere unknown


_DECLARES = frozenset({"export", "declare", "typeset", "readonly", "local"})


def _command_scopes(ctx: RuleContext, step: Step) -> tuple[CommandScope, ...]:
    script = ctx.script(step.ins)
    values = dict(step.env)
    exported = set(values)
    cwd: str | None = step.cwd
    outer = cwd  # a ``cd`` inside ( … ) ends with the subshell
    plain = sorted(script.assignments, key=lambda a: a.span.start)
    found: list[CommandScope] = []
    for cmd in script.commands:
        if not cmd.in_subshell:
            cwd = outer
        while plain and plain[0].span.start < cmd.span.start:
            assignment = plain.pop(0)
            values[assignment.name] = assignment.value.text if assignment.value else ""
        own = {a.name: a.value.text if a.value else "" for a in cmd.assignments}
        env = {name: values[name] for name in exported if name in values}
        found.append(CommandScope({**env, **own}, dict(values), cwd))
        if cmd.name in _DECLARES:
            values.update(own)
            if cmd.name == "export":
                exported.update(own, (w.text for w in cmd.args if not w.text.startswith("-")))
        elif cmd.name == "cd":
            target = next((w for w in cmd.args if not w.text.startswith("-")), None)
            if target is None:
                cwd = values.get("HOME", ROOT_HOME)
            elif cwd is not None:
                cwd = resolve(target.text, cwd, values)
            if not cmd.in_subshell:
                outer = cwd
    return tuple(found)


def command_scopes(ctx: RuleContext, step: Step) -> tuple[CommandScope, ...]:
    """What each command of a RUN step sees, in the order of ``ctx.script(step.ins)``.
    Variables follow ``export`` and plain assignments, the directory follows ``cd``."""
    if step.ins.name != "RUN":
        return ()
    return ctx.memo_each(_command_scopes, step, id(step.ins))


_ROOT_USERS = frozenset({"root", "containeradministrator"})


def is_root(user: str) -> bool:
    """Whether a USER value (``name[:group]``) is the superuser: by name, or UID 0
    however it is written (``0000`` is UID 0 too)."""
    name = user.partition(":")[0].strip().lower()
    return name in _ROOT_USERS or (name.isascii() and name.isdigit() and int(name) == 0)
