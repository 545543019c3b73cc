"""The "Copy dependency manifests first" refactoring: the remedy for DKL301.

When a stage copies its whole source tree (``COPY . .``) before the step that
installs its dependencies, every source edit re-runs the install. The rewrite
copies only the manifests and lockfiles first, installs, and copies the rest
afterwards::

    COPY . .                           COPY package.json package-lock.json ./
    RUN npm ci && npm run build   ->   RUN npm ci
                                       COPY . .
                                       RUN npm run build

Two shapes, per dependency step that ``find_source_before_install`` reports:

* **move**: an explicit install (``npm ci``, ``pip install -r ...``, ``go mod
  download``, ``dotnet restore``) moves above the source copy. A RUN that only
  installs moves whole and byte for byte; a RUN that goes on after the install
  (``npm ci && npm run build``) is split at its ``&&``, both halves keeping the
  RUN's flags.
* **prefetch**: when the install is implicit in a build (``go build``, ``mvn
  package``, ``gradle build``, ``dotnet publish``, ``cargo build``) or also
  installs the project itself (``poetry install``, ``uv sync``, ``composer
  install``), a dependency-only command (``go mod download``, ``mvn -B
  dependency:go-offline``, ``poetry install --no-root``, ...) is inserted above
  the source copy and the original RUN stays where it is, now finding the
  dependencies in place.

The manifest COPY keeps the source copy's ``--chown``/``--chmod``/``--link``/
``--exclude`` flags and targets the same directory. Files come from the build
context when it is known (only lockfiles that exist, never a file the
``.dockerignore`` hides); without it, from patterns that always match at least
the manifest (``package*.json``, ``go.*``), since a COPY source that matches
nothing fails the build. When neither is possible the action is not offered.

Nothing is reordered across an instruction that could depend on the order. The
new lines go above the source copy (and the comments above it) when only
metadata (LABEL, EXPOSE, CMD, ...) sits between it and the install. When WORKDIR,
ENV, ARG, USER, SHELL or a RUN that cannot touch the sources (``apt-get
install``, ``npm install -g x``) sits between, the source copy moves down below
the install instead, so that the install still runs after them. Anything else
in between (another COPY, a RUN that may read the sources) means no action, and
a reason. The same goes for ONBUILD triggers, a copy and an install in
different stages, installs that run in another directory, and RUNs that cannot
be split without changing what they do (``;``, ``||``, pipes, control flow,
``cd``, a cleanup later in the RUN of a shipping stage). Every rewrite is
checked on its own result: DKL301 no longer flags the install, or it is not
offered.

``unsafe_reason`` is set when the rewrite may still change the build in a way
the Dockerfile does not show: a ``postinstall`` script that may read sources, a
host ``node_modules`` the later ``COPY . .`` would copy over the installed one,
Cargo's placeholder ``src/main.rs``, files a build tool may read that only a
known context could list.

Edits are minimal: whole inserted lines in the file's line-break style,
indentation and keyword case, moved lines byte for byte, every other line
untouched. Pure: no I/O, no protocol types, and no exceptions on any input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from dockerls.context import PackageManager
from dockerls.dockerignore import go_clean
from dockerls.edits import EditConflict, apply_edits, line_offsets, offset_of
from dockerls.findings import Fix, TextEdit
from dockerls.graph import build_graph
from dockerls.rules.cache.source_before_install import (
    SourceBeforeInstall,
    SourceKind,
    find_source_before_install,
)
from dockerls.rules.dependency_steps import DependencyStep, dependency_step
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command, Word, is_posix_shell
from dockerls.syntax import Dockerfile, Flag, Instruction, Position, Span, Stage, Token, parse
from dockerls.syntax.variables import references

__all__ = [
    "NotReorderable",
    "ReorderAction",
    "Reorders",
    "plan_reorders",
    "reorder_for_cache",
    "reorders",
    "why_not",
]

# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ReorderAction:
    """One offered rewrite: apply ``edits`` together."""

    title: str  # "Copy package.json and package-lock.json before COPY . . (npm)"
    edits: tuple[TextEdit, ...]
    ecosystem: PackageManager
    unsafe_reason: str | None  # set when the rewrite may change what the build does
    span: Span  # the copied source (``.``): where DKL301 reports
    install: Span  # the word naming the dependency step (``ci``, ``build``)

    @property
    def fix(self) -> Fix:
        """The rewrite as a ``Fix`` (unsafe when ``unsafe_reason`` is set)."""
        return Fix(self.title, self.edits, safe=self.unsafe_reason is None)


@dataclass(frozen=True, slots=True)
class NotReorderable:
    """A DKL301 occurrence the rewrite is not offered for, and why."""

    ecosystem: PackageManager
    reason: str  # a sentence for the editor: "... runs between them: ..."
    span: Span  # the copied source, as for ``ReorderAction``
    install: Span


@dataclass(frozen=True, slots=True)
class Reorders:
    actions: tuple[ReorderAction, ...] = ()
    refusals: tuple[NotReorderable, ...] = ()


def plan_reorders(ctx: RuleContext, stage: Stage) -> Reorders:
    """The rewrites offered for ``stage`` and the DKL301 occurrences left without one.

    Only dependency steps whose RUN belongs to ``stage`` are considered (a stage
    built on another sees its parent's layers too; those are the parent's).
    """
    actions: list[ReorderAction] = []
    refusals: list[NotReorderable] = []
    for group in _groups(ctx, stage):
        result = _plan(ctx, stage, group)
        if isinstance(result, ReorderAction):
            actions.append(result)
        elif isinstance(result, NotReorderable):
            refusals.append(result)
    return Reorders(tuple(actions), tuple(refusals))


def reorder_for_cache(ctx: RuleContext, stage: Stage) -> list[ReorderAction]:
    """The copy-manifests-first rewrites offered for ``stage``, in document order."""
    return list(plan_reorders(ctx, stage).actions)


def why_not(ctx: RuleContext, stage: Stage) -> list[NotReorderable]:
    """The dependency installs of ``stage`` that DKL301 flags but no rewrite is offered for."""
    return list(plan_reorders(ctx, stage).refusals)


def reorders(ctx: RuleContext) -> Reorders:
    """``plan_reorders`` over every stage of the document."""
    actions: list[ReorderAction] = []
    refusals: list[NotReorderable] = []
    for stage in ctx.document.stages:
        found = plan_reorders(ctx, stage)
        actions.extend(found.actions)
        refusals.extend(found.refusals)
    return Reorders(tuple(actions), tuple(refusals))


# --------------------------------------------------------------------------- vocabulary

_LABELS: dict[PackageManager, str] = {
    PackageManager.NPM: "npm",
    PackageManager.YARN: "Yarn",
    PackageManager.PNPM: "pnpm",
    PackageManager.BUN: "Bun",
    PackageManager.PIP: "pip",
    PackageManager.POETRY: "Poetry",
    PackageManager.UV: "uv",
    PackageManager.PIPENV: "Pipenv",
    PackageManager.GO: "Go",
    PackageManager.CARGO: "Cargo",
    PackageManager.BUNDLER: "Bundler",
    PackageManager.COMPOSER: "Composer",
    PackageManager.MAVEN: "Maven",
    PackageManager.GRADLE: "Gradle",
    PackageManager.DOTNET: ".NET",
}

# Instructions that only set image metadata: an install may move across them freely.
_METADATA = frozenset(
    {"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL", "MAINTAINER", "ONBUILD"}
)
# Instructions that set what a later RUN sees: the install must stay after them.
_ENVIRONMENT = frozenset({"WORKDIR", "ENV", "ARG", "USER", "SHELL"})
# Flags of the source copy that the manifest copy takes over.
_COPY_FLAGS = frozenset({"chown", "chmod", "link", "exclude"})

_PACKAGE_MANAGERS = frozenset(
    {"apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper"}
)
_JS = frozenset({"npm", "pnpm", "yarn", "bun"})
_JS_MANAGERS = frozenset(
    {PackageManager.NPM, PackageManager.YARN, PackageManager.PNPM, PackageManager.BUN}
)
_SHELL_STATE = frozenset({"set", "export", "true", ":"})
_USER_TOOLS = frozenset({"useradd", "adduser", "groupadd", "addgroup", "usermod"})
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._+@*?\[\]/-]+$")
_PY_VERSION = re.compile(r"^(pip|python)[0-9.]*$")


def _label(manager: PackageManager) -> str:
    return _LABELS[manager]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _line(token: Token | Word | Instruction) -> int:
    """The 1-based line where something starts, for messages."""
    return token.span.start.line + 1


def _summary(ins: Instruction) -> str:
    """``RUN npm ci && npm run build`` shortened to one readable line."""
    text = " ".join(ins.rest.text.split()) if ins.rest is not None else ""
    if len(text) > 40:
        text = text[:37].rstrip() + "..."
    return f"{ins.keyword.text.upper()} {text}".rstrip().replace("`", "'")


def _program(word: Word) -> str:
    base = word.text.rsplit("/", 1)[-1].lower()
    match = _PY_VERSION.match(base)
    return match.group(1) if match else base


# --------------------------------------------------------------------------- source text


class _Source:
    """Offsets into the document text: slices keep line breaks and escapes as written."""

    def __init__(self, doc: Dockerfile) -> None:
        self.doc = doc
        self.text = doc.text
        self.offsets = line_offsets(doc.text)
        self.newline = _newline(doc.text)

    def offset(self, pos: Position) -> int:
        return offset_of(self.offsets, self.text, pos)

    def slice(self, start: Position, end: Position) -> str:
        return self.text[self.offset(start) : self.offset(end)]

    def lines(self, first: int, last: int) -> str:
        """Lines ``first..last`` with their line breaks (one is added at the end of the file)."""
        text = self.slice(Position(first, 0), Position(last + 1, 0))
        if not text.endswith(("\n", "\r")):
            text += self.newline
        return text

    def blank(self, line: int) -> bool:
        return 0 <= line < len(self.doc.lines) and not self.doc.lines[line].strip()

    def indent(self, ins: Instruction) -> str:
        line = self.doc.lines[ins.start_line] if ins.start_line < len(self.doc.lines) else ""
        return line[: len(line) - len(line.lstrip(" \t"))]


def _newline(text: str) -> str:
    at = text.find("\n")
    if at > 0 and text[at - 1] == "\r":
        return "\r\n"
    if at < 0 and "\r" in text:
        return "\r"
    return "\n"


def _block_start(doc: Dockerfile, ins: Instruction) -> int:
    """The first line of the comments directly above ``ins`` (they belong to it)."""
    previous_end = -1
    for other in doc.instructions:
        if other.end_line < ins.start_line:
            previous_end = max(previous_end, other.end_line)
    for directive in doc.directives:
        previous_end = max(previous_end, directive.span.end.line)
    line = ins.start_line
    while line - 1 > previous_end and doc.lines[line - 1].lstrip().startswith("#"):
        line -= 1
    return line


# --------------------------------------------------------------------------- groups


@dataclass(slots=True)
class _Group:
    """The source copies DKL301 reports before one dependency step."""

    install: Instruction
    step: DependencyStep
    items: list[SourceBeforeInstall] = field(default_factory=list)


def _groups(ctx: RuleContext, stage: Stage) -> list[_Group]:
    groups: dict[tuple[int, Position], _Group] = {}
    for item in find_source_before_install(ctx, stage):
        key = (id(item.install), item.step.word.span.start)
        group = groups.setdefault(key, _Group(item.install, item.step))
        if all(existing.copy is not item.copy for existing in group.items):
            group.items.append(item)
    return list(groups.values())


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True, slots=True)
class _No:
    reason: str


@dataclass(frozen=True, slots=True)
class _Files:
    """What the manifest COPY takes, relative to the directory the install runs in."""

    names: tuple[str, ...]  # files or patterns; ``src/App.csproj`` keeps its directory
    directories: tuple[str, ...] = ()  # copied one by one: ``gradle`` -> ``gradle/``
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Prefetch:
    """A dependency-only command to insert; the original RUN stays."""

    shell: str  # ``go mod download`` (with the original's assignments and wrappers)
    argv: tuple[str, ...] | None  # the same as an exec-form array, when it can be one
    shown: str  # for the title


@dataclass(frozen=True, slots=True)
class _Move:
    """The install (with setup before it and cleanup after it) moves up."""

    first: int  # index of the first moved command
    last: int  # index of the last moved command
    whole: bool  # the RUN holds nothing else: it moves byte for byte


@dataclass(frozen=True, slots=True)
class _Copy:
    """The source copy the rewrite is anchored on."""

    ins: Instruction
    source: Token
    prefix: str  # the source directory in the context: "" for ``.``, "frontend/" ...
    dest: str  # the destination directory as written, ending in "/"
    flags: tuple[str, ...]  # the flags the manifest copy takes over, as written


def _plan(ctx: RuleContext, stage: Stage, group: _Group) -> ReorderAction | NotReorderable | None:
    step = group.step
    first = group.items[0]
    manager = step.manager

    def no(reason: str) -> NotReorderable:
        return NotReorderable(manager, reason, first.source.span, step.word.span)

    doc = ctx.document
    triggers = {id(i.trigger) for i in doc.instructions if i.trigger is not None}
    copy_trigger = any(id(i.copy) in triggers for i in group.items)
    if id(group.install) in triggers:
        return no(
            "The COPY and the install are ONBUILD triggers: they run in the build of an image "
            "based on this one, from that build's context. Reorder the triggers by hand."
        )
    if copy_trigger:
        return no(
            "The COPY is an ONBUILD trigger of the parent stage: it runs before every stage "
            "built on it, so the install cannot move above it here. Reorder it by hand."
        )
    own = {id(ins): n for n, ins in enumerate(stage.instructions)}
    if id(group.install) not in own:
        return None  # the parent stage's own step: offered there
    if any(id(i.copy) not in own for i in group.items):
        parent = ctx.stage(first.copy)
        name = _stage_name(parent) if parent is not None else "another stage"
        return no(
            f"`{_summary(first.copy)}` is in {name} and the install in {_stage_name(stage)}: "
            "moving the install into the parent stage would change every stage built on it."
        )
    items = sorted(group.items, key=lambda i: own[id(i.copy)])
    primary = next((i for i in items if i.kind.whole), None)
    if primary is None:
        what = "source files" if first.kind is SourceKind.FILES else "a source directory"
        return no(
            f"`{_summary(first.copy)}` copies {what}, not the whole project: move "
            f"the {_label(manager)} install above it by hand."
        )
    src = _Source(doc)
    copy = _copy_of(src, primary)
    if isinstance(copy, _No):
        return no(copy.reason)
    anchor = items[0].copy
    install = group.install
    between = [
        ins
        for ins in stage.instructions[own[id(anchor)] + 1 : own[id(install)]]
        if all(ins is not i.copy for i in items)
    ]
    down = _needs_moving_down(ctx, stage, between, copy, len(items))
    if isinstance(down, _No):
        return no(down.reason)
    where = _install_directory(ctx, stage, copy, anchor, install)
    if isinstance(where, _No):
        return no(where.reason)
    subdir, where_note = where
    shape = _shape(ctx, stage, install, step, copy)
    if isinstance(shape, _No):
        return no(shape.reason)
    files = _files(ctx, step, copy.prefix + subdir)
    if isinstance(files, _No):
        return no(files.reason)
    notes = [*files.notes, *_overwrite_notes(ctx, manager, copy.prefix + subdir)]
    if where_note:
        notes.append(where_note)
    edits = _edits(
        ctx,
        src,
        copy,
        anchor=anchor,
        install=install,
        shape=shape,
        files=files,
        subdir=subdir,
        down=down,
    )
    left = _still_flagged(ctx, stage, edits, manager)
    if left is not None:
        return no(left)
    listed = [*files.names, *(d + "/" for d in files.directories)]
    what = f"Copy {_join(listed)}"
    if isinstance(shape, _Prefetch):
        what += f" and run `{shape.shown}`"
    title = f"{what} before {_summary_copy(copy)} ({_label(manager)})"
    return ReorderAction(
        title,
        edits,
        manager,
        "; ".join(notes) if notes else None,
        first.source.span,
        step.word.span,
    )


def _still_flagged(
    ctx: RuleContext, stage: Stage, edits: Sequence[TextEdit], manager: PackageManager
) -> str | None:
    """Why DKL301 would still flag this install after the rewrite, if it would.

    The rewrite is checked on its own result: a source directory copied above the
    new download step (``COPY src ./src`` before ``go mod download``) would be.
    """
    try:
        text = apply_edits(ctx.document.text, edits)
    except EditConflict:
        return "dockerls could not build non-overlapping edits for this rewrite."
    doc = parse(text)
    if stage.index >= len(doc.stages):
        return "the rewrite would change the stages of the file."
    after = RuleContext(doc, build_graph(doc), ctx.build_context)
    target = doc.stages[stage.index]
    for item in find_source_before_install(after, target):
        if item.step.manager is manager and any(item.install is i for i in target.instructions):
            return (
                f"`{_summary(item.copy)}` would still come before the {_label(manager)} "
                "install: move it below by hand first."
            )
    return None


def _stage_name(stage: Stage) -> str:
    if stage.name is not None:
        return f"stage `{stage.name.text}`"
    return f"stage {stage.index}"


def _summary_copy(copy: _Copy) -> str:
    words = copy.ins.exec_form.elements if copy.ins.exec_form is not None else copy.ins.args
    return " ".join([copy.ins.keyword.text.upper(), *(w.text for w in words)])


# --------------------------------------------------------------------------- the source copy


def _copy_of(src: _Source, item: SourceBeforeInstall) -> _Copy | _No:
    ins = item.copy
    words = ins.exec_form.elements if ins.exec_form is not None else ins.args
    if len(words) != 2 or words[0].span != item.source.span:
        return _No(f"`{_summary(ins)}` copies several sources at once: reorder it by hand.")
    flags = []
    for flag in ins.flags:
        name = flag.name.text.lower()
        if name not in _COPY_FLAGS:
            return _No(f"`--{flag.name.text}` on `{_summary(ins)}` is not carried over safely.")
        flags.append(flag)
    source = item.source.text
    path = go_clean(source).lstrip("/") or "."
    if (
        "$" in source
        or path.startswith("..")
        or any(ch in path for ch in "*?[")
        or (path != "." and not _SAFE_NAME.match(path))
    ):
        return _No(f"the source `{source}` of `{_summary(ins)}` is not a plain directory.")
    dest = words[-1].text
    if not dest or any(ch.isspace() or ch in "\"'`\\" for ch in dest):
        return _No(f"the destination `{dest}` of `{_summary(ins)}` needs quoting.")
    if dest.endswith("/."):
        dest = dest[:-1]
    if dest == ".":
        dest = "./"
    elif not dest.endswith("/"):
        dest += "/"
    prefix = "" if path == "." else path + "/"
    flag_texts = tuple(_flag_text(src, f) for f in flags)
    return _Copy(ins, item.source, prefix, dest, flag_texts)


def _flag_text(src: _Source, flag: Flag) -> str:
    """A flag as written; rebuilt from its parts when it spans lines."""
    if flag.span.start.line == flag.span.end.line:
        return src.slice(flag.span.start, flag.span.end)
    value = "" if flag.value is None else f"={flag.value.text}"
    return f"--{flag.name.text}{value}"


# --------------------------------------------------------------------------- what lies between


def _needs_moving_down(
    ctx: RuleContext, stage: Stage, between: Sequence[Instruction], copy: _Copy, copies: int
) -> bool | _No:
    """Whether the source copy must move down to the install (True), or the new lines can go
    above it (False); ``_No`` when something between them depends on the order."""
    down = False
    for ins in between:
        if ins.name in _METADATA or _same_directory(ctx, stage, ins):
            continue
        if ins.name in _ENVIRONMENT or (ins.name == "RUN" and _run_is_setup(ctx, ins, copy)):
            down = True
            continue
        if ins.name == "RUN":
            return _No(
                f"`{_summary(ins)}` on line {_line(ins)} runs between the source copy and the "
                "install: the install would no longer see what it does, or it would no longer "
                f"see the sources.{_hint(ctx, stage, ins)}"
            )
        return _No(
            f"`{_summary(ins)}` on line {_line(ins)} sits between the source copy and the "
            "install, and the install may depend on it."
        )
    if not down:
        return False
    if copies > 1:
        return _No("several source copies come before the install: reorder them by hand.")
    escape = ctx.document.escape
    used = {ref.name for ref in references(copy.ins, escape)}
    chowned = any(f.startswith(("--chown", "--chmod")) for f in copy.flags)
    for ins in between:
        defined = {pair.key.text for pair in ins.pairs} if ins.name in ("ENV", "ARG") else set()
        if defined & used:
            return _No(
                f"`{_summary(ins)}` on line {_line(ins)} sets a variable that "
                f"`{_summary(copy.ins)}` uses, so the copy cannot move below it."
            )
        if ins.name == "WORKDIR":
            if not copy.dest.startswith("/"):
                return _No(
                    f"`{_summary(ins)}` on line {_line(ins)} changes the directory between the "
                    "source copy and the install, and the copy's destination is relative."
                )
            if chowned or _user_set(ctx, stage, ins):
                return _No(
                    f"`{_summary(ins)}` on line {_line(ins)} would create the directory "
                    "before the copy does, with another owner or mode."
                )
        if (
            ins.name == "RUN"
            and chowned
            and any(c.name == "mkdir" for c in ctx.script(ins).commands)
        ):
            return _No(
                f"`{_summary(ins)}` on line {_line(ins)} creates directories that the chowned "
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
    return path.startswith("/") and go_clean(path) == _workdirs(ctx, stage, ins)


def _hint(ctx: RuleContext, stage: Stage, ins: Instruction) -> str:
    """Point at another install's rewrite when applying it first clears the way."""
    commands = ctx.script(ins).commands
    step = dependency_step(commands[0]) if len(commands) == 1 else None
    if step is None or step.needs_sources or _prefetch_of(ctx, stage, ins, step) is not None:
        return ""
    return f" Apply the rewrite for the {_label(step.manager)} install first."


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


