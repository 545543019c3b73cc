"""The "Split into build and runtime stages" refactoring: the remedy for DKL203.

A single-stage Dockerfile that builds ships its toolchain, caches and sources.
The rewrite keeps the original stage as the builder (``AS build``) and adds a
runtime stage on a smaller base that receives only what the application runs::

    FROM golang:1.22                      FROM golang:1.22 AS build
    WORKDIR /src                          WORKDIR /src
    COPY . .                              COPY . .
    RUN go build -o /bin/app .      ->    RUN CGO_ENABLED=0 go build -o /bin/app .
    EXPOSE 8080
    CMD ["/bin/app"]                      FROM gcr.io/distroless/static-debian13:nonroot
                                          WORKDIR /src
                                          COPY --from=build /bin/app /bin/app
                                          USER nonroot
                                          EXPOSE 8080
                                          CMD ["/bin/app"]

Placement table (every instruction of the original stage goes somewhere):

=========================  ===============================  ===============================
Instruction                Builder (``AS build``)           Runtime (final stage)
=========================  ===============================  ===============================
FROM                       original base, ``AS build``      the chosen runtime base
RUN, COPY, ADD             kept, byte for byte (Go: ``-o``  --
                           and ``CGO_ENABLED=0`` added to
                           ``go build`` when absent)
ARG, ENV, WORKDIR          kept                             copied, in original order
LABEL, EXPOSE, VOLUME,     --                               moved, in original order
USER, HEALTHCHECK,
STOPSIGNAL, ENTRYPOINT,
CMD, ONBUILD, MAINTAINER
SHELL                      not offered (it changes how the build runs)
=========================  ===============================  ===============================

The runtime stage reads, in order: ``FROM``; the copied ARG/ENV/WORKDIR; the
generated lines (Node: ``COPY --from=build`` of ``package*.json``, ``npm ci
--omit=dev`` and the build output; Go: the binary, and CA certificates on
scratch); a non-root ``USER`` fitting the base when the original had none
(``node``, ``nonroot``, ``65532:65532`` on scratch); then the moved
instructions.

Comments directly above a moved instruction move with it; parser directives,
global ARGs and every other line stay where they are. Line breaks follow the
file's style. Runtime lines are the original lines, byte for byte.

Ecosystems in this first slice:

* **Node (npm)**: ``npm ci``/``npm install`` then ``npm run build*``; the build
  output is the top directory of the file that ``CMD``/``ENTRYPOINT`` runs with
  ``node`` (directly or through the package.json ``start`` script), when it is a
  build output directory (``dist``, ``build``, ``out``, ``lib``, tsconfig's
  ``outDir``). Runtimes: the family's slim and alpine (musl) variants, which
  run ``npm ci --omit=dev`` themselves, and distroless nodejs (no npm, no
  shell), which gets ``node_modules`` from a ``deps`` stage on the slim image
  of the same Debian release and a CMD without its leading ``node`` (distroless
  runs node as its entrypoint); distroless is offered only for an exec-form
  ``CMD ["node", file]`` without ENTRYPOINT or HEALTHCHECK. yarn, pnpm, bun,
  Next.js and a Node app without a build step are not offered yet.
* **Go**: one ``go build``; the binary is ``-o``'s path, or the program
  ``CMD``/``ENTRYPOINT`` runs (``-o`` is then added). Static builds
  (``CGO_ENABLED=0`` added when absent) go to distroless static or scratch
  (with CA certificates copied from the builder); a cgo build (``CGO_ENABLED=1``
  or gcc/musl-dev/build-base installed) goes to a Debian slim runtime, never
  from a musl builder.

Conservative: nothing is offered (``why_not`` says why) when a RUN configures
the running container (users, permissions, runtime OS packages), when a SHELL or
a USER precedes build steps, when the artifact path cannot be inferred, or when
the result would not parse. Sizes come from the knowledge base (compressed,
linux/amd64); when it has both figures the warnings state them.

Pure: no I/O, no protocol types, and no exceptions on any input.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dockerls.findings import Fix, TextEdit
from dockerls.knowledge.images import Alternative, ImageInfo, alternatives, package_kind
from dockerls.rules.common import final_scope, steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.managers import PACKAGE_INSTALLS
from dockerls.rules.stages import single_stage_build
from dockerls.shell import Command
from dockerls.syntax import Instruction, Position, Severity, Span, Stage, parse

__all__ = ["SplitAction", "split_stage", "why_not"]


@dataclass(frozen=True, slots=True)
class SplitAction:
    """One offered rewrite: apply ``edits`` together."""

    title: str
    edits: tuple[TextEdit, ...]
    ecosystem: str  # "node" or "go"
    runtime_image: str
    size_before_mb: float | None
    size_after_mb: float | None
    warnings: tuple[str, ...] = ()

    @property
    def fix(self) -> Fix:
        """The rewrite as a ``Fix``: never safe (what the app reads at run time is unknown)."""
        return Fix(self.title, self.edits, safe=False)


def split_stage(ctx: RuleContext, stage: Stage, runtime: str | None = None) -> list[SplitAction]:
    """The splits offered for ``stage``, one per runtime base (or only ``runtime``)."""
    found = _safe_plan(ctx, stage)
    if isinstance(found, str):
        return []
    return [a for a in found if runtime is None or a.runtime_image == runtime]


def why_not(ctx: RuleContext, stage: Stage) -> list[str]:
    """Why no split is offered for ``stage`` (empty when one is)."""
    found = _safe_plan(ctx, stage)
    return [found] if isinstance(found, str) else []


# --------------------------------------------------------------------------- tables

_MOVED = frozenset(
    {"LABEL", "EXPOSE", "VOLUME", "USER", "HEALTHCHECK", "STOPSIGNAL"}
    | {"ENTRYPOINT", "CMD", "ONBUILD", "MAINTAINER"}
)
_COPIED = frozenset({"ARG", "ENV", "WORKDIR"})
_BUILDER = frozenset({"RUN", "COPY", "ADD"})
# Programs whose effect is on the running container, not on the build.
_CONFIGURES = frozenset(
    {"useradd", "adduser", "addgroup", "groupadd", "usermod", "groupmod", "chown", "chmod"}
    | {"chgrp", "ln", "setcap", "mkdir", "update-ca-certificates", "cp", "mv", "echo"}
    | {"sed", "tee", "printf", "cat", "touch", "locale-gen", "npm-install-global"}
)
# Runtime-kind packages a build step legitimately fetches with.
_FETCH_PACKAGES = frozenset({"git", "curl", "wget", "ca-certificates", "openssh-client", "bash"})
_CGO_PACKAGES = frozenset(
    {"gcc", "g++", "musl-dev", "build-base", "libc-dev", "libc6-dev", "clang", "build-essential"}
)
_NPX_BUILDS = frozenset({"tsc", "webpack", "esbuild", "rollup", "nest", "vite", "tsup"})
_OUTPUT_DIRS = frozenset({"dist", "build", "out", "lib"})
_PATH_DIRS = frozenset({"/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin"})
_DEBIAN_SLIM = {
    "bookworm": "debian:12-slim",
    "trixie": "debian:13-slim",
    "bullseye": "debian:11-slim",
}
_DISTROLESS_SUITES = {"debian12": "bookworm", "debian13": "trixie"}
_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


# --------------------------------------------------------------------------- planning


@dataclass(slots=True)
class _Runtime:
    """What one runtime stage receives (besides the copied and moved instructions)."""

    image: str
    kind: str
    label: str  # the title's suffix after the image: " — musl"
    info: ImageInfo | None
    generated: list[str] = field(default_factory=list)  # lines after ARG/ENV/WORKDIR
    user: str | None = None  # USER added when the original had none
    deps_image: str | None = None  # a production-dependencies stage before the runtime
    deps_lines: list[str] = field(default_factory=list)  # its lines after ARG/ENV/WORKDIR
    drop_node: bool = False  # CMD ["node", x] becomes CMD [x] (the image's entrypoint is node)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Builder:
    """Insertions into the builder's lines: (line, column, text)."""

    inserts: list[tuple[int, int, str]] = field(default_factory=list)


