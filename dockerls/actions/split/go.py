"""Go: one ``go build`` to a static (distroless, scratch) or cgo (Debian slim) runtime."""

from __future__ import annotations

import posixpath

from dockerls.actions.split.container_effects import CGO_PACKAGES
from dockerls.actions.split.core import assemble
from dockerls.actions.split.original_stage import (
    NO_WORKDIR,
    PATH_DIRS,
    base_cwd,
    commands,
    cwd_of,
    entry,
    resolve,
    sub,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import CA_BUNDLE, binary_runtimes, debian_slim
from dockerls.knowledge.images import ImageInfo, alternatives
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.package_managers import PACKAGE_INSTALLS
from dockerls.shell import Command
from dockerls.syntax import Instruction, Stage

# --------------------------------------------------------------------------- Go


def plan_go(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    builds = [(i, c) for i, c in commands(ctx, stage, "go") if sub(c) in ("build", "install")]
    if not builds:
        return "No `go build` was found: the build runs through make or a script."
    if len(builds) != 1:
        return "The stage runs more than one `go build`; splitting it is not supported yet."
    ins, cmd = builds[0]
    if sub(cmd) == "install":
        return "`go install` puts the binary in GOBIN; use `go build -o <path>` to split."
    direct = ins.exec_form is not None and cmd.argv[0].span == ins.exec_form.elements[0].span
    if (ins.exec_form is not None and not direct) or cmd.wrappers:
        return f"The `go build` on line {ins.start_line + 1} is not a plain command."
    if cmd.in_substitution or cmd.in_subshell:
        return f"The `go build` on line {ins.start_line + 1} is not a plain shell command."
    if any(c.name == "cd" for c in ctx.script(ins).commands):
        return f"The RUN on line {ins.start_line + 1} changes directory with `cd`."
    cwd = cwd_of(ctx, stage, ins)
    final_cwd = cwd_of(ctx, stage, None)
    argv = entry(stage)
    output = cmd.option_value("-o")
    builder = Builder()
    if output is not None:
        if output.dynamic or output.text.endswith("/"):
            return f"The output `-o {output.text}` is not a plain file path."
        if not output.text.startswith("/") and base_cwd(stage, ins):
            return NO_WORKDIR.format(what=f"the `go build -o` on line {ins.start_line + 1}")
        binary = resolve(cwd, output.text)
    else:
        if not argv:
            return "`go build` has no `-o` and no CMD/ENTRYPOINT names the program it builds."
        program = argv[0]
        if "/" in program and not program.startswith("/") and base_cwd(stage, None):
            return NO_WORKDIR.format(what="the start of the container (its program is relative)")
        if "/" in program:
            binary = resolve(final_cwd, program)
        else:
            return f"`go build` has no `-o` and `{program}` is found through PATH."
        word = cmd.subcommand()
        assert word is not None
        added = f', "-o", "{binary}"' if direct else f" -o {binary}"
        builder.inserts.append((word.span.end.line, word.span.end.column, added))
    if argv:
        program = argv[0]
        if "/" in program and not program.startswith("/") and base_cwd(stage, None):
            return NO_WORKDIR.format(what="the start of the container (its program is relative)")
        target = resolve(final_cwd, program) if "/" in program else None
        bare_ok = "/" not in program and posixpath.basename(binary) == program
        if target != binary and not (bare_ok and posixpath.dirname(binary) in PATH_DIRS):
            return f"The container runs `{program}`, not the built binary {binary}."
    else:
        return "No CMD or ENTRYPOINT runs the built binary."
    uses_cgo = cgo(ctx, stage, ins, cmd)
    warnings = [
        f"Only the binary {binary} reaches the runtime: templates, static files or "
        "configuration the program reads from the source tree must be copied too."
    ]
    runtimes: list[Runtime] = []
    if uses_cgo is True:
        if info.libc == "musl":
            return (
                "The build uses cgo on a musl (Alpine) builder; its binary needs musl at run time."
            )
        slim, _, notes = debian_slim(info, "bookworm")
        rt = Runtime(slim, "slim", " — glibc, cgo", None)
        rt.warnings += notes
        rt.generated.append(f"COPY --from={{build}} {binary} {binary}")
        runtimes.append(rt)
    else:
        if uses_cgo is None:
            env = next((s.env for s in steps(ctx, stage) if s.ins is ins), {})
            if env.get("CGO_ENABLED") != "0" and not any(
                a.name == "CGO_ENABLED" for a in cmd.assignments
            ):
                if direct:  # exec form: no shell to take an assignment; an ENV before it
                    line = ctx.document.lines[ins.start_line]
                    pad = line[: len(line) - len(line.lstrip())]
                    builder.inserts.append((ins.start_line, len(pad), f"ENV CGO_ENABLED=0\n{pad}"))
                else:
                    start = cmd.argv[0].span.start
                    builder.inserts.append((start.line, start.column, "CGO_ENABLED=0 "))
        for alt in alternatives(info):
            if alt.kind not in ("static", "scratch"):
                continue
            rt = Runtime(alt.reference, alt.kind, "", alt.info)
            if alt.kind == "scratch":
                rt.label = " — CA certificates copied from the builder"
                rt.generated.append(f"COPY --from={{build}} {CA_BUNDLE} {CA_BUNDLE}")
            rt.generated.append(f"COPY --from={{build}} {binary} {binary}")
            runtimes.append(rt)
    found = binary_runtimes(stage, runtimes)
    if isinstance(found, str):
        return found
    runtimes = found
    return assemble(
        ctx, stage, info=info, ecosystem="go", builder=builder, runtimes=runtimes, warnings=warnings
    )


def cgo(ctx: RuleContext, stage: Stage, ins: Instruction, cmd: Command) -> bool | None:
    """True: the build uses cgo; False: explicitly off; None: Go's default (on with gcc)."""
    for a in cmd.assignments:
        if a.name == "CGO_ENABLED" and a.value is not None:
            return a.value.text != "0"
    env = next((s.env for s in steps(ctx, stage) if s.ins is ins), {})
    if "CGO_ENABLED" in env:
        return env["CGO_ENABLED"] != "0"
    sources = ctx.build_context.sources
    if sources is not None and sources.importers(frozenset({"C"})):
        return True  # `import "C"`: CGO_ENABLED=0 would leave its C functions undefined
    for other in stage.instructions:
        if other.name != "RUN":
            continue
        for c in ctx.script(other).commands:
            if sub(c) in PACKAGE_INSTALLS.get(c.name, ()):
                names = {w.text.strip("\"'").lower() for w in c.positionals()[1:]}
                if names & CGO_PACKAGES:
                    return True
    return None