def _run_is_setup(ctx: RuleContext, ins: Instruction, copy: _Copy) -> bool:
    """A RUN that neither reads the sources nor writes where they go (``apt-get install``)."""
    for flag in ins.flags_named("mount"):
        options = flag.options()
        if options.get("type", "bind") == "bind" and "from" not in options:
            return False
    script = ctx.script(ins)
    if script.has_error or not (script.commands or script.assignments):
        return False
    if _unlisted_syntax(ctx, ins) is not None:
        return False
    return all(
        _independent(c, copy) or (_program(c.argv[0]) in _SHELL_STATE) for c in script.commands
    )


def _relative_path(text: str) -> bool:
    """A word that names a path relative to the working directory (``.``, ``src/x``)."""
    if not text or text.startswith(("/", "$", "~", "-", "@")) or "://" in text:
        return False
    return text in (".", "..") or text.startswith(("./", "../")) or "/" in text


def _independent(cmd: Command, copy: _Copy | None) -> bool:
    """Whether ``cmd`` changes only things outside the project and reads none of its files."""
    for redirect in cmd.redirects:
        target = redirect.target.text if redirect.target is not None else ""
        if redirect.operator.startswith("<<"):
            continue
        if not target.isdigit() and not target.startswith(("/", "&")) and target != "-":
            return False
    if cmd.in_substitution:
        return False
    name = _program(cmd.argv[0])
    args = cmd.args
    positionals = cmd.positionals()
    if any(_relative_path(w.text) for w in positionals):
        return False
    sub = positionals[0].text if positionals else ""
    if name in _PACKAGE_MANAGERS or name in _USER_TOOLS or name in ("corepack", "rustup"):
        return True
    if name in ("mkdir", "echo", "printf"):
        return True
    if name == "rm":
        if copy is None or not copy.dest.startswith("/"):
            return False
        inside = go_clean(copy.dest)
        return bool(positionals) and all(
            w.text.startswith("/")
            and not (go_clean(w.text) + "/").startswith(inside.rstrip("/") + "/")
            for w in positionals
        )
    if name in _JS:
        if sub == "config":
            return True
        global_install = cmd.has_option("-g", "--global") or sub == "global"
        return global_install and dependency_step(cmd) is None
    if name == "python" and len(args) >= 2 and args[0].text == "-m":
        module = args[1].text
        if module == "venv":
            return True
        if module == "pip":
            return _pip_named(cmd.shifted(2))
        return False
    if name == "pip":
        return _pip_named(cmd)
    if name == "gem":
        return sub in ("install", "update") and not any(
            w.text.endswith(".gem") for w in positionals
        )
    return _tool_setup(cmd, name, sub)