def _safe_plan(ctx: RuleContext, stage: Stage) -> list[SplitAction] | str:
    try:
        return _plan(ctx, stage)
    except Exception as exc:  # never break the editor over one refactoring
        return f"dockerls could not plan the split ({type(exc).__name__}: {exc})."


def _plan(ctx: RuleContext, stage: Stage) -> list[SplitAction] | str:
    doc = ctx.document
    if len(doc.stages) != 1 or stage is not doc.stages[0]:
        return "Only a single-stage Dockerfile is split (multi-stage files are not yet)."
    if any(p.severity is Severity.ERROR for p in doc.problems):
        return "The Dockerfile has syntax errors; fix them first."
    if stage.image is None or stage.resolved_image is None:
        return "The base image is not known before the build (it depends on a build argument)."
    if not list(single_stage_build.check(ctx)):
        return (
            "No build was found in this stage (DKL203 does not fire), so there is nothing "
            "to split off."
        )
    info = ctx.image(stage)
    if info is None:
        return f"The base image {stage.resolved_image} is not in dockerls's image knowledge."
    go = _commands(ctx, stage, "go")
    if info.family == "golang" or any(_sub(c) in ("build", "install") for _, c in go):
        planner = _plan_go
    elif info.family == "node":
        planner = _plan_node
    else:
        return (
            f"Splitting this {info.family_name} build is not supported yet "
            "(only Node with npm and Go)."
        )
    problem = _structure(ctx, stage)
    if problem is not None:
        return problem
    return planner(ctx, stage, info)


