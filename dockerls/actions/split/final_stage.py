"""The final-stage refactor of a multi-stage Dockerfile (Node, Python): the stage that ships is
slimmed where DKL201/DKL204 find it carrying what a split would remove, and nothing else
changes::

    FROM node:20 AS build                     FROM node:20 AS build
    ...                                       ...
    RUN npm ci                                RUN npm ci
    RUN npm run build                         RUN npm run build

    FROM node:20                        ->    FROM build AS deps
    WORKDIR /app                              RUN npm prune --omit=dev
    COPY --from=build /app/node_modules ...
    COPY --from=build /app/dist ./dist        FROM node:20-slim
    CMD ["node", "dist/server.js"]            WORKDIR /app
                                              COPY --from=deps /app/node_modules ...
                                              COPY --from=build /app/dist ./dist
                                              CMD ["node", "dist/server.js"]

* **Rebase** (DKL201): the final stage's ``FROM`` names the slim variant of the same
  family, version and Debian release (``node:20-bookworm`` -> ``node:20-bookworm-slim``),
  unless the stage uses what only the full image has (compilers, make, git, curl, wget,
  python3 in its RUNs, CMD/ENTRYPOINT or a HEALTHCHECK calling curl/wget) and does not
  install it itself (its apt installs are kept and run on the slim image too).
* **Production dependencies** (DKL204): the copies DKL204 reports (a ``node_modules``,
  or a directory holding it, copied from a builder after a full install) are taken from a
  ``deps`` stage ``FROM <builder>`` that prunes the development dependencies
  (``node_project.prune_line``: ``npm prune --omit=dev``, yarn 1, pnpm, bun; Yarn 2+:
  ``yarn workspaces focus --all --production``, the node-modules linker), inserted
  before the final stage; what the build generated inside node_modules stays.
* **Python**: the rebase only (``python:3.12`` -> ``python:3.12-slim``), with a RUN right
  after ``FROM`` installing the run-time libraries of the ``-dev`` packages the stages it
  copies from installed (``runtime_images``: ``libpq-dev`` -> ``libpq5``, by the names of
  the tag's Debian release), which the full image had; DKL204 is left to its quick fix.

* **A chain** (the final stage built FROM another stage of the file): the rebase rewrites
  the FROM at the top of the chain (every stage of it checked for full-image tools), unless
  another stage is built on the chain too; development dependencies installed in the chain
  stay, with the reason (a later layer cannot remove them; a development server needs them).

Every other line, the builder stages included, is kept byte for byte. Pure, never raises
on input (the caller guards it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dockerls.actions.split.core import block_start, install_line, newline, verify
from dockerls.actions.split.node_project import (
    berry_facts,
    berry_notes,
    berry_prune,
    dependency_install,
    dev_imports,
    prune_line,
)
from dockerls.actions.split.original_stage import (
    commands,
    cwd_of,
    healthcheck,
    installed_packages,
    started_tools,
)
from dockerls.actions.split.plan import SplitAction
from dockerls.actions.split.python import PYTHON_PRESENT
from dockerls.actions.split.runtime_images import (
    NEWEST_DEBIAN,
    debian_release,
    for_release,
    mb,
    runtime_libraries,
    unknown_libraries,
)
from dockerls.findings import TextEdit
from dockerls.graph import CopyEdge
from dockerls.knowledge.images import Alternative, ImageInfo, alternatives
from dockerls.rules.engine import Hit, RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.rules.stages.dkl201_full_language_base import full_language_base, reference_edit
from dockerls.rules.stages.dkl202_build_tools_in_final_image import build_tools_in_final_image
from dockerls.rules.stages.dkl204_dev_dependencies_in_final_image import (
    dev_dependencies_in_final_image,
    runtime_needs_dev,
)
from dockerls.rules.yarn_projects import yarn_berry
from dockerls.syntax import Position, Span, Stage
from dockerls.wording import megabytes

# Programs the full (buildpack-deps based) images have and their slim variants lack,
# with the OS packages that bring them back.
FULL_ONLY: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("gcc", "cc", "g++", "c++", "make"), frozenset({"build-essential", "gcc", "g++", "make"})
    ),
    "git": frozenset({"git"}),
    "curl": frozenset({"curl"}),
    "wget": frozenset({"wget"}),
    "python3": frozenset({"python3"}),
    "python": frozenset({"python3", "python-is-python3"}),
    "pkg-config": frozenset({"pkg-config", "pkgconf"}),
}


_PYTHON_INSTALLERS = ("pip", "pip3", "uv", "poetry", "pipenv")


@dataclass(slots=True)
class _Plan:
    edits: list[TextEdit] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # the title's parts
    notes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # parts not offered, and why
    image: Alternative | None = None  # the new base
    stages: int = 0  # stages the result has


def _in_stage(hits: list[Hit], stage: Stage) -> list[Hit]:
    last = max((i.end_line for i in stage.instructions), default=stage.from_.end_line)
    return [h for h in hits if stage.from_.start_line <= h.span.start.line <= last]


def _in_chain(hits: list[Hit], chain: tuple[Stage, ...]) -> list[Hit]:
    return [h for s in chain for h in _in_stage(hits, s)]


def _inherited_reason(ctx: RuleContext, chain: tuple[Stage, ...]) -> str:
    """Why development dependencies installed in a stage the final one is built on stay."""
    final = chain[-1]
    names = ", ".join(_name(s) for s in chain[:-1])
    dev_mode = runtime_needs_dev(ctx, final)
    if dev_mode is not None:
        return (
            f"the development dependencies stay: the image runs `{dev_mode.text}`, a "
            "development server that needs them; for production, build the application in "
            "a stage of its own and start the built output in the final stage."
        )
    return (
        f"the development dependencies stay: they are installed in stage {names}, which the "
        "final stage is built on, and deleting them in a later layer would not make the image "
        "smaller; install them with the production-only flag in a stage of their own."
    )


def _name(stage: Stage) -> str:
    return stage.name.text if stage.name is not None else str(stage.index)


def plan_final_stage(ctx: RuleContext, stage: Stage) -> list[SplitAction] | str:
    """The final-stage refactor of a multi-stage file, or why it is not offered."""
    doc = ctx.document
    if ctx.graph.final is not stage:
        return (
            "In a multi-stage file only the stage that ships (the final one) is refactored; "
            "this stage is a builder, which a split would keep as it is."
        )
    chain = ctx.graph.chain(stage)
    base = chain[0]  # the stage whose FROM names the image the final stage is built on
    full = _in_chain(list(full_language_base.check(ctx)), chain)
    dev = _in_chain(list(dev_dependencies_in_final_image.check(ctx)), chain)
    tools = _in_chain(list(build_tools_in_final_image.check(ctx)), chain)
    if not (full or dev or tools):
        return (
            "The final stage ships no full base, toolchain or development dependencies "
            "(none of DKL201, DKL202, DKL204 fires on it): there is nothing to slim."
        )
    if base.image is None or base.resolved_image is None:
        return "The final stage's base image depends on a build argument."
    info = ctx.image(base)
    if info is None:
        return f"The base image {base.resolved_image} is not in dockerls's image knowledge."
    if info.family not in ("node", "python"):
        return (
            f"The final stage is on {info.reference}: only a Node or Python final stage is "
            "slimmed so far (multi-stage files of other ecosystems are not yet)."
        )
    plan = _Plan(stages=len(doc.stages))
    if full:
        _rebase(ctx, chain, info, plan)
    inherited = [h for h in dev if not _in_stage([h], stage)]
    if inherited:
        plan.reasons.append(_inherited_reason(ctx, chain))
    elif dev and info.family == "node":
        _prune(ctx, stage, info, dev, plan)
    elif dev:
        plan.reasons.append(
            "the development dependencies DKL204 reports stay: for Python the refactor does "
            "not change how the environment is installed (DKL204's quick fix, where it has "
            "one, does)."
        )
    if not full and not dev:
        where = {_name(s) for s in chain if _in_stage(tools, s)} - {_name(stage)}
        who = (
            f"stage {', '.join(sorted(where))}, which the final stage is built on,"
            if where
            else "the final stage"
        )
        plan.reasons.append(
            f"{who} installs build tools itself (DKL202); move them to a builder "
            "stage (the refactor does not move RUNs)."
        )
    if not plan.edits:
        return " ".join(r[:1].upper() + r[1:] for r in plan.reasons)
    problem = verify(doc.text, plan.edits, plan.stages)
    if problem is not None:
        return problem
    after = plan.image.info if plan.image is not None else info
    notes = [
        *plan.notes,
        *(f"Not changed: {r}" for r in plan.reasons),
        "Every other instruction is kept as it was"
        + ("." if len(chain) > 1 else "; the builder stages are untouched."),
    ]
    return [
        SplitAction(
            "Slim the final stage: " + ", ".join(plan.parts),
            tuple(plan.edits),
            info.family,
            plan.image.reference if plan.image is not None else info.reference,
            mb(info),
            mb(after),
            tuple(notes),
        )
    ]


def _slim(info: ImageInfo) -> Alternative | None:
    return next((a for a in alternatives(info) if a.kind == "slim" and a.info is not None), None)


def _rebase(ctx: RuleContext, chain: tuple[Stage, ...], info: ImageInfo, plan: _Plan) -> None:
    """The final stage (with the stages it is built on, ``chain``) on the slim variant of
    its base, or the reason in ``plan``."""
    alt = _slim(info)
    if alt is None or alt.info is None or alt.info.libc != info.libc:
        plan.reasons.append(f"the knowledge base has no slim variant of {info.reference}.")
        return
    base = chain[0]
    others = [s for s in ctx.document.stages if s not in chain and ctx.graph.parent(s) in chain]
    if others:
        plan.reasons.append(
            f"the base stays {info.reference}: stage {_name(others[0])} is built on stage "
            f"{_name(base)} too, and rebasing would change it as well."
        )
        return
    needs = _full_only(ctx, chain, info)
    if needs:
        where = "the final stage uses" if len(chain) == 1 else "the stages of the image use"
        plan.reasons.append(
            f"the base stays {info.reference}: {where} {needs}, which "
            f"{alt.reference} does not have."
        )
        return
    edit = reference_edit(base, info, alt.reference)
    if edit is None:
        plan.reasons.append(f"the FROM of {info.reference} cannot be rewritten in place.")
        return
    plan.edits.append(edit)
    plan.parts.append(f"{info.reference} → {alt.reference}")
    plan.image = alt
    before, after = mb(info), mb(alt.info)
    if before is not None and after is not None:
        plan.notes.append(
            f"Base images (uncompressed, as `docker images` shows them, linux/amd64): "
            f"{info.reference} {megabytes(before)} MB, {alt.reference} {megabytes(after)} MB."
        )
    plan.notes.append(
        f"The final stage is rebased on {alt.reference} (same {info.family_name} version "
        "and Debian release, without compilers, headers, C libraries, git, curl and wget): "
        "check that nothing the container runs needs them."
    )
    if len(chain) > 1:
        names = ", ".join(_name(s) for s in chain[:-1])
        plan.notes.append(
            f"The final stage is built on stage {names}, so the FROM rewritten is stage "
            f"{_name(base)}'s: a build of that stage (`--target {_name(base)}`) gets "
            f"{alt.reference} too."
        )
    who = "The final stage" if len(chain) == 1 else "The image"
    if info.family == "node" and any(
        not isinstance(dependency_install(ctx, s), str) for s in chain
    ):
        plan.notes.append(
            f"{who} installs dependencies itself: on {alt.reference} a native "
            "module without a prebuilt binary cannot be compiled (no python3, make, g++)."
        )
    installers = [c for s in chain for t in _PYTHON_INSTALLERS for c in commands(ctx, s, t)]
    if info.family == "python" and installers:
        plan.notes.append(
            f"{who} installs Python packages itself ({installers[0][1].name}): on "
            f"{alt.reference} a package without a wheel cannot be compiled (no gcc, no headers)."
        )
    if info.family == "python":
        _libraries(ctx, chain, info, plan)


def _libraries(ctx: RuleContext, chain: tuple[Stage, ...], info: ImageInfo, plan: _Plan) -> None:
    """Python on slim: the run-time libraries of the ``-dev`` packages that the stages the
    final stage (and the stages it is built on) copies from built against (the full image
    had them), installed right after the rebased FROM."""
    sources = {e.source.index: e.source for e in ctx.graph.edges if e.source is not None}
    copied = [
        s
        for i, s in sorted(sources.items())
        if s not in chain and any(_copies_from(ctx, c, s) for c in chain)
    ]
    packages = [p for s in copied for p in installed_packages(ctx, s)]
    libraries, unknown = runtime_libraries(packages, PYTHON_PRESENT)
    plan.notes += unknown_libraries(unknown, "what the final stage copies needs")
    if not libraries:
        return
    release = debian_release(info) or NEWEST_DEBIAN
    names = " ".join(n for _, n in for_release(libraries, release))
    nl = newline(ctx.document.text)
    end = chain[0].from_.span.end
    plan.edits.append(TextEdit(Span(end, end), nl + install_line("apt", names)))
    plan.notes.append(
        f"The final stage installs the run-time libraries ({names}) of the build packages "
        "its builders installed, which the full image had and the slim image lacks; check "
        "the shared libraries of what it copies (`ldd`)."
    )


def _copies_from(ctx: RuleContext, stage: Stage, source: Stage) -> bool:
    return any(e.source is source and e.instruction in stage.instructions for e in ctx.graph.edges)


def _full_only(ctx: RuleContext, chain: tuple[Stage, ...], info: ImageInfo) -> str:
    """The programs the stages of ``chain`` use that only the full image has (and none of
    them installs)."""
    installed = {name for s in chain for _, name in installed_packages(ctx, s)}
    used: set[str] = set()
    for stage in chain:
        used.update(started_tools(stage))
        for ins in stage.instructions:
            if ins.name == "RUN":
                used.update(program(unwrap(c).name) for c in ctx.script(ins).commands)
        health = healthcheck(stage)
        if health is not None and health.rest is not None:
            used.update(w for w in ("curl", "wget") if w in health.rest.text.split())
    own = {"python": {"python", "python3"}}.get(info.family, set())  # the image's own runtime
    missing = sorted(
        p for p in used if p in FULL_ONLY and p not in own and not FULL_ONLY[p] & installed
    )
    return ", ".join(missing)


def _prune(ctx: RuleContext, stage: Stage, info: ImageInfo, hits: list[Hit], plan: _Plan) -> None:
    """The copies DKL204 reports taken from a ``deps`` stage that prunes the development
    dependencies, or the reason in ``plan``."""
    copies = [
        e
        for e in ctx.graph.edges
        if e.instruction in stage.instructions
        and e.instruction.name == "COPY"
        and e.flag.name.text.lower() == "from"
        and _reported(e, hits)
    ]
    sources = {e.source.index if e.source is not None else -1 for e in copies}
    if len(sources) != 1 or -1 in sources:
        plan.reasons.append(
            "the development dependencies are not copied from one builder stage of this file."
        )
        return
    builder = copies[0].source
    assert builder is not None
    name = builder.name.text if builder.name is not None else None
    if name is None or any(e.flag.value is None for e in copies):
        plan.reasons.append(
            f"the builder (stage {builder.index}) has no name for `FROM <builder> AS deps`; "
            "name it with AS."
        )
        return
    found = dependency_install(ctx, builder)
    if isinstance(found, str):
        plan.reasons.append(f"in the builder {name}: {found[:1].lower()}{found[1:]}")
        return
    manager, install_ins, install = found
    berry = (
        berry_facts(ctx, builder, -1) if manager == "yarn" and yarn_berry(ctx, builder) else None
    )
    if cwd_of(ctx, builder, install_ins) != cwd_of(ctx, builder, None):
        plan.reasons.append(
            f"the install on line {install_ins.start_line + 1} runs in another directory than "
            f"the builder's last WORKDIR, where `FROM {name} AS deps` would prune."
        )
        return
    keep, dev_notes = dev_imports(ctx)
    if keep:
        plan.reasons.append("the application imports development dependencies at run time.")
        plan.notes.extend(dev_notes)
        return
    taken = {s.name.text.lower() for s in ctx.document.stages if s.name is not None}
    deps = next(
        n for n in ("deps", "deps-prod", *(f"deps-{i}" for i in range(99))) if n not in taken
    )
    prune = prune_line(info, manager, install)
    if berry is not None:
        # node_modules is copied: the node-modules linker (Plug'n'Play makes none)
        facts = replace(berry, linker="node-modules", focused=False)
        prune = berry_prune(facts)
        plan.notes.extend(berry_notes(ctx, facts, keep=False))
    nl = newline(ctx.document.text)
    at = block_start(ctx.document.lines, stage.from_, _previous_end(ctx, stage))
    plan.edits.append(
        TextEdit(
            Span(Position(at, 0), Position(at, 0)), f"FROM {name} AS {deps}{nl}{prune}{nl}{nl}"
        )
    )
    for edge in copies:
        assert edge.flag.value is not None
        plan.edits.append(TextEdit(edge.flag.value.span, deps))
    plan.stages += 1
    plan.parts.append("production dependencies only")
    lines = ", ".join(str(e.instruction.start_line + 1) for e in copies)
    plan.notes.append(
        f"A stage {deps} FROM {name} removes the development dependencies (`{prune[4:]}`); "
        f"the copies on line {lines} take node_modules from it. {manager} prune keeps what "
        "the build generated in node_modules (e.g. `prisma generate`): check that the "
        "application needs no development dependency at run time."
        if berry is None
        else f"the copies on line {lines} take node_modules from it: check that the application "
        "needs no development dependency at run time, nor anything the build wrote into "
        "node_modules (e.g. `prisma generate`), which Yarn's focus may relink."
    )


def _reported(edge: CopyEdge, hits: list[Hit]) -> bool:
    span = edge.instruction.span
    return any(span.start <= h.span.start <= span.end for h in hits)


def _previous_end(ctx: RuleContext, stage: Stage) -> int:
    """The last line of what precedes the final stage's FROM (its comments excluded)."""
    before = [i for i in ctx.document.instructions if i.index < stage.from_.index]
    return before[-1].end_line if before else -1