# Subcommands of project tools that change only the user's or the system's setup.
_TOOL_SETUP: dict[str, frozenset[str]] = {
    "poetry": frozenset({"self", "config"}),
    "uv": frozenset({"tool", "python"}),
    "go": frozenset({"install", "env"}),
    "cargo": frozenset({"install"}),
    "composer": frozenset({"global", "config"}),
    "bundle": frozenset({"config"}),
    "dotnet": frozenset({"tool"}),
}
_PROJECT_SCOPE = ("--local", "--location=project", "--project", "--tool-manifest")
_USER_SCOPE = ("-g", "--global", "--tool-path")


def _tool_setup(cmd: Command, name: str, sub: str) -> bool:
    """``poetry config virtualenvs.create false``, ``go install x@v1``, ``dotnet tool install
    -g x``: setup outside the project (never its files, never a project-level setting)."""
    if sub not in _TOOL_SETUP.get(name, frozenset()) or dependency_step(cmd) is not None:
        return False
    if any(w.text.split("=", 1)[0] in _PROJECT_SCOPE for w in cmd.args):
        return False
    if (name in ("composer", "bundle") and sub == "config") or name == "dotnet":
        return cmd.has_option(*_USER_SCOPE)
    return True


def _pip_named(cmd: Command) -> bool:
    """``pip install gunicorn`` or ``pip cache purge``: nothing from the project."""
    if dependency_step(cmd) is not None:
        return False
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    if sub in ("cache", "config"):
        return True
    if sub not in ("install", "uninstall"):
        return False
    return not any(
        opt.name in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable")
        or (opt.name in ("-f", "--find-links") and opt.value and _relative_path(opt.value.text))
        for opt in cmd.options()
    )


