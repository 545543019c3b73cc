"""Plumbing the rule families share.

* ``steps(ctx, stage)``: each instruction of a stage (ONBUILD triggers unwrapped) with
  the ENV/ARG values, WORKDIR and USER in effect, inherited along ``FROM <stage>``
  chains; worked out once per ``RuleContext``;
* ``unwrap(cmd)`` and ``program(name)``: the program a command really runs (``npx tsc``
  runs ``tsc``, ``python3 -m pip`` runs ``pip``) and its canonical name (``pip3.12`` is
  ``pip``, ``./mvnw`` is ``mvn``);
* ``mounts(ins)``: the ``--mount`` options of a RUN;
* ``insert_after``, ``whole_lines``, ``newline``, ``indent``: edits in the user's layout.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from dockerls.dockerignore import go_clean
from dockerls.findings import TextEdit
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command, Word
from dockerls.syntax import Dockerfile, Instruction, Position, Span, Stage, Token
from dockerls.syntax.variables import expand

ROOT_HOME = "/root"

# --------------------------------------------------------------------------- the builder's state

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


# --------------------------------------------------------------------------- programs

_NODE_RUNNERS = frozenset({"npx", "bunx", "pnpx", "corepack"})
_VERSIONED = re.compile(r"(pip|pipenv|python|wget|helm)[0-9.]*")
_ALIASES = {
    "dnf5": "dnf",
    "mvnw": "mvn",
    "gradlew": "gradle",
    "bsdtar": "tar",
    "yarnpkg": "yarn",
    "bundler": "bundle",
    "composer.phar": "composer",
}


def program(name: str) -> str:
    """A program's canonical name: ``/usr/bin/pip3.12`` is ``pip``, ``./mvnw`` is ``mvn``."""
    base = name.rsplit("/", 1)[-1].lower()
    versioned = _VERSIONED.fullmatch(base)
    if versioned is not None:
        base = versioned.group(1)
    return _ALIASES.get(base, base)


def unwrap(cmd: Command) -> Command:
    """The command that does the work, its launchers moved to the prefix words.

    ``npx tsc`` (``bunx``, ``pnpx``, ``corepack``), ``pnpm exec``/``yarn dlx``/``bundle
    exec x``, ``poetry run x`` (``uv run``, ``pipenv run``), ``python3 -m pip``, ``sh
    ./gradlew`` and ``php composer.phar`` run ``tsc``, ``x``, ``pip``, ``gradlew`` and
    ``composer.phar``: the tables of the rules are keyed by the program that does the work.
    """
    for _ in range(3):
        name = program(cmd.name)
        args = [w.text for w in cmd.args]
        if name in _NODE_RUNNERS and args:
            skip = 1
            while skip < len(args) and args[skip - 1].startswith("-"):
                skip += 1
            cmd = cmd.shifted(skip)
        elif _launches(name, args) or (name == "python" and args[:1] == ["-m"] and args[1:]):
            cmd = cmd.shifted(2)
        elif (name in ("sh", "bash") and args and program(args[0]) in ("gradle", "mvn")) or (
            name == "php" and args and args[0].rsplit("/", 1)[-1] in ("composer", "composer.phar")
        ):
            cmd = cmd.shifted(1)
        else:
            break
    return cmd


def _launches(name: str, args: list[str]) -> bool:
    """``pnpm exec x``, ``yarn dlx x``, ``bundle exec x``, ``poetry run x``: run ``x``."""
    if name in ("pnpm", "yarn", "npm", "bundle"):
        return args[:1] in (["exec"], ["dlx"])
    return name in ("poetry", "uv", "pipenv") and args[:1] == ["run"] and len(args) > 1


# --------------------------------------------------------------------------- instruction parts


@dataclass(frozen=True, slots=True)
class Mount:
    """One ``RUN --mount=…``."""

    type: str  # "bind" unless it says otherwise, as in BuildKit
    target: str | None  # as written
    source: str | None


def mounts(ins: Instruction) -> tuple[Mount, ...]:
    found = []
    for flag in ins.flags_named("mount"):
        opts = flag.options()
        target = opts.get("target") or opts.get("dst") or opts.get("destination")
        found.append(Mount(opts.get("type", "bind"), target, opts.get("source") or opts.get("src")))
    return tuple(found)


def cache_targets(ins: Instruction) -> tuple[str, ...]:
    """Where a RUN's cache and tmpfs mounts go (what they keep out of the layer)."""
    return tuple(m.target for m in mounts(ins) if m.type in ("cache", "tmpfs") and m.target)


# The local archives ADD unpacks (tar, possibly compressed); it copies anything else as is.
ADD_EXTRACTS = re.compile(
    r"\.(?:tar|tar\.gz|tgz|taz|tar\.bz2|tbz2|tbz|tb2|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma|tlz)$",
    re.IGNORECASE,
)


def operands(ins: Instruction) -> tuple[Token, ...]:
    """The arguments of an instruction, taken from the JSON array when it is one."""
    return ins.exec_form.elements if ins.exec_form is not None else ins.args


def context_sources(ins: Instruction) -> tuple[Token, ...]:
    """The sources a COPY/ADD takes from the build context (not another stage or a URL)."""
    if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
        return ()
    return tuple(
        w
        for w in operands(ins)[:-1]
        if not w.text.startswith("<<") and "://" not in w.text and not w.text.startswith("git@")
    )


def in_exec_form(ins: Instruction, word: Word) -> bool:
    """Whether ``word`` is a whole element of the instruction's JSON array."""
    if ins.exec_form is None:
        return False
    return any(e.span == word.span for e in ins.exec_form.elements)


def insert_after(ins: Instruction, word: Word, text: str) -> TextEdit:
    """Add ``text`` as the next argument after ``word`` (a new element in the exec form)."""
    end = word.span.end
    return TextEdit(Span(end, end), f', "{text}"' if in_exec_form(ins, word) else f" {text}")


def from_span(stage: Stage) -> Span:
    """The image reference of a FROM line, or its keyword when there is none."""
    return stage.image.span if stage.image is not None else stage.from_.keyword.span


# --------------------------------------------------------------------------- text


def line_no(span: Span) -> int:
    """The 1-based line a span starts on, for messages."""
    return span.start.line + 1


def newline(doc: Dockerfile) -> str:
    """The line break the file uses."""
    text = doc.text
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def open_at_end(doc: Dockerfile, ins: Instruction) -> bool:
    """Whether lines added right after ``ins`` would become part of it: it has a heredoc
    that is never terminated, or its last line ends with the escape character (the file
    ends inside a continuation). A fix must then not add instructions after it."""
    if any(h.terminator is None for h in ins.heredocs):
        return True
    if ins.heredocs:
        return False
    comments = {c.span.start.line for c in ins.comments}
    for line in range(min(ins.end_line, len(doc.lines) - 1), ins.start_line - 1, -1):
        text = doc.lines[line].rstrip(" \t")
        if text and line not in comments:
            return text.endswith(doc.escape)
    return False


def whole_lines(doc: Dockerfile, ins: Instruction) -> Span:
    """The lines an instruction occupies, with one line break."""
    lines = doc.lines
    if ins.end_line + 1 < len(lines):
        return Span(Position(ins.start_line, 0), Position(ins.end_line + 1, 0))
    if ins.start_line > 0:
        previous = ins.start_line - 1
        return Span(
            Position(previous, len(lines[previous])),
            Position(ins.end_line, len(lines[ins.end_line])),
        )
    return Span(Position(ins.start_line, 0), Position(ins.end_line, len(lines[ins.end_line])))