def _structure(ctx: RuleContext, stage: Stage) -> str | None:
    """Reasons that hold for every ecosystem: instructions the split cannot place."""
    seen_build = False
    for ins in reversed(stage.instructions):
        if ins.name in _BUILDER:
            seen_build = True
        if ins.name == "SHELL":
            return (
                "A SHELL instruction changes how the build runs; splitting it is not supported yet."
            )
        if ins.name == "USER" and seen_build:
            return (
                f"USER on line {ins.start_line + 1} runs before build steps, which depend on it; "
                "the split would change who builds."
            )
        if ins.name == "ONBUILD" and ins.trigger is not None and ins.trigger.name in _BUILDER:
            return (
                f"ONBUILD {ins.trigger.name} on line {ins.start_line + 1} builds in child images."
            )
    for step in steps(ctx, stage):
        if "$" in step.cwd:
            return f"The working directory at line {step.ins.start_line + 1} is not known."
        if step.ins.name != "RUN" or step.onbuild:
            continue
        script = ctx.script(step.ins)
        if script.has_error:
            return f"The RUN on line {step.ins.start_line + 1} could not be read as shell."
        final_cwd = _cwd_of(ctx, stage, None)
        for cmd in script.commands:
            reason = _configures(cmd, step.cwd, final_cwd)
            if reason is not None:
                return (
                    f"The RUN on line {step.ins.start_line + 1} {reason}; the split cannot tell "
                    "whether it belongs to the builder or the runtime."
                )
    return None


def _configures(cmd: Command, cwd: str, final_cwd: str) -> str | None:
    """What a command does to the running container, if anything."""
    name = cmd.name
    if name == "mkdir":
        # A directory the runtime's copied WORKDIR creates anyway is harmless.
        paths = [w for w in cmd.positionals() if not w.text.startswith("-")]
        if paths and all(
            not w.dynamic and (final_cwd + "/").startswith(_resolve(cwd, w.text).rstrip("/") + "/")
            for w in paths
        ):
            return None
    if name in _CONFIGURES:
        return f"runs `{name}`, which configures the running container"
    sub = _sub(cmd)
    if sub is not None and sub in PACKAGE_INSTALLS.get(name, ()):
        for word in cmd.positionals()[1:]:
            package = re.split(r"[=<>~]", word.text.strip("\"'"), maxsplit=1)[0].lower()
            if word.dynamic:
                return f"installs `{word.text}` (packages not known before the build)"
            if package in _FETCH_PACKAGES or package in _CGO_PACKAGES:
                continue
            if package_kind(package, name) != "build":
                return f"installs `{package}`, which the application may need at run time"
    return None


def _sub(cmd: Command) -> str | None:
    word = cmd.subcommand()
    return None if word is None else word.text


def _commands(ctx: RuleContext, stage: Stage, name: str) -> list[tuple[Instruction, Command]]:
    return [
        (ins, cmd)
        for ins in stage.instructions
        if ins.name == "RUN"
        for cmd in ctx.script(ins).commands
        if cmd.name == name
    ]


def _cwd_of(ctx: RuleContext, stage: Stage, ins: Instruction | None) -> str:
    """The working directory ``ins`` runs in (None: after the stage's last instruction)."""
    if ins is None:
        return posixpath.normpath(final_scope(ctx, stage).cwd)
    for step in steps(ctx, stage):
        if step.ins is ins:
            return posixpath.normpath(step.cwd)
    return "/"


