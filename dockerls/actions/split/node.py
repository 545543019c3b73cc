"""Node: an npm install and build, to slim, alpine or distroless nodejs runtimes."""

from __future__ import annotations

import posixpath
import re

from dockerls.actions.split.core import (
    DISTROLESS_SUITES,
    NPX_BUILDS,
    OUTPUT_DIRS,
    Builder,
    Runtime,
    SplitAction,
    assemble,
    commands,
    curl_healthcheck,
    cwd_of,
    entry,
    has_user,
    healthcheck,
    resolve,
    shell_form,
    sub,
)
from dockerls.knowledge.images import Alternative, ImageInfo, alternatives
from dockerls.rules.engine import RuleContext
from dockerls.syntax import Stage

# --------------------------------------------------------------------------- Node


def plan_node(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    for manager in ("yarn", "pnpm", "bun"):
        if commands(ctx, stage, manager):
            return f"The stage uses {manager}; only npm is supported yet."
    npm = commands(ctx, stage, "npm")
    installs = [
        (i, c) for i, c in npm if sub(c) in ("ci", "install", "i") and len(c.positionals()) == 1
    ]
    if len(installs) != 1:
        return "No single `npm ci`/`npm install` of the project was found."
    install_ins, install = installs[0]
    scripts = [(i, c) for i, c in npm if sub(c) in ("run", "run-script")]
    builds = [
        (i, c)
        for i, c in scripts
        if len(c.positionals()) > 1 and c.positionals()[1].text.startswith("build")
    ]
    builds += [
        (i, c)
        for i, c in commands(ctx, stage, "npx")
        if c.positionals() and c.positionals()[0].text in NPX_BUILDS
    ]
    if len(builds) != 1:
        return (
            "The build is not one `npm run build` or `npx tsc` (other build commands are not "
            "supported yet)."
        )
    build_ins, _ = builds[0]
    if install_ins.start_line > build_ins.start_line:
        return "The build runs before the dependency install."
    final_cwd = cwd_of(ctx, stage, None)
    for ins in (install_ins, build_ins):
        if cwd_of(ctx, stage, ins) != final_cwd:
            return "The install or build runs in another directory than the final WORKDIR."
        if any(c.name == "cd" for c in ctx.script(ins).commands):
            return f"The RUN on line {ins.start_line + 1} changes directory with `cd`."
    if final_cwd == "/":
        return "There is no WORKDIR: npm does not install into /."
    package_json = ctx.build_context.package_json
    build_script = package_json.script("build") if package_json is not None else None
    if build_script is not None and re.search(r"\bnext\s+build\b", build_script):
        return "A Next.js build needs `output: 'standalone'`; not supported yet."
    entry = node_entry(stage, package_json)
    if entry is None:
        return "The artifact path cannot be inferred: CMD/ENTRYPOINT does not run `node <file>`."
    path = resolve(final_cwd, entry)
    if not path.startswith(final_cwd.rstrip("/") + "/"):
        return f"The entry file {path} is outside the working directory."
    top = path[len(final_cwd.rstrip("/")) + 1 :].split("/", 1)[0]
    outputs = set(OUTPUT_DIRS)
    if ctx.build_context.tsconfig_out_dir:
        outputs.add(ctx.build_context.tsconfig_out_dir.split("/", 1)[0])
    if top not in outputs or "/" not in path[len(final_cwd.rstrip("/")) + 1 :]:
        return f"The entry file {entry} is not in a build output directory (dist/, build/)."
    artifact = posixpath.join(final_cwd, top)
    omit = "--omit=dev"
    major = info.major
    if major is not None and major.isdigit() and int(major) < 16:
        omit = "--production"
    verb = "ci" if sub(install) == "ci" else "install"
    warnings = [
        f"Only {top}/, package.json and production node_modules reach the runtime: files the "
        "application reads at run time (public/, views/, configuration) must be copied too."
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
    for alt in alternatives(info):
        if alt.kind == "distroless":
            found = node_distroless(
                stage, info, alt, cwd=final_cwd, artifact=artifact, verb=verb, omit=omit
            )
            if found is not None:
                runtimes.append(found)
            continue
        if alt.kind not in ("slim", "alpine"):
            continue
        label = " — musl" if alt.kind == "alpine" else ""
        rt = Runtime(alt.reference, alt.kind, label, alt.info)
        if alt.kind == "alpine":
            rt.warnings.append(
                "Alpine uses musl: dependencies with native modules are rebuilt by npm and may "
                "need python3, make and g++."
            )
        wd = final_cwd.rstrip("/")
        rt.generated += [
            f"COPY --from={{build}} {wd}/package*.json ./",
            f"RUN npm {verb} {omit} && npm cache clean --force",
            f"COPY --from={{build}} {artifact} {artifact}",
        ]
        if has_user(stage) is None:
            rt.user = builtin_user(alt) or "node"
        runtimes.append(rt)
    if not runtimes:
        return f"The knowledge base has no slim or alpine variant of {info.reference}."
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="node",
        builder=Builder(),
        runtimes=runtimes,
        warnings=warnings,
    )


def node_distroless(
    stage: Stage,
    info: ImageInfo,
    alt: Alternative,
    *,
    cwd: str,
    artifact: str,
    verb: str,
    omit: str,
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
    user = has_user(stage)
    if user is not None:
        name = (user.rest.text if user.rest else "").split(":")[0]
        if not name.isdigit() and name not in ("root", "nonroot"):
            return None
    wd = cwd.rstrip("/")
    rt = Runtime(alt.reference, alt.kind, "", alt.info, drop_node=True)
    rt.deps_image = f"node:{info.major}-{suite}-slim"
    rt.deps_lines = [
        f"COPY --from={{build}} {wd}/package*.json ./",
        f"RUN npm {verb} {omit} && npm cache clean --force",
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


def node_entry(stage: Stage, package_json: object) -> str | None:
    argv = entry(stage)
    if not argv:
        return None
    if posixpath.basename(argv[0]) in ("npm",) and argv[1:2] in (["start"], ["run"]):
        if argv[1:] not in (["start"], ["run", "start"]):
            return None
        script = getattr(package_json, "script", None)
        start = script("start") if script is not None else None
        if not isinstance(start, str):
            return None
        argv = start.split()
    if posixpath.basename(argv[0]) != "node":
        return None
    rest = [w for w in argv[1:] if not w.startswith("-")]
    if not rest or "$" in rest[0]:
        return None
    return rest[0]