# --------------------------------------------------------------------------- where the install runs


def _workdirs(ctx: RuleContext, stage: Stage, until: Instruction) -> str | None:
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


def _install_directory(
    ctx: RuleContext, stage: Stage, copy: _Copy, anchor: Instruction, install: Instruction
) -> tuple[str, str | None] | _No:
    """Where the install runs, relative to where the sources land: ("", note) or ("web/", ...)."""
    at_copy = _workdirs(ctx, stage, anchor)
    at_install = _workdirs(ctx, stage, install)
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
        return _No(
            f"dockerls cannot tell whether the install runs where `{_summary(copy.ins)}` "
            "puts the sources."
        )
    if at_install == target:
        return "", None
    if at_install.startswith(target.rstrip("/") + "/"):
        rest = at_install[len(target.rstrip("/")) + 1 :]
        if _SAFE_NAME.match(rest):
            return rest + "/", None
    return _No(
        f"the install runs in {at_install}, not in {target} where `{_summary(copy.ins)}` "
        "puts the sources."
    )


# --------------------------------------------------------------------------- the install


def _index_of(commands: Sequence[Command], step: DependencyStep) -> int | None:
    for n, cmd in enumerate(commands):
        if cmd.span == step.command.span and any(w == step.word for w in cmd.argv):
            return n
    return None


def _shape(
    ctx: RuleContext, stage: Stage, install: Instruction, step: DependencyStep, copy: _Copy
) -> _Move | _Prefetch | _No:
    script = ctx.script(install)
    if script.has_error:
        return _No(f"the shell in `{_summary(install)}` could not be read completely.")
    commands = script.commands
    index = _index_of(commands, step)
    if index is None:
        return _No(f"dockerls could not place `{step.shown}` in `{_summary(install)}`.")
    cmd = commands[index]
    if cmd.in_substitution or cmd.in_condition:
        return _No(f"`{step.shown}` runs inside a condition or a substitution.")
    located = _elsewhere(step)
    if located is not None:
        return _No(located)
    prefetch = _prefetch_of(ctx, stage, install, step)
    if prefetch is not None:
        return prefetch
    return _moved(ctx, stage, install, step, copy=copy)


_ELSEWHERE: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.NPM: ("--prefix", "-C", "--workspace", "-w", "--workspaces", "--ws"),
    PackageManager.YARN: ("--cwd", "--modules-folder"),
    PackageManager.PNPM: ("-C", "--dir", "--filter", "-F", "-r", "--recursive", "-w"),
    PackageManager.BUN: ("--cwd", "--filter"),
    PackageManager.POETRY: ("-C", "--directory", "-P", "--project"),
    PackageManager.UV: ("--directory", "--project", "--package", "--target", "--prefix"),
    PackageManager.PIPENV: (),
    PackageManager.PIP: ("--src",),
    PackageManager.GO: ("-C", "-modfile"),
    PackageManager.CARGO: ("--manifest-path",),
    PackageManager.BUNDLER: ("--gemfile",),
    PackageManager.COMPOSER: ("-d", "--working-dir"),
    PackageManager.MAVEN: ("-f", "--file", "-s", "--settings", "-gs", "--global-settings"),
    PackageManager.GRADLE: ("-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file"),
    PackageManager.DOTNET: (),
}


def _elsewhere(step: DependencyStep) -> str | None:
    """Why the step reads files that the manifest copy cannot know, if it does."""
    cmd = step.command
    names = _ELSEWHERE[step.manager]
    args = cmd.args
    for n, word in enumerate(args):
        text = word.text
        glued = not text.startswith("--") and text[:2] in names
        if text.split("=", 1)[0] in names or glued:
            value = args[n + 1].text if "=" not in text and not glued and n + 1 < len(args) else ""
            shown = f"{text} {value}".rstrip()
            return f"`{step.shown} {shown}` installs from another directory or other files."
    if step.local:
        return f"`{step.shown}` installs the project itself from its sources."
    if step.manager in (PackageManager.PIP, PackageManager.UV):
        for opt in cmd.options():
            value = opt.value.text if opt.value is not None else ""
            if opt.name in ("-e", "--editable", "-f", "--find-links") and _relative_path(value):
                return f"`{step.shown} {opt.name} {value}` reads files from the sources."
        for word in cmd.positionals()[1:]:
            if word.text.startswith((".", "/")) or word.text.endswith((".whl", ".tar.gz")):
                return f"`{step.shown} {word.text}` installs files from the sources."
    if any(w.dynamic for w in cmd.argv):
        return f"`{step.shown}` uses a shell variable dockerls cannot resolve."
    return None


def _flag_present(cmd: Command, *names: str) -> bool:
    return any(w.text.split("=", 1)[0] in names for w in cmd.args)


def _tool_installed_before(commands: Sequence[Command], index: int, tool: str) -> Command | None:
    """A command before ``index`` that names ``tool`` (``pip install poetry==1.8``, a URL)."""
    for cmd in commands[:index]:
        for word in cmd.argv[1:]:
            text = word.text.lower()
            if tool in re.split(r"[^a-z0-9]+", text) or ("://" in text and tool in text):
                return cmd
    return None