def _entry(stage: Stage) -> list[str] | None:
    """The argv the container starts with (ENTRYPOINT + CMD), when it can be read."""
    entry: list[str] | None = None
    cmd: list[str] | None = None
    for ins in stage.instructions:
        if ins.name not in ("ENTRYPOINT", "CMD"):
            continue
        if ins.exec_form is not None:
            words = [e.text for e in ins.exec_form.elements]
        elif ins.rest is not None:
            words = ins.rest.text.split()
        else:
            words = []
        if ins.name == "ENTRYPOINT":
            entry, cmd = words, None
        else:
            cmd = words
    argv = (entry or []) + (cmd or [])
    return argv or None


def _shell_form(stage: Stage, *names: str) -> Instruction | None:
    for ins in stage.instructions:
        if ins.name in names and ins.exec_form is None and ins.rest is not None:
            if ins.name == "HEALTHCHECK":
                words = ins.rest.text.split()
                if words and words[0].upper() == "NONE":
                    continue
            return ins
    return None


def _healthcheck(stage: Stage) -> Instruction | None:
    for ins in stage.instructions:
        if (
            ins.name == "HEALTHCHECK"
            and ins.rest is not None
            and ins.rest.text.split()[:1] != ["NONE"]
        ):
            return ins
    return None


def _has_user(stage: Stage) -> Instruction | None:
    return next((i for i in stage.instructions if i.name == "USER"), None)


def _resolve(cwd: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(cwd, path))


# --------------------------------------------------------------------------- Go


