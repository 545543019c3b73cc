"""Rust: one ``cargo build`` (or ``cargo install``), the binary the container runs copied
to a small runtime.

The binary is the program ``CMD``/``ENTRYPOINT`` starts: a path under the build's
``target/<triple>/<profile>/`` for ``cargo build``, or a name found in
``$CARGO_HOME/bin`` after ``cargo install`` (copied to ``/usr/local/bin``, which is
on the runtime's PATH). A glibc builder runs on distroless cc (glibc, libgcc and
OpenSSL's libraries) and on Debian slim (its release when the tag names one, else
the newest, whose glibc is at least as new); a ``-dev`` package other than OpenSSL's
keeps distroless cc out and has its library installed on slim when it is known. An
Alpine builder makes a static musl binary: distroless static or scratch.
"""

from __future__ import annotations

import posixpath

from dockerls.actions.split.core import assemble
from dockerls.actions.split.original_stage import (
    NO_WORKDIR,
    base_cwd,
    cwd_of,
    entry,
    installed_packages,
    resolve,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import (
    CA_BUNDLE,
    binary_runtimes,
    debian_slim,
    runtime_libraries,
    unknown_libraries,
)
from dockerls.knowledge.images import ImageInfo, alternatives
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command
from dockerls.syntax import Instruction, Stage

_ELSEWHERE = ("--target-dir", "--manifest-path", "--profile", "--root", "--config")
_OPENSSL = {
    "trixie": "libssl3t64",
    "bookworm": "libssl3",
    "bullseye": "libssl1.1",
    "buster": "libssl1.1",
    "stretch": "libssl1.1",
    "jessie": "libssl1.0.0",
}
_HARMLESS_DEV = frozenset({"libssl-dev", "pkg-config", "libc6-dev", "musl-dev", "openssl-dev"})


def _build(ctx: RuleContext, stage: Stage) -> tuple[Instruction, Command] | str:
    found = [
        (ins, unwrap(cmd))
        for ins in stage.instructions
        if ins.name == "RUN"
        for cmd in ctx.script(ins).commands
        if program(unwrap(cmd).name) == "cargo"
        and [w.text for w in unwrap(cmd).positionals()][:1] in (["build"], ["b"], ["install"])
    ]
    if not found:
        return "No `cargo build` or `cargo install` was found to split off."
    if len(found) > 1:
        return "The stage runs cargo more than once; splitting it is not supported yet."
    return found[0]


def plan_rust(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    found = _build(ctx, stage)
    if isinstance(found, str):
        return found
    ins, cmd = found
    line = ins.start_line + 1
    env = next((s.env for s in steps(ctx, stage) if s.ins is ins), {})
    if cmd.has_option(*_ELSEWHERE) or "CARGO_TARGET_DIR" in env or "CARGO_BUILD_TARGET" in env:
        return (
            f"The cargo run on line {line} writes somewhere else than target/ (an option "
            "or CARGO_TARGET_DIR); not supported yet."
        )
    if any(c.name == "cd" for c in ctx.script(ins).commands):
        return f"The RUN on line {line} changes directory with `cd`."
    argv = entry(stage)
    if not argv:
        return "No CMD or ENTRYPOINT runs the built binary."
    started = argv[0]
    installing = [w.text for w in cmd.positionals()][:1] == ["install"]
    if installing:
        home = env.get("CARGO_HOME", "/usr/local/cargo")
        name = posixpath.basename(started)
        built = f"{home}/bin/{name}"
        if "/" in started and started != built:
            return (
                f"The container runs `{started}`, not a program `cargo install` puts in {home}/bin."
            )
        target = built if "/" in started else f"/usr/local/bin/{name}"
    else:
        if "/" not in started:
            return f"The container runs `{started}` through PATH, not the binary in target/."
        if base_cwd(stage, ins) or (not started.startswith("/") and base_cwd(stage, None)):
            return NO_WORKDIR.format(what=f"the cargo build on line {line}")
        profile = "release" if cmd.has_option("--release", "-r") else "debug"
        triple = cmd.option_value("--target")
        if triple is not None and triple.dynamic:
            return f"The --target of the cargo build on line {line} is not known."
        out = resolve(cwd_of(ctx, stage, ins), "target")
        out += (f"/{triple.text}" if triple is not None else "") + f"/{profile}"
        built = resolve(cwd_of(ctx, stage, None), started)
        if posixpath.dirname(built) != out:
            return f"The container runs `{started}`, not a binary the build writes to {out}/."
        target = built
    copy = f"COPY --from={{build}} {built} {target}"
    musl = info.libc == "musl"
    if musl and "crt-static" in env.get("RUSTFLAGS", ""):
        return "RUSTFLAGS changes crt-static: the musl binary may not be static."
    packages = installed_packages(ctx, stage)
    dev = [p for _, p in packages if p.endswith("-dev") and p not in _HARMLESS_DEV]
    runtimes: list[Runtime] = []
    warnings = [
        f"Only the binary {target} reaches the runtime: files the program reads from the "
        "source tree must be copied too."
    ]
    if musl:
        for alt in alternatives(info):
            if alt.kind in ("static", "scratch"):
                rt = Runtime(alt.reference, alt.kind, "", alt.info)
                if alt.kind == "scratch":
                    rt.label = " — CA certificates copied from the builder"
                    rt.generated.append(f"COPY --from={{build}} {CA_BUNDLE} {CA_BUNDLE}")
                runtimes.append(rt)
        warnings.append("Rust on Alpine links statically (musl, crt-static) by default.")
    else:
        if not dev:
            runtimes += [
                Runtime(a.reference, a.kind, "", a.info)
                for a in alternatives(info)
                if a.kind == "distroless" and "/cc-" in a.reference
            ]
        image, suite, notes = debian_slim(info)
        slim = Runtime(image, "slim", " — glibc", None)
        libraries, unknown = runtime_libraries(packages, _HARMLESS_DEV)
        if any(p == "libssl-dev" for _, p in packages):
            libraries += [("apt-get", _OPENSSL[suite]), ("apt-get", "ca-certificates")]
        slim.packages = libraries
        slim.warnings += unknown_libraries(unknown, "the binary needs")
        slim.warnings += notes
        runtimes.append(slim)
    for rt in runtimes:
        rt.generated.append(copy)
    chosen = binary_runtimes(stage, runtimes)
    if isinstance(chosen, str):
        return chosen
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="rust",
        builder=Builder(),
        runtimes=chosen,
        warnings=warnings,
    )