def _prefetch_of(
    ctx: RuleContext, stage: Stage, install: Instruction, step: DependencyStep
) -> _Prefetch | _No | None:
    """The dependency-only command for a step that also needs the sources; None to move it."""
    commands = ctx.script(install).commands
    index = _index_of(commands, step) or 0
    cmd = step.command
    manager = step.manager
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    extra: list[str]
    replace = True  # the prefetch replaces the arguments (``go build`` -> ``go mod download``)
    if manager is PackageManager.GO:
        if sub == "get":
            return _No(
                f"`{step.shown}` resolves what the sources import, so it needs them (and in "
                "GOPATH mode there is nothing to download first)."
            )
        if sub == "mod" and len(positionals) > 1 and positionals[1].text == "download":
            return None
        extra = ["mod", "download"]
    elif manager is PackageManager.CARGO:
        if sub == "chef":
            return _No("`cargo chef cook` reads a recipe prepared in another stage.")
        extra = ["fetch"]
    elif manager is PackageManager.MAVEN:
        if all(p.text.startswith("dependency:") for p in positionals):
            return None
        extra = ["-B", *_maven_options(cmd), "dependency:go-offline"]
    elif manager is PackageManager.GRADLE:
        if all(p.text in ("dependencies", "resolveDependencies") for p in positionals):
            return None
        extra = ["dependencies"]
        if _flag_present(cmd, "--no-daemon"):
            extra.append("--no-daemon")
    elif manager is PackageManager.DOTNET:
        if not step.implicit:
            return None
        extra = ["restore", *_dotnet_options(cmd)]
    elif manager is PackageManager.POETRY:
        if _flag_present(cmd, "--no-root", "--only-root"):
            return None
        replace, extra = False, ["--no-root"]
    elif manager is PackageManager.UV:
        if sub != "sync" or _flag_present(cmd, "--no-install-project", "--no-install-workspace"):
            return None
        replace, extra = False, ["--no-install-project"]
    elif manager is PackageManager.COMPOSER:
        missing = [f for f in ("--no-scripts", "--no-autoloader") if not _flag_present(cmd, f)]
        if not missing:
            return None
        replace, extra = False, missing
    else:
        return None
    tool = _program(cmd.argv[0])
    before = _tool_installed_before(commands, index, tool.removesuffix("w"))
    if before is not None:
        return _No(
            f"`{' '.join(w.text for w in before.argv[:4])}` in the same RUN provides "
            f"{tool}, so a download step above the sources would run without it."
        )
    if ctx.ships(stage):
        for other in commands:
            if _cleans_cache_of(other, manager):
                return _No(
                    f"`{' '.join(w.text for w in other.argv[:4])}` removes what the install "
                    "downloads in the same layer; a separate download layer would keep it in "
                    "the image."
                )
    head = [*cmd.prefix_words, cmd.argv[0]]
    words = [w.raw for w in head]
    if not replace:
        words = [w.raw for w in (*cmd.prefix_words, *cmd.argv)]
    words += extra
    assignments = [
        f"{a.name}={a.value.raw if a.value is not None else ''}" for a in cmd.assignments
    ]
    shell = " ".join([*assignments, *words])
    argv: tuple[str, ...] | None = None
    if install.exec_form is not None:
        kept = head if replace else [*cmd.prefix_words, *cmd.argv]
        argv = (*(w.text for w in kept), *extra)
    if manager is PackageManager.CARGO:
        if not is_posix_shell(ctx.shell(install)):
            return _No("the placeholder `cargo fetch` needs a POSIX shell, and SHELL sets another.")
        shell = f"mkdir -p src && echo 'fn main() {{}}' > src/main.rs && {shell} && rm -r src"
        argv = None
        shown = " ".join(words)
    elif argv is not None:
        shown = " ".join(argv)
    else:
        shown = " ".join(words)
    if any("\n" in part or "\r" in part for part in (shell, *(argv or ()))):
        return _No(f"`{step.shown}` is written across lines in a way dockerls cannot copy.")
    return _Prefetch(shell, argv, shown)


def _maven_options(cmd: Command) -> list[str]:
    """Profiles and properties of a Maven command (they change what it resolves)."""
    kept: list[str] = []
    args = cmd.args
    i = 0
    while i < len(args):
        text = args[i].raw
        if text in ("-P", "--activate-profiles", "-D", "--define") and i + 1 < len(args):
            kept += [text, args[i + 1].raw]
            i += 2
            continue
        if text.startswith(("-P", "-D", "--activate-profiles=", "--define=")):
            kept.append(text)
        i += 1
    return kept


def _dotnet_options(cmd: Command) -> list[str]:
    """The project files and target runtime of a dotnet build (restore needs the same)."""
    kept: list[str] = []
    args = cmd.args
    i = 0
    while i < len(args):
        raw, text = args[i].raw, args[i].text
        if text in ("-r", "--runtime", "-a", "--arch", "--os") and i + 1 < len(args):
            kept += [raw, args[i + 1].raw]
            i += 2
            continue
        if text.startswith(("--runtime=", "--arch=", "--os=")) or re.search(
            r"\.(csproj|fsproj|vbproj|sln|slnx)$", text, re.IGNORECASE
        ):
            kept.append(raw)
        i += 1
    return kept


_CACHE_WORDS = (
    "cache",
    ".npm",
    ".m2",
    ".gradle",
    "pkg/mod",
    "registry",
    ".nuget",
    "composer",
    "bundle",
    "pip",
    "yarn",
    "pnpm",
    ".cargo",
)


def _cleans_dependency_cache(cmd: Command) -> bool:
    """``npm cache clean``, ``go clean -modcache``, ``rm -rf /root/.m2``..."""
    name = _program(cmd.argv[0])
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    rest = positionals[1].text if len(positionals) > 1 else ""
    if name in _JS and (sub == "cache" or (name == "pnpm" and sub == "store")):
        return True
    if name == "pip" and sub == "cache":
        return True
    if name == "composer" and sub in ("clear-cache", "clearcache", "cc"):
        return True
    if name == "go" and sub == "clean":
        return True
    if name in ("gem", "bundle") and sub in ("cleanup", "clean"):
        return True
    if name == "dotnet" and sub == "nuget" and rest == "locals":
        return True
    if name == "mvn" and any("purge-local-repository" in w.text for w in positionals):
        return True
    if name == "rm":
        return any(any(k in w.text for k in _CACHE_WORDS) for w in positionals)
    return False


# What names each manager's download cache in a cleanup command.
_CACHE_HINTS: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.GO: ("pkg/mod", "go-build", "modcache"),
    PackageManager.CARGO: ("cargo",),
    PackageManager.MAVEN: (".m2", "purge-local-repository"),
    PackageManager.GRADLE: (".gradle",),
    PackageManager.DOTNET: (".nuget", "nuget"),
    PackageManager.POETRY: ("pypoetry", "poetry", ".cache"),
    PackageManager.UV: ("uv", ".cache"),
    PackageManager.COMPOSER: ("composer",),
}


def _cleans_cache_of(cmd: Command, pm: PackageManager) -> bool:
    """A cleanup of ``pm``'s downloads (``go clean -modcache``, ``rm -rf /root/.m2``)."""
    if not _cleans_dependency_cache(cmd):
        return False
    text = " ".join(w.text for w in cmd.argv)
    return any(hint in text for hint in _CACHE_HINTS.get(pm, ()))


def _cleans_up(cmd: Command) -> bool:
    """A cleanup of a dependency cache or of system packages."""
    if _cleans_dependency_cache(cmd):
        return True
    name = _program(cmd.argv[0])
    positionals = cmd.positionals()
    sub = positionals[0].text if positionals else ""
    if name in ("apt-get", "apt") and sub in ("clean", "purge", "remove", "autoremove"):
        return True
    if name == "apk" and sub == "del":
        return True
    if name in ("yum", "dnf", "microdnf") and sub in ("clean", "remove"):
        return True
    return name == "rm" and any(w.text.startswith(("/var/", "/tmp")) for w in positionals)


def _cleanup_outside(cmd: Command, copy: _Copy) -> bool:
    """A cleanup that touches only caches and system packages, not the project."""
    if not _cleans_up(cmd):
        return False
    if _program(cmd.argv[0]) != "rm":
        return True
    return _independent(cmd, copy) or all(
        w.text.startswith(("/root/", "~/", "$HOME/", "/tmp/", "/var/")) for w in cmd.positionals()
    )