def _plan_go(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    builds = [(i, c) for i, c in _commands(ctx, stage, "go") if _sub(c) in ("build", "install")]
    if not builds:
        return "No `go build` was found: the build runs through make or a script."
    if len(builds) != 1:
        return "The stage runs more than one `go build`; splitting it is not supported yet."
    ins, cmd = builds[0]
    if _sub(cmd) == "install":
        return "`go install` puts the binary in GOBIN; use `go build -o <path>` to split."
    if ins.exec_form is not None or cmd.wrappers or cmd.in_substitution or cmd.in_subshell:
        return f"The `go build` on line {ins.start_line + 1} is not a plain shell command."
    if any(c.name == "cd" for c in ctx.script(ins).commands):
        return f"The RUN on line {ins.start_line + 1} changes directory with `cd`."
    cwd = _cwd_of(ctx, stage, ins)
    final_cwd = _cwd_of(ctx, stage, None)
    argv = _entry(stage)
    output = cmd.option_value("-o")
    builder = _Builder()
    if output is not None:
        if output.dynamic or output.text.endswith("/"):
            return f"The output `-o {output.text}` is not a plain file path."
        binary = _resolve(cwd, output.text)
    else:
        if not argv:
            return "`go build` has no `-o` and no CMD/ENTRYPOINT names the program it builds."
        program = argv[0]
        if "/" in program:
            binary = _resolve(final_cwd, program)
        else:
            return f"`go build` has no `-o` and `{program}` is found through PATH."
        word = cmd.subcommand()
        assert word is not None
        builder.inserts.append((word.span.end.line, word.span.end.column, f" -o {binary}"))
    if argv:
        program = argv[0]
        target = _resolve(final_cwd, program) if "/" in program else None
        bare_ok = "/" not in program and posixpath.basename(binary) == program
        if target != binary and not (bare_ok and posixpath.dirname(binary) in _PATH_DIRS):
            return f"The container runs `{program}`, not the built binary {binary}."
    else:
        return "No CMD or ENTRYPOINT runs the built binary."
    cgo = _cgo(ctx, stage, ins, cmd)
    warnings = [
        f"Only the binary {binary} reaches the runtime: templates, static files or "
        "configuration the program reads from the source tree must be copied too."
    ]
    runtimes: list[_Runtime] = []
    if cgo is True:
        if info.libc == "musl":
            return (
                "The build uses cgo on a musl (Alpine) builder; its binary needs musl at run time."
            )
        slim = _DEBIAN_SLIM.get(info.suite or "", "debian:12-slim")
        rt = _Runtime(slim, "slim", " — glibc, cgo", None)
        if info.suite not in _DEBIAN_SLIM:
            rt.warnings.append(
                "The builder's Debian release is not in its tag: the runtime's glibc must be "
                "at least as new as the builder's."
            )
        rt.generated.append(f"COPY --from={{build}} {binary} {binary}")
        runtimes.append(rt)
    else:
        if cgo is None:
            env = next((s.env for s in steps(ctx, stage) if s.ins is ins), {})
            if env.get("CGO_ENABLED") != "0" and not any(
                a.name == "CGO_ENABLED" for a in cmd.assignments
            ):
                start = cmd.argv[0].span.start
                builder.inserts.append((start.line, start.column, "CGO_ENABLED=0 "))
        for alt in alternatives(info):
            if alt.kind not in ("static", "scratch"):
                continue
            rt = _Runtime(alt.reference, alt.kind, "", alt.info)
            if alt.kind == "scratch":
                rt.label = " — CA certificates copied from the builder"
                rt.generated.append(f"COPY --from={{build}} {_CA_BUNDLE} {_CA_BUNDLE}")
            rt.generated.append(f"COPY --from={{build}} {binary} {binary}")
            runtimes.append(rt)
        shell = _shell_form(stage, "CMD", "ENTRYPOINT", "HEALTHCHECK")
        if shell is not None:
            return (
                f"{shell.name} on line {shell.start_line + 1} is in shell form, and a static "
                "runtime (distroless, scratch) has no shell."
            )
        if _healthcheck(stage) is not None:
            return "HEALTHCHECK needs a program the static runtime does not have."
    user = _has_user(stage)
    for rt in runtimes:
        if user is None:
            rt.user = {"scratch": "65532:65532", "static": "nonroot", "slim": None}.get(rt.kind)
            if rt.kind == "slim":
                rt.warnings.append("The runtime runs as root: add a user for the application.")
        elif rt.kind in ("static", "scratch"):
            name = (user.rest.text if user.rest else "").split(":")[0]
            allowed = ("root", "nonroot", "nobody") if rt.kind == "static" else ()
            if not name.isdigit() and name not in allowed:
                rt.warnings.append(f"USER {name} does not exist in {rt.image}.")
    runtimes = [rt for rt in runtimes if not any("does not exist" in w for w in rt.warnings)]
    if not runtimes:
        return "No runtime base fits: the USER does not exist in the static images."
    return _actions(
        ctx, stage, info=info, ecosystem="go", builder=builder, runtimes=runtimes, warnings=warnings
    )


def _cgo(ctx: RuleContext, stage: Stage, ins: Instruction, cmd: Command) -> bool | None:
    """True: the build uses cgo; False: explicitly off; None: Go's default (on with gcc)."""
    for a in cmd.assignments:
        if a.name == "CGO_ENABLED" and a.value is not None:
            return a.value.text != "0"
    env = next((s.env for s in steps(ctx, stage) if s.ins is ins), {})
    if "CGO_ENABLED" in env:
        return env["CGO_ENABLED"] != "0"
    for other in stage.instructions:
        if other.name != "RUN":
            continue
        for c in ctx.script(other).commands:
            if _sub(c) in PACKAGE_INSTALLS.get(c.name, ()):
                names = {w.text.strip("\"'").lower() for w in c.positionals()[1:]}
                if names & _CGO_PACKAGES:
                    return True
    return None


# --------------------------------------------------------------------------- Node


def _plan_node(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    for manager in ("yarn", "pnpm", "bun"):
        if _commands(ctx, stage, manager):
            return f"The stage uses {manager}; only npm is supported yet."
    npm = _commands(ctx, stage, "npm")
    installs = [
        (i, c) for i, c in npm if _sub(c) in ("ci", "install", "i") and len(c.positionals()) == 1
    ]
    if len(installs) != 1:
        return "No single `npm ci`/`npm install` of the project was found."
    install_ins, install = installs[0]
    scripts = [(i, c) for i, c in npm if _sub(c) in ("run", "run-script")]
    builds = [
        (i, c)
        for i, c in scripts
        if len(c.positionals()) > 1 and c.positionals()[1].text.startswith("build")
    ]
    builds += [
        (i, c)
        for i, c in _commands(ctx, stage, "npx")
        if c.positionals() and c.positionals()[0].text in _NPX_BUILDS
    ]
    if len(builds) != 1:
        return (
            "The build is not one `npm run build` or `npx tsc` (other build commands are not "
            "supported yet)."
        )
    build_ins, _ = builds[0]
    if install_ins.start_line > build_ins.start_line:
        return "The build runs before the dependency install."
    final_cwd = _cwd_of(ctx, stage, None)
    for ins in (install_ins, build_ins):
        if _cwd_of(ctx, stage, ins) != final_cwd:
            return "The install or build runs in another directory than the final WORKDIR."
        if any(c.name == "cd" for c in ctx.script(ins).commands):
            return f"The RUN on line {ins.start_line + 1} changes directory with `cd`."
    if final_cwd == "/":
        return "There is no WORKDIR: npm does not install into /."
    package_json = ctx.build_context.package_json
    build_script = package_json.script("build") if package_json is not None else None
    if build_script is not None and re.search(r"\bnext\s+build\b", build_script):
        return "A Next.js build needs `output: 'standalone'`; not supported yet."
    entry = _node_entry(stage, package_json)
    if entry is None:
        return "The artifact path cannot be inferred: CMD/ENTRYPOINT does not run `node <file>`."
    path = _resolve(final_cwd, entry)
    if not path.startswith(final_cwd.rstrip("/") + "/"):
        return f"The entry file {path} is outside the working directory."
    top = path[len(final_cwd.rstrip("/")) + 1 :].split("/", 1)[0]
    outputs = set(_OUTPUT_DIRS)
    if ctx.build_context.tsconfig_out_dir:
        outputs.add(ctx.build_context.tsconfig_out_dir.split("/", 1)[0])
    if top not in outputs or "/" not in path[len(final_cwd.rstrip("/")) + 1 :]:
        return f"The entry file {entry} is not in a build output directory (dist/, build/)."
    artifact = posixpath.join(final_cwd, top)
    omit = "--omit=dev"
    major = info.major
    if major is not None and major.isdigit() and int(major) < 16:
        omit = "--production"
    verb = "ci" if _sub(install) == "ci" else "install"
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
    health = _healthcheck(stage)
    if health is not None and re.search(
        r"\b(curl|wget)\b", health.rest.text if health.rest else ""
    ):
        warnings.append("HEALTHCHECK calls curl or wget, which the slim runtime does not have.")
    runtimes: list[_Runtime] = []
    for alt in alternatives(info):
        if alt.kind == "distroless":
            found = _node_distroless(
                stage, info, alt, cwd=final_cwd, artifact=artifact, verb=verb, omit=omit
            )
            if found is not None:
                runtimes.append(found)
            continue
        if alt.kind not in ("slim", "alpine"):
            continue
        label = " — musl" if alt.kind == "alpine" else ""
        rt = _Runtime(alt.reference, alt.kind, label, alt.info)
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
        if _has_user(stage) is None:
            rt.user = _builtin_user(alt) or "node"
        runtimes.append(rt)
    if not runtimes:
        return f"The knowledge base has no slim or alpine variant of {info.reference}."
    return _actions(
        ctx,
        stage,
        info=info,
        ecosystem="node",
        builder=_Builder(),
        runtimes=runtimes,
        warnings=warnings,
    )


def _node_distroless(
    stage: Stage,
    info: ImageInfo,
    alt: Alternative,
    *,
    cwd: str,
    artifact: str,
    verb: str,
    omit: str,
) -> _Runtime | None:
    """distroless nodejs: no shell, no npm, ``node`` as entrypoint; dependencies come from
    a ``deps`` stage on the slim image of the same Debian release. None when it cannot run
    this container (ENTRYPOINT, a CMD that is not ``["node", file]``, HEALTHCHECK, USER)."""
    suite = next((s for d, s in _DISTROLESS_SUITES.items() if d in alt.reference), None)
    if suite is None or info.major is None or not info.major.isdigit():
        return None
    cmds = [i for i in stage.instructions if i.name == "CMD"]
    if any(i.name == "ENTRYPOINT" for i in stage.instructions) or not cmds:
        return None
    last = cmds[-1]
    argv = [e.text for e in last.exec_form.elements] if last.exec_form is not None else []
    if any(c.exec_form is None for c in cmds) or argv[:1] != ["node"] or len(argv) < 2:
        return None
    if _healthcheck(stage) is not None or _shell_form(stage, "HEALTHCHECK") is not None:
        return None
    user = _has_user(stage)
    if user is not None:
        name = (user.rest.text if user.rest else "").split(":")[0]
        if not name.isdigit() and name not in ("root", "nonroot"):
            return None
    wd = cwd.rstrip("/")
    rt = _Runtime(alt.reference, alt.kind, "", alt.info, drop_node=True)
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


def _builtin_user(alt: Alternative) -> str | None:
    return alt.info.builtin_user if alt.info is not None else None


def _node_entry(stage: Stage, package_json: object) -> str | None:
    argv = _entry(stage)
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


# --------------------------------------------------------------------------- text


def _newline(text: str) -> str:
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def _block_start(lines: Sequence[str], ins: Instruction, floor: int) -> int:
    """The first line of the comments directly above ``ins`` (not above ``floor``)."""
    first = ins.start_line
    while first - 1 > floor and lines[first - 1].strip().startswith("#"):
        first -= 1
    return first


def _actions(
    ctx: RuleContext,
    stage: Stage,
    *,
    info: ImageInfo,
    ecosystem: str,
    builder: _Builder,
    runtimes: list[_Runtime],
    warnings: list[str],
) -> list[SplitAction] | str:
    doc = ctx.document
    lines = list(doc.lines)
    nl = _newline(doc.text)
    name = stage.name.text if stage.name is not None else "build"
    assert stage.image is not None
    inserts = list(builder.inserts)
    if stage.name is None:
        end = stage.image.span.end
        inserts.append((end.line, end.column, " AS build"))
    for line, column, text in sorted(inserts, reverse=True):
        lines[line] = lines[line][:column] + text + lines[line][column:]

    copied: list[list[str]] = []
    moved: list[tuple[Instruction, int, list[str]]] = []
    removed: set[int] = set()
    previous_end = stage.from_.end_line
    for ins in stage.instructions:
        first = _block_start(doc.lines, ins, previous_end)
        block = lines[first : ins.end_line + 1]
        if ins.name in _MOVED:
            moved.append((ins, first, block))
            removed.update(range(first, ins.end_line + 1))
        elif ins.name in _COPIED:
            copied.append(block)
        previous_end = ins.end_line
    start = stage.from_.start_line
    kept = [line for n, line in enumerate(lines[start:], start) if n not in removed]
    kept = _tidy(kept)
    size_before = _mb(info)
    actions: list[SplitAction] = []
    deps = "deps" if name.lower() != "deps" else "deps-prod"
    for rt in runtimes:
        out = list(kept)
        if rt.deps_image is not None:
            out += ["", f"FROM {rt.deps_image} AS {deps}"]
            for block in copied:
                out += block
            out += [g.replace("{build}", name) for g in rt.deps_lines]
        out += ["", f"FROM {rt.image}"]
        for block in copied:
            out += block
        out += [g.replace("{build}", name).replace("{deps}", deps) for g in rt.generated]
        if rt.user is not None:
            out.append(f"USER {rt.user}")
        for ins, first, block in moved:
            if rt.drop_node and ins.name == "CMD" and ins.exec_form is not None:
                argv = [e.text for e in ins.exec_form.elements][1:]
                comments = block[: ins.start_line - first]
                out += [*comments, f"{ins.keyword.text} {json.dumps(argv, ensure_ascii=False)}"]
                continue
            out += block
        new_text_tail = nl.join(out) + nl
        edit = TextEdit(
            Span(Position(start, 0), Position(len(doc.lines) - 1, len(doc.lines[-1]))),
            new_text_tail,
        )
        check = _verify(doc.text, edit, 3 if rt.deps_image is not None else 2)
        if check is not None:
            return check
        size_after = _mb(rt.info) if rt.kind != "scratch" else 0.0
        notes = list(warnings) + rt.warnings
        if size_before is not None and size_after is not None:
            notes.insert(
                0,
                f"Estimated image size: {size_before:g} MB before, {size_after:g} MB plus the "
                "application after (compressed, linux/amd64).",
            )
        actions.append(
            SplitAction(
                f"Split into build and runtime stages (runtime on {rt.image}{rt.label})",
                (edit,),
                ecosystem,
                rt.image,
                size_before,
                size_after,
                tuple(notes),
            )
        )
    return actions


def _tidy(lines: list[str]) -> list[str]:
    """No run of blank lines longer than one, none at the end."""
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def _mb(info: ImageInfo | None) -> float | None:
    if info is None:
        return None
    size = info.size("compressed")
    return None if size is None else size.mb


def _verify(text: str, edit: TextEdit, stages: int) -> str | None:
    """The result parses into ``stages`` stages without errors, or a reason."""
    from dockerls.edits import apply_edits

    result = apply_edits(text, [edit])
    doc = parse(result)
    if any(p.severity is Severity.ERROR for p in doc.problems) or len(doc.stages) != stages:
        return "The split would not give a valid two-stage Dockerfile."
    return None
