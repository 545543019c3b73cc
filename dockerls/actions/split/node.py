"""Node and Bun: npm with a build output to slim, alpine or distroless nodejs runtimes;
yarn, pnpm, bun, no build step or an unknown output through a pruning ``deps`` stage;
Next.js standalone. See the package docstring; what it reads of the project is in
``node_project``."""

from __future__ import annotations

import posixpath

from dockerls.actions.split.core import assemble
from dockerls.actions.split.node_project import (
    NODE_MANIFEST,
    OUTPUT_DIRS,
    Berry,
    berry_facts,
    berry_notes,
    berry_prune,
    build_runs,
    carried_flags,
    dependency_install,
    dev_imports,
    global_installs,
    hook_warnings,
    next_build,
    node_entry,
    prune_line,
)
from dockerls.actions.split.original_stage import (
    app_paths,
    curl_healthcheck,
    cwd_of,
    entry,
    has_user,
    healthcheck,
    installed_packages,
    resolve,
    shell_form,
    started_tools,
    sub,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import DISTROLESS_SUITES, SHELL_LESS, distroless_user
from dockerls.knowledge.images import Alternative, ImageInfo, alternatives, is_build_package
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program
from dockerls.rules.yarn_projects import yarn_berry
from dockerls.shell import Command
from dockerls.syntax import Stage


def plan_node(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    found = dependency_install(ctx, stage)
    if isinstance(found, str):
        return found
    manager, install_ins, install = found
    builds = build_runs(ctx, stage, manager)
    if len(builds) > 1:
        return "The stage runs more than one build command; splitting it is not supported yet."
    final_cwd = cwd_of(ctx, stage, None)
    for ins in (install_ins, *builds):
        if ins.start_line < install_ins.start_line:
            return "The build runs before the dependency install."
        if cwd_of(ctx, stage, ins) != final_cwd:
            return "The install or build runs in another directory than the final WORKDIR."
        if any(c.name == "cd" for c in ctx.script(ins).commands):
            return f"The RUN on line {ins.start_line + 1} changes directory with `cd`."
    if final_cwd == "/":
        return f"There is no WORKDIR: {manager} does not install into /."
    if builds and next_build(ctx, builds[0]):
        return _plan_next(ctx, stage, info, manager, final_cwd)
    if manager == "npm" and builds and info.family == "node":
        planned = _plan_npm_output(ctx, stage, info, install, final_cwd)
        if not isinstance(planned, _NoOutput):
            return planned
    return _plan_whole_app(ctx, stage, info, manager, final_cwd, built=bool(builds))


class _NoOutput(str):
    """The build output directory cannot be inferred: the whole application is shipped."""

    __slots__ = ()


def _plan_npm_output(
    ctx: RuleContext, stage: Stage, info: ImageInfo, install: Command, final_cwd: str
) -> list[SplitAction] | str:
    """npm with a build whose output directory CMD runs: the runtime installs the
    production dependencies itself and receives only the output."""
    compilers = [p for m, p in installed_packages(ctx, stage) if is_build_package(p, m)]
    if compilers:
        # Native modules are compiled with them: the runtime, which has none, cannot
        # install the dependencies itself; they are pruned on the builder instead.
        return _NoOutput(f"The stage installs {compilers[0]}, which builds native modules.")
    package_json = ctx.build_context.package_json
    entry = node_entry(stage, package_json)
    if entry is None:
        return _NoOutput("CMD/ENTRYPOINT does not run `node <file>`.")
    path = resolve(final_cwd, entry)
    if not path.startswith(final_cwd.rstrip("/") + "/"):
        return f"The entry file {path} is outside the working directory."
    top = path[len(final_cwd.rstrip("/")) + 1 :].split("/", 1)[0]
    outputs = set(OUTPUT_DIRS)
    if ctx.build_context.tsconfig_out_dir:
        outputs.add(ctx.build_context.tsconfig_out_dir.split("/", 1)[0])
    if top not in outputs or "/" not in path[len(final_cwd.rstrip("/")) + 1 :]:
        return _NoOutput(f"The entry file {entry} is not in a build output directory.")
    artifact = posixpath.join(final_cwd, top)
    keep, dev_notes = dev_imports(ctx)
    omit = "--omit=dev"
    major = info.major
    if major is not None and major.isdigit() and int(major) < 16:
        omit = "--production"
    verb = "ci" if sub(install) == "ci" else "install"
    omit = ("" if keep else omit) + carried_flags(install)
    verb += f" {omit.strip()}" if omit else ""
    modules = "node_modules" if keep else "production node_modules"
    warnings = [
        *dev_notes,
        f"Only {top}/, package.json and {modules} reach the runtime: files the application "
        "reads at run time (public/, views/, configuration) must be copied too.",
    ]
    if ctx.build_context.has_file(".npmrc"):
        warnings.append(
            ".npmrc is in the build context: the runtime's install may need it (and its "
            "credentials belong in a secret mount)."
        )
    for hook in ("preinstall", "install", "postinstall", "prepare"):
        if package_json is not None and package_json.script(hook):
            warnings.append(
                f"package.json runs `{hook}` during the install; if it needs devDependencies "
                "(husky, a compiler), the runtime's install fails: add --ignore-scripts."
            )
    warnings += curl_healthcheck(stage)
    runtimes: list[Runtime] = []
    # a slim or Alpine builder runs the output on itself (same family, version and libc)
    smaller = [Alternative(info.reference, info.kind, "", info)]
    if info.kind not in ("slim", "alpine"):
        smaller = []
    for alt in alternatives(info) + smaller:
        if alt.kind == "distroless":
            found = node_distroless(stage, info, alt, cwd=final_cwd, artifact=artifact, verb=verb)
            if found is not None:
                runtimes.append(found)
            continue
        if alt.kind not in ("slim", "alpine"):
            continue
        label = " — musl" if alt.kind == "alpine" else ""
        rt = Runtime(alt.reference, alt.kind, label, alt.info)
        if alt.kind == "alpine" and info.kind != "alpine":
            rt.warnings.append(
                "Alpine uses musl: dependencies with native modules are rebuilt by npm and may "
                "need python3, make and g++."
            )
        wd = final_cwd.rstrip("/")
        rt.generated += [
            f"COPY --from={{build}} {wd}/package*.json ./",
            f"RUN npm {verb} && npm cache clean --force",
            f"COPY --from={{build}} {artifact} {artifact}",
        ]
        if has_user(stage) is None:
            rt.user = builtin_user(alt) or "node"
        runtimes.append(rt)
    if not runtimes:
        return f"The knowledge base has no slim or alpine variant of {info.reference}."
    return _node_actions(ctx, stage, info, runtimes, warnings)


def node_distroless(
    stage: Stage,
    info: ImageInfo,
    alt: Alternative,
    *,
    cwd: str,
    artifact: str,
    verb: str,
) -> Runtime | None:
    """distroless nodejs: no shell, no npm, ``node`` as entrypoint; dependencies come from
    a ``deps`` stage on the slim image of the same Debian release. None when it cannot run
    this container (ENTRYPOINT, a CMD that is not ``["node", file]``, HEALTHCHECK, USER)."""
    suite = next((s for d, s in DISTROLESS_SUITES.items() if d in alt.reference), None)
    if suite is None or info.major is None or not info.major.isdigit():
        return None
    cmds = [i for i in stage.instructions if i.name == "CMD"]
    if any(i.name == "ENTRYPOINT" for i in stage.instructions) or not cmds:
        return None
    last = cmds[-1]
    argv = [e.text for e in last.exec_form.elements] if last.exec_form is not None else []
    if any(c.exec_form is None for c in cmds) or argv[:1] != ["node"] or len(argv) < 2:
        return None
    if healthcheck(stage) is not None or shell_form(stage, "HEALTHCHECK") is not None:
        return None
    if not distroless_user(stage):
        return None
    user = has_user(stage)
    wd = cwd.rstrip("/")
    rt = Runtime(alt.reference, alt.kind, "", alt.info, drop_words=1)
    rt.deps_image = f"node:{info.major}-{suite}-slim"
    rt.deps_lines = [
        f"COPY --from={{build}} {wd}/package*.json ./",
        f"RUN npm {verb} && npm cache clean --force",
    ]
    rt.generated = [
        f"COPY --from={{deps}} {wd}/node_modules {wd}/node_modules",
        f"COPY --from={{build}} {wd}/package.json {wd}/package.json",
        f"COPY --from={{build}} {artifact} {artifact}",
    ]
    rt.user = None if user is not None else "nonroot"
    rt.warnings.append(
        'distroless runs `node` as its entrypoint: CMD loses its leading "node"; there is '
        "no shell and no npm in the runtime."
    )
    return rt


def builtin_user(alt: Alternative) -> str | None:
    return alt.info.builtin_user if alt.info is not None else None


def _same_libc_runtimes(info: ImageInfo, label: str) -> list[Runtime]:
    """Runtimes that can run files built on ``info`` (native modules included): the slim
    variant of a full glibc image, or a slim or Alpine builder itself."""
    if info.kind in ("slim", "alpine"):
        return [Runtime(info.reference, info.kind, label, info)]
    if info.kind not in ("full", "os") or info.libc != "glibc":
        return []
    return [
        Runtime(alt.reference, alt.kind, "", alt.info)
        for alt in alternatives(info)
        if alt.kind == "slim" and alt.info is not None and alt.info.libc == info.libc
    ]


def _runs_with(stage: Stage, info: ImageInfo) -> str | None:
    """A reason when CMD/ENTRYPOINT needs a tool the runtime image lacks."""
    argv = entry(stage) or []
    tool = program(argv[0]) if argv else ""
    missing = {"pnpm", "pnpx"} | ({"bun", "bunx"} if info.family != "bun" else {"yarn", "npm"})
    if tool in missing:
        return f"The container starts with `{argv[0]}`, which the runtime image does not have."
    return None


def _plan_whole_app(
    ctx: RuleContext,
    stage: Stage,
    info: ImageInfo,
    manager: str,
    cwd: str,
    *,
    built: bool,
    next_app: bool = False,
) -> list[SplitAction] | str:
    """The application directories with production dependencies only: a ``deps`` stage
    FROM the builder prunes the development dependencies, the runtime copies from it."""
    problem = _runs_with(stage, info)
    if problem is not None:
        return problem
    berry: Berry | None = None
    if manager == "yarn" and yarn_berry(ctx, stage):
        argv = entry(stage) or []
        if argv and program(argv[0]) in ("yarn", "yarnpkg"):
            return (
                f"The container starts with `{argv[0]}`, which under Yarn 2 or later runs only "
                "through Corepack, downloading Yarn when the container starts: start the "
                "application with `node` to split it."
            )
    paths = app_paths(ctx, stage, NODE_MANIFEST)
    if isinstance(paths, str):
        return paths
    found = dependency_install(ctx, stage)
    prune = prune_line(info, manager, found[2] if not isinstance(found, str) else None)
    if manager == "yarn" and yarn_berry(ctx, stage) and not isinstance(found, str):
        last = max([found[1].start_line, *(b.start_line for b in build_runs(ctx, stage, manager))])
        berry = berry_facts(ctx, stage, last)
        prune = berry_prune(berry)
    keep, dev_notes = dev_imports(ctx) if not next_app else (False, [])
    if berry is not None and berry.focused:
        keep = False  # the builder's tree is production-only already: copied as it is
    label = " — same image, " + ("all dependencies" if keep else "production dependencies only")
    runtimes = _same_libc_runtimes(info, label)
    if not runtimes:
        return f"The knowledge base has no slim variant of {info.reference} with the same libc."
    shipped = ", ".join(paths)
    ships = "the build output and the sources ship" if built else "the sources ship"
    if berry is not None and berry.focused:
        warnings = [
            "The stage already runs `yarn workspaces focus --production` after its build: the "
            f"runtime receives {shipped} from the builder, production dependencies only: "
            f"{ships}; files written elsewhere must be copied too.",
        ]
    elif keep:
        warnings = [
            *dev_notes,
            f"The runtime receives {shipped} from the builder, development dependencies "
            f"included: {ships}; files written elsewhere must be copied too.",
        ]
    else:
        warnings = [
            *dev_notes,
            f"The runtime receives {shipped} from a deps stage that removes the development "
            f"dependencies (`{prune[4:]}`): {ships}; files written elsewhere must be copied too.",
        ]
    warnings += berry_notes(ctx, berry, keep=keep) if berry is not None else hook_warnings(ctx)
    warnings += curl_healthcheck(stage)
    user = has_user(stage)
    for rt in runtimes:
        if keep or (berry is not None and berry.focused):
            rt.generated = [f"COPY --from={{build}} {p} {p}" for p in paths]
        else:
            rt.deps_image = "{build}"
            rt.deps_lines = [prune]
            rt.generated = [f"COPY --from={{deps}} {p} {p}" for p in paths]
        if user is None:
            rt.user = rt.info.builtin_user if rt.info is not None else None
            if rt.user is None:
                rt.warnings.append("The runtime runs as root: add a user for the application.")
    return _node_actions(ctx, stage, info, runtimes, warnings)


def _plan_next(
    ctx: RuleContext, stage: Stage, info: ImageInfo, manager: str, cwd: str
) -> list[SplitAction] | str:
    """Next.js: the standalone server when CMD runs ``.next/standalone/server.js``
    (``output: 'standalone'``), with ``.next/static`` and ``public`` beside it; otherwise
    the whole application with production dependencies (``next start`` needs them)."""
    argv = entry(stage) or []
    wd = cwd.rstrip("/")
    server = f"{wd}/.next/standalone/server.js"
    standalone = len(argv) > 1 and program(argv[0]) == "node" and resolve(cwd, argv[1]) == server
    if not standalone:
        return _plan_whole_app(ctx, stage, info, manager, cwd, built=True, next_app=True)
    public = ctx.build_context.has_directory("public")
    if public is None:
        return (
            "A Next.js standalone server needs public/ beside it, and without the build "
            "context dockerls cannot tell whether public/ exists."
        )
    runtimes = _same_libc_runtimes(info, " — same image, standalone server only")
    if not runtimes:
        return f"The knowledge base has no slim variant of {info.reference} with the same libc."
    out = f"{wd}/.next/standalone"
    lines = [
        f"COPY --from={{build}} {out} {out}",
        f"COPY --from={{build}} {wd}/.next/static {out}/.next/static",
    ]
    if public:
        lines.append(f"COPY --from={{build}} {wd}/public {out}/public")
    user = has_user(stage)
    for rt in runtimes:
        rt.generated = list(lines)
        if user is None:
            rt.user = rt.info.builtin_user if rt.info is not None else None
    warnings = [
        "Only the Next.js standalone server (with the modules it traced), .next/static and "
        "public/ reach the runtime.",
        *curl_healthcheck(stage),
    ]
    return _node_actions(ctx, stage, info, runtimes, warnings)


def _node_actions(
    ctx: RuleContext, stage: Stage, info: ImageInfo, runtimes: list[Runtime], warnings: list[str]
) -> list[SplitAction] | str:
    started = started_tools(stage)
    needed = [cmd for cmd, programs in global_installs(ctx, stage) if programs & started]
    if needed:
        line = "RUN " + " && ".join(" ".join(w.raw for w in cmd.argv) for cmd in needed)
        runtimes = [rt for rt in runtimes if rt.kind not in SHELL_LESS]
        if not runtimes:
            return f"The container starts a program the builder installs globally ({line[4:]})."
        for rt in runtimes:
            rt.generated.insert(0, line)
        warnings = [
            *warnings,
            f"The container starts a program the builder installs globally: the runtime "
            f"installs it the same way (`{line[4:]}`).",
        ]
    if info.major is None and any(rt.image == info.reference for rt in runtimes):
        warnings = [
            *warnings,
            f"{info.reference} names no version: the runtime is the same tag, so both stages "
            "run the same Node only when they are built together (the tag moves); pin one "
            "in both (e.g. node:22-alpine) to be sure.",
        ]
    ecosystem = "bun" if info.family == "bun" else "node"
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem=ecosystem,
        builder=Builder(),
        runtimes=runtimes,
        warnings=warnings,
    )