def _unlisted_syntax(ctx: RuleContext, ins: Instruction) -> str | None:
    """Shell text of a RUN that is neither a listed command nor a separator: ``if``,
    ``[ -f x ]``, ``for``, ``{``... (the shell layer does not list them as commands)."""
    if ins.exec_form is not None or ins.rest is None:
        return None
    script = ctx.script(ins)
    src = _Source(ctx.document)
    start = src.offset(ins.rest.span.start)
    end = src.offset(ins.span.end)
    chars = list(src.text[start:end])
    spans = [c.span for c in script.commands] + [a.span for a in script.assignments]
    spans += [r.span for c in script.commands for r in c.redirects]
    spans += [h.marker.span for h in ins.heredocs]
    spans += [h.terminator for h in ins.heredocs if h.terminator is not None]
    for span in spans:
        for i in range(max(src.offset(span.start), start), min(src.offset(span.end), end)):
            chars[i - start] = " "
    escape = ctx.document.escape
    for line in re.split(r"\r\n|\r|\n", "".join(chars)):
        text = line.strip()
        if text.startswith("#"):
            continue
        if text.endswith(escape):
            text = text[: -len(escape)]
        leftover = text.replace("&&", " ").replace("||", " ")
        for ch in ";|&":
            leftover = leftover.replace(ch, " ")
        if leftover.strip():
            return leftover.split()[0]
    return None


def _moved(
    ctx: RuleContext, stage: Stage, install: Instruction, step: DependencyStep, *, copy: _Copy
) -> _Move | _No:
    """Which commands move with the install: setup before it, the same manager's installs and
    cleanups right after it."""
    commands = ctx.script(install).commands
    index = _index_of(commands, step) or 0
    last = index
    while last + 1 < len(commands):
        nxt = commands[last + 1]
        following = dependency_step(nxt)
        same = (
            following is not None
            and following.manager is step.manager
            and not following.needs_sources
            and _elsewhere(following) is None
            and _prefetch_of(ctx, stage, install, following) is None
        )
        if not (same or _cleanup_outside(nxt, copy)):
            break
        last += 1
    whole = last == len(commands) - 1
    if not whole:
        if ctx.ships(stage):
            for cmd in commands[last + 1 :]:
                if _cleans_up(cmd):
                    return _No(
                        f"`{' '.join(w.text for w in cmd.argv[:4])}` later in the same RUN "
                        "cleans up after the install; splitting the RUN would keep the "
                        "leftovers in the image."
                    )
        reason = _split_problem(ctx, install, commands, last)
        if reason is not None:
            return _No(reason)
    for cmd in commands[:index]:
        shell_state = _program(cmd.argv[0]) in _SHELL_STATE
        if not (_independent(cmd, copy) or (whole and shell_state)):
            return _No(
                f"`{' '.join(w.text for w in cmd.argv[:4])}` runs before `{step.shown}` in "
                "the same RUN, and dockerls cannot tell whether it needs the sources."
            )
    if whole:
        hidden = _unlisted_syntax(ctx, install)
        if hidden is not None:
            return _No(
                f"`{_summary(install)}` uses shell syntax dockerls does not follow "
                f"(`{hidden}`), so it cannot tell what else the RUN reads."
            )
    return _Move(0, last, whole)


def _split_problem(
    ctx: RuleContext, install: Instruction, commands: Sequence[Command], last: int
) -> str | None:
    """Why the RUN cannot be split after ``commands[last]``, if it cannot.

    Splitting keeps ``a && b`` meaning the same (``b`` runs only when ``a`` succeeded,
    and a failure fails the build either way); ``;``, ``||``, pipes and anything
    that carries shell state from one part to the other would not.
    """
    what = f"`{_summary(install)}` cannot be split safely"
    if install.exec_form is not None or install.heredocs or install.rest is None:
        return f"{what}: it is not a plain shell command line."
    moved = commands[: last + 1]
    if any(c.in_subshell or c.in_condition or c.in_substitution or c.wrappers for c in moved):
        return f"{what}: it uses subshells, conditions or a nested shell."
    if moved[0].span.start != install.rest.span.start:
        return f"{what}: it does not start with a simple command."
    src = _Source(ctx.document)
    rest = commands[last + 1 :]
    ends = [_command_end(c) for c in moved]
    starts = [c.span.start for c in moved[1:]] + [min(c.span.start for c in rest)]
    for end, start in zip(ends, starts, strict=True):
        if end > start or not _separator_ok(src, end, start, ctx.document.escape):
            return f"{what}: the install is not followed by a plain `&&`."
    return None


# --------------------------------------------------------------------------- which files


_LOCKFILE_FLAGS: dict[PackageManager, tuple[str, ...]] = {
    # Options that fail the install when the lockfile is missing: it exists.
    PackageManager.YARN: ("--immutable",),
    PackageManager.PNPM: ("--frozen-lockfile",),
    PackageManager.UV: ("--locked", "--frozen"),
    PackageManager.BUNDLER: ("--frozen", "--deployment"),
}

_CONFIG_FILES: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.NPM: (".npmrc",),
    PackageManager.YARN: (".yarnrc", ".yarnrc.yml", ".npmrc"),
    PackageManager.PNPM: (".npmrc", ".pnpmfile.cjs"),
    PackageManager.BUN: ("bunfig.toml", ".npmrc"),
    PackageManager.POETRY: ("poetry.toml",),
    PackageManager.UV: (".python-version", "uv.toml"),
    PackageManager.PIPENV: (),
    PackageManager.PIP: (),
    PackageManager.GO: (),
    PackageManager.CARGO: (),
    PackageManager.BUNDLER: (),
    PackageManager.COMPOSER: ("auth.json",),
    PackageManager.MAVEN: (),
    PackageManager.GRADLE: ("gradle.properties",),
    PackageManager.DOTNET: (
        "nuget.config",
        "NuGet.config",
        "NuGet.Config",
        "global.json",
        "Directory.Build.props",
        "Directory.Build.targets",
        "Directory.Packages.props",
    ),
}

_MANIFEST: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.NPM: ("package.json",),
    PackageManager.YARN: ("package.json",),
    PackageManager.PNPM: ("package.json",),
    PackageManager.BUN: ("package.json",),
    PackageManager.POETRY: ("pyproject.toml",),
    PackageManager.UV: ("pyproject.toml",),
    PackageManager.PIPENV: ("Pipfile",),
    PackageManager.GO: ("go.mod",),
    PackageManager.CARGO: ("Cargo.toml",),
    PackageManager.BUNDLER: ("Gemfile",),
    PackageManager.COMPOSER: ("composer.json",),
    PackageManager.MAVEN: ("pom.xml",),
}

_LOCKFILES: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.NPM: ("package-lock.json", "npm-shrinkwrap.json"),
    PackageManager.YARN: ("yarn.lock",),
    PackageManager.PNPM: ("pnpm-lock.yaml",),
    PackageManager.BUN: ("bun.lockb", "bun.lock"),
    PackageManager.POETRY: ("poetry.lock",),
    PackageManager.UV: ("uv.lock",),
    PackageManager.PIPENV: ("Pipfile.lock",),
    PackageManager.GO: ("go.sum",),
    PackageManager.CARGO: ("Cargo.lock",),
    PackageManager.BUNDLER: ("Gemfile.lock",),
    PackageManager.COMPOSER: ("composer.lock",),
    PackageManager.MAVEN: (),
}

# Without a context: one pattern that matches the manifest and the lockfile, whatever exists.
_PATTERNS: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.NPM: ("package*.json",),
    PackageManager.PIPENV: ("Pipfile*",),
    PackageManager.GO: ("go.*",),
    PackageManager.CARGO: ("Cargo.*",),
    PackageManager.BUNDLER: ("Gemfile*",),
    PackageManager.COMPOSER: ("composer.*",),
    PackageManager.MAVEN: ("pom.xml",),
}

_GRADLE_FILES = ("settings.gradle", "settings.gradle.kts", "build.gradle", "build.gradle.kts")
_GRADLE_NOTE = "gradle.properties, buildSrc/ or a version catalog, if any, are not copied"


