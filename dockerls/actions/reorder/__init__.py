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

Layout (like ``split``): ``core`` holds the results and what a rewrite is made of; the
planning below asks ``between`` (what lies between the copy and the install; with
``independent``, the commands that touch nothing of the project), ``workdirs`` (where
the install runs), ``install`` (whether it moves or gets a prefetch; with ``run_text``,
the RUN's text around its commands), ``files`` (what the manifest COPY takes) and
``edits`` (the text). What each package manager contributes (its files, options,
caches, the dependency-only command, what the build context says) is its ecosystem's
module's ``Manager`` (``node``, ``python``, ``go``, ``rust``, ``java``, ``dotnet``,
``php``, ``ruby``), listed in ``ecosystems``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dockerls.actions.reorder.between import needs_moving_down
from dockerls.actions.reorder.core import (
    SAFE_NAME,
    Copy,
    No,
    NotReorderable,
    Prefetch,
    ReorderAction,
    Reorders,
    Source,
    flag_text,
    summary,
)
from dockerls.actions.reorder.ecosystems import label
from dockerls.actions.reorder.edits import edits_for
from dockerls.actions.reorder.files import files_to_copy, overwrite_notes
from dockerls.actions.reorder.install import shape_of
from dockerls.actions.reorder.workdirs import install_directory
from dockerls.context import PackageManager
from dockerls.dockerignore import go_clean
from dockerls.edits import EditConflict, apply_edits
from dockerls.findings import TextEdit
from dockerls.graph import build_graph
from dockerls.rules.cache.source_before_install import (
    SourceBeforeInstall,
    SourceKind,
    find_source_before_install,
)
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Instruction, Position, Stage, parse
from dockerls.wording import join

__all__ = [
    "NotReorderable",
    "ReorderAction",
    "Reorders",
    "plan_reorders",
    "reorder_for_cache",
    "reorders",
    "why_not",
]


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
            f"`{summary(first.copy)}` is in {name} and the install in {_stage_name(stage)}: "
            "moving the install into the parent stage would change every stage built on it."
        )
    items = sorted(group.items, key=lambda i: own[id(i.copy)])
    primary = next((i for i in items if i.kind.whole), None)
    if primary is None:
        what = "source files" if first.kind is SourceKind.FILES else "a source directory"
        return no(
            f"`{summary(first.copy)}` copies {what}, not the whole project: move "
            f"the {label(manager)} install above it by hand."
        )
    src = Source(doc)
    copy = _copy_of(src, primary)
    if isinstance(copy, No):
        return no(copy.reason)
    anchor = items[0].copy
    install = group.install
    between = [
        ins
        for ins in stage.instructions[own[id(anchor)] + 1 : own[id(install)]]
        if all(ins is not i.copy for i in items)
    ]
    down = needs_moving_down(ctx, stage, between, copy, len(items))
    if isinstance(down, No):
        return no(down.reason)
    where = install_directory(ctx, stage, copy, anchor, install)
    if isinstance(where, No):
        return no(where.reason)
    subdir, where_note = where
    shape = shape_of(ctx, stage, install, step, copy)
    if isinstance(shape, No):
        return no(shape.reason)
    files = files_to_copy(ctx, step, copy.prefix + subdir)
    if isinstance(files, No):
        return no(files.reason)
    notes = [*files.notes, *overwrite_notes(ctx, manager, copy.prefix + subdir)]
    if where_note:
        notes.append(where_note)
    edits = edits_for(
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
    what = f"Copy {join(listed)}"
    if isinstance(shape, Prefetch):
        what += f" and run `{shape.shown}`"
    title = f"{what} before {_summary_copy(copy)} ({label(manager)})"
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
                f"`{summary(item.copy)}` would still come before the {label(manager)} "
                "install: move it below by hand first."
            )
    return None


def _stage_name(stage: Stage) -> str:
    if stage.name is not None:
        return f"stage `{stage.name.text}`"
    return f"stage {stage.index}"


def _summary_copy(copy: Copy) -> str:
    words = copy.ins.exec_form.elements if copy.ins.exec_form is not None else copy.ins.args
    return " ".join([copy.ins.keyword.text.upper(), *(w.text for w in words)])


# --------------------------------------------------------------------------- the source copy

# Flags of the source copy that the manifest copy takes over.
_COPY_FLAGS = frozenset({"chown", "chmod", "link", "exclude"})


def _copy_of(src: Source, item: SourceBeforeInstall) -> Copy | No:
    ins = item.copy
    words = ins.exec_form.elements if ins.exec_form is not None else ins.args
    if len(words) != 2 or words[0].span != item.source.span:
        return No(f"`{summary(ins)}` copies several sources at once: reorder it by hand.")
    flags = []
    for flag in ins.flags:
        name = flag.name.text.lower()
        if name not in _COPY_FLAGS:
            return No(f"`--{flag.name.text}` on `{summary(ins)}` is not carried over safely.")
        flags.append(flag)
    source = item.source.text
    path = go_clean(source).lstrip("/") or "."
    if (
        "$" in source
        or path.startswith("..")
        or any(ch in path for ch in "*?[")
        or (path != "." and not SAFE_NAME.match(path))
    ):
        return No(f"the source `{source}` of `{summary(ins)}` is not a plain directory.")
    dest = words[-1].text
    if not dest or any(ch.isspace() or ch in "\"'`\\" for ch in dest):
        return No(f"the destination `{dest}` of `{summary(ins)}` needs quoting.")
    if dest.endswith("/."):
        dest = dest[:-1]
    if dest == ".":
        dest = "./"
    elif not dest.endswith("/"):
        dest += "/"
    prefix = "" if path == "." else path + "/"
    flag_texts = tuple(flag_text(src, f) for f in flags)
    return Copy(ins, item.source, prefix, dest, flag_texts)