def _files(ctx: RuleContext, step: DependencyStep, prefix: str) -> _Files | _No:
    """The files the install reads before it needs the sources, relative to where it runs.

    ``prefix`` is where that directory is in the build context (``""`` for its root).
    """
    build = ctx.build_context
    known = build.known and build.listing_complete and prefix == ""
    manager = step.manager
    if manager in (PackageManager.PIP,) or (manager is PackageManager.UV and step.files):
        return _requirement_files(ctx, step, prefix, known)
    if manager is PackageManager.GRADLE:
        return _gradle_files(ctx, step, known)
    if manager is PackageManager.DOTNET:
        return _dotnet_files(ctx, step, known)
    wrapper = _wrapper(step)
    if not known:
        return _guessed_files(step, prefix, wrapper, build.known and build.listing_complete)
    names: list[str] = []
    for manifest in _MANIFEST[manager]:
        if not build.has_file(manifest):
            return _No(f"{manifest} is not at the root of the build context.")
        if build.sends_to_daemon(manifest) is False:
            return _No(f"{manifest} is excluded by the .dockerignore.")
        names.append(manifest)
    if manager is PackageManager.PNPM and build.has_file("pnpm-workspace.yaml"):
        return _No(
            "pnpm-workspace.yaml makes this a workspace: the packages' own package.json "
            "files are needed too."
        )
    for name in (*_LOCKFILES[manager], *_CONFIG_FILES[manager]):
        sent = build.has_file(name) and build.sends_to_daemon(name) is not False
        if sent and _SAFE_NAME.match(name):
            names.append(name)
    directories: list[str] = []
    if wrapper is not None:
        if not build.has_file(wrapper):
            return _No(f"{wrapper} is not at the root of the build context.")
        names.append(wrapper)
    for directory in _tool_directories(manager, names):
        if build.has_directory(directory) and build.directory_sent(directory) is not False:
            directories.append(directory)
    if manager in _JS_MANAGERS and build.has_file("binding.gyp"):
        # Without an install script of its own, binding.gyp makes the install run
        # `node-gyp rebuild` on the project itself, which compiles the sources.
        return _No(
            "binding.gyp makes the install build this package's own native addon "
            "(node-gyp rebuild), which needs its sources: with only the manifests copied "
            "first, the addon would not be built."
        )
    notes: list[str] = []
    if manager in _JS_MANAGERS and build.package_json is not None:
        scripts = [
            s
            for s in ("preinstall", "install", "postinstall", "prepare")
            if build.package_json.script(s)
        ]
        if scripts:
            notes.append(
                f"package.json runs `{scripts[0]}` during the install, which may need the sources"
            )
    if manager is PackageManager.CARGO:
        notes.append(_CARGO_NOTE)
    return _Files(tuple(names), tuple(directories), tuple(notes))


_CARGO_NOTE = "uses a placeholder src/main.rs; workspace members need their Cargo.toml too"


def _tool_directories(manager: PackageManager, names: Sequence[str]) -> tuple[str, ...]:
    """Directories of tool configuration the install reads (copied when they exist)."""
    if manager is PackageManager.MAVEN:
        return (".mvn",)
    if manager is PackageManager.YARN and ".yarnrc.yml" in names:
        return (".yarn",)
    if manager is PackageManager.CARGO:
        return (".cargo",)
    return ()


def _wrapper(step: DependencyStep) -> str | None:
    """``mvnw``/``gradlew`` when the step runs the project's wrapper script."""
    word = step.command.argv[0].text
    base = word.rsplit("/", 1)[-1]
    if base not in ("mvnw", "gradlew"):
        return None
    path = go_clean(word)
    return path if "/" not in path and _SAFE_NAME.match(path) else None


def _guessed_files(
    step: DependencyStep, prefix: str, wrapper: str | None, known: bool
) -> _Files | _No:
    """Files without a context listing: only names the install proves exist, or patterns."""
    manager = step.manager
    where = "the build context is unknown"
    if known:
        where = f"only the root of the build context is listed, not {prefix}"
    pattern = _PATTERNS.get(manager)
    names: list[str]
    if pattern is not None:
        names = [prefix + p for p in pattern]
    else:
        proven = _LOCKFILE_FLAGS.get(manager, ())
        pnpm_fetch = manager is PackageManager.PNPM and step.word.text == "fetch"
        if not (pnpm_fetch or (proven and _flag_present(step.command, *proven))):
            lockfile = _join(list(_LOCKFILES.get(manager, ())))
            return _No(
                f"{where}, so dockerls cannot tell whether {lockfile} exists (COPY fails on a "
                "missing file, and installing without the lockfile would change versions)."
            )
        names = [prefix + n for n in (*_MANIFEST[manager], *_LOCKFILES[manager][:1])]
    directories: list[str] = []
    if wrapper is not None:
        names.append(prefix + wrapper)
        if manager is PackageManager.MAVEN:
            directories.append(prefix + ".mvn")
    notes = (_CARGO_NOTE,) if manager is PackageManager.CARGO else ()
    return _Files(tuple(names), tuple(directories), notes)


def _requirement_files(
    ctx: RuleContext, step: DependencyStep, prefix: str, known: bool
) -> _Files | _No:
    build = ctx.build_context
    named: list[str] = list(step.files)
    for opt in step.command.options():
        if opt.name in ("-c", "--constraint") and opt.value is not None:
            named.append(opt.value.text)
    if not named:
        return _No(f"`{step.shown}` names no requirements file to copy first.")
    names: list[str] = []
    directories: list[str] = []
    for name in named:
        path = go_clean(name)
        if (
            "$" in name
            or path.startswith(("..", "/"))
            or not _SAFE_NAME.match(path)
            or any(ch in path for ch in "*?[")
        ):
            return _No(f"the requirements file `{name}` is outside the sources or not plain.")
        if "/" in path:
            top = path.split("/", 1)[0]
            if top.lower().startswith("req"):
                directories.append(prefix + top)
            else:
                names.append(prefix + path)
            continue
        if known:
            if not build.has_file(path):
                return _No(f"{path} is not at the root of the build context.")
            if build.sends_to_daemon(path) is False:
                return _No(f"{path} is excluded by the .dockerignore.")
            siblings = sorted(
                f
                for f in build.files
                if "/" not in f
                and fnmatchcase(f, "requirements*.txt")
                and build.sends_to_daemon(f) is not False
                and _SAFE_NAME.match(f)
            )
            names.extend(siblings if fnmatchcase(path, "requirements*.txt") else [path])
        elif fnmatchcase(path, "requirements*.txt"):
            names.append(prefix + "requirements*.txt")
        else:
            names.append(prefix + path)
    return _Files(tuple(dict.fromkeys(names)), tuple(dict.fromkeys(directories)))


def _gradle_files(ctx: RuleContext, step: DependencyStep, known: bool) -> _Files | _No:
    build = ctx.build_context
    wrapper = _wrapper(step)
    if not known:
        names = ["*.gradle*"]
        directories: list[str] = []
        if wrapper is not None:
            names.append(wrapper)
            directories.append("gradle")
        return _Files(
            tuple(names),
            tuple(directories),
            (_GRADLE_NOTE,),
        )
    candidates = (*_GRADLE_FILES, "gradle.properties", "gradle.lockfile")
    names = [f for f in candidates if build.has_file(f)]
    if not any(f in names for f in _GRADLE_FILES):
        return _No("no settings.gradle or build.gradle at the root of the build context.")
    if wrapper is not None:
        if not build.has_file(wrapper):
            return _No(f"{wrapper} is not at the root of the build context.")
        names.append(wrapper)
    names = [n for n in names if build.sends_to_daemon(n) is not False]
    directories = [
        d
        for d in ("gradle", "buildSrc")
        if build.has_directory(d) and build.directory_sent(d) is not False
    ]
    return _Files(tuple(names), tuple(directories))


def _dotnet_files(ctx: RuleContext, step: DependencyStep, known: bool) -> _Files | _No:
    build = ctx.build_context
    named: list[str] = []
    for word in step.files:
        path = go_clean(word)
        if "$" in word or path.startswith(("..", "/")) or not _SAFE_NAME.match(path):
            return _No(f"the project file `{word}` is outside the sources or not plain.")
        named.append(path)
    if not known:
        if not named:
            return _No(
                "the build context is unknown and the command names no project file, so "
                "dockerls cannot tell which project files to copy."
            )
        return _Files(
            tuple(named),
            (),
            ("other projects it references, Directory.Build.props or NuGet.config are not copied",),
        )
    found = [
        f
        for f in sorted(build.files)
        if re.search(r"\.(csproj|fsproj|vbproj|sln|slnx)$", f, re.IGNORECASE)
        and _SAFE_NAME.match(f)
        and build.sends_to_daemon(f) is not False
    ]
    for path in named:
        if path not in found:
            if build.has_file(path) is False:
                return _No(f"{path} is not in the build context.")
            found.append(path)
    if not found:
        return _No("no project file (*.csproj, *.sln) at the root of the build context.")
    extra = [
        f
        for f in (*_CONFIG_FILES[PackageManager.DOTNET], "packages.lock.json")
        if build.has_file(f) and build.sends_to_daemon(f) is not False
    ]
    ordered = sorted(found, key=lambda f: ("/" in f, f))
    return _Files(tuple(dict.fromkeys([*ordered, *extra])))


_OUTPUTS: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.NPM: ("node_modules",),
    PackageManager.YARN: ("node_modules",),
    PackageManager.PNPM: ("node_modules",),
    PackageManager.BUN: ("node_modules",),
    PackageManager.POETRY: (".venv",),
    PackageManager.UV: (".venv",),
    PackageManager.PIPENV: (".venv",),
}


def _overwrite_notes(ctx: RuleContext, manager: PackageManager, prefix: str) -> list[str]:
    """Host directories that the source copy, now after the install, would copy over it."""
    if prefix:
        return []
    sent = ctx.build_context.big_directories_sent() or ()
    return [
        f"{d}/ is not in .dockerignore: COPY would overwrite the installed one"
        for d in _OUTPUTS.get(manager, ())
        if d in sent
    ]


# --------------------------------------------------------------------------- edits


def _edits(
    ctx: RuleContext,
    src: _Source,
    copy: _Copy,
    *,
    anchor: Instruction,
    install: Instruction,
    shape: _Move | _Prefetch,
    files: _Files,
    subdir: str,
    down: bool,
) -> tuple[TextEdit, ...]:
    doc = ctx.document
    nl = src.newline
    at = install if down else anchor
    manifest = _manifest_lines(src, copy, files, subdir, src.indent(at))
    install_start = _block_start(doc, install)
    anchor_start = _block_start(doc, anchor)
    edits: list[TextEdit] = []

    if isinstance(shape, _Prefetch):
        moved = _prefetch_line(src, install, shape, src.indent(at)) + nl
    elif shape.whole:
        moved = src.lines(install_start, install.end_line)
    else:
        moved = _split_head(src, install, shape, ctx) + nl

    if down:
        copy_text = src.lines(anchor_start, anchor.end_line)
        edits.append(_delete_lines(src, anchor_start, anchor.end_line))
        if isinstance(shape, _Move) and shape.whole:
            span = Span(Position(install_start, 0), Position(install.end_line + 1, 0))
            edits.append(TextEdit(span, manifest + moved + _ensure_nl(copy_text, nl)))
        else:
            point = Position(install_start, 0)
            edits.append(TextEdit(Span(point, point), manifest + moved + copy_text))
    else:
        gap = ""
        if isinstance(shape, _Move) and shape.whole:
            removal = _delete_lines(src, install_start, install.end_line)
            if removal.span.start.line < install_start:
                gap = nl
            edits.append(removal)
        point = Position(anchor_start, 0)
        edits.insert(0, TextEdit(Span(point, point), manifest + moved + gap))
    if isinstance(shape, _Move) and not shape.whole:
        edits.append(_split_tail(src, install, shape, ctx))
    return tuple(edits)


def _ensure_nl(text: str, nl: str) -> str:
    return text if text.endswith(("\n", "\r")) else text + nl


def _delete_lines(src: _Source, first: int, last: int) -> TextEdit:
    """Delete whole lines; when blank lines surround them, one blank line goes too."""
    doc = src.doc
    previous_end = max((i.end_line for i in doc.instructions if i.end_line < first), default=-1)
    if (
        src.blank(first - 1)
        and first - 1 > previous_end
        and (last + 1 >= len(doc.lines) or src.blank(last + 1))
    ):
        first -= 1
    return TextEdit(Span(Position(first, 0), Position(last + 1, 0)), "")


def _keyword(word: str, like: Token) -> str:
    return word.lower() if like.text.islower() else word


def _gap_after_keyword(src: _Source, ins: Instruction) -> str:
    line = src.doc.lines[ins.start_line] if ins.start_line < len(src.doc.lines) else ""
    rest = line[ins.keyword.span.end.column :]
    gap = rest[: len(rest) - len(rest.lstrip(" \t"))]
    return gap if gap and ins.keyword.span.end.line == ins.start_line else " "


def _manifest_lines(src: _Source, copy: _Copy, files: _Files, subdir: str, indent: str) -> str:
    """``COPY [flags] package.json package-lock.json ./`` (one COPY per directory)."""
    keyword = _keyword("COPY", copy.ins.keyword)
    gap = _gap_after_keyword(src, copy.ins)
    flags = "".join(f + " " for f in copy.flags)
    dest = copy.dest + subdir
    by_directory: dict[str, list[str]] = {}
    base = copy.prefix
    for name in files.names:
        relative = name[len(base) :] if name.startswith(base) else name
        directory = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
        by_directory.setdefault(directory, []).append(name)
    lines = [
        f"{indent}{keyword}{gap}{flags}{' '.join(names)} {dest}{directory}"
        for directory, names in by_directory.items()
    ]
    for directory in files.directories:
        relative = directory[len(base) :] if directory.startswith(base) else directory
        lines.append(f"{indent}{keyword}{gap}{flags}{directory} {dest}{relative}/")
    return "".join(line + src.newline for line in lines)


def _prefetch_line(src: _Source, install: Instruction, shape: _Prefetch, indent: str) -> str:
    keyword = _keyword("RUN", install.keyword)
    gap = _gap_after_keyword(src, install)
    flags = "".join(_flag_text(src, f) + " " for f in install.flags)
    body = json.dumps(list(shape.argv)) if shape.argv is not None else shape.shell
    return f"{indent}{keyword}{gap}{flags}{body}"


def _moved_commands(ctx: RuleContext, install: Instruction, shape: _Move) -> list[Command]:
    return list(ctx.script(install).commands[shape.first : shape.last + 1])


def _command_end(cmd: Command) -> Position:
    end = cmd.span.end
    for redirect in cmd.redirects:
        end = max(end, redirect.span.end)
    return end


def _split_head(src: _Source, install: Instruction, shape: _Move, ctx: RuleContext) -> str:
    """The RUN's keyword and flags as written, then the moved commands as written."""
    commands = _moved_commands(ctx, install, shape)
    header = src.slice(Position(install.start_line, 0), commands[0].span.start)
    body = src.slice(commands[0].span.start, max(_command_end(c) for c in commands))
    return header + body


def _split_tail(src: _Source, install: Instruction, shape: _Move, ctx: RuleContext) -> TextEdit:
    """Remove the moved commands and the ``&&`` after them from the RUN."""
    commands = ctx.script(install).commands
    start = commands[shape.first].span.start
    boundary = min(c.span.start for c in commands[shape.last + 1 :])
    return TextEdit(Span(start, boundary), "")


def _separator_ok(src: _Source, start: Position, end: Position, escape: str) -> bool:
    """Whether the text between two commands is exactly ``&&`` (with blanks, continuations
    and comment lines around it)."""
    text = src.slice(start, end)
    kept: list[str] = []
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text)):
        stripped = line.strip()
        if n > 0 and stripped.startswith("#"):
            continue
        if stripped.endswith(escape):
            stripped = stripped[: -len(escape)]
        kept.append(stripped)
    return "".join(kept).strip() == "&&"
